"""The text timeline: a compact block per workload and container, an ASCII time axis for the
start, the verdicts, and numbered references ``[n]`` to the behaviour each line rests on (listed
at the end with their sources)."""
from __future__ import annotations

import math
import textwrap
from typing import Iterable

from ..i18n import join
from ..report import printable
from ..report.source import pad, width, wrap
from .basis import BASIS, basis_text
from .build import WorkloadTimeline
from .container import BACKOFF_RESET, ContainerTimes, Stop, backoff_waits
from .durations import human
from .messages import render
from .pod import Entry
from .rollout import Budget, Rollout
from .window import Window

AXIS_WIDTH = 48
WRAP = 100
_CERTAINTY = {"always": "verdict_always", "possible": "verdict_possible", "note": "verdict_note"}


class _Footnotes:
    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, basis: Iterable[str]) -> str:
        numbers = []
        for item in basis:
            if item not in self.numbers:
                self.numbers[item] = len(self.numbers) + 1
            numbers.append(self.numbers[item])
        return f"  [{','.join(map(str, sorted(set(numbers))))}]" if numbers else ""

    def lines(self) -> list[str]:
        if not self.numbers:
            return []
        out = ["", render("basis_head")]
        for item, number in self.numbers.items():
            text = render("basis_line", number=number, id=item, text=basis_text(item),
                          source=BASIS[item].source)
            if text.isascii():
                out.extend(textwrap.wrap(text, WRAP, initial_indent="  ",
                                         subsequent_indent="      ", break_on_hyphens=False))
            else:  # by display width, breaking between wide characters too
                out.extend(wrap(text, WRAP, "  ", "      "))
        return out


def span(window: Window | None) -> str:
    if window is None:
        return render("never_runs")
    if window.exact:
        return human(window.earliest)
    return f"{human(window.earliest)}–{human(window.latest)}"


class TextReport:
    """Renders one workload at a time; the references are numbered across the report."""

    def __init__(self) -> None:
        self.notes = _Footnotes()
        self.lines: list[str] = []
        self.workloads = self.containers = self.always = self.possible = 0

    def add(self, timeline: WorkloadTimeline) -> None:
        self.workloads += 1
        self.containers += len(timeline.shown)
        self.always += sum(v.certainty == "always" for v in timeline.verdicts.items)
        self.possible += sum(v.certainty == "possible" for v in timeline.verdicts.items)
        if self.lines:
            self.lines.append("")
        self.lines.extend(printable(line) for line in _workload(timeline, self.notes))

    def finish(self) -> str:
        if not self.workloads:
            return render("nothing") + "\n"
        lines = [*self.lines, "", render("summary", workloads=self.workloads,
                                         containers=self.containers, always=self.always,
                                         possible=self.possible)]
        lines.extend(self.notes.lines())
        return "\n".join(lines) + "\n"


def _workload(timeline: WorkloadTimeline, notes: _Footnotes) -> list[str]:
    where = f"{timeline.file}:{timeline.line}"
    if timeline.source is not None:
        where = render("header_helm", where=where, source=timeline.source.file)
    lines = [render("header", object=timeline.ref.label(), where=where)]
    pod = timeline.pod
    version = ".".join(map(str, timeline.features.version))
    if pod is not None:
        restart = pod.pod.restart_policy
        lines.append("  " + render("header_pod", kube=version, restart=restart,
                                   grace=pod.grace if pod.grace is not None else "?"))
    for key, params in timeline.notes:
        lines.append("  ! " + render(key, **params))
    if pod is None:
        return lines
    for entry in timeline.shown:
        lines.extend(_entry(entry, notes))
    pod_line = (render("pod_ready", ready=span(pod.ready)) + notes.cite(pod.ready.basis)
                if pod.ready is not None
                else render("pod_never_ready", container=pod.not_ready_because))
    lines.append("  " + pad(render("label_pod"), 12) + pod_line)
    if pod.deletion is not None:
        lines.append(" " * 14 + render("pod_deletion", window=span(pod.deletion))
                     + notes.cite(pod.deletion.basis))
    if timeline.rollout is not None:
        lines.extend(_rollout(timeline.rollout, notes))
    if timeline.verdicts.items:
        lines.append("  " + render("verdicts_head"))
        for verdict in timeline.verdicts.items:
            label = render(_CERTAINTY[verdict.certainty])
            lines.append(f"    {pad(label, 9)} {verdict.message}" + notes.cite(verdict.basis))
            conditions = verdict.condition_texts()
            if conditions:
                lines.append(" " * 14 + render("depends_on",
                                               conditions=render("separator").join(conditions)))
    return lines


def _row(label: str, text: str) -> str:
    return f"    {pad(render(label), 10)} {text}"


def _columns(*cells: str) -> str:
    """A row of the probe table: columns of 10, 14, 7 and 8 display columns, then the rest."""
    return " ".join(pad(cell, columns) for cell, columns in zip(cells, (10, 14, 7, 8))) \
        + " " + cells[-1]


def _entry(entry: Entry, notes: _Footnotes) -> list[str]:
    container = entry.container
    role = render(f"role_{container.role}")
    if container.role == "init":
        start = (render("init_run_given", start=human(entry.runs_for), source=entry.run_source)
                 if entry.runs_for is not None else render("init_run_none"))
        lines = ["  " + render("container_line", role=role, name=container.name, start=start)]
        if entry.starts_at is not None:
            lines.append(_row("label_begins", render("starts_at", at=span(entry.starts_at)))
                         + notes.cite(entry.starts_at.basis))
        return lines
    times = entry.times
    if times is None:
        return [f"  {role} {container.name}",
                _row("label_begins", render("never_starts", container=entry.blocked_by))]
    start = (render("start_given", start=human(times.start_time), source=times.start_source)
             if times.start_time is not None else render("start_none"))
    lines = ["  " + render("container_line", role=role, name=container.name, start=start)]
    for key, params in entry.settings.notes:
        lines.append("    ! " + render(key, **params))
    if entry.starts_at is not None and (entry.starts_at.latest or container.role == "sidecar"):
        lines.append(_row("label_begins", render("starts_at", at=span(entry.starts_at)))
                     + notes.cite(entry.starts_at.basis))
    lines.extend(_probes(times, notes))
    if math.isfinite(times.gate):
        lines.append(_budget(times, notes))
    if times.ready is not None and entry.ready_at is not None:
        key = ("ready_no_probe" if "readinessProbe" not in times.settings.probes
               and "startupProbe" not in times.settings.probes else "ready_line")
        lines.append(_row("label_ready", render(key, ready=span(times.ready),
                                                pod=span(entry.ready_at)))
                     + notes.cite(times.ready.basis))
    elif times.outcome == "killed":
        lines.append(_row("label_ready", render("never_ready")))
    label = "label_stall"
    for kind, key in (("readinessProbe", "stall_readiness"), ("livenessProbe", "stall_liveness")):
        stall = times.stalls.get(kind)
        if stall is not None:
            lines.append(_row(label, render(key, shortest=human(stall.shortest),
                                             fast=human(stall.failing_fast),
                                             hanging=human(stall.hanging)))
                         + notes.cite(stall.basis))
            label = "label_blank"
    lines.append(_row("label_restarts", _restarts(times))
                 + notes.cite(("crash-backoff", "restart-policy")))
    label = "label_stop"
    if entry.stop is not None:
        lines.append(_row(label, _stop_line(entry.stop))
                     + notes.cite(entry.stop.basis + ("grace-source",)))
        label = "label_blank"
    if times.probe_kill_stop is not None and times.budget is not None:
        kill = times.probe_kill_stop
        lines.append(_row(label, render("stop_probe_line", probe=times.budget.probe,
                                        sigterm=span(kill.sigterm), sigkill=span(kill.sigkill)))
                     + notes.cite(kill.basis + ("grace-source",)))
    lines.extend(_axis(times))
    return lines


def _probes(times: ContainerTimes, notes: _Footnotes) -> list[str]:
    if not times.settings.probes:
        return []
    lines = ["    " + _columns(render("label_probes"), render("col_first"),
                              render("col_period"), render("col_timeout"),
                              render("col_thresholds"))]
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = times.settings.probes.get(kind)
        if probe is None:
            continue
        first = times.first_runs.get(kind)
        row = _columns(kind.removesuffix("Probe"), span(first), human(probe.period),
                       human(probe.timeout),
                       render("thresholds", failure=probe.failure, success=probe.success))
        lines.append("    " + row + notes.cite(first.basis if first is not None else ()))
    return lines


def _budget(times: ContainerTimes, notes: _Footnotes) -> str:
    budget = times.budget
    if budget is None:
        return _row("label_budget", render("budget_none"))
    return _row("label_budget", render("budget_line", survives=human(budget.survives_up_to),
                                      killed=human(budget.killed_from), probe=budget.probe,
                                      kill=span(budget.kill))) + notes.cite(budget.basis)


def _restarts(times: ContainerTimes) -> str:
    if times.restart_policy == "Never":
        return render("restarts_never")
    waits = join([human(w) for w in backoff_waits()[1:]])
    return render("restarts_line", waits=waits, reset=human(BACKOFF_RESET))


def _stop_line(stop: Stop) -> str:
    hook = stop.pre_stop
    if hook is None or stop.grace <= 0:
        pre = ""
    elif hook.exact:
        pre = render("pre_stop", handler=hook.handler, seconds=human(hook.seconds))
    else:
        pre = render("pre_stop_unknown", handler=hook.handler, seconds=human(hook.seconds))
    return render("stop_line", pre_stop=pre, sigterm=span(stop.sigterm),
                  sigkill=span(stop.sigkill))


def _axis(times: ContainerTimes) -> list[str]:
    """An ASCII axis of the start: first runs, the application's start, the kill, Ready."""
    rows: list[tuple[str, Window]] = []
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        first = times.first_runs.get(kind)
        if first is not None:
            rows.append((kind.removesuffix("Probe"), first))
    if times.start_time is not None:
        rows.append((render("axis_app_up"), Window.at(times.start_time)))
    if times.budget is not None and times.outcome != "survives":
        rows.append((render("axis_killed"), times.budget.kill))
    if times.ready is not None:
        rows.append((render("axis_ready"), times.ready))
    finite = [w.latest for _, w in rows if math.isfinite(w.latest)]
    if not rows or not finite or max(finite) <= 0:
        return []
    end, step = _scale(max(finite))
    columns = AXIS_WIDTH

    def column(seconds: float) -> int:
        return min(columns, round(seconds / end * columns))

    labels = [" "] * (columns + 8)
    ruler = ["-"] * (columns + 1)
    tick = 0.0
    while tick <= end + 1e-9:
        position = column(tick)
        ruler[position] = "|"
        text = human(tick)
        for offset, char in enumerate(text):
            if position + offset < len(labels):
                labels[position + offset] = char
        tick += step
    lines = ["    " + f"{'':<10} " + "".join(labels).rstrip(),
             "    " + pad(render("axis_label"), 10) + " " + "".join(ruler)]
    for label, window in rows:
        bar = [" "] * (columns + 2)
        first = column(window.earliest)
        if window.exact:
            bar[first] = "^"
        else:
            last = column(window.latest) if math.isfinite(window.latest) else columns + 1
            last = max(last, first + 1)
            bar[first] = "["
            for position in range(first + 1, min(last, columns + 1)):
                bar[position] = "="
            bar[min(last, columns + 1)] = ")" if math.isfinite(window.latest) else ">"
        lines.append(f"    {pad(label, 10)} " + "".join(bar).rstrip() + f"  {span(window)}")
    return lines


def _scale(latest: float) -> tuple[float, float]:
    """An axis end and tick step: 4 to 8 ticks of a round length covering ``latest``."""
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600):
        if latest / step <= 6:
            return math.ceil(latest / step) * step or step, step
    step = 86400.0
    return math.ceil(latest / step) * step, step


def _rollout(rollout: Rollout, notes: _Footnotes) -> list[str]:
    prefix = "  " + pad(render("label_rollout"), 12)
    lines: list[str] = []
    if rollout.kind == "Deployment" and rollout.strategy == "RollingUpdate":
        head = render("rollout_deployment", strategy=rollout.strategy, replicas=rollout.replicas,
                      surge=_budget_text(rollout.surge),
                      unavailable=_budget_text(rollout.unavailable))
    elif rollout.kind == "Deployment" and rollout.strategy == "Recreate":
        head = render("rollout_recreate", replicas=rollout.replicas)
    elif rollout.kind == "StatefulSet":
        head = render("rollout_statefulset", strategy=rollout.strategy,
                      replicas=rollout.replicas, policy=rollout.pod_management,
                      partition=rollout.partition,
                      unavailable=_budget_text(rollout.unavailable) if rollout.unavailable
                      else render("default_mark", value=1))
    elif rollout.kind == "DaemonSet":
        head = render("rollout_daemonset", strategy=rollout.strategy,
                      unavailable=_budget_text(rollout.unavailable),
                      surge=_budget_text(rollout.surge))
    else:
        head = render("rollout_simple", replicas=rollout.replicas)
    lines.append(prefix + head + notes.cite(rollout.basis))
    indent = " " * width(prefix)
    for key, params in rollout.notes:
        lines.append(indent + "! " + render(key, **params))
    if rollout.strategy == "OnDelete":
        lines.append(indent + render("rollout_on_delete"))
    elif rollout.available is None:
        lines.append(indent + render("rollout_never"))
    elif rollout.kind == "DaemonSet" and rollout.per_wave_seconds is not None:
        lines.append(indent + render("rollout_batches", each=human(rollout.per_wave_seconds)))
    elif rollout.create_seconds is not None:
        if rollout.update_seconds is not None and rollout.waves and rollout.kind == "Deployment":
            each = (rollout.update_seconds / rollout.waves if rollout.strategy == "RollingUpdate"
                    else rollout.update_seconds)
            lines.append(indent + render("rollout_waves", create=human(rollout.create_seconds),
                                         waves=rollout.waves, each=human(each),
                                         update=human(rollout.update_seconds)))
        else:
            update = (human(rollout.update_seconds) if rollout.update_seconds is not None
                      else "-")
            lines.append(indent + render("rollout_times", create=human(rollout.create_seconds),
                                         update=update))
    if rollout.progress_deadline is not None and rollout.quiet_earliest is not None:
        quiet = Window(rollout.quiet_earliest, rollout.quiet_latest or rollout.quiet_earliest)
        reason = render(f"reason_{(rollout.quiet_reason or 'ready').replace('-', '_')}")
        lines.append(indent + render("deadline_line", deadline=human(rollout.progress_deadline),
                                     quiet=span(quiet), reason=reason)
                     + notes.cite(("progress-deadline",)))
    return lines


def _budget_text(budget: Budget | None) -> str:
    if budget is None:
        return "?"
    written = budget.written if not budget.defaulted else render("default_mark",
                                                                 value=budget.written)
    if budget.percent is None:
        return str(written)
    if budget.pods is None:
        return render("budget_percent_nodes", written=written)
    return render("budget_resolved", written=written, pods=budget.pods,
                  rounding=render(f"rounded_{budget.rounding}"))
