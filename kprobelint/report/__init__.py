"""Output formats: text, json, sarif and github; formatting only, no rule logic."""
from __future__ import annotations

import re

# Characters a manifest must not be able to send to a terminal or a CI log: C0 and C1
# controls (ESC starts colour and title sequences, BEL rings), DEL and the Unicode line
# separators. Newlines too, unless the format escapes them itself: a value with a newline
# would otherwise forge report lines, or GitHub workflow commands such as `::add-mask::`.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_WITH_NEWLINES = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control characters written as escapes (``\\x1b``), tabs kept."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_WITH_NEWLINES
    return pattern.sub(_escape, text)
