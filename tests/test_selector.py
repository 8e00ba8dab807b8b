"""One rule selector for the command line, the configuration, suppressions and explain."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kprobelint.ruleset import builtin_rules
from kprobelint.selector import find_rule, matches, resolve, unknown_keys

RULES = builtin_rules()


def ids(key: str) -> list[str]:
    return [r.id for r in resolve(key, RULES)]


def test_every_form_of_key():
    assert ids("KPL103") == ["KPL103"] == ids("kpl103")
    assert ids("readiness-probe-port-undeclared") == ["KPL103"]
    assert set(ids("KPL1")) == {r.id for r in RULES if r.id.startswith("KPL1")}
    assert len(ids("ALL")) == len(RULES) == len(ids("all"))
    liveness = ids("liveness-*")
    assert liveness and all(find_rule(i, RULES).name.startswith("liveness-") for i in liveness)
    assert set(ids("*-unsplit")) == {r.id for r in RULES if r.name.endswith("-unsplit")}
    assert ids("KPL10?") == [r.id for r in RULES if r.id.startswith("KPL10")]


@pytest.mark.parametrize("key", ["K", "", "liveness", "KPL1x", "probe", "KPL1034"])
def test_keys_that_select_nothing(key):
    assert ids(key) == []
    assert unknown_keys([key], RULES) == [key]


def test_find_rule_is_exact():
    assert find_rule("kpl103", RULES).id == "KPL103"
    assert find_rule("KPL1", RULES) is None
    assert find_rule("liveness-*", RULES) is None


def test_matches_on_a_plain_rule_object():
    class R:
        id, name = "KPL150", "readiness-probe-missing"

    assert matches(R, "readiness-*") and matches(R, "KPL15") and not matches(R, "KPL16")


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  annotations:
    kprobelint.io/ignore: "image-*"
spec:
  containers:
    - name: app
      image: example/app:latest
      livenessProbe:
        exec: {command: ["cat /tmp/healthy"]}
"""


def run(*args: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_config_command_line_and_suppression_agree_on_globs(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / ".kprobelint.yaml").write_text('select: ["liveness-*", "image-*"]\n')
    result = run("--format", "json", "pod.yaml", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    found = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    # The glob in the config selected the liveness rules; the image rules were selected too
    # but suppressed by the glob in the annotation.
    assert found and all(find_rule(i, RULES).name.startswith("liveness-") for i in found)
    cli = run("--format", "json", "--select", "liveness-*,image-*", "pod.yaml", cwd=tmp_path)
    assert json.loads(cli.stdout)["findings"] == json.loads(result.stdout)["findings"]


def test_unknown_key_in_config_is_located(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / ".kprobelint.yaml").write_text("ignore:\n  - KPL103\n  - livenes-*\n")
    result = run("pod.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert ".kprobelint.yaml:3:5" in result.stderr and "livenes-*" in result.stderr


def test_severity_by_prefix_in_config(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD.replace('kprobelint.io/ignore: "image-*"', "a: b"))
    (tmp_path / ".kprobelint.yaml").write_text("severity:\n  KPL2: note\n")
    result = run("--format", "json", "--select", "KPL204", "pod.yaml", cwd=tmp_path)
    assert [f["severity"] for f in json.loads(result.stdout)["findings"]] == ["note"]
    assert result.returncode == 0
