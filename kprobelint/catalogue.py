"""The Pod status catalogue: ``rules/catalogue.yaml`` loaded into :class:`Status` objects.

Every finding names the statuses its mistake leads to at run time; this module says what each
of them means, where it shows up (phase, condition, waiting reason, event, ...), what a user
should check, and whether a manifest can cause it at all.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .ruleset import rules_dir

CATALOGUE_FILE = "catalogue.yaml"

STAGES = frozenset(
    {
        "phase",
        "condition",
        "condition-reason",
        "waiting-reason",
        "terminated-reason",
        "display",
        "event",
        "api",
        "service",
    }
)


@dataclass(frozen=True, slots=True)
class Status:
    name: str
    aliases: tuple[str, ...]
    stage: str
    meaning: str
    check: str
    manifest_can_cause: bool
    instead: str | None
    source_note: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


@functools.cache
def load_catalogue() -> dict[str, Status]:
    """Every status of the shipped catalogue, keyed by canonical name, in file order."""
    from .load import load_plain  # noqa: PLC0415  (lazy: only when the catalogue is needed)

    path = rules_dir() / CATALOGUE_FILE
    try:
        data = load_plain(path.read_text(encoding="utf-8"))
    except Exception as exc:  # a broken catalogue must be a clear error, not a traceback
        raise UsageError(f"{path}: cannot read the status catalogue: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("statuses"), list):
        raise UsageError(f"{path}: the catalogue must be a mapping with a 'statuses' list")

    catalogue: dict[str, Status] = {}
    seen: dict[str, str] = {}
    for index, entry in enumerate(data["statuses"]):
        status = _parse_status(entry, f"{path}: statuses[{index}]")
        for key in status.names:
            folded = key.casefold()
            if folded in seen:
                raise UsageError(f"{path}: {key!r} is already used by {seen[folded]!r}")
            seen[folded] = status.name
        catalogue[status.name] = status
    return catalogue


def find_status(name: str) -> Status | None:
    """The status called ``name`` or having it as an alias, ignoring case; None if unknown."""
    return _index().get(name.strip().casefold())


@functools.cache
def _index() -> dict[str, Status]:
    return {key.casefold(): s for s in load_catalogue().values() for key in s.names}


def _parse_status(entry: Any, where: str) -> Status:
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: an entry must be a mapping")
    try:
        name = _text(entry, "name", where)
        stage = _text(entry, "stage", where)
        meaning = _text(entry, "meaning", where)
        check = _text(entry, "check", where)
        can_cause = entry["manifest_can_cause"]
    except KeyError as exc:
        raise UsageError(f"{where}: missing field {exc}") from exc
    if stage not in STAGES:
        raise UsageError(f"{where} ({name}): unknown stage {stage!r}")
    if not isinstance(can_cause, bool):
        raise UsageError(f"{where} ({name}): manifest_can_cause must be true or false")
    aliases = entry.get("aliases") or ()
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) for a in aliases):
        raise UsageError(f"{where} ({name}): aliases must be a list of names")
    instead = _optional_text(entry, "instead", where)
    if not can_cause and instead is None:
        raise UsageError(f"{where} ({name}): a status no manifest causes needs 'instead'")
    return Status(
        name=name,
        aliases=tuple(aliases),
        stage=stage,
        meaning=meaning,
        check=check,
        manifest_can_cause=can_cause,
        instead=instead,
        source_note=_optional_text(entry, "source_note", where),
    )


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: {key} must be non-empty text")
    return value.strip()


def _optional_text(entry: dict[str, Any], key: str, where: str) -> str | None:
    if entry.get(key) is None:
        return None
    return _text(entry, key, where)
