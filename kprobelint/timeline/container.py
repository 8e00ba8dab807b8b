"""One container's timeline, counted from its own start: probes, start budget, Ready, stalls,
restarts and stopping.

All times rest on the entries of :mod:`.basis`; the ones used are named in each figure's
``basis``. ``app_start`` is when the application first answers its probes (0 when not given:
the earliest case); ``gate`` is when the kubelet first reports the container Running (after the
postStart hooks of its start batch).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .settings import ContainerSettings, Features, Hook, Probe
from .window import Window, merge

MINIMUM_GRACE = 2  # kuberuntime_manager.go minimumGracePeriodInSeconds
BACKOFF_INITIAL, BACKOFF_MAX, BACKOFF_RESET = 10, 300, 600  # kubelet.go (defaults)

_FIRST_RUN = ("probe-ticker", "initial-delay-from-start")
_KILL = ("probe-ticker", "thresholds", "app-start", "probe-kill")


@dataclass(frozen=True)
class Budget:
    """How long a start may take before the startup (or liveness) probe kills the container."""

    probe: str
    survives_up_to: float  # a start this long or shorter is never killed
    killed_from: float  # a start this long or longer is killed every time
    kill: Window  # when the kill comes for an application that is not up yet
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Stall:
    """How long the application must stop answering before a probe acts on it."""

    probe: str
    shortest: float  # a shorter stall never acts
    failing_fast: float  # when probes fail at once: a stall this long always acts
    hanging: float  # when probes time out: a stall this long always acts (inf: never)
    interval_when_timing_out: float
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Stop:
    """Stopping the container: preStop, then SIGTERM, then SIGKILL."""

    grace: int
    pre_stop: Hook | None
    sigterm: Window
    sigkill: Window
    basis: tuple[str, ...]


@dataclass
class ContainerTimes:
    settings: ContainerSettings
    start_time: float | None  # given by the user, None when not
    start_source: str | None  # "--start-time" or "config"
    gate: float
    first_runs: dict[str, Window | None] = field(default_factory=dict)
    budget: Budget | None = None
    outcome: str = "survives"  # survives | depends | killed (for the start time used)
    started: Window | None = None
    ready: Window | None = None
    stalls: dict[str, Stall] = field(default_factory=dict)
    restart_policy: str = "Always"
    probe_kill_stop: Stop | None = None

    @property
    def app_start(self) -> float:
        return self.start_time or 0.0


def time_container(settings: ContainerSettings, features: Features, *, start_time: float | None,
                   start_source: str | None, gate: float, restart_policy: str,
                   grace: int | None) -> ContainerTimes:
    times = ContainerTimes(settings, start_time, start_source, gate)
    times.restart_policy = "Always" if settings.role == "sidecar" else restart_policy
    app = times.app_start
    probes = settings.probes
    startup = probes.get("startupProbe")
    liveness = probes.get("livenessProbe")
    readiness = probes.get("readinessProbe")

    for probe in (readiness, liveness):
        if probe is not None:
            times.stalls[probe.kind] = stall(probe, features)
    killer = startup if startup is not None else liveness
    if killer is not None and grace is not None:
        times.probe_kill_stop = stop(killer.grace if killer.grace is not None else grace,
                                     settings.pre_stop)
    if math.isinf(gate):
        return times  # a postStart hook that never ends: the container is never Running
    if startup is not None:
        times.first_runs["startupProbe"] = _first_run(startup, Window.at(gate, ("post-start",)))
        times.budget = _budget(startup, gate)
    elif liveness is not None:
        times.budget = _budget(liveness, gate)
    times.outcome = _outcome(times.budget, app)

    if startup is not None and times.outcome == "killed":
        started = None  # the startup probe kills it before it starts
    elif startup is not None:
        base = max(startup.delay, gate, app)
        latest = base + startup.period
        if times.budget is not None:
            latest = min(latest, times.budget.killed_from)
        started = Window(base, latest, merge(_FIRST_RUN, ("startup-gate", "app-start")))
    else:
        started = Window.at(gate, ("startup-gate", "post-start"))
    times.started = started

    for probe in (liveness, readiness):
        if probe is not None:
            times.first_runs[probe.kind] = (None if started is None
                                            else _first_run(probe, started))
    if started is not None and times.outcome != "killed":
        if readiness is None:
            times.ready = Window(started.earliest, started.latest,
                                 merge(started.basis, ("readiness-start",)))
        else:
            first_success = _first_run(readiness, started.not_before(app))
            extra = (readiness.success - 1) * readiness.period
            times.ready = first_success.shift(extra, ("thresholds", "readiness-start",
                                                      "app-start"))
    return times


def _first_run(probe: Probe, active_from: Window) -> Window:
    """The first run of ``probe`` once it may act (``active_from``): the first tick after both
    its initial delay and that moment, the phase of the ticks being unknown."""
    window = active_from.not_before(probe.delay).widen(probe.period, _FIRST_RUN)
    return window


def _budget(probe: Probe, gate: float) -> Budget:
    base = max(probe.delay, gate)
    survives = base + (probe.failure - 1) * probe.period
    killed = base + probe.failure * probe.period
    basis = _KILL if gate == 0 else merge(_KILL, ("post-start",))
    return Budget(probe.kind, survives, killed, Window(survives, killed, basis), basis)


def _outcome(budget: Budget | None, app: float) -> str:
    if budget is None or app <= budget.survives_up_to:
        return "survives"
    if app >= budget.killed_from:
        return "killed"
    return "depends"


def stall(probe: Probe, features: Features) -> Stall:
    """Stall lengths for ``probe``: the f-th consecutive failure decides (thresholds); the first
    failing probe comes up to a period after the stall begins (probe-ticker); a probe that gets
    no answer fails after its timeout and the next follows at the next tick (timeout-pacing)."""
    interval = max(probe.period, probe.timeout)
    shortest = (probe.failure - 1) * probe.period
    fast = probe.failure * probe.period
    basis: tuple[str, ...] = ("probe-ticker", "thresholds", "timeout-pacing")
    if probe.exec and not features.exec_timeout:
        hanging = math.inf
        basis = merge(basis, ("exec-timeout",))
    else:
        hanging = probe.period + (probe.failure - 1) * interval + probe.timeout
    return Stall(probe.kind, shortest, fast, hanging, interval, basis)


def stop(grace: int, pre_stop: Hook | None) -> Stop:
    """SIGTERM and SIGKILL times after the kubelet starts stopping the container."""
    basis: tuple[str, ...] = ("kill-sequence",)
    if grace <= 0:  # preStop is skipped; the stop timeout is raised to the minimum
        return Stop(grace, pre_stop, Window.at(0, basis), Window.at(MINIMUM_GRACE, basis), basis)
    hook_least = min(pre_stop.seconds, grace) if pre_stop is not None else 0.0
    exact = pre_stop is None or pre_stop.exact or hook_least >= grace
    term_latest = hook_least if exact else float(grace)
    sigterm = Window(hook_least, term_latest, basis)
    sigkill = Window(_kill_after(hook_least, grace), _kill_after(term_latest, grace), basis)
    return Stop(grace, pre_stop, sigterm, sigkill, basis)


def _kill_after(hook_end: float, grace: int) -> float:
    """SIGKILL time when the hook ended at ``hook_end``: the grace left (whole seconds are
    subtracted, executePreStopHook truncates) but at least 2 s."""
    left = max(grace - math.floor(hook_end), MINIMUM_GRACE)
    return hook_end + left


def backoff_waits(count: int = 8) -> list[int]:
    """The waits before restarts 1..count: 0, 10, 20, 40, ... up to 300 (crash-backoff)."""
    waits = [0]
    wait = BACKOFF_INITIAL
    while len(waits) < count:
        waits.append(wait)
        wait = min(wait * 2, BACKOFF_MAX)
    return waits
