"""One way to turn what a user writes about rules into rules.

``--select``, ``--ignore``, the configuration (``select``, ``ignore``, ``severity``,
``params``, ``per-path-ignores``), suppression annotations and comments, and ``explain``
all name rules the same way, through this module:

* ``ALL``: every rule;
* an id, any case: ``KPL103``, ``kpl103``;
* an id prefix: ``KPL1`` (the probe rules), ``KPL10``;
* a name: ``readiness-probe-port-undeclared``;
* a glob over ids and names: ``liveness-*``, ``*-unsplit``, ``KPL1?5``.

A key that names no rule is an error where it is written (the caller says where).
"""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence

from .i18n import Message, Templates
from .lazyregex import LazyPattern
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Protocol

    class NamedRule(Protocol):
        """Anything with a rule's id and name."""

        id: str
        name: str

_ID_PREFIX = LazyPattern(r"KPL[0-9]{0,3}\Z", re.IGNORECASE)
_GLOB = LazyPattern(r"[*?\[]")


def matches(rule: NamedRule, key: str) -> bool:
    """True when ``key`` selects ``rule``."""
    key = key.strip()
    if not key:
        return False
    if key.upper() == "ALL":
        return True
    if _ID_PREFIX.match(key):
        return rule.id.startswith(key.upper())
    if key == rule.name:
        return True
    if _GLOB.search(key):
        return fnmatch.fnmatchcase(rule.name, key) or fnmatch.fnmatchcase(rule.id, key.upper())
    return False


def matches_any(rule: NamedRule, keys: Iterable[str]) -> bool:
    return any(matches(rule, key) for key in keys)


def resolve(key: str, rules: Sequence[NamedRule]) -> list[NamedRule]:
    """The rules ``key`` selects, in the order given (empty when it names none)."""
    return [rule for rule in rules if matches(rule, key)]


def unknown_keys(keys: Iterable[str], rules: Sequence[NamedRule]) -> list[str]:
    """The keys that select no rule at all."""
    return [key for key in keys if not resolve(key, rules)]


def find_rule(key: str, rules: Sequence[NamedRule]) -> NamedRule | None:
    """The one rule ``key`` names exactly (an id in any case, or a name), for ``explain``."""
    key = key.strip()
    for rule in rules:
        if key == rule.name or key.upper() == rule.id:
            return rule
    return None


TEXTS = Templates("selector", {
    "unknown-rule": (
        "unknown rule {rule}: not a rule id, id prefix, name or glob (see `kprobelint rules`)"),
})


def unknown_rule(key: str) -> Message:
    """The error for a key that selects no rule."""
    return TEXTS("unknown-rule", rule=repr(key))
