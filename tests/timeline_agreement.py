"""The timeline's own statement of what each static timing rule reports (KPL125-KPL129,
KPL801), gathered per container, for the agreement tests."""
from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field

from kprobelint.discover import discover
from kprobelint.engine import Selection
from kprobelint.lintfiles import read_target
from kprobelint.model import objects_of
from kprobelint.runner import Options as LintOptions
from kprobelint.runner import lint
from kprobelint.timeline.build import Options, WorkloadTimeline, timelines_of, workload_timeline
from kprobelint.timeline.json import JsonReport

RULES = ("KPL125", "KPL126", "KPL127", "KPL128", "KPL129", "KPL801")


def findings_of(paths: list[str], stdin: bytes | None = None) -> dict[str, set]:
    """(file, object label, container, probe) keys of each rule's findings."""
    result = lint(LintOptions(paths, Selection(RULES), jobs=1), stdin=stdin)
    keys: dict[str, set] = defaultdict(set)
    for f in result.findings:
        probe = next((p for p in ("livenessProbe", "readinessProbe", "startupProbe")
                      if f.field and f".{p}" in f".{f.field}"), None)
        keys[f.rule_id].add((f.file, f.object.label(), f.container, probe))
    return keys


@dataclass
class Facts:
    """What the timeline says about every container of the corpus, in one pass."""

    containers: int = 0
    paced: set = field(default_factory=set)  # KPL125
    liveness_first: set = field(default_factory=set)  # KPL126
    single_failure: set = field(default_factory=set)  # KPL127
    late_liveness: set = field(default_factory=set)  # KPL128
    killed_at_delay: set = field(default_factory=set)  # KPL129
    killed_at_budget_edge: set = field(default_factory=set)
    deadline: set = field(default_factory=set)  # KPL801
    stalls_disagree: list = field(default_factory=list)
    reports: dict = field(default_factory=dict)  # start time -> JSON report


def key(timeline: WorkloadTimeline, name: str | None, probe: str | None = None) -> tuple:
    return (timeline.file, timeline.ref.label(), name, probe)


def facts_of(paths: list[str], starts: tuple = ()) -> Facts:
    """The facts of every file under ``paths``, with JSON reports for ``starts``."""
    facts = Facts(reports={start: JsonReport("1.35") for start in starts})
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as the linter does: documents are freed file by file, cycles are rare
    try:
        reading = LintOptions(paths)
        for count, target in enumerate(discover(paths), 1):
            for piece in read_target(target, reading):  # a file a piece at a time
                add_file(piece, facts)
            if count % 50 == 0:
                gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    return facts


def add_file(loaded, facts: Facts) -> None:
    for start, report in facts.reports.items():
        for timeline in timelines_of(loaded, Options(start_time=start)):
            report.add(timeline)
    for timeline in timelines_of(loaded, Options(kube_version="1.29")):
        rollout, pod = timeline.rollout, timeline.pod
        if (rollout is not None and rollout.kind == "Deployment" and rollout.replicas
                and rollout.progress_deadline is not None and pod.ready is not None
                and pod.ready.earliest > rollout.progress_deadline):
            facts.deadline.add((timeline.file, timeline.ref.label()))
    objects = {obj.ref.label(): obj for obj in objects_of(loaded)[0]}
    for timeline in timelines_of(loaded, Options()):
        for verdict in timeline.verdicts.items:
            if verdict.code == "paced-by-timeout":
                facts.paced.add(key(timeline, verdict.container, verdict.params["probe"]))
            elif verdict.code == "liveness-before-readiness":
                facts.liveness_first.add(key(timeline, verdict.container, "livenessProbe"))
            elif verdict.code == "single-failure-restarts":
                facts.single_failure.add(key(timeline, verdict.container, "livenessProbe"))
        if timeline.pod is None:
            continue
        for entry in timeline.pod.entries:
            if entry.times is not None:
                facts.containers += 1
                _container(timeline, entry, objects[timeline.ref.label()], facts)


def _container(timeline: WorkloadTimeline, entry, obj, facts: Facts) -> None:
    times, name = entry.times, entry.container.name
    stalls = times.stalls
    if key(timeline, name, "livenessProbe") in facts.liveness_first and \
            stalls["livenessProbe"].failing_fast > stalls["readinessProbe"].failing_fast:
        facts.stalls_disagree.append(key(timeline, name))
    first = times.first_runs.get("livenessProbe")
    if first is not None and entry.container.data.get("startupProbe") is None and \
            times.gate == 0 and first.earliest > 60:  # KPL128's max_initial_delay_seconds
        facts.late_liveness.add(key(timeline, name, "livenessProbe"))
    probes = times.settings.probes
    if "startupProbe" in probes and "livenessProbe" in probes:
        delay = probes["livenessProbe"].delay
        at_delay = workload_timeline(obj, Options(start_times={f"{obj.ref.name}/{name}": delay}))
        [again] = [e for e in at_delay.pod.entries if e.container.name == name]
        if again.times.outcome == "killed":
            # KPL129 compares with "<": a delay exactly at the budget is killed in the model
            # (the last startup probe runs just before it) but not reported by the rule
            edge = delay == again.times.budget.killed_from
            (facts.killed_at_budget_edge if edge else facts.killed_at_delay).add(
                key(timeline, name, "startupProbe"))
