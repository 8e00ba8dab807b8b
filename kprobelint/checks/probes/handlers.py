"""Checks on probe and lifecycle handlers: how many, what they hold, where they are allowed.

API validation (``validateHandler`` and the actions it calls): exactly one handler, an exec
command, a port number 1-65535 or a port name, an upper-case HTTP scheme, header names of
letters, digits and '-'. A manifest value can be of any YAML type: a value of the wrong type is
skipped unless the check is about exactly that.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...i18n import Items, Templates
from ...lazyregex import LazyPattern
from ...model import HOOK_HANDLERS, PROBE_HANDLERS, Container, handlers_in
from ...typechecking import TYPE_CHECKING
from .. import PROSE, UNDECODABLE, WIRING, Fix, Violation, check
from ..helpers.handlers import hook_owners, owners, probe_owners
from ..helpers.handlers import in_container as _in
from ..helpers.ports import port_name_problem
from ..helpers.values import as_int, describe, quoted

if TYPE_CHECKING:
    from typing import Any

_HEADER_NAME = LazyPattern(r"[-A-Za-z0-9]+\Z")

TEXTS = Templates("handlers-fields", {
    "no-handler": "{label} in container {container} has no handler; set exactly one of {allowed}",
    "handlers": (
        "{label} in container {container} sets {count} handlers ({handlers}); the API server "
        "allows exactly one"),
    "forbidden": "{field} is set on {role} {container}; {reason}",
    "initContainer": "initContainer",
    "container": "container",
    "ephemeralContainer": "ephemeralContainer",
    "success-threshold": (
        "{key}.successThreshold is {value} in container {container}; the API server requires 1 "
        "for a {key}"),
    "exec-empty": (
        "{field} is empty {where}; the API server requires a command (\"Required value\")"),
    "exec-not-list": (
        "{field} is {value} {where}, not a list of arguments; the API server cannot decode it "
        "(write [cmd, arg, ...])"),
    "no-port": (
        "{label} has no port {where}; the API server requires a port number (1-65535) or a port "
        "name"),
    "port-range": (
        "{field} ({number}) {where} is not a valid port number; the API server requires 1-65535"),
    "port-name": "{field} ({value}) {where} {problem}",
    "port-type": (
        "{field} is {value} {where}, neither a port number nor a port name; the API server cannot "
        "decode it"),
    "scheme": (
        "{field} ({value}) {where} is not HTTP or HTTPS; the API server accepts only those two, in "
        "upper case"),
    "scheme-meant": (
        "{field} ({value}) {where} is not HTTP or HTTPS; the API server accepts only those two, in "
        "upper case; write {meant}"),
    "header-name": (
        "{field} ({value}) {where} is not a valid HTTP header name; the API server accepts only "
        "letters, digits and '-'"),
    "grpc-no-port": "{label} has no port {where}; the API server requires a port number (1-65535)",
    "grpc-quoted": (
        "{field} ({value}) {where} is a string, but a gRPC probe port is an integer and the API "
        "server cannot decode it; write {number} without quotes"),
    "grpc-named": (
        "{field} ({value}) {where} is a string, but a gRPC probe port is an integer and the API "
        "server cannot decode it; named ports are not supported for gRPC probes, use the number"),
    "grpc-type": "{field} is {value} {where}, not a port number; the API server cannot decode it",
    "grpc-unsupported": (
        "{field} {where} needs Kubernetes 1.24 or later (GRPCContainerProbe: alpha and off in "
        "1.23, unknown before): the API server drops it, the probe is left without a handler and "
        "is rejected (\"must specify a handler type\")"),
})


@check("handler-count", scope="container", params=("target",))
def handler_count(container: Container, params: dict) -> Iterator[Violation]:
    # Every container, long-running or not: a probe where none is allowed still needs a
    # valid handler, and the API server reports both.
    if params["target"] == "probes":
        found, allowed = probe_owners(container), PROBE_HANDLERS
    else:
        found, allowed = hook_owners(container), HOOK_HANDLERS
    for label, path, owner in found:
        present = handlers_in(owner, allowed)
        if not present:
            yield Violation(
                path,
                TEXTS("no-handler", label=label, container=quoted(container.name),
                      allowed=Items(tuple(allowed))),
                on_key=True,
            )
        elif len(present) > 1:
            yield Violation(
                path + (present[1],),
                TEXTS("handlers", label=label, container=quoted(container.name),
                      count=len(present), handlers=Items(tuple(present))),
                on_key=True,
            )


@check("forbidden-container-fields", scope="container",
       params={"role": WIRING, "fields": WIRING, "reason": PROSE})
def forbidden_fields(container: Container, params: dict) -> Iterator[Violation]:
    if container.role != params["role"]:
        return
    for name in params["fields"]:
        if container.data.get(name) is not None:
            yield Violation(
                container.path + (name,),
                TEXTS("forbidden", field=name, role=TEXTS(container.list_key[:-1]),
                      container=quoted(container.name), reason=params["reason"]),
                on_key=True,
            )


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
                TEXTS("success-threshold", key=key, value=value,
                      container=quoted(container.name)),
                fix=Fix("replace-value", container.path + (key, "successThreshold"), "1"),
            )


@check("handler-fields", scope="container", params=("target",))
def handler_fields(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, owner in owners(container, params["target"]):
        yield from _exec_fields(container, label, path, owner.get("exec"))
        for handler in ("httpGet", "tcpSocket"):
            action = owner.get(handler)
            if isinstance(action, dict):
                yield from _port(container, f"{label}.{handler}", path + (handler,), action)
        http = owner.get("httpGet")
        if isinstance(http, dict):
            yield from _http_fields(container, f"{label}.httpGet", path + ("httpGet",), http)
        grpc = owner.get("grpc")
        if params["target"] == "probes" and isinstance(grpc, dict):
            yield from _grpc_port(container, f"{label}.grpc", path + ("grpc",), grpc)


def _exec_fields(container: Container, label: str, path: tuple, action: Any) -> Iterator[Violation]:
    if not isinstance(action, dict):
        return  # absent (or null): the handler count rule speaks about it
    command = action.get("command")
    where = f"{label}.exec.command"
    if command is None or command == []:
        yield Violation(path + ("exec", "command") if "command" in action else path + ("exec",),
                        TEXTS("exec-empty", field=where, where=_in(container)), on_key=True)
    elif not isinstance(command, list):
        yield Violation(path + ("exec", "command"),
                        TEXTS("exec-not-list", field=where, value=describe(command),
                              where=_in(container)), statuses=UNDECODABLE)


def _port(container: Container, label: str, path: tuple, action: dict) -> Iterator[Violation]:
    field = f"{label}.port"
    if action.get("port") is None:
        yield Violation(path + ("port",), TEXTS("no-port", label=label, where=_in(container)),
                        on_key=True)
        return
    port = action["port"]
    number = as_int(port)
    if number is not None:
        if not 1 <= number <= 65535:
            yield Violation(path + ("port",), TEXTS("port-range", field=field, number=number,
                                                    where=_in(container)))
        return
    if isinstance(port, str):
        problem = port_name_problem(port)
        if problem:
            yield Violation(path + ("port",), TEXTS("port-name", field=field, value=quoted(port),
                                                    where=_in(container), problem=problem))
        return
    yield Violation(path + ("port",), TEXTS("port-type", field=field, value=describe(port),
                                            where=_in(container)), statuses=UNDECODABLE)


def _http_fields(container: Container, label: str, path: tuple,
                 http: dict) -> Iterator[Violation]:
    scheme = http.get("scheme")
    if scheme is not None and scheme not in ("", "HTTP", "HTTPS"):
        meant = scheme.upper() if isinstance(scheme, str) and scheme.upper() in (
            "HTTP", "HTTPS") else None
        message = TEXTS("scheme-meant" if meant else "scheme", field=f"{label}.scheme",
                        value=describe(scheme), where=_in(container), meant=meant)
        yield Violation(path + ("scheme",), message,
                        fix=Fix("replace-value", path + ("scheme",), meant) if meant else None)
    headers = http.get("httpHeaders")
    if not isinstance(headers, list):
        return
    for index, header in enumerate(headers):
        if not isinstance(header, dict):
            continue
        name = header.get("name")
        if name is None:
            name = ""
        if not isinstance(name, str):
            continue  # a type error the API server reports; no header name to judge
        if _HEADER_NAME.match(name):
            continue
        where = path + ("httpHeaders", index) + (("name",) if "name" in header else ())
        yield Violation(where, TEXTS("header-name", field=f"{label}.httpHeaders[{index}].name",
                                     value=quoted(name), where=_in(container)),
                        on_key="name" not in header)


def _grpc_port(container: Container, label: str, path: tuple, grpc: dict) -> Iterator[Violation]:
    field = f"{label}.port"
    port = grpc.get("port")
    if port is None:
        yield Violation(path + ("port",), TEXTS("grpc-no-port", label=label,
                                                where=_in(container)), on_key=True)
        return
    number = as_int(port)
    if number is not None:
        if not 1 <= number <= 65535:
            yield Violation(path + ("port",), TEXTS("port-range", field=field, number=number,
                                                    where=_in(container)))
        return
    if isinstance(port, str):
        key = "grpc-quoted" if port.strip().isdigit() else "grpc-named"
        yield Violation(path + ("port",), TEXTS(key, field=field, value=quoted(port),
                                                where=_in(container), number=port.strip()),
                        statuses=UNDECODABLE)
        return
    yield Violation(path + ("port",), TEXTS("grpc-type", field=field, value=describe(port),
                                            where=_in(container)), statuses=UNDECODABLE)


@check("grpc-probe-unsupported", scope="container")
def grpc_probe_unsupported(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in owners(container, "probes"):
        if handlers_in(probe, ("exec", "httpGet", "tcpSocket", "grpc")) != ["grpc"]:
            continue
        yield Violation(
            path + ("grpc",),
            TEXTS("grpc-unsupported", field=f"{label}.grpc", where=_in(container)),
            on_key=True,
        )
