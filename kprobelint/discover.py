"""Which files to lint: paths, directories (recursive), globs to exclude, and stdin."""
from __future__ import annotations

import fnmatch
import functools
import os
from pathlib import Path

from .gitignore import Ignorer
from .i18n import Message, Templates
from .records import FrozenRecord, set_field

TEXTS = Templates("discover", {"cannot-list": "{reason}: cannot list the directory"})

EXTENSIONS = (".yaml", ".yml", ".json")
STDIN = "-"


class Target(FrozenRecord):
    """A file to lint, as discovery found it."""

    __slots__ = ("path", "problem")
    path: str  # as shown to the user; "-" for stdin
    problem: Message | str | None  # why it cannot be read, if known while walking

    def __init__(self, path: str, problem: Message | str | None = None) -> None:
        set_field(self, "path", path)
        set_field(self, "problem", problem)


def discover(paths: list[str], excludes: tuple[str, ...] = (),
             hidden: bool = False, gitignore: bool = True) -> list[Target]:
    """Files to lint, in a stable order: each argument's files sorted, arguments kept in order.

    A file named explicitly is linted whatever its extension (and whatever .gitignore says);
    directories contribute only YAML and JSON files that .gitignore files do not ignore
    (``gitignore``). Symlinked directories are followed once (loops are cut by real path).
    """
    targets: list[Target] = []
    seen: set[str] = set()
    excludes = tuple(_normalise_pattern(p) for p in excludes if p)
    for raw in paths:
        if raw == STDIN:
            targets.append(Target(STDIN))
            continue
        if _excluded(raw, excludes, explicit=True):
            continue
        if os.path.isdir(raw):
            if not os.access(raw, os.R_OK | os.X_OK):  # named explicitly: say so
                targets.append(Target(raw, "permission denied: cannot list the directory"))
                continue
            ignorer = Ignorer(raw) if gitignore else None
            for path, problem in _walk(raw, excludes, hidden, ignorer):
                # `kprobelint .` reports app.yaml, not ./app.yaml (as ruff and git do).
                if path.startswith("./") and raw in (".", "./"):
                    path = path[2:]
                if problem is None:
                    _add(targets, seen, path)
                else:
                    targets.append(Target(path, problem))
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


def _walk(top: str, excludes: tuple[str, ...], hidden: bool,
          ignorer: Ignorer | None = None) -> list[tuple[str, str | None]]:
    """Files under ``top``, sorted, each with None, or a directory that cannot be listed with
    the reason: its files would otherwise be missed without a word (and the run pass)."""
    found: list[tuple[str, str | None]] = []
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
        except OSError as exc:
            if directory != top:  # the top was checked by the caller
                reason = (exc.strerror or str(exc)).lower()
                found.append((directory, TEXTS("cannot-list", reason=reason)))
            continue
        subdirs = []
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            path = entry.path
            if _excluded(path, excludes):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # a link that loops: not a directory to walk
                is_dir = False
            if is_dir:
                if ignorer is None or not ignorer.ignored(path, True):
                    subdirs.append(path)
            elif entry.name.endswith(EXTENSIONS) and _lintable(entry):
                if ignorer is None or not ignorer.ignored(path, False):
                    found.append((path, None))
        stack.extend(reversed(subdirs))
    return sorted(found)


def _lintable(entry: os.DirEntry) -> bool:
    """Regular files, and links that lead nowhere (reported as unreadable, not dropped).

    A FIFO named x.yaml would block the run forever and a device is never a manifest; named
    on the command line, a pipe is read (``kprobelint <(helm template .)``).
    """
    try:
        if entry.is_file():
            return True
        if not entry.is_symlink():
            return False
        os.stat(entry.path)
    except OSError:
        return True  # dangling or looping link
    return False


def _normalise_pattern(pattern: str) -> str:
    """``vendor/`` and ``./vendor`` mean the same as ``vendor``."""
    pattern = pattern.replace(os.sep, "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


def _excluded(path: str, patterns: tuple[str, ...], explicit: bool = False) -> bool:
    """A pattern with a ``/`` matches the path or a tail of it; one without, a name.

    While walking, only the entry's own name is matched (its directories were matched on the
    way down). For a path named on the command line (pre-commit passes ``vendor/x.yaml``),
    every component of a relative path is matched.
    """
    if not patterns:
        return False
    posix = Path(path).as_posix()
    parts = [part for part in posix.split("/") if part not in ("", ".", "..")]
    names = parts if explicit and not os.path.isabs(path) else parts[-1:]
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, f"*/{pattern}"):
                return True
        elif any(fnmatch.fnmatch(name, pattern) for name in names):
            return True
    return False


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
