"""Scalar resolution the way Kubernetes reads YAML: gopkg.in/yaml.v2's ``resolve.go``.

kubectl and Helm convert YAML to JSON with go-yaml v2 (sigs.k8s.io/yaml ``YAMLToJSON``),
which follows YAML 1.1: ``yes``/``on``/``y`` are booleans and ``0644`` is octal. A YAML 1.2
resolver gets both wrong, so values are resolved here with go-yaml's own rules, checked
against go-yaml itself (tests/goyaml). Where go-yaml refuses a scalar (``!!int abc``, an
infinite number it cannot write as JSON, a key JSON cannot have) :class:`ScalarError`
carries its reason.
"""
from __future__ import annotations

import base64
import binascii
import math
import re
import struct

from .lazyregex import LazyPattern

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


class ScalarError(ValueError):
    """go-yaml (or the JSON step after it) refuses this scalar: kubectl refuses the document."""


_NUMBER_START = frozenset("0123456789+-")
# go-yaml strips underscores, then asks strconv.ParseInt(s, 0, 64): Go's base prefixes.
_INT = re.compile(r"[-+]?(?:0[bB][01]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)\Z")
# go-yaml's yamlStyleFloat, tried (after ParseInt and ParseUint) on the text without '_'.
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# A scalar starting with '.' goes to strconv.ParseFloat as written: Go float syntax, where
# '_' may only stand between two digits.
_DOT_FLOAT = LazyPattern(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?\Z")
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1
_MISSING = object()


def resolve_plain(text: str) -> object:
    """The value of an untagged plain scalar: None, bool, int, float or str."""
    special = _SPECIAL.get(text, _MISSING)
    if special is not _MISSING:
        return special
    first = text[0]
    if first in _NUMBER_START:
        return _number(text)[1]
    if first == ".":
        return _dot_float(text)[1]
    return text


def _resolve(text: str, timestamps: bool = False) -> tuple[str, object]:
    """go-yaml's resolve() for an untagged scalar: (kind, value), kind as in ``!!kind``."""
    special = _SPECIAL.get(text, _MISSING)
    if special is not _MISSING:
        if special is None:
            return "null", None
        return ("bool" if isinstance(special, bool) else "float"), special
    first = text[0]
    if first == ".":
        return _dot_float(text)
    if first in _NUMBER_START:
        if timestamps and _is_timestamp(text):
            return "timestamp", text
        return _number(text)
    return "str", text


def _dot_float(text: str) -> tuple[str, object]:
    if _DOT_FLOAT.match(text):
        value = float(text.replace("_", ""))
        if not math.isinf(value):  # ParseFloat reports overflow; the text stays
            return "float", value
    return "str", text


_MAX_DIGITS = 400  # no float has more significant digits than that: 1e309 is already +Inf


def _number(text: str) -> tuple[str, object]:
    plain = text.replace("_", "") if "_" in text else text
    if len(plain) > _MAX_DIGITS:
        # Beyond float range too: go-yaml's ParseFloat fails and the scalar stays a string
        # (and Python refuses int() of more than 4,300 digits).
        return "str", text
    if _INT.match(plain):
        value = _parse_int(plain)
        # ParseInt(s, 0, 64), then ParseUint(s, 0, 64), which takes no sign.
        if INT64_MIN <= value <= INT64_MAX or (plain[0] not in "+-" and value <= UINT64_MAX):
            return "int", value
        # Out of range, go-yaml tries strconv.ParseFloat, which reads digits as decimal
        # (a huge "0777..." too); a huge 0x/0o/0b number stays a string.
    if _FLOAT.match(plain):
        value = float(plain)
        # ParseFloat reports overflow as an error and go-yaml then keeps the text.
        return ("str", text) if math.isinf(value) else ("float", value)
    return "str", text


def _parse_int(plain: str) -> int:
    sign = -1 if plain[0] == "-" else 1
    digits = plain.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] in "01234567":
        return sign * int(digits, 8)  # YAML 1.1 octal: 0644
    return sign * int(digits, 0)


# go-yaml's parseTimestamp: four digits and '-', then one of time.Parse's layouts
# "2006-1-2T15:4:5.999999999Z07:00" (also with 't'), "2006-1-2 15:4:5.999999999", "2006-1-2".
_TIMESTAMP = LazyPattern(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?\Z"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.match(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1]:
        return False
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        return False
    clock = match.group(4, 5, 6) if match.group(4) else match.group(7, 8, 9)
    if clock[0] is None:
        return True
    hour, minute, second = (int(part) for part in clock)
    return hour < 24 and minute < 60 and second < 60


_BAD_BYTE = LazyPattern("[\udc80-\udcff]")
_TAG_PREFIX = "tag:yaml.org,2002:"
_RESOLVABLE = frozenset(("str", "bool", "int", "float", "null", "timestamp"))


def resolve_tagged(tag: str, text: str) -> object:
    """An explicitly tagged scalar, as go-yaml decodes it into an untyped value.

    Unknown tags are never constructed: go-yaml gives their text as a string. A standard tag
    whose text does not fit (``!!int abc``, ``!!bool 1``) raises :class:`ScalarError`.
    """
    name = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if name == "binary":
        # encoding/base64's StdEncoding: padding required, CR and LF ignored, nothing else.
        try:
            data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            raise ScalarError("!!binary value contains invalid base64 data") from None
        # encoding/json replaces each byte that is not valid UTF-8 with U+FFFD.
        return _BAD_BYTE.sub("\ufffd", data.decode("utf-8", errors="surrogateescape"))
    if name not in _RESOLVABLE or name == "str":
        return text
    kind, value = _resolve(text, timestamps=name == "timestamp")
    if kind == name:
        return text if kind == "timestamp" else value  # a timestamp stays its text
    if name == "float" and kind == "int" and value <= INT64_MAX:  # type: ignore[operator]
        return float(value)  # type: ignore[arg-type]  (go-yaml converts int, not uint64)
    raise ScalarError(f"cannot decode !!{kind} `{text}` as a !!{name}")


def key_text(value: object) -> str:
    """The JSON key sigs.k8s.io/yaml makes of a resolved key (``convertToJSONableObject``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value > INT64_MAX:
            raise ScalarError("unsupported map key of type uint64")
        return str(value)
    if isinstance(value, float):
        return _float32_text(value)
    raise ScalarError("unsupported map key of type nil")


def _float32_text(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's names for the specials."""
    if math.isnan(value):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:  # beyond float32: Go's conversion gives an infinity
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    sign = "-" if math.copysign(1.0, single) < 0 else ""
    if single == 0:
        return sign + "0"
    for precision in range(1, 10):  # the shortest decimal that reads back as this float32
        shortest = f"{abs(single):.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(shortest)))[0] == abs(single):
            break
    mantissa, exponent_text = shortest.split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    if exponent < -4 or exponent >= 6:  # %e, as 'g' does for the shortest precision
        tail = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{tail}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    point = exponent + 1  # digits before the decimal point
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"
