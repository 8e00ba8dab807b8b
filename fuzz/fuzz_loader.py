#!/usr/bin/env python3
"""Coverage-guided fuzzing of the loader and the engine with atheris (libFuzzer for Python).

Every input is a file's bytes: it goes through :func:`kprobelint.load.load_pieces` (the file a
piece at a time, as a run reads it), a fresh :class:`kprobelint.engine.Engine` running every
rule (disabled ones too) on each piece, then the JSON and text reports. The pieces must join
into the text :func:`kprobelint.load.load_bytes` sees, with every position inside the file. Any exception fails the run, and so does an ``internal-error`` finding (a rule that
raised: the engine turns that into KPL009 instead of crashing, which would hide it here).

Not a test and not a dependency: see fuzz/README.md for how to install atheris and run it.
"""
from __future__ import annotations

import os
import sys
import traceback

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

with atheris.instrument_imports(include=["kprobelint"]):
    from kprobelint.checks import registry
    from kprobelint.engine import INTERNAL_ERROR, Engine, Stats
    from kprobelint.load import load_bytes, load_pieces
    from kprobelint.report.json import render_json
    from kprobelint.report.text import render_text
    from kprobelint.ruleset import builtin_rules

    registry()  # imports the check modules, here so that they are instrumented too

RULES = list(builtin_rules())  # every rule, including those off by default
# Bugs already reported, to fuzz past them in a long run: texts separated by "|", and an
# exception whose traceback contains one of them is ignored (e.g. "canonical_order").
KNOWN = tuple(t for t in os.environ.get("KPROBELINT_FUZZ_KNOWN", "").split("|") if t)


class InternalError(AssertionError):
    """A rule raised on this input (reported by the engine as KPL009)."""


class PositionError(AssertionError):
    """A document or problem placed outside its file, or pieces that do not join up."""


def lint_bytes(data: bytes, path: str = "fuzz.yaml") -> list:
    """Load, lint and report ``data`` as one file; raise on any crash or internal error."""
    engine = Engine(RULES)
    stats = Stats()
    findings = []
    texts = []
    next_line = 1
    for index, piece in enumerate(load_pieces(path, data)):
        if piece.first_line != next_line and not piece.skipped:
            raise PositionError(f"piece {index} starts at line {piece.first_line}, "
                                f"not {next_line}")
        next_line += piece.text.count("\n") + piece.text.count("\r") - \
            piece.text.count("\r\n") + sum(piece.text.count(c) for c in "\x85\u2028\u2029")
        texts.append(piece.text)
        findings.extend(engine.lint(piece, stats, index == 0))
    findings.extend(engine.finish())
    whole = load_bytes(path, data)
    if not whole.skipped and whole.text != "".join(texts):
        raise PositionError("the pieces do not join into the file's text")
    for finding in findings:
        if not whole.text:  # binary or undecodable: no text to hold the positions against
            break
        if not 1 <= finding.span.line <= next_line:
            raise PositionError(f"{finding.rule_id} at line {finding.span.line} of a file "
                                f"of {next_line} lines")
    for finding in findings:
        if finding.rule_name == INTERNAL_ERROR:
            raise InternalError(finding.message)
    render_json(findings, stats)
    render_text(findings, stats, colour=False)
    return findings


def test_one_input(data: bytes) -> None:
    try:
        lint_bytes(data)
    except Exception:
        if KNOWN and any(text in traceback.format_exc() for text in KNOWN):
            return
        raise


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
