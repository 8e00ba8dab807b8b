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


def run_json(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "kprobelint", "--format", "json", *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _by_rule(document: dict) -> dict:
    return {f["rule"]: f for f in document["findings"]}


def test_findings_carry_the_template_path():
    findings = _by_rule(run_json(str(RENDERED)))
    assert findings["KPL104"]["source"] == {"file": "mychart/templates/deployment.yaml",
                                            "line": None}


def test_chart_dir_adds_the_template_line():
    findings = _by_rule(run_json("--chart-dir", str(CHART), str(RENDERED)))
    template = (CHART / "templates" / "deployment.yaml").read_text().splitlines()
    probe = findings["KPL104"]
    assert probe["source"]["file"] == "mychart/templates/deployment.yaml"
    assert template[probe["source"]["line"] - 1].strip() == "port: http"
    policy = findings["KPL203"]
    assert template[policy["source"]["line"] - 1].strip().startswith("imagePullPolicy:")


def test_sarif_links_the_template(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kprobelint", "--format", "sarif", "--sarif-root", str(ROOT),
         "--chart-dir", str(CHART), str(RENDERED)],
        capture_output=True, text=True, timeout=60)
    results = json.loads(result.stdout)["runs"][0]["results"]
    related = [r["relatedLocations"][0]["physicalLocation"] for r in results]
    assert all(r["artifactLocation"]["uri"] == "mychart/templates/deployment.yaml"
               for r in related)
    assert all(r["region"]["startLine"] > 1 for r in related)


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
