"""Checks on volumes: configMap, secret and projected sources, volumeMounts naming no volume,
and subPath / subPathExpr leaving the volume."""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator
from functools import partial

from ...i18n import Items, Message, Templates
from ...lazyregex import LazyPattern
from ...model import Container, PodSpec, containers_of
from ...typechecking import TYPE_CHECKING
from .. import Pending, Violation, check
from ..helpers.containers import claim_templates, label, refusal
from ..helpers.values import as_list, as_text, quoted
from .lookup import decide_key, decide_object

if TYPE_CHECKING:
    from typing import Any

TEXTS = Templates("volumes", {
    "outcome-init": (
        "the kubelet cannot mount the volume (FailedMount) and the Pod stays Pending with its "
        "containers waiting in PodInitializing (kubectl shows Init:0/N)"),
    "outcome": (
        "the kubelet cannot mount the volume (FailedMount) and the Pod stays Pending with its "
        "containers waiting in ContainerCreating"),
    "optional": "{outcome} (mark the source `optional: true` if it may be missing)",
    "volume": "volume {volume} (mounted by {users})",
    "key-only": (
        "{label} projects key {key} from {kind} {name}, which has only keys: {keys}; {outcome}"),
    "key-none": (
        "{label} projects key {key} from {kind} {name}, which declares no keys at all; if "
        "nothing fills it in before the Pod starts, {outcome}"),
    "uses": "{label} uses",
    "declared": " (declared: {names})",
    "declared-none": " (the Pod declares no volumes)",
    "mount-undeclared": (
        "{container}: {field} names volume {name}, which is not in the Pod's volumes{known}; "
        "{refused}"),
    "absolute": "is an absolute path",
    "dot-dot": "contains a '..' element",
    "sub-path": (
        "{container}: {field} {value} {reason}; it must be a relative path inside the volume, and "
        "{refused}"),
    "both": (
        "{container}: {field} sets both subPath and subPathExpr, which are mutually exclusive; "
        "{refused}"),
    "empty": "is empty",
    "undefined": "is not defined in the container's env",
    "expr-missing": (
        "{container}: {field} {value} uses $({name}), which {why}; the kubelet fails with "
        "\"missing value for {names}\" and the container waits in CreateContainerConfigError"),
    "expr-escapes": (
        "{container}: {field} {value} expands to {expanded}, which {reason}; the API server "
        "checks only the unexpanded text, so the kubelet refuses the mount at start and the "
        "container waits in CreateContainerConfigError"),
})

# A volume's reference to a ConfigMap or Secret, directly or projected: the path of the
# source (volumes[i].configMap, ...projected.sources[j].secret), the field holding the name,
# the volume's name, the kind, the name as written, its items and whether it is optional (a
# namedtuple, as env._EnvRef).
_VolumeRef = namedtuple("_VolumeRef", ("path", "name_field", "volume", "kind", "name", "items",
                                       "optional"))


def volume_refs(pod: PodSpec) -> Iterator[_VolumeRef]:
    for i, volume in enumerate(as_list(pod.data.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        label = volume.get("name") if isinstance(volume.get("name"), str) else f"volumes[{i}]"
        base = pod.path + ("volumes", i)
        for field_name, kind, name_field in (("configMap", "ConfigMap", "name"),
                                             ("secret", "Secret", "secretName")):
            source = volume.get(field_name)
            if isinstance(source, dict):
                yield _VolumeRef(base + (field_name,), name_field, label, kind,
                                 source.get(name_field), as_list(source.get("items")),
                                 source.get("optional") is True)
        projected = volume.get("projected")
        sources = as_list(projected.get("sources")) if isinstance(projected, dict) else []
        for j, entry in enumerate(sources):
            if not isinstance(entry, dict):
                continue
            for field_name, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                source = entry.get(field_name)
                if isinstance(source, dict):
                    yield _VolumeRef(base + ("projected", "sources", j, field_name), "name",
                                     label, kind, source.get("name"),
                                     as_list(source.get("items")), source.get("optional") is True)


def mounted_by(pod: PodSpec) -> dict[str, list[str]]:
    """Volume name -> containers that mount it (the kubelet skips volumes nobody uses)."""
    users: dict[str, list[str]] = {}
    for container in containers_of(pod):
        for field_name in ("volumeMounts", "volumeDevices"):
            for mount in as_list(container.data.get(field_name)):
                name = mount.get("name") if isinstance(mount, dict) else None
                if isinstance(name, str) and container.name not in users.setdefault(name, []):
                    users[name].append(container.name)
    return users


def mount_outcome(pod: PodSpec) -> Message:
    if any(c.role in ("init", "sidecar") for c in containers_of(pod)):
        return TEXTS("outcome-init")
    return TEXTS("outcome")


def _volume_label(ref: _VolumeRef, users: list[str]) -> Message:
    return TEXTS("volume", volume=quoted(ref.volume), users=Items(tuple(quoted(u) for u in users)))


@check("volume-reference-key-missing", scope="bundle")
def volume_key_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    users = mounted_by(pod)
    outcome = mount_outcome(pod)
    for ref in volume_refs(pod):
        name = as_text(ref.name)
        if ref.optional or name is None or ref.volume not in users:
            continue
        label = None
        for j, item in enumerate(ref.items):
            key = as_text(item.get("key")) if isinstance(item, dict) else None
            if key is None:
                continue
            label = label or _volume_label(ref, users[ref.volume])
            yield Pending(ref.path + ("items", j, "key"), partial(
                decide_key, TEXTS, ref.kind, namespace, name, key,
                {"label": label, "outcome": outcome}), unless=(ref.kind, namespace, name, key))


@check("volume-reference-object-missing", scope="bundle")
def volume_object_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    users = mounted_by(pod)
    outcome = TEXTS("optional", outcome=mount_outcome(pod))
    for ref in volume_refs(pod):
        name = as_text(ref.name)
        if ref.optional or name is None or ref.volume not in users:
            continue
        yield Pending(ref.path + (ref.name_field,), partial(
            decide_object, ref.kind, namespace, name,
            TEXTS("uses", label=_volume_label(ref, users[ref.volume])), outcome),
            unless=(ref.kind, namespace, name))


@check("volume-mount-undeclared", scope="container")
def volume_mount_undeclared(container: Container, params: dict) -> Iterator[Violation]:
    pod = container.pod
    if not pod.workload.full_pod_spec:
        return  # the volumes live elsewhere (an Argo workflow's spec, Tekton workspaces)
    volumes = pod.data.get("volumes")
    if volumes is not None and not isinstance(volumes, list):
        return
    declared = pod.remember("volume-names", lambda: {
        v["name"] for v in as_list(volumes)
        if isinstance(v, dict) and isinstance(v.get("name"), str)
    } | claim_templates(pod))
    for field_name in ("volumeMounts", "volumeDevices"):
        for i, mount in enumerate(as_list(container.data.get(field_name))):
            name = mount.get("name") if isinstance(mount, dict) else None
            if not isinstance(name, str) or not name or name in declared:
                continue
            known = TEXTS("declared", names=Items(tuple(sorted(declared)))) if declared \
                else TEXTS("declared-none")
            yield Violation(
                container.path + (field_name, i, "name"),
                TEXTS("mount-undeclared", container=label(container), field=f"{field_name}[{i}]",
                      name=quoted(name), known=known, refused=refusal(pod)),
            )


def _escapes(path: str) -> Message | None:
    """Why the path leaves its volume (validateLocalDescendingPath), or None."""
    if path.startswith("/"):
        return TEXTS("absolute")
    if ".." in path.split("/"):
        return TEXTS("dot-dot")
    return None


@check("sub-path-invalid", scope="container")
def sub_path_invalid(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    for i, mount in enumerate(as_list(container.data.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        for field_name in ("subPath", "subPathExpr"):
            value = as_text(mount.get(field_name))
            reason = _escapes(value) if value is not None else None
            if reason:
                yield Violation(
                    container.path + ("volumeMounts", i, field_name),
                    TEXTS("sub-path", container=label(container),
                          field=f"volumeMounts[{i}].{field_name}", value=quoted(value),
                          reason=reason, refused=refusal(container.pod)),
                )
        if as_text(mount.get("subPath")) and as_text(mount.get("subPathExpr")):
            yield Violation(
                container.path + ("volumeMounts", i, "subPathExpr"),
                TEXTS("both", container=label(container), field=f"volumeMounts[{i}]",
                      refused=refusal(container.pod)),
                on_key=True,
            )


_REFERENCE = LazyPattern(r"\$(\$|\(([^)$]*)\))")
_SERVICE_LINK = LazyPattern(
    r"[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[A-Z0-9_]+)?)\Z")
_UNKNOWN = object()


def _static_env(container: Container) -> tuple[dict[str, Any], bool]:
    """Env var -> its value when written in the manifest (else _UNKNOWN), and whether envFrom
    may define more."""
    values: dict[str, Any] = {}
    for env in as_list(container.data.get("env")):
        if not isinstance(env, dict) or not isinstance(env.get("name"), str):
            continue
        value = env.get("value")
        if env.get("valueFrom") is None and isinstance(value, str):
            if "$(" in value:
                value = _UNKNOWN  # expanded from other variables: not worth modelling
            values[env["name"]] = value
        elif env.get("valueFrom") is None and value is None:
            values[env["name"]] = ""
        else:
            values[env["name"]] = _UNKNOWN
    return values, bool(as_list(container.data.get("envFrom")))


@check("sub-path-expr-expansion", scope="container")
def sub_path_expr_expansion(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    env, has_env_from = _static_env(container)
    for i, mount in enumerate(as_list(container.data.get("volumeMounts"))):
        expression = as_text(mount.get("subPathExpr")) if isinstance(mount, dict) else None
        if expression is None or _escapes(expression):
            continue  # the literal text is rejected by the API server: sub-path-invalid says so
        missing: list[str] = []

        def expand(match: re.Match) -> str:
            if match.group(1) == "$":
                return "$"
            var = match.group(2)
            value = env.get(var)
            if isinstance(value, str) and value:
                return value
            if value is _UNKNOWN or (value is None and (has_env_from or _SERVICE_LINK.match(var))):
                return "x"  # set at run time: assume a harmless single name
            missing.append(var)
            return ""

        expanded = _REFERENCE.sub(expand, expression)
        path = container.path + ("volumeMounts", i, "subPathExpr")
        if missing:
            names = ", ".join(sorted(set(missing)))
            why = TEXTS("empty" if all(env.get(v) == "" for v in missing) else "undefined")
            yield Violation(
                path,
                TEXTS("expr-missing", container=label(container),
                      field=f"volumeMounts[{i}].subPathExpr", value=quoted(expression),
                      name=missing[0], why=why, names=names),
            )
            continue
        # Placeholders cannot add a "/" or a "..": an escape comes from values in the manifest.
        reason = _escapes(expanded)
        if reason:
            yield Violation(
                path,
                TEXTS("expr-escapes", container=label(container),
                      field=f"volumeMounts[{i}].subPathExpr", value=quoted(expression),
                      expanded=quoted(expanded), reason=reason),
            )
