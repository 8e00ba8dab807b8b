"""The source line under a finding, with a caret under its columns (as ruff shows them).

Lines are read back from the linted files when the report is written (only files with
findings are read, once each), or taken from the text of an input that is not a file on
disk (stdin). Columns are characters, as the loader counts them; the caret is placed by
display width, so tabs and double-width (CJK) characters keep it under the right text.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

TAB = "    "
WINDOW = 160  # the most display columns of one line shown; longer lines are cut around the span


def read_lines(path: str, wanted: Iterable[int],
               inline: Mapping[str, str] | None = None) -> dict[int, str]:
    """Lines ``wanted`` (1-based) of the input called ``path``; missing ones are left out."""
    wanted = set(wanted)
    text = inline.get(path) if inline else None
    if text is None:
        text = read_text(path)
    if text is None:
        return {}
    found: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if number in wanted:
            found[number] = line
            if len(found) == len(wanted):
                break
    return found


def read_text(path: str) -> str | None:
    """The text of the file at ``path``, decoded as the loader decodes it; None if unreadable."""
    from ..load import decode  # noqa: PLC0415  (the same decoding as the linted input)

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    try:
        return decode(data)
    except Exception:  # undecodable bytes: show what can be shown
        return data.decode("utf-8", errors="replace")


def width(text: str) -> int:
    """Display width in a terminal: wide East Asian characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns`` display columns (``str.ljust`` counts
    characters, which leaves double-width text out of line)."""
    return text + " " * max(columns - width(text), 0)


# Punctuation that must not start a line (it stays at the end of the line before), and
# punctuation that must not end one (it goes to the next line with what follows it).
_NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)]}")
_NO_LINE_END = set("（《「『【〔")


def wrap(text: str, columns: int, initial: str = "", subsequent: str = "") -> list[str]:
    """``text`` wrapped to ``columns`` display columns: at spaces, and between wide
    characters, which text in Chinese has no spaces between (``textwrap`` counts characters
    and breaks only at spaces)."""
    tokens: list[str] = []
    for char in text:
        if tokens and (tokens[-1][-1] in _NO_LINE_END or char in _NO_LINE_START
                       or char == " "):
            tokens[-1] += char
        elif width(char) == 2 or not tokens or tokens[-1].endswith(" ") \
                or width(tokens[-1][-1]) == 2:
            tokens.append(char)
        else:
            tokens[-1] += char
    lines: list[str] = []
    line = initial
    for token in tokens:
        if width(line + token.rstrip()) > columns and line.strip():
            lines.append(line.rstrip())
            line = subsequent + token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def snippet(line: str, column: int, end_column: int | None) -> tuple[str, str]:
    """The line as shown and the caret line under columns [column, end_column).

    ``end_column`` None (or at/before ``column``) marks one character; a span that runs past
    the line's end is marked to the end.
    """
    start = max(column - 1, 0)
    stop = len(line) if end_column is None or end_column - 1 > len(line) else end_column - 1
    stop = max(stop, start + 1)
    shown = line.replace("\t", TAB)
    before = line[:start].replace("\t", TAB)
    marked = line[start:stop].replace("\t", TAB) or " "
    offset, length = width(before), max(width(marked), 1)
    if width(shown) > WINDOW:  # a minified or hostile line: a window around the span
        cut = max(offset - WINDOW // 3, 0)
        shown = _slice_by_width(shown, cut, WINDOW)
        prefix = "…" if cut else ""
        shown = prefix + shown + ("…" if width(line.replace("\t", TAB)) > cut + WINDOW else "")
        offset = offset - cut + len(prefix)
        length = min(length, max(WINDOW - offset, 1))
    return shown, " " * offset + "^" * length


def _slice_by_width(text: str, start: int, span: int) -> str:
    out, column = [], 0
    for char in text:
        w = width(char)
        if column >= start and column + w <= start + span:
            out.append(char)
        column += w
        if column >= start + span:
            break
    return "".join(out)
