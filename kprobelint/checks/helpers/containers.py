"""Containers and volumes of a pod spec, as messages name them, and what a refused pod spec
leads to."""
from __future__ import annotations

from ...i18n import Message, Templates
from ...model import Container, PodSpec, containers_of
from .values import as_dict, as_list, quoted

TEXTS = Templates("containers", {"container": "container {name}"})


def label(container: Container) -> Message:
    """``container "web"``, for messages."""
    return TEXTS("container", name=quoted(container.name))


def creatable(pod: PodSpec) -> list[Container]:
    """The containers created with the Pod (ephemeral ones cannot be: another rule says so)."""
    return [c for c in containers_of(pod) if c.role != "ephemeral"]


def refusal(pod: PodSpec) -> Message:
    """What happens to a pod spec the API server's validation refuses."""
    return pod.workload.refusal()


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
