"""Every rule's own pass and fail examples, run through the whole pipeline."""
from __future__ import annotations

import re

import pytest
from lintutil import lint_text

from kprobelint.ruleset import builtin_rules

# Diagnostics about files that cannot be written as a YAML example (an unreadable file, a
# crash inside a rule); each has its own test elsewhere.
WITHOUT_EXAMPLES = {"internal-error", "file-unreadable", "document-too-large"}
CHINESE = re.compile("[\u4e00-\u9fff]")

CASES = [
    pytest.param(rule, verdict, index, example, id=f"{rule.id}-{rule.name}-{verdict}{index}")
    for rule in builtin_rules()
    for verdict, examples in (("pass", rule.passing), ("fail", rule.failing))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "verdict", "index", "example"), CASES)
def test_rule_example(rule, verdict, index, example):
    selected = (rule.id, *example.also_select)
    findings = [f for f in lint_text(example.data, selected, example.kube_version,
                                     complete=example.complete)
                if f.rule_id == rule.id]
    if verdict == "pass":
        assert findings == [], f"{rule.id} passing example {index} was flagged: {findings}"
        return
    assert findings, f"{rule.id} failing example {index} was not flagged"
    for finding in findings:
        assert finding.rule_name == rule.name
        # A finding says the statuses that follow where it is: of a rule listing Rejected and
        # FailedCreate, the one its kind's validation gives; Rejected becomes FailedCreate in
        # a pod template validated only when Pods are created (a StatefulSet's).
        allowed = set(rule.statuses) | ({"FailedCreate"} if "Rejected" in rule.statuses
                                        else set())
        assert set(finding.statuses) <= allowed, finding
        assert bool(finding.statuses) == bool(rule.statuses), finding
        assert finding.message
        # A finding may be more certain than its rule (--complete), never an error by chance.
        assert not (finding.severity == "error" and finding.certainty == "conditional"), finding
        assert (finding.condition is not None) == (finding.certainty == "conditional"), finding
        # The same finding in Chinese (issue 13): a template, rendered in Chinese; its position,
        # id and statuses are the finding's own, whatever the language.
        assert finding.template is not None, f"{rule.id}: the message is not a template"
        chinese = finding.text("zh")
        assert CHINESE.search(chinese) and chinese != finding.message, chinese
        outcome = finding.outcome()
        if outcome is not None:
            assert CHINESE.search(outcome.text("zh")), outcome.text("zh")
    if example.line is not None:
        assert findings[0].span.line == example.line, findings[0]


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: f"{r.id}-{r.name}")
def test_every_rule_has_examples(rule):
    if rule.name in WITHOUT_EXAMPLES:
        assert not rule.passing and not rule.failing
        return
    assert rule.passing, f"{rule.id} has no passing example"
    assert rule.failing, f"{rule.id} has no failing example"


def test_rule_is_selected_alone_in_example_runs():
    # The example runner relies on --select isolating one rule: prove it does.
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - name: c\n      image: Bad:1\n      imagePullPolicy: Never\n")
    assert {f.rule_id for f in lint_text(text)} == {"KPL201", "KPL203"}
    assert {f.rule_id for f in lint_text(text, ("KPL203",))} == {"KPL203"}
