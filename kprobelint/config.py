"""Configuration: ``.kprobelint.yaml`` or ``[tool.kprobelint]`` in pyproject.toml.

Found upward from the first linted path (or given with ``--config``). Validated against
``schemas/config.schema.json``; a mistake is reported with file, line and key (exit code 2).
Command-line options win over the file: ``--select`` replaces, ``--ignore`` adds.
"""
from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .i18n import Message, Templates
from .ownfiles import read_text
from .ruleset import SCHEMA_DIR, Rule
from .selector import find_rule, resolve, unknown_rule
from .typechecking import TYPE_CHECKING
from .versions import parse_version

if TYPE_CHECKING:
    from typing import Any

CONFIG_NAMES = (".kprobelint.yaml", ".kprobelint.yml")

TEXTS = Templates("config", {
    "located": "{where}: {error}",
    "what": "configuration",
    "invalid-toml": "{path}: invalid TOML: {reason}",
    "toml-too-deep": "{path}: invalid TOML: arrays or tables nested too deep",
    "too-deep": "{path}: configuration values nested too deep",
    "second-document": (
        "{where}: a second YAML document; a configuration file holds one (merge them, or remove "
        "the `---`)"),
    "tool-not-table": "{path}: `tool` must be a table, not {actual}",
    "kprobelint-not-table": (
        "{path}: `tool.kprobelint` must be a table ([tool.kprobelint]), not {actual}"),
    "kube-version-number": (
        "{where}: kube-version {written} is read as the number {value}, not a version; quote "
        "it: kube-version: \"{written}\""),
    "invalid-key": "{where}: {key}: {error}",
    "unknown-key": "unknown key {key}",
    "not-one-of": "{value} is not one of {allowed}",
    "wrong-type": "{value} is not of type {expected}",
    "params-one-rule": (
        "{where}: params needs one rule's id or name, and {key} is neither (see `kprobelint "
        "rules`)"),
    "no-such-option": "{where}: rule {rule} has no option {name} (its options: {known})",
    "no-options": "none",
    "option-type": "{where}: params.{key}.{name} must be {expected}, not {actual}",
    "start-time": "{where}: start-times.{key}: {error}",
    "null": "null",
    "top-level": "(top level)",
})


@dataclass
class Config:
    """The configuration file's settings (``.kprobelint.yaml`` or ``[tool.kprobelint]``)."""

    path: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> severity
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> overrides
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    kube_version: str | None = None
    lang: str | None = None  # the language of human text (en, zh); None: the locale's
    complete: bool = False
    fail_on: str | None = None
    start_times: dict[str, float] = field(default_factory=dict)  # timeline: name -> seconds
    crds: tuple[str, ...] = ()  # CRD files or directories, relative to the config file

    @property
    def base(self) -> str:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def ignored_for(self, file: str) -> tuple[str, ...]:
        """Rule ids ignored for ``file`` by ``per-path-ignores`` (globs relative to the config)."""
        if not self.per_path_ignores or file == "-":
            return ()
        relative = Path(os.path.relpath(os.path.abspath(file), self.base)).as_posix()
        ids: list[str] = []
        for pattern, rule_ids in self.per_path_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, f"{pattern}/*"):
                ids.extend(rule_ids)
        return tuple(ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "config-file": self.path, "select": list(self.select), "ignore": list(self.ignore),
            "severity": self.severity, "params": self.params,
            "per-path-ignores": {k: list(v) for k, v in self.per_path_ignores.items()},
            "exclude": list(self.exclude), "kube-version": self.kube_version, "lang": self.lang,
            "complete": self.complete, "fail-on": self.fail_on,
            "start-times": self.start_times, "crds": list(self.crds),
        }


def find_config(paths: list[str]) -> Path | None:
    start = next((p for p in paths if p != "-"), None)
    try:
        directory = Path(start).resolve() if start else Path.cwd().resolve()
        if not directory.is_dir():
            directory = directory.parent
    except (OSError, RuntimeError):  # a symlink loop: search from its directory instead
        directory = Path(os.path.abspath(os.path.dirname(start or ".") or "."))
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and _configures_kprobelint(pyproject):
            return pyproject
    return None


def _configures_kprobelint(pyproject: Path) -> bool:
    """True if the file sets ``tool.kprobelint`` in any TOML spelling (a ``[tool.kprobelint]``
    table, ``[tool]`` with ``kprobelint = ...``, a dotted key): all are configuration, and a
    wrong one must be reported, not skipped. Only files that mention kprobelint are parsed."""
    text = _read(pyproject)
    if "kprobelint" not in text:
        return False
    if "[tool.kprobelint" in text:
        return True
    tool = _toml(pyproject, text).get("tool")
    return isinstance(tool, dict) and "kprobelint" in tool


# A configuration is a few hundred bytes; this bounds what a hostile one can make us read.
MAX_CONFIG_BYTES = 4 * 2**20


def _read(path: Path) -> str:
    return read_text(path, MAX_CONFIG_BYTES, TEXTS("what"))


def _toml(path: Path, text: str) -> dict:
    try:
        import tomllib  # noqa: PLC0415
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # noqa: PLC0415
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(TEXTS("invalid-toml", path=str(path), reason=str(exc))) from exc
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise UsageError(TEXTS("toml-too-deep", path=str(path))) from None


def read_language(path: Path) -> str | None:
    """Only ``lang:`` of the configuration at ``path`` (for ``explain`` and ``rules``, which
    read nothing else of it); None when it has none or cannot be read."""
    from .i18n import LANGUAGES  # noqa: PLC0415

    try:
        text = _read(path)
        data = _from_pyproject(path, text)[0] if path.name == "pyproject.toml" \
            else _from_yaml(path, text)[0]
    except UsageError:
        return None  # reported by the commands that use the configuration
    lang = data.get("lang") if isinstance(data, dict) else None
    return lang if lang in LANGUAGES else None


def load_config(path: Path, rules: tuple[Rule, ...]) -> Config:
    text = _read(path)
    if path.name == "pyproject.toml":
        data, locate_key = _from_pyproject(path, text)
    else:
        data, locate_key = _from_yaml(path, text)
    if data is None:
        return Config(str(path))
    _check_kube_version(data, locate_key)
    try:
        _validate(data, path, locate_key)
        return _build(data, path, locate_key, rules)
    except RecursionError:  # a value nested hundreds deep, within what the parser took
        raise UsageError(TEXTS("too-deep", path=str(path))) from None


def _check_kube_version(data: Any, locate_key) -> None:
    """``kube-version: 1.30`` unquoted is the number 1.3 to YAML and TOML: say so."""
    if not isinstance(data, dict) or "kube-version" not in data:
        return
    value = data["kube-version"]
    where = locate_key(("kube-version",))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        written = _written(data, "kube-version") or repr(value)
        raise UsageError(TEXTS("kube-version-number", where=where, written=written,
                               value=repr(value)))
    if isinstance(value, str):
        try:
            parse_version(value)  # an unknown version is an error here, not at the first lint
        except UsageError as exc:
            raise UsageError(TEXTS("located", where=where, error=exc.message)) from None


def _written(data: Any, key: str) -> str | None:
    """The scalar as written in a YAML file (its node keeps the text), else None."""
    node = getattr(data, "node", None)
    if node is None:
        return None
    from .load import find_pair  # noqa: PLC0415

    pair = find_pair(node, key)
    return str(pair[1].value) if pair else None


def _from_yaml(path: Path, text: str):
    from .load import load_text, locate  # noqa: PLC0415

    loaded = load_text(str(path), text, manifest=False)
    if loaded.problems:
        problem = loaded.problems[0]
        raise UsageError(TEXTS("located", where=f"{path}:{problem.span.line}:"
                                                f"{problem.span.column}", error=problem.text))
    if len(loaded.documents) > 1:  # the rest would be ignored without a word
        second = loaded.documents[1].start_line
        raise UsageError(TEXTS("second-document", where=f"{path}:{second}:1"))
    if not loaded.documents:
        return None, None
    root = loaded.documents[0].data

    def locate_key(keys: tuple) -> str:
        span = locate(root, keys, on_key=True)
        return f"{path}:{span.line}:{span.column}"

    return root, locate_key


def _from_pyproject(path: Path, text: str):
    tool = _toml(path, text).get("tool", {})
    if not isinstance(tool, dict):
        raise UsageError(TEXTS("tool-not-table", path=str(path), actual=_type_name(tool)))
    data = tool.get("kprobelint")
    if data is not None and not isinstance(data, dict):
        raise UsageError(TEXTS("kprobelint-not-table", path=str(path), actual=_type_name(data)))
    lines = text.splitlines()

    def locate_key(keys: tuple) -> str:
        # tomllib keeps no positions: find the key's line inside the [tool.kprobelint] tables.
        names = [k for k in keys if isinstance(k, str)]
        start = next((i for i, line in enumerate(lines)
                      if line.strip().startswith("[tool.kprobelint")), 0)
        for name in reversed(names):
            for i in range(start, len(lines)):
                stripped = lines[i].strip()
                if stripped.startswith((f"{name} ", f"{name}=", f'"{name}"')):
                    return f"{path}:{i + 1}:{lines[i].index(stripped[0]) + 1}"
        return f"{path}:{start + 1}:1"

    return data, locate_key


def _validate(data: Any, path: Path, locate_key) -> None:
    import jsonschema  # noqa: PLC0415  (only when a configuration file exists)

    schema = json.loads((SCHEMA_DIR / "config.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        keys = tuple(error.absolute_path)
        message: Message | str = error.message  # jsonschema's own words, in English
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            keys = keys + (extra[0],) if extra else keys
            if extra:
                message = TEXTS("unknown-key", key=repr(extra[0]))
        elif error.validator == "type":
            types = error.validator_value
            types = types if isinstance(types, list) else [types]
            message = TEXTS("wrong-type", value=repr(error.instance),
                            expected=", ".join(map(repr, types)))
        elif error.validator == "enum":
            message = TEXTS("not-one-of", value=repr(error.instance),
                            allowed=", ".join(map(repr, error.validator_value)))
        label = ".".join(str(k) for k in keys) or TEXTS("top-level")
        raise UsageError(TEXTS("invalid-key", where=locate_key(keys), key=label, error=message))


def _type_name(value: Any) -> Message | str:
    if value is None:
        return TEXTS("null")
    from .checks import type_text  # noqa: PLC0415  (loaded already: params were checked)

    return type_text(type(value))


def rule_options(rule: Rule) -> dict:
    """The parameters of ``rule`` a user may set (see :class:`kprobelint.checks.Param`)."""
    if rule.check is None:
        return {}
    from .checks import registry  # noqa: PLC0415  (only when a configuration sets params)

    spec = registry().get(rule.check)
    return spec.options() if spec else {}


def _build(data: dict, path: Path, locate_key, rules: tuple[Rule, ...]) -> Config:
    def rule_ids(key: str, where: tuple) -> list[str]:
        """Every rule ``key`` selects (an id, prefix, name or glob, as on the command line)."""
        selected = [rule.id for rule in resolve(key, rules)]
        if not selected:
            raise UsageError(TEXTS("located", where=locate_key(where), error=unknown_rule(key)))
        return selected

    def patterns(key: str) -> tuple[str, ...]:
        values = tuple(data.get(key) or ())
        for i, value in enumerate(values):
            rule_ids(value, (key, i))
        return values

    params: dict[str, dict[str, Any]] = {}
    for key, overrides in (data.get("params") or {}).items():
        # Parameters belong to one rule: a prefix or glob would set them on rules without them.
        rule = find_rule(key, rules)
        if rule is None:
            raise UsageError(TEXTS("params-one-rule", where=locate_key(("params", key)),
                                   key=repr(key)))
        rid = rule.id
        options = rule_options(rule)
        for name, value in overrides.items():
            where = locate_key(("params", key, name))
            if name not in options:
                known = ", ".join(sorted(options)) or TEXTS("no-options")
                raise UsageError(TEXTS("no-such-option", where=where, rule=rid, name=repr(name),
                                       known=known))
            if not options[name].accepts(value):
                raise UsageError(TEXTS("option-type", where=where, key=key, name=name,
                                       expected=options[name].type_text,
                                       actual=_type_name(value)))
        params[rid] = dict(overrides)
    return Config(
        path=str(path),
        select=patterns("select"),
        ignore=patterns("ignore"),
        severity={rid: v for k, v in (data.get("severity") or {}).items()
                  for rid in rule_ids(k, ("severity", k))},
        params=params,
        per_path_ignores={
            glob: tuple(rid for k in keys for rid in rule_ids(k, ("per-path-ignores", glob)))
            for glob, keys in (data.get("per-path-ignores") or {}).items()
        },
        exclude=tuple(data.get("exclude") or ()),
        kube_version=data.get("kube-version"),
        lang=data.get("lang"),
        complete=bool(data.get("complete", False)),
        fail_on=data.get("fail-on"),
        start_times=_start_times(data, locate_key),
        crds=tuple(data.get("crds") or ()),
    )


def _start_times(data: dict, locate_key) -> dict[str, float]:
    """``start-times``: container name (or ``object/container``) -> seconds, for the timeline."""
    entries = data.get("start-times") or {}
    if not entries:
        return {}
    from .timeline.durations import DurationError, parse_duration  # noqa: PLC0415

    times = {}
    for key, value in entries.items():
        try:
            times[str(key)] = parse_duration(value)
        except DurationError as exc:
            raise UsageError(TEXTS("start-time", where=locate_key(("start-times", key)),
                                   key=key, error=exc.message)) from exc
    return times
