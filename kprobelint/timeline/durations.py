"""Durations as people write them (``45s``, ``2m``, ``1m30s``, ``90``) and as the report prints
them.

Accepted: a non-negative number of seconds (int or decimal), or one or more ``<number><unit>``
parts with units ``h``, ``m``, ``s`` in that order, each at most once (``1h2m3s``, ``1.5s``).
"""
from __future__ import annotations

import math
import re

from ..i18n import Message, Templates

_PART = re.compile(r"(\d+(?:\.\d+)?)([hms])")
_PLAIN = re.compile(r"\d+(?:\.\d+)?\Z")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
# A start-up time longer than a year is a typo, and huge numbers would only make the
# arithmetic meaningless; the API's own int32 fields stay far below this.
MAX_SECONDS = 366 * 86400


TEXTS = Templates("durations", {
    "not-a-duration": "{value} is not a duration",
    "negative": "{value} is not a duration of 0 seconds or more",
    "too-long": "{value} is longer than a year",
    "empty": "an empty string is not a duration",
    "malformed": (
        "{value} is not a duration: write seconds (45, 45s) or minutes and seconds (2m, 1m30s, "
        "1h)"),
    "never": "never",
})


class DurationError(ValueError):
    """A duration that is not one: the message says what was expected."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def parse_duration(value: object) -> float:
    """Seconds in ``value``: a number, or a string such as ``45s``, ``2m``, ``1m30s``, ``90``."""
    if isinstance(value, bool):
        raise DurationError(TEXTS("not-a-duration", value=repr(value)))
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value.strip())
    else:
        raise DurationError(TEXTS("not-a-duration", value=type(value).__name__))
    if not math.isfinite(seconds) or seconds < 0:
        raise DurationError(TEXTS("negative", value=repr(value)))
    if seconds > MAX_SECONDS:
        raise DurationError(TEXTS("too-long", value=repr(value)))
    return seconds


def _parse_text(text: str) -> float:
    if not text:
        raise DurationError(TEXTS("empty"))
    if _PLAIN.match(text):
        return float(text)
    total, position, last_unit = 0.0, 0, -1
    order = "hms"
    for match in _PART.finditer(text):
        unit = order.index(match.group(2))
        if match.start() != position or unit <= last_unit:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position, last_unit = match.end(), unit
    if position != len(text) or last_unit < 0:
        raise DurationError(TEXTS("malformed", value=repr(text)))
    return total


def seconds_text(seconds: float) -> str:
    """``45``, ``1.5``, ``300``: an exact number for messages (no trailing ``.0``)."""
    if math.isinf(seconds):
        return "∞"
    rounded = round(seconds, 3)
    return f"{rounded:g}" if rounded != int(rounded) else str(int(rounded))


def human(seconds: float) -> str:
    """``45s``, ``1m30s``, ``5m``, ``1h2m``: compact, for people; exact to the second."""
    if math.isinf(seconds):
        return TEXTS.text("never")
    if seconds < 60 or seconds != int(seconds):
        return f"{seconds_text(seconds)}s"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs:
        parts.append(f"{secs}s")
    return "".join(parts)
