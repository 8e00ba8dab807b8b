"""The Kubernetes versions kprobelint knows, and how a user writes one.

Rules carry version bounds (``min_kube_version``/``max_kube_version``) and behaviour that
changed between releases; ``--kube-version`` and ``kube-version:`` pick the target. Only
versions the tool knows are accepted: a typo such as ``1.99`` or ``2.0`` would otherwise
silently lint against rules that never existed.
"""
from __future__ import annotations

import re

from .errors import UsageError

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
        raise UsageError(f"invalid Kubernetes version {text!r}: expected MAJOR.MINOR such as "
                         f"{DEFAULT}")
    version = int(match.group(1)), int(match.group(2))
    if not OLDEST <= version <= NEWEST:
        raise UsageError(
            f"Kubernetes {version[0]}.{version[1]} is not a version kprobelint knows: give one "
            f"from {OLDEST[0]}.{OLDEST[1]} to {NEWEST[0]}.{NEWEST[1]}")
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


def describe_range(minimum: str | None, maximum: str | None) -> str:
    """The versions a rule applies to, in words."""
    if minimum and maximum:
        return f"Kubernetes {minimum} to {maximum}"
    if minimum:
        return f"Kubernetes {minimum} and later"
    if maximum:
        return f"Kubernetes {maximum} and earlier"
    oldest, newest = known_versions()[0], known_versions()[-1]
    return f"every version kprobelint knows ({oldest} to {newest})"
