"""JSON output: the stable contract described in ``schemas/findings.schema.json``."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

from ..findings import Finding
from ..i18n import render as localize
from . import Report, shown_path

FORMAT_VERSION = 1


def finding_dict(f: Finding, lang: str = "en") -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": f.severity,
        "file": shown_path(f.file),
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "object": None if f.object is None else {
            "kind": f.object.kind, "name": f.object.name, "namespace": f.object.namespace,
        },
        "container": f.container,
        "field": f.field,
        "message": f.text(lang),
        "statuses": list(f.statuses),
        "certainty": f.certainty,
        "condition": f.condition_text(lang),
        "source": None if f.source is None else {
            "file": f.source.file, "line": f.source.line, "path": f.source.path,
        },
        "fix": fix_dict(f, lang),
    }
    if f.failed_rule is not None:
        out["failed_rule"] = f.failed_rule
    return out


def fix_dict(f: Finding, lang: str = "en") -> dict[str, Any] | None:
    """The finding's fix: whether ``kprobelint fix`` applies it, and its exact edits."""
    plan = f.fix_plan
    if plan is None:
        return None
    return {
        "safety": plan.safety,
        "change": localize(plan.change, lang),
        "applicable": plan.applicable,
        "reason": None if plan.blocked is None else localize(plan.blocked, lang),
        "edits": [{"line": e.span.line, "column": e.span.column, "end_line": e.span.end_line,
                   "end_column": e.span.end_column, "content": e.text} for e in plan.edits],
    }


def render(report: Report) -> str:
    return render_json(report.findings, report.stats, report.seconds, report.lang)


def render_json(findings: Sequence[Finding], stats, seconds: float | None = None,
                lang: str = "en") -> str:
    """The report; ``seconds`` only on request (``--timing``), so output is reproducible.
    Messages and skip reasons are in ``lang``; everything else is the same in every language."""
    counts = Counter(f.severity for f in findings)
    document = {
        "version": FORMAT_VERSION,
        "findings": [finding_dict(f, lang) for f in findings],
        "summary": {
            "files": stats.files,
            "documents": stats.documents,
            "objects": stats.objects,
            "without_schema": stats.without_schema,
            "skipped": [{"file": shown_path(path), "reason": localize(reason, lang)}
                        for path, reason in stats.skipped],
            "findings": {s: counts[s] for s in ("error", "warning", "note")},
            "rules": dict(sorted(Counter(f.rule_id for f in findings).items())),
        },
    }
    if seconds is not None:
        document["summary"]["seconds"] = round(seconds, 3)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
