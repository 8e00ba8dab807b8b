"""How a replacement value is written where it goes.

A fix carries the corrected *value*; its text follows the text it replaces: a quoted string
stays quoted in the same style, a plain one stays plain when YAML 1.1 (as kubectl reads it)
would read it back as the same string, and JSON files get JSON. A string that plain YAML
would misread (``yes``, ``0644``, ``a: b``) is double-quoted.
"""
from __future__ import annotations

import json
import re

from ..scalars import resolve_plain
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

# Characters YAML wants escaped in a double-quoted scalar beyond what JSON escapes: DEL, the
# C1 controls (U+0085 is a line break in YAML 1.1), the Unicode line separators and the BOM.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
# Indicators a plain scalar may not start with (YAML 1.2 §7.3.3); "-", "?" and ":" may when a
# non-space follows ("-c" is a plain scalar, "- c" a sequence entry).
_NEVER_FIRST = frozenset(",[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")
# Characters a one-line plain or single-quoted scalar may not hold: all but tab, 0x20-0x7E,
# 0xA0-0xD7FF, 0xE000-0xFFFD and 0x10000-0x10FFFF (YAML's printable set without the line
# breaks). Written as this complement, it compiles in a fifth of the time (0.3 ms, not 1.7).
_NON_PRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def double_quoted(text: str) -> str:
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                            json.dumps(text, ensure_ascii=False))


def single_quoted(text: str) -> str | None:
    if "\t" in text or _NON_PRINTABLE.search(text) or _YAML_UNSAFE.search(text):
        return None
    return "'" + text.replace("'", "''") + "'"


def plain_reads_back(text: str, in_flow: bool) -> bool:
    """True when ``text`` written as a plain scalar reads back as the same string."""
    if not text or text != text.strip() or _NON_PRINTABLE.search(text) or "\t" in text:
        return False
    if _YAML_UNSAFE.search(text):
        return False
    first = text[0]
    if first in _NEVER_FIRST:
        return False
    if first in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if text in ("---", "...") or text.startswith(("--- ", "... ")):
        return False
    if in_flow and _FLOW_INDICATORS.search(text):
        return False
    return resolve_plain(text) == text


def scalar(value: Any, style: str | None, json_file: bool, in_flow: bool,
           written: str | None = None) -> str:
    """``value`` (a string, number, boolean or null) as a scalar in the given context.

    ``style`` is the style of the text it replaces: None (plain), ``'``, ``"``, ``|`` or ``>``.
    ``written`` is how the fix wrote a value that is not a string (``0644`` for a file mode):
    YAML keeps it as written, JSON gets the number.
    """
    if json_file:
        return _json(value)
    if not isinstance(value, str):
        return written.strip() if written and written.strip() else _json(value)
    if style == "'":
        quoted = single_quoted(value)
        if quoted is not None:
            return quoted
    if style in (None, "") and plain_reads_back(value, in_flow):
        return value
    return double_quoted(value)


def is_json(text: str) -> bool:
    """True when ``text`` is a JSON document (which a fix must leave valid JSON)."""
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _json(value: Any) -> str:
    if isinstance(value, str):
        return double_quoted(value)
    return json.dumps(value)
