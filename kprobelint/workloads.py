"""Workload kinds: where each keeps its pod spec, how its Pods restart, what the API server
validates, whether its containers must be named.

One table, as kube-linter's ``pkg/objectkinds``: the model and the checks ask it instead of
keeping kind lists of their own. Core kinds follow research/k8s-semantics.md section 8
(``ValidatePodTemplateSpecForReplicaSet``, ``validateJobSpec``,
``ValidatePodTemplateSpecForStatefulSet``, which checks the template's labels and not its pod
spec); custom resources follow their project's API reference, named in each entry.

A kind is the pair (API group, kind): Knative's ``serving.knative.dev`` Service holds a pod
template, the core Service does not. Kinds that are not in the table are looked for at
``spec.template.spec`` with ``containers`` (most operators embed a pod template there).
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from .records import FrozenRecord, set_field
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

from .i18n import Message, Templates

TEXTS = Templates("workloads", {
    "rejects": "the API server rejects the {kind}",
    "refuses-pods": (
        "the API server accepts the {kind} (it does not validate its pod template) but refuses "
        "every Pod the controller creates (FailedCreate events)"),
    "refuses-children": "the API server refuses the {creates} the {kind} controller creates",
    "late-refusal": (
        "(the {kind} itself is accepted, as its pod template is validated only when the "
        "controller creates each Pod, and each is refused: FailedCreate events, no Pods)"),
    "late-refusal-children": (
        "(the {kind} itself is accepted: the API server refuses the {creates} its controller "
        "creates from it)"),
})

# How a kind's Pods restart (``restart``):
ANY = "any"  # restartPolicy as written (default Always); Always, OnFailure and Never accepted
ALWAYS = "always"  # only Always is accepted (controllers that keep Pods running)
JOB = "job"  # OnFailure or Never is required: Always, or leaving it out, is refused
NEVER = "never"  # the controller runs every Pod with Never, whatever the template says
OPERATOR = "operator"  # the controller sets it from fields of its own: unknown here

# When the API server validates the pod spec (``validation``):
OBJECT = "object"  # with the object itself: kubectl apply fails (Rejected)
CHILDREN = "children"  # only when the controller creates Pods (or Jobs, ReplicaSets): FailedCreate
# Sources (kubernetes/kubernetes, pkg/apis): a Pod is checked by core/validation
# ValidatePodCreate (ValidatePodSpec plus Pod-only checks such as image whitespace); a
# Deployment and a ReplicaSet by apps/validation ValidateDeploymentSpec and
# ValidateReplicaSetSpec through ValidatePodTemplateSpecForReplicaSet, which calls
# core/validation ValidatePodTemplateSpec; a DaemonSet by ValidateDaemonSetSpec, which calls
# ValidatePodTemplateSpec itself; a Job by batch/validation validateJobSpec and a CronJob by
# validateJobTemplateSpec -> validateJobSpec, both calling ValidatePodTemplateSpec. A
# StatefulSet is the exception: ValidatePodTemplateSpecForStatefulSet checks only the
# template's labels (against the selector) and annotations, its call to
# ValidatePodTemplateSpec being commented out ("TODO: Add validation for PodSpec");
# ValidateStatefulSetSpec adds only restartPolicy Always and no activeDeadlineSeconds. So a
# pod spec mistake in a StatefulSet is refused when its controller creates each Pod
# (pkg/controller/statefulset stateful_pod_control.go records a FailedCreate event).
REJECTED = "Rejected"
FAILED_CREATE = "FailedCreate"


class Slot(FrozenRecord):
    """Where a pod spec keeps containers: a list (``many``) or a single one, and their role.

    Roles: ``container`` (runs for the Pod's life), ``init`` (runs to completion before the
    others; a native sidecar when it sets ``restartPolicy: Always``), ``ephemeral`` (added by
    ``kubectl debug``), ``step`` (Tekton: runs to completion, one after another).
    """

    __slots__ = ("key", "many", "role", "unnamed")
    key: str
    many: bool
    role: str
    unnamed: str | None  # the name the operator gives an unnamed container here

    def __init__(self, key: str, many: bool = True, role: str = "container",
                 unnamed: str | None = None) -> None:
        set_field(self, "key", key)
        set_field(self, "many", many)
        set_field(self, "role", role)
        set_field(self, "unnamed", unnamed)


POD_SLOTS = (Slot("initContainers", role="init"), Slot("containers"),
             Slot("ephemeralContainers", role="ephemeral"))


class WorkloadKind(FrozenRecord):
    """A kind of object that makes Pods: where its pod specs are and how they are run."""

    __slots__ = ("group", "kind", "pod_specs", "restart", "validation", "long_running",
                 "names_required", "as_written", "full_pod_spec", "slots", "readiness_by_platform",
                 "selector_required", "creates", "resolves_tags", "adds_labels", "source")
    group: str  # API group: "" for the core group (apiVersion v1)
    kind: str
    # Where pod specs live, from the object's root. A step "[]" is every item of a list; a
    # step with "*" is every key of a mapping that matches it ("*ReplicaSpecs").
    pod_specs: tuple[tuple[str, ...], ...]
    restart: str
    validation: str
    # Pods keep running (True), run to completion (False), or follow restartPolicy (None).
    long_running: bool | None
    names_required: bool
    # The Pods run these containers as written. False when an operator may fill in or merge
    # them (a template default, a step template): a container without an image is then fine.
    as_written: bool
    # The pod spec is a whole PodSpec (volumes, restartPolicy, securityContext beside the
    # containers). False for shapes that only hold containers (Argo templates, Tekton steps).
    full_pod_spec: bool
    slots: tuple[Slot, ...]
    # The platform adds a readiness probe of its own when the container has none (Knative).
    readiness_by_platform: bool
    # apps/v1 requires spec.selector: an object without one is a partial document (a patch).
    selector_required: bool
    # What its controller creates from the template (what the API server then validates).
    creates: str
    # The platform resolves image tags to digests when it deploys (Knative): a tag does not
    # move under running replicas.
    resolves_tags: bool
    # Labels the controller adds to every Pod it creates, beside the template's: a Service
    # may select them (a StatefulSet Pod by statefulset.kubernetes.io/pod-name).
    adds_labels: frozenset[str]
    source: str  # where this entry's facts come from

    def __init__(self, group: str, kind: str, pod_specs: tuple[tuple[str, ...], ...],
                 restart: str, validation: str, long_running: bool | None,
                 names_required: bool = True, as_written: bool = True,
                 full_pod_spec: bool = True, slots: tuple[Slot, ...] = POD_SLOTS,
                 readiness_by_platform: bool = False, selector_required: bool = False,
                 creates: str = "Pods", resolves_tags: bool = False,
                 adds_labels: frozenset[str] = frozenset(), source: str = "") -> None:
        set_field(self, "group", group)
        set_field(self, "kind", kind)
        set_field(self, "pod_specs", pod_specs)
        set_field(self, "restart", restart)
        set_field(self, "validation", validation)
        set_field(self, "long_running", long_running)
        set_field(self, "names_required", names_required)
        set_field(self, "as_written", as_written)
        set_field(self, "full_pod_spec", full_pod_spec)
        set_field(self, "slots", slots)
        set_field(self, "readiness_by_platform", readiness_by_platform)
        set_field(self, "selector_required", selector_required)
        set_field(self, "creates", creates)
        set_field(self, "resolves_tags", resolves_tags)
        set_field(self, "adds_labels", adds_labels)
        set_field(self, "source", source)

    @property
    def core(self) -> bool:
        """One of Kubernetes' own kinds (core, apps, batch, extensions groups)."""
        return self.group in CORE_GROUPS

    @property
    def display(self) -> str:
        """The kind as messages name it: with its group when it is not Kubernetes' own."""
        return self.kind if self.core else f"{self.kind} ({self.group})"

    def refused_statuses(self, statuses: tuple[str, ...]) -> tuple[str, ...]:
        """What a rule predicting ``statuses`` predicts for a refused pod spec of this kind:
        Rejected where the API server validates it with the object, FailedCreate where only
        the Pods (or Jobs, ReplicaSets) its controller creates are validated. A rule that
        names both (it fits both kinds) keeps the one that applies here."""
        if REJECTED not in statuses:
            return statuses
        if self.validation == OBJECT:
            return tuple(s for s in statuses if s != FAILED_CREATE)
        return tuple(dict.fromkeys(FAILED_CREATE if s == REJECTED else s for s in statuses))

    def late_refusal(self) -> Message:
        """Said after a message whose refusal names no kind, when this kind's pod spec is
        validated only in what its controller creates (the statuses say FailedCreate)."""
        if self.core:
            return TEXTS("late-refusal", kind=self.kind)
        return TEXTS("late-refusal-children", kind=self.display, creates=self.creates)

    def refusal(self) -> Message:
        """What happens to a pod spec the API server's validation refuses."""
        if self.validation == OBJECT:
            return TEXTS("rejects", kind=self.kind)
        if self.core:
            return TEXTS("refuses-pods", kind=self.kind)
        return TEXTS("refuses-children", creates=self.creates, kind=self.display)


CORE_GROUPS = frozenset({"", "apps", "batch", "extensions"})
TEMPLATE = ("spec", "template", "spec")


def _kind(group: str, kind: str, *pod_specs: tuple[str, ...], **fields: Any) -> WorkloadKind:
    return WorkloadKind(group, kind, pod_specs or (TEMPLATE,), **fields)


def _replicated(group: str, kind: str, **fields: Any) -> WorkloadKind:
    """A controller that keeps its Pods running and accepts only restartPolicy Always."""
    return _kind(group, kind, restart=ALWAYS, long_running=True, **fields)


# Labels the controllers add to their Pods (pkg/controller: the pod-template-hash of a
# ReplicaSet, controller-revision-hash and pod-name/pod-index of StatefulSet Pods, the
# generation of DaemonSet Pods, the job-name and controller-uid of Job Pods).
_HASH = frozenset({"pod-template-hash"})
_STATEFUL = frozenset({"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
                       "controller-revision-hash"})
_DAEMON = frozenset({"controller-revision-hash", "pod-template-generation"})
_JOB_LABELS = frozenset({"job-name", "controller-uid", "batch.kubernetes.io/job-name",
                         "batch.kubernetes.io/controller-uid",
                         "batch.kubernetes.io/job-completion-index"})
_APPS = dict(validation=OBJECT, selector_required=True,
             source="apps/validation ValidatePodTemplateSpecForReplicaSet")
_BATCH = dict(restart=JOB, validation=OBJECT, long_running=False, adds_labels=_JOB_LABELS,
              source="batch/validation validateJobSpec")
_ARGO = dict(restart=NEVER, validation=CHILDREN, long_running=False, names_required=False,
             as_written=False, full_pod_spec=False,
             slots=(Slot("initContainers", role="init"),
                    Slot("container", many=False, unnamed="main"),
                    Slot("script", many=False, unnamed="main"), Slot("sidecars")),
             source="Argo Workflows field reference: Template")
_TEKTON = dict(restart=NEVER, validation=CHILDREN, long_running=False, names_required=False,
               as_written=False, full_pod_spec=False,
               slots=(Slot("steps", role="step"), Slot("sidecars")),
               source="Tekton Pipelines API: TaskSpec steps and sidecars")

KINDS: tuple[WorkloadKind, ...] = (
    _kind("", "Pod", ("spec",), restart=ANY, validation=OBJECT, long_running=None,
          source="core/validation ValidatePodCreate"),
    _kind("", "PodTemplate", ("template", "spec"), restart=ANY, validation=OBJECT,
          long_running=None, source="core/validation ValidatePodTemplate"),
    _replicated("", "ReplicationController", validation=OBJECT,
                source="core/validation ValidatePodTemplateSpecForRC"),
    _replicated("apps", "Deployment", adds_labels=_HASH, **_APPS),
    _replicated("apps", "ReplicaSet", adds_labels=_HASH, **_APPS),
    _replicated("apps", "DaemonSet", adds_labels=_DAEMON, **_APPS),
    _replicated("apps", "StatefulSet", validation=CHILDREN, selector_required=True,
                adds_labels=_STATEFUL,
                source="apps/validation ValidatePodTemplateSpecForStatefulSet (labels only)"),
    # extensions/v1beta1 (served until 1.16): old manifests still use it.
    _replicated("extensions", "Deployment", validation=OBJECT, adds_labels=_HASH),
    _replicated("extensions", "ReplicaSet", validation=OBJECT, adds_labels=_HASH),
    _replicated("extensions", "DaemonSet", validation=OBJECT, adds_labels=_DAEMON),
    _kind("batch", "Job", **_BATCH),
    _kind("batch", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec"), **_BATCH),
    # OpenShift's DeploymentConfig and Argo Rollouts create ReplicaSets (or replication
    # controllers) from the template: those are validated, not the object itself. Nothing
    # tells their patches (Kustomize overlays of a container or two) from whole objects, so
    # a container without an image is not taken for a mistake.
    _replicated("apps.openshift.io", "DeploymentConfig", validation=CHILDREN, as_written=False,
                creates="ReplicationControllers", source="OpenShift apps/v1 DeploymentConfig"),
    _replicated("argoproj.io", "Rollout", validation=CHILDREN, as_written=False,
                creates="ReplicaSets", source="Argo Rollouts: spec.template is a PodTemplateSpec"),
    # Knative runs a Deployment per revision; containers may go unnamed, Knative gives a
    # container without a readinessProbe a TCP probe on its port of its own, and it resolves
    # image tags to digests when it creates a revision.
    *(_replicated("serving.knative.dev", kind, validation=CHILDREN, names_required=False,
                  readiness_by_platform=True, resolves_tags=True, creates="Deployments",
                  source="Knative Serving API: spec.template.spec is a RevisionSpec")
      for kind in ("Service", "Configuration")),
    # KEDA creates a Job from jobTargetRef (a JobSpec) for each scaling event.
    _kind("keda.sh", "ScaledJob", ("spec", "jobTargetRef", "template", "spec"),
          restart=JOB, validation=CHILDREN, long_running=False, creates="Jobs",
          source="KEDA ScaledJob spec.jobTargetRef"),
    # Argo Workflows: every template with a container, script, initContainers or sidecars
    # runs as a Pod (restartPolicy Never; retries are new Pods). Templates can take defaults
    # (templateDefaults) and the main container needs no name.
    *(_kind("argoproj.io", kind, *paths, **_ARGO) for kind, paths in (
        ("Workflow", (("spec", "templates", "[]"),)),
        ("WorkflowTemplate", (("spec", "templates", "[]"),)),
        ("ClusterWorkflowTemplate", (("spec", "templates", "[]"),)),
        ("CronWorkflow", (("spec", "workflowSpec", "templates", "[]"),)))),
    # Kubeflow training jobs: spec.<framework>ReplicaSpecs.<role>.template; the operator sets
    # the Pods' restartPolicy from the replica spec's own.
    *(_kind("kubeflow.org", kind, ("spec", "*ReplicaSpecs", "*", "template", "spec"),
            restart=OPERATOR, validation=CHILDREN, long_running=False,
            source="Kubeflow Training Operator: ReplicaSpec.template")
      for kind in ("PyTorchJob", "TFJob", "MPIJob", "XGBoostJob", "PaddleJob", "MXJob",
                   "JAXJob")),
    # Tekton: a Task's steps run one after another in one Pod (restartPolicy Never), beside
    # its sidecars; steps may be unnamed and take defaults from stepTemplate.
    *(_kind("tekton.dev", kind, *paths, **_TEKTON) for kind, paths in (
        ("Task", (("spec",),)),
        ("ClusterTask", (("spec",),)),
        ("TaskRun", (("spec", "taskSpec"),)),
        ("Pipeline", (("spec", "tasks", "[]", "taskSpec"), ("spec", "finally", "[]", "taskSpec"))),
    )),
)

_INDEX = {(k.group, k.kind): k for k in KINDS}


def group_of(api_version: str) -> str:
    """The API group of an apiVersion: ``apps/v1`` -> ``apps``, ``v1`` -> ``""``."""
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def workload_kind(api_version: str, kind: str, data: dict) -> WorkloadKind | None:
    """The table entry for an object; for a kind the table lacks, a generic entry when the
    object has a pod template at ``spec.template.spec`` with ``containers``, else None."""
    group = group_of(api_version)
    known = _INDEX.get((group, kind))
    if known is not None:
        return known
    spec = data.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    if isinstance(pod, dict) and "containers" in pod:
        # An operator's own kind: it creates the Pods (or ReplicaSets) from the template.
        return _kind(group, kind, restart=ANY, validation=CHILDREN, long_running=None,
                     as_written=False, source="a custom resource's spec.template")
    return None


def pod_spec_sites(workload: WorkloadKind, data: dict) -> Iterator[tuple[tuple, dict]]:
    """(path from the object's root, mapping) of every pod spec of ``data``, in file order."""
    for pattern in workload.pod_specs:
        yield from _expand(data, pattern, ())


def _expand(node: Any, steps: tuple[str, ...], path: tuple) -> Iterator[tuple[tuple, dict]]:
    if not steps:
        if isinstance(node, dict):
            yield path, node
        return
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _expand(item, rest, path + (index,))
    elif "*" in step:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and fnmatch.fnmatchcase(key, step):
                    yield from _expand(value, rest, path + (key,))
    elif isinstance(node, dict) and step in node:
        yield from _expand(node[step], rest, path + (step,))
