"""Checks on probe and lifecycle handlers: how many, what they hold, where they are allowed.

API validation (``validateHandler`` and the actions it calls): exactly one handler, an exec
command, a port number 1-65535 or a port name, an upper-case HTTP scheme, header names of
letters, digits and '-'. A manifest value can be of any YAML type: a value of the wrong type is
skipped unless the check is about exactly that.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...lazyregex import LazyPattern
from ...model import HOOK_HANDLERS, PROBE_HANDLERS, Container, handlers_in
from ...typechecking import TYPE_CHECKING
from .. import UNDECODABLE, Fix, Violation, check
from ..helpers.handlers import hook_owners, owners, probe_owners
from ..helpers.handlers import in_container as _in
from ..helpers.ports import port_name_problem
from ..helpers.values import as_int, describe, quoted

if TYPE_CHECKING:
    from typing import Any

_HEADER_NAME = LazyPattern(r"[-A-Za-z0-9]+\Z")


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
                        f"{where} is empty {_in(container)}; the API server requires a command "
                        "(\"Required value\")", on_key=True)
    elif not isinstance(command, list):
        yield Violation(path + ("exec", "command"),
                        f"{where} is {describe(command)} {_in(container)}, not a list of "
                        "arguments; the API server cannot decode it (write [cmd, arg, ...])",
                        statuses=UNDECODABLE)


def _port(container: Container, label: str, path: tuple, action: dict) -> Iterator[Violation]:
    field = f"{label}.port"
    if action.get("port") is None:
        yield Violation(path + ("port",), f"{label} has no port {_in(container)}; the API "
                        "server requires a port number (1-65535) or a port name", on_key=True)
        return
    port = action["port"]
    number = as_int(port)
    if number is not None:
        if not 1 <= number <= 65535:
            yield Violation(path + ("port",), f"{field} ({number}) {_in(container)} is not a "
                            "valid port number; the API server requires 1-65535")
        return
    if isinstance(port, str):
        problem = port_name_problem(port)
        if problem:
            yield Violation(path + ("port",), f"{field} ({quoted(port)}) {_in(container)} "
                            f"{problem}")
        return
    yield Violation(path + ("port",), f"{field} is {describe(port)} {_in(container)}, neither a "
                    "port number nor a port name; the API server cannot decode it",
                    statuses=UNDECODABLE)


def _http_fields(container: Container, label: str, path: tuple,
                 http: dict) -> Iterator[Violation]:
    scheme = http.get("scheme")
    if scheme is not None and scheme not in ("", "HTTP", "HTTPS"):
        meant = scheme.upper() if isinstance(scheme, str) and scheme.upper() in (
            "HTTP", "HTTPS") else None
        hint = f"; write {meant}" if meant else ""
        yield Violation(path + ("scheme",), f"{label}.scheme ({describe(scheme)}) "
                        f"{_in(container)} is not HTTP or HTTPS; the API server accepts only "
                        f"those two, in upper case{hint}",
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
        yield Violation(where, f"{label}.httpHeaders[{index}].name ({quoted(name)}) "
                        f"{_in(container)} is not a valid HTTP header name; the API server "
                        "accepts only letters, digits and '-'", on_key="name" not in header)


def _grpc_port(container: Container, label: str, path: tuple, grpc: dict) -> Iterator[Violation]:
    field = f"{label}.port"
    port = grpc.get("port")
    if port is None:
        yield Violation(path + ("port",), f"{label} has no port {_in(container)}; the API "
                        "server requires a port number (1-65535)", on_key=True)
        return
    number = as_int(port)
    if number is not None:
        if not 1 <= number <= 65535:
            yield Violation(path + ("port",), f"{field} ({number}) {_in(container)} is not a "
                            "valid port number; the API server requires 1-65535")
        return
    if isinstance(port, str):
        hint = (f"; write {port.strip()} without quotes" if port.strip().isdigit()
                else "; named ports are not supported for gRPC probes, use the number")
        yield Violation(path + ("port",), f"{field} ({quoted(port)}) {_in(container)} is a "
                        f"string, but a gRPC probe port is an integer and the API server cannot "
                        f"decode it{hint}", statuses=UNDECODABLE)
        return
    yield Violation(path + ("port",), f"{field} is {describe(port)} {_in(container)}, not a "
                    "port number; the API server cannot decode it", statuses=UNDECODABLE)


@check("grpc-probe-unsupported", scope="container")
def grpc_probe_unsupported(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in owners(container, "probes"):
        if handlers_in(probe, ("exec", "httpGet", "tcpSocket", "grpc")) != ["grpc"]:
            continue
        yield Violation(
            path + ("grpc",),
            f"{label}.grpc {_in(container)} needs Kubernetes 1.24 or later (GRPCContainerProbe: "
            "alpha and off in 1.23, unknown before): the API server drops it, the probe is left "
            "without a handler and is rejected (\"must specify a handler type\")",
            on_key=True,
        )
