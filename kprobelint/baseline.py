"""Baselines: record today's findings, then report only new ones.

A finding is identified without its line (lines shift with every edit): rule, file, object,
container and field. Several identical identities are counted, so fixing one of two equal
findings does not hide a new third one.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from .errors import UsageError
from .findings import Finding

BASELINE_VERSION = 1


def identity(finding: Finding) -> str:
    obj = finding.object
    parts = [
        finding.rule_id,
        Path(finding.file).as_posix(),
        f"{obj.kind}/{obj.namespace or ''}/{obj.name}" if obj else "",
        finding.container or "",
        finding.field or ("" if obj else finding.message),
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    findings = list(findings)
    counts = Counter(identity(f) for f in findings)
    entries = sorted(
        {identity(f): {"rule": f.rule_id, "file": Path(f.file).as_posix(),
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


def read_baseline(path: str) -> Counter:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return Counter({e["fingerprint"]: int(e["count"]) for e in document["findings"]})
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not a kprobelint baseline: {exc}") from exc


def new_findings(findings: list[Finding], known: Counter) -> list[Finding]:
    remaining = Counter(known)
    fresh = []
    for finding in findings:
        key = identity(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh
