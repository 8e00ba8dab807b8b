"""Reads the targets and lints them a piece of a file at a time (memory bounded by the largest
document, plus the file being read).

Big inputs are split between worker processes (:mod:`kprobelint.parallel`); the output is the
same as a serial run because findings are sorted at the end.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .discover import STDIN, Target, discover, is_chart_template
from .engine import Engine, Selection, Stats, select_rules
from .findings import Finding, Span
from .load import LoadedFile, Problem, join_pieces, load_pieces, load_text
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
    if config.per_path_ignores:
        findings = [f for f in findings if f.rule_id not in config.ignored_for(f.file)]
    findings.sort(key=Finding.sort_key)
    suppressed.sort(key=lambda pair: pair[0].sort_key())
    return Result(findings, stats, engine.rules, time.perf_counter() - started, suppressed,
                  engine.inline_texts)


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
    """Findings of one file, linted a piece at a time: only one piece is alive at once."""
    findings: list[Finding] = []
    pieces = read_target(target, options, stdin)
    texts: list[str] = []  # standard input's, kept for showing source lines
    new_file = True
    while True:
        piece = None  # let the last piece go before the next one is parsed
        try:
            piece = next(pieces, None)
        except MemoryError:
            piece = _unreadable(target.path, "not enough memory to read the rest of it")
        if piece is None:
            break
        if target.path == STDIN:
            texts.append(piece.text)
        try:
            found = engine.lint(piece, stats, new_file)
        except MemoryError:
            found = engine.lint(_out_of_memory(piece), stats, new_file)
        new_file = False
        findings.extend(found)
    if target.path == STDIN:
        engine.inline_texts[options.stdin_filename or STDIN] = "".join(texts)
    return findings


# The file is held in memory while its documents are linted one piece at a time (their
# memory is bounded by kprobelint.load.MAX_DOCUMENT_BYTES): this keeps the whole under 1 GB.
MAX_FILE_BYTES = 256 * 2**20


def read_target(target: Target, options: Options,
                stdin: bytes | None = None) -> Iterator[LoadedFile]:
    """The pieces of one file (:func:`kprobelint.load.load_pieces`), or why it is unreadable."""
    if target.path == STDIN:
        data = stdin if stdin is not None else sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        path = options.stdin_filename or STDIN
    elif target.problem:
        return iter([_unreadable(target.path, target.problem)])
    else:
        path = target.path
        try:
            with open(target.path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # a pipe has no size to check first
        except OSError as exc:
            return iter([_unreadable(target.path, exc.strerror or str(exc))])
        except MemoryError:
            return iter([_unreadable(target.path, "not enough memory to read it")])
    if len(data) > MAX_FILE_BYTES:
        return iter([_unreadable(path, f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most "
                                       "kprobelint reads from one file; split it")])
    return load_pieces(path, data, target.path != STDIN and is_chart_template(path))


def reload(path: str, text: str | None = None) -> LoadedFile | None:
    """A file read again after the whole input (``text``: the input itself, for stdin);
    None for what cannot be read twice (a FIFO, a device) or no longer can be read."""
    if text is not None:
        return load_text(path, text)
    if not os.path.isfile(path):
        return None
    loaded = join_pieces(path, read_target(Target(path), Options([])))  # the whole file
    return None if loaded.problems and loaded.problems[0].rule == "file-unreadable" else loaded


def _unreadable(path: str, reason: str) -> LoadedFile:
    loaded = LoadedFile(path)
    loaded.problems.append(Problem("file-unreadable", f"cannot read file: {reason}",
                                   Span(1, 1, 1, 1)))
    return loaded


def _out_of_memory(piece: LoadedFile) -> LoadedFile:
    """The piece without its documents, and a located problem saying why."""
    line = piece.documents[0].start_line if piece.documents else piece.first_line
    piece.documents.clear()
    size = len(piece.text) / 2**20
    return LoadedFile(piece.path, first_line=piece.first_line, problems=[Problem(
        "document-too-large", f"not enough memory to lint this document ({size:.1f} MiB)",
        Span(line, 1, line, 2))])
