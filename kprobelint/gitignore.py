"""What ``.gitignore`` files ignore, for walking directories (as ruff and git do).

The patterns are git's, matched by the ``pathspec`` library (git's wildmatch rules, negation,
directory-only patterns and anchoring are subtle; a well-kept implementation beats ours).
Each ``.gitignore`` applies to its own directory and below; a deeper file's decision wins
over a higher one's, and within a file the last matching pattern wins, as in git. The
files of the enclosing repository above the walked directory count too, and so does
``.git/info/exclude``. A path named on the command line is always linted: ignoring only
shapes what a directory walk finds.
"""
from __future__ import annotations

import os

from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

NAME = ".gitignore"


class Ignorer:
    """Answers "does git ignore this?" for paths found while walking from ``top``."""

    def __init__(self, top: str) -> None:
        self._specs: dict[str, Any] = {}  # directory (absolute) -> spec or None
        self._top = os.path.abspath(top)
        self._root = _repository_root(self._top)
        self._exclude = None
        if self._root is not None:
            self._exclude = _read_spec(os.path.join(self._root, ".git", "info", "exclude"))

    def ignored(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        # Deepest directory first: its .gitignore has the last word.
        for directory in self._directories_of(absolute):
            spec = self._spec(directory)
            if spec is None:
                continue
            decision = _decide(spec, absolute, directory, is_dir)
            if decision is not None:
                return decision
        if self._exclude is not None and self._root is not None:
            decision = _decide(self._exclude, absolute, self._root, is_dir)
            if decision is not None:
                return decision
        return False

    def _directories_of(self, absolute: str) -> list[str]:
        stop = self._root or self._top
        directories = []
        directory = os.path.dirname(absolute)
        while True:
            directories.append(directory)
            if directory == stop or not directory.startswith(stop):
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return directories

    def _spec(self, directory: str) -> Any:
        if directory not in self._specs:
            self._specs[directory] = _read_spec(os.path.join(directory, NAME))
        return self._specs[directory]


def _decide(spec: Any, absolute: str, directory: str, is_dir: bool) -> bool | None:
    relative = os.path.relpath(absolute, directory).replace(os.sep, "/")
    if relative.startswith("../"):
        return None
    if is_dir:
        relative += "/"
    return spec.check_file(relative).include


def _read_spec(path: str) -> Any:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec  # noqa: PLC0415  (only when a .gitignore exists: ~30 ms)

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _repository_root(start: str) -> str | None:
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
