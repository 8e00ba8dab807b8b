"""``kprobelint fix``: rounds of fixing until nothing more can be fixed, then one write per file.

Round one uses the findings of the ordinary lint of the whole input. Each round applies the
applicable fixes of every file in memory; files that changed are linted again (their new
text, in memory) and the next round applies what that finds: a renamed ``livenessprobe``
becomes a probe whose own mistakes can now be fixed, and a fix that overlapped another gets
its turn. Rounds stop when no file changes (at most :data:`MAX_ROUNDS`). Only then is each
changed file written, once, atomically, and only if it still holds what was read.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

from ..findings import Finding
from ..i18n import Message
from ..load import LoadedFile
from . import messages as m
from .apply import FileState, Outcome, apply_round, digest, read_state, state_of
from .write import replace_file

MAX_ROUNDS = 10


@dataclass
class FixRun:
    fixed: list[Outcome] = field(default_factory=list)  # applied, in the order applied
    not_fixed: list[Outcome] = field(default_factory=list)  # allowed but refused, with reasons
    unsafe: int = 0  # fixable findings left alone because --unsafe-fixes was not given
    files: dict[str, FileState] = field(default_factory=dict)  # every file opened for fixing
    inline: set[str] = field(default_factory=set)  # inputs that are not files (stdin)

    @property
    def changed(self) -> list[FileState]:
        return [s for s in self.files.values() if s.text != s.before]


def identity(finding: Finding) -> tuple:
    """A finding across rounds, whose positions move as the text changes."""
    return (finding.file, finding.rule_id, finding.object.label() if finding.object else "",
            finding.field or "")


def run_fixes(findings: list[Finding], *, unsafe: bool,
              relint: Callable[[dict[str, str | LoadedFile]], list[Finding]],
              inline: dict[str, bytes] | None = None) -> FixRun:
    """Fix ``findings`` in memory; ``relint`` lints the changed files again (path -> their
    text, or the text already parsed). ``inline`` holds the inputs that are not files (stdin,
    by the name its findings carry), as they were read."""
    inline = inline or {}
    run = FixRun(inline=set(inline))
    pending: dict[tuple, Outcome] = {}  # not fixed (yet), by identity
    unsafe_left: set[tuple] = set()
    current = findings
    for number in range(1, MAX_ROUNDS + 1):
        by_file: dict[str, list[Finding]] = {}
        for finding in current:
            plan = finding.fix_plan
            if plan is None:
                continue
            key = identity(finding)
            if plan.safety == "unsafe" and not unsafe:
                unsafe_left.add(key)
            elif not plan.applicable:
                pending[key] = Outcome(finding, False, plan.blocked)
            else:
                by_file.setdefault(finding.file, []).append(finding)
        changed: dict[str, str | LoadedFile] = {}
        for path, file_findings in by_file.items():
            state = run.files.get(path) or _open(path, file_findings[0], inline)
            if isinstance(state, Message):
                for finding in file_findings:
                    pending[identity(finding)] = Outcome(finding, False, state)
                continue
            run.files[path] = state
            before = state.text
            for outcome in apply_round(state, file_findings):
                key = identity(outcome.finding)
                if outcome.fixed:
                    outcome.round = number
                    run.fixed.append(outcome)
                    pending.pop(key, None)
                else:  # an overlap keeps this reason unless a later round fixes it
                    pending[key] = Outcome(outcome.finding, False,
                                           outcome.reason or m.text(m.OVERLAP))
            if state.text != before:
                changed[path] = state.parsed or state.text
        if not changed:
            break
        # What the changed files hold now decides what is left in them.
        pending = {k: o for k, o in pending.items() if k[0] not in changed}
        unsafe_left = {k for k in unsafe_left if k[0] not in changed}
        current = relint(changed)
        for path in changed:  # a parse is kept only for a file the next round fixes again
            if not any(f.file == path and f.fix_plan is not None and f.fix_plan.applicable
                       for f in current):
                run.files[path].parsed = None
    else:
        for finding in current:
            if finding.fix_plan is not None and finding.fix_plan.applicable and (
                    unsafe or finding.fix_plan.safety == "safe"):
                pending[identity(finding)] = Outcome(
                    finding, False, m.text(m.NOT_CONVERGED, rounds=MAX_ROUNDS))
    run.not_fixed = sorted(pending.values(), key=lambda o: o.finding.sort_key())
    run.unsafe = len(unsafe_left)
    return run


def fix_paths(options: Any, *, unsafe: bool = False, write: bool = True,
              keep: Callable[[list[Finding]], list[Finding]] = lambda findings: findings,
              stdin: bytes | None = None) -> FixRun:
    """Lint ``options.paths``, fix what can be fixed and (``write``) write the changed files.

    ``keep`` filters the findings as the report would (a baseline): only those are fixed.
    """
    from ..runner import lint, lint_texts  # noqa: PLC0415

    options.fix = True
    try:
        result = lint(options, stdin)
    finally:
        options.fix = False
    inline = {name: stdin if stdin is not None else text.encode("utf-8")
              for name, text in result.inline_texts.items()}
    run = run_fixes(keep(result.findings), unsafe=unsafe,
                    relint=lambda texts: keep(lint_texts(options, texts)), inline=inline)
    if write:
        write_changes(run)
    return run


def _open(path: str, finding: Finding, inline: dict[str, bytes]) -> FileState | Message:
    if path in inline:
        return state_of(path, inline[path])
    return read_state(path, finding.fix_plan.digest)


def write_changes(run: FixRun) -> None:
    """Write every changed file; a file that cannot be written takes its fixes back."""
    for state in run.changed:
        if state.path in run.inline:
            continue
        reason = replace_file(state.path, state.encoded(), digest(state.original))
        if reason is None:
            continue
        state.text = state.before
        undone = [o for o in run.fixed if o.finding.file == state.path]
        run.fixed = [o for o in run.fixed if o.finding.file != state.path]
        run.not_fixed.extend(Outcome(o.finding, False, reason) for o in undone)
    run.not_fixed.sort(key=lambda o: o.finding.sort_key())


def unified_diff(state: FileState) -> str:
    """The change to one file as a unified diff, named by its path on both sides (as ruff
    writes it: ``patch -p0`` and ``git apply -p0`` apply it)."""
    old = state.before.splitlines(keepends=True)
    new = state.text.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(old, new, state.path, state.path):
        if line.endswith(("\n", "\r")):
            lines.append(line)
        else:
            lines.append(line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def outcome_line(outcome: Outcome, would: bool = False, lang: str | None = None) -> str:
    """What became of one finding, in ``lang`` (default: the run's language)."""
    finding = outcome.finding
    location = f"{finding.file}:{finding.span.line}:{finding.span.column}"
    if outcome.fixed:
        message = m.text(m.WOULD_FIX if would else m.FIXED, location=location,
                         rule=finding.rule_id, statuses=m.statuses_text(finding.statuses),
                         change=finding.fix_plan.change)
    else:
        message = m.text(m.NOT_FIXED, location=location, rule=finding.rule_id,
                         reason=outcome.reason)
    return message.text(lang)


def summary_lines(run: FixRun, would: bool = False, lang: str | None = None) -> list[str]:
    lines = []
    files = len({o.finding.file for o in run.fixed})
    if run.fixed:
        forms = m.WOULD_FIX_SUMMARY if would else m.FIXED_SUMMARY
        lines.append(m.plural(forms, len(run.fixed), files=m.plural(m.FILES, files)))
    elif not run.not_fixed:
        lines.append(m.text(m.NOTHING_TO_FIX))
    else:
        lines.append(m.text(m.NOTHING_FIXED))
    if run.not_fixed:
        lines.append(m.plural(m.NOT_FIXED_SUMMARY, len(run.not_fixed)))
    if run.unsafe:
        lines.append(m.plural(m.UNSAFE_HINT, run.unsafe))
    return [line.text(lang) for line in lines]
