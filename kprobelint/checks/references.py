"""Checks on references: from a container to ConfigMaps, Secrets, claims, volumes and env vars.

Two kinds of mistake live here (research/k8s-semantics.md sections 1, 6, 9 and 10):

* references the API server does not check, which fail on the node: a ConfigMap or Secret key
  that does not exist (CreateContainerConfigError for env, FailedMount for volumes), a claim
  that does not exist (Pending, Unschedulable), ``runAsNonRoot`` with user 0, a
  ``subPathExpr`` that expands to a path outside the volume. Whether an *object* exists can
  only be known for the input: an object absent from it may well exist in the cluster (made
  by an operator, by hand, by another chart), so that is a note unless ``--complete`` says
  the input is the whole application;
* references the API server does check: a volumeMount naming no volume, two containers with
  one name, two ports with one name in a container, a ``subPath`` leaving the volume, a
  resource request above its limit. These are rejected on create; for a StatefulSet (whose
  pod template the API server does not validate) and for custom kinds they only fail when
  the controller creates Pods (FailedCreate).

Every value is checked with ``isinstance`` first: odd types are other rules' business.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, Iterator

from ..bundle import Bundle, namespace_key
from ..model import Container, PodSpec, containers_of
from . import Pending, Verdict, Violation, check, quoted

KEY_REFS = {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret"}
ENV_FROM_REFS = {"configMapRef": "ConfigMap", "secretRef": "Secret"}

# Objects the control plane creates in every namespace (root CA publisher, GA in 1.21).
AUTOMATIC = {("ConfigMap", "kube-root-ca.crt"): {"ca.crt"}}

# Keys the token controller writes into a kubernetes.io/service-account-token Secret.
TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})

# Kinds whose pod template the API server validates like a Pod when the object is created.
VALIDATED_TEMPLATE_KINDS = frozenset(
    {"Pod", "PodTemplate", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet",
     "Job", "CronJob"}
)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _keys_text(keys: set[str]) -> str:
    shown = sorted(keys)
    text = ", ".join(shown[:12])
    return text + (f", ... ({len(shown)} keys)" if len(shown) > 12 else "")


def _store(bundle: Bundle, kind: str) -> dict:
    return bundle.config_maps if kind == "ConfigMap" else bundle.secrets


def _lookup(bundle: Bundle, kind: str, namespace: str | None, name: str) -> set[str] | None:
    keys = _store(bundle, kind).get((namespace_key(namespace), name))
    if keys is None:
        keys = AUTOMATIC.get((kind, name))
    return keys


def _absent(bundle: Bundle, kind: str, namespace: str | None, name: str,
            what: str, outcome: str) -> tuple[str, str | None]:
    """Message and severity for a reference to an object that is not in the input."""
    others = sorted(
        ns or "default" for ns, n in _store(bundle, kind) if n == name
    )
    hint = ""
    if others:
        hint = (f" (there is a {kind} {quoted(name)} in namespace "
                f"{', '.join(quoted(o) for o in others)}, but a Pod can only use its own "
                "namespace's)")
    if bundle.complete:
        return (f"{what} {kind} {quoted(name)}, which is not in the input{hint}; with "
                f"--complete the input is the whole application, so {outcome}", "error")
    return (f"{what} {kind} {quoted(name)}, which is not in the input{hint}; unless it "
            f"exists in the cluster (created by hand, by an operator or by another chart), "
            f"{outcome}", None)


def _refusal(pod: PodSpec) -> str:
    """What happens to a pod spec the API server's validation refuses."""
    kind = pod.kind
    if kind in VALIDATED_TEMPLATE_KINDS:
        return f"the API server rejects the {kind}"
    if kind == "StatefulSet":
        return ("the API server accepts the StatefulSet (it does not validate its pod template) "
                "but refuses every Pod the controller creates (FailedCreate events)")
    return f"the API server refuses the Pods the {kind} controller creates"


def _ctx(container: Container) -> str:
    return f"container {quoted(container.name)}"


def _containers(pod: PodSpec) -> list[Container]:
    # Ephemeral containers cannot be created with the Pod (another rule says so).
    return [c for c in containers_of(pod) if c.role != "ephemeral"]


# ---------------------------------------------------------------------------------------------
# env and envFrom


@dataclass(frozen=True, slots=True)
class _EnvRef:
    path: tuple  # of the selector (configMapKeyRef, secretRef, ...)
    label: str  # env[2] DB_PASSWORD, envFrom[0]
    kind: str
    name: Any
    key: Any  # None for envFrom
    optional: bool


def _env_refs(container: Container) -> Iterator[_EnvRef]:
    for i, env in enumerate(_list(container.data.get("env"))):
        value_from = _dict(env.get("valueFrom")) if isinstance(env, dict) else {}
        for field_name, kind in KEY_REFS.items():
            ref = value_from.get(field_name)
            if isinstance(ref, dict):
                var = env.get("name")
                label = f"env[{i}] {var}" if isinstance(var, str) else f"env[{i}]"
                yield _EnvRef(container.path + ("env", i, "valueFrom", field_name), label, kind,
                              ref.get("name"), ref.get("key"), ref.get("optional") is True)
    for i, source in enumerate(_list(container.data.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        for field_name, kind in ENV_FROM_REFS.items():
            ref = source.get(field_name)
            if isinstance(ref, dict):
                yield _EnvRef(container.path + ("envFrom", i, field_name), f"envFrom[{i}]", kind,
                              ref.get("name"), None, ref.get("optional") is True)


ENV_OBJECT_OUTCOME = ("the container waits in CreateContainerConfigError (mark the reference "
                      "`optional: true` if it may be missing)")


@check("env-reference-key-missing", scope="bundle")
def env_key_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    for container in _containers(pod):
        context = _ctx(container)
        for ref in _env_refs(container):
            name, key = _text(ref.name), _text(ref.key)
            if ref.optional or name is None or key is None:
                continue
            yield Pending(ref.path + ("key",), partial(
                _decide_env_key, ref.kind, namespace, name, key, f"{context}: {ref.label}"),
                unless=(ref.kind, namespace, name, key))


def _decide_env_key(kind: str, namespace: str | None, name: str, key: str, where: str,
                    bundle: Bundle) -> Verdict | None:
    keys = _lookup(bundle, kind, namespace, name)
    if keys is None or key in keys:
        return None
    if not keys and kind == "Secret" and key in TOKEN_KEYS:
        return None  # a service-account token Secret: the token controller fills it in
    head = f"{where} reads key {quoted(key)} from {kind} {quoted(name)}, which"
    tail = (f"the kubelet cannot build the environment (\"couldn't find key {key} in "
            f"{kind}\") and the container waits in CreateContainerConfigError")
    if keys:
        return Verdict(f"{head} has only keys: {_keys_text(keys)}; {tail}")
    return Verdict(f"{head} declares no keys at all; if nothing fills it in before the Pod "
                   f"starts, {tail}", "note")


@check("env-reference-object-missing", scope="bundle")
def env_object_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    for container in _containers(pod):
        for ref in _env_refs(container):
            name = _text(ref.name)
            if ref.optional or name is None:
                continue
            what = (f"{_ctx(container)}: {ref.label} reads key {quoted(ref.key)} from"
                    if ref.key is not None else f"{_ctx(container)}: {ref.label} loads")
            yield Pending(ref.path + ("name",), partial(
                _decide_object, ref.kind, namespace, name, what, ENV_OBJECT_OUTCOME),
                unless=(ref.kind, namespace, name))


def _decide_object(kind: str, namespace: str | None, name: str, what: str, outcome: str,
                   bundle: Bundle) -> Verdict | None:
    """Nothing when the ConfigMap or Secret is in the input, else what its absence does."""
    if _lookup(bundle, kind, namespace, name) is not None:
        return None
    return Verdict(*_absent(bundle, kind, namespace, name, what, outcome))


# ---------------------------------------------------------------------------------------------
# configMap, secret and projected volumes


@dataclass(frozen=True, slots=True)
class _VolumeRef:
    path: tuple  # of the source (volumes[i].configMap, ...projected.sources[j].secret)
    name_field: str
    volume: str
    kind: str
    name: Any
    items: list
    optional: bool


def _volume_refs(pod: PodSpec) -> Iterator[_VolumeRef]:
    for i, volume in enumerate(_list(pod.data.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        label = volume.get("name") if isinstance(volume.get("name"), str) else f"volumes[{i}]"
        base = pod.path + ("volumes", i)
        for field_name, kind, name_field in (("configMap", "ConfigMap", "name"),
                                             ("secret", "Secret", "secretName")):
            source = volume.get(field_name)
            if isinstance(source, dict):
                yield _VolumeRef(base + (field_name,), name_field, label, kind,
                                 source.get(name_field), _list(source.get("items")),
                                 source.get("optional") is True)
        projected = volume.get("projected")
        sources = _list(projected.get("sources")) if isinstance(projected, dict) else []
        for j, entry in enumerate(sources):
            if not isinstance(entry, dict):
                continue
            for field_name, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                source = entry.get(field_name)
                if isinstance(source, dict):
                    yield _VolumeRef(base + ("projected", "sources", j, field_name), "name",
                                     label, kind, source.get("name"),
                                     _list(source.get("items")), source.get("optional") is True)


def _mounted_by(pod: PodSpec) -> dict[str, list[str]]:
    """Volume name -> containers that mount it (the kubelet skips volumes nobody uses)."""
    users: dict[str, list[str]] = {}
    for container in containers_of(pod):
        for field_name in ("volumeMounts", "volumeDevices"):
            for mount in _list(container.data.get(field_name)):
                name = mount.get("name") if isinstance(mount, dict) else None
                if isinstance(name, str) and container.name not in users.setdefault(name, []):
                    users[name].append(container.name)
    return users


def _mount_outcome(pod: PodSpec) -> str:
    if any(c.role in ("init", "sidecar") for c in containers_of(pod)):
        return ("the kubelet cannot mount the volume (FailedMount) and the Pod stays Pending with "
                "its containers waiting in PodInitializing (kubectl shows Init:0/N)")
    return ("the kubelet cannot mount the volume (FailedMount) and the Pod stays Pending with "
            "its containers waiting in ContainerCreating")


def _volume_label(ref: _VolumeRef, users: list[str]) -> str:
    by = ", ".join(quoted(u) for u in users)
    return f"volume {quoted(ref.volume)} (mounted by {by})"


@check("volume-reference-key-missing", scope="bundle")
def volume_key_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    users = _mounted_by(pod)
    outcome = _mount_outcome(pod)
    for ref in _volume_refs(pod):
        name = _text(ref.name)
        if ref.optional or name is None or ref.volume not in users:
            continue
        label = None
        for j, item in enumerate(ref.items):
            key = _text(item.get("key")) if isinstance(item, dict) else None
            if key is None:
                continue
            label = label or _volume_label(ref, users[ref.volume])
            yield Pending(ref.path + ("items", j, "key"), partial(
                _decide_volume_key, ref.kind, namespace, name, key, label, outcome),
                unless=(ref.kind, namespace, name, key))


def _decide_volume_key(kind: str, namespace: str | None, name: str, key: str, label: str,
                       outcome: str, bundle: Bundle) -> Verdict | None:
    keys = _lookup(bundle, kind, namespace, name)
    if keys is None or key in keys:
        return None
    head = f"{label} projects key {quoted(key)} from {kind} {quoted(name)}, which"
    if keys:
        return Verdict(f"{head} has only keys: {_keys_text(keys)}; {outcome}")
    return Verdict(f"{head} declares no keys at all; if nothing fills it in before the Pod "
                   f"starts, {outcome}", "note")


@check("volume-reference-object-missing", scope="bundle")
def volume_object_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    users = _mounted_by(pod)
    outcome = _mount_outcome(pod) + " (mark the source `optional: true` if it may be missing)"
    for ref in _volume_refs(pod):
        name = _text(ref.name)
        if ref.optional or name is None or ref.volume not in users:
            continue
        yield Pending(ref.path + (ref.name_field,), partial(
            _decide_object, ref.kind, namespace, name,
            f"{_volume_label(ref, users[ref.volume])} uses", outcome),
            unless=(ref.kind, namespace, name))


# ---------------------------------------------------------------------------------------------
# PersistentVolumeClaims


def _claim_templates(pod: PodSpec) -> set[str]:
    if pod.kind != "StatefulSet":
        return set()
    spec = _dict(pod.obj.data.get("spec"))
    names = set()
    for template in _list(spec.get("volumeClaimTemplates")):
        meta = _dict(template.get("metadata")) if isinstance(template, dict) else {}
        if isinstance(meta.get("name"), str):
            names.add(meta["name"])
    return names


@check("persistent-volume-claim-missing", scope="bundle")
def claim_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    templates = _claim_templates(pod)
    for i, volume in enumerate(_list(pod.data.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        source = volume.get("persistentVolumeClaim")
        claim = _text(source.get("claimName")) if isinstance(source, dict) else None
        if claim is None:
            continue
        # The StatefulSet controller replaces a volume named after a volumeClaimTemplate with
        # the Pod's own claim (<template>-<statefulset>-<ordinal>).
        if isinstance(volume.get("name"), str) and volume["name"] in templates:
            continue
        label = volume.get("name") if isinstance(volume.get("name"), str) else f"volumes[{i}]"
        yield Pending(pod.path + ("volumes", i, "persistentVolumeClaim", "claimName"), partial(
            _decide_claim, namespace, claim, label, claim in templates),
            unless=("PersistentVolumeClaim", namespace, claim))


def _decide_claim(namespace: str | None, claim: str, label: str, template_named: bool,
                  bundle: Bundle) -> Verdict | None:
    if (namespace_key(namespace), claim) in bundle.claims:
        return None
    others = sorted(ns or "default" for ns, n in bundle.claims if n == claim)
    hint = ""
    if template_named:
        hint = (f" (a volumeClaimTemplate is called {quoted(claim)}, but the StatefulSet "
                "controller only replaces volumes *named* after a template; the claims it "
                f"creates are called {claim}-<statefulset>-<ordinal>)")
    elif others:
        hint = (f" (there is one in namespace {', '.join(quoted(o) for o in others)}, but a "
                "Pod can only use its own namespace's claims)")
    outcome = ("the scheduler cannot place the Pod: it stays Pending with PodScheduled=False, "
               f"reason Unschedulable (persistentvolumeclaim \"{claim}\" not found)")
    if bundle.complete:
        message = (f"volume {quoted(label)} uses PersistentVolumeClaim {quoted(claim)}, which "
                   f"is not in the input{hint}; with --complete the input is the whole "
                   f"application, so {outcome}")
    else:
        message = (f"volume {quoted(label)} uses PersistentVolumeClaim {quoted(claim)}, which "
                   f"is not in the input{hint}; unless it exists in the cluster, {outcome}")
    return Verdict(message, "error" if bundle.complete else None)


# ---------------------------------------------------------------------------------------------
# securityContext


@check("run-as-non-root-with-root-user", scope="pod")
def run_as_non_root_root(pod: PodSpec, params: dict) -> Iterator[Violation]:
    if _dict(pod.data.get("os")).get("name") == "windows":
        return  # runAsUser does not apply to Windows Pods
    pod_context = _dict(pod.data.get("securityContext"))
    pod_context_path = pod.path + ("securityContext",)
    found: dict[tuple, list[tuple[Container, str]]] = {}
    for container in _containers(pod):
        context = _dict(container.data.get("securityContext"))
        context_path = container.path + ("securityContext",)
        values = {}
        for field_name in ("runAsNonRoot", "runAsUser"):
            # The container's field overrides the Pod's, field by field.
            if context.get(field_name) is not None:
                values[field_name] = (context[field_name], context_path + (field_name,),
                                      "container securityContext")
            else:
                values[field_name] = (pod_context.get(field_name), pod_context_path + (field_name,),
                                      "pod securityContext")
        non_root, _, non_root_from = values["runAsNonRoot"]
        user, user_path, user_from = values["runAsUser"]
        if non_root is not True or not isinstance(user, int) or isinstance(user, bool) or user != 0:
            continue
        found.setdefault(user_path, []).append((container, non_root_from, user_from))
    for path, hits in found.items():
        names = ", ".join(quoted(c.name) for c, _, _ in hits)
        several = len(hits) > 1
        _, non_root_from, user_from = hits[0]
        yield Violation(
            path,
            f"container{'s' if several else ''} {names} run{'' if several else 's'} with "
            f"runAsNonRoot: true ({non_root_from}) and runAsUser: 0 ({user_from}): the kubelet "
            f"refuses to start {'them' if several else 'it'} (\"container's runAsUser breaks "
            "non-root policy\") and the container waits in CreateContainerConfigError",
        )


# ---------------------------------------------------------------------------------------------
# Names: volumes, containers, ports


@check("volume-mount-undeclared", scope="container")
def volume_mount_undeclared(container: Container, params: dict) -> Iterator[Violation]:
    pod = container.pod
    volumes = pod.data.get("volumes")
    if volumes is not None and not isinstance(volumes, list):
        return
    declared = pod.remember("volume-names", lambda: {
        v["name"] for v in _list(volumes) if isinstance(v, dict) and isinstance(v.get("name"), str)
    } | _claim_templates(pod))
    for field_name in ("volumeMounts", "volumeDevices"):
        for i, mount in enumerate(_list(container.data.get(field_name))):
            name = mount.get("name") if isinstance(mount, dict) else None
            if not isinstance(name, str) or not name or name in declared:
                continue
            known = f" (declared: {', '.join(sorted(declared))})" if declared else \
                " (the Pod declares no volumes)"
            yield Violation(
                container.path + (field_name, i, "name"),
                f"{_ctx(container)}: {field_name}[{i}] names volume {quoted(name)}, which is not "
                f"in the Pod's volumes{known}; {_refusal(pod)}",
            )


@check("duplicate-container-name", scope="pod")
def duplicate_container_name(pod: PodSpec, params: dict) -> Iterator[Violation]:
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
            f"{container.list_key}[{container.index}] is named {quoted(name)}, like "
            f"{first.list_key}[{first.index}]; names must be unique across containers, "
            f"initContainers and ephemeralContainers, and {_refusal(pod)}",
        )


@check("duplicate-port-name", scope="container")
def duplicate_port_name(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    seen: dict[str, int] = {}
    for j, port in enumerate(_list(container.data.get("ports"))):
        name = port.get("name") if isinstance(port, dict) else None
        if not isinstance(name, str) or not name:
            continue
        if name not in seen:
            seen[name] = j
            continue
        yield Violation(
            container.path + ("ports", j, "name"),
            f"{_ctx(container)}: ports[{j}] is named {quoted(name)}, like ports[{seen[name]}]; "
            f"port names must be unique within a container, and {_refusal(container.pod)}",
        )


# ---------------------------------------------------------------------------------------------
# subPath and subPathExpr


def _escapes(path: str) -> str | None:
    """Why the path leaves its volume (validateLocalDescendingPath), or None."""
    if path.startswith("/"):
        return "is an absolute path"
    if ".." in path.split("/"):
        return "contains a '..' element"
    return None


@check("sub-path-invalid", scope="container")
def sub_path_invalid(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    for i, mount in enumerate(_list(container.data.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        for field_name in ("subPath", "subPathExpr"):
            value = _text(mount.get(field_name))
            reason = _escapes(value) if value is not None else None
            if reason:
                yield Violation(
                    container.path + ("volumeMounts", i, field_name),
                    f"{_ctx(container)}: volumeMounts[{i}].{field_name} {quoted(value)} {reason}; "
                    f"it must be a relative path inside the volume, and {_refusal(container.pod)}",
                )
        if _text(mount.get("subPath")) and _text(mount.get("subPathExpr")):
            yield Violation(
                container.path + ("volumeMounts", i, "subPathExpr"),
                f"{_ctx(container)}: volumeMounts[{i}] sets both subPath and subPathExpr, which "
                f"are mutually exclusive; {_refusal(container.pod)}",
                on_key=True,
            )


# `$(NAME)` or `$$`; the name may not hold `$`, which keeps the scan linear on `$($($(...`.
_REFERENCE = re.compile(r"\$(\$|\(([^)$]*)\))")
# Variables the kubelet adds for every Service of the namespace (enableServiceLinks).
_SERVICE_LINK = re.compile(
    r"[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[A-Z0-9_]+)?)\Z")
_UNKNOWN = object()


def _static_env(container: Container) -> tuple[dict[str, Any], bool]:
    """Env var -> its value when written in the manifest (else _UNKNOWN), and whether envFrom
    may define more."""
    values: dict[str, Any] = {}
    for env in _list(container.data.get("env")):
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
    return values, bool(_list(container.data.get("envFrom")))


@check("sub-path-expr-expansion", scope="container")
def sub_path_expr_expansion(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    env, has_env_from = _static_env(container)
    for i, mount in enumerate(_list(container.data.get("volumeMounts"))):
        expression = _text(mount.get("subPathExpr")) if isinstance(mount, dict) else None
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
            why = ("is empty" if all(env.get(v) == "" for v in missing)
                   else "is not defined in the container's env")
            yield Violation(
                path,
                f"{_ctx(container)}: volumeMounts[{i}].subPathExpr {quoted(expression)} uses "
                f"$({missing[0]}), which {why}; the kubelet fails with \"missing value for "
                f"{names}\" and the container waits in CreateContainerConfigError",
            )
            continue
        # Placeholders cannot add a "/" or a "..": an escape comes from values in the manifest.
        reason = _escapes(expanded)
        if reason:
            yield Violation(
                path,
                f"{_ctx(container)}: volumeMounts[{i}].subPathExpr {quoted(expression)} expands "
                f"to {quoted(expanded)}, which {reason}; the API server checks only the "
                "unexpanded text, so the kubelet refuses the mount at start and the container "
                "waits in CreateContainerConfigError",
            )


# ---------------------------------------------------------------------------------------------
# Resources

_NUMBER = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)\Z", re.DOTALL)
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)\Z")
_SUFFIXES: dict[str, Fraction] = {
    "": Fraction(1),
    "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 10**3),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18),
    "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30), "Ti": Fraction(2**40),
    "Pi": Fraction(2**50), "Ei": Fraction(2**60),
}


def parse_quantity(value: Any) -> Fraction | None:
    """The exact value of a Kubernetes quantity ("500m", "1Gi", "1e3", 0.5), or None.

    YAML numbers reach the API server as JSON numbers, which it parses as quantity text; a
    float's shortest repr is that text (0.1 stays one tenth, not the nearest binary value).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    match = _NUMBER.match(value.strip())
    if not match:
        return None
    sign, number, suffix = match.groups()
    if suffix in _SUFFIXES:
        scale = _SUFFIXES[suffix]
    else:
        exponent = _EXPONENT.match(suffix)
        if not exponent or abs(int(exponent.group(1))) > 100:
            return None
        scale = Fraction(10) ** int(exponent.group(1))
    magnitude = Fraction(number if not number.endswith(".") else number[:-1]) * scale
    return -magnitude if sign == "-" else magnitude


def _overcommit_allowed(resource: str) -> bool:
    # helper.IsOvercommitAllowed: native resources (no domain, or *kubernetes.io/) except
    # hugepages. Extended resources and hugepages need request == limit.
    native = "/" not in resource or "kubernetes.io/" in resource
    return native and not resource.startswith("hugepages-")


@check("resource-request-limit-mismatch", scope="container")
def resource_request_limit_mismatch(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    resources = _dict(container.data.get("resources"))
    requests, limits = resources.get("requests"), resources.get("limits")
    if not isinstance(requests, dict):
        return
    limits = limits if isinstance(limits, dict) else {}
    base = container.path + ("resources",)
    refusal = _refusal(container.pod)
    for resource, requested in requests.items():
        if not isinstance(resource, str):
            continue
        request = parse_quantity(requested)
        if request is None:
            continue
        overcommit = _overcommit_allowed(resource)
        if resource not in limits:
            if not overcommit:
                yield Violation(
                    base + ("requests", resource),
                    f"{_ctx(container)}: resources.requests[{resource}] is {requested} with no "
                    f"limit; {resource} cannot be overcommitted, so a limit is required (the "
                    f"request then defaults to it), and {refusal}",
                    on_key=True,
                )
            continue
        limit = parse_quantity(limits[resource])
        if limit is None:
            continue
        if not overcommit and request != limit:
            yield Violation(
                base + ("requests", resource),
                f"{_ctx(container)}: resources.requests[{resource}] is {requested} but the limit "
                f"is {limits[resource]}; {resource} cannot be overcommitted, so request and "
                f"limit must be equal, and {refusal}",
            )
        elif request > limit:
            yield Violation(
                base + ("requests", resource),
                f"{_ctx(container)}: resources.requests[{resource}] is {requested}, more than "
                f"the limit {limits[resource]}; a request must not exceed its limit, and "
                f"{refusal}",
            )
