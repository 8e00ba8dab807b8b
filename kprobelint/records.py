"""Record classes written by hand, for the types a lint defines.

``@dataclass`` compiles each method it generates (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, ``__setattr__``...) with ``exec`` when the class is created: about 0.4 ms of CPU
per class, paid at every start (by the pre-commit hook on every commit), also for the classes
most runs never instantiate (a Helm source, a fix, a parse problem...). A record lists its
fields as ``__slots__``, in order, writes its ``__init__`` and takes the rest from
:class:`Record` or :class:`FrozenRecord`, which behave as dataclasses' (``eq=True``,
``slots=True``) do: equal when of the same class with equal fields, shown as
``Name(field=value, ...)``; a frozen one hashes by its fields, refuses assignment and pickles.
:func:`replace` is ``dataclasses.replace`` for both.
"""
from __future__ import annotations

from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", bound="Record")

set_field = object.__setattr__  # how a frozen record's __init__ sets its fields


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class Record:
    """Equality and repr by field (the names in the subclass's ``__slots__``); unhashable,
    as a mutable dataclass."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._fields() == other._fields()  # type: ignore[attr-defined]
        return NotImplemented

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"


class FrozenRecord(Record):
    """A record whose fields cannot change once made: hashable by its fields."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    # Unpickling (worker processes) would set the fields with the refused __setattr__.
    def __getstate__(self) -> tuple[Any, ...]:
        return self._fields()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            set_field(self, name, value)


def replace(record: R, **changes: Any) -> R:
    """A copy of ``record`` with ``changes`` to its fields, made through its ``__init__``."""
    fields = dict(zip(record.__slots__, record._fields()))
    unknown = changes.keys() - fields.keys()
    if unknown:
        raise TypeError(f"{record.__class__.__qualname__} has no field {sorted(unknown)[0]!r}")
    return record.__class__(**{**fields, **changes})
