"""Text output for people: ``path:line:col: severity KPL### message``, the source line with a
caret under the offending text, the object and what it leads to, then a summary line."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..findings import Finding
from . import Report, fix_note, fixable_summary, printable, shown_path
from .source import read_lines, snippet

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[1;36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def render(report: Report) -> str:
    if report.statistics:
        return render_statistics(report.findings)
    text = render_text(report.findings, report.stats, colour=report.colour,
                       show_source=report.show_source, inline=report.inline_texts,
                       summary=not report.quiet, batch=report.batch)
    if report.seconds is not None and not report.quiet:
        text = text.rstrip("\n") + f" ({report.seconds:.2f}s)\n"
    return text


def render_text(findings: Sequence[Finding], stats, colour: bool = False,
                show_source: bool = False, inline: Mapping[str, str] | None = None,
                summary: bool = True, batch: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    sources = _source_lines(findings, inline) if show_source else {}
    lines: list[str] = []
    for f in findings:
        where = f"{printable(shown_path(f.file))}:{f.span.line}:{f.span.column}:"
        severity = paint(_COLOURS[f.severity], f.severity)
        lines.append(f"{paint(_BOLD, where)} {severity} {f.rule_id} {printable(f.message)}")
        source = sources.get((f.file, f.span.line))
        if source is not None:
            end = f.span.end_column if f.span.end_line == f.span.line else None
            shown, caret = snippet(printable(source), f.span.column, end)
            gutter = " " * len(str(f.span.line))
            lines.append(paint(_DIM, f"{gutter} |"))
            lines.append(paint(_DIM, f"{f.span.line} |") + f" {shown}")
            lines.append(paint(_DIM, f"{gutter} |") + " " + paint(_COLOURS[f.severity], caret))
        context = _context(f)
        if context:
            lines.append("    " + paint(_DIM, printable(" | ".join(context))))
    if summary:
        lines.append(summary_line(findings, stats, batch))
        fixable = fixable_summary(findings)
        if fixable:
            lines.append(fixable)
    return "\n".join(lines) + "\n" if lines else ""


def _context(f: Finding) -> list[str]:
    context = []
    if f.object is not None:
        context.append(f.object.label())
    if f.container:
        context.append(f"container {f.container}")
    outcome = f.outcome()
    if outcome:
        context.append(outcome)
    if f.source is not None:
        line = f":{f.source.line}" if f.source.line else ""
        context.append(f"from {f.source.path or f.source.file}{line}")
    note = fix_note(f)
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: Sequence[Finding], stats, batch: bool = False) -> str:
    """One line that says what this run checked and found.

    It never claims more than this process saw: pre-commit runs several processes on parts
    of the staged files (``batch``), and each one's line speaks for its own part only.
    """
    checked = f"checked {_plural(stats.files - len(stats.skipped), 'file')}, " \
              f"{_plural(stats.objects, 'object')}"
    if stats.without_schema:
        checked += f" ({stats.without_schema} without a known schema, not validated)"
    if stats.skipped:
        checked += f"; {_plural(len(stats.skipped), 'file')} skipped"
    if batch:
        checked = f"this batch: {checked}"
    if not findings:
        return f"No problems found ({checked})."
    counts = Counter(f.severity for f in findings)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "note") if counts[s]]
    files = len({f.file for f in findings})
    return (f"Found {_plural(len(findings), 'problem')} ({', '.join(parts)}) in "
            f"{_plural(files, 'file')} ({checked}).")


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
