"""The timeline agrees with the static timing rules (KPL125-KPL129, KPL801) on every file of
../shared/corpus, and its JSON report of the whole corpus validates.

Each rule states a timing fact from the probe fields; the timeline computes the same fact from
its model of the kubelet (tests/timeline_agreement.py says how, rule by rule). For every
container of every workload the rule fires exactly when the timeline shows what it says; the
one deliberate difference is documented at KPL129. test_timeline_rule_examples.py checks the
same on the rules' own examples, which are always present.
"""
from __future__ import annotations

import json
from functools import cache

import jsonschema
import pytest
from conftest import CORPUS
from timeline_agreement import Facts, facts_of, findings_of

from kprobelint.ruleset import SCHEMA_DIR

STARTS = (None, 45.0, 600.0)


def _corpus() -> str:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return str(CORPUS)


@cache
def _findings() -> dict[str, set]:
    return findings_of([_corpus()])


@cache
def _facts() -> Facts:
    return facts_of([_corpus()], STARTS)


def test_the_corpus_has_timing_findings_to_compare():
    findings = _findings()
    assert len(findings["KPL125"]) > 10 and len(findings["KPL126"]) > 10
    assert _facts().containers > 500


def test_kpl125_probes_paced_by_their_timeout():
    assert _facts().paced == _findings()["KPL125"]


def test_kpl126_liveness_acts_no_later_than_readiness():
    facts = _facts()
    assert facts.liveness_first == _findings()["KPL126"]
    assert facts.stalls_disagree == []  # the numbers behind it say the same


def test_kpl127_a_single_failure_restarts():
    assert _facts().single_failure == _findings()["KPL127"]


def test_kpl128_late_first_liveness_run_without_a_startup_probe():
    assert _facts().late_liveness == _findings()["KPL128"]


def test_kpl129_a_start_as_long_as_the_liveness_delay_is_killed():
    facts = _facts()
    assert facts.killed_at_delay == _findings()["KPL129"] - facts.killed_at_budget_edge


def test_kpl801_no_rollout_can_meet_its_deadline():
    # The rule counts what every version from 1.29 does; the timeline at 1.29 must agree.
    fired = {(file, label) for file, label, _, _ in _findings()["KPL801"]}
    assert _facts().deadline == fired


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / "timeline.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("start", [None, 45.0, 600.0])
def test_corpus_json_report_validates(start):
    document = json.loads(_facts().reports[start].finish())
    errors = list(_validator().iter_errors(document))
    assert not errors, errors[0]
    assert document["summary"]["workloads"] > 100
