"""What the packages carry, and what a run imports: a pre-commit run pays for every import."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from lintutil import BROKEN_DEPLOYMENT

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_file_is_the_declared_license():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("Apache License\n") and "Version 2.0, January 2004" in text


@pytest.mark.parametrize("path", ["LICENSE", "README.md", "action.yml", ".pre-commit-hooks.yaml",
                                  "docs/rules.md", "docs/github-actions.md",
                                  "docs/examples/kprobelint-workflow.yml", "examples/mychart",
                                  "rules/catalogue.yaml", "bench/bench.py"])
def test_sdist_includes_what_the_tests_read(path):
    included = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert (ROOT / path).exists()
    assert any(path == entry or path.startswith(entry.rstrip("/") + "/") for entry in included)


IMPORTS = """
import runpy, sys
sys.argv = ["kprobelint", *sys.argv[1:]]
try:
    runpy.run_module("kprobelint", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""
# Needed by one format or one situation only; sarif_om also brings attrs.
HEAVY = {"sarif_om", "attr", "jsonschema", "pathspec", "pbr", "setuptools", "pkg_resources"}


def imported(tmp_path: Path, *args: str) -> set[str]:
    env = {**os.environ, "KPROBELINT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run may build the rule cache; measure the second
        result = subprocess.run([sys.executable, "-c", IMPORTS, *args], capture_output=True,
                                text=True, cwd=tmp_path, env=env, timeout=120)
    return set(result.stderr.split())


def test_a_text_run_imports_nothing_only_other_formats_need(tmp_path):
    (tmp_path / "deploy.yaml").write_text(BROKEN_DEPLOYMENT)
    (tmp_path / ".gitignore").write_text("*.tmp\n")
    assert not imported(tmp_path, "deploy.yaml") & HEAVY
    assert "sarif_om" in imported(tmp_path, "--format", "sarif", "deploy.yaml")
    assert "pathspec" in imported(tmp_path, ".")  # walking a directory with a .gitignore
