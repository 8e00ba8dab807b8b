"""Regular expressions compiled when first used.

Most of kprobelint's patterns are needed only to explain a rare mistake (which part of an
image reference is wrong, an unusual scalar, a Helm comment...). Compiling them all at
import cost a one-file run several milliseconds, paid on every commit by the pre-commit hook.
A pattern that nearly every run uses is compiled with ``re.compile`` as usual.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on the first match, search or substitution."""

    __slots__ = ("pattern", "_flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
        return self._compiled

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def match(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.match(string, *bounds)

    def fullmatch(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, *bounds)

    def search(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled.search(string, *bounds)

    def finditer(self, string: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, *bounds)

    def findall(self, string: str, *bounds: int) -> list[Any]:
        return self.compiled.findall(string, *bounds)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags!r})"
