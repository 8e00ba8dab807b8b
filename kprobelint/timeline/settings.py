"""What a timeline reads from a workload: effective probe settings, hook lengths, grace periods,
and which behaviours the target Kubernetes version has.

Everything is read through :mod:`kprobelint.model` (pod specs, containers and their roles,
probe defaults); values the API server would reject or that are not integers are not timed, and
say so in a note, so broken input never stops a report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..checks.lifecycle import exec_sleep_seconds, sleep_seconds
from ..model import Container, as_int, handlers_in, probe_setting
from .durations import human

TIMING_FIELDS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                 "failureThreshold")


@dataclass(frozen=True)
class Features:
    """Kubelet and API behaviours that depend on the target version (defaults of each gate)."""

    version: tuple[int, int]

    def _from(self, minor: int) -> bool:
        return self.version >= (1, minor)

    @property
    def exec_timeout(self) -> bool:  # ExecProbeTimeout GA 1.20
        return self._from(20)

    @property
    def daemonset_surge(self) -> bool:  # DaemonSetUpdateSurge beta (on) 1.22
        return self._from(22)

    @property
    def probe_grace(self) -> bool:  # ProbeTerminationGracePeriod beta on 1.25
        return self._from(25)

    @property
    def sidecars(self) -> bool:  # SidecarContainers beta (on) 1.29
        return self._from(29)

    @property
    def sleep_action(self) -> bool:  # PodLifecycleSleepAction beta (on) 1.30
        return self._from(30)

    @property
    def statefulset_max_unavailable(self) -> bool:  # MaxUnavailableStatefulSet beta on 1.35
        return self._from(35)


@dataclass(frozen=True)
class Probe:
    """One probe's effective settings (API defaults applied)."""

    kind: str  # livenessProbe, readinessProbe, startupProbe
    delay: int
    period: int
    timeout: int
    success: int
    failure: int
    exec: bool  # an exec probe: its timeout is enforced only since 1.20
    grace: int | None  # the probe's own terminationGracePeriodSeconds, when it applies


@dataclass(frozen=True)
class Hook:
    """How long a lifecycle hook runs: ``seconds`` exactly, or at least (``exact`` False)."""

    handler: str  # sleep, exec, httpGet, tcpSocket
    seconds: float
    exact: bool


@dataclass
class ContainerSettings:
    name: str
    role: str  # container, init, sidecar, ephemeral (kprobelint.model roles)
    probes: dict[str, Probe] = field(default_factory=dict)
    post_start: Hook | None = None
    pre_stop: Hook | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (message key, params)


def container_settings(container: Container, features: Features) -> ContainerSettings:
    settings = ContainerSettings(container.name, container.role)
    if not container.long_running:
        return settings  # init and ephemeral containers may not have probes or hooks
    for kind, data in container.probes():
        probe = _probe(kind, data, features, settings)
        if probe is not None:
            settings.probes[kind] = probe
    for key, hook in container.hooks():
        timed = _hook(hook, features)
        if timed is None:
            if hook.get("sleep") is not None and not features.sleep_action:
                settings.notes.append(("note_sleep_dropped", {"hook": key}))
            continue
        if key == "postStart":
            settings.post_start = timed
        else:
            settings.pre_stop = timed
        if math.isinf(timed.seconds) and key == "postStart":
            settings.notes.append(("note_post_start_forever", {}))
        elif not timed.exact:
            settings.notes.append(("note_hook_unknown", {"hook": key, "handler": timed.handler,
                                                         "seconds": human(timed.seconds)}))
    return settings


def _probe(kind: str, data: dict, features: Features, settings: ContainerSettings
           ) -> Probe | None:
    values = {}
    for key in TIMING_FIELDS:
        value = as_int(probe_setting(data, key))
        if value is None or value < 0:
            settings.notes.append(("note_probe_untimed", {"probe": kind, "field": key}))
            return None
        values[key] = value
    grace = as_int(data.get("terminationGracePeriodSeconds"))
    if grace is not None and (grace <= 0 or not features.probe_grace or kind == "readinessProbe"):
        grace = None  # rejected, dropped before 1.25, or not allowed: other rules say which
    return Probe(kind, values["initialDelaySeconds"], values["periodSeconds"],
                 values["timeoutSeconds"], values["successThreshold"],
                 values["failureThreshold"], handlers_in(data, ("exec",)) == ["exec"], grace)


def _hook(hook: dict, features: Features) -> Hook | None:
    handlers = handlers_in(hook, ("exec", "httpGet", "tcpSocket", "sleep"))
    if len(handlers) != 1:
        return None  # rejected by the API server (lifecycle-handler-count)
    handler = handlers[0]
    action = hook[handler]
    if handler == "sleep":
        seconds = as_int(action.get("seconds")) if isinstance(action, dict) else None
        if not features.sleep_action or seconds is None or seconds < 0:
            return None
        return Hook("sleep", float(seconds), True)
    if handler == "exec":
        argv = action.get("command") if isinstance(action, dict) else None
        if isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv):
            exact = sleep_seconds(argv)
            if exact is not None:
                return Hook("exec", exact, True)
            at_least = exec_sleep_seconds(argv)
            return Hook("exec", at_least or 0.0, False)
        return Hook("exec", 0.0, False)
    if handler == "tcpSocket":
        return Hook("tcpSocket", 0.0, True)  # not run at all: the hook fails at once
    return Hook(handler, 0.0, False)


def int_field(data: dict, key: str, default: int | None) -> int | None:
    """A non-negative integer field, its default when absent, None when unusable."""
    value: Any = data.get(key)
    if value is None:
        return default
    number = as_int(value)
    return number if number is not None and number >= 0 else None


def grace_period(pod_data: dict) -> int | None:
    """The pod's terminationGracePeriodSeconds (default 30), None when unusable."""
    return int_field(pod_data, "terminationGracePeriodSeconds", 30)

