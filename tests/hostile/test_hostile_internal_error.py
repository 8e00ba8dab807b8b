"""A rule that raises: one internal-error (KPL009) finding naming it, every other rule still runs.

Checks are replaced in the registry (``kprobelint.checks.REGISTRY``) by versions that raise,
in process, and once through the real CLI in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hostile_util import KNOWN_BAD, KNOWN_BAD_NAME, ROOT

from kprobelint import checks
from kprobelint.engine import Selection
from kprobelint.records import replace
from kprobelint.runner import Options, lint

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  restartPolicy: Sometimes
  containers:
    - name: web
      image: nginx:latest
      readinessProbe:
        httpGet: {path: /healthz, port: metrics}
    - name: side
      image: busybox:1.36
"""
# Some findings of POD with every default rule working (rule, line, column).
EXPECTED = {("KPL103", 12, 41), ("KPL204", 10, 14), ("KPL401", 7, 18)}


def _boom(*args, **kwargs):
    raise ZeroDivisionError("boom")
    yield  # a generator, like every check  # pragma: no cover


def _replace_check(monkeypatch, name: str, func) -> None:
    registry = checks.registry()
    monkeypatch.setitem(checks.REGISTRY, name, replace(registry[name], func=func))


def _lint(text: str = POD, select: tuple[str, ...] = ()):
    return lint(Options(["-"], Selection(select), jobs=1), stdin=text.encode()).findings


def _located(findings) -> set[tuple[str, int, int]]:
    return {(f.rule_id, f.span.line, f.span.column) for f in findings}


def _without(rule: str, text: str = POD) -> set[tuple[str, int, int]]:
    """What the default rules find in ``text``, but ``rule`` (before any check is replaced)."""
    return {located for located in _located(_lint(text)) if located[0] != rule}


def test_the_pod_findings_without_a_broken_rule():
    assert EXPECTED <= _located(_lint())
    assert not [f for f in _lint() if f.rule_id == "KPL009"]


def test_a_failing_container_check_is_one_internal_error_per_container(monkeypatch):
    original = checks.registry()["probe-named-port"].func

    def fails_for_readiness(container, params):  # KPL103 only; KPL104/105 share the check
        if params.get("probe") == "readinessProbe":
            raise ZeroDivisionError("boom")
        yield from original(container, params)

    others = _without("KPL103")
    _replace_check(monkeypatch, "probe-named-port", fails_for_readiness)
    findings = _lint()
    internal = [f for f in findings if f.rule_id == "KPL009"]
    assert len(internal) == 2  # one per container of the pod
    for finding in internal:
        assert finding.rule_name == "internal-error"
        assert finding.severity == "error"
        assert finding.failed_rule == "KPL103"
        assert "rule KPL103 (readiness-probe-port-undeclared) failed" in finding.message
        assert "ZeroDivisionError: boom" in finding.message
        assert finding.object.name == "web" and finding.object.namespace == "shop"
    assert {f.container for f in internal} == {"web", "side"}
    assert _located(findings) - {(f.rule_id, f.span.line, f.span.column) for f in internal} \
        == others


@pytest.mark.parametrize(
    "check, rule, text",
    [
        ("restart-policy-for-kind", "KPL401", POD),  # a pod check
        ("image-tag-latest", "KPL204", POD),  # a container check
        ("env-reference-object-missing", "KPL502",  # a check over the whole input
         POD.replace("      image: busybox:1.36\n", "      image: busybox:1.36\n      env: "
                     "[{name: A, valueFrom: {configMapKeyRef: {name: cm, key: k}}}]\n")),
        ("service-target-port-undeclared", "KPL518",  # a Service over the whole input
         "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n"
         "  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n---\n"
         + POD.replace("  namespace: shop\n", "  namespace: shop\n  labels: {app: web}\n")
         .replace("  restartPolicy: Sometimes\n", "")),
    ],
    ids=["pod", "container", "bundle", "object-bundle"],
)
def test_every_scope_turns_an_exception_into_kpl009(monkeypatch, check, rule, text):
    assert checks.registry()[check].scope in ("pod", "container", "bundle", "object-bundle")
    others = _without(rule, text)
    assert rule in {r for r, _, _ in _located(_lint(text))}  # the rule finds something here
    _replace_check(monkeypatch, check, _boom)
    findings = _lint(text)
    internal = [f for f in findings if f.rule_id == "KPL009"]
    assert internal, findings
    assert {f.failed_rule for f in internal} == {rule}
    assert all(f.file == "-" and f.object.name == "web" for f in internal)
    assert not [f for f in findings if f.rule_id == rule]
    assert {x for x in _located(findings) if x[0] != "KPL009"} == others


def test_a_check_that_fails_after_yielding_keeps_what_it_yielded(monkeypatch):
    original = checks.registry()["image-tag-latest"].func

    def yields_then_fails(container, params):
        yield from original(container, params)
        raise KeyError("late")

    _replace_check(monkeypatch, "image-tag-latest", yields_then_fails)
    findings = _lint()
    assert ("KPL204", 10, 14) in _located(findings)
    internal = [f for f in findings if f.rule_id == "KPL009"]
    assert len(internal) == 2 and all("KeyError: 'late'" in f.message for f in internal)


def test_a_check_yielding_a_path_that_does_not_exist(monkeypatch):
    from kprobelint.checks import Violation  # noqa: PLC0415

    def nonsense(container, params):
        yield Violation(("no", 7, "such"), "odd path")
        yield Violation((), "empty path", on_key=True)

    _replace_check(monkeypatch, "image-tag-latest", nonsense)
    findings = [f for f in _lint() if f.rule_id in ("KPL204", "KPL009")]
    assert {f.rule_id for f in findings} == {"KPL204"}  # located somewhere, never a crash
    assert all(f.span.line >= 1 and f.span.column >= 1 for f in findings)


def test_every_check_failing_at_once(monkeypatch):
    for name in list(checks.registry()):
        _replace_check(monkeypatch, name, _boom)
    findings = _lint(select=("ALL",))
    internal = {f.failed_rule for f in findings if f.rule_id == "KPL009"}
    assert len(internal) > 30
    assert {f.rule_id for f in findings} == {"KPL009"}


def test_suppressed_rules_do_not_hide_the_internal_error(monkeypatch):
    _replace_check(monkeypatch, "image-tag-latest", _boom)
    text = POD.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n"
                       "    kprobelint.io/ignore: KPL204\n")
    internal = [f for f in _lint(text) if f.rule_id == "KPL009"]
    assert {f.failed_rule for f in internal} == {"KPL204"}


CLI_SCRIPT = """
import sys
from kprobelint import checks
from kprobelint.records import replace
from kprobelint.cli import main

def boom(*args):
    raise ZeroDivisionError("boom")
    yield

spec = checks.registry()["image-tag-latest"]
checks.REGISTRY["image-tag-latest"] = replace(spec, func=boom)
sys.argv = ["kprobelint", "--format", "json", *sys.argv[1:]]
main()
"""


def test_internal_error_through_the_cli(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / KNOWN_BAD_NAME).write_text(KNOWN_BAD)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", CLI_SCRIPT, "."], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    internal = [f for f in report["findings"] if f["rule"] == "KPL009"]
    assert len(internal) == 3  # two containers in pod.yaml, one in the known-bad Pod
    assert {f["failed_rule"] for f in internal} == {"KPL204"}
    assert {f["file"] for f in internal} == {"pod.yaml", KNOWN_BAD_NAME}
    assert all(f["name"] == "internal-error" and f["severity"] == "error" for f in internal)
    located = {(f["file"], f["rule"], f["line"], f["column"]) for f in report["findings"]}
    assert ("pod.yaml", "KPL103", 12, 41) in located
    assert (KNOWN_BAD_NAME, "KPL103", 10, 41) in located
