"""From manifests to timelines: one per workload with a Pod template, through kprobelint.model."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping

from ..findings import HelmSource, ObjectRef
from ..load import LoadedFile, locate
from ..model import Container, K8sObject, containers_of, objects_of, pod_spec_of
from ..versions import DEFAULT as DEFAULT_KUBE_VERSION
from ..versions import parse_version
from .pod import Entry, PodTimes, time_pod
from .rollout import Rollout, rollout_of
from .settings import Features
from .verdicts import VerdictList, rollout_verdicts, start_verdicts, timing_verdicts


@dataclass(frozen=True)
class Options:
    kube_version: str = DEFAULT_KUBE_VERSION
    start_time: float | None = None  # --start-time: the containers shown
    container: str | None = None  # --container: show only this one
    start_times: Mapping[str, float] = field(default_factory=dict)  # config: name or obj/name

    @property
    def features(self) -> Features:
        return Features(parse_version(self.kube_version))


@dataclass
class WorkloadTimeline:
    ref: ObjectRef
    file: str
    line: int
    source: HelmSource | None
    features: Features
    pod: PodTimes | None
    rollout: Rollout | None
    verdicts: VerdictList
    notes: list[tuple[str, dict]] = field(default_factory=list)
    shown: list[Entry] = field(default_factory=list)  # the containers to report


def timelines_of(loaded: LoadedFile, options: Options) -> Iterator[WorkloadTimeline]:
    objects, _ = objects_of(loaded)
    for obj in objects:
        timeline = workload_timeline(obj, options)
        if timeline is not None:
            yield timeline


def workload_timeline(obj: K8sObject, options: Options) -> WorkloadTimeline | None:
    pod = pod_spec_of(obj)
    if pod is None:
        return None
    containers = containers_of(pod)
    if options.container is not None and all(c.name != options.container
                                              for c in containers):
        return None
    features = options.features
    document = obj.document
    span = locate(document.data, obj.path)
    timeline = WorkloadTimeline(obj.ref, obj.file.path, span.line, document.source, features,
                                None, None, VerdictList())
    if not features.sidecars and any(c.role == "sidecar" for c in containers):
        timeline.notes.append(("note_sidecar_version", {}))
        return timeline

    def start_times(container: Container) -> tuple[float | None, str | None]:
        return _start_time(obj, container, options)

    times = time_pod(pod, features, start_times)
    timeline.pod = times
    if times.grace is None:
        timeline.notes.append(("note_no_grace", {}))
    timeline.rollout = rollout_of(obj, times, features)
    for entry in times.entries:
        if options.container is None or entry.container.name == options.container:
            timeline.shown.append(entry)
            start_verdicts(entry, timeline.verdicts)
            timing_verdicts(entry, timeline.verdicts)
    rollout_verdicts(times, timeline.rollout, timeline.verdicts)
    return timeline


def _start_time(obj: K8sObject, container: Container, options: Options
                ) -> tuple[float | None, str | None]:
    """The start time of ``container``: --start-time for the containers shown (long-running
    ones, or the one --container names), else the config's ``object/container`` or
    ``container`` entry, else none."""
    named = options.container == container.name
    if options.start_time is not None and (named or (options.container is None
                                                     and container.long_running)):
        return options.start_time, "--start-time"
    for key in (f"{obj.ref.name}/{container.name}", container.name):
        if key in options.start_times:
            return options.start_times[key], "config"
    return None, None
