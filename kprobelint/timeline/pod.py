"""A Pod's timeline: its containers in start order, when it is Ready, and how it stops.

Times are counted from the start of the Pod's first container (basis ``not-counted``): init
containers one after the other, native sidecars until they are started, then the regular
containers one after the other, each after the previous one's postStart hook (``init-order``,
``post-start``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from ..model import Container, PodSpec, containers_of
from .container import ContainerTimes, Stop, _kill_after, stop, time_container
from .settings import ContainerSettings, Features, container_settings, grace_period
from .window import Window, merge

# (container) -> (start time in seconds or None, where it came from or None)
StartTimes = Callable[[Container], "tuple[float | None, str | None]"]


@dataclass
class Entry:
    container: Container
    settings: ContainerSettings
    starts_at: Window | None  # None: never starts (something before it never finishes)
    times: ContainerTimes | None = None  # long-running containers that start
    runs_for: float | None = None  # regular init containers: their given run time
    run_source: str | None = None
    blocked_by: str | None = None  # when it never starts: the container before it that hangs
    stop: Stop | None = None  # on deletion

    @property
    def ready_at(self) -> Window | None:
        """When this container is Ready, on the Pod's clock."""
        if self.starts_at is None or self.times is None or self.times.ready is None:
            return None
        return self.starts_at.plus(self.times.ready)


@dataclass
class PodTimes:
    pod: PodSpec
    entries: list[Entry] = field(default_factory=list)
    main_start: Window | None = None
    ready: Window | None = None
    not_ready_because: str | None = None  # the container that keeps the Pod from Ready
    grace: int | None = None
    deletion: Window | None = None  # from kubectl delete to the last container stopped


def time_pod(pod: PodSpec, features: Features, start_times: StartTimes) -> PodTimes:
    times = PodTimes(pod, grace=grace_period(pod.data))
    restart_policy = pod.restart_policy if isinstance(pod.restart_policy, str) else "Always"
    containers = [c for c in containers_of(pod) if c.role != "ephemeral"]
    offset: Window | None = Window.at(0.0, ("not-counted", "init-order"))
    blocker: str | None = None
    for container in (c for c in containers if c.role in ("init", "sidecar")):
        settings = container_settings(container, features)
        entry = Entry(container, settings, offset, blocked_by=blocker)
        times.entries.append(entry)
        if offset is None:
            continue
        seconds, source = start_times(container)
        if container.role == "init":
            entry.runs_for, entry.run_source = seconds, source
            offset = offset.shift(seconds or 0.0, ("init-order",))
            continue
        gate = settings.post_start.seconds if settings.post_start is not None else 0.0
        entry.times = time_container(settings, features, start_time=seconds,
                                     start_source=source, gate=gate,
                                     restart_policy=restart_policy, grace=times.grace)
        started = entry.times.started
        offset = None if started is None else offset.plus(started)
        if offset is None:
            blocker = container.name
    times.main_start = offset
    _time_main(times, [c for c in containers if c.role == "container"], features, start_times,
               restart_policy, blocker)
    _pod_ready(times)
    _deletion(times)
    return times


def _time_main(times: PodTimes, containers: list[Container], features: Features,
               start_times: StartTimes, restart_policy: str, blocker: str | None) -> None:
    settings = [container_settings(c, features) for c in containers]
    hooks = [s.post_start.seconds if s.post_start is not None else 0.0 for s in settings]
    batch = sum(hooks)  # the kubelet reports them Running after the whole start batch
    before = 0.0
    for container, each, hook in zip(containers, settings, hooks):
        start = (None if times.main_start is None or math.isinf(before)
                 else times.main_start.shift(before, ("post-start",)))
        entry = Entry(container, each, start, blocked_by=None if start else blocker)
        times.entries.append(entry)
        if math.isinf(hook):
            blocker = blocker or container.name
        if start is not None:
            seconds, source = start_times(container)
            gate = math.inf if math.isinf(batch) else batch - before
            entry.times = time_container(each, features, start_time=seconds,
                                         start_source=source, gate=gate,
                                         restart_policy=restart_policy, grace=times.grace)
        before += hook


def _pod_ready(times: PodTimes) -> None:
    ready: Window | None = None
    for entry in times.entries:
        if entry.container.role not in ("container", "sidecar"):
            continue
        at = entry.ready_at
        if at is None:
            times.ready = None
            times.not_ready_because = entry.container.name
            return
        ready = at if ready is None else ready.after(at)
    if ready is not None:
        times.ready = Window(ready.earliest, ready.latest, merge(ready.basis, ("pod-ready",)))


def _deletion(times: PodTimes) -> None:
    grace = times.grace
    if grace is None:
        return
    running = [e for e in times.entries
               if e.container.role in ("container", "sidecar") and e.starts_at is not None]
    mains = [e for e in running if e.container.role == "container"]
    for entry in mains:
        entry.stop = stop(grace, entry.settings.pre_stop)
    main_term = max((e.stop.sigterm.earliest for e in mains if e.stop), default=0.0)
    main_kill = max((e.stop.sigkill.latest for e in mains if e.stop), default=0.0)
    for entry in running:
        if entry.container.role != "sidecar":
            continue
        own = stop(grace, entry.settings.pre_stop)
        if grace <= 0:
            entry.stop = own
            continue
        earliest = max(own.sigterm.earliest, main_term)
        latest = min(float(grace), max(own.sigterm.latest, main_kill))
        basis = merge(own.basis, ("sidecar-stop-order",))
        entry.stop = Stop(grace, own.pre_stop, Window(earliest, latest, basis),
                          Window(_kill_after(earliest, grace), _kill_after(latest, grace),
                                 basis), basis)
    stops = [e.stop for e in running if e.stop is not None]
    if stops:
        times.deletion = Window(max(s.sigterm.earliest for s in stops),
                                max(s.sigkill.latest for s in stops),
                                merge(*(s.basis for s in stops), ("grace-source",)))
