"""The same input gives byte-identical output in every format, whatever the order of files on
disk or the number of processes."""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("text", "json", "sarif", "github")


def _populate(directory: Path, order_seed: int) -> None:
    """Examples plus generated manifests, written in a shuffled order (inode order differs)."""
    sources = sorted((ROOT / "examples").glob("*.yaml"))
    files = {f"examples/{p.name}": p.read_text() for p in sources}
    for i in range(24):
        files[f"generated/app{i:02d}.yaml"] = _manifest(i)
    names = sorted(files)
    random.Random(order_seed).shuffle(names)
    for name in names:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[name])


_PROBE = "readinessProbe: {httpGet: {path: /, port: http}}"
_ENV = "env: [{name: A, valueFrom: {configMapKeyRef: {name: cfg, key: a}}}]"


def _manifest(i: int) -> str:
    return f"""\
apiVersion: v1
kind: Service
metadata: {{name: app{i}}}
spec:
  selector: {{app: app{i}}}
  ports: [{{port: 80, targetPort: {'web' if i % 4 else 'http'}}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app{i}}}
spec:
  selector: {{matchLabels: {{app: app{i}}}}}
  template:
    metadata: {{labels: {{app: app{i}}}}}
    spec:
      containers:
        - name: app
          image: example/app{'' if i % 3 else ':latest'}
          ports: [{{name: web, containerPort: 8080}}]
          {_PROBE if i % 2 else _ENV}
"""


def _outputs(directory: Path, jobs: int) -> dict[str, bytes]:
    outputs = {}
    for fmt in FORMATS:
        result = subprocess.run(
            [sys.executable, "-m", "kprobelint", "--format", fmt, "-j", str(jobs),
             "--sarif-root", ".", "--fail-on", "note", "."],
            cwd=directory, capture_output=True, timeout=120)
        assert result.returncode == 1, result.stderr
        outputs[fmt] = result.stdout
    return outputs


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    _populate(first, 1)
    _populate(second, 2)
    yield first, second
    shutil.rmtree(first, ignore_errors=True)
    shutil.rmtree(second, ignore_errors=True)


def test_output_does_not_depend_on_file_creation_order(trees):
    first, second = trees
    assert _outputs(first, 1) == _outputs(second, 1)


def test_output_does_not_depend_on_the_number_of_processes(trees):
    first, _ = trees
    serial = _outputs(first, 1)
    parallel = _outputs(first, 2)
    for fmt in FORMATS:
        assert serial[fmt] == parallel[fmt], fmt
    assert b"KPL204" in serial["text"] and b"KPL150" in serial["text"]


def test_two_runs_are_byte_identical(trees):
    first, _ = trees
    assert _outputs(first, 2) == _outputs(first, 2)
