"""The prose of rules and statuses in a language: English from the rule files and the status
catalogue, other languages from the translation files beside them.

A rule file ``rules/<area>/<name>.yaml`` is translated by ``rules/<area>/<name>.<lang>.yaml``::

    id: KPL151                 # the rule it translates (checked)
    source: 3f2a9c1e0b7d       # digest of the English text it translates (see below)
    title: 缺少存活探针          # a short title, which English has no need of (the name is one)
    summary: ...
    why: ...
    fix: ...
    autofix: ...               # what `kprobelint fix` does (the summary under autofix:)
    condition: ...             # a conditional rule's condition, a clause ("前提是" + it)
    params: {consequence: ...} # the prose among the rule's parameters
    examples:                  # descriptions, one entry per English example, null where none
      pass: [null, ...]
      fail: [...]

and the catalogue by ``rules/catalogue.<lang>.yaml``: ``statuses: {Name: {source, meaning,
check, instead, source_note}}``. ``source`` is :func:`digest` of the English fields: when the
English text changes, the test suite says which translations to review (then
``python -m kprobelint.i18n stamp FILE`` records that they were). Files are read once, and
only when a language other than English is asked for.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

from . import DEFAULT, TIGHT, read_yaml, tighten

RULE_FIELDS = ("summary", "why", "fix")
STATUS_FIELDS = ("meaning", "check", "instead", "source_note")


@dataclass(frozen=True, slots=True)
class RuleProse:
    title: str | None
    summary: str
    why: str
    fix: str
    passing: tuple[str, ...]  # example descriptions, "" where none
    failing: tuple[str, ...]
    autofix: str | None = None  # what `kprobelint fix` does, when it fixes the rule
    condition: str | None = None  # what else must go wrong, for a conditional rule
    params: dict[str, str] = field(default_factory=dict)  # prose parameters (consequence...)


@dataclass(frozen=True, slots=True)
class StatusProse:
    meaning: str
    check: str
    instead: str | None
    source_note: str | None


def english_rule(rule: Any) -> RuleProse:
    autofix = getattr(rule, "autofix", None)
    return RuleProse(None, rule.summary, rule.why, rule.fix,
                     tuple(e.description for e in rule.passing),
                     tuple(e.description for e in rule.failing),
                     autofix.summary if autofix is not None else None,
                     getattr(rule, "condition", None), prose_params(rule))


def rule_prose(rule: Any, lang: str) -> RuleProse:
    """``rule``'s prose in ``lang``; English for a rule without a translation (a user's own)."""
    english = english_rule(rule)
    if lang == DEFAULT:
        return english
    data = rule_translations(lang).get(rule.id)
    if data is None:
        return english
    examples = data.get("examples") or {}

    def descriptions(kind: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
        given = examples.get(kind) or ()
        return tuple((given[i] if i < len(given) and given[i] else text).strip()
                     for i, text in enumerate(fallback))

    return RuleProse(
        _text(data.get("title")), _text(data.get("summary")) or english.summary,
        _text(data.get("why")) or english.why, _text(data.get("fix")) or english.fix,
        descriptions("pass", english.passing), descriptions("fail", english.failing),
        (_text(data.get("autofix")) or english.autofix) if english.autofix else None,
        (_text(data.get("condition")) or english.condition) if english.condition else None,
        {name: _text((data.get("params") or {}).get(name)) or text
         for name, text in english.params.items()})


def rule_title(rule_id: str, lang: str) -> str | None:
    """The short title of rule ``rule_id`` in ``lang``, if it has one."""
    if lang == DEFAULT:
        return None
    return _text((rule_translations(lang).get(rule_id) or {}).get("title"))


def rule_field(rule_id: str, name: str, english: str, lang: str) -> str:
    """The translation of rule ``rule_id``'s ``name`` field (``condition``), if ``english`` is
    that field's text in the rule file; else ``english``."""
    from ..ruleset import builtin_rules  # noqa: PLC0415

    rule = next((r for r in builtin_rules() if r.id == rule_id), None)
    if rule is None:
        return english
    if name.startswith("params."):
        key = name[len("params."):]
        if rule.params.get(key) != english:
            return english  # the configuration set its own (English) text
        return rule_prose(rule, lang).params.get(key) or english
    if getattr(rule, name, None) != english:
        return english
    return getattr(rule_prose(rule, lang), name) or english


def prose_params(rule: Any) -> dict[str, str]:
    """The rule's parameters that are prose (its check declares them so), in English."""
    from ..checks import registry  # noqa: PLC0415

    spec = registry().get(rule.check) if getattr(rule, "check", None) else None
    if spec is None:
        return {}
    return {name: value for name, value in rule.params.items()
            if isinstance(value, str) and getattr(spec.params.get(name), "prose", False)}


def status_prose(status: Any, lang: str) -> StatusProse:
    english = StatusProse(status.meaning, status.check, status.instead, status.source_note)
    if lang == DEFAULT:
        return english
    data = status_translations(lang).get(status.name)
    if data is None:
        return english
    return StatusProse(
        _text(data.get("meaning")) or english.meaning, _text(data.get("check")) or english.check,
        _text(data.get("instead")) or english.instead,
        _text(data.get("source_note")) or english.source_note)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


# --------------------------------------------------------------------------- files


def translation_path(rule_file: Path, lang: str) -> Path:
    """``rules/probes/x.yaml`` -> ``rules/probes/x.<lang>.yaml``."""
    return rule_file.with_name(f"{rule_file.stem}.{lang}.yaml")


@functools.cache
def rule_translations(lang: str) -> dict[str, dict[str, Any]]:
    """Every shipped rule translation into ``lang``, by rule id."""
    from ..ruleset import rules_dir  # noqa: PLC0415

    found: dict[str, dict[str, Any]] = {}
    for path in sorted(rules_dir().rglob(f"*.{lang}.yaml")):
        if path.name == f"catalogue.{lang}.yaml":
            continue
        data = _read(path, lang)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = data
    return found


@functools.cache
def status_translations(lang: str) -> dict[str, dict[str, Any]]:
    """Every status translation into ``lang``, by status name."""
    from ..ruleset import rules_dir  # noqa: PLC0415

    path = rules_dir() / f"catalogue.{lang}.yaml"
    if not path.is_file():
        return {}
    data = _read(path, lang)
    statuses = data.get("statuses") if isinstance(data, dict) else None
    return dict(statuses) if isinstance(statuses, dict) else {}


def _read(path: Path, lang: str) -> Any:
    data = read_yaml(path)
    return _tightened(data) if lang in TIGHT else data


def _tightened(data: Any) -> Any:
    if isinstance(data, str):
        return tighten(data)
    if isinstance(data, dict):
        return {key: _tightened(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_tightened(value) for value in data]
    return data


# --------------------------------------------------------------------------- freshness


def digest(texts: list[str | None]) -> str:
    """A short digest of English texts, which a translation records as its ``source``."""
    hashed = hashlib.sha256()
    for text in texts:
        hashed.update(" ".join((text or "").split()).encode("utf-8") + b"\0")
    return hashed.hexdigest()[:12]


def rule_digest(rule: Any) -> str:
    english = english_rule(rule)
    return digest([english.summary, english.why, english.fix, *english.passing,
                   *english.failing, *([english.autofix] if english.autofix else []),
                   *([english.condition] if english.condition else []),
                   *(english.params[name] for name in sorted(english.params))])


def status_digest(status: Any) -> str:
    return digest([getattr(status, name) for name in STATUS_FIELDS])
