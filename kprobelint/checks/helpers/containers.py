"""Containers and volumes of a pod spec, as messages name them, and what a refused pod spec
leads to."""
from __future__ import annotations

from ...model import Container, PodSpec, containers_of
from .values import as_dict, as_list, quoted

# Kinds whose pod template the API server validates like a Pod when the object is created.
VALIDATED_TEMPLATE_KINDS = frozenset(
    {"Pod", "PodTemplate", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet",
     "Job", "CronJob"}
)


def label(container: Container) -> str:
    """``container "web"``, for messages."""
    return f"container {quoted(container.name)}"


def creatable(pod: PodSpec) -> list[Container]:
    """The containers created with the Pod (ephemeral ones cannot be: another rule says so)."""
    return [c for c in containers_of(pod) if c.role != "ephemeral"]


def refusal(pod: PodSpec) -> str:
    """What happens to a pod spec the API server's validation refuses."""
    kind = pod.kind
    if kind in VALIDATED_TEMPLATE_KINDS:
        return f"the API server rejects the {kind}"
    if kind == "StatefulSet":
        return ("the API server accepts the StatefulSet (it does not validate its pod template) "
                "but refuses every Pod the controller creates (FailedCreate events)")
    return f"the API server refuses the Pods the {kind} controller creates"


def claim_templates(pod: PodSpec) -> set[str]:
    if pod.kind != "StatefulSet":
        return set()
    spec = as_dict(pod.obj.data.get("spec"))
    names = set()
    for template in as_list(spec.get("volumeClaimTemplates")):
        meta = as_dict(template.get("metadata")) if isinstance(template, dict) else {}
        if isinstance(meta.get("name"), str):
            names.add(meta["name"])
    return names
