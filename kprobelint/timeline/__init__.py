"""``kprobelint timeline``: when each container of a workload starts, is probed, becomes Ready,
is taken out of Services or restarted, and stops; how fast a rollout can go at best.

Layout: :mod:`.settings` reads effective values through :mod:`kprobelint.model`;
:mod:`.container`, :mod:`.pod` and :mod:`.rollout` compute; :mod:`.verdicts` turns the numbers
into predictions with statuses; :mod:`.text` and :mod:`.json` render; :mod:`.messages` holds
every sentence as a template; :mod:`.basis` is the table of behaviours below, which every
figure cites by id.

The numbers rest on these behaviours, read in the kubernetes/kubernetes source (files under
``pkg/``; functions named because lines move) and in research/k8s-semantics.md section 4:

* First probe (``probe-ticker``, ``initial-delay-from-start``): a probe worker starts at Pod
  admission (prober_manager.go ``AddPod``), probes once, then on a ``periodSeconds`` ticker
  (worker.go ``run``), skipping ticks until the container has run ``initialDelaySeconds``
  (worker.go ``doProbe``, measured from ``StartedAt``, also behind a startup probe). The tick
  phase is unknown, so a first run lies in ``[delay, delay + period)``; the random sleep after
  a kubelet restart (``run``) moves the phase only. With the alpha gate MutableContainerProbes
  (1.38, off by default) workers start with the container and the first run is exactly at the
  delay; not modelled.
* Gating and thresholds (``startup-gate``, ``thresholds``): liveness and readiness skip ticks
  until the startup probe has succeeded; a state changes after ``failureThreshold`` /
  ``successThreshold`` results in a row (worker.go ``doProbe``, ``resultRun``).
* Kills (``probe-kill``, ``app-start``): at ``failureThreshold`` failures of a startup or
  liveness probe the container is killed (kuberuntime_manager.go ``computePodActions``) and the
  worker holds (``onHold``). Modelling assumption: probes fail at once before the application
  is up and succeed after, so a start of up to ``max(delay, postStart) + (failure - 1) *
  period`` always survives and one of ``max(delay, postStart) + failure * period`` or more is
  always killed (the latter is the budget KPL129 compares).
* Readiness (``readiness-start``): starts as Failure; without a probe a started container is
  Ready (prober_manager.go ``UpdatePodStatus``); the manual trigger there (1.21+, 1.22+ behind
  a startup probe; kubernetes#98376/#101738) runs it early without moving the bounds.
* Stalls (``timeout-pacing``, ``exec-timeout``): a stall acts after ``(failure - 1) * period``
  at the soonest, surely after ``failure * period`` when probes fail at once, or ``period +
  (failure - 1) * max(period, timeout) + timeout`` when they hang (Go ticker keeps one tick);
  exec timeouts are enforced from 1.20 (ExecProbeTimeout).
* Start order (``post-start``, ``init-order``, ``pod-ready``): kuberuntime_container.go
  ``startContainer`` runs postStart synchronously; ``computeInitContainerActions`` starts init
  containers one at a time, sidecars must be started before the next; the Pod is Ready when all
  regular containers and sidecars are (status/generate.go).
* Stopping (``kill-sequence``, ``grace-source``, ``sidecar-stop-order``): kuberuntime_container.go
  ``killContainer``: preStop only when the grace period is above 0, waited for at most the
  grace period (``executePreStopHook``, whole seconds), then the rest but at least 2 s
  (``minimumGracePeriodInSeconds``) to SIGTERM before SIGKILL; ``setTerminationGracePeriod``
  picks the probe's grace period for probe kills (1.25+); sidecars stop after the regular
  containers (``terminationOrdering``).
* Restarts (``crash-backoff``, ``restart-policy``): first restart at once, then 10 s doubling to
  300 s, reset after a run of over 600 s (kubelet.go ``initialCrashLoopBackOff``,
  ``MaxCrashLoopBackOff``, ``HasExpiredFunc``; kuberuntime_manager.go ``doBackOff``;
  client-go flowcontrol ``Backoff.Next``); the same at every version by default, since
  ReduceDefaultCrashLoopBackOffDecay (1.33) is alpha and KubeletCrashLoopBackOffMax (beta
  1.35) only applies a node's own setting.
* Rollouts (``deployment-waves``, ``deployment-recreate``, ``progress-deadline``,
  ``statefulset-order``, ``daemonset-update``): deployment/util ``ResolveFenceposts``,
  ``DeploymentProgressing``, ``DeploymentTimedOut``; rolling.go; recreate.go;
  stateful_set_control.go; daemon/util ``SurgeCount``, ``UnavailableCount``; apps/v1 defaults
  (25 %/25 %, progressDeadlineSeconds 600, OrderedReady, DaemonSet maxUnavailable 1).
* Not counted (``not-counted``): scheduling, image pulls, mounts, sandbox creation, sync and
  status lag (about a second, PLEG relist), endpoint propagation: they only add time.

Version dependence (``--kube-version``, 1.18 or later, :class:`.settings.Features`): exec
probe timeouts from 1.20, DaemonSet maxSurge from 1.22, probe
terminationGracePeriodSeconds from 1.25, native sidecars from 1.29, the sleep action from 1.30,
StatefulSet maxUnavailable from 1.35.
"""
# Nothing is imported here: the configuration reads .durations on every run, and must not pay
# for the rest of the package.
