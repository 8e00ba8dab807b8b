"""Manifest values of any YAML type, read defensively and shown in messages."""
from __future__ import annotations

from ...i18n import Message, Templates
from ...model import as_int  # noqa: F401  (the checks take it from here)
from ...typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

TEXTS = Templates("values", {"mapping": "a mapping", "list": "a list"})


def quoted(value: Any) -> str:
    """A value as it would read in YAML, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe(value: Any) -> Message | str:
    """A value for a message: quoted scalars, a type name for collections."""
    if isinstance(value, dict):
        return TEXTS("mapping")
    if isinstance(value, list):
        return TEXTS("list")
    return quoted(value)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def as_text(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
