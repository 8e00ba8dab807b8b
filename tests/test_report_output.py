"""Reports are always valid and deterministic, and writing them fails with a plain message.

Issue 9, items 6, 7, 8 and 11 (output side): odd file names, non-UTF-8 stdout, argument
order, stdout full or closed, stdin closed. Each runs the real CLI in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: 名前}\n"
       "spec: {containers: [{name: c, image: 'x:latest'}]}\n")
BAD_NAME = os.fsdecode(b"bad\xffname.yaml")


def run(args: list[str], cwd: Path, env: dict | None = None,
        stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], cwd=cwd,
                          env=environment, stdout=stdout, stderr=subprocess.PIPE, timeout=60)


@pytest.fixture
def odd(tmp_path) -> Path:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / BAD_NAME).write_text(POD, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_a_file_name_that_is_not_utf8_is_escaped_in_every_format(odd, fmt):
    result = run(["--format", fmt, "t"], odd)
    assert result.returncode == 1, result.stderr
    assert b"internal error" not in result.stderr
    out = result.stdout.decode("utf-8")  # valid UTF-8: no raw 0xff byte
    if fmt in ("text", "github"):
        assert "t/bad\\xffname.yaml:" in out or "file=t/bad\\xffname.yaml," in out
    if fmt in ("json", "sarif"):
        document = json.loads(out)
        if fmt == "json":
            assert document["findings"][0]["file"] == "t/bad\\xffname.yaml"
        else:
            location = document["runs"][0]["results"][0]["locations"][0]
            assert location["physicalLocation"]["artifactLocation"]["uri"] == \
                "t/bad%FFname.yaml"  # the URI names the file's real byte


def test_a_file_name_that_is_not_utf8_in_output_files_and_baselines(odd):
    assert run(["--format", "sarif", "-o", "report.sarif", "t"], odd).returncode == 1
    json.loads((odd / "report.sarif").read_text(encoding="utf-8"))
    written = run(["--write-baseline", "base.json", "t"], odd)
    assert written.returncode == 0, written.stderr
    again = run(["--format", "json", "--baseline", "base.json", "t"], odd)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["findings"] == []


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_are_utf8_whatever_the_locale(tmp_path, fmt):
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    result = run(["--format", fmt, "pod.yaml"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode("utf-8")
    assert "名前" in out
    json.loads(out)


def test_text_degrades_to_escapes_on_an_ascii_terminal(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    result = run(["pod.yaml"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.isascii()
    assert "Pod \\u540d\\u524d" in result.stdout.decode("ascii")


def test_output_does_not_depend_on_the_argument_order(tmp_path):
    # Issue 9, item 8: summary.skipped and the skip notes kept the order of the arguments.
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: c\n")
    names = []
    for name in ("b.yaml", "a.yaml", "c.yaml"):
        (chart / "templates" / name).write_text("kind: {{ .Values.kind }}\n")
        names.append(f"chart/templates/{name}")
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    runs = [run(["--format", "json", *order], tmp_path)
            for order in (names + ["pod.yaml"], ["pod.yaml"] + names[::-1])]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    skipped = json.loads(runs[0].stdout)["summary"]["skipped"]
    assert [s["file"] for s in skipped] == sorted(names)


def test_a_full_disk_on_stdout_is_a_plain_error(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = run(["--format", "sarif", "pod.yaml"], tmp_path, stdout=full)
    assert result.returncode == 2
    assert result.stderr.decode() == ("kprobelint: error: cannot write the report to standard "
                                      "output: No space left on device\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_stdout_is_a_plain_error(tmp_path, fmt):
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        f"{sys.executable} -m kprobelint --format {fmt} pod.yaml >&-", shell=True,
        cwd=tmp_path, env=environment, capture_output=False, stderr=subprocess.PIPE,
        timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode() == \
        "kprobelint: error: cannot write the report: standard output is closed\n"


def test_a_closed_stdin_is_a_finding_and_the_other_files_are_linted(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        f"{sys.executable} -m kprobelint --format json - pod.yaml <&-", shell=True,
        cwd=tmp_path, env=environment, capture_output=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert b"internal error" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert ("-", "KPL006", "cannot read file: standard input is closed") in \
        {(f["file"], f["rule"], f["message"]) for f in findings}
    assert "KPL204" in {f["rule"] for f in findings if f["file"] == "pod.yaml"}


@pytest.mark.parametrize("args", [["rules", "--format", "markdown"], ["rules"],
                                  ["explain", "KPL204"], ["config", "--show"]])
def test_other_commands_on_an_ascii_terminal(tmp_path, args):
    # `rules --format markdown` ended in internal error: UnicodeEncodeError ('…').
    result = run(args, tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and result.stderr == b""
