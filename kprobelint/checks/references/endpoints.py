"""Checks on Services: whether their ports reach the Pods they select.

How a Service port reaches a Pod is in :mod:`kprobelint.services` (the EndpointSlice
controller's ``findPort``): a named targetPort must be declared, with the Service port's
protocol, by a container or native sidecar of the Pod, or the Pod is left out of the
endpoints for that port; a numeric one is used as it is. The verdict needs every pod spec of
the input, so these checks are ``object-bundle`` checks: they locate the Service's field now
and decide once the whole input is read.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from ...bundle import Bundle, namespace_key
from ...i18n import Items, Message, Templates
from ...model import K8sObject
from ...services import ServiceInfo, ServicePort, WorkloadInfo, selector_text, service_info
from .. import Pending, Verdict, check
from ..helpers.values import quoted

TEXTS = Templates("endpoints", {
    "named-one": (
        "targetPort {target} of Service {service} ({port}) names a port that no container of "
        "{workload} declares for {protocol}{declared}: the EndpointSlice controller cannot "
        "resolve it (findPort), so its Pods are left out of the Service's endpoints for this port "
        "and connections to it reach none of them"),
    "named-all": (
        "targetPort {target} of Service {service} ({port}) names a port that no container of the "
        "Pods it selects declares for {protocol}{declared}: the EndpointSlice controller cannot "
        "resolve it (findPort), so they are all left out of the Service's endpoints for this port "
        "and connections to it reach none of them"),
    "named-some": (
        "targetPort {target} of Service {service} ({port}) names a port that the Pods of "
        "{missing} do not declare for {protocol}{declared}: the EndpointSlice controller leaves "
        "them out of the endpoints for this port (the Pods of {serving} serve it)"),
    "other-protocol": " (it is declared for {protocol} only)",
    "it-declares": " (it declares {names})",
    "workload-declares": " ({workload} declares {names})",
    "no-named-ports": "no named ports",
    "number": (
        "targetPort {target} of Service {service} ({port}) is not a port the Pods of {workloads} "
        "declare for {protocol} (they declare {declared}): a numeric targetPort is used as it is, "
        "so the Service reaches them only if the application listens on {target} too"),
    "selects-nothing": (
        "Service {service} selects {selector}, which no pod template of the input carries in its "
        "namespace{nearest}; with --complete the input is the whole application, so the Service "
        "has no endpoints and connections to it are refused or time out{operators}"),
    "operators": (
        " (a note: the input also defines custom resources or lets a controller create Pods, "
        "which may carry these labels)"),
    "nearest": " ({workload} has {differs})",
    "no-label": "no {key}",
})


def _service(obj: K8sObject) -> ServiceInfo | None:
    return service_info(obj, namespace_key(obj.ref.namespace))


def _target_path(obj: K8sObject, port: ServicePort) -> tuple[tuple, bool]:
    """Where a port's targetPort is written, or its port when targetPort defaults to it."""
    base = obj.path + ("spec", "ports", port.index)
    return base + (("targetPort",) if port.explicit else ("port",)), False


def _grouped(workloads: list[WorkloadInfo]) -> list[list[WorkloadInfo]]:
    """The workloads by kind and name: an input may hold one object twice (a base and its
    overlay), and a port counts as declared when any copy declares it."""
    groups: dict[tuple, list[WorkloadInfo]] = {}
    for w in workloads:
        groups.setdefault((w.kind, w.name), []).append(w)
    return list(groups.values())


def _workload(w: WorkloadInfo) -> str:
    return f"{w.kind} {w.name}"


def _declared_names(w: WorkloadInfo) -> Items | Message:
    names = sorted({f"{p.name} {p.number}/{p.protocol}" for c in w.pods.containers
                    for p in c.ports if p.name})
    return Items(tuple(names)) if names else TEXTS("no-named-ports")


def _port_pendings(obj: K8sObject, target: type, decide: Callable) -> Iterator[Pending]:
    """A pending verdict on each port of a Service whose targetPort is of type ``target``
    (a name, or a number)."""
    service = _service(obj)
    if service is None:
        return
    for port in service.ports:
        if isinstance(port.target, target):
            path, on_key = _target_path(obj, port)
            yield Pending(path, partial(decide, service, port), on_key)


@check("service-target-port-undeclared", scope="object-bundle")
def target_port_undeclared(obj: K8sObject, params: dict) -> Iterator[Pending]:
    return _port_pendings(obj, str, _decide_named)


def _decide_named(service: ServiceInfo, port: ServicePort, bundle: Bundle) -> Verdict | None:
    groups = _grouped(bundle.selected(service, serving=True))
    missing = [g[0] for g in groups
               if all(w.pods.owner_of_name(port.target, port.protocol) is None for w in g)]
    workloads = [g[0] for g in groups]
    if not missing:
        return None  # nothing of the input is selected, or every Pod declares it
    other = [p.protocol for w in missing for c in w.pods.containers for p in c.ports
             if p.name == port.target and p.protocol != port.protocol]
    if other:
        declared = TEXTS("other-protocol", protocol=other[0])
    elif len(missing) == 1:
        declared = TEXTS("it-declares", names=_declared_names(missing[0]))
    else:
        declared = TEXTS("workload-declares", workload=_workload(missing[0]),
                         names=_declared_names(missing[0]))
    shown = {"target": quoted(port.target), "service": quoted(service.name),
             "port": port.describe(), "protocol": port.protocol, "declared": declared}
    if len(missing) < len(workloads):
        serving = [w for w in workloads if w not in missing]
        return Verdict(TEXTS("named-some", missing=Items(tuple(_workload(w) for w in missing)),
                             serving=Items(tuple(_workload(w) for w in serving)), **shown),
                       "note")
    return Verdict(TEXTS("named-all" if len(missing) > 1 else "named-one",
                         workload=_workload(missing[0]), **shown))


@check("service-target-port-number-undeclared", scope="object-bundle")
def target_port_number_undeclared(obj: K8sObject, params: dict) -> Iterator[Pending]:
    return _port_pendings(obj, int, _decide_number)


def _decide_number(service: ServiceInfo, port: ServicePort, bundle: Bundle) -> Verdict | None:
    # Only Pods that declare ports say where they listen; one that declares none says nothing.
    lacking = [g[0] for g in _grouped(bundle.selected(service, serving=True))
               if all(_lacks(w, port) for w in g)]
    if not lacking:
        return None
    numbers = {(p.number, p.protocol) for c in lacking[0].pods.containers for p in c.ports
               if p.number is not None}
    declared = [f"{number}/{protocol}" for number, protocol in sorted(numbers)]
    return Verdict(TEXTS("number", target=port.target, service=quoted(service.name),
                         port=port.describe(),
                         workloads=Items(tuple(_workload(w) for w in lacking)),
                         protocol=port.protocol, declared=Items(tuple(declared))))


def _lacks(w: WorkloadInfo, port: ServicePort) -> bool:
    """True when the Pods declare ports, but not this one, and do not mention its number."""
    return (any(c.ports for c in w.pods.containers)
            and not w.pods.declaring(port.target, port.protocol)
            # The number is written in command, args or env: the application is told it.
            and port.target not in w.mentioned)


@check("service-selects-nothing", scope="object-bundle")
def selects_nothing(obj: K8sObject, params: dict) -> Iterator[Pending]:
    service = _service(obj)
    if service is None:
        return
    yield Pending(obj.path + ("spec", "selector"), partial(_decide_selects, service), True)


def _decide_selects(service: ServiceInfo, bundle: Bundle) -> Verdict | None:
    if not bundle.complete or bundle.selected(service):
        return None
    return Verdict(TEXTS("selects-nothing", service=quoted(service.name),
                         selector=selector_text(service.selector),
                         nearest=_nearest(service, bundle),
                         operators=TEXTS("operators") if bundle.operators else ""),
                   "note" if bundle.operators else None)


def _nearest(service: ServiceInfo, bundle: Bundle) -> Message | str:
    """The pod template of the Service's directory that carries most of the selector's
    labels, and what differs."""
    best, score = None, 0
    for w in bundle.workloads:
        if w.namespace != service.namespace or w.origin != service.origin:
            continue  # a template elsewhere is another application's
        # A label with the same key counts, one with the same value too.
        matched = sum((k in w.labels) + (w.labels.get(k) == v)
                      for k, v in service.selector.items())
        if matched > score:
            best, score = w, matched
    if best is None:
        return ""
    differs = sorted((f"{k}={best.labels[k]}" if k in best.labels else TEXTS("no-label", key=k)
                      for k, v in service.selector.items() if best.labels.get(k) != v),
                     key=str)
    return TEXTS("nearest", workload=_workload(best), differs=Items(tuple(differs)))
