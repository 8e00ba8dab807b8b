"""Helm-rendered input: every finding carries its template, and with --chart-dir its line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kprobelint.helm import MAX_TEMPLATE_BYTES, _template_lines, best_line, template_path

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


# Issue 9, item 2: a rendered `# Source:` comment is input; it must not open files outside
# the chart (a content oracle: which line of /etc/passwd a rendered line matches).


def _chart(tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 1.0.0\n")
    (chart / "templates" / "pod.yaml").write_text("kind: Pod\nspec:\n  image: x:latest\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("x\n" * 10 + "  image: x:latest\n")
    return chart, secret


def test_template_path_refuses_anything_outside_the_chart(tmp_path):
    chart, secret = _chart(tmp_path)
    assert template_path(str(chart), "mychart/templates/pod.yaml") == \
        (chart / "templates" / "pod.yaml").resolve()
    for source in ("mychart/../secret.txt", "mychart/templates/../../secret.txt",
                   "mychart//" + str(secret), "mychart/../../../../../../etc/passwd",
                   "mychart/templates/..", "mychart/.", "mychart/templates"):
        assert template_path(str(chart), source) is None, source
    (chart / "templates" / "link.yaml").symlink_to(secret)
    assert template_path(str(chart), "mychart/templates/link.yaml") is None
    os.mkfifo(chart / "templates" / "fifo.yaml")
    assert template_path(str(chart), "mychart/templates/fifo.yaml") is None


def test_a_huge_template_is_not_read(tmp_path):
    chart, _ = _chart(tmp_path)
    huge = chart / "templates" / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_TEMPLATE_BYTES + 1)  # sparse: no disk used
    assert template_path(str(chart), "mychart/templates/huge.yaml") is not None
    assert _template_lines(str(huge)) == ()


def test_a_source_comment_outside_the_chart_gets_no_template_line(tmp_path):
    chart, secret = _chart(tmp_path)
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(
        "---\n# Source: mychart/../secret.txt\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
        "spec:\n  containers:\n  - name: c\n    image: x:latest\n"
        "---\n# Source: mychart/templates/../../../../../../etc/passwd\napiVersion: v1\n"
        "kind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n  - name: c\n"
        "    image: root:latest\n")
    findings = [f for f in run_json("--chart-dir", str(chart), str(rendered))["findings"]
                if f["rule"] == "KPL204"]
    assert len(findings) == 2
    assert [f["source"]["line"] for f in findings] == [None, None]
    assert findings[0]["source"]["file"] == "mychart/../secret.txt"  # shown, never read
