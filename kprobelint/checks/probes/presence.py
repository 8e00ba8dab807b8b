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
* readiness matters for containers that receive traffic. A Service of the input reaches a
  container through a port (:mod:`kprobelint.services`: a named targetPort the way
  ``findPort`` resolves it, a numeric one by the containerPort; a number nobody declares may
  reach any regular container when no container has a readinessProbe). Such a Service makes
  the finding a warning. A headless Service routes nothing: it publishes the Ready Pods in
  DNS, a note; one with ``publishNotReadyAddresses`` publishes them anyway, nothing to say.
  Without any Service of the input selecting the Pod, a container that declares ports gets a
  note (the Service may live elsewhere, or the ports may be for metrics); with Services that
  select the Pod but reach other containers, nothing.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ...bundle import Bundle
from ...i18n import Items, Message, Templates
from ...model import Container, PodSpec, containers_of, plain
from ...services import PodPorts, ServiceInfo, ServicePort, origin_of, pod_ports
from .. import Pending, Verdict, Violation, check
from ..helpers.values import quoted


def long_running(pod: PodSpec) -> bool:
    """True when the Pod is meant to keep running (not a Job's, not a one-shot Pod)."""
    return pod.keeps_running


def _ports_text(container: Container) -> Items:
    parts = []
    for port in container.ports():
        number, name = port.get("containerPort"), port.get("name")
        if isinstance(name, str) and name:
            parts.append(f"{name} {number}" if number is not None else name)
        elif number is not None:
            parts.append(str(number))
    return Items(tuple(parts))


def _where(container: Container) -> tuple:
    return container.path + ("name",) if "name" in container.data else container.path


def _label(container: Container) -> Message:
    kind = "native-sidecar" if container.role == "sidecar" else "container"
    return TEXTS(kind, name=quoted(container.name))


TEXTS = Templates("presence", {
    "container": "container {name}",
    "native-sidecar": "native sidecar {name}",
    "no-readiness": "{label} has no readinessProbe",
    "no-probes": "{label} has no readinessProbe (nor a livenessProbe)",
    "with": " (with {routes})",
    "traffic": (
        "{missing}, and Service {service} sends it traffic ({route}): the Pod counts as Ready as "
        "soon as the process starts, so requests reach it before it can answer them, during every "
        "rollout, and keep reaching it while it is unable to answer"),
    "guess": (
        "{missing}, and Service {service} sends the Pod traffic ({route}) on a port no container "
        "declares: if this container is the one that listens there, it counts as Ready as soon as "
        "the process starts and requests reach it before it can answer them (a note: the "
        "container does not declare the port)"),
    "dns": (
        "{missing}; Service {service} is headless: it routes no traffic itself but publishes the "
        "Pod's address in DNS{route} as soon as the process starts, so clients that look the name "
        "up can connect before the application answers (a note: only clients that use that DNS "
        "name are affected)"),
    "ports": (
        "{label} declares ports ({ports}) but has no readinessProbe{also}: the Pod counts as Ready "
        "as soon as the process starts, so any Service selecting it sends traffic before the "
        "application can answer (no Service of the input selects this Pod, hence a note)"),
    "also": " (nor a livenessProbe)",
    "no-liveness": (
        "{label} has a readinessProbe but no livenessProbe: if the process hangs the readiness "
        "probe takes the Pod out of its Services, but nothing restarts the container, so it stays "
        "Running and not Ready (ContainersNotReady) until someone deletes the Pod"),
})


@check("readiness-probe-missing", scope="bundle")
def readiness_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    if not long_running(pod) or pod.workload.readiness_by_platform:
        return
    pods = pod_ports(pod)
    serving = [c for c in containers_of(pod) if c.long_running]
    labels: dict | None = None  # a plain copy, shared by the Pod's pending verdicts
    for me, container in enumerate(sorted(serving, key=lambda c: c.role != "container")):
        if container.data.get("readinessProbe") is not None:
            continue
        # A container without ports is reached only through a numeric targetPort nobody
        # declares, and then only if no container of the Pod holds its readiness back.
        if not container.ports() and (container.role != "container" or pods.any_readiness):
            continue
        if labels is None:
            labels = plain(pod.labels)
        also = container.data.get("livenessProbe") is None
        yield Pending(_where(container), partial(
            _decide_readiness, pod.obj.ref.namespace, labels, origin_of(pod.obj.file.path),
            pod.workload.adds_labels, pods, me, _label(container), also,
            _ports_text(container)))


def _decide_readiness(namespace: str | None, labels: dict, origin: str,
                      added: frozenset[str], pods: PodPorts, me: int, label: Message,
                      also: bool, ports: Items, bundle: Bundle) -> Verdict | None:
    """A warning when a Service of the input sends the container traffic on a port it
    declares; a note when the Service's port is one no container declares (whether this one
    listens there is unknown), when only a headless Service publishes the Pod, or when no
    Service of the input selects the Pod and the container declares ports. Nothing when
    Services select the Pod but reach other containers, or publish not-ready addresses."""
    services = bundle.selecting(namespace, labels, origin, added)
    missing = TEXTS("no-probes" if also else "no-readiness", label=label)
    notes = []
    for service in services:
        if service.publish_not_ready:
            continue  # its endpoints are ready whatever the Pod's readiness
        routes = _routes(service, pods, me)
        if routes is None:
            continue
        declared = [port for port, guessed in routes if not guessed]
        shown = Items(tuple(port.describe() for port, _ in routes))
        name = quoted(service.name)
        if service.headless:
            notes.append(TEXTS("dns", missing=missing, service=name,
                               route=TEXTS("with", routes=shown) if routes else ""))
        elif declared:
            return Verdict(TEXTS("traffic", missing=missing, service=name,
                                 route=Items(tuple(port.describe() for port in declared))),
                           "warning")
        else:
            notes.append(TEXTS("guess", missing=missing, service=name, route=shown))
    if notes:
        return Verdict(notes[0], "note")
    if services or not ports.values:
        return None
    return Verdict(TEXTS("ports", label=label, ports=ports, also=TEXTS("also") if also else ""))


def _routes(service: ServiceInfo, pods: PodPorts,
            me: int) -> list[tuple[ServicePort, bool]] | None:
    """The ports of ``service`` that reach container ``me``, each with whether that is only a
    guess (a number no container declares); empty for a headless Service without ports,
    which publishes the Pod whatever it serves; None when none reaches it."""
    if not service.ports:
        # Only a headless Service may have none (the API server requires ports otherwise).
        if not service.headless:
            return None
        return [] if pods.containers[me].ports or len(pods.containers) == 1 else None
    routes = []
    for port in service.ports:
        if isinstance(port.target, str):
            if pods.owner_of_name(port.target, port.protocol) == me:
                routes.append((port, False))
            continue
        declaring = pods.declaring(port.target, port.protocol)
        if me in declaring:
            routes.append((port, False))
        # Nobody declares it (ports are informational): a regular container may be the one
        # that listens, and the Pod is Ready at once as no container has a probe.
        elif (not declaring and not pods.any_readiness
              and pods.containers[me].role == "container"):
            routes.append((port, True))
    return routes or None


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
        TEXTS("no-liveness", label=_label(container)),
    )
