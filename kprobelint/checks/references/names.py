"""Checks on names within a pod spec: container names, and names that must be unique."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...i18n import Templates
from ...model import Container, PodSpec, containers_of
from .. import Violation, check
from ..helpers.containers import refusal
from ..helpers.values import quoted

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")

TEXTS = Templates("names", {
    "no-name": "{field} has no name; {outcome}",
    "not-dns-label": (
        "container name {name} is not a DNS label (lowercase letters, digits and '-', at most 63 "
        "characters); {outcome}"),
    "duplicate": (
        "{field} is named {name}, like {first}; names must be unique across containers, "
        "initContainers and ephemeralContainers, and {refused}"),
})


@check("container-name", scope="container")
def container_name(container: Container, params: dict) -> Iterator[Violation]:
    name = container.data.get("name")
    if not container.pod.workload.names_required:
        return
    outcome = container.pod.workload.refusal()
    if name is None or name == "":
        yield Violation(container.path, TEXTS("no-name", field=container.field, outcome=outcome),
                        on_key=True)
    elif not isinstance(name, str) or not _DNS_LABEL.match(name):
        yield Violation(container.path + ("name",),
                        TEXTS("not-dns-label", name=quoted(name), outcome=outcome))


@check("duplicate-container-name", scope="pod")
def duplicate_container_name(pod: PodSpec, params: dict) -> Iterator[Violation]:
    if not pod.workload.names_required:
        return  # names are optional there and given by the operator (Argo, Tekton, Knative)
    seen: dict[str, Container] = {}
    for container in containers_of(pod):
        name = container.data.get("name")
        if not isinstance(name, str) or not name:
            continue
        first = seen.get(name)
        if first is None:
            seen[name] = container
            continue
        yield Violation(
            container.path + ("name",),
            TEXTS("duplicate", field=container.field, name=quoted(name), first=first.field,
                  refused=refusal(pod)),
        )
