"""Linting files in this process: read each target, lint it a piece at a time, forget it.

Used by a serial run (:mod:`kprobelint.runner`) and by each worker process
(:mod:`kprobelint.parallel`). Memory is bounded by the largest document, plus the file being
read (at most :data:`MAX_FILE_BYTES`).
"""
from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Iterator

from .config import Config
from .discover import STDIN, Target, is_chart_template
from .engine import Engine, Stats, select_rules
from .findings import Finding, Span
from .i18n import Message, Templates
from .load import LoadedFile, Problem, file_text, load_bytes, load_pieces, load_text
from .options import Options
from .ruleset import Rule, builtin_rules
from .versions import parse_version

TEXTS = Templates("lintfiles", {
    "unreadable": "cannot read file: {reason}",
    "no-memory-rest": "not enough memory to read the rest of it",
    "stdin-closed": "standard input is closed",
    "no-memory-file": "not enough memory to read it",
    "too-large": "larger than {limit} MiB, the most kprobelint reads from one file; split it",
    "no-memory": "not enough memory to lint this document ({size} MiB)",
})

# Files between collections of the young generations. The cyclic collector is off while
# linting: automatic collections keep walking the document being linted (some 25% slower).
# Documents have no cycles, so reference counting frees each file once it is linted and what
# outlives it is small (findings, pending verdicts, the index). The periodic young collection
# frees the few cycles there are (a parse error's traceback holds the parser's frames); a
# full one is never needed, and neither is gc.freeze(): nothing big survives to be walked.
GC_EVERY = 50


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
    read = read_bytes(target, options, stdin)
    if isinstance(read, LoadedFile):
        return engine.lint(read, stats)
    path, data = read
    if target.path == STDIN:  # an input that cannot be read again: its text is kept
        engine.inline_texts[path] = ""  # (filled once linted; marks it as such meanwhile)
    content_hash = _digest(data) if options.fix else ""
    pieces = load_pieces(path, data, target.path != STDIN and is_chart_template(path))
    new_file = True
    while True:
        piece = None  # let the last piece go before the next one is parsed
        try:
            piece = next(pieces, None)
        except MemoryError:
            piece = _unreadable(target.path, TEXTS("no-memory-rest"))
        if piece is None:
            break
        piece.digest = content_hash
        try:
            found = engine.lint(piece, stats, new_file)
        except MemoryError:
            found = engine.lint(_out_of_memory(piece), stats, new_file)
        new_file = False
        findings.extend(found)
    if target.path == STDIN:
        engine.inline_texts[path] = file_text(data)  # for source lines, and read again
    return findings


# The file is held in memory while its documents are linted one piece at a time (their
# memory is bounded by kprobelint.load.MAX_DOCUMENT_BYTES): this keeps the whole under 1 GB.
MAX_FILE_BYTES = 256 * 2**20


def read_target(target: Target, options: Options,
                stdin: bytes | None = None) -> Iterator[LoadedFile]:
    """The pieces of one file (:func:`kprobelint.load.load_pieces`), or why it is unreadable."""
    read = read_bytes(target, options, stdin)
    if isinstance(read, LoadedFile):
        return iter([read])
    path, data = read
    return load_pieces(path, data, target.path != STDIN and is_chart_template(path))


def read_bytes(target: Target, options: Options,
               stdin: bytes | None = None) -> tuple[str, bytes] | LoadedFile:
    """The name and bytes of one input, or why it is unreadable."""
    if target.path == STDIN:
        path = options.stdin_filename or STDIN
        if stdin is not None:
            data = stdin
        elif sys.stdin is None:  # started with stdin closed (`kprobelint - <&-`)
            return _unreadable(path, TEXTS("stdin-closed"))
        else:
            try:
                data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            except (OSError, ValueError) as exc:  # a closed or unreadable descriptor
                return _unreadable(path, getattr(exc, "strerror", None) or str(exc))
    elif target.problem:
        return _unreadable(target.path, target.problem)
    else:
        path = target.path
        try:
            with open(target.path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # a pipe has no size to check first
        except OSError as exc:
            return _unreadable(target.path, exc.strerror or str(exc))
        except MemoryError:
            return _unreadable(target.path, TEXTS("no-memory-file"))
    if len(data) > MAX_FILE_BYTES:
        return _unreadable(path, TEXTS("too-large", limit=MAX_FILE_BYTES // 2**20))
    return path, data


def reload(path: str, text: str | None = None) -> LoadedFile | None:
    """A file read again after the whole input (``text``: the input itself, for stdin);
    None for what cannot be read twice (a FIFO, a device) or no longer can be read."""
    if text is not None:
        return load_text(path, text)
    if not os.path.isfile(path):
        return None
    read = read_bytes(Target(path), Options([]))
    if isinstance(read, LoadedFile):
        return None
    # Whole, so that its text is the file's (fixes edit it) and with its hash, for fix.
    loaded = load_bytes(path, read[1], is_chart_template(path))
    loaded.digest = _digest(read[1])
    return loaded


def _digest(data: bytes) -> str:
    from .autofix.apply import digest  # noqa: PLC0415  (only when fixes may be written)

    return digest(data)


def _unreadable(path: str, reason: Message | str) -> LoadedFile:
    loaded = LoadedFile(path)
    loaded.problems.append(Problem("file-unreadable", TEXTS("unreadable", reason=reason),
                                   Span(1, 1, 1, 1)))
    return loaded


def _out_of_memory(piece: LoadedFile) -> LoadedFile:
    """The piece without its documents, and a located problem saying why."""
    line = piece.documents[0].start_line if piece.documents else piece.first_line
    piece.documents.clear()
    size = len(piece.text) / 2**20
    return LoadedFile(piece.path, first_line=piece.first_line, problems=[Problem(
        "document-too-large", TEXTS("no-memory", size=f"{size:.1f}"),
        Span(line, 1, line, 2))])
