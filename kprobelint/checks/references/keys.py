"""Checks on how env vars and volume items name their sources and keys.

Rejected (``pkg/apis/core/validation/validation.go``):

* ``validateEnvVarValueFrom``: a ``valueFrom`` with no source ("must specify one of:
  `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"), with a non-empty
  ``value`` beside it ("may not be specified when `value` is not empty"), or with two sources
  ("may not have more than one field specified at a time"); ``ValidateEnvFrom`` likewise for
  an envFrom entry with neither or both of configMapRef and secretRef;
* ``validateConfigMapKeySelector`` / ``validateSecretKeySelector``: a ``key`` that is empty
  (Required) or not a config key (``IsConfigMapKey``: at most 253 characters of
  ``[-._a-zA-Z0-9]``, not ``.`` or ``..``, not starting with ``..``), a ``name`` that is not a
  DNS subdomain (empty included);
* ``validateKeyToPath``: a volume item with an empty ``key`` (Required).

Not rejected, but never satisfied: a volume item's non-empty ``key`` is not syntax-checked
(``validateKeyToPath`` only requires it), yet every key of a ConfigMap or Secret is
(``ValidateConfigMap``, ``ValidateSecret`` use ``IsConfigMapKey``), so a key outside that
syntax can never be found and the volume never mounts (FailedMount), unless ``optional``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...i18n import Items, Message, Templates
from ...model import Container, PodSpec
from ...typechecking import TYPE_CHECKING
from .. import Violation, check
from ..helpers.containers import creatable, label, refusal
from ..helpers.values import as_dict, as_list, quoted
from .volumes import mount_outcome, mounted_by, volume_refs

if TYPE_CHECKING:
    from typing import Any

# fileKeyRef (EnvFiles, 1.34) counts as a source too: without the gate the API server drops it.
VALUE_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")
ENV_FROM_SOURCES = ("configMapRef", "secretRef")
HELM_PLACEHOLDER = "RELEASE-NAME"
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_DNS_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")

TEXTS = Templates("keys", {
    "value-source": "{label}: env[{index}]{var}.valueFrom {problem}; {refused}",
    "no-source": (
        "names no source (it needs exactly one of fieldRef, resourceFieldRef, configMapKeyRef, "
        "secretKeyRef)"),
    "value-and-source": "is set beside a non-empty value {value} (use one or the other)",
    "two-sources": "names {count} sources ({sources}); it takes exactly one",
    "env-from": "{label}: envFrom[{index}] {problem}; {refused}",
    "env-from-none": "names neither configMapRef nor secretRef (it needs exactly one)",
    "env-from-both": "names both configMapRef and secretRef (it takes exactly one per entry)",
    "key-ref": "{label}: env[{index}]{var}.valueFrom.{ref}.{field} {problem}; {refused}",
    "name-missing": (
        "is missing: a ConfigMap or Secret name is a DNS subdomain (lowercase letters, digits, "
        "'-' and '.')"),
    "name-invalid": (
        "({value}) is not a valid object name: a ConfigMap or Secret name is a DNS subdomain "
        "(lowercase letters, digits, '-' and '.')"),
    "key-empty": "is empty; the key to read is required",
    "key-invalid": "({value}) {problem}",
    "item-key-empty": "volume {volume}: {where}.items[{index}].key is empty; {refused}",
    "unmatchable": (
        "volume {volume}: {where}.items[{index}].key {key} can never be a key of a {kind}: keys "
        "are validated when the {kind} is created (a key {problem}), so the kubelet never finds "
        "this one; {outcome}"),
    "too-long": "is longer than 253 characters",
    "characters": "may contain only letters, digits, '-', '_' and '.'",
    "dots": "must not be {key}",
    "leading-dots": "must not start with '..'",
    "var": " ({name})",
})


def config_key_problem(key: str) -> Message | None:
    """Why ``key`` is not a ConfigMap or Secret key (``IsConfigMapKey``), or None."""
    if len(key) > 253:
        return TEXTS("too-long")
    if not _CONFIG_KEY.match(key):
        return TEXTS("characters")
    if key in (".", ".."):
        return TEXTS("dots", key=quoted(key))
    if key.startswith(".."):
        return TEXTS("leading-dots")
    return None


def _var(env: dict) -> Message | str:
    name = env.get("name")
    return TEXTS("var", name=name) if isinstance(name, str) and name else ""


@check("env-value-source-invalid", scope="container")
def env_value_source_invalid(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    refused = refusal(container.pod)
    for index, env in enumerate(as_list(container.data.get("env"))):
        source = env.get("valueFrom") if isinstance(env, dict) else None
        if not isinstance(source, dict):
            continue  # absent or null: a plain value; another type cannot even be decoded
        found = [key for key in VALUE_SOURCES if source.get(key) is not None]
        value = env.get("value")
        if not found:
            problem = TEXTS("no-source")
        elif isinstance(value, str) and value:
            problem = TEXTS("value-and-source", value=quoted(value))
        elif len(found) > 1:
            problem = TEXTS("two-sources", count=len(found), sources=Items(tuple(found)))
        else:
            continue
        yield Violation(container.path + ("env", index, "valueFrom"),
                        TEXTS("value-source", label=label(container), index=index,
                              var=_var(env), problem=problem, refused=refused),
                        on_key=True)
    for index, entry in enumerate(as_list(container.data.get("envFrom"))):
        if not isinstance(entry, dict):
            continue
        found = [key for key in ENV_FROM_SOURCES if entry.get(key) is not None]
        if len(found) == 1:
            continue
        yield Violation(
            container.path + ("envFrom", index) + ((found[1],) if found else ()),
            TEXTS("env-from", label=label(container), index=index,
                  problem=TEXTS("env-from-both" if found else "env-from-none"), refused=refused),
            on_key=True)


@check("key-reference-invalid", scope="pod")
def key_reference_invalid(pod: PodSpec, params: dict) -> Iterator[Violation]:
    refused = refusal(pod)
    for container in creatable(pod):
        for index, env in enumerate(as_list(container.data.get("env"))):
            source = as_dict(env.get("valueFrom")) if isinstance(env, dict) else {}
            for ref in ("configMapKeyRef", "secretKeyRef"):
                selector = source.get(ref)
                if not isinstance(selector, dict):
                    continue
                path = container.path + ("env", index, "valueFrom", ref)
                for field, problem in _selector_problems(selector):
                    yield Violation(
                        path + (field,) if field in selector else path,
                        TEXTS("key-ref", label=label(container), index=index, var=_var(env),
                              ref=ref, field=field, problem=problem, refused=refused),
                        on_key=field not in selector)
    for ref in volume_refs(pod):
        for index, item in enumerate(ref.items):
            if isinstance(item, dict) and item.get("key") in (None, ""):
                where = ref.path + ("items", index)
                yield Violation(where + ("key",) if "key" in item else where,
                                TEXTS("item-key-empty", volume=quoted(ref.volume),
                                      where=_source_field(ref.path, pod), index=index,
                                      refused=refused),
                                on_key="key" not in item)


def _selector_problems(selector: dict) -> Iterator[tuple[str, Message]]:
    name = selector.get("name")
    # `helm template` without a release name writes RELEASE-NAME, which an install replaces:
    # such a rendering is never applied as it is.
    placeholder = isinstance(name, str) and HELM_PLACEHOLDER in name
    if not placeholder and (not isinstance(name, str) or not _DNS_SUBDOMAIN.match(name)
                            or len(name) > 253):
        yield "name", (TEXTS("name-missing") if name is None
                       else TEXTS("name-invalid", value=quoted(name)))
    key = selector.get("key")
    if key is None or key == "":
        yield "key", TEXTS("key-empty")
    elif isinstance(key, str):
        problem = config_key_problem(key)
        if problem:
            yield "key", TEXTS("key-invalid", value=quoted(key), problem=problem)


def _source_field(path: tuple, pod: PodSpec) -> str:
    """``configMap`` or ``projected.sources[0].secret``, for messages."""
    relative = path[len(pod.path) + 2:]  # after ("volumes", i)
    return "".join(f"[{step}]" if isinstance(step, int) else (f".{step}" if i else step)
                   for i, step in enumerate(relative))


@check("volume-item-key-invalid", scope="pod")
def volume_item_key_invalid(pod: PodSpec, params: dict) -> Iterator[Violation]:
    users = mounted_by(pod)
    outcome = mount_outcome(pod)
    for ref in volume_refs(pod):
        if ref.optional or ref.volume not in users:
            continue  # optional: the kubelet skips a missing key; unmounted: never set up
        for index, item in enumerate(ref.items):
            key: Any = item.get("key") if isinstance(item, dict) else None
            if not isinstance(key, str) or not key:
                continue
            problem = config_key_problem(key)
            if problem is None:
                continue
            yield Violation(
                ref.path + ("items", index, "key"),
                TEXTS("unmatchable", volume=quoted(ref.volume),
                      where=_source_field(ref.path, pod), index=index, key=quoted(key),
                      kind=ref.kind, problem=problem, outcome=outcome))
