"""Runs a lint: discovers the targets, lints them in this process or in several, sorts.

Big inputs are split between worker processes (:mod:`kprobelint.parallel`); the output is the
same as a serial run because findings are sorted at the end. Linting one file is
:mod:`kprobelint.lintfiles`; what a run is asked and answers is :mod:`kprobelint.options`.
"""
from __future__ import annotations

import os
import time

from .config import Config
from .discover import STDIN, Target, discover, is_chart_template
from .engine import Stats
from .findings import Finding
from .lintfiles import lint_targets, make_engine
from .load import LoadedFile, load_text
from .options import Options, Result

# make_engine: for tests and tools; lint_texts: for fix
__all__ = ["Options", "Result", "lint", "lint_texts", "make_engine"]


def lint(options: Options, stdin: bytes | None = None) -> Result:
    started = time.perf_counter()
    config = options.config
    engine = make_engine(options)  # also validates the selection before any work
    targets = discover(options.paths, options.excludes + config.exclude,
                       gitignore=options.gitignore)
    jobs = _jobs(options, targets)
    if jobs > 1:
        from .parallel import lint_in_processes  # noqa: PLC0415  (only for big inputs)

        findings, stats, suppressed = lint_in_processes(options, targets, jobs)
    else:
        stats = Stats()
        findings = lint_targets(engine, targets, stats, options, stdin)
        findings.extend(engine.finish())
        stats.without_schema -= engine.validated_late
        suppressed = engine.suppressed
    findings = _per_path(findings, config)
    findings.sort(key=Finding.sort_key)
    stats.skipped.sort()  # by path, like the findings: the argument order must not matter
    suppressed.sort(key=lambda pair: pair[0].sort_key())
    return Result(findings, stats, engine.rules, time.perf_counter() - started, suppressed,
                  engine.inline_texts)


def lint_texts(options: Options, texts: dict[str, str | LoadedFile]) -> list[Finding]:
    """Findings of texts held in memory under their file names (or already parsed): the
    files ``fix`` changed, linted again before they are written. Rules that look across
    files see only these."""
    engine = make_engine(options)
    stats = Stats()
    findings: list[Finding] = []
    for path, text in texts.items():
        loaded = text if isinstance(text, LoadedFile) else \
            load_text(path, text, is_chart_template(path))
        engine.inline_texts[path] = loaded.text
        findings.extend(engine.lint(loaded, stats))
    findings.extend(engine.finish())
    return _per_path(findings, options.config)


def _per_path(findings: list[Finding], config: Config) -> list[Finding]:
    if not config.per_path_ignores:
        return findings
    return [f for f in findings if f.rule_id not in config.ignored_for(f.file)]


PARALLEL_MIN_BYTES = 2_000_000  # below this, starting processes costs more than it saves
PARALLEL_MIN_FILES = 8


def _jobs(options: Options, targets: list[Target]) -> int:
    if options.jobs == 1 or len(targets) < PARALLEL_MIN_FILES:
        return 1
    if any(t.path == STDIN for t in targets):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = options.jobs or (cores or 1)
    if options.jobs == 0 and _total_size(targets) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(jobs, len(targets)))


def _total_size(targets: list[Target], limit: int = PARALLEL_MIN_BYTES) -> int:
    total = 0
    for target in targets:
        try:
            total += os.path.getsize(target.path)
        except OSError:
            continue
        if total >= limit:
            break
    return total
