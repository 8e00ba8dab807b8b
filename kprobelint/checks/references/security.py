"""Checks on securityContext settings the kubelet refuses to start a container with."""
from __future__ import annotations

from collections.abc import Iterator

from ...i18n import Items, Templates
from ...model import Container, PodSpec
from .. import Violation, check
from ..helpers.containers import creatable
from ..helpers.values import as_dict, quoted

TEXTS = Templates("security", {
    "one": (
        "container {names} runs with runAsNonRoot: true ({non_root_from}) and runAsUser: 0 "
        "({user_from}): the kubelet refuses to start it (\"container's runAsUser breaks non-root "
        "policy\") and the container waits in CreateContainerConfigError"),
    "several": (
        "containers {names} run with runAsNonRoot: true ({non_root_from}) and runAsUser: 0 "
        "({user_from}): the kubelet refuses to start them (\"container's runAsUser breaks "
        "non-root policy\") and the container waits in CreateContainerConfigError"),
    "container-context": "container securityContext",
    "pod-context": "pod securityContext",
})


@check("run-as-non-root-with-root-user", scope="pod")
def run_as_non_root_root(pod: PodSpec, params: dict) -> Iterator[Violation]:
    if as_dict(pod.data.get("os")).get("name") == "windows":
        return  # runAsUser does not apply to Windows Pods
    pod_context = as_dict(pod.data.get("securityContext"))
    pod_context_path = pod.path + ("securityContext",)
    found: dict[tuple, list[tuple[Container, str]]] = {}
    for container in creatable(pod):
        context = as_dict(container.data.get("securityContext"))
        context_path = container.path + ("securityContext",)
        values = {}
        for field_name in ("runAsNonRoot", "runAsUser"):
            # The container's field overrides the Pod's, field by field.
            if context.get(field_name) is not None:
                values[field_name] = (context[field_name], context_path + (field_name,),
                                      TEXTS("container-context"))
            else:
                values[field_name] = (pod_context.get(field_name), pod_context_path + (field_name,),
                                      TEXTS("pod-context"))
        non_root, _, non_root_from = values["runAsNonRoot"]
        user, user_path, user_from = values["runAsUser"]
        if non_root is not True or not isinstance(user, int) or isinstance(user, bool) or user != 0:
            continue
        found.setdefault(user_path, []).append((container, non_root_from, user_from))
    for path, hits in found.items():
        names = Items(tuple(quoted(c.name) for c, _, _ in hits))
        several = len(hits) > 1
        _, non_root_from, user_from = hits[0]
        yield Violation(
            path,
            TEXTS("several" if several else "one", names=names, non_root_from=non_root_from,
                  user_from=user_from),
        )
