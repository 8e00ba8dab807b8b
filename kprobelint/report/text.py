"""Text output for people: ``path:line:col: severity KPL### message``, then a summary line."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..findings import Finding
from . import printable

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[1;36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def render_text(findings: Sequence[Finding], stats, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines: list[str] = []
    for f in findings:
        where = f"{printable(f.file)}:{f.span.line}:{f.span.column}:"
        severity = paint(_COLOURS[f.severity], f.severity)
        head = f"{paint(_BOLD, where)} {severity} {f.rule_id} {printable(f.message)}"
        lines.append(head)
        context = []
        if f.object is not None:
            context.append(f.object.label())
        if f.container:
            context.append(f"container {f.container}")
        if f.statuses:
            context.append("leads to " + ", ".join(f.statuses))
        if f.source is not None:
            line = f":{f.source.line}" if f.source.line else ""
            context.append(f"from {f.source.file}{line}")
        if context:
            lines.append("    " + paint(_DIM, printable(" | ".join(context))))
    lines.append(summary_line(findings, stats))
    return "\n".join(lines) + "\n"


def summary_line(findings: Sequence[Finding], stats) -> str:
    counts = Counter(f.severity for f in findings)
    objects = f"{stats.objects} object{'s' if stats.objects != 1 else ''}"
    files = f"{stats.files} file{'s' if stats.files != 1 else ''}"
    if stats.skipped:
        files += f", {len(stats.skipped)} skipped"
    if not findings:
        return f"No problems found in {objects} ({files})."
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
             for s in ("error", "warning", "note") if counts[s]]
    total = len(findings)
    return (f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
            f"in {objects} ({files}).")
