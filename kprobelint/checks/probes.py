"""Checks on probes (liveness, readiness, startup)."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import PROBES, Container, containers_of, handlers_in
from . import Fix, Violation, check, quoted

# IANA_SVC_NAME, as validation.IsValidPortName checks it.
_PORT_NAME = re.compile(r"(?!-)(?!.*--)[-a-z0-9]{1,15}(?<!-)\Z")
_HAS_LETTER = re.compile(r"[a-z]")


def is_port_name(value: str) -> bool:
    return bool(_PORT_NAME.match(value) and _HAS_LETTER.search(value))


@check("probe-success-threshold", scope="container", params=("probes",))
def success_threshold(container: Container, params: dict) -> Iterator[Violation]:
    for key, probe in container.probes():
        if key not in params["probes"]:
            continue
        value = probe.get("successThreshold")
        # 0 is defaulted to 1 before validation; anything else must be exactly 1.
        if isinstance(value, int) and not isinstance(value, bool) and value not in (0, 1):
            yield Violation(
                container.path + (key, "successThreshold"),
                f"{key}.successThreshold is {value} in container {quoted(container.name)}; "
                f"the API server requires 1 for a {key}",
                fix=Fix("replace-value", container.path + (key, "successThreshold"), "1"),
            )


@check("probe-named-port", scope="container", params=("probe",))
def named_port(container: Container, params: dict) -> Iterator[Violation]:
    key = params["probe"]
    probe = container.data.get(key)
    if not isinstance(probe, dict) or not container.long_running:
        return
    for handler in ("httpGet", "tcpSocket"):
        action = probe.get(handler)
        port = action.get("port") if isinstance(action, dict) else None
        # Invalid names and quoted numbers are rejected outright: other rules report them.
        if not isinstance(port, str) or not is_port_name(port):
            continue
        declared = container.port_names()
        if port in declared:
            continue
        yield Violation(
            container.path + (key, handler, "port"),
            f"{key}.{handler}.port names port {quoted(port)}, which container "
            f"{quoted(container.name)} does not declare{_declared_hint(container, port, declared)}",
        )


def _port_name_owners(pod) -> dict:
    """Named port -> (name, data) of the first container that declares it."""
    owners: dict = {}
    for other in containers_of(pod):
        for name in other.port_names():
            owners.setdefault(name, (other.name, other.data))
    return owners


def _declared_hint(container: Container, port: str, declared: set[str]) -> str:
    owners = container.pod.remember("port-name-owners", lambda: _port_name_owners(container.pod))
    name, data = owners.get(port, (None, None))
    if name is not None and data is not container.data:
        return (f"; container {quoted(name)} declares it, but the kubelet looks the name "
                "up in the probed container's own ports")
    if declared:
        return f" (it declares {', '.join(sorted(declared))})"
    return " (it declares no named ports)"


@check("handler-count", scope="container", params=("target",))
def handler_count(container: Container, params: dict) -> Iterator[Violation]:
    if params["target"] == "probes":
        owners = [(key, container.path + (key,), probe) for key, probe in container.probes()]
        allowed = ("exec", "httpGet", "tcpSocket", "grpc")
    else:
        owners = [
            (f"lifecycle.{key}", container.path + ("lifecycle", key), hook)
            for key, hook in container.hooks()
        ]
        allowed = ("exec", "httpGet", "tcpSocket", "sleep")
    for label, path, owner in owners:
        present = handlers_in(owner, allowed)
        if not present:
            yield Violation(
                path,
                f"{label} in container {quoted(container.name)} has no handler; "
                f"set exactly one of {', '.join(allowed)}",
                on_key=True,
            )
        elif len(present) > 1:
            yield Violation(
                path + (present[1],),
                f"{label} in container {quoted(container.name)} sets {len(present)} handlers "
                f"({', '.join(present)}); the API server allows exactly one",
                on_key=True,
            )


@check("forbidden-container-fields", scope="container", params=("role", "fields", "reason"))
def forbidden_fields(container: Container, params: dict) -> Iterator[Violation]:
    if container.role != params["role"]:
        return
    for name in params["fields"]:
        if container.data.get(name) is not None:
            yield Violation(
                container.path + (name,),
                f"{name} is set on {container.list_key[:-1]} {quoted(container.name)}; "
                f"{params['reason']}",
                on_key=True,
            )


__all__ = ["PROBES", "is_port_name"]
