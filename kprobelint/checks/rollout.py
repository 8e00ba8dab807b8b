"""Checks on rollout budgets: deadlines and surge/unavailability limits that cannot work,
whatever the application's start time.

Facts: apps validation (``ValidateDeploymentSpec``: progressDeadlineSeconds must exceed
minReadySeconds; ``ValidateRollingUpdateDeployment``: maxUnavailable may not be 0 when maxSurge
is 0; ``ValidateRollingUpdateDaemonSet``: exactly one of maxSurge and maxUnavailable is
non-zero), apps/v1 defaults (Deployment 25 %/25 % and progressDeadlineSeconds 600, DaemonSet
maxUnavailable 1 and maxSurge 0), and the timeline model (:mod:`kprobelint.timeline`) for the
earliest a new Pod can be Ready.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator

from ..i18n import Message, Templates
from ..model import (
    DEFAULT_PROGRESS_DEADLINE,
    K8sObject,
    PodSpec,
    as_int,
    containers_of,
    probe_setting,
)
from ..typechecking import TYPE_CHECKING
from . import Violation, check
from .helpers.values import quoted
from .lifecycle import exec_sleep_seconds

if TYPE_CHECKING:
    from typing import Any

    from ..timeline.pod import Entry

_PERCENT = re.compile(r"(\d+)%\Z")
# The messages, as templates with named parameters (values are quoted before they go in).
TEXTS = Templates("rollout", {
    "deadline_min_ready": (
        "Deployment {name}: progressDeadlineSeconds ({deadline}) is not above minReadySeconds "
        "({min_ready}); the API server rejects it (\"must be greater than minReadySeconds\"): a "
        "Pod must first be Ready for minReadySeconds before it counts as progress, so such a "
        "deadline could never be met"),
    "default_value": "{value}, the default",
    "budget_zero": (
        "{kind} {name}: maxUnavailable ({unavailable}) and maxSurge ({surge}) are both 0; the "
        "API server rejects it (maxUnavailable \"{error}\"): a rolling update that may neither "
        "remove an old Pod nor add a new one could never replace anything"),
    "surge_and_unavailable": (
        "DaemonSet {name}: maxSurge ({surge}) is set while maxUnavailable ({unavailable}) is not "
        "0; the API server rejects it (maxSurge \"may not be set when maxUnavailable is "
        "non-zero\"): set maxUnavailable to 0 to surge"),
    "never_in_time": (
        "Deployment {name}: a new Pod cannot be Ready before {ready} ({why}), longer than "
        "progressDeadlineSeconds ({deadline}): every rollout reports ProgressDeadlineExceeded, "
        "even with an application that is up at once (scheduling, image pulls and a slower "
        "start only add to it); see `kprobelint timeline`"),
    "why_readiness": (
        "container {container}: readinessProbe initialDelaySeconds {delay} + (successThreshold "
        "{success} - 1) x periodSeconds {period}"),
    "why_readiness_delay": "container {container}: readinessProbe initialDelaySeconds {delay}",
    "why_startup": "container {container}: startupProbe initialDelaySeconds {delay}",
    "why_order": (
        "container {container} starts {start} into the Pod, after the init containers and "
        "sidecars before it"),
})
# The API server's own words for a zero budget, quoted as it writes them (never translated).
BUDGET_ZERO_ERRORS = {
    "Deployment": "may not be 0 when `maxSurge` is 0",
    "DaemonSet": "cannot be 0 when maxSurge is 0",
}
# The timeline rule runs for every target version, so it counts only what every version from
# 1.29 on does (native sidecars exist; sleep actions, 1.30+, are not counted: leaving time out
# keeps "cannot be Ready before" true).
COMMON_VERSION = (1, 29)


def _value(value: Any) -> int | None:
    """getIntOrPercentValue: the number of an int or of a valid percentage, else None."""
    if isinstance(value, str):
        match = _PERCENT.match(value)
        return int(match.group(1)) if match else None
    number = as_int(value)
    return number if number is not None and number >= 0 else None


def _spec(obj: K8sObject) -> dict | None:
    spec = obj.data.get("spec")
    return spec if isinstance(spec, dict) else None


def _rolling_update(spec: dict, key: str) -> tuple[dict | None, tuple]:
    """The rollingUpdate block of a RollingUpdate strategy (``{}`` when only defaulted)."""
    strategy = spec.get(key)
    if strategy is None:
        return {}, (key,)
    if not isinstance(strategy, dict):
        return None, ()
    kind = strategy.get("type")
    if kind not in (None, "RollingUpdate"):
        return None, ()
    update = strategy.get("rollingUpdate")
    if update is None:
        return {}, (key, "rollingUpdate")
    return (update if isinstance(update, dict) else None), (key, "rollingUpdate")


@check("progress-deadline-min-ready", scope="object")
def progress_deadline_min_ready(obj: K8sObject, params: dict) -> Iterator[Violation]:
    spec = _spec(obj)
    if obj.kind != "Deployment" or spec is None:
        return
    min_ready = as_int(spec.get("minReadySeconds"))
    if min_ready is None or min_ready <= 0:
        return
    written = spec.get("progressDeadlineSeconds")
    if written is None and obj.api_version != "apps/v1":
        return  # only apps/v1 defaults the deadline (to 600)
    deadline = DEFAULT_PROGRESS_DEADLINE if written is None else as_int(written)
    if deadline is None or deadline < 0 or deadline > min_ready:
        return
    shown = str(deadline) if written is not None else TEXTS("default_value", value=deadline)
    at = ("progressDeadlineSeconds",) if written is not None else ("minReadySeconds",)
    yield Violation(obj.path + ("spec",) + at, TEXTS(
        "deadline_min_ready", name=quoted(obj.ref.name), deadline=shown, min_ready=min_ready))


@check("rolling-update-budget-zero", scope="object")
def rolling_update_budget_zero(obj: K8sObject, params: dict) -> Iterator[Violation]:
    spec = _spec(obj)
    if spec is None or obj.kind not in ("Deployment", "DaemonSet"):
        return
    key = "strategy" if obj.kind == "Deployment" else "updateStrategy"
    update, path = _rolling_update(spec, key)
    if update is None:
        return
    defaults = ("25%", "25%") if obj.kind == "Deployment" else (1, 0)
    unavailable = update.get("maxUnavailable", defaults[0])
    surge = update.get("maxSurge", defaults[1])
    if _value(unavailable) != 0 or _value(surge) != 0:
        return
    where = obj.path + ("spec",) + path + (("maxUnavailable",)
                                           if "maxUnavailable" in update else ())
    error = BUDGET_ZERO_ERRORS[obj.kind]
    message = TEXTS("budget_zero", kind=obj.kind, name=quoted(obj.ref.name),
                    unavailable=quoted(unavailable), surge=quoted(surge), error=error)
    yield Violation(where, message, on_key="maxUnavailable" not in update)


@check("daemonset-surge-and-unavailable", scope="object")
def daemonset_surge_and_unavailable(obj: K8sObject, params: dict) -> Iterator[Violation]:
    spec = _spec(obj)
    if spec is None or obj.kind != "DaemonSet":
        return
    update, path = _rolling_update(spec, "updateStrategy")
    if not update or "maxSurge" not in update:
        return
    surge = update["maxSurge"]
    unavailable = update.get("maxUnavailable", 1)
    if not _value(surge) or not _value(unavailable):
        return
    shown = (quoted(unavailable) if "maxUnavailable" in update
             else TEXTS("default_value", value=quoted(unavailable)))
    yield Violation(obj.path + ("spec",) + path + ("maxSurge",),
                    TEXTS("surge_and_unavailable", name=quoted(obj.ref.name),
                          surge=quoted(surge), unavailable=shown))


@check("rollout-progress-deadline", scope="pod")
def rollout_progress_deadline(pod: PodSpec, params: dict) -> Iterator[Violation]:
    obj = pod.obj
    spec = _spec(obj)
    if obj.kind != "Deployment" or spec is None:
        return
    deadline = as_int(spec.get("progressDeadlineSeconds", DEFAULT_PROGRESS_DEADLINE))
    if deadline is not None and _most_delay(pod) <= deadline:
        return  # no Pod can be that slow: the usual case, decided without the model
    # The model is imported here, not at the top: only a Deployment pays for it (a pre-commit
    # run on one file pays every import of every check).
    from ..timeline.durations import human  # noqa: PLC0415
    from ..timeline.pod import time_pod  # noqa: PLC0415
    from ..timeline.rollout import rollout_of  # noqa: PLC0415
    from ..timeline.settings import Features  # noqa: PLC0415

    common = Features(COMMON_VERSION)
    times = time_pod(pod, common, lambda container: (None, None))
    rollout = rollout_of(obj, times, common)
    if (rollout is None or not rollout.replicas or rollout.progress_deadline is None
            or times.ready is None or times.ready.earliest <= rollout.progress_deadline):
        return
    slowest = max((e for e in times.entries if e.ready_at is not None),
                  key=lambda e: e.ready_at.earliest)  # type: ignore[union-attr]
    field, why = _cause(slowest)
    deadline = rollout.progress_deadline
    shown = (str(deadline) if spec.get("progressDeadlineSeconds") is not None
             else TEXTS("default_value", value=deadline))
    yield Violation(slowest.container.path + field, TEXTS(
        "never_in_time", name=quoted(obj.ref.name), ready=human(times.ready.earliest), why=why,
        deadline=shown), on_key=True)


def _most_delay(pod: PodSpec) -> float:
    """More than the earliest the Pod can be Ready: every probe's initialDelaySeconds plus
    successThreshold x periodSeconds, and every literal sleep of a postStart hook, of every
    container, added up (inf when a value is not a number: then the model decides)."""
    total = 0.0
    for container in containers_of(pod):
        for _, probe in container.probes():
            numbers = [as_int(probe_setting(probe, key)) for key in
                       ("initialDelaySeconds", "successThreshold", "periodSeconds")]
            if None in numbers:
                return math.inf
            delay, success, period = numbers
            total += delay + success * period  # type: ignore[operator]
        for key, hook in container.hooks():
            action = hook.get("exec")
            argv = action.get("command") if key == "postStart" and isinstance(action, dict) \
                else None
            if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
                total += exec_sleep_seconds(argv) or 0.0
    return total


def _cause(entry: Entry) -> tuple[tuple, Message]:
    """The field that makes ``entry`` Ready late, and a phrase saying how."""
    from ..timeline.durations import human  # noqa: PLC0415

    times = entry.times
    assert times is not None
    name = quoted(entry.container.name)
    readiness = times.settings.probes.get("readinessProbe")
    startup = times.settings.probes.get("startupProbe")
    ready_at = entry.ready_at
    assert ready_at is not None
    start = entry.starts_at.earliest if entry.starts_at is not None else 0.0
    if readiness is not None and ready_at.earliest - start == (
            readiness.delay + (readiness.success - 1) * readiness.period):
        key = "why_readiness" if readiness.success > 1 else "why_readiness_delay"
        return (("readinessProbe",), TEXTS(
            key, container=name, delay=readiness.delay, success=readiness.success,
            period=readiness.period))
    if startup is not None and times.started is not None and \
            times.started.earliest == startup.delay:
        return (("startupProbe",), TEXTS("why_startup", container=name, delay=startup.delay))
    return ((), TEXTS("why_order", container=name, start=human(start)))
