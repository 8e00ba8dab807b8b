"""What every number of a timeline rests on: the kubelet and controller behaviour, with sources.

Each computed figure carries the ids of the entries it uses (its ``basis``); the text report
cites them by id and the JSON report includes the whole table, so a reader can check any
number against the Kubernetes source it comes from. Files are in kubernetes/kubernetes unless
said otherwise; function names are given rather than lines, as lines move between releases.
The texts are plain sentences without parameters, translated as they are (``basis`` in the
language catalogues); sources are code paths and stay as they are.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Templates


@dataclass(frozen=True)
class Basis:
    text: str
    source: str


BASIS: dict[str, Basis] = {
    "probe-ticker": Basis(
        "Each probe has a worker that the kubelet starts when it admits the Pod, before the "
        "container exists. The worker probes once at start and then on a ticker of "
        "periodSeconds; it skips every tick before the container has run initialDelaySeconds. "
        "The ticks' phase relative to the container's start is therefore unknown, and a "
        "probe first runs at some time in [initialDelaySeconds, initialDelaySeconds + "
        "periodSeconds). After a kubelet restart the worker first sleeps a random part of a "
        "period; that moves the phase, not the bounds.",
        "pkg/kubelet/prober/prober_manager.go AddPod; pkg/kubelet/prober/worker.go run, "
        "doProbe"),
    "initial-delay-from-start": Basis(
        "initialDelaySeconds counts from the container's start (its StartedAt), for liveness "
        "and readiness probes behind a startup probe too: the delay does not restart when the "
        "startup probe succeeds.",
        "pkg/kubelet/prober/worker.go doProbe (time.Since(c.State.Running.StartedAt) < "
        "InitialDelaySeconds)"),
    "startup-gate": Basis(
        "Until the startup probe has succeeded once, the liveness and readiness workers skip "
        "their ticks; a container without a startup probe counts as started as soon as it "
        "runs. The startup probe stops once it has succeeded.",
        "pkg/kubelet/prober/worker.go doProbe (c.Started); prober_manager.go UpdatePodStatus"),
    "thresholds": Basis(
        "A probe changes the container's state only after failureThreshold consecutive "
        "failures, or successThreshold consecutive successes; successThreshold is always 1 "
        "for liveness and startup probes (API validation).",
        "pkg/kubelet/prober/worker.go doProbe (resultRun); "
        "pkg/apis/core/validation/validation.go validateProbe"),
    "app-start": Basis(
        "Model assumption: before the application is up (its start time) every probe fails "
        "at once (connection refused, non-zero exit); from then on every probe succeeds.",
        "kprobelint modelling assumption"),
    "probe-kill": Basis(
        "When the startup or liveness probe reaches failureThreshold, the kubelet kills the "
        "container (Killing event, \"failed liveness probe, will be restarted\") and the "
        "worker holds until a new container appears.",
        "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions; "
        "pkg/kubelet/prober/worker.go doProbe (onHold)"),
    "readiness-start": Basis(
        "A readiness probe starts as Failure: the container is not Ready before the probe "
        "has succeeded successThreshold times in a row. A started container without a "
        "readiness probe is Ready at once. Since 1.21 (1.22 behind a startup probe) the "
        "kubelet also runs the readiness probe at once when it sees a started container that "
        "is not Ready: that makes the "
        "early end of a window likelier without moving its bounds, except that with "
        "successThreshold above 1 such extra runs can make Ready come sooner.",
        "pkg/kubelet/prober/worker.go newWorker (initialValue); prober_manager.go "
        "UpdatePodStatus (manualTriggerCh; kubernetes#98376, #101738)"),
    "timeout-pacing": Basis(
        "A probe that gets no answer fails after timeoutSeconds. The next attempt starts at "
        "the next tick, or at once when a tick passed meanwhile (the Go ticker keeps one), so "
        "probes that time out run every max(periodSeconds, timeoutSeconds).",
        "pkg/kubelet/prober/worker.go run (time.NewTicker); pkg/probe/http, tcp, exec"),
    "exec-timeout": Basis(
        "An exec probe's timeoutSeconds is enforced since 1.20 (ExecProbeTimeout, GA 1.20); "
        "before that a hanging exec probe never fails.",
        "pkg/features/kube_features.go ExecProbeTimeout; docs "
        "configure-liveness-readiness-startup-probes"),
    "post-start": Basis(
        "postStart runs synchronously after the container starts; the kubelet reports the "
        "container Running, so its probes can act, only once the hook is done, and starts "
        "the Pod's next container after it. Only a sleep action's length is known (1.30+); "
        "an exec hook running sleep N lasts at least N s; any other hook is counted as 0 s.",
        "pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer; "
        "pkg/kubelet/lifecycle/handlers.go"),
    "init-order": Basis(
        "Init containers start one at a time, in order: a regular one must exit before the "
        "next starts; a native sidecar (restartPolicy: Always) must be started (startup "
        "probe succeeded, or running when it has none) before the next starts. Regular "
        "containers start, one after the other, once every init container is done.",
        "pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions; "
        "kuberuntime_manager.go SyncPod"),
    "pod-ready": Basis(
        "The Pod is Ready when every regular container and every native sidecar is Ready.",
        "pkg/kubelet/status/generate.go GeneratePodReadyCondition; docs sidecar-containers"),
    "not-counted": Basis(
        "Not counted, as they only add time: scheduling, image pulls, volume mounts, sandbox "
        "creation, the kubelet's pod-sync and status delays (PLEG relists every second) and "
        "the propagation of Ready to EndpointSlices and Services. Times are measured from "
        "the start of the Pod's first container.",
        "pkg/kubelet/pleg/generic.go (relist period); pkg/kubelet/kubelet.go SyncPod"),
    "kill-sequence": Basis(
        "Stopping a container: preStop runs first, only when the grace period is above 0, "
        "and is waited for at most the grace period; what is left of the grace period, but "
        "at least 2 s, goes to the runtime as the stop timeout: SIGTERM (or the image's "
        "STOPSIGNAL), then SIGKILL.",
        "pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, executePreStopHook; "
        "kuberuntime_manager.go minimumGracePeriodInSeconds"),
    "grace-source": Basis(
        "The grace period is the deletion's (the Pod's terminationGracePeriodSeconds, "
        "default 30, unless kubectl delete --grace-period sets another); for a kill by the "
        "startup or liveness probe it is that probe's terminationGracePeriodSeconds when set "
        "(1.25+), else the Pod's.",
        "pkg/kubelet/kuberuntime/kuberuntime_container.go setTerminationGracePeriod; "
        "pkg/apis/core/v1/defaults.go"),
    "sidecar-stop-order": Basis(
        "On deletion, native sidecars get their stop signal only after the regular "
        "containers have stopped (later sidecars first), within the same grace period; their "
        "preStop hooks start at once.",
        "pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer (terminationOrdering "
        "waitForTurn); kuberuntime_termination_order.go"),
    "crash-backoff": Basis(
        "After a container exits, the first restart is immediate; each later one waits 10 s, "
        "doubling up to 300 s, counted from the exit; the wait starts over after a run of "
        "more than 600 s. No jitter. The restart itself happens at the kubelet's next sync of "
        "the Pod after the wait, so the waits are the earliest restart times. The alpha gate "
        "ReduceDefaultCrashLoopBackOffDecay (1.33+, 1 s to 60 s) and a node's "
        "crashLoopBackOff.maxContainerRestartPeriod (KubeletCrashLoopBackOffMax, beta in "
        "1.35) change the numbers on nodes that enable them; both are off by default.",
        "pkg/kubelet/kubelet.go initialCrashLoopBackOff, MaxCrashLoopBackOff, "
        "newCrashLoopBackOff, HasExpiredFunc; pkg/kubelet/kuberuntime/kuberuntime_manager.go "
        "doBackOff; staging/src/k8s.io/client-go/util/flowcontrol/backoff.go Next"),
    "restart-policy": Basis(
        "A killed container is restarted under restartPolicy Always or OnFailure, and a "
        "native sidecar always; under Never it stays terminated and the Pod ends Failed.",
        "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions; docs pod-lifecycle"),
    "deployment-waves": Basis(
        "Deployment RollingUpdate: maxSurge rounds up and maxUnavailable rounds down against "
        "replicas (both 0 makes maxUnavailable 1); the controller keeps at most replicas + "
        "maxSurge Pods and at least replicas - maxUnavailable available Pods, so at best "
        "each wave replaces maxSurge + maxUnavailable Pods and lasts until the new ones are "
        "available (Ready for minReadySeconds). Pods that are terminating do not count, so "
        "old Pods' shutdown is not on the way. A new Deployment creates all its Pods at once.",
        "pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, "
        "NewRSNewReplicas; pkg/controller/deployment/rolling.go reconcileNewReplicaSet, "
        "reconcileOldReplicaSets"),
    "deployment-recreate": Basis(
        "Deployment Recreate: the new Pods are created only once every old Pod has "
        "stopped.",
        "pkg/controller/deployment/recreate.go rolloutRecreate, oldPodsRunning"),
    "progress-deadline": Basis(
        "A Deployment's Progressing condition turns False with reason "
        "ProgressDeadlineExceeded when no progress (a new Pod created, one more Pod Ready or "
        "available, an old Pod scaled down) is seen for more than progressDeadlineSeconds "
        "(default 600 in apps/v1). The longest quiet stretch of a rollout is the time a new "
        "Pod takes to become Ready, or minReadySeconds, or, with Recreate, the old Pods' "
        "shutdown.",
        "pkg/controller/deployment/util/deployment_util.go DeploymentProgressing, "
        "DeploymentTimedOut; pkg/controller/deployment/progress.go syncRolloutStatus"),
    "statefulset-order": Basis(
        "StatefulSet: OrderedReady creates Pods one at a time, each once its predecessor is "
        "Running and available; Parallel creates them together. RollingUpdate replaces Pods "
        "from the highest ordinal down to the partition: a Pod is deleted, its replacement is "
        "created once it is gone and must be available before the next; with maxUnavailable "
        "(1.35+, MaxUnavailableStatefulSet beta, rounded up) that many at a time, though "
        "OrderedReady still creates the replacements one at a time. OnDelete replaces "
        "nothing by itself.",
        "pkg/controller/statefulset/stateful_set_control.go updateStatefulSet, processReplica, "
        "updateStatefulSetAfterInvariantEstablished; pkg/apis/apps/v1/defaults.go"),
    "daemonset-update": Basis(
        "DaemonSet RollingUpdate works node by node: with maxSurge 0 the old Pod is deleted "
        "and the new one is created once the old one is gone; with maxSurge the new Pod "
        "starts beside the old one, which is deleted once the new one is available. Both "
        "limits round up against the number of nodes; the DaemonSet API has no progress "
        "deadline.",
        "pkg/controller/daemon/update.go rollingUpdate; pkg/controller/daemon/util "
        "SurgeCount, UnavailableCount; daemon_controller.go podsShouldBeOnNode"),
}


TEXTS = Templates("basis", {key: entry.text for key, entry in BASIS.items()})


def basis_text(key: str) -> str:
    """The text of entry ``key`` in the current language."""
    return TEXTS.text(key)


def describe(ids: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """The entries ``ids`` name, for a report."""
    return [{"id": i, "text": basis_text(i), "source": BASIS[i].source} for i in ids]
