"""Walk a loaded object against its schema, as the API server decodes it.

The API server reads a manifest as JSON (kubectl and Helm convert the YAML with YAML 1.1
rules first) and decodes it strictly into the Go type of the kind: a value of the wrong JSON
type fails the request ("cannot unmarshal string into Go struct field ... of type int32"),
an unknown field fails it under strict field validation (kubectl's default) or is dropped.
``null`` decodes as the zero value anywhere, so it is never a type error. Only what decoding
and the schema decide is checked here; the semantic rules of ``validation.go`` are rules of
their own.
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
import re

from ..findings import Fix
from ..i18n import Items, Message
from ..lazyregex import LazyPattern
from ..typechecking import TYPE_CHECKING
from . import messages as m
from . import store
from .issues import ENUM, FILE_MODE, REQUIRED, TYPE, UNKNOWN, VERSION, YAML11, SchemaIssue
from .source import scalar_text
from .store import LAZY, Shape

if TYPE_CHECKING:
    from typing import Any

_RANGES = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}
_TYPE_NAMES = {"s": "string", "i": "integer", "n": "number", "b": "boolean", "o": "object",
               "a": "array", "ios": "int-or-string", "qty": "quantity"}

# Required fields of built-in types that the API server really requires. The OpenAPI
# `required` lists come from Go struct tags and say more than validation does: a StatefulSet's
# serviceName (required in the schema up to 1.3x, never enforced), a PriorityClass's value (0
# is valid), a SleepAction's seconds (0 allowed since 1.32). Each entry below is a field whose
# absence validation.go refuses (field.Required, or a zero value it rejects).
ENFORCED_REQUIRED = frozenset({
    "io.k8s.api.core.v1.Container.name",
    "io.k8s.api.core.v1.EphemeralContainer.name",
    "io.k8s.api.core.v1.ContainerPort.containerPort",
    "io.k8s.api.core.v1.EnvVar.name",
    "io.k8s.api.core.v1.PodSpec.containers",
    "io.k8s.api.core.v1.Volume.name",
    "io.k8s.api.core.v1.VolumeMount.name",
    "io.k8s.api.core.v1.VolumeMount.mountPath",
    "io.k8s.api.core.v1.VolumeDevice.name",
    "io.k8s.api.core.v1.VolumeDevice.devicePath",
    "io.k8s.api.core.v1.KeyToPath.key",
    "io.k8s.api.core.v1.KeyToPath.path",
    "io.k8s.api.core.v1.DownwardAPIVolumeFile.path",
    "io.k8s.api.core.v1.ConfigMapKeySelector.key",
    "io.k8s.api.core.v1.SecretKeySelector.key",
    "io.k8s.api.core.v1.ObjectFieldSelector.fieldPath",
    "io.k8s.api.core.v1.ResourceFieldSelector.resource",
    "io.k8s.api.core.v1.HTTPGetAction.port",
    "io.k8s.api.core.v1.TCPSocketAction.port",
    "io.k8s.api.core.v1.GRPCAction.port",
    "io.k8s.api.core.v1.ServicePort.port",
    "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource.claimName",
    "io.k8s.api.core.v1.HostPathVolumeSource.path",
    "io.k8s.api.core.v1.NFSVolumeSource.server",
    "io.k8s.api.core.v1.NFSVolumeSource.path",
    "io.k8s.api.core.v1.CSIVolumeSource.driver",
    "io.k8s.api.core.v1.NodeSelectorRequirement.key",
    "io.k8s.api.core.v1.NodeSelectorRequirement.operator",
    "io.k8s.api.core.v1.NodeSelector.nodeSelectorTerms",
    "io.k8s.api.core.v1.PodAffinityTerm.topologyKey",
    "io.k8s.api.core.v1.WeightedPodAffinityTerm.weight",
    "io.k8s.api.core.v1.WeightedPodAffinityTerm.podAffinityTerm",
    "io.k8s.api.core.v1.PreferredSchedulingTerm.weight",
    "io.k8s.api.core.v1.PreferredSchedulingTerm.preference",
    "io.k8s.api.core.v1.TopologySpreadConstraint.maxSkew",
    "io.k8s.api.core.v1.TopologySpreadConstraint.topologyKey",
    "io.k8s.api.core.v1.TopologySpreadConstraint.whenUnsatisfiable",
    "io.k8s.api.core.v1.SeccompProfile.type",
    "io.k8s.api.core.v1.Taint.key",
    "io.k8s.api.core.v1.Taint.effect",
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key",
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.operator",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference.apiVersion",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference.kind",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference.name",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference.uid",
    "io.k8s.api.apps.v1.DeploymentSpec.selector",
    "io.k8s.api.apps.v1.DeploymentSpec.template",
    "io.k8s.api.apps.v1.StatefulSetSpec.selector",
    "io.k8s.api.apps.v1.StatefulSetSpec.template",
    "io.k8s.api.apps.v1.DaemonSetSpec.selector",
    "io.k8s.api.apps.v1.DaemonSetSpec.template",
    "io.k8s.api.apps.v1.ReplicaSetSpec.selector",
    "io.k8s.api.batch.v1.JobSpec.template",
    "io.k8s.api.batch.v1.CronJobSpec.schedule",
    "io.k8s.api.batch.v1.CronJobSpec.jobTemplate",
    "io.k8s.api.networking.v1.HTTPIngressPath.pathType",
    "io.k8s.api.networking.v1.HTTPIngressPath.backend",
    "io.k8s.api.networking.v1.HTTPIngressRuleValue.paths",
    "io.k8s.api.networking.v1.IngressServiceBackend.name",
    "io.k8s.api.networking.v1.IPBlock.cidr",
    "io.k8s.api.rbac.v1.PolicyRule.verbs",
    "io.k8s.api.rbac.v1.RoleBinding.roleRef",
    "io.k8s.api.rbac.v1.ClusterRoleBinding.roleRef",
    "io.k8s.api.rbac.v1.RoleRef.kind",
    "io.k8s.api.rbac.v1.RoleRef.name",
    "io.k8s.api.rbac.v1.Subject.kind",
    "io.k8s.api.rbac.v1.Subject.name",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec.scaleTargetRef",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec.maxReplicas",
    "io.k8s.api.autoscaling.v2.CrossVersionObjectReference.kind",
    "io.k8s.api.autoscaling.v2.CrossVersionObjectReference.name",
    "io.k8s.api.autoscaling.v2.MetricSpec.type",
    "io.k8s.api.autoscaling.v2.MetricTarget.type",
    "io.k8s.api.storage.v1.StorageClass.provisioner",
})
# The container lists a pod must not leave empty (validateContainers: field.Required).
NON_EMPTY = frozenset({"io.k8s.api.core.v1.PodSpec.containers"})
# int32 file modes validation.go bounds to 0..0777 ("must be a number between 0 and 0777
# (octal), both inclusive").
FILE_MODE_FIELDS = frozenset({
    "io.k8s.api.core.v1.ConfigMapVolumeSource.defaultMode",
    "io.k8s.api.core.v1.SecretVolumeSource.defaultMode",
    "io.k8s.api.core.v1.ProjectedVolumeSource.defaultMode",
    "io.k8s.api.core.v1.DownwardAPIVolumeSource.defaultMode",
    "io.k8s.api.core.v1.KeyToPath.mode",
    "io.k8s.api.core.v1.DownwardAPIVolumeFile.mode",
})
# Values validation accepts for built-in fields the bundled schemas give no enum for, each
# checked in the validation code (pkg/apis/core/validation, apps, networking): anything
# else is refused with "Unsupported value" (case-sensitively). An empty value is left alone:
# defaulting fills these fields in. Pull policies and restart policies have rules of their own.
BUILT_IN_ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "io.k8s.api.core.v1.ContainerPort": {"protocol": ("TCP", "UDP", "SCTP")},
    "io.k8s.api.core.v1.ServicePort": {"protocol": ("TCP", "UDP", "SCTP")},
    "io.k8s.api.core.v1.ServiceSpec": {
        "type": ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"),
        "sessionAffinity": ("ClientIP", "None"),
    },
    "io.k8s.api.core.v1.PodSpec": {
        "dnsPolicy": ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"),
    },
    "io.k8s.api.core.v1.Container": {
        "terminationMessagePolicy": ("File", "FallbackToLogsOnError"),
    },
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec": {
        "accessModes": ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"),
        "volumeMode": ("Block", "Filesystem"),
    },
    "io.k8s.api.apps.v1.DeploymentStrategy": {"type": ("Recreate", "RollingUpdate")},
    "io.k8s.api.apps.v1.StatefulSetSpec": {"podManagementPolicy": ("OrderedReady", "Parallel")},
    "io.k8s.api.apps.v1.StatefulSetUpdateStrategy": {"type": ("RollingUpdate", "OnDelete")},
    "io.k8s.api.apps.v1.DaemonSetUpdateStrategy": {"type": ("RollingUpdate", "OnDelete")},
    "io.k8s.api.networking.v1.HTTPIngressPath": {
        "pathType": ("Exact", "Prefix", "ImplementationSpecific"),
    },
}
# What a field dropped as unknown leaves behind, when its default is a plain value.
FIELD_DEFAULTS = {
    "initialDelaySeconds": "0", "timeoutSeconds": "1", "periodSeconds": "10",
    "successThreshold": "1", "failureThreshold": "3", "terminationGracePeriodSeconds": "30",
    "replicas": "1", "minReadySeconds": "0", "revisionHistoryLimit": "10",
    "progressDeadlineSeconds": "600", "backoffLimit": "6", "restartPolicy": "Always",
    "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
}
_OCTAL_TEXT = LazyPattern(r"[-+]?0[0-7]+\Z")
_INTEGER_TEXT = LazyPattern(r"[-+]?[0-9]+\Z")
_OCTAL_DIGITS = LazyPattern(r"[0-7]{3,4}\Z")
# resource.ParseQuantity (apimachinery quantity.go): a sign, digits, a fraction and one
# suffix, binary (Ki..Ei), decimal SI (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3,
# E-2). Its scanner lets every part be empty ("+", ".", "Mi" all read as 0); only the empty
# string is refused outright.
_QUANTITY = re.compile(r"(?=.)[+-]?[0-9]*(?:\.[0-9]*)?"
                       r"(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?\Z", re.DOTALL)


class Validator:
    """Validates objects of one Kubernetes release; collects :class:`SchemaIssue` records."""

    def __init__(self, release: store.Release) -> None:
        self.release = release
        self.kind = ""
        self.base = 0  # where the object starts in its document's paths
        self.issues: list[SchemaIssue] = []
        self._enforced: dict[str, tuple[str, ...]] = {}  # definition -> required fields

    def validate(self, data: dict, shape: Shape, path: tuple, kind: str) -> list[SchemaIssue]:
        self.kind = kind
        self.base = len(path)
        self.issues = []
        self._object(data, shape, path)
        return self.issues

    # -- walking -------------------------------------------------------------------------

    def _value(self, parent: Any, step: Any, value: Any, shape: Shape, path: tuple) -> None:
        """Check ``value`` (``parent[step]``, at ``path``) against ``shape``."""
        kind = shape.kind
        if kind is LAZY:
            shape.fill()
            kind = shape.kind
        cls = value.__class__
        if value is None or kind == "any":
            return
        if kind == "o":
            if isinstance(value, dict):
                self._object(value, shape, path)
            else:
                self._type_issue(parent, step, value, shape, path)
        elif kind == "a":
            if isinstance(value, list):
                items = shape.items
                if items is not None and items.kind != "any":
                    plain_text = items.kind == "s" and items.enum is None and items.fmt is None
                    for index, item in enumerate(value):
                        if not (plain_text and item.__class__ is str):
                            self._value(value, index, item, items, path + (index,))
            else:
                self._type_issue(parent, step, value, shape, path)
        elif kind == "s":
            if cls is not str:
                self._type_issue(parent, step, value, shape, path)
            elif shape.enum is not None and value not in shape.enum:
                self._enum_issue(step, value, shape, path)
            elif shape.fmt == "byte" and not _is_base64(value):
                self._issue(TYPE, path, m.TYPE_NOT_BASE64, step, shown=_short(value))
        elif kind == "i":
            if cls is int:
                self._integer(parent, step, value, shape, path)
            elif cls is float and value.is_integer():
                self._integer(parent, step, int(value), shape, path)
            else:
                self._type_issue(parent, step, value, shape, path)
        elif kind == "b":
            if cls is not bool:
                self._type_issue(parent, step, value, shape, path)
        elif kind == "ios":
            if cls is str:
                return
            if cls is int or (cls is float and value.is_integer()):
                self._integer(parent, step, int(value), shape, path, "int32")
            else:
                self._type_issue(parent, step, value, shape, path)
        elif kind == "qty":
            if cls is str:
                if not _QUANTITY.match(value.strip()):
                    self._issue(TYPE, path, m.TYPE_NOT_QUANTITY, step, shown=_shown(value))
            elif not (cls is int or cls is float):
                self._type_issue(parent, step, value, shape, path)
        elif kind == "n":
            if not (cls is int or cls is float):
                self._type_issue(parent, step, value, shape, path)
        elif not _matches_union(value, kind):
            self._type_issue(parent, step, value, shape, path)

    def _object(self, data: dict, shape: Shape, path: tuple) -> None:
        props = shape.props
        values = shape.values
        if props is None and values is None:
            return
        closed = shape.closed and not shape.preserve
        for key, value in data.items():
            child = props.get(key) if props is not None else None
            if child is None:
                if values is not None:
                    child = values
                else:
                    if closed:
                        self._unknown(data, key, shape, path + (key,))
                    continue
            if value is None:
                continue
            # Most values are well-typed scalars: settle those here, without a call.
            kind = child.kind
            cls = value.__class__
            if kind == "s":
                if cls is str and child.enum is None and child.fmt is None:
                    continue
            elif kind == "i":
                if cls is int and not child.crd:
                    low, high = _RANGES[child.fmt or "int64"]
                    if low <= value <= high:
                        continue
            elif kind == "b" or kind == "ios":
                if cls is bool if kind == "b" else cls is str:
                    continue
            self._value(data, key, value, child, path + (key,))
        name = shape.definition_name
        if shape.crd:
            if shape.required:
                self._required(data, shape, shape.required, path)
        elif name is not None:
            required = self._enforced.get(name)
            if required is None:
                required = self._enforced[name] = _enforced_required(name, shape.required)
            if required:
                self._required(data, shape, required, path)
            if name in _CHECKED_DEFINITIONS:
                self._built_in_checks(data, shape, path)

    def _integer(self, parent: Any, step: Any, value: int, shape: Shape, path: tuple,
                 fmt: str | None = None) -> None:
        if shape.crd:
            return  # (see crd.compile_schema: no bounds for custom resources)
        fmt = fmt or shape.fmt or "int64"
        low, high = _RANGES.get(fmt, _RANGES["int64"])
        if not low <= value <= high:
            self._issue(TYPE, path, m.TYPE_OUT_OF_RANGE, step, shown=_shown(value),
                        expected=fmt, low=low, high=high)

    # -- issues --------------------------------------------------------------------------

    def _issue(self, kind: str, path: tuple, template: str, key: Any, on_key: bool = False,
               fix: Fix | None = None, **params: Any) -> None:
        params.setdefault("kind", self.kind)
        params.setdefault("refused", m.TEXTS(m.REFUSED, kind=self.kind))
        params["key"] = key if isinstance(key, str) else path_label(path)
        self.issues.append(SchemaIssue(kind, path, template, params, on_key, fix))

    def _type_issue(self, parent: Any, step: Any, value: Any, shape: Shape,
                    path: tuple) -> None:
        expected_code = shape.kind
        expected = _expected(shape)
        type_name = _type_name(shape)
        cls = value.__class__
        if expected_code == "s" and cls in (bool, int, float):
            self._string_expected(parent, step, value, path)
            return
        if cls is str and expected_code in ("i", "n", "ios") and _INTEGER_TEXT.match(
                value.strip()):
            text = value.strip()
            self._issue(TYPE, path, m.TYPE_QUOTED_NUMBER, step, shown=_shown(value),
                        expected=expected, replacement=text,
                        fix=Fix("replace-value", path, text, type_name))
            return
        if cls is str and expected_code == "b" and value in ("true", "false"):
            self._issue(TYPE, path, m.TYPE_QUOTED_BOOLEAN, step, shown=_shown(value),
                        replacement=value, fix=Fix("replace-value", path, value, type_name))
            return
        if cls is float and expected_code in ("i", "ios"):
            self._issue(TYPE, path, m.TYPE_NOT_WHOLE, step, shown=_shown(value),
                        expected=shape.fmt or "int32" if expected_code == "ios" else
                        shape.fmt or "int64")
            return
        self._issue(TYPE, path, m.TYPE_MISMATCH, step, expected=expected,
                    actual=_actual(value), shown=_shown(value))

    def _string_expected(self, parent: Any, step: Any, value: Any, path: tuple) -> None:
        source = scalar_text(parent, step)
        text = source[0] if source else _shown(value)
        plain = source[1] if source else True
        replacement = json.dumps(text, ensure_ascii=False)
        fix = Fix("replace-value", path, replacement, "string")
        if plain and value.__class__ is bool and text.lower() not in ("true", "false"):
            self._issue(YAML11, path, m.YAML11_BOOLEAN, step, text=text,
                        value=_shown(value), replacement=replacement, fix=fix)
        elif plain and value.__class__ is int and _OCTAL_TEXT.match(text.replace("_", "")):
            self._issue(YAML11, path, m.YAML11_OCTAL, step, text=text, value=value,
                        replacement=replacement, fix=fix)
        elif plain and value.__class__ is not bool and text != _shown(value):
            self._issue(YAML11, path, m.YAML11_NUMBER, step, text=text, value=_shown(value),
                        replacement=replacement, fix=fix)
        else:
            reading = m.TEXTS("reading-boolean" if value.__class__ is bool else
                              "reading-number", shown=_shown(value))
            self._issue(TYPE, path, m.TYPE_STRING_EXPECTED, step, shown=text, reading=reading,
                        replacement=replacement, fix=fix)

    def _enum_issue(self, step: Any, value: Any, shape: Shape, path: tuple,
                    allowed: tuple | None = None) -> None:
        allowed = allowed if allowed is not None else shape.enum or ()
        listed = Items(tuple(_shown(v) for v in allowed))
        meant = suggest(value, {v: None for v in allowed if isinstance(v, str)}) \
            if isinstance(value, str) else None
        if meant is None:
            self._issue(ENUM, path, m.ENUM_INVALID, step, shown=_shown(value), allowed=listed)
            return
        replacement = json.dumps(meant)
        self._issue(ENUM, path, m.ENUM_SUGGESTED, step, shown=_shown(value), allowed=listed,
                    suggestion=replacement,
                    fix=Fix("replace-value", path, replacement, "string"))

    def _where(self, shape: Shape, path: tuple) -> str:
        """How a message names the mapping at ``path``: its API type, else its field path."""
        if shape.definition:
            return shape.definition
        relative = path[self.base:]
        return f"`{path_label(relative)}`" if relative else self.kind

    def _unknown(self, data: dict, key: str, shape: Shape, path: tuple) -> None:
        definition = self._where(shape, path[:-1])
        if not shape.crd and shape.definition_name:
            versions = field_versions(shape.definition_name, key)
            if versions:
                target = _version_key(self.release.version)
                if _version_key(versions[0]) > target:
                    self._issue(VERSION, path, m.VERSION_ADDED, key, on_key=True,
                                definition=definition, since=versions[0],
                                version=self.release.version)
                    return
                if _version_key(versions[-1]) < target:
                    self._issue(VERSION, path, m.VERSION_REMOVED, key, on_key=True,
                                definition=definition, until=versions[-1],
                                version=self.release.version)
                    return
        suggestion = suggest(key, shape.props or {})
        if suggestion is None:
            self._issue(UNKNOWN, path, m.UNKNOWN_PLAIN, key, on_key=True, definition=definition)
            return
        outcome = _outcome(data, suggestion, (shape.props or {})[suggestion])
        self._issue(UNKNOWN, path, m.UNKNOWN_SUGGESTED, key, on_key=True,
                    definition=definition, suggestion=suggestion, outcome=outcome,
                    fix=Fix("rename-key", path, suggestion))

    def _required(self, data: dict, shape: Shape, keys: tuple[str, ...], path: tuple) -> None:
        for key in keys:
            if data.get(key) is None:
                self._issue(REQUIRED, path, m.REQUIRED_MISSING, key, on_key=True,
                            definition=self._where(shape, path))

    def _built_in_checks(self, data: dict, shape: Shape, path: tuple) -> None:
        """Validation's own checks of a few built-in types: non-empty lists, enumerations,
        file modes (see the tables at the top of this module)."""
        name = shape.definition_name
        for key in ("containers",):
            value = data.get(key)
            if isinstance(value, list) and not value and f"{name}.{key}" in NON_EMPTY:
                self._issue(REQUIRED, path + (key,), m.REQUIRED_EMPTY, key, on_key=True)
        for key, allowed in BUILT_IN_ENUMS.get(name or "", {}).items():
            value = data.get(key)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if item.__class__ is str and item and item not in allowed:
                        self._enum_issue(key, item, shape, path + (key, index), allowed)
            elif value.__class__ is str and value and value not in allowed:
                self._enum_issue(key, value, shape, path + (key,), allowed)
        for key in ("defaultMode", "mode"):
            value = data.get(key)
            if value.__class__ is int and f"{name}.{key}" in FILE_MODE_FIELDS \
                    and not 0 <= value <= 0o777:
                self._file_mode(data, key, value, path + (key,))

    def _file_mode(self, data: dict, key: str, value: int, path: tuple) -> None:
        source = scalar_text(data, key)
        text = source[0] if source else str(value)
        if source and source[1] and _OCTAL_DIGITS.match(text) and int(text, 8) <= 0o777:
            replacement = "0" + text.lstrip("0").rjust(3, "0")
            self._issue(FILE_MODE, path, m.FILE_MODE_DECIMAL, key, text=text,
                        octal=f"0{value:o}", replacement=replacement,
                        fix=Fix("replace-value", path, replacement, "int32"))
        else:
            self._issue(FILE_MODE, path, m.FILE_MODE_RANGE, key, text=text)


# ---------------------------------------------------------------------------------------------

# The definitions _built_in_checks has something to check in.
_CHECKED_DEFINITIONS = frozenset(
    {entry.rpartition(".")[0] for entry in NON_EMPTY | FILE_MODE_FIELDS} | set(BUILT_IN_ENUMS))


def _enforced_required(name: str, required: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of ``required`` (a built-in definition's) that validation enforces."""
    return tuple(key for key in required if f"{name}.{key}" in ENFORCED_REQUIRED)


@functools.lru_cache(maxsize=4096)
def field_versions(definition_name: str, key: str) -> tuple[str, ...]:
    """The bundled releases whose ``definition_name`` has the property ``key`` (cached: the
    bundle never changes during a run, and a file with many unknown fields asks often)."""
    found = []
    for version in store.versions():
        release = store.release(version)
        if release is None or not release.has_definition(definition_name):
            continue
        props = release.definition(definition_name).props
        if props is not None and key in props:
            found.append(version)
    return tuple(found)


def suggest(key: str, candidates: dict) -> str | None:
    """The field ``key`` most likely meant: same letters in another case, else one within a
    small edit distance (1 for short names, 2 from 6 letters, 3 from 12)."""
    return _suggest(key, tuple(candidates))


@functools.lru_cache(maxsize=4096)
def _suggest(key: str, candidates: tuple[str, ...]) -> str | None:
    # Cached by value: the same misspelling recurs in every object of a generated stream,
    # and the edit distance is the costly part of reading a mapping full of unknown fields.
    folded = key.casefold()
    for candidate in candidates:
        if candidate.casefold() == folded:
            return candidate
    limit = 1 if len(key) < 6 else 2 if len(key) < 12 else 3
    best, best_distance = None, limit + 1
    for candidate in sorted(candidates):
        if abs(len(candidate) - len(key)) > limit:
            continue
        distance = _distance(folded, candidate.casefold(), limit)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, cut off above ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _outcome(data: dict, suggestion: str, shape: Shape) -> Message:
    if data.get(suggestion) is not None:
        return m.TEXTS("outcome-kept", suggestion=suggestion)
    if shape.kind in ("o", "a"):
        return m.TEXTS("outcome-nothing", suggestion=suggestion)
    default = FIELD_DEFAULTS.get(suggestion)
    if default is not None:
        return m.TEXTS("outcome-default", suggestion=suggestion, default=default)
    return m.TEXTS("outcome-unset", suggestion=suggestion)


def _matches_union(value: Any, kind: str) -> bool:
    cls = value.__class__
    for code in kind.split(","):
        if (code == "s" and cls is str) or (code == "b" and cls is bool) \
                or (code == "i" and (cls is int or (cls is float and value.is_integer()))) \
                or (code == "n" and cls in (int, float)) \
                or (code == "o" and isinstance(value, dict)) \
                or (code == "a" and isinstance(value, list)):
            return True
    return False


def _expected(shape: Shape) -> Message | Items:
    """What the field takes, in words: "an integer (int32)", "a string or a number"."""
    kind = shape.kind
    if kind == "i" and shape.fmt:
        return m.TEXTS("expected-i-format", format=shape.fmt)
    if "," in kind:
        return Items(tuple(_expected_code(code) for code in kind.split(",")), "or")
    return _expected_code(kind)


def _expected_code(code: str) -> Message | str:
    key = f"expected-{code}"
    return m.TEXTS(key) if key in m.TEXTS else code


def _type_name(shape: Shape) -> str:
    if shape.kind == "i" and shape.fmt:
        return shape.fmt
    return _TYPE_NAMES.get(shape.kind, shape.kind)


def _actual(value: Any) -> Message:
    """The value as the message names it: "a mapping", "the string \"x\"", ..."""
    if isinstance(value, dict):
        return m.TEXTS("actual-mapping")
    if isinstance(value, list):
        return m.TEXTS("actual-list")
    if value.__class__ is bool:
        return m.TEXTS("actual-boolean", shown=_shown(value))
    if value.__class__ is str:
        return m.TEXTS("actual-string", shown=_shown(value))
    return m.TEXTS("actual-number", shown=_shown(value))


def _shown(value: Any) -> str:
    if value.__class__ is bool:
        return "true" if value else "false"
    if value.__class__ is str:
        return json.dumps(_short(value, 60), ensure_ascii=False)
    if value.__class__ is float:
        return repr(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return str(value)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_base64(text: str) -> bool:
    # Go's encoding/json decodes []byte with base64.StdEncoding, which skips \r and \n.
    cleaned = text.replace("\n", "").replace("\r", "")
    try:
        base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def path_label(path: tuple) -> str:
    """A path as the API server names fields: ``spec.containers[0].ports[1].containerPort``."""
    parts: list[str] = []
    for step in path:
        parts.append(f"[{step}]" if isinstance(step, int) else ("." if parts else "") + step)
    return "".join(parts)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
