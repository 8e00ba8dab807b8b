"""What a new user meets in the first hour: files that are not manifests, command names that
are also directories, output options, colours, baselines from subdirectories, .gitignore."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lintutil import BROKEN_DEPLOYMENT

ROOT = Path(__file__).resolve().parents[1]

TSCONFIG = """\
{
  // TypeScript allows comments and trailing commas in tsconfig.json
  "compilerOptions": {"strict": true,},
}
"""
VSCODE = '{\n  "editor.tabSize": 2, // two\n  "files.exclude": {"**/.git": true}\n}\n'
TABBED = "settings:\n\tname: x\n"
REPEATED = "name: a\nname: b\n"
BROKEN_MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n"
# JSON with comments that YAML reads as one flow mapping and then ignored content (KPL012
# in a manifest).
TRAILING = '{\n  "compilerOptions": {"strict": true,},\n}\n\n// Local Variables:\n'


def run(*args: str, cwd: Path | None = None, env: dict | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], capture_output=True,
                          text=True, cwd=cwd, env=environment, input=stdin, timeout=120)


# --------------------------------------------------------------------------- not manifests


def test_files_that_never_looked_like_manifests_pass_quietly(tmp_path):
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text(VSCODE)
    (tmp_path / "tabs.yaml").write_text(TABBED)
    (tmp_path / "repeated.yaml").write_text(REPEATED)
    (tmp_path / "jsconfig.json").write_text(TRAILING)
    names = ["tsconfig.json", ".vscode/settings.json", "tabs.yaml", "repeated.yaml",
             "jsconfig.json"]
    result = run("--format", "json", *names, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert sorted(s["file"] for s in report["summary"]["skipped"]) == sorted(names)
    assert all("not a Kubernetes manifest" in s["reason"] for s in report["summary"]["skipped"])


def test_a_broken_manifest_is_still_reported(tmp_path):
    (tmp_path / "pod.yaml").write_text(BROKEN_MANIFEST)
    (tmp_path / "tsconfig.json").write_text(TSCONFIG)
    result = run("pod.yaml", "tsconfig.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "pod.yaml:4:1: error KPL001 invalid YAML" in result.stdout
    assert "tsconfig.json" not in result.stdout
    assert "skipped tsconfig.json: not a Kubernetes manifest" in result.stderr


@pytest.mark.parametrize("text", [
    '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": [}}',  # JSON manifest
    "- apiVersion: v1\n  kind: Pod\n  metadata: {name: [\n",  # a list of objects
    "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",  # a tab in a manifest
])
def test_manifest_detection_sees_json_and_nested_keys(tmp_path, text):
    (tmp_path / "m.yaml").write_text(text)
    assert "KPL001" in run("m.yaml", cwd=tmp_path).stdout


@pytest.mark.parametrize("text, rule", [
    ('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a",},}\n// x\n',
     "KPL012"),
    ('{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "Ren\xe9"}}\n', "KPL011"),
])
def test_reading_problems_of_a_manifest_are_still_reported(tmp_path, text, rule):
    (tmp_path / "m.json").write_bytes(text.encode("latin-1"))
    assert f" {rule} " in run("m.json", cwd=tmp_path).stdout


# --------------------------------------------------------------------------- command or path


@pytest.mark.parametrize("name", ["config", "rules", "explain", "fix"])
def test_a_command_name_that_is_a_directory_is_never_silently_the_command(tmp_path, name):
    (tmp_path / name).mkdir()
    (tmp_path / name / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    result = run(name, cwd=tmp_path)
    assert result.returncode == 2
    assert f"kprobelint ./{name}" in result.stderr and "ambiguous" in result.stderr
    assert "Traceback" not in result.stderr
    for spelling in (f"./{name}", f"{name}/"):
        linted = run(spelling, cwd=tmp_path)
        assert linted.returncode == 1 and "KPL103" in linted.stdout, spelling
    assert run("check", name, cwd=tmp_path).returncode == 1


def test_a_command_with_its_options_still_runs_next_to_a_same_named_directory(tmp_path):
    for name in ("config", "rules", "explain"):
        (tmp_path / name).mkdir()
    assert run("rules", "--format", "json", cwd=tmp_path).returncode == 0
    assert run("config", "--show", cwd=tmp_path).returncode == 0
    assert "readiness" in run("explain", "KPL103", cwd=tmp_path).stdout


def test_an_empty_directory_warns(tmp_path):
    (tmp_path / "config").mkdir()
    result = run("./config", cwd=tmp_path)
    assert result.returncode == 0
    assert "no YAML or JSON files found" in result.stderr


def test_help_says_paths_mean_check_and_lists_exit_codes():
    result = run("--help")
    assert result.returncode == 0
    assert "`kprobelint PATHS` is short for `kprobelint check PATHS`" in result.stdout
    assert "Exit codes:" in result.stdout and "helm template" in result.stdout


# --------------------------------------------------------------------------- output options


@pytest.fixture
def broken(tmp_path) -> Path:
    (tmp_path / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    return tmp_path


def test_quiet_prints_findings_only(broken):
    result = run("--quiet", "--select", "KPL103", "deploy.yaml", cwd=broken)
    assert result.returncode == 1
    assert result.stdout.startswith("deploy.yaml:19:45: error KPL103")
    assert "Found" not in result.stdout
    (broken / "ok.yaml").write_text("a: 1\n")
    clean = run("-q", "ok.yaml", cwd=broken)
    assert clean.returncode == 0 and clean.stdout == "" and clean.stderr == ""


def test_statistics_counts_per_rule(broken):
    result = run("--statistics", "--select", "KPL103,KPL204", "deploy.yaml", cwd=broken)
    assert result.returncode == 1
    assert result.stdout.split() == ["1", "KPL103", "readiness-probe-port-undeclared", "error"]
    report = json.loads(run("--format", "json", "--select", "KPL103", "deploy.yaml",
                            cwd=broken).stdout)
    assert report["summary"]["rules"] == {"KPL103": 1}
    assert run("--statistics", "--format", "sarif", "deploy.yaml", cwd=broken).returncode == 2


def test_exit_zero(broken):
    assert run("--exit-zero", "deploy.yaml", cwd=broken).returncode == 0
    assert run("--exit-zero", "--select", "KPL999", "deploy.yaml", cwd=broken).returncode == 2


def test_source_line_and_caret(broken):
    result = run("--select", "KPL103", "deploy.yaml", cwd=broken)
    lines = result.stdout.splitlines()
    assert lines[1:4] == [
        "   |",
        "19 |             httpGet: {path: /healthz, port: http}",
        "   | " + " " * 44 + "^^^^",
    ]
    quiet_source = run("--no-show-source", "--select", "KPL103", "deploy.yaml", cwd=broken)
    assert "^^^^" not in quiet_source.stdout and " | " in quiet_source.stdout  # context line


def test_caret_under_tabs_and_wide_characters():
    from kprobelint.report.source import snippet

    shown, caret = snippet("\tname: 名前\tport: http", 11, 15)
    assert shown == "    name: 名前    port: http"
    assert caret == " " * (4 + 6 + 4 + 4) + "^^^^"
    shown, caret = snippet("x" * 5000 + "BAD" + "y" * 5000, 5001, 5004)
    assert len(shown) < 200 and caret.endswith("^^^") and shown[len(caret) - 3:len(caret)] == "BAD"


def test_source_of_stdin_is_shown_under_its_stdin_filename(broken):
    result = run("--select", "KPL103", "--stdin-filename", "k8s/web.yaml", "-",
                 cwd=broken, stdin=BROKEN_DEPLOYMENT)
    assert result.stdout.startswith("k8s/web.yaml:19:45: error KPL103")
    assert "19 |" in result.stdout


def test_colour_follows_flags_and_environment(broken):
    args = ("--select", "KPL103", "deploy.yaml")
    assert "\033[" not in run(*args, cwd=broken).stdout  # not a terminal
    assert "\033[" in run(*args, cwd=broken, env={"FORCE_COLOR": "1"}).stdout
    assert "\033[" not in run(*args, cwd=broken,
                              env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    # An empty NO_COLOR does not count (no-color.org); an explicit flag wins over all.
    assert "\033[" in run(*args, cwd=broken, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\033[" in run("--color", *args, cwd=broken, env={"NO_COLOR": "1"}).stdout


def test_colour_is_off_for_a_dumb_terminal():
    from kprobelint.commands import use_colour

    class Tty:
        @staticmethod
        def isatty():
            return True

    saved, sys.stdout = sys.stdout, Tty()
    try:
        os.environ["TERM"] = "dumb"
        assert use_colour(None, None) is False
        os.environ["TERM"] = "xterm-256color"
        assert use_colour(None, None) is True
    finally:
        sys.stdout = saved
        os.environ.pop("TERM", None)


def test_github_format_is_automatic_in_github_actions_with_workspace_paths(broken):
    (broken / "sub").mkdir()
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(broken)}
    result = run("--select", "KPL103", "../deploy.yaml", cwd=broken / "sub", env=env)
    assert result.stdout.startswith("::error file=deploy.yaml,line=19,col=45,")
    assert "Found 1 problem" in result.stderr  # the summary stays readable in the log
    text = run("--format", "text", "--select", "KPL103", "deploy.yaml", cwd=broken, env=env)
    assert text.stdout.startswith("deploy.yaml:19:45")


def test_pre_commit_batches_say_what_they_checked(broken):
    (broken / "ok.yaml").write_text("a: 1\n")
    env = {"PRE_COMMIT": "1"}
    failing = run("--select", "KPL103", "deploy.yaml", cwd=broken, env=env)
    clean = run("ok.yaml", cwd=broken, env=env)
    assert failing.stdout.splitlines()[-1] == (
        "Found 1 problem (1 error) in 1 file (this batch: checked 1 file, 1 object).")
    assert clean.stdout == "No problems found (this batch: checked 1 file, 0 objects).\n"


# --------------------------------------------------------------------------- options


def test_rules_kube_version_marks_rules_that_do_not_apply():
    table = run("rules", "--format", "table", "--kube-version", "1.25").stdout
    grpc = next(line for line in table.splitlines() if line.startswith("KPL130"))
    assert "not for 1.25: Kubernetes 1.23 and earlier" in grpc
    everything = run("rules", "--format", "table").stdout
    assert "not for" not in everything
    rules = json.loads(run("rules", "--format", "json", "--kube-version", "1.25").stdout)
    assert {r["id"]: r["applies"] for r in rules}["KPL130"] is False


@pytest.mark.parametrize("version", ["2.0", "1.99", "1.17", "one"])
def test_unknown_kube_versions_are_refused(broken, version):
    result = run("--kube-version", version, "deploy.yaml", cwd=broken)
    assert result.returncode == 2 and "kprobelint: error:" in result.stderr
    assert run("rules", "--kube-version", version).returncode == 2


def test_unquoted_kube_version_in_config_says_quote_it(broken):
    (broken / ".kprobelint.yaml").write_text("kube-version: 1.30\n")
    result = run("deploy.yaml", cwd=broken)
    assert result.returncode == 2
    assert '.kprobelint.yaml:1:1: kube-version 1.30 is read as the number 1.3' in result.stderr
    assert 'quote it: kube-version: "1.30"' in result.stderr


def test_explain_lists_options_and_versions():
    text = run("explain", "KPL128").stdout
    assert "Applies to: Kubernetes 1.18 and later" in text
    assert "`max_initial_delay_seconds` (an integer, default 60)" in text
    assert "Applies to: every version kprobelint knows" in run("explain", "KPL103").stdout


def test_explain_status_prints_no_research_notes():
    from kprobelint.catalogue import load_catalogue

    noted = [s for s in load_catalogue().values() if s.source_note]
    assert noted
    for status in noted[:5]:
        text = run("explain", status.name).stdout
        assert "source document" not in text and status.source_note[:40] not in text


# --------------------------------------------------------------------------- baseline, ignore


def test_baseline_works_from_any_directory(broken):
    (broken / "sub").mkdir()
    (broken / "sub" / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    assert run("--write-baseline", "bl.json", ".", cwd=broken).returncode == 0
    recorded = {e["file"] for e in json.loads((broken / "bl.json").read_text())["findings"]}
    assert recorded == {"deploy.yaml", "sub/deploy.yaml"}
    assert run("--baseline", "bl.json", ".", cwd=broken).returncode == 0
    assert run("--baseline", "../bl.json", ".", cwd=broken / "sub").returncode == 0
    assert run("--baseline", "bl.json", "sub/deploy.yaml", cwd=broken).returncode == 0
    # A new finding still shows.
    (broken / "sub" / "new.yaml").write_text(BROKEN_DEPLOYMENT)
    result = run("--baseline", "../bl.json", "--select", "KPL103", ".", cwd=broken / "sub")
    assert result.returncode == 1 and "new.yaml:19:45" in result.stdout


def test_gitignore_is_honoured_when_walking(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "k8s" / "generated").mkdir(parents=True)
    (repo / "k8s" / "app.yaml").write_text(BROKEN_DEPLOYMENT)
    (repo / "k8s" / "generated" / "out.yaml").write_text(BROKEN_DEPLOYMENT)
    (repo / "k8s" / "scratch.yaml").write_text(BROKEN_DEPLOYMENT)
    (repo / "k8s" / "keep.yaml").write_text(BROKEN_DEPLOYMENT)
    (repo / ".gitignore").write_text("generated/\n*.yaml\n!/k8s/app.yaml\n")
    (repo / "k8s" / ".gitignore").write_text("!keep.yaml\n")

    def linted(*args: str) -> list[str]:
        result = run("--format", "json", "--select", "KPL103", *args, cwd=repo / "k8s")
        return sorted(f["file"] for f in json.loads(result.stdout)["findings"])

    assert linted(".") == ["app.yaml", "keep.yaml"]
    assert linted("--no-respect-gitignore", ".") == [
        "app.yaml", "generated/out.yaml", "keep.yaml", "scratch.yaml"]
    assert linted("scratch.yaml") == ["scratch.yaml"]  # named explicitly: always linted
