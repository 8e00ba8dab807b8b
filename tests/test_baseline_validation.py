"""A corrupt baseline is refused with a message saying what is wrong, exit code 2, never an
internal error or a silent acceptance (issue 9, item 10; the count of 1e999 of item 11)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kprobelint.baseline import read_baseline
from kprobelint.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINT = "0123456789abcdef0123456789abcdef"


def entry(**changes) -> dict:
    return {"fingerprint": FINGERPRINT, "count": 1, "rule": "KPL204", "file": "a.yaml",
            "object": "Pod p", "container": "c", "field": "spec.containers[0].image",
            **changes}


CASES = {
    "version 99": ('{"version": 99, "findings": []}', "baseline version 99 is not supported"),
    "negative count": (json.dumps({"version": 1, "findings": [entry(count=-3)]}),
                       "at findings.0.count: -3 is less than the minimum of 1"),
    "huge count": (json.dumps({"version": 1, "findings": [entry(count=10**30)]}),
                   "at findings.0.count: 1000000000000000000000000000000 is greater"),
    "count 1e999": ('{"version": 1, "findings": [{"fingerprint": "%s", "count": 1e999}]}'
                    % FINGERPRINT, "at findings.0.count: inf is not of type 'integer'"),
    "fractional count": (json.dumps({"version": 1, "findings": [entry(count=1.5)]}),
                         "at findings.0.count: 1.5 is not of type 'integer'"),
    "count as text": (json.dumps({"version": 1, "findings": [entry(count="2")]}),
                      "at findings.0.count: '2' is not of type 'integer'"),
    "wrong fingerprint": (json.dumps({"version": 1, "findings": [entry(fingerprint=7)]}),
                          "at findings.0.fingerprint: 7 is not of type 'string'"),
    "findings a mapping": ('{"version": 1, "findings": {}}',
                           "at findings: {} is not of type 'array'"),
    "a list": ("[]", "at (top level): [] is not of type 'object'"),
    "no version": ('{"findings": []}', "'version' is a required property"),
    "deep": ("[" * 100_000 + "]" * 100_000, "JSON nested too deep"),
    "not json": ("{", "invalid JSON"),
    "not utf-8": (b'{"version": 1, "findings": []}\xff', "not valid UTF-8"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_corrupt_baseline_says_what_is_wrong(tmp_path, name):
    content, message = CASES[name]
    path = tmp_path / "baseline.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(UsageError) as error:
        read_baseline(str(path))
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_a_valid_baseline_is_read(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "findings": [entry(count=2)]}))
    assert read_baseline(str(path)) == (1, {FINGERPRINT: 2})
    path.write_text(json.dumps({"version": 2, "findings": [entry(count=3)]}))
    assert read_baseline(str(path)) == (2, {FINGERPRINT: 3})


def test_a_corrupt_baseline_through_the_cli(tmp_path):
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                       "spec: {containers: [{name: c, image: 'x:1'}]}\n")
    (tmp_path / "b.json").write_text('{"version": 1, "findings": [{"fingerprint": "%s", '
                                     '"count": 1e999}]}' % FINGERPRINT)
    result = subprocess.run([sys.executable, "-m", "kprobelint", "--baseline", "b.json",
                             "pod.yaml"], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("kprobelint: error: b.json is not a kprobelint baseline: "
                                    "at findings.0.count: inf is not of type 'integer'")
    assert "internal error" not in result.stderr
