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

from ..i18n import Items, Message, Templates
from ..lazyregex import LazyPattern
from ..model import HOOK_HANDLERS, Container, containers_of, handlers_in
from ..typechecking import TYPE_CHECKING
from . import PROSE, WIRING, Fix, Violation, check
from .helpers.commands import executable_name, hook_argv, script_commands, shell_script
from .helpers.ports import declared_hint, undeclared_name
from .helpers.values import is_int, quoted

if TYPE_CHECKING:
    from typing import Any

_SLEEP_ARG = LazyPattern(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)\Z")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

TEXTS = Templates("lifecycle", {
    "grace": "terminationGracePeriodSeconds ({grace})",
    "grace-default": "terminationGracePeriodSeconds ({grace}, the default)",
    "forever": "forever",
    "seconds": "{seconds} s",
    "handler-type": "{field} in container {container}: {consequence}",
    "sleep-negative": (
        "{field} ({seconds}) is negative in container {container}; the API server rejects it"),
    "sleep-over-grace": (
        "{field} ({seconds}) is greater than {grace} in container {container}; the API server "
        "rejects it"),
    "sleep-unset": (
        "{field} is not set (so 0) in container {container}; before 1.33 the API server rejects "
        "a zero sleep (must be greater than 0)"),
    "sleep-zero": (
        "{field} (0) in container {container}: before 1.33 the API server rejects a zero sleep "
        "(must be greater than 0; the PodLifecycleSleepActionAllowZero gate is off)"),
    "sleep-gated-kept": (
        "{field} ({value}) in container {container}: {consequence}; the {hook} hook keeps its "
        "{others} handler"),
    "sleep-gated-gone": (
        "{field} ({value}) in container {container}: {consequence}; it is the only handler, so "
        "the whole {hook} hook goes"),
    "outcome": (
        "the Pod stays Terminating for the whole {grace} s grace period, then container "
        "{container} gets about 2 s after SIGTERM before SIGKILL"),
    "sleep-equals-grace": (
        "lifecycle.preStop.sleep.seconds ({seconds}) equals {where} in container {container}: "
        "{outcome}"),
    "exec-as-long": (
        "lifecycle.preStop.exec.command ({command}) sleeps {duration}, as long as {where} in "
        "container {container}: {outcome}"),
    "exec-longer": (
        "lifecycle.preStop.exec.command ({command}) sleeps {duration}, longer than {where} in "
        "container {container}: {outcome}"),
    "zero-grace": (
        "lifecycle.preStop of container {container} never runs: terminationGracePeriodSeconds is "
        "0, and the kubelet runs a preStop hook only when the grace period is above 0 (the "
        "container gets the stop signal, then SIGKILL about 2 s later)"),
    "target-port": "port {port}",
    "target-port-path": "port {port} path {path}",
    "http-self": (
        "lifecycle.postStart.httpGet ({target}) calls container {container} itself; postStart "
        "runs right after the container starts, in parallel with its entrypoint, so the server "
        "is usually not listening yet: the hook fails, the container is killed "
        "(PostStartHookError) and restarted with back-off (CrashLoopBackOff)"),
    "port-undeclared": (
        "lifecycle.{hook}.httpGet.port names port {port}, which container {container} does not "
        "declare{hint}: the kubelet cannot resolve it, so the hook fails; {consequence}"),
})


def grace_period(container: Container) -> int | None:
    """The pod's terminationGracePeriodSeconds (default 30), or None when it is not an int."""
    value = container.pod.termination_grace_period
    return value if is_int(value) else None


def grace_text(container: Container, grace: int) -> Message:
    """``terminationGracePeriodSeconds (N)``, saying when N is the default."""
    key = "grace" if "terminationGracePeriodSeconds" in container.pod.data else "grace-default"
    return TEXTS(key, grace=grace)


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


def _duration(seconds: float) -> Message:
    if math.isinf(seconds):
        return TEXTS("forever")
    return TEXTS("seconds", seconds=f"{seconds:g}")


@check("hook-handler-type", scope="container",
       params={"hook": WIRING, "handler": WIRING, "consequence": PROSE})
def hook_handler_type(container: Container, params: dict) -> Iterator[Violation]:
    for key, hook in container.hooks():
        if key == params["hook"] and hook.get(params["handler"]) is not None:
            yield Violation(
                container.path + ("lifecycle", key, params["handler"]),
                TEXTS("handler-type", field=f"lifecycle.{key}.{params['handler']}",
                      container=quoted(container.name), consequence=params["consequence"]),
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
            yield Violation(path, TEXTS("sleep-negative", field=field, seconds=seconds,
                                        container=quoted(container.name)))
        elif grace is not None and grace >= 0 and seconds > grace:
            # A preStop sleep that fits leaves the application a second of the grace period;
            # a postStart sleep that long is no pattern to guess a value for.
            shorter = Fix("replace-value", path, str(grace - 1)) \
                if key == "preStop" and grace >= 2 else None
            yield Violation(
                path,
                TEXTS("sleep-over-grace", field=field, seconds=seconds,
                      grace=grace_text(container, grace), container=quoted(container.name)),
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
                TEXTS("sleep-unset", field=field, container=quoted(container.name)),
                on_key=True,
            )
        elif is_int(seconds) and seconds == 0:
            yield Violation(
                container.path + ("lifecycle", key, "sleep", "seconds"),
                TEXTS("sleep-zero", field=field, container=quoted(container.name)),
            )


@check("sleep-action-gated", scope="container", params={"consequence": PROSE})
def sleep_action_gated(container: Container, params: dict) -> Iterator[Violation]:
    if not hook_capable(container):
        return
    for key, hook in container.hooks():
        if hook.get("sleep") is None:
            continue
        others = [h for h in handlers_in(hook, HOOK_HANDLERS) if h != "sleep"]
        action = hook.get("sleep")
        value = (f"seconds: {quoted(action.get('seconds'))}" if isinstance(action, dict)
                 else quoted(action))
        yield Violation(
            container.path + ("lifecycle", key, "sleep"),
            TEXTS("sleep-gated-kept" if others else "sleep-gated-gone",
                  field=f"lifecycle.{key}.sleep", value=value, container=quoted(container.name),
                  consequence=params["consequence"], hook=key, others=Items(tuple(others))),
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
    outcome = TEXTS("outcome", grace=grace, container=quoted(container.name))
    sleep = hook.get("sleep")
    if isinstance(sleep, dict) and is_int(sleep.get("seconds")):
        if sleep["seconds"] == grace:  # greater is rejected: sleep-seconds-range says so
            yield Violation(
                container.path + ("lifecycle", "preStop", "sleep", "seconds"),
                TEXTS("sleep-equals-grace", seconds=grace, where=where,
                      container=quoted(container.name), outcome=outcome),
            )
        return
    argv = hook_argv(hook)
    if argv is None:
        return
    seconds = exec_sleep_seconds(argv)
    if seconds is None or seconds < grace:
        return
    yield Violation(
        container.path + ("lifecycle", "preStop", "exec", "command"),
        TEXTS("exec-as-long" if seconds == grace else "exec-longer",
              command=quoted(" ".join(argv)), duration=_duration(seconds), where=where,
              container=quoted(container.name), outcome=outcome),
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
        TEXTS("zero-grace", container=quoted(container.name)),
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
    target = (TEXTS("target-port-path", port=quoted(port), path=quoted(path))
              if isinstance(path, str) else TEXTS("target-port", port=quoted(port)))
    yield Violation(
        container.path + ("lifecycle", "postStart", "httpGet"),
        TEXTS("http-self", target=target, container=quoted(container.name)),
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


@check("hook-named-port", scope="container", params={"hook": WIRING, "consequence": PROSE})
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
            TEXTS("port-undeclared", hook=key, port=quoted(port),
                  container=quoted(container.name),
                  hint=declared_hint(container, port, declared, "hooked"),
                  consequence=params["consequence"]))
