"""`kprobelint fix` and `check --fix` end to end: output, exit codes, and fixable marks in
every report format."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from test_fix import JOB, POD, POD_FIXED

from kprobelint.ruleset import SCHEMA_DIR

UNSAFE_ONLY = JOB  # its one fix is unsafe
ALIASED = POD.replace("      image: example/app:1.0\n      imagePullPolicy: always",
                      "      image: example/app:1.0\n      imagePullPolicy: &p always\n"
                      "      env: [{name: P, value: *p}]")


def run(*args: str, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def pod(tmp_path: Path) -> Path:
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    return path


def test_fix_rewrites_in_place_and_says_what_each_fix_averts(pod):
    result = run("fix", str(pod))
    assert result.returncode == 0, result.stderr
    assert pod.read_text() == POD_FIXED
    assert result.stdout.splitlines() == [
        f"{pod}:9:24: fixed KPL206: would be Rejected (always → Always)",
        f"{pod}:11:52: fixed KPL110: would be Rejected (https → HTTPS)",
        f"{pod}:12:27: fixed KPL102: would be Rejected (2 → 1)",
        "Fixed 3 problems in 1 file.",
    ]
    again = run("fix", str(pod))
    assert (again.returncode, again.stdout) == (0, "Nothing to fix.\n")


def test_fix_diff_writes_nothing_and_exits_1_when_there_is_something_to_fix(pod):
    result = run("fix", "--diff", str(pod))
    assert result.returncode == 1
    assert pod.read_text() == POD
    assert result.stdout.startswith(f"--- {pod}\n+++ {pod}\n@@ -6,7 +6,7 @@\n")
    assert "-      imagePullPolicy: always  # keep me\n" \
           "+      imagePullPolicy: Always  # keep me\n" in result.stdout
    assert "would fix KPL206: would be Rejected (always → Always)" in result.stderr
    relative = run("fix", "--diff", "pod.yaml", cwd=pod.parent).stdout
    assert relative.startswith("--- pod.yaml\n+++ pod.yaml\n")
    if shutil.which("patch"):  # the diff applies as it is (`patch` is optional here)
        subprocess.run(["patch", "-p0", "--quiet"], input=relative, check=True, text=True,
                       cwd=pod.parent, timeout=60)
        assert pod.read_text() == POD_FIXED
        pod.write_text(POD)
    clean = run("fix", "--diff", str(pod), "--select", "KPL401")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_unsafe_fixes_only_on_request(tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(UNSAFE_ONLY)
    result = run("fix", str(job))
    assert result.returncode == 0
    assert job.read_text() == UNSAFE_ONLY
    assert result.stdout == "Nothing to fix.\n1 more fix is available with --unsafe-fixes.\n"
    result = run("fix", "--unsafe-fixes", str(job))
    assert result.returncode == 0
    assert "restartPolicy: OnFailure" in job.read_text()


def test_fix_exits_1_when_an_allowed_fix_is_refused(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(ALIASED)
    result = run("fix", str(path), "--select", "KPL206")
    assert result.returncode == 1
    assert path.read_text() == ALIASED
    assert f"{path}:9:24: not fixed KPL206: the value is shared through the YAML anchor &p" \
        in result.stdout
    assert "1 fixable problem was not fixed (see above)." in result.stdout


def test_fix_stdin_prints_the_fixed_text(pod):
    result = run("fix", "-", stdin=POD)
    assert result.returncode == 0
    assert result.stdout == POD_FIXED
    assert "-:9:24: fixed KPL206" in result.stderr
    unchanged = run("fix", "-", "--select", "KPL401", stdin=POD)
    assert unchanged.stdout == POD


def test_check_fix_reports_what_is_left(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD + "---\n" + UNSAFE_ONLY)
    result = run("check", "--fix", "--select", "KPL206,KPL110,KPL102,KPL401", str(path))
    assert result.returncode == 1
    assert "fixed KPL206" in result.stderr and "Fixed 3 problems" in result.stderr
    assert "KPL206" not in result.stdout
    assert "error KPL401" in result.stdout
    assert "unsafe fix: Always → OnFailure (kprobelint fix --unsafe-fixes)" in result.stdout
    assert result.stdout.endswith(
        "[*] 1 problem is fixable with `kprobelint fix --unsafe-fixes`.\n")
    result = run("check", "--fix", "--unsafe-fixes", str(path), "--select", "KPL401")
    assert result.returncode == 0


def test_usage_errors(pod):
    assert run("check", "--unsafe-fixes", str(pod)).returncode == 2
    result = run("check", "--fix", "-", stdin=POD)
    assert result.returncode == 2 and "kprobelint fix -" in result.stderr


def test_help_documents_fix_and_its_exit_codes():
    result = run("fix", "--help")
    assert result.returncode == 0
    for text in ("--diff", "--unsafe-fixes", "--select", "Exit codes:",
                 "with --diff: there is something to fix", "symbolic link"):
        assert text in result.stdout
    assert "--fix" in run("check", "--help").stdout


def test_text_report_marks_fixable_findings(pod):
    result = run(str(pod), "--select", "KPL206")
    assert "| fix: always → Always (kprobelint fix)" in result.stdout
    assert result.stdout.endswith("[*] 1 problem is fixable with `kprobelint fix`.\n")


def test_json_report_carries_the_fix_and_matches_its_schema(pod, tmp_path):
    helm = tmp_path / "rendered.yaml"
    helm.write_text("# Source: chart/templates/pod.yaml\n" + ALIASED)
    result = run("--format", "json", str(pod), str(helm), "--select", "KPL206,KPL110")
    document = json.loads(result.stdout)
    schema = json.loads((SCHEMA_DIR / "findings.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    by_file = {(f["file"], f["rule"]): f["fix"] for f in document["findings"]}
    assert by_file[(str(pod), "KPL206")] == {
        "safety": "safe", "change": "always → Always", "applicable": True, "reason": None,
        "edits": [{"line": 9, "column": 24, "end_line": 9, "end_column": 30,
                   "content": "Always"}]}
    helm_fix = by_file[(str(helm), "KPL206")]
    assert helm_fix["applicable"] is False and helm_fix["edits"] == []
    assert "generated from chart/templates/pod.yaml" in helm_fix["reason"]


def test_sarif_report_carries_replacements_and_stays_valid(pod, sarif_schema_path):
    result = run("--format", "sarif", "--sarif-root", str(pod.parent), str(pod))
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(json.loads(sarif_schema_path.read_text())).validate(log)
    fixes = {r["ruleId"]: r["fixes"] for r in log["runs"][0]["results"] if "fixes" in r}
    assert set(fixes) == {"KPL206", "KPL110", "KPL102"}
    [fix] = fixes["KPL206"]
    assert fix["description"]["text"] == "Fix: always → Always (kprobelint fix)."
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pod.yaml"}
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 9, "startColumn": 24, "endLine": 9, "endColumn": 30},
        "insertedContent": {"text": "Always"}}]


def test_explain_and_the_rule_list_say_whether_a_rule_is_fixed():
    explained = run("explain", "KPL113").stdout
    assert "Automatic fix:\n    unsafe, applied only by `kprobelint fix --unsafe-fixes`." \
        in explained
    assert "After `kprobelint fix`:" in explained
    assert "Automatic fix:\n    none: fix it by hand." in run("explain", "KPL103").stdout
    table = run("rules", "--format", "table").stdout.splitlines()
    assert table[0].split()[:6] == ["ID", "NAME", "SEVERITY", "CERTAINTY", "FIX", "STATUSES"]
    rules = {r["id"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    assert rules["KPL206"]["autofix"]["safety"] == "safe"
    assert rules["KPL103"]["autofix"] is None


def test_readme_fix_sample_is_what_the_tool_prints():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    command = "$ kprobelint fix --diff --unsafe-fixes examples/batch-cronjob.yaml\n"
    start = readme.index(command) + len(command)
    shown = readme[start:readme.index("```", start)]
    result = run(*command[2:].split()[1:], cwd=root)
    assert result.returncode == 1
    assert result.stdout + result.stderr == shown


def test_fix_stdin_keeps_its_encoding():
    data = b"\xff\xfe" + POD.encode("utf-16-le")
    result = subprocess.run([sys.executable, "-m", "kprobelint", "fix", "-"], input=data,
                            capture_output=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout == b"\xff\xfe" + POD_FIXED.encode("utf-16-le")
