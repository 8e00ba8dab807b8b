"""Properties of the timeline model: more patience never shortens a budget, windows are
ordered, a later start only moves things later, and any manifest renders to valid JSON."""
from __future__ import annotations

import json
from dataclasses import fields, replace
from functools import cache

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timelineutil import deployment, timelines

from kprobelint.checks.rollout import COMMON_VERSION, _most_delay
from kprobelint.load import load_text
from kprobelint.model import objects_of, pod_spec_of
from kprobelint.ruleset import SCHEMA_DIR
from kprobelint.timeline.container import stall, stop, time_container
from kprobelint.timeline.durations import human, parse_duration
from kprobelint.timeline.json import JsonReport
from kprobelint.timeline.pod import time_pod
from kprobelint.timeline.settings import ContainerSettings, Features, Hook, Probe

FEATURES = Features((1, 35))
seconds = st.integers(min_value=0, max_value=3600)
positive = st.integers(min_value=1, max_value=600)
thresholds = st.integers(min_value=1, max_value=50)


@st.composite
def probes(draw, kind: str) -> Probe:
    return Probe(kind, draw(seconds), draw(positive), draw(positive),
                 draw(thresholds) if kind == "readinessProbe" else 1, draw(thresholds),
                 draw(st.booleans()), None)


def _times(startup: Probe | None, liveness: Probe | None, readiness: Probe | None,
           start: float | None = None, gate: float = 0.0):
    settings_ = ContainerSettings("app", "container")
    for probe in (startup, liveness, readiness):
        if probe is not None:
            settings_.probes[probe.kind] = probe
    return time_container(settings_, FEATURES, start_time=start, start_source="config",
                          gate=gate, restart_policy="Always", grace=30)


def _grown(probe: Probe, field: str, by: int) -> Probe:
    values = {f.name: getattr(probe, f.name) for f in fields(probe)}
    values[field] += by
    return Probe(**values)


@given(probes("livenessProbe"), st.sampled_from(["delay", "period", "failure"]), positive,
       st.booleans())
def test_more_patience_never_shortens_a_start_budget(probe, field, by, as_startup):
    kind = "startupProbe" if as_startup else "livenessProbe"
    probe = replace(probe, kind=kind)
    before = _times(probe if as_startup else None, None if as_startup else probe, None).budget
    grown = _grown(probe, field, by)
    after = _times(grown if as_startup else None, None if as_startup else grown, None).budget
    assert after.survives_up_to >= before.survives_up_to
    assert after.killed_from >= before.killed_from
    assert before.survives_up_to < before.killed_from


@given(probes("readinessProbe"), st.sampled_from(["period", "timeout", "failure"]), positive)
def test_more_patience_never_shortens_a_stall(probe, field, by):
    before, after = stall(probe, FEATURES), stall(_grown(probe, field, by), FEATURES)
    assert after.shortest >= before.shortest
    assert after.failing_fast >= before.failing_fast
    assert after.hanging >= before.hanging
    assert before.shortest < before.failing_fast <= before.hanging


@given(st.one_of(st.none(), probes("startupProbe")), st.one_of(st.none(), probes("livenessProbe")),
       st.one_of(st.none(), probes("readinessProbe")), seconds, seconds, st.integers(0, 60))
def test_windows_are_ordered_and_a_later_start_moves_things_later(startup, liveness, readiness,
                                                                   early, extra, gate):
    first = _times(startup, liveness, readiness, early, gate)
    later = _times(startup, liveness, readiness, early + extra, gate)
    for times in (first, later):
        windows = [times.started, times.ready, *times.first_runs.values()]
        for window in windows:
            assert window is None or window.earliest <= window.latest
        if times.budget is not None:
            assert times.budget.kill.earliest <= times.budget.kill.latest
    order = ["survives", "depends", "killed"]
    assert order.index(later.outcome) >= order.index(first.outcome)
    if first.ready is not None and later.ready is not None:
        assert later.ready.earliest >= first.ready.earliest
    if first.ready is not None and (readiness is not None or startup is not None):
        # a probe stands between the container and Ready: never before the app is up
        # (without one, the kubelet calls it Ready as soon as it runs)
        assert first.ready.earliest >= early


@given(st.integers(0, 600), st.one_of(st.none(), st.integers(0, 900)), st.booleans())
def test_stop_windows(grace, hook_seconds, exact):
    hook = None if hook_seconds is None else Hook("exec", float(hook_seconds), exact)
    result = stop(grace, hook)
    assert result.sigterm.earliest <= result.sigterm.latest
    assert result.sigkill.earliest <= result.sigkill.latest
    assert result.sigkill.earliest >= result.sigterm.earliest + 2 or grace == 0
    assert result.sigkill.latest <= max(grace, 0) + 2


@given(st.integers(0, 366 * 86400))
def test_durations_round_trip(value):
    assert parse_duration(human(value)) == value
    assert parse_duration(str(value)) == value


@given(st.integers(1, 50), st.integers(0, 5), st.integers(0, 5), st.integers(1, 30))
def test_a_bigger_surge_or_budget_never_slows_a_rollout(replicas, surge, unavailable, extra):
    def update(s: int, u: int) -> float:
        if s == 0 and u == 0:
            u = 1
        text = deployment("containers:\n  - name: app\n    image: example/app:1\n"
                          "    readinessProbe:\n      tcpSocket: {port: 80}\n"
                          "      initialDelaySeconds: 7\n",
                          spec=f"replicas: {replicas}\nstrategy:\n  rollingUpdate: "
                               f"{{maxSurge: {s}, maxUnavailable: {u}}}")
        [found] = timelines(text)
        return found.rollout.update_seconds

    base = update(surge, unavailable)
    assert update(surge + extra, unavailable) <= base
    assert update(surge, unavailable + extra) <= base
    assert base <= replicas * 7


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / "timeline.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


ODD = st.sampled_from(["0", "-1", "1e400", ".nan", "null", "[]", "{}", "yes", '"10"', "10.0",
                       "99999999999", '"25%"', '"abc"', "-.inf"])
FIELDS = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold",
          "successThreshold", "terminationGracePeriodSeconds"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FIELDS), ODD), max_size=4), ODD, ODD, ODD)
def test_any_values_give_a_valid_report(fields, replicas, surge, grace):
    probe = "".join(f"      {name}: {value}\n" for name, value in fields)
    text = deployment("containers:\n  - name: app\n    image: example/app:1\n"
                      f"    livenessProbe:\n      tcpSocket: {{port: 80}}\n{probe}"
                      "    startupProbe:\n      tcpSocket: {port: 80}\n"
                      f"{probe}    lifecycle:\n      preStop:\n"
                      f"        sleep: {{seconds: {grace}}}\n",
                      spec=f"replicas: {replicas}\nstrategy:\n  rollingUpdate: "
                           f"{{maxSurge: {surge}}}",
                      pod_spec=f"terminationGracePeriodSeconds: {grace}")
    found = timelines(text, start_time=30)
    report = JsonReport("1.35")
    for timeline in found:
        report.add(timeline)
    document = json.loads(report.finish())
    errors = list(_validator().iter_errors(document))
    assert not errors, errors[0]


@given(st.lists(st.tuples(st.sampled_from(["container", "sidecar"]), st.integers(0, 900),
                          st.integers(0, 900), st.integers(1, 20), st.integers(1, 60),
                          st.integers(0, 120)), min_size=1, max_size=4))
def test_the_rules_quick_bound_is_never_below_the_model(containers):
    init, main = [], []
    for i, (role, startup, ready, success, period, hook) in enumerate(containers):
        text = (f"  - name: c{i}\n    image: example/app:1\n"
                + ("    restartPolicy: Always\n" if role == "sidecar" else "")
                + f"    startupProbe:\n      tcpSocket: {{port: 80}}\n"
                  f"      initialDelaySeconds: {startup}\n      failureThreshold: 100\n"
                + f"    readinessProbe:\n      tcpSocket: {{port: 80}}\n"
                  f"      initialDelaySeconds: {ready}\n      successThreshold: {success}\n"
                  f"      periodSeconds: {period}\n"
                + f"    lifecycle:\n      postStart:\n        exec: {{command: [sleep, "
                  f"\"{hook}\"]}}\n")
        (init if role == "sidecar" else main).append(text)
    spec = ("initContainers:\n" + "".join(init) if init else "") + "containers:\n" + (
        "".join(main) or "  - name: app\n    image: example/app:1\n")
    [obj] = objects_of(load_text("t.yaml", deployment(spec)))[0]
    pod = pod_spec_of(obj)
    ready = time_pod(pod, Features(COMMON_VERSION), lambda c: (None, None)).ready
    assert ready is not None and ready.earliest <= _most_delay(pod)
