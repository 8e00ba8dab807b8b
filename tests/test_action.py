"""The composite GitHub Action (action.yml), its example workflow, and its lint script run here."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "kprobelint-workflow.yml"
DOC = ROOT / "docs" / "github-actions.md"
EXAMPLES = ROOT / "examples"
VENV_BIN = Path(sys.executable).parent

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
INPUT_REF = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)")
# How GitHub runs `shell: bash` (docs: "Metadata syntax", "Workflow syntax", shell).
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def action() -> dict:
    return load(ACTION)


@pytest.fixture(scope="module")
def steps(action: dict) -> list[dict]:
    return action["runs"]["steps"]


def strings(node: Any) -> Iterator[tuple[str, str]]:
    """Every (key, string value) of a YAML tree; list items carry their parent's key."""
    def walk(value: Any, key: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, str(k))
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, key)
        elif isinstance(value, str):
            yield key, value
    return walk(node, "")


def expressions(node: Any) -> list[str]:
    """The expressions of a workflow file: ``${{ }}`` bodies, and whole ``if:`` values."""
    found = []
    for key, value in strings(node):
        found += EXPRESSION.findall(value)
        if key == "if" and "${{" not in value:
            found.append(value)
    return found


def step(steps: list[dict], predicate) -> tuple[int, dict]:
    matches = [(i, s) for i, s in enumerate(steps) if predicate(s)]
    assert len(matches) == 1, matches
    return matches[0]


def lint_step(steps: list[dict]) -> tuple[int, dict]:
    return step(steps, lambda s: s.get("id") == "lint")


def upload_step(steps: list[dict]) -> tuple[int, dict]:
    return step(steps, lambda s: "upload-sarif" in s.get("uses", ""))


# --------------------------------------------------------------------------- structure


def test_action_is_composite(action: dict) -> None:
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"


def test_inputs_and_defaults(action: dict) -> None:
    defaults = {name: spec.get("default") for name, spec in action["inputs"].items()}
    assert defaults == {
        "paths": ".", "config": "", "fail-on": "warning", "sarif-file": "kprobelint.sarif",
        "upload-sarif": "true", "category": "kprobelint", "version": "", "kube-version": "",
        "annotations": "auto", "chart-dir": "", "exclude": "", "select": "", "ignore": "",
        "baseline": "", "args": "",
    }
    for spec in action["inputs"].values():
        assert spec["description"] and spec.get("required") is False


def test_every_input_used_is_declared_and_every_declared_input_used(action: dict) -> None:
    used = {name for expr in expressions(action) for name in INPUT_REF.findall(expr)}
    declared = set(action["inputs"])
    assert used <= declared, used - declared
    assert declared <= used, declared - used


def test_step_output_references_exist(action: dict, steps: list[dict]) -> None:
    ids = {s["id"] for s in steps if "id" in s}
    for expr in expressions(action):
        for step_id in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", expr):
            assert step_id in ids, expr


def test_no_expression_inside_any_script(steps: list[dict]) -> None:
    # Script injection: an input (or any context value) must reach a script through env.
    scripts = [s["run"] for s in steps if "run" in s]
    assert len(scripts) == 3
    for script in scripts:
        assert "${{" not in script
        assert "inputs." not in script


def test_run_steps_use_bash(steps: list[dict]) -> None:
    for s in steps:
        if "run" in s:
            assert s["shell"] == "bash", s.get("name")


def test_python_is_set_up_without_touching_the_job(steps: list[dict]) -> None:
    _, setup = step(steps, lambda s: s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["uses"] == "actions/setup-python@v5"
    assert setup["with"]["python-version"] == "3.12"
    assert setup["with"]["update-environment"] is False


def test_install_step(steps: list[dict]) -> None:
    _, install = step(steps, lambda s: s.get("id") == "install")
    assert install["env"]["KPL_VERSION"] == "${{ inputs.version }}"
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def test_lint_step_writes_sarif_once(steps: list[dict]) -> None:
    index, lint = lint_step(steps)
    script = lint["run"]
    assert script.count("kprobelint\" ") == 1  # one invocation of "$KPL_BIN/kprobelint"
    assert "--format sarif" in script and '--output "$KPL_SARIF_FILE"' in script
    assert lint["env"]["KPL_SARIF_FILE"] == "${{ inputs.sarif-file }}"
    assert "continue-on-error" not in lint  # exit 2 must fail the step
    assert index > step(steps, lambda s: s.get("id") == "install")[0]


def test_upload_step(steps: list[dict]) -> None:
    index, upload = upload_step(steps)
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}",
                              "category": "${{ inputs.category }}"}
    condition = " ".join(upload["if"].split())
    assert condition.startswith("always() && inputs.upload-sarif == 'true'")
    assert index > lint_step(steps)[0]


def test_failing_step_comes_after_the_upload(steps: list[dict]) -> None:
    upload_index, _ = upload_step(steps)
    index, fail = step(steps, lambda s: "exit 1" in s.get("run", ""))
    assert index > upload_index
    assert index == len(steps) - 1
    assert "steps.lint.outputs.exit-code == '1'" in fail["if"]
    assert "!cancelled()" in fail["if"]


def test_outputs(action: dict) -> None:
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.lint.outputs.exit-code }}"
    assert action["outputs"]["findings"]["value"] == "${{ steps.lint.outputs.findings }}"


# --------------------------------------------------------------------------- example workflow


@pytest.fixture(scope="module")
def workflow() -> dict:
    return load(WORKFLOW)


def test_example_workflow_permissions(workflow: dict) -> None:
    assert "push" in workflow["on"] and "pull_request" in workflow["on"]
    (job,) = workflow["jobs"].values()
    # A job-level block replaces the workflow-level one entirely.
    permissions = job.get("permissions", workflow.get("permissions"))
    assert permissions == {"contents": "read", "security-events": "write", "actions": "read"}
    assert workflow["permissions"] == {"contents": "read"}


def test_example_workflow_uses_the_action(workflow: dict, action: dict) -> None:
    (job,) = workflow["jobs"].values()
    uses = [s.get("uses", "") for s in job["steps"]]
    assert uses[0].startswith("actions/checkout@")
    (kpl,) = [s for s in job["steps"] if s.get("uses", "").startswith("kprobelint/kprobelint@")]
    assert kpl["uses"] == "kprobelint/kprobelint@v0"
    assert set(kpl.get("with", {})) <= set(action["inputs"])
    assert uses.index(kpl["uses"]) > 0


def test_doc_shows_the_example_workflow_verbatim() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "```yaml\n" + WORKFLOW.read_text(encoding="utf-8") + "```\n" in text


def test_readme_shows_the_example_workflow_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + WORKFLOW.read_text(encoding="utf-8") + "```\n" in readme


# --------------------------------------------------------------------------- the lint script, run


def run_lint_script(steps: list[dict], tmp_path: Path, bin_dir: Path = VENV_BIN, **inputs: str):
    """Run the lint step's script as GitHub would, with the env the step sets."""
    _, lint = lint_step(steps)
    script = tmp_path / "lint.sh"
    script.write_text(lint["run"], encoding="utf-8")
    output = tmp_path / "github_output"
    output.write_text("")
    values = {"paths": str(EXAMPLES), "config": "", "fail-on": "warning",
              "sarif-file": str(tmp_path / "kprobelint.sarif"), "kube-version": "",
              "annotations": "true", "upload-sarif": "true", "chart-dir": "", "exclude": "",
              "select": "", "ignore": "", "baseline": "", "args": "", **inputs}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPL_", "GITHUB_"))}
    for name, value in lint["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        if match:
            env[name] = values[match.group(1)]
    env["KPL_BIN"] = str(bin_dir)  # ${{ steps.install.outputs.bin }}
    env["KPL_CAN_UPLOAD"] = values.get("can-upload", "true")  # false for fork pull requests
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_OUTPUT"] = str(output)
    proc = subprocess.run([*BASH, str(script)], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return proc, outputs


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
@pytest.mark.parametrize("annotations, upload, can_upload, expected", [
    ("true", "true", "true", True),
    ("false", "false", "true", False),
    ("auto", "true", "true", False),  # code scanning shows them: not twice on a PR
    ("auto", "false", "true", True),
    ("auto", "true", "false", True),  # a fork's pull request: no upload, so annotations
])
def test_lint_script_runs(steps: list[dict], tmp_path: Path, annotations: str, upload: str,
                          can_upload: str, expected: bool) -> None:
    proc, outputs = run_lint_script(steps, tmp_path, annotations=annotations,
                                    **{"upload-sarif": upload, "can-upload": can_upload})
    assert proc.returncode == 0, proc.stderr  # findings do not fail this step
    assert outputs["exit-code"] == "1", proc.stderr  # the examples have findings
    sarif = tmp_path / "kprobelint.sarif"
    assert sarif.is_file()
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert results and outputs["findings"] == str(len(results))
    annotated = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotated) == (len(results) if expected else 0)


def readme_suppression_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Suppressions"):]
    return section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml"))]


@needs_bash
def test_suppressed_findings_are_not_counted(steps: list[dict], tmp_path: Path) -> None:
    manifest = tmp_path / "kind-dev.yaml"
    manifest.write_text(readme_suppression_example(), encoding="utf-8")
    proc, outputs = run_lint_script(steps, tmp_path, annotations="false", paths=str(manifest))
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "kprobelint.sarif").read_text())["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert suppressed, "the README example suppresses findings"
    assert outputs["findings"] == str(len(results) - len(suppressed)) == "0"
    assert outputs["exit-code"] == "0"


@needs_bash
def test_lint_script_passes_the_options_people_use(steps: list[dict], tmp_path: Path) -> None:
    baseline = tmp_path / "bl.json"
    subprocess.run([str(VENV_BIN / "kprobelint"), "--write-baseline", str(baseline),
                    "--select", "KPL103", str(EXAMPLES / "web-deployment.yaml")],
                   capture_output=True, check=True, timeout=120)
    rendered = EXAMPLES / "helm-rendered.yaml"
    proc, outputs = run_lint_script(
        steps, tmp_path, annotations="false",
        paths=f"{EXAMPLES / 'web-deployment.yaml'}\n{rendered} {EXAMPLES / 'batch-cronjob.yaml'}",
        **{"chart-dir": str(EXAMPLES / "mychart"), "exclude": "batch-*.yaml",
           "select": "KPL103,KPL104, KPL201", "ignore": "KPL201",
           "baseline": str(baseline), "args": "--kube-version '1.30' --complete"})
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "kprobelint.sarif").read_text())["runs"][0]["results"]
    # KPL103 of web-deployment is in the baseline, KPL201 ignored, the CronJob excluded:
    # what is left is the Helm finding, which lands on the chart's template.
    assert {r["ruleId"] for r in results} == {"KPL104"}
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("examples/mychart/templates/deployment.yaml")
    bad = run_lint_script(steps, tmp_path, annotations="false", args="--select 'KPL1")[0]
    assert bad.returncode == 2 and "cannot be split into words" in bad.stdout


@needs_bash
def test_lint_script_clean_input_and_path_splitting(steps: list[dict], tmp_path: Path) -> None:
    clean = EXAMPLES / "clean-statefulset.yaml"
    proc, outputs = run_lint_script(steps, tmp_path, annotations="false",
                                    paths=f"  {clean}\n {clean}  ", **{"kube-version": "1.31"})
    assert proc.returncode == 0, proc.stderr
    assert outputs["exit-code"] == "0"
    assert outputs["findings"] == "0"


@needs_bash
@pytest.mark.parametrize("inputs", [
    {"paths": str(EXAMPLES / "*.yaml")},  # globs are not expanded: no such file
    {"fail-on": "sometimes"},
    {"kube-version": "one.two"},
])
def test_lint_script_usage_error_fails_the_step(steps: list[dict], tmp_path: Path,
                                                inputs: dict) -> None:
    proc, outputs = run_lint_script(steps, tmp_path, annotations="false", **inputs)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert outputs["exit-code"] == "2"
    assert "::error title=kprobelint::kprobelint exited with 2" in proc.stdout


@needs_bash
def test_install_script_then_lint(steps: list[dict], tmp_path: Path) -> None:
    """The install step builds a private venv from the action's checkout (pip: ~10 s)."""
    _, install = step(steps, lambda s: s.get("id") == "install")
    script = tmp_path / "install.sh"
    script.write_text(install["run"], encoding="utf-8")
    output = tmp_path / "install_output"
    output.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPL_", "GITHUB_"))}
    env.update(KPL_PYTHON=sys.executable, KPL_VERSION="", RUNNER_TEMP=str(tmp_path),
               GITHUB_ACTION_PATH=str(ROOT), GITHUB_OUTPUT=str(output))
    proc = subprocess.run([*BASH, str(script)], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("kprobelint, version ")
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    bin_dir = Path(outputs["bin"])
    assert bin_dir.parent == tmp_path / "kprobelint-venv"

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    proc, outputs = run_lint_script(steps, run_dir, bin_dir=bin_dir, annotations="false")
    assert proc.returncode == 0, proc.stderr
    assert outputs["exit-code"] == "1"
    assert (run_dir / "kprobelint.sarif").is_file()
