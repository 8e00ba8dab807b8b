"""Checks on probe timing: values the API server rejects or replaces, and budgets that make
probes act too early or too late (research/k8s-semantics.md sections 1, 3 and 4)."""
from __future__ import annotations

from collections.abc import Iterator

from ...i18n import Message, Templates
from ...model import PROBE_DEFAULTS, Container, probe_endpoint, probe_setting
from .. import Param, Violation, check
from ..helpers.handlers import in_container as _in
from ..helpers.handlers import owners
from ..helpers.values import as_int, describe

TEXTS = Templates("probe-timing", {
    "grace-set": (
        "{field} ({value}) {where} is set; the API server rejects it on a readinessProbe (\"must "
        "not be set for readinessProbes\"): a readiness failure never kills the container"),
    "grace-not-positive": (
        "{field} ({value}) {where} is not positive; the API server requires more than 0 (\"must "
        "be greater than 0\")"),
    "grace-unsupported": (
        "{field} ({value}) {where} needs Kubernetes 1.25 or later: before that the API server "
        "drops it without a word and a probe failure kills the container with the Pod's "
        "terminationGracePeriodSeconds"),
    "setting": "{key} ({value})",
    "setting-default": "{key} ({value}, the default)",
    "negative": (
        "{field} ({value}) {where} is negative; the API server rejects it (\"must be greater than "
        "or equal to 0\")"),
    "zero": (
        "{field} (0) {where} means \"unset\": the API server replaces it with the default "
        "{default}; write {default} (or remove the field) so the manifest says what runs"),
    "timeout": (
        "{label}.{timeout} is not below {period} {where}: an attempt that runs into its timeout is "
        "followed at once by the next, so a slow container is probed back to back and the period "
        "no longer paces the probe"),
    "liveness-before": (
        "livenessProbe {where} gives up after {live}s (periodSeconds x failureThreshold = "
        "{live_period} x {live_threshold}), before the readinessProbe on the same endpoint takes "
        "the Pod out of its Services ({ready}s = {ready_period} x {ready_threshold}): if the "
        "application stops answering under load, it is restarted instead of being given time to "
        "recover"),
    "liveness-with": (
        "livenessProbe {where} gives up after {live}s (periodSeconds x failureThreshold = "
        "{live_period} x {live_threshold}), at the same time as the readinessProbe on the same "
        "endpoint takes the Pod out of its Services ({ready}s = {ready_period} x "
        "{ready_threshold}): if the application stops answering under load, it is restarted "
        "instead of being given time to recover"),
    "failure-threshold-one": (
        "livenessProbe.failureThreshold ({value}) {where} is below {minimum}: one slow response "
        "(a GC pause, a burst of load) restarts the container"),
    "failure-threshold": (
        "livenessProbe.failureThreshold ({value}) {where} is below {minimum}: {value} slow "
        "responses in a row (a GC pause, a burst of load) restart the container"),
    "initial-delay": (
        "livenessProbe.initialDelaySeconds ({delay}) {where} is above {limit} and there is no "
        "startupProbe: every start waits that long before a hang is noticed, and a start that "
        "takes longer is still killed; a startupProbe covers slow starts and lets liveness begin "
        "as soon as the app is up"),
    "startup-budget": (
        "startupProbe {where} allows {budget}s to start (initialDelaySeconds + failureThreshold x "
        "periodSeconds = {delay0} + {threshold} x {period}), less than "
        "livenessProbe.initialDelaySeconds ({delay}): if the app needs the time that delay "
        "suggests, the startup probe kills it first, on every start"),
})
TIMING_FIELDS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                 "failureThreshold")


@check("probe-grace-period", scope="container", params=("probes", "problem"))
def probe_grace_period(container: Container, params: dict) -> Iterator[Violation]:
    """``problem``: ``set`` (any value is wrong), ``not-positive`` or ``unsupported``."""
    problem = params["problem"]
    for label, path, probe in owners(container, "probes"):
        if label not in params["probes"] or probe.get("terminationGracePeriodSeconds") is None:
            continue
        value = probe["terminationGracePeriodSeconds"]
        shown = {"field": f"{label}.terminationGracePeriodSeconds", "value": describe(value),
                 "where": _in(container)}
        where = path + ("terminationGracePeriodSeconds",)
        if problem == "set":
            yield Violation(where, TEXTS("grace-set", **shown), on_key=True)
        elif problem == "not-positive":
            number = as_int(value)
            if number is not None and number <= 0:
                yield Violation(where, TEXTS("grace-not-positive", **shown))
        else:
            yield Violation(where, TEXTS("grace-unsupported", **shown), on_key=True)


def _timing(probe: dict) -> dict[str, int] | None:
    """Effective timing values (defaults applied), or None when one of them is unusable."""
    values = {}
    for key in TIMING_FIELDS:
        value = as_int(probe_setting(probe, key))
        if value is None or value < 0:
            return None
        values[key] = value
    return values


def _setting(probe: dict, key: str) -> Message:
    """``periodSeconds (10)``, or ``periodSeconds (10, the default)`` when not written."""
    value = as_int(probe_setting(probe, key))
    explicit = as_int(probe.get(key))
    return TEXTS("setting" if explicit not in (None, 0) else "setting-default", key=key,
                 value=value)


@check("probe-timing-negative", scope="container")
def probe_timing_negative(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in owners(container, "probes"):
        for key in TIMING_FIELDS:
            value = as_int(probe.get(key))
            if value is not None and value < 0:
                yield Violation(path + (key,), TEXTS("negative", field=f"{label}.{key}",
                                                     value=value, where=_in(container)))


@check("probe-timing-zero", scope="container")
def probe_timing_zero(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in owners(container, "probes"):
        for key in TIMING_FIELDS[1:]:
            if as_int(probe.get(key)) == 0:
                yield Violation(path + (key,), TEXTS("zero", field=f"{label}.{key}",
                                                     where=_in(container),
                                                     default=PROBE_DEFAULTS[key]))


@check("probe-timeout-vs-period", scope="container")
def probe_timeout_vs_period(container: Container, params: dict) -> Iterator[Violation]:
    for label, path, probe in owners(container, "probes"):
        timing = _timing(probe)
        if timing is None or timing["timeoutSeconds"] < timing["periodSeconds"]:
            continue
        if timing["timeoutSeconds"] <= 1:
            continue  # periodSeconds 1: the timeout cannot go below its minimum of 1
        at = "timeoutSeconds" if probe.get("timeoutSeconds") is not None else "periodSeconds"
        yield Violation(
            path + (at,),
            TEXTS("timeout", where=_in(container), label=label,
                  timeout=_setting(probe, "timeoutSeconds"),
                  period=_setting(probe, "periodSeconds")),
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
    yield Violation(
        container.path + ("livenessProbe",),
        TEXTS("liveness-with" if live_budget == ready_budget else "liveness-before",
              where=_in(container), live=live_budget, live_period=live["periodSeconds"],
              live_threshold=live["failureThreshold"], ready=ready_budget,
              ready_period=ready["periodSeconds"], ready_threshold=ready["failureThreshold"]),
        on_key=True,
    )


@check("liveness-failure-threshold", scope="container", params={
    "min_failure_threshold": Param(int, "the smallest failureThreshold accepted for a "
                                   "livenessProbe", option=True)})
def liveness_failure_threshold(container: Container, params: dict) -> Iterator[Violation]:
    minimum = params["min_failure_threshold"]
    for label, path, probe in owners(container, "probes"):
        if label != "livenessProbe":
            continue
        value = as_int(probe.get("failureThreshold"))
        if value is None or value <= 0 or value >= minimum:
            continue  # absent or 0 is the default 3; negative values have their own rule
        yield Violation(
            path + ("failureThreshold",),
            TEXTS("failure-threshold-one" if value == 1 else "failure-threshold",
                  where=_in(container), value=value, minimum=minimum),
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
        TEXTS("initial-delay", where=_in(container), delay=delay, limit=limit),
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
        TEXTS("startup-budget", where=_in(container), budget=budget,
              delay0=timing["initialDelaySeconds"], threshold=timing["failureThreshold"],
              period=timing["periodSeconds"], delay=delay),
        on_key=not at,
    )
