"""Property tests: random and mutated manifests through the whole pipeline.

Whatever the input, linting raises nothing, reports no internal error, points only inside
the file, and renders JSON and SARIF that validate against their schemas.
"""
from __future__ import annotations

import json
from functools import cache

import jsonschema
import pytest
from conftest import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kprobelint import __version__
from kprobelint.engine import Selection, Stats
from kprobelint.findings import Finding
from kprobelint.report.json import render_json
from kprobelint.report.sarif import render_sarif
from kprobelint.ruleset import SCHEMA_DIR, builtin_rules
from kprobelint.runner import Options, lint

SEEDS = [e.yaml for r in builtin_rules() for e in (*r.passing, *r.failing)]

# Values that rules read as numbers, strings, maps or lists, in every wrong type.
ODD_VALUES = ["0", "-1", "1e400", ".nan", "-.inf", "99999999999999999999999", '"8080"',
              "[]", "{}", "null", "~", "true", "yes", "''", "[1, [2]]", "{a: {b: c}}",
              '"\\u0000"', "!!binary AAAA", "*undefined_alias", "&a [*a]", "0x10", "0o17",
              '"  spaced  "', "Ünïcödé", '"' + "x" * 300 + '"']


def _lint(data: bytes) -> tuple[list[Finding], Stats, list]:
    result = lint(Options(["-"], Selection(), jobs=1), stdin=data)
    return result.findings, result.stats, result.rules


@cache
def _validators():
    findings_schema = json.loads((SCHEMA_DIR / "findings.schema.json").read_text())
    sarif_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    sarif = (jsonschema.Draft4Validator(json.loads(sarif_path.read_text()))
             if sarif_path.is_file() else None)
    return jsonschema.Draft202012Validator(findings_schema), sarif


def _check(data: bytes) -> None:
    findings, stats, rules = _lint(data)
    lines = data.count(b"\n") + 1
    for f in findings:
        assert f.rule_name != "internal-error", f.message
        assert 1 <= f.span.line <= lines + 1, (f, lines)
        assert f.span.column >= 1 and f.span.end_line >= f.span.line
    json_validator, sarif_validator = _validators()
    json_validator.validate(json.loads(render_json(findings, stats, 0.0)))
    if sarif_validator is not None:
        from pathlib import Path

        sarif = render_sarif(findings, rules, root=Path.cwd(), version=__version__)
        sarif_validator.validate(json.loads(sarif))


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        line = lines[i]
        action = data.draw(st.sampled_from(["value", "drop", "dup", "indent", "cut", "char"]))
        if action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[i] = f"{key}: {data.draw(st.sampled_from(ODD_VALUES), label='value')}"
        elif action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, line)
        elif action == "indent":
            lines[i] = " " * data.draw(st.integers(0, 12)) + line.lstrip()
        elif action == "cut":
            lines[i] = line[: data.draw(st.integers(0, max(len(line), 0)))]
        else:
            position = data.draw(st.integers(0, len(line)))
            char = data.draw(st.sampled_from(list("{}[]:-#&*!|>'\"\t%@`,?\x00\x85\u2028")))
            lines[i] = line[:position] + char + line[position:]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_rule_examples_never_break_the_pipeline(seed: str, data: st.DataObject):
    _check(_mutate(seed, data).encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_break_the_pipeline(blob: bytes):
    _check(blob)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- \n[]{}&*!#'\"|>0.~")), max_size=300))
def test_random_yamlish_text_never_breaks_the_pipeline(text: str):
    _check(text.encode("utf-8"))


def _corpus_seeds() -> list[bytes]:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        return []
    files = sorted(p for p in (corpus / "k8s-website").rglob("*.yaml"))[:60]
    return [p.read_bytes() for p in files]


CORPUS_SEEDS = _corpus_seeds()


@pytest.mark.skipif(not CORPUS_SEEDS, reason="../shared/corpus is not present")
@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_corpus_files_never_break_the_pipeline(data: st.DataObject):
    seed = data.draw(st.sampled_from(CORPUS_SEEDS)).decode("utf-8", "replace")
    _check(_mutate(seed, data).encode("utf-8", "surrogatepass"))


FIXABLE_SEEDS = [e.yaml for r in builtin_rules() if r.autofix for e in r.failing]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXABLE_SEEDS), st.data())
def test_fix_on_mutated_fixable_examples_never_breaks_and_converges(seed: str,
                                                                      data: st.DataObject):
    from lintutil import fix_text

    text = _mutate(seed, data)
    fixed, run = fix_text(text)
    assert all(o.reason for o in run.not_fixed)
    assert not [o for o in run.not_fixed if "please report it" in str(o.reason)], run.not_fixed
    if run.fixed:
        again, second = fix_text(fixed)
        assert again == fixed and not second.fixed
