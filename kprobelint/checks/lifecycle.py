"""Checks of the lifecycle area: hook handlers the kubelet cannot run, the sleep action, preStop
hooks against the grace period, postStart HTTP calls to the container itself.

Facts (research/k8s-semantics.md section 2): ``sleep.seconds`` is validated against the pod's
``terminationGracePeriodSeconds`` (defaulted to 30): greater is rejected, equal is accepted;
0 is rejected unless ``PodLifecycleSleepActionAllowZero`` is on (1.33+). With
``PodLifecycleSleepAction`` off (1.29) the field is silently dropped, and the whole hook with it
when it was the only handler. The kubelet runs preStop only when the grace period is above 0,
waits for it at most the grace period, then gives the container 2 s before SIGKILL.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

from ..lazyregex import LazyPattern
from ..model import HOOK_HANDLERS, Container, containers_of, handlers_in
from ..typechecking import TYPE_CHECKING
from . import Fix, Violation, check
from .helpers.commands import executable_name, hook_argv, script_commands, shell_script
from .helpers.ports import declared_hint, undeclared_name
from .helpers.values import is_int, quoted

if TYPE_CHECKING:
    from typing import Any

_SLEEP_ARG = LazyPattern(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)\Z")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def grace_period(container: Container) -> int | None:
    """The pod's terminationGracePeriodSeconds (default 30), or None when it is not an int."""
    value = container.pod.termination_grace_period
    return value if is_int(value) else None


def grace_text(container: Container, grace: int) -> str:
    """``terminationGracePeriodSeconds (N)``, saying when N is the default."""
    default = "" if "terminationGracePeriodSeconds" in container.pod.data else ", the default"
    return f"terminationGracePeriodSeconds ({grace}{default})"


def hook_capable(container: Container) -> bool:
    # Regular init and ephemeral containers may not have lifecycle at all (other rules say so).
    return container.role in ("container", "sidecar")


def sleep_seconds(words: list[str]) -> float | None:
    """Seconds slept by ``sleep ARG...`` (GNU and BusyBox add up several arguments)."""
    if not words or executable_name(words[0]) != "sleep" or len(words) < 2:
        return None
    total = 0.0
    for word in words[1:]:
        if word in ("infinity", "inf"):
            return math.inf
        match = _SLEEP_ARG.match(word)
        if match is None:
            return None  # a variable, an option: unknown
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    return total


def exec_sleep_seconds(argv: list[str]) -> float | None:
    """A lower bound of how long an exec hook sleeps, or None if it is not a plain sleep."""
    direct = sleep_seconds(argv)
    if direct is not None:
        return direct
    script = shell_script(argv)
    if script is None:
        return None
    commands = script_commands(script)
    if not commands:
        return None
    total, found = 0.0, False
    for command in commands:
        words = command.split()
        if words and words[0] == "exec":
            words = words[1:]
        seconds = sleep_seconds(words)
        if seconds is not None:
            total += seconds
            found = True
    return total if found else None


def _duration(seconds: float) -> str:
    if math.isinf(seconds):
        return "forever"
    return f"{seconds:g} s"


@check("hook-handler-type", scope="container", params=("hook", "handler", "consequence"))
def hook_handler_type(container: Container, params: dict) -> Iterator[Violation]:
    for key, hook in container.hooks():
        if key == params["hook"] and hook.get(params["handler"]) is not None:
            yield Violation(
                container.path + ("lifecycle", key, params["handler"]),
                f"lifecycle.{key}.{params['handler']} in container {quoted(container.name)}: "
                f"{params['consequence']}",
                on_key=True,
            )


def _sleep_actions(container: Container) -> Iterator[tuple[str, dict]]:
    for key, hook in container.hooks():
        action = hook.get("sleep")
        if isinstance(action, dict):
            yield key, action


@check("sleep-seconds-range", scope="container")
def sleep_seconds_range(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    grace = grace_period(container)
    for key, action in _sleep_actions(container):
        seconds = action.get("seconds")
        if not is_int(seconds):
            continue
        field = f"lifecycle.{key}.sleep.seconds"
        path = container.path + ("lifecycle", key, "sleep", "seconds")
        if seconds < 0:
            yield Violation(path, f"{field} ({seconds}) is negative in container "
                                  f"{quoted(container.name)}; the API server rejects it")
        elif grace is not None and grace >= 0 and seconds > grace:
            # A preStop sleep that fits leaves the application a second of the grace period;
            # a postStart sleep that long is no pattern to guess a value for.
            shorter = Fix("replace-value", path, str(grace - 1)) \
                if key == "preStop" and grace >= 2 else None
            yield Violation(
                path,
                f"{field} ({seconds}) is greater than {grace_text(container, grace)} in container "
                f"{quoted(container.name)}; the API server rejects it",
                fix=shorter,
            )


@check("sleep-seconds-zero", scope="container")
def sleep_seconds_zero(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    for key, action in _sleep_actions(container):
        seconds = action.get("seconds")
        field = f"lifecycle.{key}.sleep.seconds"
        if seconds is None:
            yield Violation(
                container.path + ("lifecycle", key, "sleep"),
                f"{field} is not set (so 0) in container {quoted(container.name)}; before "
                "1.33 the API server rejects a zero sleep (must be greater than 0)",
                on_key=True,
            )
        elif is_int(seconds) and seconds == 0:
            yield Violation(
                container.path + ("lifecycle", key, "sleep", "seconds"),
                f"{field} (0) in container {quoted(container.name)}: before 1.33 the API server "
                "rejects a zero sleep (must be greater than 0; the "
                "PodLifecycleSleepActionAllowZero gate is off)",
            )


@check("sleep-action-gated", scope="container", params=("consequence",))
def sleep_action_gated(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    for key, hook in container.hooks():
        if hook.get("sleep") is None:
            continue
        others = [h for h in handlers_in(hook, HOOK_HANDLERS) if h != "sleep"]
        if others:
            rest = f"the {key} hook keeps its {', '.join(others)} handler"
        else:
            rest = f"it is the only handler, so the whole {key} hook goes"
        action = hook.get("sleep")
        value = (f"seconds: {quoted(action.get('seconds'))}" if isinstance(action, dict)
                 else quoted(action))
        yield Violation(
            container.path + ("lifecycle", key, "sleep"),
            f"lifecycle.{key}.sleep ({value}) in container {quoted(container.name)}: "
            f"{params['consequence']}; {rest}",
            on_key=True,
        )


@check("pre-stop-outlasts-grace-period", scope="container")
def pre_stop_outlasts_grace_period(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    grace = grace_period(container)
    if grace is None or grace <= 0:
        return  # 0: the hook never runs (another rule); negative: undefined
    lifecycle = container.data.get("lifecycle")
    hook = lifecycle.get("preStop") if isinstance(lifecycle, dict) else None
    if not isinstance(hook, dict):
        return
    where = grace_text(container, grace)
    outcome = (f"the Pod stays Terminating for the whole {grace} s grace period, then container "
               f"{quoted(container.name)} gets about 2 s after SIGTERM before SIGKILL")
    sleep = hook.get("sleep")
    if isinstance(sleep, dict) and is_int(sleep.get("seconds")):
        if sleep["seconds"] == grace:  # greater is rejected: sleep-seconds-range says so
            yield Violation(
                container.path + ("lifecycle", "preStop", "sleep", "seconds"),
                f"lifecycle.preStop.sleep.seconds ({grace}) equals {where} in container "
                f"{quoted(container.name)}: {outcome}",
            )
        return
    argv = hook_argv(hook)
    if argv is None:
        return
    seconds = exec_sleep_seconds(argv)
    if seconds is None or seconds < grace:
        return
    relation = "as long as" if seconds == grace else "longer than"
    yield Violation(
        container.path + ("lifecycle", "preStop", "exec", "command"),
        f"lifecycle.preStop.exec.command ({quoted(' '.join(argv))}) sleeps "
        f"{_duration(seconds)}, {relation} {where} in container {quoted(container.name)}: "
        f"{outcome}",
    )


@check("pre-stop-zero-grace-period", scope="container")
def pre_stop_zero_grace_period(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    grace = container.pod.data.get("terminationGracePeriodSeconds")
    if not (is_int(grace) and grace == 0):
        return
    lifecycle = container.data.get("lifecycle")
    hook = lifecycle.get("preStop") if isinstance(lifecycle, dict) else None
    if not isinstance(hook, dict):
        return
    yield Violation(
        container.path + ("lifecycle", "preStop"),
        f"lifecycle.preStop of container {quoted(container.name)} never runs: "
        "terminationGracePeriodSeconds is 0, and the kubelet runs a preStop hook only when the "
        "grace period is above 0 (the container gets the stop signal, then SIGKILL about 2 s "
        "later)",
        on_key=True,
    )


@check("post-start-http-self", scope="container")
def post_start_http_self(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    lifecycle = container.data.get("lifecycle")
    hook = lifecycle.get("postStart") if isinstance(lifecycle, dict) else None
    action = hook.get("httpGet") if isinstance(hook, dict) else None
    if not isinstance(action, dict):
        return
    if action.get("host") not in (None, ""):
        return  # another host: no race with this container's entrypoint
    port = action.get("port")
    if not _own_port(container, port):
        return
    path = action.get("path")
    target = f"port {quoted(port)}" + (f" path {quoted(path)}" if isinstance(path, str) else "")
    yield Violation(
        container.path + ("lifecycle", "postStart", "httpGet"),
        f"lifecycle.postStart.httpGet ({target}) calls container {quoted(container.name)} "
        "itself; postStart runs right after the container starts, in parallel with its "
        "entrypoint, so the server is usually not listening yet: the hook fails, the container "
        "is killed (PostStartHookError) and restarted with back-off (CrashLoopBackOff)",
        on_key=True,
    )


def _own_port(container: Container, port: Any) -> bool:
    """True when ``port`` is served by this container (not by a sibling already running)."""
    own = container.ports()
    if isinstance(port, str):
        # Named: the kubelet resolves it in this container only (a missing name fails anyway).
        return any(p.get("name") == port for p in own)
    if not is_int(port):
        return False
    if any(p.get("containerPort") == port for p in own):
        return True
    # Declared nowhere: count it as this container's own server only when nothing else in the
    # pod could be listening (an undeclared port of a sidecar, or of one injected at admission,
    # is beyond what the manifest shows).
    return sum(1 for c in containers_of(container.pod) if c.long_running) == 1


HOOK_PORT_UNDECLARED = (
    "lifecycle.{hook}.httpGet.port names port {port}, which {label} does not "
    "declare{hint}: the kubelet cannot resolve it, so the hook fails; {consequence}"
)


@check("hook-named-port", scope="container", params=("hook", "consequence"))
def hook_named_port(container: Container, params: dict) -> Iterator[Violation]:
    """The kubelet resolves a hook's named port in the container's own ports
    (``NewRequestForHTTPGetAction`` -> ``probe.ResolveContainerPort``; before 1.24
    ``handlers.go resolvePort``): a name it lacks is an error of the hook."""
    if not hook_capable(container):
        return
    hook = params["hook"]
    for key, owner in container.hooks():
        port = undeclared_name(container, owner.get("httpGet")) if key == hook else None
        if port is None:
            continue
        declared = container.port_names()
        yield Violation(
            container.path + ("lifecycle", key, "httpGet", "port"),
            HOOK_PORT_UNDECLARED.format(
                hook=key, port=quoted(port), label=f"container {quoted(container.name)}",
                hint=declared_hint(container, port, declared, "hooked"),
                consequence=params["consequence"]))
