"""Best-case rollouts of Deployments, StatefulSets and DaemonSets, from the Pod's timeline.

"Best case" means every new Pod becomes available as early as its timeline allows, all at the
same moment, and the controllers react at once; the real rollout can only be slower. A Pod is
available once it has been Ready for minReadySeconds. Sources: basis entries
``deployment-waves``, ``deployment-recreate``, ``progress-deadline``, ``statefulset-order``,
``daemonset-update``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import DEFAULT_PROGRESS_DEADLINE, K8sObject, as_int
from .pod import PodTimes
from .settings import Features, int_field
from .window import Window, merge

_PERCENT = re.compile(r"(\d+)%\Z")
NO_DEADLINE = 2**31 - 1  # deployment/util HasProgressDeadline: the maximum int32 means none


@dataclass(frozen=True)
class Budget:
    """maxSurge or maxUnavailable as written and as resolved."""

    written: Any  # the manifest's value (or its default)
    pods: int | None  # resolved against the replica count; None for a DaemonSet percentage
    percent: int | None  # when written as a percentage
    rounding: str  # "up" or "down"
    defaulted: bool


@dataclass
class Rollout:
    kind: str
    strategy: str
    replicas: int | None  # None for a DaemonSet (one Pod per node)
    min_ready: int
    available: Window | None  # a new Pod's time to available, None when never
    create_seconds: float | None = None  # a new object, best case
    update_seconds: float | None = None  # a rolling update, best case
    waves: int | None = None
    per_wave_seconds: float | None = None
    surge: Budget | None = None
    unavailable: Budget | None = None
    partition: int | None = None
    pod_management: str | None = None
    progress_deadline: int | None = None
    quiet_earliest: float | None = None  # the longest stretch without progress, best case
    quiet_latest: float | None = None  # ... and when every wait takes its longest
    quiet_reason: str | None = None  # "ready", "min-ready" or "shutdown"
    quiet_latest_reason: str | None = None
    basis: tuple[str, ...] = ()
    notes: list[tuple[str, dict]] = field(default_factory=list)


def rollout_of(obj: K8sObject, pod: PodTimes, features: Features) -> Rollout | None:
    spec = obj.data.get("spec")
    if not isinstance(spec, dict):
        return None
    min_ready = int_field(spec, "minReadySeconds", 0)
    if min_ready is None:
        return None
    available = None if pod.ready is None else pod.ready.shift(min_ready)
    shutdown = pod.deletion
    if obj.kind == "Deployment":
        return _deployment(spec, min_ready, available, pod, shutdown)
    if obj.kind == "StatefulSet":
        return _statefulset(spec, min_ready, available, shutdown, features)
    if obj.kind == "DaemonSet":
        return _daemonset(spec, min_ready, available, shutdown, features)
    if obj.kind in ("ReplicaSet", "ReplicationController"):
        replicas = int_field(spec, "replicas", 1)
        if replicas is None:
            return None
        rollout = Rollout(obj.kind, "none", replicas, min_ready, available,
                          basis=("deployment-waves",))
        if available is not None and replicas:
            rollout.create_seconds = available.earliest
        return rollout
    return None


def _percent(value: Any) -> int | None:
    if isinstance(value, str):
        match = _PERCENT.match(value)
        return int(match.group(1)) if match else None
    return None


def _scaled(value: Any, total: int | None, round_up: bool) -> int | None:
    """intstr.GetScaledValueFromIntOrPercent: an int as is, a percentage of ``total``."""
    percent = _percent(value)
    if percent is None:
        number = as_int(value)
        return number if number is not None and number >= 0 else None
    if total is None:
        return None
    exact = percent * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def _budget(update: dict, key: str, default: Any, total: int | None, round_up: bool
            ) -> Budget | None:
    value = update.get(key)
    defaulted = value is None
    if defaulted:
        value = default
    if _percent(value) is None and as_int(value) is None:
        return None
    written = value if _percent(value) is not None else as_int(value)
    return Budget(written, _scaled(value, total, round_up), _percent(value),
                  "up" if round_up else "down", defaulted)


def _rolling(spec: dict, key: str) -> dict:
    strategy = spec.get(key)
    rolling = strategy.get("rollingUpdate") if isinstance(strategy, dict) else None
    return rolling if isinstance(rolling, dict) else {}


def _strategy(spec: dict, key: str, default: str) -> str:
    strategy = spec.get(key)
    kind = strategy.get("type") if isinstance(strategy, dict) else None
    return kind if isinstance(kind, str) and kind else default


def _deployment(spec: dict, min_ready: int, available: Window | None, pod: PodTimes,
                shutdown: Window | None) -> Rollout | None:
    replicas = int_field(spec, "replicas", 1)
    deadline = int_field(spec, "progressDeadlineSeconds", DEFAULT_PROGRESS_DEADLINE)
    if replicas is None:
        return None
    no_deadline = deadline == NO_DEADLINE
    strategy = _strategy(spec, "strategy", "RollingUpdate")
    basis: tuple[str, ...] = ("deployment-waves", "progress-deadline")
    rollout = Rollout("Deployment", strategy, replicas, min_ready, available,
                      progress_deadline=None if no_deadline else deadline, basis=basis)
    if no_deadline:
        rollout.notes.append(("note_deadline_none", {}))
    if strategy == "RollingUpdate":
        update = _rolling(spec, "strategy")
        rollout.surge = _budget(update, "maxSurge", "25%", replicas, True)
        rollout.unavailable = _budget(update, "maxUnavailable", "25%", replicas, False)
        if rollout.surge is None or rollout.unavailable is None:
            return rollout
        step = (rollout.surge.pods or 0) + (rollout.unavailable.pods or 0)
        step = step or 1  # both resolved to 0: maxUnavailable becomes 1 (ResolveFenceposts)
        rollout.waves = math.ceil(replicas / step) if replicas else 0
    elif strategy == "Recreate":
        rollout.basis = merge(basis, ("deployment-recreate",))
        rollout.waves = 1 if replicas else 0
    else:
        return rollout
    if available is None or not replicas:
        return rollout
    rollout.per_wave_seconds = available.earliest
    rollout.create_seconds = available.earliest
    before = shutdown.earliest if strategy == "Recreate" and shutdown is not None else 0.0
    rollout.update_seconds = before + (rollout.waves or 0) * available.earliest
    _quiet(rollout, pod, shutdown if strategy == "Recreate" else None)
    return rollout


def _quiet(rollout: Rollout, pod: PodTimes, shutdown: Window | None) -> None:
    """The longest stretch of the rollout with no progress (progress-deadline)."""
    ready = pod.ready
    if ready is None:
        return
    stretches = [(ready.earliest, ready.latest, "ready"),
                 (float(rollout.min_ready), float(rollout.min_ready), "min-ready")]
    if shutdown is not None:
        stretches.append((shutdown.earliest, shutdown.latest, "shutdown"))
    earliest = max(stretches, key=lambda s: s[0])
    latest = max(stretches, key=lambda s: s[1])
    rollout.quiet_earliest, rollout.quiet_reason = earliest[0], earliest[2]
    rollout.quiet_latest, rollout.quiet_latest_reason = latest[1], latest[2]


def _statefulset(spec: dict, min_ready: int, available: Window | None,
                 shutdown: Window | None, features: Features) -> Rollout | None:
    replicas = int_field(spec, "replicas", 1)
    if replicas is None:
        return None
    policy = spec.get("podManagementPolicy") or "OrderedReady"
    strategy = _strategy(spec, "updateStrategy", "RollingUpdate")
    rollout = Rollout("StatefulSet", strategy, replicas, min_ready, available,
                      pod_management=policy if isinstance(policy, str) else "OrderedReady",
                      basis=("statefulset-order",))
    update = _rolling(spec, "updateStrategy")
    rollout.partition = int_field(update, "partition", 0)
    at_once = 1
    if features.statefulset_max_unavailable:
        rollout.unavailable = _budget(update, "maxUnavailable", 1, replicas, True)
        if rollout.unavailable is not None and rollout.unavailable.pods:
            at_once = rollout.unavailable.pods
    elif update.get("maxUnavailable") is not None:
        rollout.notes.append(("note_statefulset_max_unavailable", {}))
    if available is None or not replicas:
        return rollout
    ordered = rollout.pod_management != "Parallel"
    each = available.earliest
    rollout.create_seconds = replicas * each if ordered else each
    if strategy != "RollingUpdate" or rollout.partition is None:
        return rollout
    count = max(replicas - rollout.partition, 0)
    batches = math.ceil(count / at_once) if count else 0
    gone = shutdown.earliest if shutdown is not None else 0.0
    rollout.waves = batches
    rollout.update_seconds = (batches * gone + count * each if ordered
                              else batches * (gone + each))
    return rollout


def _daemonset(spec: dict, min_ready: int, available: Window | None,
               shutdown: Window | None, features: Features) -> Rollout | None:
    strategy = _strategy(spec, "updateStrategy", "RollingUpdate")
    rollout = Rollout("DaemonSet", strategy, None, min_ready, available,
                      basis=("daemonset-update",))
    if strategy != "RollingUpdate":
        return rollout
    update = _rolling(spec, "updateStrategy")
    rollout.unavailable = _budget(update, "maxUnavailable", 1, None, True)
    if features.daemonset_surge:
        rollout.surge = _budget(update, "maxSurge", 0, None, True)
    if available is None:
        return rollout
    surging = rollout.surge is not None and (rollout.surge.pods or rollout.surge.percent)
    gone = 0.0 if surging or shutdown is None else shutdown.earliest
    rollout.per_wave_seconds = gone + available.earliest
    rollout.create_seconds = available.earliest
    return rollout
