"""Manifest-controlled text in the reports: names, values and file names with control characters.

A manifest under review is untrusted (a pull request). Its strings must not forge report lines,
GitHub workflow commands (a line starting with ``::`` in an Actions log is one) or terminal
escape sequences.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hostile_util import ROOT

INJECTING = r"""apiVersion: v1
kind: Pod
metadata:
  name: "evil\n::error file=README.md,line=1::forged\e[31mRED"
  namespace: "ns\r\n::add-mask::x"
spec:
  containers:
    - name: "web\n::notice::hi\e]0;title\a"
      image: "nginx:latest\n::warning::img"
      readinessProbe:
        httpGet: {path: /healthz, port: "metrics\n::error::port"}
"""
CONTROL = ("\x1b", "\x07", "\r")


def _report(tmp_path, fmt: str, name: str = "inj.yaml") -> str:
    (tmp_path / name).write_text(INJECTING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "kprobelint", "--format", fmt, "--no-color",
                             "."], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_reports_escape_control_characters(tmp_path, fmt):
    out = _report(tmp_path, fmt)
    assert not any(c in out for c in CONTROL)
    assert all(not line.startswith("::") for line in out.splitlines())
    json.loads(out)


def test_github_annotations_escape_newlines(tmp_path):
    out = _report(tmp_path, "github")
    lines = out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert all(line.split(" ", 1)[1].startswith("file=inj.yaml,") for line in lines)  # no forgery


def test_github_annotations_have_no_terminal_escapes(tmp_path):
    out = _report(tmp_path, "github")
    assert not any(c in out for c in CONTROL), repr(out[:400])
    assert 'container "web%0A::notice::hi\\x1b]0;title\\x07"' in out  # GitHub's and ours


def test_text_report_cannot_be_forged_by_the_manifest(tmp_path):
    out = _report(tmp_path, "text")
    assert not any(c in out for c in CONTROL), repr(out[:400])
    assert all(not line.startswith("::") for line in out.splitlines()), out[:1000]
    assert 'container "web\\x0a::notice::hi\\x1b]0;title\\x07"' in out
    assert "Pod ns\\x0d\\x0a::add-mask::x/evil\\x0a::error file=README.md" in out


def test_text_report_with_a_hostile_file_name(tmp_path):
    out = _report(tmp_path, "text", name="a\n::error::b\x1b[31m.yaml")
    assert all(not line.startswith("::") for line in out.splitlines()), out[:1000]
    assert "\x1b" not in out
