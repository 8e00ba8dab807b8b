"""Which files to lint: paths, directories (recursive), globs to exclude, and stdin."""
from __future__ import annotations

import fnmatch
import functools
import os
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = (".yaml", ".yml", ".json")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Target:
    path: str  # as shown to the user; "-" for stdin
    problem: str | None = None  # why it cannot be read, if known while walking


def discover(paths: list[str], excludes: tuple[str, ...] = (), hidden: bool = False) -> list[Target]:
    """Files to lint, in a stable order: each argument's files sorted, arguments kept in order.

    A file named explicitly is linted whatever its extension; directories contribute only
    YAML and JSON files. Symlinked directories are followed once (loops are cut by real path).
    """
    targets: list[Target] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            targets.append(Target(STDIN))
            continue
        if _excluded(raw, excludes):
            continue
        if os.path.isdir(raw):
            for path in _walk(raw, excludes, hidden):
                _add(targets, seen, path)
        elif os.path.exists(raw) or os.path.islink(raw):
            _add(targets, seen, raw)
        else:
            targets.append(Target(raw, "no such file or directory"))
    return targets


def _add(targets: list[Target], seen: set[str], path: str) -> None:
    key = os.path.realpath(path)
    if key not in seen:
        seen.add(key)
        targets.append(Target(path))


def _walk(top: str, excludes: tuple[str, ...], hidden: bool) -> list[str]:
    found: list[str] = []
    visited: set[str] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in visited:  # a symlink loop, or two links to one tree
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue  # unreadable directory: nothing to lint in it
        subdirs = []
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            path = entry.path
            if _excluded(path, excludes):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                subdirs.append(path)
            elif entry.name.endswith(EXTENSIONS):
                found.append(path)
        stack.extend(reversed(subdirs))
    return sorted(found)


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    posix = Path(path).as_posix()
    name = os.path.basename(posix.rstrip("/"))
    return any(
        fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(posix, f"*/{p}")
        for p in patterns
    )


def is_chart_template(path: str) -> bool:
    """True for files under a ``templates/`` directory of a Helm chart (next to Chart.yaml)."""
    if path == STDIN:
        return False
    parent = os.path.dirname(os.path.abspath(path))
    return _chart_template_dir(parent)


@functools.lru_cache(maxsize=1024)
def _chart_template_dir(directory: str) -> bool:
    while True:
        head, tail = os.path.split(directory)
        if tail == "templates" and os.path.isfile(os.path.join(head, "Chart.yaml")):
            return True
        if not tail or head == directory:
            return False
        directory = head
