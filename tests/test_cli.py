"""End to end: the real command, its formats, exit codes and messages."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from lintutil import BROKEN_DEPLOYMENT

from kprobelint.docs import rules_markdown
from kprobelint.ruleset import SCHEMA_DIR, builtin_rules
from kprobelint.versions import known_versions

ROOT = Path(__file__).resolve().parents[1]

CLEAN_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports:
        - {name: http, containerPort: 80}
      readinessProbe:
        httpGet: {path: /, port: http}
      livenessProbe:
        tcpSocket: {port: http}
        failureThreshold: 6
"""
NOTE_ONLY = CLEAN_POD.replace("image: nginx:1.27",
                              "image: nginx:1.27\n      imagePullPolicy: Never")


def run(*args: str, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "kprobelint", *args], input=stdin, capture_output=True,
        text=True, cwd=cwd, timeout=60,
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "broken.yaml").write_text(BROKEN_DEPLOYMENT)
    (tmp_path / "clean.yaml").write_text(CLEAN_POD)
    return tmp_path


def test_text_output_names_location_rule_object_container_and_status(files):
    result = run("--select", "KPL103", str(files / "broken.yaml"))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{files / 'broken.yaml'}:19:45: error KPL103 ")
    assert 'port "http"' in first and 'container "web"' in first
    assert "Deployment shop/web | container web | leads to ContainersNotReady" in result.stdout
    assert result.stdout.rstrip().endswith("in 1 file (checked 1 file, 1 object).")
    assert "\033[" not in result.stdout  # no colour when not on a terminal
    assert result.stderr == ""


def test_clean_input_exits_zero(files):
    result = run(str(files / "clean.yaml"))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "No problems found (checked 1 file, 1 object).\n"


def test_json_output_matches_its_schema_and_contract(files):
    result = run("--format", "json", "--select", "KPL103,KPL201", str(files))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    schema = json.loads((SCHEMA_DIR / "findings.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    [finding] = document["findings"]
    assert finding["rule"] == "KPL103"
    assert finding["name"] == "readiness-probe-port-undeclared"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == \
        (19, 45, 19, 49)
    assert finding["object"] == {"kind": "Deployment", "name": "web", "namespace": "shop"}
    assert finding["container"] == "web"
    assert finding["field"] == "spec.template.spec.containers[0].readinessProbe.httpGet.port"
    assert finding["statuses"] == ["ContainersNotReady"]
    assert (finding["certainty"], finding["condition"]) == ("certain", None)
    assert document["summary"]["files"] == 2
    assert document["summary"]["objects"] == 2
    assert document["summary"]["findings"] == {"error": 1, "warning": 0, "note": 0}


IDENTICAL_PROBES = """\
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: cache
      image: redis:7.4
      readinessProbe:
        tcpSocket: {port: 6379}
      livenessProbe:
        tcpSocket: {port: 6379}
"""


def test_conditional_findings_say_their_condition_in_every_format(tmp_path):
    (tmp_path / "cache.yaml").write_text(IDENTICAL_PROBES)
    condition = next(r.condition for r in builtin_rules() if r.id == "KPL126")
    text = run("--select", "KPL126", "--fail-on", "note", str(tmp_path))
    assert text.returncode == 1
    assert f"may lead to CrashLoopBackOff, only if {condition}" in text.stdout
    document = json.loads(run("--format", "json", "--select", "KPL126", str(tmp_path)).stdout)
    [finding] = document["findings"]
    assert (finding["severity"], finding["certainty"], finding["condition"]) == \
        ("note", "conditional", condition)
    schema = json.loads((SCHEMA_DIR / "findings.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    github = run("--format", "github", "--select", "KPL126", str(tmp_path)).stdout
    assert github.startswith("::notice ") and \
        f"May lead to: CrashLoopBackOff, only if {condition}." in github
    explained = run("explain", "KPL126").stdout
    assert f"Certainty: conditional: only if {condition}" in explained
    assert "Certainty: certain" in run("explain", "KPL103").stdout
    rules = {r["id"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    assert (rules["KPL126"]["certainty"], rules["KPL126"]["condition"]) == \
        ("conditional", condition)


def test_sarif_output_is_valid_and_relative(files, sarif_schema_path):
    result = run("--format", "sarif", "--select", "KPL103", "--sarif-root", str(files),
                 str(files))
    assert result.returncode == 1
    log = json.loads(result.stdout)
    schema = json.loads(sarif_schema_path.read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    [run_] = log["runs"]
    [res] = run_["results"]
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken.yaml"
    assert location["region"] == {"startLine": 19, "startColumn": 45, "endLine": 19,
                                  "endColumn": 49, "snippet": {"text": "http"}}
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert res["ruleId"] == "KPL103" and ids[res["ruleIndex"]] == "KPL103"


def test_output_file_and_stdin(files, tmp_path):
    out = tmp_path / "report.json"
    result = run("--format", "json", "--select", "KPL103", "--output", str(out), "-",
                 stdin=BROKEN_DEPLOYMENT)
    assert result.returncode == 1
    assert result.stdout == ""
    assert json.loads(out.read_text())["findings"][0]["file"] == "-"


def test_fail_on_threshold(files):
    path = files / "never.yaml"
    path.write_text(NOTE_ONLY)  # one warning (KPL203)
    assert run(str(path)).returncode == 1
    assert run("--fail-on", "error", str(path)).returncode == 0
    assert run("--fail-on", "note", str(path)).returncode == 1


def test_select_and_ignore_take_ids_names_and_prefixes(files):
    path = str(files / "broken.yaml")
    assert run("--select", "KPL1", "--ignore", "KPL103", path).returncode == 0
    assert run("--select", "KPL1", "--ignore", "readiness-probe-port-undeclared",
               path).returncode == 0
    assert run("--ignore", "KPL1", path).returncode == 0
    assert run("--select", "KPL2,KPL4", path).returncode == 0
    assert run("--select", "KPL10", path).returncode == 1


def test_usage_errors_exit_two_without_traceback(files):
    for args in (("--select", "KPL999", str(files)), (str(files / "missing.yaml"),),
                 ("--kube-version", "banana", str(files)), ("--format", "xml", str(files)), ()):
        result = run(*args)
        assert result.returncode == 2, (args, result)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip(), args


def test_kube_version_gates_rules(tmp_path):
    gated = [r for r in builtin_rules() if r.min_kube_version or r.max_kube_version]
    assert gated, "at least one rule depends on the Kubernetes version"
    for rule in gated:
        example = rule.failing[0]
        path = tmp_path / f"{rule.id}.yaml"
        path.write_text(example.yaml)
        inside = example.kube_version or rule.min_kube_version or rule.max_kube_version
        major, minor = map(int, (rule.max_kube_version or rule.min_kube_version).split("."))
        outside = f"{major}.{minor + 1}" if rule.max_kube_version else f"{major}.{minor - 1}"
        common = ("--select", rule.id, "--fail-on", "note", str(path))
        assert run("--kube-version", inside, *common).returncode == 1, rule.id
        # Below the oldest version kprobelint knows there is no "outside": it is refused.
        known = outside in known_versions()
        assert run("--kube-version", outside, *common).returncode == (0 if known else 2), rule.id


def test_parse_error_is_a_located_finding_and_other_files_still_lint(files):
    (files / "bad.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n")
    result = run(str(files))
    assert result.returncode == 1
    assert f"{files / 'bad.yaml'}:4:1: error KPL001 invalid YAML" in result.stdout
    assert "KPL103" in result.stdout  # broken.yaml was linted too


def test_unrendered_helm_template_gets_one_clear_message(tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    result = run(str(tmp_path))
    assert result.returncode == 0
    assert "helm template" in result.stderr
    assert "Traceback" not in result.stderr and "invalid YAML" not in result.stdout


def test_rules_command_formats(tmp_path):
    table = run("rules", cwd=tmp_path)
    assert table.returncode == 0
    assert "KPL103" in table.stdout and "readiness-probe-port-undeclared" in table.stdout
    as_json = json.loads(run("rules", "--format", "json").stdout)
    assert {r["id"] for r in as_json} == {r.id for r in builtin_rules()}


def test_explain_rule_and_status():
    by_id = run("explain", "KPL104")
    assert by_id.returncode == 0
    assert "liveness-probe-port-undeclared" in by_id.stdout and "Fix:" in by_id.stdout
    by_name = run("explain", "liveness-probe-port-undeclared")
    assert by_name.stdout == by_id.stdout
    status = run("explain", "CrashLoopBackOff")
    assert status.returncode == 0 and "KPL302" in status.stdout
    node_lost = run("explain", "NodeLost")
    assert "No manifest causes this status" in node_lost.stdout
    assert run("explain", "NoSuchThing").returncode == 2


def test_docs_rules_md_is_up_to_date():
    docs = ROOT / "docs" / "rules.md"
    assert docs.read_text() == rules_markdown(), \
        "docs/rules.md is stale: run `kprobelint rules --format markdown > docs/rules.md`"


def test_explain_works_for_every_status_in_the_catalogue():
    from kprobelint.catalogue import load_catalogue
    from kprobelint.docs import explain_text

    for name, status in load_catalogue().items():
        text = explain_text(name)
        assert text.startswith(f"{name} ({status.stage})"), name
        if status.manifest_can_cause:
            assert "What to check:" in text, name
        else:
            assert "No manifest causes this status" in text and "Check instead:" in text, name
            assert status.instead and status.instead.split()[0] in text, name


def test_readme_sample_output_is_what_the_tool_prints():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("$ kprobelint examples/web-deployment.yaml\n") + len(
        "$ kprobelint examples/web-deployment.yaml\n")
    shown = readme[start:readme.index("```", start)]
    result = subprocess.run([sys.executable, "-m", "kprobelint", "examples/web-deployment.yaml"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout == shown
