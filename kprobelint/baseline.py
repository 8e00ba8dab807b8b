"""Baselines: record today's findings, then report only new ones.

A finding is identified without its line (lines shift with every edit): rule, file, object,
container and field. Several identical identities are counted, so fixing one of two equal
findings does not hide a new third one.

Files are recorded relative to the baseline file's own directory (version 2), so one
baseline serves pre-commit at the repository root, CI, and a developer running
``kprobelint --baseline ../bl.json .`` in a subdirectory. Version 1 baselines recorded
paths as they were given on the command line; they are still read, matched that way.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from .errors import UsageError
from .findings import Finding
from .i18n import Templates
from .ownfiles import read_text
from .ruleset import SCHEMA_DIR

TEXTS = Templates("baseline", {
    "cannot-write": "cannot write baseline {path}: {reason}",
    "not-a-baseline": "{path} is not a kprobelint baseline: {reason}",
    "invalid-json": "invalid JSON: {error}",
    "too-deep": "JSON nested too deep",
    "at": "at {where}: {error}",
    "top-level": "(top level)",
    "version": (
        "{path}: baseline version {version} is not supported (this kprobelint reads versions "
        "1 and 2, and writes version {current})"),
    "what": "baseline",
})

BASELINE_VERSION = 2
STDIN = "-"


def recorded_path(file: str, baseline: str | None) -> str:
    """``file`` as a baseline records it: relative to the baseline's directory, with ``/``."""
    if baseline is None or file == STDIN:
        return Path(file).as_posix()
    base = os.path.dirname(os.path.abspath(baseline))
    try:
        return Path(os.path.relpath(os.path.abspath(file), base)).as_posix()
    except ValueError:  # Windows: another drive has no relative path
        return Path(os.path.abspath(file)).as_posix()


def identity(finding: Finding, baseline: str | None = None) -> str:
    """The finding's identity; ``baseline`` (its path) makes the file relative to it."""
    obj = finding.object
    parts = [
        finding.rule_id,
        recorded_path(finding.file, baseline),
        f"{obj.kind}/{obj.namespace or ''}/{obj.name}" if obj else "",
        finding.container or "",
        finding.field or ("" if obj else finding.message),
    ]
    # surrogateescape: a file name that is not UTF-8 hashes as its bytes.
    return hashlib.sha256("|".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    findings = list(findings)
    counts = Counter(identity(f, path) for f in findings)
    entries = sorted(
        {identity(f, path): {"rule": f.rule_id, "file": recorded_path(f.file, path),
                       "object": f.object.label() if f.object else None,
                       "container": f.container, "field": f.field} for f in findings}.items()
    )
    document = {
        "version": BASELINE_VERSION,
        "findings": [{"fingerprint": fp, "count": counts[fp], **info} for fp, info in entries],
    }
    try:
        Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(TEXTS("cannot-write", path=path, reason=exc.strerror or str(exc))
                         ) from exc
    return len(findings)


# A baseline of a million findings is about 300 MB; this bounds what a hostile one can cost.
MAX_BASELINE_BYTES = 512 * 2**20
SUPPORTED_VERSIONS = (1, 2)  # 1: files relative to the working directory


def read_baseline(path: str) -> tuple[int, Counter]:
    """The baseline's version and its fingerprint counts, validated against
    ``schemas/baseline.schema.json``.

    Anything else (another version, a negative, fractional or huge count, a wrong type,
    nesting too deep to parse) is a :class:`UsageError` saying what is wrong, and where.
    """
    text = read_text(path, MAX_BASELINE_BYTES, TEXTS("what"))
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise UsageError(TEXTS("not-a-baseline", path=path,
                               reason=TEXTS("invalid-json", error=str(exc)))) from exc
    except RecursionError:  # the C decoder recurses once per level: fails fast, not slowly
        raise UsageError(TEXTS("not-a-baseline", path=path,
                               reason=TEXTS("too-deep"))) from None
    _validate(document, path)
    return document["version"], Counter({e["fingerprint"]: int(e["count"])
                                         for e in document["findings"]})


def _validate(document: object, path: str) -> None:
    import jsonschema  # noqa: PLC0415  (only with --baseline)

    if isinstance(document, dict) and "version" in document \
            and document["version"] not in SUPPORTED_VERSIONS:
        raise UsageError(TEXTS("version", path=path, version=repr(document["version"]),
                               current=BASELINE_VERSION))
    schema = json.loads((SCHEMA_DIR / "baseline.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    error = min(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)),
                default=None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or TEXTS("top-level")
        raise UsageError(TEXTS("not-a-baseline", path=path, reason=TEXTS(
            "at", where=where, error=_shorten(error.message))))


def _shorten(message: str, limit: int = 200) -> str:
    # jsonschema quotes the whole offending value: a huge one must not flood the terminal.
    return message if len(message) <= limit else message[: limit - 1] + "…"


def new_findings(findings: list[Finding], baseline: tuple[int, Counter],
                 path: str) -> list[Finding]:
    """The findings the baseline at ``path`` (as :func:`read_baseline` read it) lacks."""
    version, known = baseline
    relative_to = path if version >= 2 else None
    remaining = Counter(known)
    fresh = []
    for finding in findings:
        key = identity(finding, relative_to)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh
