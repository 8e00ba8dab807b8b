"""Configuration files, suppressions in the manifests, and baselines, through the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  annotations: {}
spec:
  containers:
    - name: app
      image: example/app:1.0
      imagePullPolicy: Never
      readinessProbe:
        httpGet: {path: /, port: http}
"""


def run(*args: str, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def rules_in(result) -> list[str]:
    return sorted(f["rule"] for f in json.loads(result.stdout)["findings"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "pod.yaml").write_text(POD)
    return tmp_path


SELECT = ("--select", "KPL103,KPL203,KPL007,KPL008")


def test_config_file_found_upward_selects_and_overrides_severity(project):
    (project / ".kprobelint.yaml").write_text(
        "select: [KPL203]\nseverity:\n  image-pull-policy-never: note\n")
    result = run("--format", "json", str(project / "manifests"))
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("KPL203", "note")]
    assert result.returncode == 0  # a note does not reach the default warning threshold


def test_pyproject_config(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.kprobelint]\nignore = ["KPL203"]\nfail-on = "error"\n')
    result = run("--format", "json", "--select", "KPL103,KPL203", str(project / "manifests"))
    assert rules_in(result) == ["KPL103"]


def test_per_path_ignores_and_excludes(project):
    (project / "legacy").mkdir()
    (project / "legacy" / "old.yaml").write_text(POD)
    (project / "vendor").mkdir()
    (project / "vendor" / "x.yaml").write_text(POD)
    (project / ".kprobelint.yaml").write_text(
        "per-path-ignores:\n  legacy/*: [KPL103]\nexclude: [vendor]\n")
    result = run("--format", "json", "--select", "KPL103", str(project))
    files = sorted(f["file"] for f in json.loads(result.stdout)["findings"])
    assert files == [str(project / "manifests" / "pod.yaml")]


def test_rule_params_from_config(tmp_path):
    from kprobelint.ruleset import builtin_rules

    rule = next((r for r in builtin_rules() if r.params and r.check and any(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in r.params.values())),
        None)
    if rule is None:
        pytest.skip("no numeric rule parameter yet")
    name = next(k for k, v in rule.params.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool))
    (tmp_path / ".kprobelint.yaml").write_text(f"params:\n  {rule.id}:\n    {name}: 1\n")
    result = run("config", "--show", str(tmp_path))
    assert json.loads(result.stdout)["params"] == {rule.id: {name: 1}}


@pytest.mark.parametrize(("text", "where", "message"), [
    ("select: [KPL999]\n", ":1:10:", "unknown rule 'KPL999'"),
    ("kube-version: 1.30\n", ":1:1:", "kube-version"),
    ("fail-on: warning\nseverity:\n  KPL203: fatal\n", ":3:3:", "severity.KPL203"),
    ("ignroe: [KPL203]\n", ":1:1:", "unknown key 'ignroe'"),
    ("params:\n  KPL203:\n    threshold: 3\n", ":3:5:", "has no option 'threshold'"),
])
def test_config_mistakes_name_file_line_and_key(project, text, where, message):
    config = project / ".kprobelint.yaml"
    config.write_text(text)
    result = run(str(project / "manifests"))
    assert result.returncode == 2
    assert f"{config}{where}" in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_config_show_prints_effective_configuration(project):
    (project / ".kprobelint.yaml").write_text("kube-version: '1.29'\ncomplete: true\n")
    result = run("config", "--show", str(project))
    shown = json.loads(result.stdout)
    assert shown["kube-version"] == "1.29" and shown["complete"] is True
    assert shown["fail-on"] == "warning"
    assert shown["config-file"] == str(project / ".kprobelint.yaml")


def test_config_schema_is_valid_json_schema():
    from kprobelint.ruleset import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "config.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def test_object_annotation_suppresses_and_sarif_keeps_it(project, sarif_schema_path):
    path = project / "manifests" / "pod.yaml"
    path.write_text(POD.replace(
        "annotations: {}",
        'annotations:\n    kprobelint.io/ignore: "KPL203"\n'
        '    kprobelint.io/ignore-reason: "preloaded on every node"'))
    result = run("--format", "json", *SELECT, str(path))
    assert rules_in(result) == ["KPL103"]
    sarif = json.loads(run("--format", "sarif", *SELECT, "--sarif-root", str(project),
                           str(path)).stdout)
    jsonschema.Draft4Validator(json.loads(sarif_schema_path.read_text())).validate(sarif)
    [suppressed] = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed["ruleId"] == "KPL203"
    assert suppressed["suppressions"][0]["justification"] == \
        "annotation: preloaded on every node"


def test_container_annotation_suppresses_one_container(project):
    two = POD.replace("annotations: {}", 'annotations:\n    kprobelint.io/ignore.app: '
                      '"image-pull-policy-never"') + \
        "    - name: other\n      image: example/o:1\n      imagePullPolicy: Never\n"
    path = project / "manifests" / "pod.yaml"
    path.write_text(two)
    findings = json.loads(run("--format", "json", "--select", "KPL203", str(path)).stdout)
    assert [f["container"] for f in findings["findings"]] == ["other"]


def test_comment_suppression_on_line_or_line_above(project):
    path = project / "manifests" / "pod.yaml"
    path.write_text(POD.replace(
        "      imagePullPolicy: Never",
        "      # kprobelint: ignore[KPL203] kind cluster\n      imagePullPolicy: Never").replace(
        "port: http}", "port: http}  # kprobelint: ignore[readiness-probe-port-undeclared]"))
    assert rules_in(run("--format", "json", *SELECT, str(path))) == []


def test_unknown_and_unused_suppressions_are_reported(project):
    path = project / "manifests" / "pod.yaml"
    path.write_text(POD.replace("annotations: {}", 'annotations:\n    kprobelint.io/ignore: '
                                '"KPL2O3"').replace(
        "      imagePullPolicy: Never", "      # kprobelint: ignore[KPL103]\n"
        "      imagePullPolicy: Never"))
    result = run("--format", "json", *SELECT, str(path))
    findings = json.loads(result.stdout)["findings"]
    by_rule = {f["rule"]: f for f in findings}
    assert "KPL2O3" in by_rule["KPL007"]["message"]
    assert by_rule["KPL007"]["line"] == 6
    assert by_rule["KPL008"]["line"] == 11 and by_rule["KPL008"]["severity"] == "note"


def test_baseline_reports_only_new_findings_despite_line_shifts(project):
    baseline = project / "baseline.json"
    manifests = str(project / "manifests")
    written = run("--write-baseline", str(baseline), *SELECT, manifests)
    assert written.returncode == 0 and baseline.is_file()
    assert run("--baseline", str(baseline), *SELECT, manifests).returncode == 0
    path = project / "manifests" / "pod.yaml"
    # Shift every line and add a new mistake: only the new one is reported.
    path.write_text("# a comment\n# another\n" + POD + "---\n" + POD.replace("name: app\n",
                    "name: second\n", 1))
    result = run("--baseline", str(baseline), "--format", "json", *SELECT, manifests)
    findings = json.loads(result.stdout)["findings"]
    assert {f["object"]["name"] for f in findings} == {"second"}
    assert len(findings) == 2


def test_bad_baseline_is_a_usage_error(project):
    (project / "b.json").write_text("{}")
    result = run("--baseline", str(project / "b.json"), str(project / "manifests"))
    assert result.returncode == 2 and "not a kprobelint baseline" in result.stderr


def _readme_block(after: str) -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    start = readme.index("```yaml\n", readme.index(after)) + len("```yaml\n")
    return readme[start:readme.index("```\n", start)]


def test_readme_configuration_snippet_is_valid(tmp_path):
    (tmp_path / ".kprobelint.yaml").write_text(_readme_block("## Configuration"))
    result = run("config", "--show", str(tmp_path))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["kube-version"] == "1.31" and shown["severity"] == {"KPL203": "error"}


def test_readme_suppression_snippet_silences_what_it_says(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(_readme_block("## Suppressions"))
    unsuppressed = path.read_text().replace("kprobelint", "kprobelint-off")
    (tmp_path / "raw.yaml").write_text(unsuppressed)
    raw = {f["rule"] for f in json.loads(run("--format", "json", "--fail-on", "note",
                                             str(tmp_path / "raw.yaml")).stdout)["findings"]}
    assert {"KPL203", "KPL204", "KPL150"} <= raw  # the snippet's mistakes are real
    result = run("--format", "json", "--fail-on", "note", str(path))
    assert json.loads(result.stdout)["findings"] == [], result.stdout
    assert result.returncode == 0
