"""Services and the Pods they reach: selectors, ports, and how a targetPort is resolved.

Kubernetes knowledge shared by the index of the whole input (:mod:`kprobelint.bundle`) and the
checks that look across objects. Everything here is a plain tuple, small and free of YAML
nodes, so that it can outlive the document it was read from.

Sources:

* ``pkg/controller/endpointslice`` and ``staging/src/k8s.io/endpointslice/utils.go``:
  ``getEndpointPorts`` resolves every Service port for every selected Pod with ``findPort``
  and skips a port it cannot resolve ("Failed to find port for service"), so the Pod is not
  an endpoint for that port; a headless Service without ports gets endpoints without ports.
  ``podToEndpoint`` marks an endpoint ready when the Pod is Ready, or always when the Service
  sets ``publishNotReadyAddresses``.
* ``findPort`` (a copy of ``pkg/api/v1/pod.FindPort``): a numeric targetPort is used as it is;
  a named one is looked up among the ports of ``spec.containers``, then of the native sidecars
  (init containers with ``restartPolicy: Always``), and matches only a port with that name
  *and* the Service port's protocol.
* Defaults (``pkg/apis/core/v1/defaults.go``): a port's protocol is TCP, a Service port's
  targetPort is its port.
"""
from __future__ import annotations

import os
import re
from collections import namedtuple

from .i18n import Message, Templates
from .model import K8sObject, PodSpec, as_int, containers_of, plain
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

TEXTS = Templates("services", {"route": "port {port} to targetPort {target}"})


class PortDecl(namedtuple("PortDecl", ("name", "number", "protocol"))):
    """One ``ports`` entry of a container: its name and number (either may be None) and its
    protocol."""

    __slots__ = ()


class ContainerPorts(namedtuple("ContainerPorts", ("container", "role", "ports", "readiness"))):
    """A serving container's name, role ("container" or "sidecar": the containers that serve
    while the Pod runs), ports (:class:`PortDecl`) and whether it has a readinessProbe."""

    __slots__ = ()

    def declares(self, number: int, protocol: str) -> bool:
        return any(p.number == number and p.protocol == protocol for p in self.ports)


class PodPorts(namedtuple("PodPorts", ("containers",))):
    """The serving containers of a pod spec (:class:`ContainerPorts`), in the order
    ``findPort`` looks at them."""

    __slots__ = ()

    def owner_of_name(self, name: str, protocol: str) -> int | None:
        """Index of the container ``findPort`` resolves a named targetPort to, or None."""
        for index, container in enumerate(self.containers):
            if any(p.name == name and p.protocol == protocol for p in container.ports):
                return index
        return None

    def declaring(self, number: int, protocol: str) -> list[int]:
        """Indexes of the containers that declare ``number``/``protocol``."""
        return [i for i, c in enumerate(self.containers) if c.declares(number, protocol)]

    @property
    def any_readiness(self) -> bool:
        return any(c.readiness for c in self.containers)


class ServicePort(namedtuple("ServicePort", ("index", "name", "port", "target", "protocol",
                                             "explicit"))):
    """A Service port: its index in spec.ports, name, port as written, target (a number or a
    port name), protocol, and whether targetPort is written (else it defaults to the port)."""

    __slots__ = ()

    def describe(self) -> Message:
        """``port 80 to targetPort "http"``, for messages."""
        target = f'"{self.target}"' if isinstance(self.target, str) else str(self.target)
        return TEXTS("route", port=self.port, target=target)


# A Service of the input: namespace (as bundle.namespace_key folds it), name, selector,
# whether it is headless and publishes not-ready addresses, its ports (ServicePort) and origin
# (the directory of its file, see origin_of). These records are namedtuples, made without
# importing typing (kprobelint.typechecking), as typing.NamedTuple makes them.
ServiceInfo = namedtuple("ServiceInfo", ("namespace", "name", "selector", "headless",
                                         "publish_not_ready", "ports", "origin"))


# A pod spec of the input: whom Services may select, and what its containers serve. Its
# namespace (as bundle.namespace_key folds it), kind, name, labels, pods (PodPorts), origin
# (the directory of its file), whether it serves (its Pods keep running: not a Job's, not a
# Helm test Pod), the numbers written in its containers' command, args and env (mentioned)
# and the label keys the controller adds to the Pods (added).
WorkloadInfo = namedtuple("WorkloadInfo", ("namespace", "kind", "name", "labels", "pods",
                                           "origin", "serving", "mentioned", "added"))


def origin_of(path: str) -> str:
    """The directory of an input file: an application's Services and pod templates usually
    sit together, and an input of several applications should not mix them up."""
    return os.path.dirname(os.path.normpath(path)) if path != "-" else ""


def mentioned_numbers(pod: PodSpec) -> frozenset[int]:
    """Port-like numbers written in the containers' command, args and literal env values."""
    text = "\n".join(c.configured_text() for c in containers_of(pod))
    return frozenset(n for n in map(int, re.findall(r"(?<![0-9])[0-9]{1,5}(?![0-9])", text))
                     if 1 <= n <= 65535)


def _protocol(value: Any) -> str:
    return value if isinstance(value, str) and value else "TCP"


def pod_ports(pod: PodSpec) -> PodPorts:
    """The ports of the containers that serve while the Pod runs, in findPort's order."""
    found = containers_of(pod)
    ordered = [c for c in found if c.role == "container"] + \
        [c for c in found if c.role == "sidecar"]
    return PodPorts(tuple(
        ContainerPorts(
            c.name, c.role,
            tuple(PortDecl(p.get("name") if isinstance(p.get("name"), str) else None,
                           as_int(p.get("containerPort")), _protocol(p.get("protocol")))
                  for p in c.ports()),
            c.data.get("readinessProbe") is not None)
        for c in ordered))


def service_info(obj: K8sObject, namespace: str | None) -> ServiceInfo | None:
    """What a core Service selects and how it reaches its Pods; None for a Service that
    selects no Pods (no selector: its endpoints are managed by hand; ExternalName)."""
    if obj.kind != "Service" or obj.api_version != "v1":
        return None
    spec = obj.data.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
        return None
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return None
    cluster_ips = spec.get("clusterIPs")
    headless = spec.get("clusterIP") == "None" or (
        isinstance(cluster_ips, list) and cluster_ips[:1] == ["None"])
    ports = []
    raw_ports = spec.get("ports")
    for index, entry in enumerate(raw_ports if isinstance(raw_ports, list) else ()):
        if not isinstance(entry, dict):
            continue
        port = as_int(entry.get("port"))
        target = entry.get("targetPort")
        explicit = target is not None
        number = as_int(target)
        if number is not None:
            target = number
        elif isinstance(target, str) and target and not target.strip().isdigit():
            pass  # a port name (a quoted number is refused by validation: not modelled)
        elif target is None and port is not None:
            target = port
        else:
            continue
        name = entry.get("name")
        ports.append(ServicePort(index, name if isinstance(name, str) else None, port, target,
                                 _protocol(entry.get("protocol")), explicit))
    return ServiceInfo(namespace, obj.ref.name, plain(selector), headless,
                       spec.get("publishNotReadyAddresses") is True, tuple(ports),
                       origin_of(obj.file.path))


def selects(selector: dict, labels: dict, added: frozenset[str] = frozenset()) -> bool:
    """A Service selector (a plain map: every pair must be among the labels); a key the
    controller adds to each Pod (``added``) may hold any value."""
    return all(labels.get(k) == v or k in added for k, v in selector.items())


def selector_text(selector: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items(), key=lambda kv: str(kv[0])))
