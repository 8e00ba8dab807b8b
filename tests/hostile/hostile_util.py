"""Helpers for the hostile-input tests: run the real CLI and check what a clean run looks like.

Every hostile file is linted next to ``zz-known-bad.yaml``, a manifest with one known finding
(:data:`KNOWN_BAD_FINDING`): a hostile input must never stop the other files of the run.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

KNOWN_BAD_NAME = "zz-known-bad.yaml"
KNOWN_BAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      readinessProbe:
        httpGet: {path: /healthz, port: metrics}
"""
# (rule, line, column) of the readiness probe naming a port the container does not declare.
KNOWN_BAD_FINDING = ("KPL103", 10, 41)

GIB = 1024 ** 3


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.report.get("findings", [])

    @property
    def summary(self) -> dict[str, Any]:
        return self.report["summary"]

    def in_file(self, name: str) -> list[dict[str, Any]]:
        """Findings whose file is ``name`` or ends with ``/name``."""
        return [f for f in self.findings if f["file"] == name or f["file"].endswith("/" + name)]

    def located(self, name: str) -> list[tuple[str, int, int]]:
        return [(f["rule"], f["line"], f["column"]) for f in self.in_file(name)]

    def rules(self, name: str) -> list[str]:
        return [f["rule"] for f in self.in_file(name)]


def limit_memory(limit: int = 2 * GIB):
    """A ``preexec_fn`` capping the child's address space (a bomb then fails, not the host)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_cli(args: list[str], cwd: Path, timeout: float = 120, stdin: bytes | None = None,
            memory: int | None = 2 * GIB) -> Run:
    """``python -m kprobelint --format json ARGS`` in ``cwd``; the report parsed if any."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "kprobelint", "--format", "json", *args],
        cwd=cwd, input=stdin if stdin is not None else b"", capture_output=True,
        timeout=timeout, env=env, preexec_fn=limit_memory(memory) if memory else None,
    )
    run = Run(completed.returncode, completed.stdout.decode("utf-8", "replace"),
              completed.stderr.decode("utf-8", "replace"))
    if run.stdout.strip():
        run.report = json.loads(run.stdout)
    return run


def write_known_bad(directory: Path) -> Path:
    path = directory / KNOWN_BAD_NAME
    path.write_text(KNOWN_BAD, encoding="utf-8")
    return path


def assert_clean(run: Run, returncode: int = 1) -> None:
    """No traceback, no internal error, the expected exit code and a JSON report."""
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    assert run.returncode == returncode, (run.returncode, run.stderr, run.stdout[:2000])
    assert run.report, run.stderr
    internal = [f for f in run.findings if f["rule"] == "KPL009"]
    assert not internal, internal


def assert_known_bad_linted(run: Run) -> None:
    assert KNOWN_BAD_FINDING in run.located(KNOWN_BAD_NAME), run.findings


def lint_with_known_bad(tmp_path: Path, name: str, data: bytes, *extra: str,
                        timeout: float = 120) -> Run:
    """Lint the directory holding ``name`` (with ``data``) and the known-bad manifest."""
    (tmp_path / name).write_bytes(data)
    write_known_bad(tmp_path)
    run = run_cli([*extra, "."], tmp_path, timeout=timeout)
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.summary["files"] == 2, run.summary
    return run
