"""Checks of the restart area: restart policies per workload kind, Job failure policies,
container-level restartPolicy, commands that exit at once, liveness probes that cannot
restart anything.

Facts: research/k8s-semantics.md sections 2.2 (preStop runs only if the grace period is above
0), 7 (``ContainerRestartRules`` is alpha in 1.34) and 8 (a Job with ``podFailurePolicy`` must
use restartPolicy Never; under Always a container that exits is restarted with back-off).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..i18n import Items, Templates
from ..lazyregex import LazyPattern
from ..model import Container, PodSpec
from ..workloads import ALWAYS, ANY, JOB
from . import Fix, Violation, check
from .helpers.commands import (
    container_argv,
    executable_name,
    executed_word,
    run_in_shell,
    script_commands,
    shell_script,
    unsplit_fix,
)
from .helpers.values import quoted

POD_RESTART_POLICIES = ("Always", "OnFailure", "Never")
TEXTS = Templates("restart", {
    "rejects": "the API server rejects it",
    "must-always": (
        "{kind} pod templates must use restartPolicy Always; {value} is not accepted: {refused}"),
    "job-unset": (
        "{kind} pod template restartPolicy is not set, so it defaults to Always; a Job needs "
        "OnFailure or Never, anything else is refused: {refused}"),
    "job-value": (
        "{kind} pod template restartPolicy is {value}; a Job needs OnFailure or Never, anything "
        "else is refused: {refused}"),
    "not-one-of": "restartPolicy {value} is not one of {policies}; {refused}",
    "failure-policy-unset": (
        "{kind} sets podFailurePolicy but its pod template has no restartPolicy (it defaults to "
        "Always); with podFailurePolicy the API server accepts only restartPolicy \"Never\""),
    "failure-policy": (
        "restartPolicy {value} with podFailurePolicy in this {kind}: the API server accepts only "
        "\"Never\" when podFailurePolicy is set (a container restarted in place never fails the "
        "Pod, so the policy could not see it)"),
    "regular-container": (
        "restartPolicy {value} is set on regular container {container}; before 1.34 only init "
        "containers may set it (restartPolicy: Always makes a native sidecar) and the API server "
        "rejects it (Forbidden: may not be set for non-init containers)"),
    "exits-at-once": (
        "command of container {container} ({command}) exits at once, and restartPolicy is Always: "
        "the container ends \"Completed\", is started again, and loops in CrashLoopBackOff"),
    "after-job": (
        "the Pod ends Failed and the Job counts it against backoffLimit (a new Pod starts from "
        "scratch)"),
    "after-pod": "the Pod ends Failed and nothing brings it back",
    "liveness-never": (
        "livenessProbe of container {container} with pod restartPolicy \"Never\": when the probe "
        "fails the kubelet kills the container and does not restart it; {after}"),
    "unsplit": (
        "{field} ({word}) of container {container} is run as one executable name, spaces "
        "included, without a shell, so it is never found: {consequence}{restart}{fix}"),
    "by-runtime": (
        "the container runtime cannot start the container (\"executable file not found\": "
        "RunContainerError)"),
    "by-wrapper": "{wrapper} cannot run it and exits with an error as soon as it starts",
    "restarted": ", and the kubelet restarts it with back-off (CrashLoopBackOff)",
    "not-restarted": "; with restartPolicy Never the Pod ends Failed",
})
# Programs that print or do nothing and exit 0 at once, whatever their arguments.
_INSTANT_PROGRAMS = frozenset({"echo", "printf", "true"})
_INSTANT_SHELL_COMMAND = LazyPattern(r"(?:echo|printf|true|:)(?:\s.*)?|exit(?:\s+0)?", re.S)


@check("restart-policy-for-kind", scope="pod")
def restart_policy_for_kind(pod: PodSpec, params: dict) -> Iterator[Violation]:
    explicit = pod.data.get("restartPolicy")
    effective = pod.restart_policy
    path = pod.path + ("restartPolicy",)
    kind = pod.kind
    restart = pod.workload.restart
    # Kubernetes' own kinds check restartPolicy with the object (even StatefulSet, whose pod
    # template is otherwise not validated: ValidateStatefulSetSpec checks this field itself),
    # so it stays Rejected there; an operator's Pods or Jobs are refused later (FailedCreate).
    refused = TEXTS("rejects") if pod.workload.core else pod.workload.refusal()
    statuses = ("Rejected",) if pod.workload.core else None  # None: the engine's FailedCreate
    if restart == ALWAYS:
        if explicit is not None and explicit != "Always":
            yield Violation(path, TEXTS("must-always", kind=kind, value=quoted(explicit),
                                        refused=refused), statuses=statuses)
    elif restart == JOB:
        if effective not in ("OnFailure", "Never"):
            yield Violation(path, TEXTS("job-unset" if explicit is None else "job-value",
                                        kind=kind, value=quoted(explicit), refused=refused),
                            on_key=explicit is None, fix=_on_failure(path, explicit),
                            statuses=statuses)
    elif restart == ANY and explicit is not None and explicit not in POD_RESTART_POLICIES:
        yield Violation(path, TEXTS("not-one-of", value=quoted(explicit),
                                    policies=Items(POD_RESTART_POLICIES), refused=refused),
                        statuses=statuses)


def _on_failure(path: tuple, explicit: object) -> Fix | None:
    """A Job's restart policy written as Always, or left to default to it, becomes
    OnFailure (the retry a Job author most often means); other values are left alone."""
    if explicit is None:
        return Fix("add-key", path, "OnFailure")
    if explicit == "Always":
        return Fix("replace-value", path, "OnFailure")
    return None


def _job_spec(pod: PodSpec) -> dict | None:
    """The JobSpec that holds ``pod`` (Job: spec; CronJob: spec.jobTemplate.spec)."""
    relative = pod.path[len(pod.obj.path):]
    if len(relative) < 3 or relative[-2:] != ("template", "spec"):
        return None
    node = pod.obj.data
    for step in relative[:-2]:
        node = node.get(step) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


@check("pod-failure-policy-restart-policy", scope="pod")
def pod_failure_policy_restart_policy(pod: PodSpec, params: dict) -> Iterator[Violation]:
    if pod.workload.restart != JOB:
        return
    job = _job_spec(pod)
    if job is None or not isinstance(job.get("podFailurePolicy"), dict):
        return
    explicit = pod.data.get("restartPolicy")
    if explicit == "Never":
        return
    if explicit is None:
        yield Violation(
            pod.path[:-2] + ("podFailurePolicy",),
            TEXTS("failure-policy-unset", kind=pod.kind),
            on_key=True,
        )
        return
    yield Violation(
        pod.path + ("restartPolicy",),
        TEXTS("failure-policy", value=quoted(explicit), kind=pod.kind),
    )


@check("container-restart-policy-regular", scope="container")
def container_restart_policy_regular(container: Container, params: dict) -> Iterator[Violation]:
    if container.role != "container" or container.data.get("restartPolicy") is None:
        return
    value = container.data["restartPolicy"]
    yield Violation(
        container.path + ("restartPolicy",),
        TEXTS("regular-container", value=quoted(value), container=quoted(container.name)),
        on_key=True,
    )


def exits_at_once(argv: list[str]) -> bool:
    """True only for commands that certainly finish immediately: echo, printf, true."""
    if executable_name(argv[0]) in _INSTANT_PROGRAMS:
        return True
    script = shell_script(argv)
    if script is None:
        return False
    commands = script_commands(script)
    if not commands:
        return False
    return all(_INSTANT_SHELL_COMMAND.fullmatch(command) for command in commands)


@check("command-exits-immediately", scope="container")
def command_exits_immediately(container: Container, params: dict) -> Iterator[Violation]:
    pod = container.pod
    if container.role != "container" or pod.workload.long_running is False:
        return
    if pod.restart_policy != "Always":
        return
    argv = container_argv(container.data)
    if argv is None or not exits_at_once(argv):
        return
    shown = " ".join(argv)
    yield Violation(
        container.path + ("command",),
        TEXTS("exits-at-once", container=quoted(container.name), command=quoted(shown)),
    )


@check("liveness-probe-restart-never", scope="container")
def liveness_probe_restart_never(container: Container, params: dict) -> Iterator[Violation]:
    if container.role != "container":
        return  # a native sidecar restarts on its own, whatever the pod restartPolicy
    pod = container.pod
    if pod.workload.restart == ALWAYS:
        return  # Never is rejected there (restart-policy-for-kind)
    if pod.restart_policy != "Never" or not isinstance(container.data.get("livenessProbe"), dict):
        return
    after = TEXTS("after-job" if pod.workload.restart == JOB else "after-pod")
    yield Violation(
        container.path + ("livenessProbe",),
        TEXTS("liveness-never", container=quoted(container.name), after=after),
        on_key=True,
    )


@check("container-command-unsplit", scope="container")
def container_command_unsplit(container: Container, params: dict) -> Iterator[Violation]:
    """The word of ``command`` + ``args`` that is executed holds spaces: no shell splits it
    (``generateContainerConfig`` hands command and args to the runtime as an argv, and runc
    looks the first item up as a file name)."""
    if container.role == "ephemeral":
        return
    command = container.data.get("command")
    if not isinstance(command, list) or not command:
        return  # the image's entrypoint runs, with args: what it does with them is unknown
    args = container.data.get("args")
    argv = command + (args if isinstance(args, list) else [])
    index = executed_word(argv)
    if index is None or index >= len(argv) or not re.search(r"\s", argv[index]):
        return
    word = argv[index]
    if index < len(command):
        key, position = "command", index
    else:
        key, position = "args", index - len(command)
    if index == 0:
        consequence = TEXTS("by-runtime")
    else:
        consequence = TEXTS("by-wrapper", wrapper=quoted(executable_name(argv[0])))
    policy = container.pod.restart_policy
    if container.role == "sidecar" or policy in ("Always", "OnFailure"):
        restart = TEXTS("restarted")
    elif policy == "Never":
        restart = TEXTS("not-restarted")
    else:
        restart = ""
    # Only a lone command item becomes a shell line: with args, or behind a wrapper, the
    # other words would change meaning under `sh -c`.
    shell = (run_in_shell(container.path + (key, position), word)
             if index == 0 and len(command) == 1 and not args else None)
    yield Violation(
        container.path + (key, position),
        TEXTS("unsplit", field=f"{key}[{position}]", word=quoted(word),
              container=quoted(container.name), consequence=consequence, restart=restart,
              fix=unsplit_fix(word)),
        fix=shell,
    )
