"""Kubernetes knowledge: objects, their pod specs and containers, and defaults.

Where each kind keeps its pod spec, and what it does with it, is the table of
:mod:`kprobelint.workloads`.

Defaults follow ``pkg/apis/core/v1/defaults.go`` (see research/k8s-semantics.md section 3):
the API server applies them before validation, so rules reason about effective values.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from .findings import ObjectRef
from .lazyregex import LazyPattern
from .load import Document, LoadedFile
from .records import Record
from .typechecking import TYPE_CHECKING
from .workloads import NEVER, OPERATOR, WorkloadKind, pod_spec_sites, workload_kind

if TYPE_CHECKING:
    from typing import Any

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HOOKS = ("postStart", "preStop")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
HOOK_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")

PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
DEFAULT_TERMINATION_GRACE_PERIOD = 30
DEFAULT_PROGRESS_DEADLINE = 600  # apps/v1 SetDefaults_Deployment
HELM_HOOK = "helm.sh/hook"


class K8sObject(Record):
    """A Kubernetes object of a document (a document's object, or an item of a List)."""

    __slots__ = ("file", "document", "path", "data", "kind", "api_version", "ref", "directives")
    file: LoadedFile
    document: Document
    path: tuple  # where the object sits in its document: () or ("items", i) in a List
    data: dict
    kind: str
    api_version: str
    ref: ObjectRef
    directives: list  # suppressions found in its annotations

    def __init__(self, file: LoadedFile, document: Document, path: tuple, data: dict, kind: str,
                 api_version: str, ref: ObjectRef, directives: list | None = None) -> None:
        self.file = file
        self.document = document
        self.path = path
        self.data = data
        self.kind = kind
        self.api_version = api_version
        self.ref = ref
        self.directives = [] if directives is None else directives

    @property
    def labels(self) -> dict:
        meta = self.data.get("metadata")
        labels = meta.get("labels") if isinstance(meta, dict) else None
        return labels if isinstance(labels, dict) else {}

    @property
    def annotations(self) -> dict:
        meta = self.data.get("metadata")
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        return annotations if isinstance(annotations, dict) else {}


class PodSpec(Record):
    """The Pod template of an object (a Pod's spec, a Deployment's template...)."""

    __slots__ = ("obj", "data", "path", "workload", "memo")
    obj: K8sObject
    data: dict
    path: tuple  # absolute path in the document
    workload: WorkloadKind  # what the object's kind does with this pod spec
    # Pod-wide facts that per-container checks need, computed once per pod: a pod may have
    # thousands of (aliased) containers, and each recomputing them would be quadratic. Keep
    # plain values here, never Containers: they point back at the pod, and the cycle would
    # outlive the file (the cyclic collector is mostly off while linting).
    memo: dict

    def __init__(self, obj: K8sObject, data: dict, path: tuple, workload: WorkloadKind,
                 memo: dict | None = None) -> None:
        self.obj = obj
        self.data = data
        self.path = path
        self.workload = workload
        self.memo = {} if memo is None else memo

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def is_template(self) -> bool:
        """False for a bare Pod, whose spec is the Pod's own."""
        return not (self.workload.kind == "Pod" and self.workload.group == "")

    @property
    def keeps_running(self) -> bool:
        """True when its Pods are meant to keep running: not a Job's, not a one-shot Pod (a
        Pod owned by a Job, a Helm hook Pod, restartPolicy other than Always)."""
        if self.workload.long_running is not None:
            return self.workload.long_running
        if not self.is_template:
            if _owned_by_job(self.obj.data) or HELM_HOOK in self.obj.annotations:
                return False
        return self.restart_policy == "Always"

    @property
    def metadata_path(self) -> tuple:
        """Where the metadata of its Pods is written: beside a ``spec`` (a pod template, or the
        Pod itself), or inside the mapping that holds the containers (an Argo template)."""
        if self.path and self.path[-1] == "spec":
            return self.path[:-1] + ("metadata",)
        return self.path + ("metadata",)

    @property
    def labels(self) -> dict:
        """The labels its Pods carry: the template's metadata, or the Pod's own."""
        node: Any = self.obj.data
        for step in self.metadata_path[len(self.obj.path):]:
            node = node.get(step) if isinstance(node, dict) else None
        labels = node.get("labels") if isinstance(node, dict) else None
        return labels if isinstance(labels, dict) else {}

    @property
    def restart_policy(self) -> Any:
        """The restartPolicy the Pods run with: as written (default Always), the one the
        controller imposes, or None when the controller decides from fields of its own."""
        if self.workload.restart == NEVER:
            return "Never"
        if self.workload.restart == OPERATOR:
            return None
        return self.data.get("restartPolicy", "Always")

    @property
    def termination_grace_period(self) -> Any:
        value = self.data.get("terminationGracePeriodSeconds")
        return DEFAULT_TERMINATION_GRACE_PERIOD if value is None else value


class Container(Record):
    """A container of a Pod template, of any role (init, sidecar, ephemeral)."""

    __slots__ = ("pod", "data", "role", "list_key", "index", "path", "unnamed")
    pod: PodSpec
    data: dict
    # "container", "init", "sidecar" (init with restartPolicy Always), "ephemeral", "step"
    role: str
    list_key: str  # the pod spec field holding it: containers, initContainers, container...
    index: int | None  # its index in that list; None for a field that holds one container
    path: tuple
    unnamed: str | None  # the name the operator gives it when the manifest has none

    def __init__(self, pod: PodSpec, data: dict, role: str, list_key: str, index: int | None,
                 path: tuple = (), unnamed: str | None = None) -> None:
        self.pod = pod
        self.data = data
        self.role = role
        self.list_key = list_key
        self.index = index
        self.path = path
        self.unnamed = unnamed

    @property
    def name(self) -> str:
        name = self.data.get("name")
        if isinstance(name, str):
            return name
        return self.unnamed or self.field

    @property
    def field(self) -> str:
        """Where it is in its pod spec: ``containers[2]``, or ``container`` for a lone one."""
        return self.list_key if self.index is None else f"{self.list_key}[{self.index}]"

    @property
    def long_running(self) -> bool:
        return self.role in ("container", "sidecar")

    def configured_text(self) -> str:
        """Its command, args and literal env values as one text (where an application is
        often told its port), for rules that must not contradict it."""
        parts: list[str] = []
        for key in ("command", "args"):
            value = self.data.get(key)
            if isinstance(value, list):
                parts.extend(str(v) for v in value if isinstance(v, (str, int)))
        env = self.data.get("env")
        for entry in env if isinstance(env, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("value"), (str, int)):
                parts.append(str(entry["value"]))
        return "\n".join(parts)

    def ports(self) -> list[dict]:
        ports = self.data.get("ports")
        return [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []

    def port_names(self) -> set[str]:
        return {p["name"] for p in self.ports() if isinstance(p.get("name"), str)}

    def probes(self) -> Iterator[tuple[str, dict]]:
        for key in PROBES:
            probe = self.data.get(key)
            if isinstance(probe, dict):
                yield key, probe

    def hooks(self) -> Iterator[tuple[str, dict]]:
        lifecycle = self.data.get("lifecycle")
        if isinstance(lifecycle, dict):
            for key in HOOKS:
                hook = lifecycle.get(key)
                if isinstance(hook, dict):
                    yield key, hook


# A key at the start of a line (YAML block style, after indentation or "- ") or after "{" or
# "," (flow style, JSON), optionally quoted. Cheap, and generous on purpose: a false "looks
# like a manifest" only means a broken file's problems are reported.
_API_VERSION_KEY = LazyPattern(r"""(?:^|[{,])[ \t-]*["']?apiVersion["']?[ \t]*:""", re.MULTILINE)
_KIND_KEY = LazyPattern(r"""(?:^|[{,])[ \t-]*["']?kind["']?[ \t]*:""", re.MULTILINE)


def looks_like_manifest(text: str) -> bool:
    """True when ``text`` has both an ``apiVersion`` and a ``kind`` key somewhere.

    pre-commit hands the hook every YAML and JSON file of a repository (tsconfig.json with
    comments, editor settings, CI workflows, values files): a file with neither key never
    meant to be a Kubernetes manifest, and its YAML problems are not kprobelint's to report.
    """
    return bool(_API_VERSION_KEY.search(text)) and bool(_KIND_KEY.search(text))


def objects_of(loaded: LoadedFile) -> tuple[list[K8sObject], int]:
    """Kubernetes objects in a file (``*List`` items expanded) and the count of other documents."""
    objects: list[K8sObject] = []
    others = 0
    for document in loaded.documents:
        data = document.data
        if not _is_object(data):
            others += 1
            continue
        items = data.get("items")
        if data["kind"].endswith("List") and isinstance(items, list):
            for i, item in enumerate(items):
                if _is_object(item):
                    objects.append(_object(loaded, document, ("items", i), item))
            continue
        objects.append(_object(loaded, document, (), data))
    return objects, others


def _is_object(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("kind"), str)
        and isinstance(data.get("apiVersion"), str)
        and bool(data["kind"])
    )


def _object(loaded: LoadedFile, document: Document, path: tuple, data: dict) -> K8sObject:
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name") or meta.get("generateName") or "<unnamed>"
    namespace = meta.get("namespace")
    ref = ObjectRef(data["kind"], str(name), str(namespace) if namespace is not None else None)
    return K8sObject(loaded, document, path, data, data["kind"], data["apiVersion"], ref)


def pod_specs_of(obj: K8sObject) -> list[PodSpec]:
    """The object's pod specs, where its kind keeps them (see :mod:`kprobelint.workloads`)."""
    workload = workload_kind(obj.api_version, obj.kind, obj.data)
    if workload is None:
        return []
    keys = {slot.key for slot in workload.slots}
    return [PodSpec(obj, data, obj.path + path, workload)
            for path, data in pod_spec_sites(workload, obj.data)
            # An Argo steps or dag template, say, runs no Pod of its own.
            if workload.full_pod_spec or keys.intersection(data)]


def pod_spec_of(obj: K8sObject) -> PodSpec | None:
    """The object's first pod spec, for views of one Pod per workload (the timeline)."""
    pods = pod_specs_of(obj)
    return pods[0] if pods else None


def _owned_by_job(data: dict) -> bool:
    meta = data.get("metadata")
    owners = meta.get("ownerReferences") if isinstance(meta, dict) else None
    if not isinstance(owners, list):
        return False
    return any(_runs_to_completion(owner) for owner in owners)


def _runs_to_completion(owner: Any) -> bool:
    """True for an ownerReference to a kind whose Pods run to completion (a Job)."""
    if not isinstance(owner, dict):
        return False
    api_version, kind = owner.get("apiVersion"), owner.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return False
    workload = workload_kind(api_version, kind, {})
    return workload is not None and workload.long_running is False


def containers_of(pod: PodSpec) -> list[Container]:
    found: list[Container] = []
    for slot in pod.workload.slots:
        entries = pod.data.get(slot.key)
        if not slot.many:
            if isinstance(entries, dict):
                found.append(Container(pod, entries, slot.role, slot.key, None,
                                       pod.path + (slot.key,), slot.unnamed))
            continue
        if not isinstance(entries, list):
            continue
        for index, data in enumerate(entries):
            if not isinstance(data, dict):
                continue
            role = slot.role
            if role == "init" and data.get("restartPolicy") == "Always":
                role = "sidecar"
            found.append(Container(pod, data, role, slot.key, index,
                                   pod.path + (slot.key, index)))
    return found


def probe_setting(probe: dict, key: str) -> Any:
    """A probe timing field as the API server stores it: absent or 0 becomes the default."""
    value = probe.get(key)
    default = PROBE_DEFAULTS[key]
    if value is None or (value == 0 and not isinstance(value, bool)):
        return default
    return value


def handlers_in(handler_owner: dict, allowed: tuple[str, ...]) -> list[str]:
    """Handler fields that are set (a ``null`` value counts as unset, as in JSON decoding)."""
    return [key for key in allowed if handler_owner.get(key) is not None]


def as_int(value: Any) -> int | None:
    """An integer field's value, or None for anything that is not an integer (bool included).

    A float with no fraction counts: kubectl turns YAML ``10.0`` into JSON ``10``.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def probe_endpoint(container: Container, probe: dict) -> tuple | None:
    """What a probe checks, comparable between probes (named ports resolved to numbers)."""
    present = handlers_in(probe, PROBE_HANDLERS)
    if len(present) != 1 or not isinstance(probe[present[0]], dict):
        return None
    kind = present[0]
    action = probe[kind]
    if kind == "exec":
        command = action.get("command")
        return ("exec", tuple(map(str, command))) if isinstance(command, list) else None
    port = action.get("port")
    if isinstance(port, str):
        for entry in container.ports():
            if entry.get("name") == port and as_int(entry.get("containerPort")) is not None:
                port = as_int(entry["containerPort"])
                break
    if not isinstance(port, (int, str)) or isinstance(port, bool):
        return None
    if kind == "grpc":
        return ("grpc", port, action.get("service") or "")
    host = action.get("host") or ""
    if kind == "tcpSocket":
        return ("tcpSocket", port, host)
    return ("httpGet", port, host, action.get("path") or "/", action.get("scheme") or "HTTP")


def plain(value: Any) -> Any:
    """A copy of loaded YAML without its nodes (YMap/YSeq become dict/list; equal to it)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
