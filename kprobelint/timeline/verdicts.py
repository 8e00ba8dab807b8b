"""What a timeline predicts, with the Pod status it leads to and the conditions it rests on.

A verdict is ``always`` (it happens on every start or rollout, given its conditions),
``possible`` (it happens when the probes' ticks fall badly, or for some start times) or a
``note`` (a timing fact without a status). The conditions say what the prediction depends on:
a start time the user gave, or "the application up at once" when none was given.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import probe_endpoint
from .container import ContainerTimes
from .durations import human
from .messages import render
from .pod import Entry, PodTimes
from .rollout import Rollout


@dataclass(frozen=True)
class Verdict:
    code: str
    certainty: str  # always | possible | note
    statuses: tuple[str, ...]
    key: str  # message template
    params: dict
    container: str | None = None
    conditions: tuple[tuple[str, dict], ...] = ()  # (template, params)
    basis: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return render(self.key, **self.params)

    def condition_texts(self) -> list[str]:
        return [render(key, **params) for key, params in self.conditions]


@dataclass
class VerdictList:
    items: list[Verdict] = field(default_factory=list)

    def add(self, verdict: Verdict) -> None:
        self.items.append(verdict)


def _span(earliest: float, latest: float) -> str:
    if earliest == latest:
        return human(earliest)
    return f"{human(earliest)}–{human(latest)}"


def _start_condition(entry: Entry) -> tuple[str, dict]:
    times = entry.times
    assert times is not None
    if times.start_time is None:
        return ("cond_app_at_once", {})
    return ("cond_start_given", {"start": human(times.start_time),
                                 "container": entry.container.name,
                                 "source": times.start_source})


def _crash_status(times: ContainerTimes) -> str:
    return "CrashLoopBackOff" if times.restart_policy != "Never" else "Failed"


def start_verdicts(entry: Entry, out: VerdictList) -> None:
    """Kills at start: the start time beyond the startup (or liveness) budget."""
    times = entry.times
    if times is None or times.budget is None or times.outcome == "survives":
        return
    budget = times.budget
    name = entry.container.name
    start = human(times.app_start)
    conditions = (_start_condition(entry), ("cond_probe_phase", {}))
    if times.outcome == "killed":
        status = _crash_status(times)
        key = "killed_every_start_never" if status == "Failed" else "killed_every_start"
        statuses: tuple[str, ...] = (status,)
        if entry.container.role == "sidecar":
            statuses = ("CrashLoopBackOff",)
        out.add(Verdict("killed-every-start", "always", statuses, key, {
            "start": start, "probe": budget.probe, "container": name,
            "kill": _span(budget.kill.earliest, budget.kill.latest), "status": status,
        }, name, conditions[:1], budget.basis))
        if entry.container.role == "sidecar":
            out.add(Verdict("sidecar-blocks-init", "always", ("CrashLoopBackOff",),
                            "sidecar_blocks_init", {"container": name}, name, conditions[:1],
                            budget.basis + ("init-order",)))
        return
    out.add(Verdict("killed-some-starts", "possible", (_crash_status(times),),
                    "killed_some_starts", {
                        "start": start, "probe": budget.probe, "container": name,
                        "survives": human(budget.survives_up_to),
                        "killed": human(budget.killed_from), "status": _crash_status(times),
                    }, name, conditions, budget.basis))


def timing_verdicts(entry: Entry, out: VerdictList) -> None:
    """Probe-timing facts the static timing rules also report (KPL125-KPL127)."""
    times = entry.times
    if times is None:
        return
    name = entry.container.name
    for kind, probe in times.settings.probes.items():
        if probe.timeout >= probe.period and probe.timeout > 1:
            out.add(Verdict("paced-by-timeout", "note", (), "paced_by_timeout", {
                "probe": kind, "container": name, "timeout": probe.timeout,
                "period": human(probe.period), "interval": human(max(probe.period,
                                                                     probe.timeout)),
            }, name, (), ("timeout-pacing",)))
    live = times.stalls.get("livenessProbe")
    ready = times.stalls.get("readinessProbe")
    if live is not None and live.shortest == 0:
        out.add(Verdict("single-failure-restarts", "possible", ("CrashLoopBackOff",),
                        "single_failure", {"container": name}, name, (), live.basis))
    if live is None or ready is None or live.failing_fast > ready.failing_fast:
        return
    container = entry.container
    endpoint = probe_endpoint(container, container.data["livenessProbe"])
    if endpoint is None or endpoint != probe_endpoint(container,
                                                      container.data["readinessProbe"]):
        return
    out.add(Verdict("liveness-before-readiness", "possible", ("CrashLoopBackOff",),
                    "liveness_first", {"container": name, "live": human(live.failing_fast),
                                       "ready": human(ready.failing_fast)},
                    name, (), live.basis))


def rollout_verdicts(pod: PodTimes, rollout: Rollout | None, out: VerdictList) -> None:
    """ProgressDeadlineExceeded for Deployments (progress-deadline)."""
    if rollout is None or rollout.kind != "Deployment" or not rollout.replicas:
        return
    deadline = rollout.progress_deadline
    if deadline is None:
        return
    conditions = tuple(_start_condition(e) for e in pod.entries
                       if e.times is not None and e.times.start_time is not None)
    conditions = conditions or (("cond_app_at_once", {}),)
    basis = ("progress-deadline", "pod-ready")
    if pod.ready is None:
        blocker = next((e for e in pod.entries if e.container.name == pod.not_ready_because),
                       None)
        why = ("why_killed" if blocker is not None and blocker.times is not None
               and blocker.times.outcome == "killed" else "why_blocked")
        out.add(Verdict("progress-deadline-exceeded", "always", ("ProgressDeadlineExceeded",),
                        "deadline_never_ready", {
                            "why": render(why, container=pod.not_ready_because),
                            "deadline": human(deadline)}, None, conditions, basis))
        return
    if rollout.quiet_earliest is None or rollout.quiet_latest is None:
        return
    if rollout.quiet_earliest > deadline:
        out.add(Verdict("progress-deadline-exceeded", "always", ("ProgressDeadlineExceeded",),
                        "deadline_always", {"quiet": human(rollout.quiet_earliest),
                                            "reason": _reason(rollout.quiet_reason),
                                            "deadline": human(deadline)},
                        None, conditions + (("cond_not_counted", {}),), basis))
    elif rollout.quiet_latest > deadline:
        out.add(Verdict("progress-deadline-exceeded", "possible", ("ProgressDeadlineExceeded",),
                        "deadline_possible", {"quiet": human(rollout.quiet_latest),
                                              "reason": _reason(rollout.quiet_latest_reason),
                                              "deadline": human(deadline)},
                        None, conditions + (("cond_probe_phase", {}),), basis))


def _reason(stretch: str | None) -> str:
    return render(f"reason_{(stretch or 'ready').replace('-', '_')}")
