"""Plain-scalar resolution the way Kubernetes reads YAML.

kubectl and the API server convert YAML to JSON with go-yaml v2, which follows YAML 1.1:
``yes``/``on``/``y`` are booleans and ``0644`` is octal. A YAML 1.2 resolver gets both wrong,
so values are resolved here with fixed 1.1 rules instead of ruamel's version-aware resolver
(which is also about half of the composition time).
"""
from __future__ import annotations

import base64
import binascii
import math
import re

_SPECIAL: dict[str, object] = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
for _word in ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"):
    _SPECIAL[_word] = True
for _word in ("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"):
    _SPECIAL[_word] = False
for _sign, _value in (("", math.inf), ("+", math.inf), ("-", -math.inf)):
    for _word in (".inf", ".Inf", ".INF"):
        _SPECIAL[_sign + _word] = _value
for _word in (".nan", ".NaN", ".NAN"):
    _SPECIAL[_word] = math.nan

_NUMBER_START = frozenset("0123456789+-.")
# go-yaml strips underscores, then asks strconv.ParseInt(s, 0, 64): Go's base prefixes.
_INT = re.compile(r"[-+]?(?:0[bB][01]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# strconv.ParseInt(s, 0, 64), then ParseUint: an int from -2**63 up to 2**64 - 1.
_INT_MIN = -(1 << 63)
_INT_LIMIT = 1 << 64
_MISSING = object()


def resolve_plain(text: str) -> object:
    """The value of an untagged plain scalar: None, bool, int, float or str."""
    special = _SPECIAL.get(text, _MISSING)
    if special is not _MISSING:
        return special
    if text[0] in _NUMBER_START:
        return _number(text)
    return text


_MAX_DIGITS = 400  # no float has more significant digits than that: 1e309 is already +Inf


def _number(text: str) -> object:
    plain = text.replace("_", "") if "_" in text else text
    if len(plain) > _MAX_DIGITS:
        # Beyond float range too: go-yaml's ParseFloat fails and the scalar stays a string
        # (and Python refuses int() of more than 4,300 digits).
        return text
    if _INT.match(plain):
        value = _parse_int(plain)
        if _INT_MIN <= value < _INT_LIMIT:
            return value
        # Out of range, go-yaml tries strconv.ParseFloat, which reads digits as decimal
        # (a huge "0777..." too); a huge 0x/0o/0b number stays a string.
    if _FLOAT.match(plain):
        value = float(plain)
        # ParseFloat reports overflow as an error and go-yaml then keeps the text.
        return text if math.isinf(value) else value
    return text


def _parse_int(plain: str) -> int:
    sign = -1 if plain[0] == "-" else 1
    digits = plain.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] in "01234567":
        return sign * int(digits, 8)  # YAML 1.1 octal: 0644
    return sign * int(digits, 0)


_TAG_PREFIX = "tag:yaml.org,2002:"


def resolve_tagged(tag: str, text: str, plain: bool) -> object:
    """An explicitly tagged scalar. Unknown tags are never constructed: the text is kept.

    ``plain`` (whether the scalar was unquoted) does not change the result: a tag decides.
    """
    name = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if name == "str" or name == "timestamp":  # go-yaml gives a timestamp as its text
        return text
    if name == "null":
        return None
    if name == "bool":
        value = _SPECIAL.get(text)
        return value if isinstance(value, bool) else text
    if name == "int" or name == "float":
        value = _number(text) if text and text[0] in _NUMBER_START else _SPECIAL.get(text, text)
        if name == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
    if name == "binary":  # go-yaml decodes it into a string
        try:
            return base64.b64decode("".join(text.split()), validate=True).decode(
                "utf-8", errors="replace"
            )
        except (binascii.Error, ValueError):
            return text
    # Any other tag (!!python/object:..., !!value, !Ref, !custom) is never constructed:
    # go-yaml resolves only the tags above and returns the text of any other as a string.
    return text
