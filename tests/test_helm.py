"""Helm-rendered input: every finding carries its template, and with --chart-dir its line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kprobelint.helm import best_line, template_path

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "examples" / "helm-rendered.yaml"
CHART = ROOT / "examples" / "mychart"


def run_json(*args: str, input: str | None = None) -> dict:
    result = subprocess.run([sys.executable, "-m", "kprobelint", "--format", "json", *args],
                            capture_output=True, text=True, timeout=60, input=input)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _by_rule(document: dict) -> dict:
    return {f["rule"]: f for f in document["findings"]}


def test_findings_carry_the_template_path():
    findings = _by_rule(run_json(str(RENDERED)))
    assert findings["KPL104"]["source"] == {"file": "mychart/templates/deployment.yaml",
                                            "line": None, "path": None}


def test_chart_dir_adds_the_template_line():
    findings = _by_rule(run_json("--chart-dir", str(CHART), str(RENDERED)))
    template = (CHART / "templates" / "deployment.yaml").read_text().splitlines()
    probe = findings["KPL104"]
    assert probe["source"]["file"] == "mychart/templates/deployment.yaml"
    assert probe["source"]["path"] == str(CHART / "templates" / "deployment.yaml")
    assert template[probe["source"]["line"] - 1].strip() == "port: http"
    policy = findings["KPL203"]
    assert template[policy["source"]["line"] - 1].strip().startswith("imagePullPolicy:")


def test_sarif_without_chart_dir_links_the_template_as_helm_names_it():
    result = subprocess.run(
        [sys.executable, "-m", "kprobelint", "--format", "sarif", "--sarif-root", str(ROOT),
         str(RENDERED)], capture_output=True, text=True, timeout=60)
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert results
    for r in results:
        primary = r["locations"][0]["physicalLocation"]
        assert primary["artifactLocation"]["uri"] == "examples/helm-rendered.yaml"
        related = r["relatedLocations"][0]["physicalLocation"]
        assert related["artifactLocation"]["uri"] == "mychart/templates/deployment.yaml"
        assert "region" not in related


def test_sarif_primary_location_is_the_repository_relative_template(tmp_path):
    """`helm template CHART | kprobelint --chart-dir CHART --format sarif -`: the alert
    lands on the chart's template file and line; the rendered position is related."""
    rendered = RENDERED.read_text()
    result = subprocess.run(
        [sys.executable, "-m", "kprobelint", "--format", "sarif", "--chart-dir",
         "examples/mychart", "-"], input=rendered, capture_output=True, text=True,
        timeout=60, cwd=ROOT)
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert results
    template = (CHART / "templates" / "deployment.yaml").read_text().splitlines()
    rendered_lines = rendered.splitlines()
    for r in results:
        primary = r["locations"][0]["physicalLocation"]
        assert primary["artifactLocation"]["uri"] == "examples/mychart/templates/deployment.yaml"
        line = primary["region"]["startLine"]
        related = r["relatedLocations"][0]
        assert related["message"]["text"] == "Rendered output"
        assert related["physicalLocation"]["artifactLocation"]["uri"] == "stdin"
        at = related["physicalLocation"]["region"]["startLine"]
        # The template line holds the rendered key (values differ where templated).
        key = rendered_lines[at - 1].strip().lstrip("- ").split(":")[0]
        assert template[line - 1].strip().lstrip("- ").startswith(key), (r["ruleId"], line)


def test_github_annotations_land_on_the_template():
    result = subprocess.run(
        [sys.executable, "-m", "kprobelint", "--format", "github", "--chart-dir",
         "examples/mychart", "--stdin-filename", "rendered.yaml", "-"],
        input=RENDERED.read_text(), capture_output=True, text=True, timeout=60, cwd=ROOT)
    lines = result.stdout.splitlines()
    assert lines and all("file=examples/mychart/templates/deployment.yaml,line=" in line
                         for line in lines), lines
    assert all("(rendered at rendered.yaml:" in line for line in lines)


def test_whole_input_findings_get_their_template_line(tmp_path):
    """Findings decided once the whole input is read (a Service selecting the Pod) are
    mapped to their template line too."""
    service = ("---\n# Source: mychart/templates/service.yaml\napiVersion: v1\nkind: Service\n"
               "metadata:\n  name: s\nspec:\n  selector: {app: mychart}\n"
               "  ports: [{port: 80}]\n")
    chart = tmp_path / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 1.0.0\n")
    (chart / "templates" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"
        "  labels: {app: mychart}\nspec:\n  containers:\n    - name: app\n"
        "      image: example/app:1.0\n")
    (chart / "templates" / "service.yaml").write_text(service.split("\n", 2)[2])
    rendered = ("# Source: mychart/templates/pod.yaml\napiVersion: v1\nkind: Pod\n"
                "metadata:\n  name: demo\n  labels: {app: mychart}\nspec:\n  containers:\n"
                "    - name: app\n      image: example/app:1.0\n" + service)
    document = run_json("--select", "readiness-probe-missing", "--chart-dir", str(chart), "-",
                        input=rendered)
    (finding,) = document["findings"]
    assert finding["source"]["path"] == str(chart / "templates" / "pod.yaml")
    assert finding["source"]["line"] == 8  # "- name: app"


def test_template_path_strips_the_chart_name():
    assert template_path(str(CHART), "mychart/templates/deployment.yaml") == \
        CHART / "templates" / "deployment.yaml"
    assert template_path(str(CHART), "mychart/templates/missing.yaml") is None
    assert template_path(str(CHART), "deployment.yaml") is None


def test_best_line_prefers_exact_text_then_key_then_nearest():
    template = ("metadata:", "name: {{ .Release.Name }}", "port: http", "x: 1", "port: http")
    assert best_line(template, "    port: http", 4) == 5
    assert best_line(template, "    port: http", 1) == 3
    assert best_line(template, "  name: demo", 0) == 2  # same key, templated value
    assert best_line(template, "  other: 1", 0) is None
