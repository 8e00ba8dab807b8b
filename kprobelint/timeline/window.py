"""A moment known only within bounds, with the behaviour the bounds rest on."""
from __future__ import annotations

import math
from dataclasses import dataclass


def merge(*bases: tuple[str, ...]) -> tuple[str, ...]:
    """Basis ids in first-seen order, each once."""
    seen: dict[str, None] = {}
    for basis in bases:
        for item in basis:
            seen.setdefault(item, None)
    return tuple(seen)


@dataclass(frozen=True)
class Window:
    """A time in seconds in ``[earliest, latest]``.

    ``latest`` is an upper bound that the probe schedule can come arbitrarily close to without
    always reaching it (a tick's phase is continuous), so a window ``[10, 20]`` means "at 10 s
    at the earliest, before 20 s at the latest". ``latest`` may be infinite.
    """

    earliest: float
    latest: float
    basis: tuple[str, ...] = ()

    @classmethod
    def at(cls, seconds: float, basis: tuple[str, ...] = ()) -> Window:
        return cls(seconds, seconds, basis)

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.latest)

    def shift(self, seconds: float, basis: tuple[str, ...] = ()) -> Window:
        return Window(self.earliest + seconds, self.latest + seconds, merge(self.basis, basis))

    def widen(self, seconds: float, basis: tuple[str, ...] = ()) -> Window:
        """The latest end later by ``seconds`` (an unknown phase of that length)."""
        return Window(self.earliest, self.latest + seconds, merge(self.basis, basis))

    def plus(self, other: Window) -> Window:
        return Window(self.earliest + other.earliest, self.latest + other.latest,
                      merge(self.basis, other.basis))

    def not_before(self, seconds: float) -> Window:
        return Window(max(self.earliest, seconds), max(self.latest, seconds), self.basis)

    def after(self, other: Window) -> Window:
        """Whichever comes later of two events: both bounds are maxima."""
        return Window(max(self.earliest, other.earliest), max(self.latest, other.latest),
                      merge(self.basis, other.basis))
