"""Reads the targets and lints them one file at a time (memory bounded by the largest file)."""
from __future__ import annotations

import gc
import sys
import time
from dataclasses import dataclass, field

import dataclasses

from .config import Config
from .discover import STDIN, Target, discover, is_chart_template
from .engine import Engine, Selection, Stats, select_rules
from .findings import Finding, Span
from .helm import attach_template_lines
from .load import LoadedFile, Problem, load_bytes
from .ruleset import Rule, builtin_rules

GC_EVERY = 50  # files; collecting less often saves 15-20% of parse time on big inputs


@dataclass
class Options:
    paths: list[str]
    selection: Selection = field(default_factory=Selection)
    excludes: tuple[str, ...] = ()
    chart_dir: str | None = None
    complete: bool = False  # the input is the whole application: absent references are errors
    config: Config = field(default_factory=Config)


@dataclass
class Result:
    findings: list[Finding]
    stats: Stats
    rules: list[Rule]
    seconds: float = 0.0
    suppressed: list = field(default_factory=list)  # (finding, directive) pairs


def configured_rules(config: Config) -> list[Rule]:
    """The built-in rules with the configuration's parameter overrides applied."""
    rules = list(builtin_rules())
    if not config.params:
        return rules
    return [dataclasses.replace(r, params={**r.params, **config.params[r.id]})
            if r.id in config.params else r for r in rules]


def lint(options: Options, stdin: bytes | None = None) -> Result:
    started = time.perf_counter()
    config = options.config
    rules = select_rules(configured_rules(config), options.selection)
    severity = {**config.severity, **options.selection.severity}
    engine = Engine(rules, severity, options.complete or config.complete)
    stats = Stats()
    findings: list[Finding] = []
    targets = discover(options.paths, options.excludes + config.exclude)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, target in enumerate(targets, 1):
            findings.extend(lint_target(engine, target, stats, options, stdin))
            if count % GC_EVERY == 0:
                gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    findings.extend(engine.finish())
    if config.per_path_ignores:
        findings = [f for f in findings if f.rule_id not in config.ignored_for(f.file)]
    findings.sort(key=Finding.sort_key)
    return Result(findings, stats, rules, time.perf_counter() - started, engine.suppressed)


def lint_target(engine: Engine, target: Target, stats: Stats, options: Options,
                stdin: bytes | None = None) -> list[Finding]:
    loaded = read_target(target, stdin)
    findings = engine.lint(loaded, stats)
    if options.chart_dir and loaded.text and any(f.source for f in findings):
        attach_template_lines(findings, loaded.text, options.chart_dir)
    return findings


def read_target(target: Target, stdin: bytes | None = None) -> LoadedFile:
    if target.path == STDIN:
        data = stdin if stdin is not None else sys.stdin.buffer.read()
        return load_bytes(STDIN, data)
    if target.problem:
        return _unreadable(target.path, target.problem)
    try:
        with open(target.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return _unreadable(target.path, exc.strerror or str(exc))
    return load_bytes(target.path, data, is_chart_template(target.path))


def _unreadable(path: str, reason: str) -> LoadedFile:
    loaded = LoadedFile(path)
    loaded.problems.append(Problem("file-unreadable", f"cannot read file: {reason}",
                                   Span(1, 1, 1, 1)))
    return loaded
