"""The Kubernetes documentation's probe examples, timed by hand.

The examples are read in place from ../shared/corpus/k8s-website (skipped when absent); the
same manifests, reduced to their probes, are repeated here so the computation is always
tested. The docs' own statements that each expectation checks are quoted.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS
from timelineutil import entry, pod, timeline

from kprobelint.load import load_text
from kprobelint.timeline.build import Options, timelines_of

WEBSITE = CORPUS / "k8s-website" / "pods"

# name -> (file under pods/, the probes reduced to YAML, expected numbers)
EXAMPLES = {
    # "the kubelet should perform a liveness probe every 5 seconds ... wait 5 seconds before
    # performing the first probe"; the app removes /tmp/healthy after 30 s.
    "exec-liveness": ("probe/exec-liveness.yaml", """\
containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
""", {"first": (5, 10), "budget": (15, 20), "live_stall": (10, 15, 16)}),
    # "the kubelet should perform a liveness probe every 3 seconds ... wait 3 seconds before
    # performing the first probe"
    "http-liveness": ("probe/http-liveness.yaml", """\
containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      initialDelaySeconds: 3
      periodSeconds: 3
""", {"first": (3, 6), "budget": (9, 12), "live_stall": (6, 9, 10)}),
    # "The kubelet will run the first liveness probe 15 seconds after the container starts"
    "tcp-liveness-readiness": ("probe/tcp-liveness-readiness.yaml", """\
containers:
  - name: goproxy
    image: registry.k8s.io/goproxy:0.1
    readinessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 15
      periodSeconds: 10
    livenessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 15
      periodSeconds: 10
""", {"first": (15, 25), "budget": (35, 45), "ready": (15, 25), "live_stall": (20, 30, 31)}),
    # gRPC probe with initialDelaySeconds 10 and the default period of 10 s
    "grpc-liveness": ("probe/grpc-liveness.yaml", """\
containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.1-0
    livenessProbe:
      grpc: {port: 2379}
      initialDelaySeconds: 10
""", {"first": (10, 20), "budget": (30, 40), "live_stall": (20, 30, 31)}),
    "pod-with-http-healthcheck": ("probe/pod-with-http-healthcheck.yaml", """\
containers:
  - name: nginx
    image: nginx
    livenessProbe:
      httpGet: {path: /_status/healthz, port: 80}
      initialDelaySeconds: 30
      timeoutSeconds: 1
""", {"first": (30, 40), "budget": (50, 60), "live_stall": (20, 30, 31)}),
}


def check(found_entry, expected: dict) -> None:
    times = found_entry.times
    first = times.first_runs["livenessProbe"]
    assert (first.earliest, first.latest) == expected["first"]
    assert (times.budget.survives_up_to, times.budget.killed_from) == expected["budget"]
    stall = times.stalls["livenessProbe"]
    assert (stall.shortest, stall.failing_fast, stall.hanging) == expected["live_stall"]
    if "ready" in expected:
        assert (times.ready.earliest, times.ready.latest) == expected["ready"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docs_example_reduced(name):
    _, containers, expected = EXAMPLES[name]
    check(entry(pod(containers)), expected)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docs_example_in_the_corpus(name):
    path = WEBSITE / EXAMPLES[name][0]
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    [found] = list(timelines_of(load_text(str(path), path.read_text(encoding="utf-8")),
                                Options()))
    [only] = [e for e in found.pod.entries if e.container.role == "container"]
    check(only, EXAMPLES[name][2])


def test_exec_liveness_restarts_as_the_docs_describe():
    # "For the first 30 seconds of the container's life, there is a /tmp/healthy file ...
    # After 30 seconds, cat /tmp/healthy returns a failure code" and the container is killed
    # and restarted. cat fails at once: the 3rd failure comes 10-15 s into the stall, so the
    # kill comes 40-45 s after the start, before the 600 s sleep ends.
    times = entry(pod(EXAMPLES["exec-liveness"][1])).times
    stall = times.stalls["livenessProbe"]
    assert (30 + stall.shortest, 30 + stall.failing_fast) == (40, 45)


STARTUP_COORDINATION = """\
initContainers:
  - name: config-sidecar
    image: registry.k8s.io/busybox:1.27.2
    restartPolicy: Always
    startupProbe:
      exec: {command: [test, -f, /config/app.conf]}
      periodSeconds: 2
containers:
  - name: main-app
    image: registry.k8s.io/busybox:1.27.2
"""


def _startup_coordination(found) -> None:
    entries = {e.container.name: e for e in found.pod.entries}
    sidecar = entries["config-sidecar"].times
    # startup probe every 2 s, 3 failures: a start up to 4 s survives, 6 s or more does not
    assert (sidecar.budget.survives_up_to, sidecar.budget.killed_from) == (4, 6)
    # main-app starts once the sidecar has started: at its first startup probe, [0, 2)
    starts = entries["main-app"].starts_at
    assert (starts.earliest, starts.latest) == (0, 2)


def test_sidecar_startup_coordination_reduced():
    _startup_coordination(timeline(pod(STARTUP_COORDINATION)))


def test_sidecar_startup_coordination_in_the_corpus():
    path = WEBSITE / "multi-container" / "startup-coordination.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    [found] = list(timelines_of(load_text(str(path), path.read_text(encoding="utf-8")),
                                Options()))
    _startup_coordination(found)


def test_corpus_path_is_where_the_brief_says():
    assert CORPUS == Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
