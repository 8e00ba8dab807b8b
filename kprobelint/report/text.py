"""Text output for people: ``path:line:col: severity KPL### message``, the source line with a
caret under the offending text, the object and what it leads to, then a summary line."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..findings import Finding
from ..i18n import DEFAULT, Items, Templates
from ..i18n import render as localize
from . import Report, fix_note, fixable_summary, printable, shown_path
from .source import read_lines, snippet

TEXTS = Templates("report", {
    "from": "from {source}",
    "summary-clean": "No problems found ({checked}).",
    "summary-found": "Found {problems} ({severities}) in {files} ({checked}).",
    "checked": "checked {files}, {objects}",
    "checked-without-schema": (
        "checked {files}, {objects} ({without_schema} without a known schema, not validated)"),
    "checked-skipped": "{checked}; {skipped} skipped",
    "this-batch": "this batch: {checked}",
    "files-one": "1 file",
    "files-other": "{count} files",
    "objects-one": "1 object",
    "objects-other": "{count} objects",
    "problems-one": "1 problem",
    "problems-other": "{count} problems",
    "error-one": "1 error",
    "error-other": "{count} errors",
    "warning-one": "1 warning",
    "warning-other": "{count} warnings",
    "note-one": "1 note",
    "note-other": "{count} notes",
    "timed": "{line} ({seconds}s)",
})

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[1;36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def render(report: Report) -> str:
    if report.statistics:
        return render_statistics(report.findings)
    text = render_text(report.findings, report.stats, colour=report.colour,
                       show_source=report.show_source, inline=report.inline_texts,
                       summary=not report.quiet, batch=report.batch, lang=report.lang)
    if report.seconds is not None and not report.quiet:  # on the summary line
        body, _, last = text.rstrip("\n").rpartition("\n")
        last = localize(TEXTS("timed", line=last, seconds=f"{report.seconds:.2f}"), report.lang)
        text = f"{body}\n{last}\n" if body else f"{last}\n"
    return text


def render_text(findings: Sequence[Finding], stats, colour: bool = False,
                show_source: bool = False, inline: Mapping[str, str] | None = None,
                summary: bool = True, batch: bool = False, lang: str = DEFAULT) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    sources = _source_lines(findings, inline) if show_source else {}
    lines: list[str] = []
    for f in findings:
        where = f"{printable(shown_path(f.file))}:{f.span.line}:{f.span.column}:"
        severity = paint(_COLOURS[f.severity], f.severity)
        lines.append(f"{paint(_BOLD, where)} {severity} {f.rule_id} {printable(f.text(lang))}")
        source = sources.get((f.file, f.span.line))
        if source is not None:
            end = f.span.end_column if f.span.end_line == f.span.line else None
            shown, caret = snippet(printable(source), f.span.column, end)
            gutter = " " * len(str(f.span.line))
            lines.append(paint(_DIM, f"{gutter} |"))
            lines.append(paint(_DIM, f"{f.span.line} |") + f" {shown}")
            lines.append(paint(_DIM, f"{gutter} |") + " " + paint(_COLOURS[f.severity], caret))
        context = _context(f, lang)
        if context:
            lines.append("    " + paint(_DIM, printable(" | ".join(context))))
    if summary:
        lines.append(summary_line(findings, stats, batch, lang))
        fixable = fixable_summary(findings, lang)
        if fixable:
            lines.append(fixable)
    return "\n".join(lines) + "\n" if lines else ""


def _context(f: Finding, lang: str = DEFAULT) -> list[str]:
    """What the finding is about and leads to: ``Deployment web | container web | leads to
    CrashLoopBackOff | from chart/templates/web.yaml:12``."""
    where = f.where()
    context = [localize(part, lang) for part in where.values] if where is not None else []
    outcome = f.outcome()
    if outcome is not None:
        context.append(localize(outcome, lang))
    if f.source is not None:
        context.append(localize(TEXTS("from", source=f.source.label()), lang))
    note = fix_note(f, lang)
    if note:
        context.append(note)
    return context


def _source_lines(findings: Sequence[Finding],
                  inline: Mapping[str, str] | None) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        wanted[f.file].add(f.span.line)
    found: dict[tuple[str, int], str] = {}
    for path, numbers in wanted.items():
        for number, line in read_lines(path, numbers, inline).items():
            found[(path, number)] = line
    return found


def _count(count: int, word: str):
    """``1 file``, ``3 files`` (each language says it its own way)."""
    return TEXTS(f"{word}-{'one' if count == 1 else 'other'}", count=count)


def summary_line(findings: Sequence[Finding], stats, batch: bool = False,
                 lang: str = DEFAULT) -> str:
    """One line that says what this run checked and found.

    It never claims more than this process saw: pre-commit runs several processes on parts
    of the staged files (``batch``), and each one's line speaks for its own part only.
    """
    files, objects = _count(stats.files - len(stats.skipped), "files"), \
        _count(stats.objects, "objects")
    checked = (TEXTS("checked-without-schema", files=files, objects=objects,
                     without_schema=stats.without_schema) if stats.without_schema
               else TEXTS("checked", files=files, objects=objects))
    if stats.skipped:
        checked = TEXTS("checked-skipped", checked=checked,
                        skipped=_count(len(stats.skipped), "files"))
    if batch:
        checked = TEXTS("this-batch", checked=checked)
    if not findings:
        return localize(TEXTS("summary-clean", checked=checked), lang)
    counts = Counter(f.severity for f in findings)
    severities = Items(tuple(_count(counts[s], s) for s in ("error", "warning", "note")
                             if counts[s]))
    return localize(TEXTS("summary-found", problems=_count(len(findings), "problems"),
                        severities=severities, files=_count(len({f.file for f in findings}),
                                                            "files"), checked=checked), lang)


def render_statistics(findings: Sequence[Finding]) -> str:
    """Counts per rule, most frequent first (``--statistics``, as ruff prints them)."""
    counts = Counter((f.rule_id, f.rule_name, f.severity) for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return ""
    width = max(len(str(count)) for _, count in rows)
    name_width = max(len(name) for (_, name, _), _ in rows)
    return "".join(f"{count:>{width}}  {rule_id}  {name:<{name_width}}  {severity}\n"
                   for (rule_id, name, severity), count in rows)
