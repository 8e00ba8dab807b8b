"""Checks on whether probes are there at all, aware of the workload kind and of Services.

Kubernetes needs no probe: without a readinessProbe a container is Ready as soon as it runs,
without a livenessProbe it is never restarted for hanging. Whether that matters depends on
what the Pod is (research/k8s-semantics.md sections 4 and 8, peers.md sections 2, 8, 9):

* only long-running Pods are concerned: Deployment, ReplicaSet, ReplicationController,
  StatefulSet, DaemonSet, a bare Pod with restartPolicy Always, and other kinds with a pod
  template whose restartPolicy is Always. Job and CronJob Pods run to completion; a Pod owned
  by a Job, or a Helm hook Pod, too;
* within them, regular containers and native sidecars (init containers with
  ``restartPolicy: Always``) run for the Pod's life; regular init containers run to
  completion first and may not even have probes; ephemeral containers may not have them;
* readiness matters for containers that receive traffic: one that declares ports, or one a
  Service of the input routes to. A Service in the input makes the finding a warning;
  without one it is a note (the Service may live elsewhere, or the ports may be for metrics).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Iterator

from ...bundle import Bundle, namespace_key, plain
from ...model import Container, PodSpec, containers_of
from ...workloads import workload_kind
from .. import Pending, Verdict, Violation, check
from ..helpers.values import quoted

HELM_HOOK = "helm.sh/hook"


def long_running(pod: PodSpec) -> bool:
    """True when the Pod is meant to keep running (not a Job's, not a one-shot Pod)."""
    if pod.workload.long_running is not None:
        return pod.workload.long_running
    if not pod.is_template:
        if _owned_by_job(pod.obj.data) or HELM_HOOK in pod.obj.annotations:
            return False
    return pod.restart_policy == "Always"


def _owned_by_job(data: dict) -> bool:
    meta = data.get("metadata")
    owners = meta.get("ownerReferences") if isinstance(meta, dict) else None
    if not isinstance(owners, list):
        return False
    return any(_runs_to_completion(owner) for owner in owners)


def _runs_to_completion(owner: Any) -> bool:
    """True for an ownerReference to a kind whose Pods run to completion (a Job)."""
    if not isinstance(owner, dict):
        return False
    api_version, kind = owner.get("apiVersion"), owner.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return False
    workload = workload_kind(api_version, kind, {})
    return workload is not None and workload.long_running is False


def pod_labels(pod: PodSpec) -> dict:
    """The labels the Pods will carry: the template's metadata, or the Pod's own."""
    node: Any = pod.obj.data
    for step in pod.path[len(pod.obj.path):-1]:
        node = node.get(step) if isinstance(node, dict) else None
    meta = node.get("metadata") if isinstance(node, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    return labels if isinstance(labels, dict) else {}


def selecting_services(namespace: str | None, labels: dict, bundle: Bundle) -> list[dict]:
    """Selectors of the Services of the input that select Pods with these labels in this
    namespace (an object's namespace as written)."""
    namespace = namespace_key(namespace)
    return [
        selector for ns, selector in bundle.services
        if ns == namespace and all(labels.get(k) == v for k, v in selector.items())
    ]


def _selector_text(selector: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items(), key=lambda kv: str(kv[0])))


def _ports_text(container: Container) -> str:
    parts = []
    for port in container.ports():
        number, name = port.get("containerPort"), port.get("name")
        if isinstance(name, str) and name:
            parts.append(f"{name} {number}" if number is not None else name)
        elif number is not None:
            parts.append(str(number))
    return ", ".join(parts)


def _where(container: Container) -> tuple:
    return container.path + ("name",) if "name" in container.data else container.path


def _label(container: Container) -> str:
    kind = "native sidecar" if container.role == "sidecar" else "container"
    return f"{kind} {quoted(container.name)}"


@check("readiness-probe-missing", scope="bundle")
def readiness_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    if not long_running(pod):
        return
    containers = [c for c in containers_of(pod) if c.long_running]
    # A Service reaches a container through a port. When no container of the Pod declares one
    # (ports are informational) any regular container may be the one it reaches, but only a
    # Pod without any readiness probe is then surely Ready too early: the Pod is Ready only
    # when all its containers are, so one probed container already holds the traffic back.
    guess = not any(c.ports() or c.data.get("readinessProbe") is not None for c in containers)
    namespace = pod.obj.ref.namespace
    labels: dict | None = None  # a plain copy, shared by the Pod's pending verdicts
    for container in containers:
        if container.data.get("readinessProbe") is not None:
            continue
        has_ports = bool(container.ports())
        if not has_ports and not (guess and container.role == "container"):
            continue  # not routed whatever the Services: nothing to say
        if labels is None:
            labels = plain(pod_labels(pod))
        also = ("" if container.data.get("livenessProbe") is not None
                else " (nor a livenessProbe)")
        ports = _ports_text(container) if has_ports else None
        yield Pending(_where(container), partial(_decide_readiness, namespace, labels,
                                                 _label(container), also, ports))


def _decide_readiness(namespace: str | None, labels: dict, label: str, also: str,
                      ports: str | None, bundle: Bundle) -> Verdict | None:
    """A warning when a Service of the input routes to the container, a note when it only
    declares ports (``ports`` is None when it declares none)."""
    selectors = selecting_services(namespace, labels, bundle)
    if selectors:
        return Verdict(
            f"{label} has no readinessProbe{also}, and a Service of the input "
            f"(selector {_selector_text(selectors[0])}) sends this Pod traffic: the Pod counts "
            "as Ready as soon as the process starts, so requests reach it before it can answer "
            "them, during every rollout, and keep reaching it while it is unable to answer",
            "warning",
        )
    if ports is None:
        return None
    return Verdict(
        f"{label} declares ports ({ports}) but has no readinessProbe{also}: the Pod counts as "
        "Ready as soon as the process starts, so any Service selecting it sends traffic before "
        "the application can answer (no Service of the input selects this Pod, hence a note)",
    )


@check("liveness-probe-missing", scope="container")
def liveness_missing(container: Container, params: dict) -> Iterator[Violation]:
    # Only where the author already checks readiness: a container without any probe gets the
    # readiness finding (which says liveness is missing too), not two findings.
    if not container.long_running or not long_running(container.pod):
        return
    probes = container.data
    if probes.get("readinessProbe") is None or probes.get("livenessProbe") is not None:
        return
    yield Violation(
        _where(container),
        f"{_label(container)} has a readinessProbe but no livenessProbe: if the process hangs "
        "the readiness probe takes the Pod out of its Services, but nothing restarts the "
        "container, so it stays Running and not Ready (ContainersNotReady) until someone "
        "deletes the Pod",
    )
