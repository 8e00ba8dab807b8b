"""The rule catalogue: rule files under ``rules/`` loaded into :class:`Rule` objects.

Rule files are data (id, name, severity, statuses, prose, examples, the check they use and
its parameters). They are validated against ``schemas/rule.schema.json`` when they are read;
the shipped catalogue is read from its compiled form (:func:`builtin_rules`), so a run pays
neither the YAML nor jsonschema (about 100 ms to import).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .lazyregex import LazyPattern
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

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
    """A rule's passing or failing example, which the tests lint."""

    yaml: str
    description: str = ""
    line: int | None = None  # where the finding must point, when the example says
    kube_version: str | None = None
    also_select: tuple[str, ...] = ()  # other rules the example needs (suppression rules)
    fixed: str | None = None  # the example after `kprobelint fix --unsafe-fixes`
    complete: bool = False  # linted with --complete (the input is the whole application)
    encoding: str | None = None  # how the text is saved when not UTF-8 (a bad-bytes example)

    @property
    def data(self) -> bytes:
        """The example's bytes, as a file holding it would have them."""
        return self.yaml.encode(self.encoding or "utf-8")


@dataclass(frozen=True, slots=True)
class AutoFix:
    """A rule's automatic fix, as its file declares it (``autofix:``)."""

    safety: str  # "safe": applied by default; "unsafe": only with --unsafe-fixes
    summary: str  # what it changes (and, when unsafe, what it assumes)


@dataclass(slots=True)
class Rule:
    """A rule of the catalogue, as its file under ``rules/`` declares it."""

    id: str
    name: str
    severity: str
    statuses: tuple[str, ...]
    summary: str
    why: str
    fix: str
    area: str
    # "certain": the predicted outcome always follows; "conditional": only if ``condition``
    certainty: str = "certain"
    condition: str | None = None
    check: str | None = None
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
        certainty=data["certainty"],
        condition=_optional_text(data.get("condition")),
        check=data.get("check"),
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


def _optional_text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


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
                   entry.get("fixed"), entry.get("complete") is True, entry.get("encoding"))


def rule_files(directory: Path) -> list[Path]:
    """The rule files under ``directory``: not the status catalogue, not translations
    (os.walk: a few times faster than Path.rglob)."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        found.extend(Path(root, name) for name in files
                     if name.endswith(".yaml") and name != "catalogue.yaml"
                     and not is_translation(Path(name)))
    return sorted(path for path in found if path.is_file())


def is_translation(path: Path) -> bool:
    """``web.zh.yaml`` (a translation of ``web.yaml``, see :mod:`kprobelint.i18n`)."""
    return TRANSLATION_SUFFIX.search(path.name) is not None


TRANSLATION_SUFFIX = LazyPattern(r"\.[a-z]{2}\.yaml\Z")


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
    """The shipped rules: from the compiled catalogue when it matches the rule files.

    Reading and validating ~80 rule files costs several times a one-file lint, which a
    pre-commit hook pays on every commit. The catalogue is therefore compiled at development
    time into plain JSON inside the package (:data:`COMPILED`, kept fresh by a test, written
    by ``python -m kprobelint.ruleset``). An installed package uses it as it is; in a source
    checkout it is used when the digest of the rule files it was compiled from matches
    theirs (a millisecond). Otherwise (an edited rule file, a missing or unreadable compiled
    file) the rule files are read and validated. Nothing is written at run time and nothing
    is read from the user's home: no cache to poison, to lose or to share between installs.
    """
    directory = rules_dir()
    if directory.parent == PACKAGE_DIR:  # installed: compiled from these very files
        compiled = read_compiled(None)
    else:  # a source checkout, where rule files are edited: check the compiled digest
        compiled = read_compiled(rules_digest(directory))
    if compiled is not None:
        return compiled
    return tuple(load_rules(directory, validate=True))


COMPILED = PACKAGE_DIR / "compiled_rules.json"
COMPILED_FORMAT = 1


def rules_digest(directory: Path) -> str:
    """SHA-256 of every rule file's path and bytes (an edit anywhere changes it)."""
    import hashlib  # noqa: PLC0415  (with OpenSSL: a source checkout's cost, not a user's)

    digest = hashlib.sha256()
    try:
        for path in rule_files(directory):
            data = path.read_bytes()
            digest.update(f"{path.relative_to(directory).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return ""  # matches no compiled catalogue: the files are read (and the error shown)
    return digest.hexdigest()


def compiled_catalogue(rules: tuple[Rule, ...] | list[Rule], digest: str) -> str:
    """The JSON text of :data:`COMPILED` for ``rules`` read from files with ``digest``."""
    head = json.dumps({"format": COMPILED_FORMAT, "digest": digest})[:-1]
    lines = (json.dumps(dataclasses.asdict(rule), ensure_ascii=False, sort_keys=True)
             for rule in rules)
    return head + ', "rules": [\n' + ",\n".join(lines) + "\n]}\n"  # a rule a line: diffable


def read_compiled(digest: str | None, path: Path = COMPILED) -> tuple[Rule, ...] | None:
    """The compiled rules if ``path`` holds a catalogue compiled from files with ``digest``
    (any digest for None); None for anything else (absent, unreadable, another format or
    digest, malformed). It is JSON: nothing in it is ever executed."""
    if digest == "":
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != COMPILED_FORMAT or \
                digest is not None and document.get("digest") != digest:
            return None
        return tuple(_rule_from_data(data) for data in document["rules"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _rule_from_data(data: dict[str, Any]) -> Rule:
    def examples(entries: list[dict[str, Any]]) -> tuple[Example, ...]:
        return tuple(Example(**{**e, "also_select": tuple(e["also_select"])}) for e in entries)

    autofix = data["autofix"]
    return Rule(**{**data, "statuses": tuple(data["statuses"]),
                   "references": tuple(data["references"]),
                   "autofix": AutoFix(**autofix) if autofix is not None else None,
                   "passing": examples(data["passing"]), "failing": examples(data["failing"])})


def write_compiled(path: Path = COMPILED) -> None:
    """Compile the shipped rule files into ``path`` (development time; atomic)."""
    directory = rules_dir()
    text = compiled_catalogue(load_rules(directory, validate=True), rules_digest(directory))
    write_atomically(path, text)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a new temporary file beside it, then rename it.

    The temporary file is created exclusively and never through a symbolic link, so a link
    planted under its name cannot redirect the write; the rename replaces ``path`` itself
    (a link there is replaced, not followed). Readers see the old file or the new one.
    """

    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


if __name__ == "__main__":  # python -m kprobelint.ruleset: recompile after editing rules/
    write_compiled()
    print(f"wrote {COMPILED}")
