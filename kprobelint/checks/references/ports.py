"""Checks on container ports: what the API server rejects and what it only warns about.

Rejected (``pkg/apis/core/validation/validation.go``):

* ``validateContainerPorts``, for every container: a ``name`` that is not an IANA_SVC_NAME
  (``IsValidPortName``), a name used twice in one container (valid names only), a missing or
  zero ``containerPort``, a ``containerPort`` or non-zero ``hostPort`` outside 1-65535, a
  ``protocol`` other than TCP, UDP or SCTP (empty is defaulted to TCP);
* ``checkHostPortConflicts``: the same ``protocol/hostIP/hostPort`` twice among the regular
  containers, or twice in one init container (init containers run one at a time);
* ``validatePodHostNetworkDeps``: with ``hostNetwork``, a regular container's non-zero
  ``hostPort`` that differs from its ``containerPort``.

Only warned about (``pkg/api/pod/warnings.go``, all containers): the same
``containerPort/protocol`` twice ("duplicate port definition" when hostIP and hostPort are the
same too, "overlapping" when one has no hostPort, "dangerously ambiguous" when the hostPorts
match and only one has a hostIP), and a ``hostIP`` without a ``hostPort``. The object is
accepted; ``kubectl apply`` prints the warning.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...i18n import Message, Templates
from ...model import Container, PodSpec, containers_of
from .. import Violation, check
from ..helpers.containers import label, refusal
from ..helpers.ports import port_name_problem
from ..helpers.values import as_int, as_list, quoted

TEXTS = Templates("container-ports", {
    "duplicate-name": (
        "{label}: ports[{index}] is named {name}, like ports[{first}]; port names must be unique "
        "within a container, and {refused}"),
    "invalid": "{label}: ports[{index}].{field} {problem}; {refused}",
    "name": "({value}) {problem}",
    "required": "is required (a number from 1 to 65535)",
    "range": "({value}) is outside 1-65535",
    "host-network": (
        "({value}) differs from containerPort {port}, and with hostNetwork it must match"),
    "quoted-number": (
        "is a quoted number, which makes it a port name, and a port name must contain at least "
        "one letter: the API server rejects it; write {number} without quotes"),
    "where": "ports[{index}] of {container}",
    "host-conflict": (
        "{label}: ports[{index}] asks for hostPort {host} ({protocol}) like {other}; a node port "
        "can be taken once per Pod, and {refused}"),
    "host-conflict-ip": (
        "{label}: ports[{index}] asks for hostPort {host} ({protocol}, hostIP {ip}) like {other}; "
        "a node port can be taken once per Pod, and {refused}"),
    "warning": (
        "{label}: ports[{index}] ({port}/{protocol}) {what} {other}; the API server accepts it "
        "and only warns (\"{warning}\"){consequence}"),
    "repeats": "repeats",
    "overlaps": "overlaps",
    "ambiguous": "is ambiguous with",
    "same-container": ": nothing changes at run time, the entry is redundant",
    "second-name": ": nothing changes at run time, the entry only gives the port a second name",
    "other-container": (
        ": both containers share the Pod's network namespace, so if both listen on port {port}, "
        "the one that starts second cannot bind it"),
    "host-ip-only": (
        "{label}: ports[{index}] sets hostIP {ip} without a hostPort; the API server accepts it "
        "and only warns (\"hostIP set without hostPort\"): hostIP does nothing without a "
        "hostPort"),
})
PORT_NAME_REASONS = Templates("port-name-reasons", {
    "empty": "is an empty port name",
    "too-long": "is a port name longer than 15 characters",
    "upper-case": "is not a valid port name: port names are lowercase (a-z, 0-9, '-')",
    "characters": "is not a valid port name: only a-z, 0-9 and '-' are allowed",
    "dashes": "is not a valid port name: it must not start or end with '-' or contain '--'",
    "no-letter": "is not a valid port name: it must contain at least one letter",
})


@check("duplicate-port-name", scope="container")
def duplicate_port_name(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    seen: dict[str, int] = {}
    for j, port in enumerate(as_list(container.data.get("ports"))):
        name = port.get("name") if isinstance(port, dict) else None
        if not isinstance(name, str) or not name:
            continue
        if name not in seen:
            seen[name] = j
            continue
        yield Violation(
            container.path + ("ports", j, "name"),
            TEXTS("duplicate-name", label=label(container), index=j, name=quoted(name),
                  first=seen[name], refused=refusal(container.pod)),
        )


@check("container-port-invalid", scope="container")
def container_port_invalid(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return  # ephemeral containers may not have ports at all (the API server says so)
    refused = refusal(container.pod)
    host_network = container.pod.data.get("hostNetwork") is True and container.role == "container"
    for index, port in enumerate(as_list(container.data.get("ports"))):
        if not isinstance(port, dict):
            continue
        base = container.path + ("ports", index)
        for field, problem, on_key in _port_problems(port, host_network):
            yield Violation(base + (field,) if field in port else base,
                            TEXTS("invalid", label=label(container), index=index, field=field,
                                  problem=problem, refused=refused),
                            on_key=on_key or field not in port)


def _port_problems(port: dict, host_network: bool) -> Iterator[tuple[str, Message, bool]]:
    """(field, what is wrong, point at the key) for one ports entry.

    A value of the wrong type (a quoted number) or a protocol outside the enum is the schema
    rules' (KPL701, KPL706), which say so with an automatic fix.
    """
    name = port.get("name")
    if isinstance(name, str) and name:
        problem = port_name_problem(name)
        if problem:
            yield "name", TEXTS("name", value=quoted(name), problem=_name_problem(problem)), False
    container_port = port.get("containerPort")
    number = as_int(container_port)
    if container_port is None or number == 0:
        yield "containerPort", TEXTS("required"), container_port is None
    elif number is not None and not 1 <= number <= 65535:
        yield "containerPort", TEXTS("range", value=number), False
    host_port = port.get("hostPort")
    host = as_int(host_port)
    if host and not 1 <= host <= 65535:
        yield "hostPort", TEXTS("range", value=host), False
    elif host and host_network and number is not None and host != number:
        yield "hostPort", TEXTS("host-network", value=host, port=number), False


def _name_problem(problem: Message) -> Message:
    """The helper's reason why a port name is invalid, without its "; the API server rejects
    it" (this rule's message says what the refusal leads to)."""
    reason = problem.key.rsplit(".", 1)[-1]
    if reason == "quoted-number":
        return TEXTS("quoted-number", **problem.params)
    return PORT_NAME_REASONS(reason)


class _Decl:
    """A ports entry of some container, as the conflict and warning checks compare them."""

    __slots__ = ("container", "index", "number", "protocol", "host", "ip")

    def __init__(self, container: Container, index: int, port: dict) -> None:
        self.container = container
        self.index = index
        self.number = as_int(port.get("containerPort"))
        protocol = port.get("protocol")
        self.protocol = protocol if isinstance(protocol, str) and protocol else "TCP"
        self.host = as_int(port.get("hostPort")) or 0
        ip = port.get("hostIP")
        self.ip = ip if isinstance(ip, str) else ""

    @property
    def where(self) -> Message:
        return TEXTS("where", index=self.index, container=label(self.container))

    @property
    def path(self) -> tuple:
        return self.container.path + ("ports", self.index)


def _declarations(containers: list[Container]) -> list[_Decl]:
    return [_Decl(c, i, p) for c in containers
            for i, p in enumerate(as_list(c.data.get("ports"))) if isinstance(p, dict)]


@check("host-port-conflict", scope="pod")
def host_port_conflict(pod: PodSpec, params: dict) -> Iterator[Violation]:
    containers = containers_of(pod)
    # The regular containers together, each init container alone (they run one by one).
    groups = [[c for c in containers if c.role == "container"]]
    groups += [[c] for c in containers if c.role in ("init", "sidecar")]
    refused = refusal(pod)
    for group in groups:
        seen: dict[tuple, _Decl] = {}
        for decl in _declarations(group):
            if not decl.host:
                continue
            key = (decl.protocol, decl.ip, decl.host)
            first = seen.setdefault(key, decl)
            if first is decl:
                continue
            other = (f"ports[{first.index}]" if first.container is decl.container
                     else first.where)
            yield Violation(decl.path + ("hostPort",), TEXTS(
                "host-conflict-ip" if decl.ip else "host-conflict", label=label(decl.container),
                index=decl.index, host=decl.host, protocol=decl.protocol, ip=decl.ip,
                other=other, refused=refused))


@check("container-port-duplicate", scope="pod")
def container_port_duplicate(pod: PodSpec, params: dict) -> Iterator[Violation]:
    seen: dict[tuple, list[_Decl]] = {}
    for decl in _declarations(containers_of(pod)):
        port = decl.container.data["ports"][decl.index]
        if decl.ip and not decl.host:
            yield Violation(decl.path + ("hostIP",), TEXTS(
                "host-ip-only", label=label(decl.container), index=decl.index,
                ip=quoted(decl.ip)))
        if decl.number is None:
            continue
        others = seen.setdefault((decl.number, decl.protocol), [])
        for other in others:
            found = _warning(decl, other)
            if found is None:
                continue
            what, warning = found
            same = other.container is decl.container
            yield Violation(
                decl.path + (("containerPort",) if "containerPort" in port else ()),
                TEXTS("warning", label=label(decl.container), index=decl.index,
                      port=decl.number, protocol=decl.protocol, what=TEXTS(what),
                      other=f"ports[{other.index}]" if same else other.where, warning=warning,
                      consequence=_consequence(decl, other, same)),
                certainty="certain" if same else None)
            break
        others.append(decl)


def _consequence(decl: _Decl, other: _Decl, same: bool) -> Message:
    if not same:
        return TEXTS("other-container", port=decl.number)
    names = [d.container.data["ports"][d.index].get("name") for d in (decl, other)]
    return TEXTS("second-name" if all(isinstance(n, str) and n for n in names)
                 else "same-container")


def _warning(decl: _Decl, other: _Decl) -> tuple[str, str] | None:
    """How warnings.go words two entries with one containerPort/protocol, or None when the
    API server rejects them instead (the same non-zero hostPort: host-port-conflict)."""
    if decl.ip == other.ip and decl.host == other.host:
        if decl.host:
            return None
        return "repeats", "duplicate port definition"
    if not decl.host or not other.host:
        return "overlaps", "overlapping port definition"
    if decl.host == other.host and bool(decl.ip) != bool(other.ip):
        return "ambiguous", "dangerously ambiguous port definition"
    return None
