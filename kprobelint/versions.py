"""The Kubernetes versions kprobelint knows, and how a user writes one.

Rules carry version bounds (``min_kube_version``/``max_kube_version``) and behaviour that
changed between releases; ``--kube-version`` and ``kube-version:`` pick the target. Only
versions the tool knows are accepted: a typo such as ``1.99`` or ``2.0`` would otherwise
silently lint against rules that never existed.
"""
from __future__ import annotations

import re

from .errors import UsageError
from .i18n import Message, Templates

TEXTS = Templates("versions", {
    "invalid": "invalid Kubernetes version {text}: expected MAJOR.MINOR such as {default}",
    "unknown": (
        "Kubernetes {version} is not a version kprobelint knows: give one from {oldest} to "
        "{newest}"),
    "between": "Kubernetes {minimum} to {maximum}",
    "from": "Kubernetes {minimum} and later",
    "until": "Kubernetes {maximum} and earlier",
    "every": "every version kprobelint knows ({oldest} to {newest})",
})

OLDEST = (1, 18)  # the oldest release any rule's version gate distinguishes
NEWEST = (1, 37)  # the newest Kubernetes release when this version of kprobelint was made
DEFAULT = "1.35"

_VERSION = re.compile(r"v?(\d{1,4})\.(\d{1,4})(?:\.\d{1,6})?\Z")


def known_versions() -> list[str]:
    return [f"1.{minor}" for minor in range(OLDEST[1], NEWEST[1] + 1)]


def parse_version(text: str) -> tuple[int, int]:
    """``"1.30"``, ``"v1.30"`` or ``"1.30.2"`` as (1, 30); anything else is a usage error."""
    match = _VERSION.match(text.strip())
    if not match:
        raise UsageError(TEXTS("invalid", text=repr(text), default=DEFAULT))
    version = int(match.group(1)), int(match.group(2))
    if not OLDEST <= version <= NEWEST:
        raise UsageError(TEXTS("unknown", version=f"{version[0]}.{version[1]}",
                               oldest=f"{OLDEST[0]}.{OLDEST[1]}",
                               newest=f"{NEWEST[0]}.{NEWEST[1]}"))
    return version


def normalise(text: str) -> str:
    """The canonical ``MAJOR.MINOR`` spelling of a valid version."""
    major, minor = parse_version(text)
    return f"{major}.{minor}"


def applies(target: tuple[int, int], minimum: str | None, maximum: str | None) -> bool:
    """Whether a rule with these bounds (``min_kube_version``/``max_kube_version``) applies."""
    if minimum and target < parse_version(minimum):
        return False
    return not (maximum and target > parse_version(maximum))


def range_text(minimum: str | None, maximum: str | None) -> Message:
    """The versions a rule applies to, as a message."""
    if minimum and maximum:
        return TEXTS("between", minimum=minimum, maximum=maximum)
    if minimum:
        return TEXTS("from", minimum=minimum)
    if maximum:
        return TEXTS("until", maximum=maximum)
    return TEXTS("every", oldest=known_versions()[0], newest=known_versions()[-1])
