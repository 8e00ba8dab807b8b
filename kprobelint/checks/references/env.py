"""Checks on env and envFrom references to ConfigMaps and Secrets.

The API server checks neither the object nor the key; the kubelet fails to build the
environment when either is missing (and not ``optional``): CreateContainerConfigError.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from functools import partial

from ...i18n import Templates
from ...model import Container, PodSpec
from .. import Pending, check
from ..helpers.containers import creatable, label
from ..helpers.values import as_dict, as_list, as_text, quoted
from .lookup import TOKEN_KEYS, decide_key, decide_object

KEY_REFS = {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret"}
ENV_FROM_REFS = {"configMapRef": "ConfigMap", "secretRef": "Secret"}


# A container's reference to a ConfigMap or Secret through env or envFrom: the path of the
# selector (configMapKeyRef, secretRef, ...), a label (env[2] DB_PASSWORD, envFrom[0]), the
# kind, the name and key (None for envFrom) as written, and whether it is optional. A
# namedtuple: a frozen dataclass costs every run's import 0.7 ms (Python 3.11 compiles its
# methods), a namedtuple a tenth of that.
_EnvRef = namedtuple("_EnvRef", ("path", "label", "kind", "name", "key", "optional"))


def _env_refs(container: Container) -> Iterator[_EnvRef]:
    for i, env in enumerate(as_list(container.data.get("env"))):
        value_from = as_dict(env.get("valueFrom")) if isinstance(env, dict) else {}
        for field_name, kind in KEY_REFS.items():
            ref = value_from.get(field_name)
            if isinstance(ref, dict):
                var = env.get("name")
                label = f"env[{i}] {var}" if isinstance(var, str) else f"env[{i}]"
                yield _EnvRef(container.path + ("env", i, "valueFrom", field_name), label, kind,
                              ref.get("name"), ref.get("key"), ref.get("optional") is True)
    for i, source in enumerate(as_list(container.data.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        for field_name, kind in ENV_FROM_REFS.items():
            ref = source.get(field_name)
            if isinstance(ref, dict):
                yield _EnvRef(container.path + ("envFrom", i, field_name), f"envFrom[{i}]", kind,
                              ref.get("name"), None, ref.get("optional") is True)


TEXTS = Templates("env", {
    "object-outcome": (
        "the container waits in CreateContainerConfigError (mark the reference `optional: true` "
        "if it may be missing)"),
    "where": "{container}: {ref}",
    "key-only": (
        "{where} reads key {key} from {kind} {name}, which has only keys: {keys}; the kubelet "
        "cannot build the environment (\"couldn't find key {raw_key} in {kind}\") and the "
        "container waits in CreateContainerConfigError"),
    "key-none": (
        "{where} reads key {key} from {kind} {name}, which declares no keys at all; if nothing "
        "fills it in before the Pod starts, the kubelet cannot build the environment "
        "(\"couldn't find key {raw_key} in {kind}\") and the container waits in "
        "CreateContainerConfigError"),
    "reads-from": "{container}: {ref} reads key {key} from",
    "loads": "{container}: {ref} loads",
})
ENV_OBJECT_OUTCOME = TEXTS("object-outcome")


@check("env-reference-key-missing", scope="bundle")
def env_key_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    for container in creatable(pod):
        context = label(container)
        for ref in _env_refs(container):
            name, key = as_text(ref.name), as_text(ref.key)
            if ref.optional or name is None or key is None:
                continue
            shown = {"where": TEXTS("where", container=context, ref=ref.label),
                     "raw_key": key}
            # A service-account token Secret is created empty: the token controller fills it.
            filled = TOKEN_KEYS if ref.kind == "Secret" else frozenset()
            yield Pending(ref.path + ("key",), partial(
                decide_key, TEXTS, ref.kind, namespace, name, key, shown,
                filled_later=filled), unless=(ref.kind, namespace, name, key))


@check("env-reference-object-missing", scope="bundle")
def env_object_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    for container in creatable(pod):
        for ref in _env_refs(container):
            name = as_text(ref.name)
            if ref.optional or name is None:
                continue
            what = (TEXTS("reads-from", container=label(container), ref=ref.label,
                          key=quoted(ref.key))
                    if ref.key is not None else
                    TEXTS("loads", container=label(container), ref=ref.label))
            yield Pending(ref.path + ("name",), partial(
                decide_object, ref.kind, namespace, name, what, ENV_OBJECT_OUTCOME),
                unless=(ref.kind, namespace, name))
