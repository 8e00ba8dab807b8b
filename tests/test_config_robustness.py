"""Configuration that is odd or hostile: always reported with a plain message (exit code 2),
never skipped without a word nor an internal error (issue 9, items 3, 11 and 12)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
       "spec: {containers: [{name: c, image: 'x:latest'}]}\n")


def lint(directory: Path, *args: str) -> subprocess.CompletedProcess:
    (directory / "pod.yaml").write_text(POD)
    return subprocess.run([sys.executable, "-m", "kprobelint", *args, "pod.yaml"],
                          cwd=directory, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


PYPROJECTS = {
    "deep arrays": ("[tool.kprobelint]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n",
                    "pyproject.toml: invalid TOML: arrays or tables nested too deep"),
    "deep tables": ("[tool.kprobelint]\nparams = " + "{a = " * 50_000 + "1" + "}" * 50_000
                    + "\n", "pyproject.toml: invalid TOML: arrays or tables nested too deep"),
    "a string": ('[tool]\nkprobelint = "x"\n',
                 "pyproject.toml: `tool.kprobelint` must be a table ([tool.kprobelint]), "
                 "not a string"),
    "a dotted key": ('[tool]\nkprobelint.select = ["KPL999"]\n',
                     "unknown rule 'KPL999'"),
}


@pytest.mark.parametrize("name", PYPROJECTS)
def test_pyproject_settings_are_never_skipped(tmp_path, name):
    text, message = PYPROJECTS[name]
    (tmp_path / "pyproject.toml").write_text(text)
    result = lint(tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_tool_that_is_no_table_named_with_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 3\n")
    result = lint(tmp_path, "--config", "pyproject.toml")
    assert result.returncode == 2
    assert "pyproject.toml: `tool` must be a table, not an integer" in result.stderr


def test_a_dotted_key_configures_like_a_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool]\nkprobelint.ignore = ["KPL204"]\n')
    result = lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_pyproject_without_kprobelint_is_not_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n')
    assert lint(tmp_path).returncode == 1  # the default rules ran


YAML_CONFIGS = {
    "a second document": ("select: [KPL204]\n---\nignore: [KPL204]\n",
                          ".kprobelint.yaml:3:1: a second YAML document"),
    "deep": ("select: " + "[" * 60_000 + "]" * 60_000 + "\n",
             ".kprobelint.yaml:1:408: nesting deeper than 400 levels"),
    "deep and unclosed": ("ignore: " + "[" * 60_000, ".kprobelint.yaml:1:408: nesting deeper"),
    "not utf-8": (b"select: [KPL204]\n# \xff\n", "not valid UTF-8 (byte 0xff at offset 19)"),
}


@pytest.mark.parametrize("name", YAML_CONFIGS)
def test_yaml_settings_are_never_skipped(tmp_path, name):
    content, message = YAML_CONFIGS[name]
    path = tmp_path / ".kprobelint.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = lint(tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "internal error" not in result.stderr


def test_a_huge_configuration_is_refused_before_it_is_read_whole(tmp_path):
    path = tmp_path / ".kprobelint.yaml"
    with open(path, "wb") as handle:
        handle.write(b"# big\n")
        handle.truncate(64 * 2**20)  # sparse
    result = lint(tmp_path)
    assert result.returncode == 2
    assert "configuration larger than 4 MiB" in result.stderr
