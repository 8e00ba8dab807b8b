"""JSON timeline report: exact numbers in seconds, described by
``schemas/timeline.schema.json``.

Windows are ``{"earliest", "latest", "basis"}``: ``latest`` is the bound the schedule can come
arbitrarily close to (an infinite bound is written as null). Every ``basis`` id is explained in
the report's ``basis`` table, with its source in the Kubernetes code.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any, Iterable

from .basis import describe
from .build import WorkloadTimeline
from .container import BACKOFF_RESET, Budget, ContainerTimes, Stall, Stop, backoff_waits
from .messages import render
from .pod import Entry
from .rollout import Budget as RolloutBudget
from .rollout import Rollout
from .verdicts import Verdict
from .window import Window

FORMAT_VERSION = 1


def _number(value: float | None) -> float | int | None:
    if value is None or math.isinf(value):
        return None
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def _window(window: Window | None) -> dict | None:
    if window is None:
        return None
    return {"earliest": _number(window.earliest), "latest": _number(window.latest),
            "basis": list(window.basis)}


class _Collector:
    """Gathers the basis ids a report uses, for its ``basis`` table."""

    def __init__(self) -> None:
        self.used: dict[str, None] = {}

    def note(self, basis: Iterable[str]) -> list[str]:
        items = list(basis)
        for item in items:
            self.used.setdefault(item, None)
        return items

    def window(self, window: Window | None) -> dict | None:
        if window is not None:
            self.note(window.basis)
        return _window(window)


class JsonReport:
    """Builds the report one workload at a time, so each file's documents can be freed."""

    def __init__(self, kube_version: str) -> None:
        self.kube_version = kube_version
        self.collector = _Collector()
        self.workloads: list[dict[str, Any]] = []

    def add(self, timeline: WorkloadTimeline) -> None:
        self.workloads.append(_workload(timeline, self.collector))

    def finish(self) -> str:
        counts: Counter = Counter()
        containers = 0
        for workload in self.workloads:
            containers += len(workload["containers"])
            for verdict in workload["verdicts"]:
                counts[verdict["certainty"]] += 1
        document = {
            "version": FORMAT_VERSION,
            "kube_version": self.kube_version,
            "workloads": self.workloads,
            "basis": describe(list(self.collector.used)),
            "summary": {"workloads": len(self.workloads), "containers": containers,
                        "verdicts": {c: counts[c] for c in ("always", "possible", "note")}},
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _workload(timeline: WorkloadTimeline, collector: _Collector) -> dict[str, Any]:
    pod = timeline.pod
    out: dict[str, Any] = {
        "object": {"kind": timeline.ref.kind, "name": timeline.ref.name,
                   "namespace": timeline.ref.namespace},
        "file": timeline.file,
        "line": timeline.line,
        "source": None if timeline.source is None else {"file": timeline.source.file,
                                                        "line": timeline.source.line},
        "containers": [_entry(e, collector) for e in timeline.shown],
        "pod": None,
        "rollout": None if timeline.rollout is None else _rollout(timeline.rollout, collector),
        "verdicts": [_verdict(v, collector) for v in timeline.verdicts.items],
        "notes": [render(key, **params) for key, params in timeline.notes],
    }
    if pod is not None:
        out["pod"] = {
            "restart_policy": pod.pod.restart_policy if isinstance(pod.pod.restart_policy, str)
            else None,
            "termination_grace_period_seconds": pod.grace,
            "containers_start": collector.window(pod.main_start),
            "ready": collector.window(pod.ready),
            "not_ready_because": pod.not_ready_because,
            "deletion": collector.window(pod.deletion),
        }
    return out


def _entry(entry: Entry, collector: _Collector) -> dict[str, Any]:
    container = entry.container
    out: dict[str, Any] = {
        "name": container.name,
        "role": container.role,
        "field": container.field,
        "starts_at": collector.window(entry.starts_at),
        "blocked_by": entry.blocked_by,
        "notes": [render(key, **params) for key, params in entry.settings.notes],
    }
    if container.role == "init":
        out["runs_for"] = ({"seconds": _number(entry.runs_for), "source": entry.run_source}
                           if entry.runs_for is not None else None)
        return out
    times = entry.times
    out["start_time"] = None
    out["probes"] = {}
    if times is not None:
        out.update(_times(times, collector))
    out["stop"] = None if entry.stop is None else _stop(entry.stop, collector)
    return out


def _times(times: ContainerTimes, collector: _Collector) -> dict[str, Any]:
    settings = times.settings
    probes = {}
    for kind, probe in settings.probes.items():
        probes[kind] = {
            "initial_delay_seconds": probe.delay, "period_seconds": probe.period,
            "timeout_seconds": probe.timeout, "success_threshold": probe.success,
            "failure_threshold": probe.failure,
            "first_run": collector.window(times.first_runs.get(kind)),
        }
    return {
        "start_time": None if times.start_time is None else {
            "seconds": _number(times.start_time), "source": times.start_source},
        "post_start_seconds": _number(times.gate),
        "probes": probes,
        "start_budget": None if times.budget is None else _budget(times.budget, collector),
        "outcome": times.outcome,
        "started": collector.window(times.started),
        "ready": collector.window(times.ready),
        "stalls": {kind: _stall(s, collector) for kind, s in times.stalls.items()},
        "restarts": {
            "policy": times.restart_policy,
            "waits_seconds": backoff_waits() if times.restart_policy != "Never" else [],
            "reset_after_seconds": BACKOFF_RESET,
            "basis": collector.note(("crash-backoff", "restart-policy")),
        },
        "probe_kill_stop": (None if times.probe_kill_stop is None
                            else _stop(times.probe_kill_stop, collector)),
    }


def _budget(budget: Budget, collector: _Collector) -> dict[str, Any]:
    return {"probe": budget.probe, "survives_up_to": _number(budget.survives_up_to),
            "killed_from": _number(budget.killed_from), "kill": collector.window(budget.kill),
            "basis": collector.note(budget.basis)}


def _stall(stall: Stall, collector: _Collector) -> dict[str, Any]:
    return {"shortest": _number(stall.shortest), "failing_fast": _number(stall.failing_fast),
            "hanging": _number(stall.hanging),
            "interval_when_timing_out": _number(stall.interval_when_timing_out),
            "basis": collector.note(stall.basis)}


def _stop(stop: Stop, collector: _Collector) -> dict[str, Any]:
    hook = stop.pre_stop
    return {
        "grace_seconds": stop.grace,
        "pre_stop": None if hook is None else {"handler": hook.handler,
                                               "seconds": _number(hook.seconds),
                                               "exact": hook.exact},
        "sigterm": collector.window(stop.sigterm),
        "sigkill": collector.window(stop.sigkill),
    }


def _rollout_budget(budget: RolloutBudget | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    return {"written": budget.written, "pods": budget.pods, "percent": budget.percent,
            "rounding": budget.rounding, "defaulted": budget.defaulted}


def _rollout(rollout: Rollout, collector: _Collector) -> dict[str, Any]:
    return {
        "kind": rollout.kind, "strategy": rollout.strategy, "replicas": rollout.replicas,
        "min_ready_seconds": rollout.min_ready,
        "pod_available": collector.window(rollout.available),
        "create_seconds": _number(rollout.create_seconds),
        "update_seconds": _number(rollout.update_seconds),
        "waves": rollout.waves,
        "per_wave_seconds": _number(rollout.per_wave_seconds),
        "max_surge": _rollout_budget(rollout.surge),
        "max_unavailable": _rollout_budget(rollout.unavailable),
        "partition": rollout.partition,
        "pod_management_policy": rollout.pod_management,
        "progress_deadline_seconds": rollout.progress_deadline,
        "longest_without_progress": (None if rollout.quiet_earliest is None else {
            "earliest": _number(rollout.quiet_earliest),
            "latest": _number(rollout.quiet_latest),
            "reason": rollout.quiet_reason}),
        "notes": [render(key, **params) for key, params in rollout.notes],
        "basis": collector.note(rollout.basis),
    }


def _verdict(verdict: Verdict, collector: _Collector) -> dict[str, Any]:
    return {"code": verdict.code, "certainty": verdict.certainty,
            "statuses": list(verdict.statuses), "container": verdict.container,
            "message": verdict.message, "depends_on": verdict.condition_texts(),
            "basis": collector.note(verdict.basis)}
