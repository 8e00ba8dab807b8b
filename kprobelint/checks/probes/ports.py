"""Checks on the ports and hosts probes reach.

The kubelet resolves a named probe port in the probed container's own ``ports`` only
(``probe.ResolveContainerPort``, ``findPortByName``): a name declared elsewhere fails, the
probe errors and its result is thrown away (research/k8s-semantics.md section 4). A ``host``
makes the node probe that host instead of the Pod IP.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...i18n import Items, Templates
from ...lazyregex import LazyPattern
from ...model import Container, containers_of
from .. import Param, Violation, check
from ..helpers.handlers import in_container as _in
from ..helpers.handlers import owners
from ..helpers.ports import declared_hint, port_numbers, undeclared_name
from ..helpers.values import as_int, quoted

# Hosts that, dialled from the node, reach the node itself (0.0.0.0 connects locally on Linux).
_LOOPBACK = LazyPattern(
    r"(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|::1|\[::1\]|0:0:0:0:0:0:0:1)\Z",
    re.IGNORECASE)

TEXTS = Templates("probe-ports", {
    "named-port": "{field} names port {port}, which container {container} does not declare{hint}",
    "host-loopback": (
        "{field} ({host}) {where} is the node's own loopback address: the kubelet probes from the "
        "node's network, not the Pod's, so the probe tests the node, never the container; remove "
        "host to probe the Pod IP"),
    "host-other": (
        "{field} ({host}) {where} makes the node probe another host instead of this container: "
        "the result says nothing about the container's health, and a failure there marks this "
        "container unready or restarts it"),
    "host-other-http": (
        "{field} ({host}) {where} makes the node probe another host instead of this container: "
        "the result says nothing about the container's health, and a failure there marks this "
        "container unready or restarts it; to set the HTTP Host header, use httpHeaders instead"),
    "number-typo": (
        "{field} ({port}) {where} is not among its containerPorts ({declared}): probably a typo "
        "for {typo} (the same digits); a probe on a port nothing listens on fails every time"),
    "number-undeclared": (
        "{field} ({port}) {where} is not among its containerPorts ({declared}); ports are only "
        "informational, but a probe on a port nothing listens on fails every time"),
    "not-tcp": (
        "{field} ({port}) {where} is a port the container declares only for {protocols} "
        "({entry}), but the kubelet probes over TCP: unless the application also listens on TCP "
        "port {number}, every probe fails and {consequence}"),
    "not-tcp-readinessProbe": "the container never becomes Ready",
    "not-tcp-livenessProbe": "the container is restarted over and over (CrashLoopBackOff)",
    "not-tcp-startupProbe": "the container is killed before it ever starts (CrashLoopBackOff)",
})


@check("probe-named-port", scope="container", params=("probe",))
def named_port(container: Container, params: dict) -> Iterator[Violation]:
    key = params["probe"]
    probe = container.data.get(key)
    if not isinstance(probe, dict) or not container.long_running:
        return
    for handler in ("httpGet", "tcpSocket"):
        port = undeclared_name(container, probe.get(handler))
        if port is None:
            continue
        declared = container.port_names()
        hint = declared_hint(container, port, declared, "probed")
        yield Violation(
            container.path + (key, handler, "port"),
            TEXTS("named-port", field=f"{key}.{handler}.port", port=quoted(port),
                  container=quoted(container.name), hint=hint),
        )


@check("probe-host", scope="container")
def probe_host(container: Container, params: dict) -> Iterator[Violation]:
    host_network = container.pod.data.get("hostNetwork") is True
    for label, path, probe in owners(container, "probes"):
        for handler in ("httpGet", "tcpSocket"):
            action = probe.get(handler)
            host = action.get("host") if isinstance(action, dict) else None
            if not isinstance(host, str) or not host.strip():
                continue
            shown = {"field": f"{label}.{handler}.host", "host": quoted(host),
                     "where": _in(container)}
            if _LOOPBACK.match(host.strip()):
                if host_network:
                    continue  # the documented way to probe a hostNetwork pod on loopback
                yield Violation(
                    path + (handler, "host"),
                    TEXTS("host-loopback", **shown),
                    severity="warning",
                )
                continue
            yield Violation(
                path + (handler, "host"),
                TEXTS("host-other-http" if handler == "httpGet" else "host-other", **shown),
            )


@check("probe-port-number-undeclared", scope="container", params={
    "any_undeclared": Param(bool, "report every numeric probe port the container does not "
                            "declare, not only likely typos of a declared one", option=True)})
def probe_port_number_undeclared(container: Container, params: dict) -> Iterator[Violation]:
    """By default only a port that looks like a typo of a declared one (same digits reordered).

    A separate health port that is configured in the app's config file and not declared is
    common and right (collectors, ingress controllers), so ``any_undeclared`` is opt-in.
    """
    if not container.long_running or container.pod.data.get("hostNetwork") is True:
        return
    own = port_numbers(container.ports())
    if not own:
        return  # a container that declares no ports says nothing about where it listens
    pod_ports: set[int] | None = None  # only needed for a port this container lacks
    mentioned = None
    for label, path, probe in owners(container, "probes"):
        for handler in ("httpGet", "tcpSocket", "grpc"):
            action = probe.get(handler)
            if not isinstance(action, dict):
                continue
            if handler != "grpc" and isinstance(action.get("host"), str) and action["host"]:
                continue  # probing another host: its ports are not this container's
            port = as_int(action.get("port"))
            if port is None or not 1 <= port <= 65535 or port in own:
                continue
            if pod_ports is None:
                pod_ports = container.pod.remember("port-numbers", lambda: set().union(
                    *(port_numbers(c.ports()) for c in containers_of(container.pod))))
                mentioned = container.configured_text()
            if port in pod_ports:
                continue
            if re.search(rf"(?<![0-9]){port}(?![0-9])", mentioned):
                continue  # the port is set in command, args or env: the author knows it
            declared = Items(tuple(str(p) for p in sorted(own)))
            typo = sorted(p for p in own if sorted(str(p)) == sorted(str(port)))
            if typo:
                yield Violation(
                    path + (handler, "port"),
                    TEXTS("number-typo", field=f"{label}.{handler}.port", port=port,
                          where=_in(container), declared=declared, typo=typo[0]),
                )
            elif params["any_undeclared"]:
                yield Violation(
                    path + (handler, "port"),
                    TEXTS("number-undeclared", field=f"{label}.{handler}.port", port=port,
                          where=_in(container), declared=declared),
                )


@check("probe-port-not-tcp", scope="container")
def probe_port_not_tcp(container: Container, params: dict) -> Iterator[Violation]:
    """HTTP, TCP and gRPC probes connect over TCP; a port the container declares only for
    UDP or SCTP (by name, or every entry with that number) is not served over TCP unless the
    application listens there too, which the manifest would then usually declare."""
    entries = container.ports()
    if not entries:
        return
    for label, path, probe in owners(container, "probes"):
        for handler in ("httpGet", "tcpSocket", "grpc"):
            action = probe.get(handler)
            if not isinstance(action, dict) or (handler != "grpc" and action.get("host")):
                continue  # absent, or probing another host
            port = action.get("port")
            if isinstance(port, str):
                declared = [e for e in entries if e.get("name") == port]
            elif as_int(port) is not None:
                declared = [e for e in entries if as_int(e.get("containerPort")) == as_int(port)]
            else:
                continue
            protocols = sorted({_protocol(e) for e in declared})
            if not declared or "TCP" in protocols:
                continue
            entry = declared[0]
            number = as_int(entry.get("containerPort"))
            yield Violation(path + (handler, "port"), TEXTS(
                "not-tcp", field=f"{label}.{handler}.port", port=quoted(port),
                where=_in(container), protocols=Items(tuple(protocols), "and"),
                entry=_entry_text(entry), number=number if number is not None else port,
                consequence=TEXTS(f"not-tcp-{label}")))


def _protocol(entry: dict) -> str:
    protocol = entry.get("protocol")
    return protocol if isinstance(protocol, str) and protocol else "TCP"


def _entry_text(entry: dict) -> str:
    name = entry.get("name")
    number = entry.get("containerPort")
    shown = f"{name} {number}" if isinstance(name, str) and name else str(number)
    return f"{shown}/{_protocol(entry)}"
