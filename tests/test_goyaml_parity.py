"""The loader reads YAML exactly as kubectl does (go-yaml v2 through sigs.k8s.io/yaml).

Each case of tests/goyaml/cases.py was run through a Go program that reads input the way
kubectl does (tests/goyaml/oracle.go); its verdicts are in tests/goyaml/expected.json. The
loader must give the same documents with the same values (after the JSON round trip the API
server sees), and report KPL001 exactly where kubectl refuses the input. The few deliberate
differences are listed below, each with its reason and the behaviour we keep instead.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from kprobelint.load import load_bytes

GOYAML = Path(__file__).resolve().parent / "goyaml"
sys.path.insert(0, str(GOYAML))

from cases import CASES  # noqa: E402
from parity import agree, loaded_entries, oracle_entries  # noqa: E402

EXPECTED = json.loads((GOYAML / "expected.json").read_text())
BY_NAME = {case.name: case for case in CASES}

# name -> (why we differ, the entries kprobelint gives instead)
DELIBERATE: dict[str, tuple[str, list[tuple]]] = {
    "deep-flow-600": (
        "go-yaml nests up to 10,000 levels; kprobelint refuses more than 400 (no Kubernetes "
        "object nests over ~30, and deep nesting is how hostile input costs time)",
        [("error", 1)],
    ),
    "flow-question-alone": (
        "both refuse `[a, ?]`; go-yaml stops at the end of the stream, kprobelint points at "
        "the `?` (an empty key)",
        [("error", 1)],
    ),
    "bom-line-start": (
        "a BOM at the start of a line inside a document: go-yaml makes it part of the key, "
        "libyaml refuses it; only concatenated files with BOMs and no `---` between them get "
        "there, and the key would be wrong for kubectl anyway",
        [("error", 2)],
    ),
    "separator-no-space": (
        "kubectl stops at `---apiVersion`; kprobelint reports it there and reads on as YAML "
        "does (a key `---apiVersion`), where Helm would cut the line",
        [("error", 1), ("value", {"---apiVersion": "v1", "kind": "List"})],
    ),
    "separator-in-quoted": (
        "kubectl stops at the `---y` line; kprobelint reports it there and reads on as YAML "
        "does (the quoted string goes on)",
        [("value", {"a": "x ---y"}), ("error", 2)],
    ),
    "utf32-bom": (
        "kubectl reads UTF-32 as UTF-16 or UTF-8 and refuses the NUL characters it sees; "
        "kprobelint reports that at the file's start, then lints the file as the UTF-32 it "
        "is, so that saving it as UTF-8 reveals no new problem",
        [("error", 1), ("value", {"a": 1})],
    ),
    "utf32-be-bom": (
        "as for utf32-bom: reported at the file's start, then linted as the UTF-32 it is",
        [("error", 1), ("value", {"a": 1})],
    ),
    "json-lone-surrogate": (
        "kubectl sends the JSON text as it is and the API server's Go decoder makes the lone "
        "`\\ud83d` U+FFFD, which kprobelint reads; the oracle records the raw JSON, which "
        "Python reads as a lone surrogate",
        [("value", {"a": "x\ufffdy"})],
    ),
    "utf16-no-bom": (
        "kubectl reads UTF-16 without a byte order mark as UTF-8 and refuses the NUL "
        "characters it sees; kprobelint reports that at the file's start, then lints the file "
        "as the UTF-16 it is",
        [("error", 1), ("value", {"a": 1})],
    ),
}

# Differences still open, each with what closes it. Marked xfail(strict): the day one is
# fixed, the test says so and the entry must go.
PENDING: dict[str, str] = {}


def _entries_of(name: str) -> tuple[list[tuple], list[tuple]]:
    case = BY_NAME[name]
    loaded = load_bytes(f"{name}.yaml", case.data)
    return oracle_entries(EXPECTED[name]), loaded_entries(loaded)


def test_every_case_has_a_fresh_verdict():
    assert set(EXPECTED) == set(BY_NAME), "run tests/goyaml/regen.py"
    stale = [case.name for case in CASES
             if EXPECTED[case.name]["sha256"] != hashlib.sha256(case.data).hexdigest()]
    assert not stale, f"cases changed since expected.json was written: {stale}"


def test_deliberate_differences_are_still_differences():
    for name in DELIBERATE:
        expected, _ = _entries_of(name)
        assert not agree(expected, DELIBERATE[name][1]), name


@pytest.mark.parametrize("name", [
    pytest.param(case.name, marks=pytest.mark.xfail(reason=PENDING[case.name], strict=True))
    if case.name in PENDING else case.name for case in CASES])
def test_loader_reads_what_kubectl_reads(name):
    expected, actual = _entries_of(name)
    if name in DELIBERATE:
        why, ours = DELIBERATE[name]
        assert actual == ours, why
        return
    assert agree(expected, actual), (
        f"{BY_NAME[name].why}\n  kubectl:    {expected}\n  kprobelint: {actual}")
    line = BY_NAME[name].line
    if line is not None:  # go-yaml could not place this error: the case says where it is
        assert ("error", line) in actual


def test_errors_are_at_the_parsers_column():
    """Where go-yaml's parser stops, KPL001 points at the same column, not only the line."""
    checked = 0
    for case in CASES:
        if case.name in DELIBERATE or case.name in PENDING:
            continue
        loaded = load_bytes(f"{case.name}.yaml", case.data)
        ours = {(p.span.line, p.span.column) for p in loaded.problems
                if p.rule == "parse-error"}
        for document in EXPECTED[case.name]["documents"]:
            at = document.get("at")
            if at and document["kind"] in ("scanner", "separator"):
                assert (at["line"], at["column"]) in ours, (case.name, at, ours)
                checked += 1
    assert checked > 10
