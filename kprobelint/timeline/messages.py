"""Every sentence a timeline prints, as a template with named parameters.

Renderers never build sentences from fragments: they pick a template here and fill it, so the
whole report is translated by translating this table (and the texts in :mod:`.basis`): see
``kprobelint/i18n/zh/timeline.yaml``. A report is rendered in the current language.
"""
from __future__ import annotations

from ..i18n import Templates

TEXTS = Templates("timeline", {
    # --- verdicts ------------------------------------------------------------------------
    "killed_every_start": (
        "with a {start} start the {probe} kills container {container} at {kill}, before it is "
        "up: {status}, on every start"),
    "killed_every_start_never": (
        "with a {start} start the {probe} kills container {container} at {kill}, before it is "
        "up; restartPolicy is Never, so it stays down and the Pod ends Failed"),
    "killed_some_starts": (
        "with a {start} start the {probe} kills container {container} on some starts: a start "
        "of up to {survives} always survives, one of {killed} or more never does, and in "
        "between it depends on when the probe's ticks fall: {status}"),
    "sidecar_blocks_init": (
        "native sidecar {container} is killed before it has started, so the containers after "
        "it never start: Init:CrashLoopBackOff"),
    "deadline_never_ready": (
        "no new Pod ever becomes Ready ({why}): the rollout reports ProgressDeadlineExceeded "
        "{deadline} after it starts"),
    "deadline_always": (
        "a new Pod cannot be Ready before {quiet} ({reason}), longer than "
        "progressDeadlineSeconds ({deadline}): every rollout reports ProgressDeadlineExceeded"),
    "deadline_possible": (
        "a new Pod can take up to {quiet} to be Ready ({reason}), longer than "
        "progressDeadlineSeconds ({deadline}): a rollout reports ProgressDeadlineExceeded when "
        "the probes' ticks fall late"),
    "paced_by_timeout": (
        "{probe}.timeoutSeconds ({timeout}) of container {container} is not below "
        "periodSeconds ({period}): while it times out the probe runs back to back, every "
        "{interval}, instead of every {period}"),
    "liveness_first": (
        "on the endpoint both probe, the livenessProbe of container {container} restarts it "
        "after a stall of {live} at most, no later than the readinessProbe takes it out of "
        "rotation ({ready}): an overloaded container is restarted, not relieved"),
    "single_failure": (
        "livenessProbe.failureThreshold of container {container} is 1: any failed probe "
        "restarts the container"),
    # --- conditions a verdict depends on ---------------------------------------------------
    "cond_start_given": "start time {start} of container {container} ({source})",
    "cond_app_at_once": "every application up as soon as its container runs (no start time)",
    "cond_probe_phase": "when the probes' ticks fall (their phase is unknown)",
    "cond_not_counted": "scheduling, image pulls and volume mounts not counted",
    # --- reasons ---------------------------------------------------------------------------
    "reason_ready": "its time to Ready",
    "reason_min_ready": "minReadySeconds",
    "reason_shutdown": "the old Pods' shutdown under Recreate",
    "why_killed": "container {container} is killed before it is up",
    "why_blocked": "container {container} never becomes Ready",
    # --- notes -----------------------------------------------------------------------------
    "note_sleep_dropped": (
        "lifecycle.{hook}.sleep is dropped by the API server before 1.30 "
        "(PodLifecycleSleepAction): not counted"),
    "note_probe_untimed": (
        "{probe}.{field} is not a non-negative integer (the API server rejects it): that probe "
        "is not timed"),
    "note_statefulset_max_unavailable": (
        "updateStrategy.rollingUpdate.maxUnavailable is honoured only from 1.35 "
        "(MaxUnavailableStatefulSet): Pods are replaced one at a time"),
    "note_sidecar_version": (
        "native sidecars (initContainers with restartPolicy: Always) need Kubernetes 1.29: "
        "this Pod is rejected before that (native-sidecar-unsupported), no timeline"),
    "note_hook_unknown": (
        "how long lifecycle.{hook} ({handler}) runs is not known: counted as {seconds}, the "
        "least it takes"),
    "note_no_grace": (
        "terminationGracePeriodSeconds is not a non-negative integer: stopping is not timed"),
    "note_post_start_forever": (
        "lifecycle.postStart never ends: the container is never reported Running"),
    "note_deadline_none": "progressDeadlineSeconds is the maximum int32: no deadline",
    # --- text report -----------------------------------------------------------------------
    "header": "{object}  ({where})",
    "header_helm": "{where}, from {source}",
    "header_pod": "kube {kube} · restartPolicy {restart} · terminationGracePeriodSeconds {grace}",
    "container_line": "{role} {name}: {start}",
    "start_given": "start time {start} ({source})",
    "start_none": "no start time: the application is taken to be up at once",
    "init_run_given": "runs {start} ({source})",
    "init_run_none": "run time not given: counted as 0s",
    "role_container": "container",
    "role_sidecar": "sidecar",
    "role_init": "init container",
    "role_ephemeral": "ephemeral",
    "col_first": "first run",
    "col_period": "every",
    "col_timeout": "timeout",
    "col_thresholds": "thresholds",
    "thresholds": "fail {failure}, succeed {success}",
    "never_runs": "never",
    "budget_line": (
        "a start of up to {survives} survives, one of {killed} or more is killed by the "
        "{probe} {kill} after the container starts"),
    "budget_none": "no startup or liveness probe: a slow start is never killed",
    "starts_at": "starts {at} into the Pod",
    "ready_line": "{ready} after it starts, {pod} into the Pod",
    "ready_no_probe": (
        "{ready} after it starts, {pod} into the Pod: without a readinessProbe it is Ready as "
        "soon as it runs, whether the application is up or not"),
    "never_ready": "never Ready: it is killed before it is up",
    "never_starts": "never starts: container {container} before it never finishes starting",
    "stall_readiness": (
        "out of Services after a stall longer than {shortest}; surely after {fast}, or "
        "{hanging} when the probes hang"),
    "stall_liveness": (
        "restarted after a stall longer than {shortest}; surely after {fast}, or {hanging} "
        "when the probes hang"),
    "restarts_line": "at once, then after {waits} … (reset by a run of {reset})",
    "restarts_never": "restartPolicy Never: a killed container is not restarted",
    "stop_line": "deleted: {pre_stop}SIGTERM at {sigterm}, SIGKILL at {sigkill}",
    "stop_probe_line": "killed by the {probe}: SIGTERM at {sigterm}, SIGKILL at {sigkill}",
    "pre_stop": "preStop {handler} {seconds}, ",
    "pre_stop_unknown": "preStop {handler} (at least {seconds}), ",
    "pod_ready": "Ready {ready} after its first container starts",
    "pod_never_ready": "never Ready: container {container} is never Ready",
    "pod_deletion": "kubectl delete waits {window} (all exit at SIGTERM … last SIGKILL)",
    "rollout_deployment": (
        "{strategy}, {replicas} replicas: maxSurge {surge}, maxUnavailable {unavailable}"),
    "rollout_recreate": "Recreate, {replicas} replicas: old Pods stop, then new ones start",
    "rollout_statefulset": (
        "{strategy}, {replicas} replicas, podManagementPolicy {policy}, partition "
        "{partition}, maxUnavailable {unavailable}"),
    "rollout_daemonset": "{strategy}: maxUnavailable {unavailable}, maxSurge {surge} per node",
    "rollout_simple": "{replicas} replicas, no rolling update",
    "rollout_times": "at best: new object {create}, update {update}",
    "rollout_waves": "at best: new object {create}, update {waves} × {each} = {update}",
    "rollout_batches": "at best {each} per batch of nodes; N nodes take ceil(N / batch) × {each}",
    "rollout_never": "no new Pod becomes available: the rollout never completes",
    "rollout_on_delete": "OnDelete: Pods are replaced only when you delete them",
    "deadline_line": (
        "progressDeadlineSeconds {deadline}: longest wait for progress {quiet} ({reason})"),
    "budget_resolved": "{written} → {pods} ({rounding})",
    "rounded_up": "rounded up",
    "rounded_down": "rounded down",
    "budget_percent_nodes": "{written} of the nodes (rounded up)",
    "default_mark": "{value} (default)",
    "verdicts_head": "verdicts",
    "verdict_always": "always",
    "verdict_possible": "possible",
    "verdict_note": "note",
    "depends_on": "depends on: {conditions}",
    "separator": "; ",
    "basis_head": "Based on (kubelet and controller behaviour, with sources):",
    "basis_line": "[{number}] {id}: {text} ({source})",
    "summary": (
        "{workloads} workload(s), {containers} container(s); {always} certain and {possible} "
        "possible problem(s)"),
    "nothing": "no workload with a Pod template found",
    "axis_label": "axis",
    "label_begins": "starts",
    "label_budget": "budget",
    "label_ready": "ready",
    "label_stall": "stall",
    "label_restarts": "restarts",
    "label_stop": "stop",
    "label_probes": "probes",
    "label_pod": "pod",
    "label_blank": "",
    "label_rollout": "rollout",
    "axis_app_up": "app up",
    "axis_killed": "killed",
    "axis_ready": "ready",
})


def render(key: str, **params: object) -> str:
    """The text of ``key`` in the current language."""
    return TEXTS.text(key, **params)
