"""Checks on the fields of probes and lifecycle handlers: validity, exec commands, timing.

Sources: research/k8s-semantics.md sections 1 (validation), 3 (defaults), 4 (kubelet), 7 (gates).
Every check looks only at containers where probes and hooks are allowed (regular containers and
native sidecars); init and ephemeral containers have their own rules. Manifest values can be of
any YAML type: a value of the wrong type is skipped unless the check is about exactly that.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from ..model import (
    PROBE_DEFAULTS,
    Container,
    containers_of,
    handlers_in,
    probe_endpoint,
    probe_setting,
)
from . import Fix, Param, Violation, check, quoted
from .argv import as_int, is_shell, script_index
from .probes import is_port_name

TIMING_FIELDS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                 "failureThreshold")
_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+\Z")
_SHELL_VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]*\Z")  # what a shell user writes for an env var
# Hosts that, dialled from the node, reach the node itself (0.0.0.0 connects locally on Linux).
_LOOPBACK = re.compile(
    r"(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|::1|\[::1\]|0:0:0:0:0:0:0:1)\Z",
    re.IGNORECASE)


def _describe(value: Any) -> str:
    """A value for a message: quoted scalars, a type name for collections."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return quoted(value)


def _in(container: Container) -> str:
    return f"in container {quoted(container.name)}"


# ---------------------------------------------------------------------------------------------
# Where handlers live


def _probe_owners(container: Container) -> list[tuple[str, tuple, dict]]:
    return [(key, container.path + (key,), probe) for key, probe in container.probes()]


def _hook_owners(container: Container) -> list[tuple[str, tuple, dict]]:
    return [(f"lifecycle.{key}", container.path + ("lifecycle", key), hook)
            for key, hook in container.hooks()]


def _owners(container: Container, target: str) -> list[tuple[str, tuple, dict]]:
    if not container.long_running:
        return []
    return _probe_owners(container) if target == "probes" else _hook_owners(container)


def _selected_owners(container: Container, where: list) -> list[tuple[str, tuple, dict]]:
    """Probes and hooks named in ``where`` (``livenessProbe``, ``postStart``, ...)."""
    if not container.long_running:
        return []
    return [(label, path, owner) for label, path, owner in
            _probe_owners(container) + _hook_owners(container)
            if label.rsplit(".", 1)[-1] in where]


# ---------------------------------------------------------------------------------------------
# Handler validity (API validation: validateHandler and the actions)


@check("handler-fields", scope="container", params=("target",))
def handler_fields(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, owner in _owners(container, params["target"]):
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
                        f"{where} is {_describe(command)} {_in(container)}, not a list of "
                        "arguments; the API server cannot decode it (write [cmd, arg, ...])")


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
        problem = _port_name_problem(port)
        if problem:
            yield Violation(path + ("port",), f"{field} ({quoted(port)}) {_in(container)} "
                            f"{problem}")
        return
    yield Violation(path + ("port",), f"{field} is {_describe(port)} {_in(container)}, neither a "
                    "port number nor a port name; the API server cannot decode it")


def _port_name_problem(name: str) -> str | None:
    """Why ``name`` is not an IANA_SVC_NAME (validation.IsValidPortName), or None."""
    if is_port_name(name):
        return None
    reject = "; the API server rejects it"
    if name.strip().isdigit():
        return (f"is a quoted number, which makes it a port name, and a port name must contain "
                f"at least one letter: the API server rejects it; write {name.strip()} without "
                "quotes")
    if not name:
        return f"is an empty port name{reject}"
    if len(name) > 15:
        return f"is a port name longer than 15 characters{reject}"
    if any(c.isupper() for c in name):
        return (f"is not a valid port name: port names are lowercase (a-z, 0-9, '-')"
                f"{reject}")
    if re.search(r"[^-a-z0-9]", name):
        return f"is not a valid port name: only a-z, 0-9 and '-' are allowed{reject}"
    if "--" in name or name.startswith("-") or name.endswith("-"):
        return (f"is not a valid port name: it must not start or end with '-' or contain "
                f"'--'{reject}")
    return f"is not a valid port name: it must contain at least one letter{reject}"


def _http_fields(container: Container, label: str, path: tuple,
                 http: dict) -> Iterator[Violation]:
    scheme = http.get("scheme")
    if scheme is not None and scheme not in ("", "HTTP", "HTTPS"):
        meant = scheme.upper() if isinstance(scheme, str) and scheme.upper() in (
            "HTTP", "HTTPS") else None
        hint = f"; write {meant}" if meant else ""
        yield Violation(path + ("scheme",), f"{label}.scheme ({_describe(scheme)}) "
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
                        f"decode it{hint}")
        return
    yield Violation(path + ("port",), f"{field} is {_describe(port)} {_in(container)}, not a "
                    "port number; the API server cannot decode it")


# ---------------------------------------------------------------------------------------------
# Exec commands


def _argv(owner: dict) -> list | None:
    action = owner.get("exec")
    command = action.get("command") if isinstance(action, dict) else None
    return command if isinstance(command, list) and command else None


@check("exec-command-unsplit", scope="container", params=("where", "consequence"))
def exec_command_unsplit(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, owner in _selected_owners(container, params["where"]):
        argv = _argv(owner)
        if argv is None or not isinstance(argv[0], str) or not re.search(r"\s", argv[0]):
            continue
        words = argv[0].split()
        listed = f"[{', '.join(words[:4])}{', ...' if len(words) > 4 else ''}]"
        fix = ""
        if words and is_shell(words):
            fix = f"; split it into separate items ({listed})"
        elif words:
            fix = (f"; split it into separate items ({listed}) or run it through a shell "
                   "([sh, -c, \"...\"])")
        # One string: run it as the shell line it looks like. With more items the others
        # would become the script's $0, $1..., so only the message says what to do.
        shell = Fix("replace-item", path + ("exec", "command", 0),
                    f"[sh, -c, {json.dumps(argv[0], ensure_ascii=False)}]") \
            if len(argv) == 1 else None
        yield Violation(
            path + ("exec", "command", 0),
            f"{label}.exec.command[0] ({quoted(argv[0])}) {_in(container)} is run as one "
            f"executable name, spaces included, without a shell, so it is never found: "
            f"{params['consequence']}{fix}",
            fix=shell,
        )


def variable_references(text: str) -> Iterator[str]:
    """Names in ``$(NAME)`` references, as the kubelet's expansion scans them (``$$`` escapes)."""
    cursor = 0
    while cursor < len(text) - 1:
        if text[cursor] != "$":
            cursor += 1
            continue
        following = text[cursor + 1]
        if following == "$":
            cursor += 2
            continue
        if following == "(":
            end = text.find(")", cursor + 2)
            if end < 0:
                return
            yield text[cursor + 2:end]
            cursor = end + 1
            continue
        cursor += 1


def _env_sources(container: Container) -> dict[str, str]:
    """Env names to ``static`` or ``valueFrom``; a later entry wins, as in the kubelet's map."""
    sources: dict[str, str] = {}
    env = container.data.get("env")
    for entry in env if isinstance(env, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            sources[entry["name"]] = "valueFrom" if entry.get("valueFrom") is not None \
                else "static"
    return sources


@check("exec-env-reference", scope="container", params=("target", "consequence"))
def exec_env_reference(container: Container, params: dict) -> Iterator[Violation]:
    probes = params["target"] == "probes"
    sources = _env_sources(container)
    for label, path, owner in _owners(container, params["target"]):
        argv = _argv(owner)
        if argv is None:
            continue
        script = script_index(argv)
        for index, arg in enumerate(argv):
            if not isinstance(arg, str):
                continue
            reported: set[str] = set()
            for name in variable_references(arg):
                if name in reported:
                    continue
                what = _reference_problem(name, sources.get(name), probes, index == script)
                if what is None:
                    continue
                reported.add(name)
                shown = arg if len(arg) <= 60 else arg[:57] + "..."
                yield Violation(
                    path + ("exec", "command", index),
                    f"{label}.exec.command[{index}] ({quoted(shown)}) {_in(container)} uses "
                    f"$({name}), {what}; {params['consequence']}",
                )


def _reference_problem(name: str, source: str | None, probes: bool, shell: bool) -> str | None:
    """What the command really gets for ``$(name)``, when it is not the variable's value."""
    if probes and source == "static":
        return None  # exec probes expand static env values (ExpandContainerCommandOnlyStatic)
    if shell:
        # In a shell script an unexpanded $(x) is command substitution: $(hostname) is meant.
        if source is None and not _SHELL_VARIABLE.match(name):
            return None
        got = ("the kubelet replaces it with an empty string, since it expands only static env "
               "values" if probes and source == "valueFrom"
               else "which the kubelet leaves as it is, so the shell runs a command named "
               f"{quoted(name)} instead (\"not found\", an empty result)")
        return f"{got}; write ${name} to let the shell read the variable"
    if not re.fullmatch(r"[-._A-Za-z0-9]+", name):
        return None
    if probes and source == "valueFrom":
        return ("which comes from valueFrom: the kubelet expands only static env values in "
                "an exec probe and puts an empty string in its place")
    if not probes:
        return ("which the kubelet passes on literally: lifecycle hook commands are never "
                "expanded (use [sh, -c, \"... $" + name + " ...\"])")
    return (f"but {quoted(name)} is not a static env value of this container, so the "
            "probe gets the literal text")


# ---------------------------------------------------------------------------------------------
# Host and ports


@check("probe-host", scope="container")
def probe_host(container: Container, params: dict) -> Iterator[Violation]:
    host_network = container.pod.data.get("hostNetwork") is True
    for label, path, probe in _owners(container, "probes"):
        for handler in ("httpGet", "tcpSocket"):
            action = probe.get(handler)
            host = action.get("host") if isinstance(action, dict) else None
            if not isinstance(host, str) or not host.strip():
                continue
            field = f"{label}.{handler}.host ({quoted(host)}) {_in(container)}"
            if _LOOPBACK.match(host.strip()):
                if host_network:
                    continue  # the documented way to probe a hostNetwork pod on loopback
                yield Violation(
                    path + (handler, "host"),
                    f"{field} is the node's own loopback address: the kubelet probes from the "
                    "node's network, not the Pod's, so the probe tests the node, never the "
                    "container; remove host to probe the Pod IP",
                    severity="warning",
                )
                continue
            tail = ("; to set the HTTP Host header, use httpHeaders instead"
                    if handler == "httpGet" else "")
            yield Violation(
                path + (handler, "host"),
                f"{field} makes the node probe another host instead of this container: the "
                "result says nothing about the container's health, and a failure there marks "
                f"this container unready or restarts it{tail}",
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
    own = _container_port_numbers(container)
    if not own:
        return  # a container that declares no ports says nothing about where it listens
    pod_ports: set[int] | None = None  # only needed for a port this container lacks
    mentioned = None
    for label, path, probe in _owners(container, "probes"):
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
                    *(_container_port_numbers(c) for c in containers_of(container.pod))))
                mentioned = _configured_text(container)
            if port in pod_ports:
                continue
            if re.search(rf"(?<![0-9]){port}(?![0-9])", mentioned):
                continue  # the port is set in command, args or env: the author knows it
            declared = ", ".join(str(p) for p in sorted(own))
            typo = sorted(p for p in own if sorted(str(p)) == sorted(str(port)))
            if typo:
                yield Violation(
                    path + (handler, "port"),
                    f"{label}.{handler}.port ({port}) {_in(container)} is not among its "
                    f"containerPorts ({declared}): probably a typo for {typo[0]} (the same "
                    "digits); a probe on a port nothing listens on fails every time",
                )
            elif params["any_undeclared"]:
                yield Violation(
                    path + (handler, "port"),
                    f"{label}.{handler}.port ({port}) {_in(container)} is not among its "
                    f"containerPorts ({declared}); ports are only informational, but a probe "
                    "on a port nothing listens on fails every time",
                )


def _container_port_numbers(container: Container) -> set[int]:
    numbers = set()
    for entry in container.ports():
        number = as_int(entry.get("containerPort"))
        if number is not None:
            numbers.add(number)
    return numbers


def _configured_text(container: Container) -> str:
    parts: list[str] = []
    for key in ("command", "args"):
        value = container.data.get(key)
        if isinstance(value, list):
            parts.extend(str(v) for v in value if isinstance(v, (str, int)))
    env = container.data.get("env")
    for entry in env if isinstance(env, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("value"), (str, int)):
            parts.append(str(entry["value"]))
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Probe-level terminationGracePeriodSeconds


@check("probe-grace-period", scope="container", params=("probes", "problem"))
def probe_grace_period(container: Container, params: dict) -> Iterator[Violation]:
    """``problem``: ``set`` (any value is wrong), ``not-positive`` or ``unsupported``."""
    problem = params["problem"]
    for label, path, probe in _owners(container, "probes"):
        if label not in params["probes"] or probe.get("terminationGracePeriodSeconds") is None:
            continue
        value = probe["terminationGracePeriodSeconds"]
        field = f"{label}.terminationGracePeriodSeconds ({_describe(value)})"
        where = path + ("terminationGracePeriodSeconds",)
        if problem == "set":
            yield Violation(where, f"{field} {_in(container)} is set; the API server rejects "
                            "it on a readinessProbe (\"must not be set for readinessProbes\"): a "
                            "readiness failure never kills the container", on_key=True)
        elif problem == "not-positive":
            number = as_int(value)
            if number is not None and number <= 0:
                yield Violation(where, f"{field} {_in(container)} is not positive; the API "
                                "server requires more than 0 (\"must be greater than 0\")")
        else:
            yield Violation(where, f"{field} {_in(container)} needs Kubernetes 1.25 or later: "
                            "before that the API server drops it without a word and a probe "
                            "failure kills the container with the Pod's "
                            "terminationGracePeriodSeconds", on_key=True)


# ---------------------------------------------------------------------------------------------
# Timing


def _timing(probe: dict) -> dict[str, int] | None:
    """Effective timing values (defaults applied), or None when one of them is unusable."""
    values = {}
    for key in TIMING_FIELDS:
        value = as_int(probe_setting(probe, key))
        if value is None or value < 0:
            return None
        values[key] = value
    return values


def _setting(probe: dict, key: str) -> str:
    """``periodSeconds (10)``, or ``periodSeconds (10, the default)`` when not written."""
    value = as_int(probe_setting(probe, key))
    explicit = as_int(probe.get(key))
    return f"{key} ({value}{'' if explicit not in (None, 0) else ', the default'})"


@check("probe-timing-negative", scope="container")
def probe_timing_negative(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in _owners(container, "probes"):
        for key in TIMING_FIELDS:
            value = as_int(probe.get(key))
            if value is not None and value < 0:
                yield Violation(path + (key,), f"{label}.{key} ({value}) {_in(container)} is "
                                "negative; the API server rejects it (\"must be greater than or "
                                "equal to 0\")")


@check("probe-timing-zero", scope="container")
def probe_timing_zero(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in _owners(container, "probes"):
        for key in TIMING_FIELDS[1:]:
            if as_int(probe.get(key)) == 0:
                yield Violation(path + (key,), f"{label}.{key} (0) {_in(container)} means "
                                f"\"unset\": the API server replaces it with the default "
                                f"{PROBE_DEFAULTS[key]}; write {PROBE_DEFAULTS[key]} (or "
                                "remove the field) so the manifest says what runs")


@check("probe-timeout-vs-period", scope="container")
def probe_timeout_vs_period(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in _owners(container, "probes"):
        timing = _timing(probe)
        if timing is None or timing["timeoutSeconds"] < timing["periodSeconds"]:
            continue
        if timing["timeoutSeconds"] <= 1:
            continue  # periodSeconds 1: the timeout cannot go below its minimum of 1
        at = "timeoutSeconds" if probe.get("timeoutSeconds") is not None else "periodSeconds"
        yield Violation(
            path + (at,),
            f"{label}.{_setting(probe, 'timeoutSeconds')} is not below "
            f"{_setting(probe, 'periodSeconds')} {_in(container)}: an attempt that runs into its "
            "timeout is followed at once by the next, so a slow container is probed back to "
            "back and the period no longer paces the probe",
        )


@check("liveness-before-readiness", scope="container")
def liveness_before_readiness(container: Container, params: dict) -> Iterator[Violation]:
    if not container.long_running:
        return
    liveness = container.data.get("livenessProbe")
    readiness = container.data.get("readinessProbe")
    if not isinstance(liveness, dict) or not isinstance(readiness, dict):
        return
    live, ready = _timing(liveness), _timing(readiness)
    if live is None or ready is None:
        return
    endpoint = probe_endpoint(container, liveness)
    if endpoint is None or endpoint != probe_endpoint(container, readiness):
        return
    live_budget = live["periodSeconds"] * live["failureThreshold"]
    ready_budget = ready["periodSeconds"] * ready["failureThreshold"]
    if live_budget > ready_budget:
        return
    when = "at the same time as" if live_budget == ready_budget else "before"
    yield Violation(
        container.path + ("livenessProbe",),
        f"livenessProbe {_in(container)} gives up after {live_budget}s (periodSeconds x "
        f"failureThreshold = {live['periodSeconds']} x {live['failureThreshold']}), {when} the "
        f"readinessProbe on the same endpoint takes it out of rotation ({ready_budget}s = "
        f"{ready['periodSeconds']} x {ready['failureThreshold']}): an overloaded container is "
        "restarted instead of being given time to recover",
        on_key=True,
    )


@check("liveness-failure-threshold", scope="container", params={
    "min_failure_threshold": Param(int, "the smallest failureThreshold accepted for a "
                                   "livenessProbe", option=True)})
def liveness_failure_threshold(container: Container, params: dict) -> Iterator[Violation]:
    minimum = params["min_failure_threshold"]
    for label, path, probe in _owners(container, "probes"):
        if label != "livenessProbe":
            continue
        value = as_int(probe.get("failureThreshold"))
        if value is None or value <= 0 or value >= minimum:
            continue  # absent or 0 is the default 3; negative values have their own rule
        slow = "one slow response" if value == 1 else f"{value} slow responses in a row"
        yield Violation(
            path + ("failureThreshold",),
            f"livenessProbe.failureThreshold ({value}) {_in(container)} is below {minimum}: "
            f"{slow} (a GC pause, a burst of load) restarts the container",
        )


@check("liveness-initial-delay", scope="container", params={
    "max_initial_delay_seconds": Param(int, "the longest livenessProbe initialDelaySeconds "
                                       "accepted without a startupProbe", option=True)})
def liveness_initial_delay(container: Container, params: dict) -> Iterator[Violation]:
    if not container.long_running or container.data.get("startupProbe") is not None:
        return
    probe = container.data.get("livenessProbe")
    if not isinstance(probe, dict):
        return
    delay = as_int(probe.get("initialDelaySeconds"))
    limit = params["max_initial_delay_seconds"]
    if delay is None or delay <= limit:
        return
    yield Violation(
        container.path + ("livenessProbe", "initialDelaySeconds"),
        f"livenessProbe.initialDelaySeconds ({delay}) {_in(container)} is above {limit} and "
        "there is no startupProbe: every start waits that long before a hang is noticed, and a "
        "start that takes longer is still killed; a startupProbe covers slow starts and "
        "lets liveness begin as soon as the app is up",
    )


@check("startup-budget", scope="container")
def startup_budget(container: Container, params: dict) -> Iterator[Violation]:
    if not container.long_running:
        return
    startup = container.data.get("startupProbe")
    liveness = container.data.get("livenessProbe")
    if not isinstance(startup, dict) or not isinstance(liveness, dict):
        return
    timing = _timing(startup)
    delay = as_int(liveness.get("initialDelaySeconds"))
    if timing is None or delay is None:
        return
    budget = timing["initialDelaySeconds"] + timing["failureThreshold"] * timing["periodSeconds"]
    if budget >= delay:
        return
    at = ("failureThreshold",) if startup.get("failureThreshold") is not None else ()
    yield Violation(
        container.path + ("startupProbe",) + at,
        f"startupProbe {_in(container)} allows {budget}s to start (initialDelaySeconds + "
        f"failureThreshold x periodSeconds = {timing['initialDelaySeconds']} + "
        f"{timing['failureThreshold']} x {timing['periodSeconds']}), less than "
        f"livenessProbe.initialDelaySeconds ({delay}): if the app needs the time that delay "
        "suggests, the startup probe kills it first, on every start",
        on_key=not at,
    )


# ---------------------------------------------------------------------------------------------
# Version gates


@check("grpc-probe-unsupported", scope="container")
def grpc_probe_unsupported(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in _owners(container, "probes"):
        if handlers_in(probe, ("exec", "httpGet", "tcpSocket", "grpc")) != ["grpc"]:
            continue
        yield Violation(
            path + ("grpc",),
            f"{label}.grpc {_in(container)} needs Kubernetes 1.24 or later (GRPCContainerProbe: "
            "alpha and off in 1.23, unknown before): the API server drops it, the probe is left "
            "without a handler and is rejected (\"must specify a handler type\")",
            on_key=True,
        )
