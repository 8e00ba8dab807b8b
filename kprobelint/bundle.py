"""What the whole input declares, for rules that look across objects and files.

Pods refer to ConfigMaps, Secrets and PersistentVolumeClaims by name, and Services select
pods by label. The index keeps only names, keys and selectors (plain values, no YAML nodes),
so it stays small however large the input is; the rules that need it decide once every file
is read (see :class:`kprobelint.checks.Pending`). ``complete`` says the input is the whole
application (``--complete``): a reference to something absent is then an error rather than
a note.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import K8sObject, PodSpec, plain
from .services import (
    ServiceInfo,
    WorkloadInfo,
    mentioned_numbers,
    origin_of,
    pod_ports,
    selects,
    service_info,
)
from .typechecking import TYPE_CHECKING
from .workloads import KINDS

if TYPE_CHECKING:
    from typing import Any


@dataclass
class Bundle:
    """What the rules that look across objects know of the whole input."""

    complete: bool = False
    config_maps: dict[tuple[str | None, str], set[str]] = field(default_factory=dict)
    secrets: dict[tuple[str | None, str], set[str]] = field(default_factory=dict)
    claims: set[tuple[str | None, str]] = field(default_factory=set)
    services: list[ServiceInfo] = field(default_factory=list)
    # Every pod spec of the input, for the checks on what Services reach.
    workloads: list[WorkloadInfo] = field(default_factory=list)
    # CustomResourceDefinitions (given with --crd, and met in the input), for custom resources:
    # an apischema.crd.CrdSchemas once there is one (imported only then). Indexed only when
    # the schema rules run.
    crds: Any = None
    index_crds: bool = False
    # The input holds a controller of its own that may create Pods (a CustomResourceDefinition,
    # or RBAC that grants creating Pods or workloads): Pods may exist that no template shows.
    operators: bool = False

    def add(self, obj: K8sObject, pods: list[PodSpec] = (), inline: bool = False) -> None:
        """Index what ``obj`` declares; ``pods`` are its pod specs (model.pod_specs_of);
        ``inline`` when its input cannot be read again (stdin): a CRD then keeps its own
        text."""
        self._selector_index = None
        key = (_namespace(obj.ref.namespace), obj.ref.name)
        data = obj.data
        # Two objects with one name (a base and its overlay, say) pool their keys, whatever
        # their order: the same as merge() does, so that a parallel run decides the same.
        if obj.kind == "ConfigMap" and obj.api_version == "v1":
            self.config_maps.setdefault(key, set()).update(
                _keys(data, "data") | _keys(data, "binaryData"))
        elif obj.kind == "Secret" and obj.api_version == "v1":
            self.secrets.setdefault(key, set()).update(
                _keys(data, "data") | _keys(data, "stringData"))
        elif obj.kind == "PersistentVolumeClaim":
            self.claims.add(key)
        elif obj.kind == "CustomResourceDefinition" and self.index_crds \
                and obj.api_version.startswith("apiextensions.k8s.io/"):
            from .apischema.crd import source_of  # noqa: PLC0415

            source = source_of(data, obj.file, obj.document.data, inline)
            if source is not None:
                self.add_crds(None).add(data, source)
        elif obj.kind == "Service":
            service = service_info(obj, key[0])
            if service is not None:
                self.services.append(service)
        if obj.kind == "CustomResourceDefinition" or (
                obj.kind in ("Role", "ClusterRole") and _creates_pods(data)):
            self.operators = True
        origin = origin_of(obj.file.path)
        for pod in pods:
            self.workloads.append(WorkloadInfo(key[0], obj.kind, obj.ref.name,
                                               plain(pod.labels), pod_ports(pod), origin,
                                               pod.keeps_running, mentioned_numbers(pod),
                                               pod.workload.adds_labels))

    def merge(self, other: "Bundle") -> None:
        """Add what another part of the input declared (parallel workers each index a part)."""
        self._selector_index = None
        for key, keys in other.config_maps.items():
            self.config_maps.setdefault(key, set()).update(keys)
        for key, keys in other.secrets.items():
            self.secrets.setdefault(key, set()).update(keys)
        self.claims.update(other.claims)
        self.services.extend(other.services)
        self.workloads.extend(other.workloads)
        self.operators = self.operators or other.operators
        if other.crds is not None:
            self.add_crds(other.crds)

    def add_crds(self, crds: Any) -> Any:
        """Add the CRDs of ``crds`` (an apischema.crd.CrdSchemas, or None); the registry."""
        if self.crds is None:
            from .apischema.crd import CrdSchemas  # noqa: PLC0415

            self.crds = CrdSchemas()
        if crds is not None:
            self.crds.merge(crds)
        return self.crds

    def declares(self, what: tuple) -> bool:
        """True when the input declares ``what``: ``(kind, namespace, name)`` for a ConfigMap,
        Secret or PersistentVolumeClaim, or ``(kind, namespace, name, key)`` for a key of a
        ConfigMap or Secret. Once true it stays true: add() and merge() only ever add."""
        kind, namespace, name, *key = what
        index_key = (_namespace(namespace), name)
        if kind == "PersistentVolumeClaim":
            return index_key in self.claims
        keys = (self.config_maps if kind == "ConfigMap" else self.secrets).get(index_key)
        return keys is not None and (not key or key[0] in keys)

    def canonical_order(self) -> None:
        """Sort what order could vary with (file order, worker split), for stable messages."""
        # Values may be of any YAML type: compare their text, never the values.
        self.services.sort(key=lambda s: (s.namespace or "", s.name, repr(s)))
        self.workloads.sort(key=lambda w: (w.namespace or "", w.kind, w.name, repr(w)))

    def selecting(self, namespace: str | None, labels: dict, origin: str,
                  added: frozenset[str] = frozenset()) -> list[ServiceInfo]:
        """The Services of the input that select Pods with these labels (and the label keys
        their controller ``added``) in this namespace (an object's namespace as written);
        those of the pod template's own directory (``origin``) when there are any."""
        namespace = _namespace(namespace)
        candidates = self._index().services_for(namespace, labels, added)
        return _nearby([s for s in candidates if selects(s.selector, labels, added)], origin)

    def selected(self, service: ServiceInfo, serving: bool = False) -> list[WorkloadInfo]:
        """The pod specs of the input whose Pods ``service`` selects (only those that keep
        running with ``serving``); those of the Service's own directory when there are any."""
        candidates = self._index().workloads_for(service)
        return _nearby([w for w in candidates if (w.serving or not serving)
                        and selects(service.selector, w.labels, w.added)], service.origin)

    def _index(self) -> "_SelectorIndex":
        # Built once the input is complete (selections are asked only then): without it each
        # Service would be compared with every pod template, quadratic in a large input.
        if getattr(self, "_selector_index", None) is None:
            self._selector_index = _SelectorIndex(self.services, self.workloads)
        return self._selector_index


# Label keys some controller adds to the Pods it creates: a selector pair with such a key
# may match a Pod whatever its template says, so it cannot narrow the search.
_ADDED = frozenset().union(*(kind.adds_labels for kind in KINDS))


def _pair(namespace: str | None, key: Any, value: Any) -> tuple:
    try:
        hash(value)
    except TypeError:  # a list or mapping in a label: its text stands for it
        value = repr(value)
    return (namespace, key, value)


class _SelectorIndex:
    """Services and pod templates by namespace and label pair, to find candidates at once."""

    def __init__(self, services: list[ServiceInfo], workloads: list[WorkloadInfo]) -> None:
        self.services = services  # in the canonical order
        self.workloads_by_pair: dict[tuple, list[WorkloadInfo]] = {}
        self.workloads_by_namespace: dict[str | None, list[WorkloadInfo]] = {}
        for w in workloads:
            self.workloads_by_namespace.setdefault(w.namespace, []).append(w)
            for key, value in w.labels.items():
                self.workloads_by_pair.setdefault(_pair(w.namespace, key, value), []).append(w)
        # A Service is filed under one pair of its selector that no controller adds.
        self.services_by_pair: dict[tuple, list[ServiceInfo]] = {}
        self.services_unfiled: dict[str | None, list[ServiceInfo]] = {}
        for s in services:
            anchor = next((k for k in s.selector if k not in _ADDED), None)
            if anchor is None:
                self.services_unfiled.setdefault(s.namespace, []).append(s)
            else:
                self.services_by_pair.setdefault(
                    _pair(s.namespace, anchor, s.selector[anchor]), []).append(s)

    def workloads_for(self, service: ServiceInfo) -> list[WorkloadInfo]:
        """Pod templates that may match: those with the rarest pair of the selector."""
        lists = [self.workloads_by_pair.get(_pair(service.namespace, k, v), [])
                 for k, v in service.selector.items() if k not in _ADDED]
        if not lists:
            return self.workloads_by_namespace.get(service.namespace, [])
        return min(lists, key=len)

    def services_for(self, namespace: str | None, labels: dict,
                     added: frozenset[str]) -> list[ServiceInfo]:
        """Services that may select Pods with these labels (keys ``added`` match anything)."""
        found: list[ServiceInfo] = list(self.services_unfiled.get(namespace, []))
        for key, value in labels.items():
            found.extend(self.services_by_pair.get(_pair(namespace, key, value), []))
        if added:  # a Service anchored on a key the controller adds to these Pods
            found.extend(s for pair, filed in self.services_by_pair.items()
                         if pair[0] == namespace and pair[1] in added for s in filed)
        unique = {id(s): s for s in found}
        return [s for s in self.services if id(s) in unique]  # in the canonical order


_POD_MAKERS = frozenset({"pods", "deployments", "statefulsets", "daemonsets", "replicasets",
                         "jobs", "*"})


def _creates_pods(role: dict) -> bool:
    """True when an RBAC role lets its subjects create Pods or the workloads that make them."""
    rules = role.get("rules")
    for rule in rules if isinstance(rules, list) else ():
        if not isinstance(rule, dict):
            continue
        verbs, resources = rule.get("verbs"), rule.get("resources")
        if (isinstance(verbs, list) and isinstance(resources, list)
                and {"create", "*"} & {v for v in verbs if isinstance(v, str)}
                and _POD_MAKERS & {r for r in resources if isinstance(r, str)}):
            return True
    return False


def _nearby(found: list, origin: str) -> list:
    """``found`` narrowed to those from directory ``origin``, when any is: an input of several
    applications (a repository of examples, say) must not pair one's Service with another's
    Pods merely because they share a label; a split layout (services/, deployments/) still
    pairs them."""
    local = [item for item in found if item.origin == origin]
    return local or found


def _namespace(namespace: str | None) -> str | None:
    # An object without a namespace lands in the namespace it is applied to; treat every
    # unnamespaced object as one namespace, and "default" as that namespace too.
    return None if namespace in (None, "", "default") else namespace


def namespace_key(namespace: str | None) -> str | None:
    return _namespace(namespace)


def _keys(data: dict, field_name: str) -> set[str]:
    values = data.get(field_name)
    return {str(k) for k in values} if isinstance(values, dict) else set()
