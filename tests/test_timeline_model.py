"""Hand-computed timelines, one knob at a time.

Each expected number is worked out in the comment above it from the kubelet's behaviour (see
kprobelint/timeline/basis.py): a probe first runs in [delay, delay + period) (probe-ticker); a
start up to max(delay, postStart) + (failure - 1) * period survives, one of max(delay,
postStart) + failure * period or more is killed (thresholds, app-start); and so on.
"""
from __future__ import annotations

import math

import pytest
from timelineutil import deployment, entry, pod, timeline

from kprobelint.timeline.container import backoff_waits
from kprobelint.timeline.window import Window

LIVENESS_3S = """\
containers:
  - name: app
    image: example/app:1
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      initialDelaySeconds: 3
      periodSeconds: 10
"""


def bounds(window: Window | None) -> tuple[float, float] | None:
    return None if window is None else (window.earliest, window.latest)


# --- first runs and start budgets ---------------------------------------------------------


def test_liveness_without_startup_probe_sets_the_start_budget():
    times = entry(pod(LIVENESS_3S)).times
    # first run: the first tick after 3 s, ticks every 10 s with an unknown phase
    assert bounds(times.first_runs["livenessProbe"]) == (3, 13)
    # the 3rd failure (failureThreshold 3) comes 2 periods after the first run
    assert (times.budget.survives_up_to, times.budget.killed_from) == (23, 33)
    assert bounds(times.budget.kill) == (23, 33)
    assert times.budget.probe == "livenessProbe"


@pytest.mark.parametrize(("start", "outcome"), [
    (0, "survives"), (23, "survives"), (23.5, "depends"), (32.9, "depends"), (33, "killed"),
    (45, "killed")])
def test_start_time_against_the_budget(start, outcome):
    times = entry(pod(LIVENESS_3S), start_time=start).times
    assert times.outcome == outcome
    assert (times.ready is None) == (outcome == "killed")


def test_startup_probe_budget_and_the_gated_probes():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    startupProbe:
      httpGet: {path: /healthz, port: 8080}
      failureThreshold: 30
      periodSeconds: 10
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
      periodSeconds: 5
""")
    times = entry(text, start_time=45).times
    # startup: first run [0, 10); 30 failures: 29 periods after it survive, 30 do not
    assert bounds(times.first_runs["startupProbe"]) == (0, 10)
    assert (times.budget.survives_up_to, times.budget.killed_from) == (290, 300)
    # started at the first startup tick at or after 45 s
    assert bounds(times.started) == (45, 55)
    # liveness (period 10) and readiness (period 5) wait for that, then their own tick
    assert bounds(times.first_runs["livenessProbe"]) == (45, 65)
    assert bounds(times.first_runs["readinessProbe"]) == (45, 60)
    # readiness succeeds at its first run: Ready when it runs
    assert bounds(times.ready) == (45, 60)
    assert times.outcome == "survives"


def test_startup_probe_kills_a_start_beyond_its_budget():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    startupProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 10
    livenessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 120
""")
    times = entry(text, start_time=120).times
    # 0 + 3 x 10 = 30 s at most: a 120 s start is killed every time, and never started
    assert times.outcome == "killed" and times.budget.probe == "startupProbe"
    assert times.started is None and times.ready is None
    assert times.first_runs["livenessProbe"] is None


def test_initial_delay_counts_from_the_container_start_not_from_startup_success():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    startupProbe:
      tcpSocket: {port: 8080}
      failureThreshold: 10
      periodSeconds: 2
    livenessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 15
""")
    times = entry(text, start_time=10).times
    # started in [10, 12); liveness may act from 15 s after the container's start (not 10 +
    # 15 = 25): first run in [15, 25)
    assert bounds(times.started) == (10, 12)
    assert bounds(times.first_runs["livenessProbe"]) == (15, 25)


def test_readiness_delay_and_success_threshold():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    readinessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 15
      periodSeconds: 5
      successThreshold: 3
""")
    times = entry(text).times
    assert bounds(times.first_runs["readinessProbe"]) == (15, 20)
    # 3 successes in a row: 2 more periods after the first
    assert bounds(times.ready) == (25, 30)
    later = entry(text, start_time=40).times
    assert bounds(later.ready) == (50, 55)  # first success in [40, 45), then 2 x 5


def test_no_probes_ready_at_start_and_never_killed():
    times = entry(pod("containers:\n  - name: app\n    image: example/app:1\n"),
                  start_time=1000).times
    assert times.budget is None and times.outcome == "survives"
    assert bounds(times.ready) == (0, 0)


def test_zero_timing_fields_take_their_defaults():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    livenessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 0
      failureThreshold: 0
""")
    times = entry(text).times
    assert (times.budget.survives_up_to, times.budget.killed_from) == (20, 30)  # 10 s x 3


def test_invalid_timing_is_noted_not_timed():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    livenessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: ten
""")
    found = entry(text)
    assert found.times.budget is None
    assert ("note_probe_untimed", {"probe": "livenessProbe", "field": "periodSeconds"}) in \
        found.settings.notes


# --- stalls ---------------------------------------------------------------------------------


def test_stall_lengths():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 5
    livenessProbe:
      exec: {command: [check]}
      periodSeconds: 5
      timeoutSeconds: 10
      failureThreshold: 3
""")
    stalls = entry(text).times.stalls
    ready = stalls["readinessProbe"]
    # (3 - 1) x 5 = 10 never acts; 3 x 5 = 15 always does; hanging: 5 + 2 x 5 + 1 = 16
    assert (ready.shortest, ready.failing_fast, ready.hanging) == (10, 15, 16)
    live = stalls["livenessProbe"]
    # timing out paces the probe at max(5, 10) = 10 s: 5 + 2 x 10 + 10 = 35
    assert (live.shortest, live.failing_fast, live.hanging) == (10, 15, 35)
    assert live.interval_when_timing_out == 10


def test_exec_probe_timeouts_before_1_20_never_fail():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    livenessProbe:
      exec: {command: [check]}
""")
    assert math.isinf(entry(text, kube_version="1.19").times.stalls["livenessProbe"].hanging)
    assert entry(text, kube_version="1.20").times.stalls["livenessProbe"].hanging == 31


# --- hooks, grace periods, restarts ----------------------------------------------------------


def test_post_start_sleep_delays_the_probes_and_the_budget():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    lifecycle:
      postStart:
        sleep: {seconds: 5}
    livenessProbe:
      tcpSocket: {port: 8080}
""")
    times = entry(text).times
    assert times.gate == 5
    assert bounds(times.first_runs["livenessProbe"]) == (5, 15)
    assert (times.budget.survives_up_to, times.budget.killed_from) == (25, 35)
    # the sleep action is dropped before 1.30: no delay
    assert entry(text, kube_version="1.29").times.gate == 0


@pytest.mark.parametrize(("grace", "hook", "sigterm", "sigkill"), [
    # no hook: SIGTERM at once, SIGKILL when the grace period ends
    (30, None, (0, 0), (30, 30)),
    # a 10 s sleep: SIGTERM at 10, the remaining 20 s, SIGKILL at 30
    (30, "sleep: {seconds: 10}", (10, 10), (30, 30)),
    # a sleep as long as the grace period: the hook is cut, then the 2 s minimum
    (30, "sleep: {seconds: 30}", (30, 30), (32, 32)),
    # 29 s leaves 1 s, raised to the 2 s minimum
    (30, "sleep: {seconds: 29}", (29, 29), (31, 31)),
    # an exec that sleeps at least 5 s and then does more: SIGTERM between 5 and 30
    (30, 'exec: {command: [sh, -c, "sleep 5; nginx -s quit"]}', (5, 30), (30, 32)),
    # exactly `sleep 5`: known
    (30, "exec: {command: [sleep, \"5\"]}", (5, 5), (30, 30)),
    # grace 0: no preStop, the 2 s minimum
    (0, "sleep: {seconds: 0}", (0, 0), (2, 2)),
])
def test_stopping(grace, hook, sigterm, sigkill):
    lifecycle = f"    lifecycle:\n      preStop:\n        {hook}\n" if hook else ""
    text = pod(f"containers:\n  - name: app\n    image: example/app:1\n{lifecycle}",
               spec=f"terminationGracePeriodSeconds: {grace}")
    stop = entry(text).stop
    assert (bounds(stop.sigterm), bounds(stop.sigkill)) == (sigterm, sigkill)


def test_probe_grace_period_for_probe_kills_from_1_25():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    livenessProbe:
      tcpSocket: {port: 8080}
      terminationGracePeriodSeconds: 10
""", spec="terminationGracePeriodSeconds: 60")
    assert entry(text).times.probe_kill_stop.grace == 10
    assert entry(text, kube_version="1.24").times.probe_kill_stop.grace == 60
    assert entry(text).stop.grace == 60  # deletion keeps the Pod's


def test_backoff_waits_and_restart_policies():
    assert backoff_waits() == [0, 10, 20, 40, 80, 160, 300, 300]
    text = pod(LIVENESS_3S, spec="restartPolicy: Never")
    found = timeline(text, start_time=60)
    [verdict] = [v for v in found.verdicts.items if v.code == "killed-every-start"]
    assert verdict.statuses == ("Failed",) and "Pod ends Failed" in verdict.message


# --- Pods: init containers, sidecars, start order -----------------------------------------


SIDECAR_POD = """\
initContainers:
  - name: migrate
    image: example/migrate:1
  - name: proxy
    image: example/proxy:1
    restartPolicy: Always
    startupProbe:
      tcpSocket: {port: 15000}
      initialDelaySeconds: 10
      periodSeconds: 5
    readinessProbe:
      tcpSocket: {port: 15000}
containers:
  - name: first
    image: example/app:1
    lifecycle:
      postStart:
        sleep: {seconds: 3}
  - name: second
    image: example/app:1
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 5
"""


def test_init_containers_and_sidecars_start_in_order():
    found = timeline(pod(SIDECAR_POD), start_times={"migrate": 20})
    entries = {e.container.name: e for e in found.pod.entries}
    assert entries["migrate"].runs_for == 20 and entries["migrate"].run_source == "config"
    assert bounds(entries["proxy"].starts_at) == (20, 20)
    # the proxy is started at its first startup tick after 10 s: [10, 15) after its start
    assert bounds(entries["proxy"].times.started) == (10, 15)
    # regular containers start once it is: 30-35 s, the second after the first's postStart
    assert bounds(found.pod.main_start) == (30, 35)
    assert bounds(entries["first"].starts_at) == (30, 35)
    assert bounds(entries["second"].starts_at) == (33, 38)
    # both are reported Running when the batch's hooks are done: the first 3 s after its start
    assert entries["first"].times.gate == 3 and entries["second"].times.gate == 0
    # the second is Ready at its first readiness run, [0, 5) after its start
    assert bounds(entries["second"].ready_at) == (33, 43)
    # the proxy's readiness (period 10) runs once it is started: Ready [30, 45) on the Pod clock
    assert bounds(entries["proxy"].ready_at) == (30, 45)
    assert bounds(found.pod.ready) == (33, 45)


def test_a_sidecar_killed_at_start_blocks_the_pod():
    found = timeline(pod(SIDECAR_POD), start_times={"proxy": 60})
    assert found.pod.main_start is None and found.pod.ready is None
    codes = {v.code for v in found.verdicts.items}
    assert {"killed-every-start", "sidecar-blocks-init"} <= codes


def test_sidecars_stop_after_the_regular_containers():
    text = pod("""\
initContainers:
  - name: proxy
    image: example/proxy:1
    restartPolicy: Always
containers:
  - name: app
    image: example/app:1
    lifecycle:
      preStop:
        sleep: {seconds: 10}
""", spec="terminationGracePeriodSeconds: 30")
    found = timeline(text)
    entries = {e.container.name: e for e in found.pod.entries}
    assert bounds(entries["app"].stop.sigterm) == (10, 10)
    # the sidecar waits for the app to exit: at its SIGTERM at best, its SIGKILL at worst
    assert bounds(entries["proxy"].stop.sigterm) == (10, 30)
    assert bounds(found.pod.deletion) == (10, 32)


def test_a_post_start_hook_that_never_ends_blocks_the_containers_after_it():
    text = pod("""\
containers:
  - name: one
    image: example/app:1
    lifecycle:
      postStart:
        exec: {command: [sleep, infinity]}
    livenessProbe:
      tcpSocket: {port: 8080}
  - name: two
    image: example/app:1
""")
    found = timeline(text)
    one, two = found.pod.entries
    assert one.times.first_runs == {} and one.times.budget is None
    assert ("note_post_start_forever", {}) in one.settings.notes
    assert two.starts_at is None and two.blocked_by == "one" and two.stop is None
    assert found.pod.ready is None and found.pod.not_ready_because == "one"


def test_native_sidecars_before_1_29_are_not_timed():
    found = timeline(pod(SIDECAR_POD), kube_version="1.28")
    assert found.pod is None and ("note_sidecar_version", {}) in found.notes


def test_container_option_and_start_time_for_the_shown_container():
    found = timeline(pod(SIDECAR_POD), container="second", start_time=50)
    assert [e.container.name for e in found.shown] == ["second"]
    entries = {e.container.name: e for e in found.pod.entries}
    assert entries["second"].times.start_time == 50
    assert entries["first"].times.start_time is None


def test_config_start_times_prefer_object_and_container():
    found = timeline(deployment(LIVENESS_3S),
                     start_times={"app": 10, "web/app": 40})
    [main] = [e for e in found.pod.entries if e.container.name == "app"]
    assert main.times.start_time == 40 and main.times.start_source == "config"
    flag = timeline(deployment(LIVENESS_3S), start_time=5, start_times={"web/app": 40})
    assert flag.pod.entries[0].times.start_time == 5
    assert flag.pod.entries[0].times.start_source == "--start-time"


# --- rollouts ---------------------------------------------------------------------------------


READY_AFTER_20 = """\
containers:
  - name: app
    image: example/app:1
    readinessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 20
"""


@pytest.mark.parametrize(("spec", "surge", "unavailable", "waves"), [
    # defaults 25%/25% of 5: surge rounds up to 2, unavailable down to 1: 3 per wave
    ("replicas: 5", 2, 1, 2),
    ("replicas: 10\nstrategy:\n  rollingUpdate: {maxSurge: 0, maxUnavailable: 1}", 0, 1, 10),
    ("replicas: 4\nstrategy:\n  rollingUpdate: {maxSurge: 1, maxUnavailable: 1}", 1, 1, 2),
    # 10% of 3 rounds to 0 and 0: the controller allows 1 unavailable
    ("replicas: 3\nstrategy:\n  rollingUpdate: {maxSurge: 0, maxUnavailable: 10%}", 0, 0, 3),
    ("replicas: 3\nstrategy:\n  rollingUpdate: {maxUnavailable: 100%}", 1, 3, 1),
])
def test_deployment_rolling_update_waves(spec, surge, unavailable, waves):
    found = timeline(deployment(READY_AFTER_20, spec=f"{spec}\nminReadySeconds: 5"),
                     start_time=0)
    rollout = found.rollout
    assert (rollout.surge.pods, rollout.unavailable.pods, rollout.waves) == (
        surge, unavailable, waves)
    # a new Pod is available 20 s (readiness delay) + 5 s (minReadySeconds) after it starts
    assert bounds(rollout.available) == (25, 35)
    assert rollout.update_seconds == waves * 25
    assert rollout.create_seconds == 25


def test_deployment_recreate_waits_for_the_old_pods():
    hook = "    lifecycle:\n      preStop:\n        sleep: {seconds: 8}\n"
    text = deployment(READY_AFTER_20 + hook, spec="replicas: 3\nstrategy: {type: Recreate}")
    rollout = timeline(text).rollout
    assert rollout.update_seconds == 8 + 20
    assert (rollout.quiet_earliest, rollout.quiet_reason) == (20, "ready")


def test_progress_deadline_verdicts():
    late = deployment(READY_AFTER_20, spec="progressDeadlineSeconds: 15")
    [always] = [v for v in timeline(late).verdicts.items
                if v.code == "progress-deadline-exceeded"]
    assert always.certainty == "always" and always.statuses == ("ProgressDeadlineExceeded",)
    close = deployment(READY_AFTER_20, spec="progressDeadlineSeconds: 25")
    [possible] = [v for v in timeline(close).verdicts.items
                  if v.code == "progress-deadline-exceeded"]
    assert possible.certainty == "possible"  # Ready in [20, 30): late ticks pass 25 s
    fine = deployment(READY_AFTER_20, spec="progressDeadlineSeconds: 30")
    assert not [v for v in timeline(fine).verdicts.items if v.code.startswith("progress")]
    killed = timeline(deployment(LIVENESS_3S), start_time=60)
    [never] = [v for v in killed.verdicts.items if v.code == "progress-deadline-exceeded"]
    assert never.certainty == "always" and "ever becomes Ready" in never.message


@pytest.mark.parametrize(("version", "policy", "spec", "create", "update"), [
    # OrderedReady: one Pod after the other, each replaced one at a time (2 s shutdown + 20 s)
    ("1.35", "OrderedReady", "replicas: 3", 60, 3 * 2 + 3 * 20),
    ("1.35", "Parallel", "replicas: 3", 20, 3 * (2 + 20)),
    # maxUnavailable 2 (1.35+): Parallel replaces two at a time
    ("1.35", "Parallel", "replicas: 3\nupdateStrategy:\n  rollingUpdate: {maxUnavailable: 2}",
     20, 2 * (2 + 20)),
    # ... OrderedReady still creates them one at a time
    ("1.35", "OrderedReady",
     "replicas: 3\nupdateStrategy:\n  rollingUpdate: {maxUnavailable: 2}", 60, 2 * 2 + 3 * 20),
    # before 1.35 maxUnavailable is ignored
    ("1.34", "Parallel", "replicas: 3\nupdateStrategy:\n  rollingUpdate: {maxUnavailable: 2}",
     20, 3 * (2 + 20)),
    # partition 2 of 3: only the highest ordinal is replaced
    ("1.35", "OrderedReady", "replicas: 3\nupdateStrategy:\n  rollingUpdate: {partition: 2}",
     60, 2 + 20),
])
def test_statefulset_rollouts(version, policy, spec, create, update):
    containers = READY_AFTER_20 + "    lifecycle:\n      preStop:\n        sleep: {seconds: 2}\n"
    text = deployment(containers, spec=f"podManagementPolicy: {policy}\n{spec}",
                      kind="StatefulSet")
    rollout = timeline(text, kube_version=version).rollout
    assert (rollout.create_seconds, rollout.update_seconds) == (create, update)


@pytest.mark.parametrize(("update", "per_batch"), [
    ("", 2 + 20),  # maxUnavailable 1: the old Pod goes first (2 s), then the new one (20 s)
    ("updateStrategy:\n  rollingUpdate: {maxSurge: 1, maxUnavailable: 0}", 20),
])
def test_daemonset_batches(update, per_batch):
    containers = READY_AFTER_20 + "    lifecycle:\n      preStop:\n        sleep: {seconds: 2}\n"
    rollout = timeline(deployment(containers, spec=update, kind="DaemonSet")).rollout
    assert rollout.per_wave_seconds == per_batch


def test_daemonset_percentages_stay_unresolved():
    text = deployment(READY_AFTER_20, spec="updateStrategy:\n  rollingUpdate: "
                                          "{maxUnavailable: 10%}", kind="DaemonSet")
    budget = timeline(text).rollout.unavailable
    assert (budget.percent, budget.pods, budget.rounding) == (10, None, "up")


# --- verdicts mirroring the timing rules --------------------------------------------------------


def test_timing_verdicts():
    text = pod("""\
containers:
  - name: app
    image: example/app:1
    readinessProbe:
      httpGet: {path: /healthz, port: 8080}
      timeoutSeconds: 10
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      failureThreshold: 1
""")
    codes = {v.code for v in timeline(text).verdicts.items}
    assert codes == {"paced-by-timeout", "single-failure-restarts",
                     "liveness-before-readiness"}
