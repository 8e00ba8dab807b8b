"""Reads the targets and lints them one file at a time (memory bounded by the largest file).

Big inputs are split between worker processes (:mod:`kprobelint.parallel`); the output is the
same as a serial run because findings are sorted at the end.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .discover import STDIN, Target, discover, is_chart_template
from .engine import Engine, Selection, Stats, select_rules
from .findings import Finding, Span
from .load import LoadedFile, Problem, load_bytes, load_text
from .ruleset import Rule, builtin_rules
from .versions import parse_version

# Files between collections of the young generations. The cyclic collector is off while
# linting: automatic collections keep walking the document being linted (some 25% slower).
# Documents have no cycles, so reference counting frees each file once it is linted and what
# outlives it is small (findings, pending verdicts, the index). The periodic young collection
# frees the few cycles there are (a parse error's traceback holds the parser's frames); a
# full one is never needed, and neither is gc.freeze(): nothing big survives to be walked.
GC_EVERY = 50


@dataclass
class Options:
    paths: list[str]
    selection: Selection = field(default_factory=Selection)
    excludes: tuple[str, ...] = ()
    chart_dir: str | None = None
    complete: bool = False  # the input is the whole application: absent references are errors
    config: Config = field(default_factory=Config)
    jobs: int = 0  # worker processes; 0 = one per core when the input is big enough
    stdin_filename: str | None = None  # the name reports give to input read from stdin
    gitignore: bool = True  # skip what .gitignore files ignore when walking directories
    crds: tuple[str, ...] = ()  # CRD files or directories (--crd), besides those in the input
    # Filled by make_engine(): the CRDs of --crd and of the configuration.
    crd_schemas: Any = None
    fix: bool = False  # fixes may be written: remember each file's content hash


@dataclass
class Result:
    findings: list[Finding]
    stats: Stats
    rules: list[Rule]
    seconds: float = 0.0
    suppressed: list = field(default_factory=list)  # (finding, directive) pairs
    inline_texts: dict[str, str] = field(default_factory=dict)  # inputs not on disk (stdin)


def configured_rules(config: Config) -> list[Rule]:
    """The built-in rules with the configuration's parameter overrides applied."""
    rules = list(builtin_rules())
    if not config.params:
        return rules
    return [dataclasses.replace(r, params={**r.params, **config.params[r.id]})
            if r.id in config.params else r for r in rules]


def make_engine(options: Options) -> Engine:
    config = options.config
    rules = select_rules(configured_rules(config), options.selection)
    severity = {**config.severity, **options.selection.severity}
    schema = None
    if any(rule.area == "schema" for rule in rules):
        from .apischema.context import SchemaContext  # noqa: PLC0415

        paths = tuple(os.path.join(config.base, p) for p in config.crds) + options.crds
        if paths and options.crd_schemas is None:  # once: worker processes inherit it
            from .apischema.crd import read_crd_paths  # noqa: PLC0415

            options.crd_schemas = read_crd_paths(paths)
        schema = SchemaContext(parse_version(options.selection.kube_version))
    return Engine(rules, severity, options.complete or config.complete, options.chart_dir,
                  schema, options.crd_schemas, reload)


def lint(options: Options, stdin: bytes | None = None) -> Result:
    started = time.perf_counter()
    config = options.config
    engine = make_engine(options)  # also validates the selection before any work
    targets = discover(options.paths, options.excludes + config.exclude,
                       gitignore=options.gitignore)
    jobs = _jobs(options, targets)
    if jobs > 1:
        from .parallel import lint_in_processes  # noqa: PLC0415

        findings, stats, suppressed = lint_in_processes(options, targets, jobs)
    else:
        stats = Stats()
        findings = lint_targets(engine, targets, stats, options, stdin)
        findings.extend(engine.finish())
        stats.without_schema -= engine.validated_late
        suppressed = engine.suppressed
    findings = _per_path(findings, config)
    findings.sort(key=Finding.sort_key)
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


def lint_targets(engine: Engine, targets: list[Target], stats: Stats, options: Options,
                 stdin: bytes | None = None) -> list[Finding]:
    findings: list[Finding] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, target in enumerate(targets, 1):
            findings.extend(lint_target(engine, target, stats, options, stdin))
            if count % GC_EVERY == 0:
                gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    return findings


def lint_target(engine: Engine, target: Target, stats: Stats, options: Options,
                stdin: bytes | None = None) -> list[Finding]:
    loaded = read_target(target, options, stdin)
    if target.path == STDIN:
        engine.inline_texts[loaded.path] = loaded.text  # for showing source lines
    return engine.lint(loaded, stats)


# Parsing costs about ten times the file's size in memory; no manifest comes near this.
MAX_FILE_BYTES = 256 * 2**20


def read_target(target: Target, options: Options,
                stdin: bytes | None = None) -> LoadedFile:
    if target.path == STDIN:
        data = stdin if stdin is not None else sys.stdin.buffer.read()
        return load_bytes(options.stdin_filename or STDIN, data)
    if target.problem:
        return _unreadable(target.path, target.problem)
    try:
        with open(target.path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a pipe has no size to check first
    except OSError as exc:
        return _unreadable(target.path, exc.strerror or str(exc))
    except MemoryError:
        return _unreadable(target.path, "not enough memory to read it")
    if len(data) > MAX_FILE_BYTES:
        return _unreadable(target.path, f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most "
                                        "kprobelint reads from one file; split it")
    try:
        loaded = load_bytes(target.path, data, is_chart_template(target.path))
    except MemoryError:
        return _unreadable(target.path, "not enough memory to parse it")
    if options.fix:
        from .autofix.apply import digest  # noqa: PLC0415

        loaded.digest = digest(data)
    return loaded


def reload(path: str, text: str | None = None) -> LoadedFile | None:
    """A file read again after the whole input (``text``: the input itself, for stdin);
    None for what cannot be read twice (a FIFO, a device) or no longer can be read."""
    if text is not None:
        return load_text(path, text)
    if not os.path.isfile(path):
        return None
    loaded = read_target(Target(path), Options([], fix=True))  # with its hash, for fix
    return None if loaded.problems and loaded.problems[0].rule == "file-unreadable" else loaded


def _unreadable(path: str, reason: str) -> LoadedFile:
    loaded = LoadedFile(path)
    loaded.problems.append(Problem("file-unreadable", f"cannot read file: {reason}",
                                   Span(1, 1, 1, 1)))
    return loaded
