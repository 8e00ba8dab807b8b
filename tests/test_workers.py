"""Worker processes end with their parent, whatever signal killed it (issue 9, item 5).

``kprobelint -j2 big/ & kill -KILL $!`` left both workers blocked forever: each had inherited
the other's pipe ends (and its own pipe's other end), so no read ever saw the parent go.
Bounded by generous timeouts, never timed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DOCUMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}}}
spec:
  template:
    spec:
      containers:
      - name: c
        image: registry.example.com/app:{i}
        readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
"""


def _children(pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return children


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("big")
    # Uneven shares: one worker finishes early and waits for the parent, the other lints on.
    for f in range(12):
        count = 6000 if f == 0 else 300
        (directory / f"f{f:02d}.yaml").write_text(
            "".join(DOCUMENT.format(i=f * 10_000 + i) for i in range(count)))
    return directory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_the_parent_is_killed(big, sig):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-m", "kprobelint", "-j2", str(big)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.02)
        assert len(workers) == 2, "the run never started two workers"
        time.sleep(0.5)  # let one of them reach its wait for the parent
        parent.send_signal(sig)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 60
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        alive = [w for w in workers if _running(w)]
        for worker in alive:  # don't leave them behind if the test fails
            os.kill(worker, signal.SIGKILL)
        assert not alive, f"workers {alive} outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_a_killed_worker_is_a_plain_error(tmp_path, monkeypatch):
    from kprobelint import parallel
    from kprobelint.errors import UsageError
    from kprobelint.runner import Options, lint

    for i in range(8):
        (tmp_path / f"f{i}.yaml").write_text(DOCUMENT.format(i=i))

    def killed(*args):
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does

    monkeypatch.setattr(parallel, "_worker", killed)
    with pytest.raises(UsageError, match="a worker process was killed by signal 9 "
                                         r"\(out of memory\?\); the run is incomplete"):
        lint(Options([str(tmp_path)], jobs=2))
