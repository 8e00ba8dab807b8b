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
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(findings)


def read_baseline(path: str) -> tuple[int, Counter]:
    """The baseline's version and its fingerprint counts."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        version = document.get("version", 1)
        return version, Counter({e["fingerprint"]: int(e["count"])
                                 for e in document["findings"]})
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not a kprobelint baseline: {exc}") from exc


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
