"""The timeline agrees with the timing rules on the rules' own pass and fail examples."""
from __future__ import annotations

import pytest
from timeline_agreement import RULES, facts_of, findings_of

from kprobelint.ruleset import builtin_rules

CASES = [pytest.param(rule, example, id=f"{rule.id}-{verdict}{index}")
         for rule in builtin_rules() if rule.id in RULES
         for verdict, examples in (("pass", rule.passing), ("fail", rule.failing))
         for index, example in enumerate(examples)]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_timeline_agrees_on_rule_example(rule, example, tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(example.yaml)
    facts = facts_of([str(path)])
    findings = findings_of([str(path)])[rule.id]
    predicted = {
        "KPL125": facts.paced, "KPL126": facts.liveness_first,
        "KPL127": facts.single_failure, "KPL128": facts.late_liveness,
        "KPL129": facts.killed_at_delay | facts.killed_at_budget_edge,
        "KPL801": {(file, label, None, None) for file, label in facts.deadline},
    }[rule.id]
    if rule.id == "KPL801":
        findings = {(file, label, None, None) for file, label, _, _ in findings}
    assert predicted == findings
