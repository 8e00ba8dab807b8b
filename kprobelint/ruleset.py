"""The rule catalogue: rule files under ``rules/`` loaded into :class:`Rule` objects.

Rule files are data (id, name, severity, statuses, prose, examples, the check they use and
its parameters). They are validated against ``schemas/rule.schema.json``; that validation
imports jsonschema (about 100 ms), so the built-in files are validated by the test suite and
only a user's own rule directory is validated at run time.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = PACKAGE_DIR / "schemas"


def rules_dir() -> Path:
    """The shipped rule folder: inside the wheel, or the repo's top-level ``rules/``."""
    installed = PACKAGE_DIR / "rules"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "rules"


@dataclass(frozen=True, slots=True)
class Example:
    yaml: str
    description: str = ""
    line: int | None = None  # where the finding must point, when the example says
    kube_version: str | None = None
    also_select: tuple[str, ...] = ()  # other rules the example needs (suppression rules)
    fixed: str | None = None  # the example after `kprobelint fix --unsafe-fixes`


@dataclass(frozen=True, slots=True)
class AutoFix:
    """A rule's automatic fix, as its file declares it (``autofix:``)."""

    safety: str  # "safe": applied by default; "unsafe": only with --unsafe-fixes
    summary: str  # what it changes (and, when unsafe, what it assumes)


@dataclass(slots=True)
class Rule:
    id: str
    name: str
    severity: str
    statuses: tuple[str, ...]
    summary: str
    why: str
    fix: str
    area: str
    check: str | None = None
    scope: str = "container"
    params: dict[str, Any] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    min_kube_version: str | None = None
    max_kube_version: str | None = None
    enabled: bool = True
    autofix: AutoFix | None = None
    passing: tuple[Example, ...] = ()
    failing: tuple[Example, ...] = ()
    path: str = ""

    @property
    def help_uri(self) -> str:
        return f"https://github.com/kprobelint/kprobelint/blob/main/docs/rules.md#{self.id.lower()}"


def parse_rule(data: dict[str, Any], path: str) -> Rule:
    examples = data.get("examples") or {}
    return Rule(
        id=data["id"],
        name=data["name"],
        severity=data["severity"],
        statuses=tuple(data.get("statuses") or ()),
        summary=data["summary"].strip(),
        why=data["why"].strip(),
        fix=data["fix"].strip(),
        area=data.get("area") or Path(path).parent.name,
        check=data.get("check"),
        scope=data.get("scope", "container"),
        params=dict(data.get("params") or {}),
        references=tuple(data.get("references") or ()),
        min_kube_version=_version_text(data.get("min_kube_version")),
        max_kube_version=_version_text(data.get("max_kube_version")),
        enabled=data.get("enabled", True),
        autofix=_autofix(data.get("autofix")),
        passing=tuple(_example(e) for e in examples.get("pass") or ()),
        failing=tuple(_example(e) for e in examples.get("fail") or ()),
        path=path,
    )


def _version_text(value: Any) -> str | None:
    # A YAML author writes 1.30 unquoted and YAML reads it as the float 1.3.
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _autofix(entry: Any) -> AutoFix | None:
    if entry is None:
        return None
    return AutoFix(entry["safety"], " ".join(entry["summary"].split()))


def _example(entry: Any) -> Example:
    if isinstance(entry, str):
        return Example(entry)
    return Example(entry["yaml"], entry.get("description", ""), entry.get("line"),
                   entry.get("kube_version"), tuple(entry.get("also_select") or ()),
                   entry.get("fixed"))


def rule_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.rglob("*.yaml") if p.name != "catalogue.yaml" and p.is_file()
    )


def read_rule_file(path: Path) -> dict[str, Any]:
    from .load import load_plain  # noqa: PLC0415  (lazy: only when rule files are read)

    try:
        data = load_plain(path.read_text(encoding="utf-8"))
    except Exception as exc:  # a broken rule file must be a clear error, not a traceback
        raise UsageError(f"{path}: cannot read rule file: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a rule file must be a mapping")
    return data


def validate_rule_data(data: dict[str, Any], path: Path) -> None:
    import jsonschema  # noqa: PLC0415  (100 ms: only when validation is asked for)

    validator = jsonschema.Draft202012Validator(rule_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise UsageError(f"{path}: invalid rule file at {where}: {err.message}")


@functools.cache
def rule_schema() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "rule.schema.json").read_text(encoding="utf-8"))


def load_rules(directory: Path | None = None, validate: bool = False) -> list[Rule]:
    """Every rule in ``directory`` (default: the shipped rules), sorted by id."""
    directory = directory or rules_dir()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in rule_files(directory):
        data = read_rule_file(path)
        if validate:
            validate_rule_data(data, path)
        rel = str(path.relative_to(directory))
        try:
            rule = parse_rule(data, rel)
        except (KeyError, TypeError) as exc:
            raise UsageError(f"{path}: invalid rule file: missing or wrong field {exc}") from exc
        for key in (rule.id, rule.name):
            if key in seen:
                raise UsageError(f"{path}: {key} is already used by {seen[key]}")
            seen[key] = rel
        rules.append(rule)
    rules.sort(key=lambda r: r.id)
    return rules


@functools.cache
def builtin_rules() -> tuple[Rule, ...]:
    """The shipped rules, read from a cache when the rule files have not changed.

    Parsing and validating ~80 rule files costs more than linting a typical file; a
    pre-commit hook runs on every commit, so the parsed catalogue is pickled under the user's
    cache directory, keyed by the version and every rule file's size and mtime. Any cache
    problem is ignored.
    """
    directory = rules_dir()
    cache = _cache_path(directory)
    if cache is not None:
        try:
            with open(cache, "rb") as handle:
                return tuple(pickle.load(handle))
        except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
            pass
    # Validated against the schema whenever the files are read (so a broken rule file is a
    # clear error), which the cache limits to the first run after they change.
    rules = tuple(load_rules(directory, validate=True))
    if cache is not None:
        _write_cache(cache, rules)
    return rules


def _cache_path(directory: Path) -> Path | None:
    if os.environ.get("KPROBELINT_NO_CACHE"):
        return None
    base = os.environ.get("KPROBELINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kprobelint")
    digest = hashlib.sha256(__version__.encode())
    digest.update(str(directory).encode())
    try:
        for path in rule_files(directory):
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    except OSError:
        return None
    return Path(base) / f"rules-{digest.hexdigest()[:24]}.pickle"


def _write_cache(cache: Path, rules: tuple[Rule, ...]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(list(rules), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
        for old in cache.parent.glob("rules-*.pickle"):  # earlier versions of the rule files
            if old != cache:
                old.unlink(missing_ok=True)
    except OSError:
        pass

