"""Which schema an object is validated against: the target release's, or its CRD's."""
from __future__ import annotations

import os

from ..records import replace
from ..typechecking import TYPE_CHECKING
from . import store
from .issues import REQUIRED, VALIDATION_ISSUES, SchemaIssue
from .messages import REFUSED_IN_PODS, TEXTS
from .store import Shape

if TYPE_CHECKING:
    from typing import Any

    from .crd import CrdSchemas

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
KUSTOMIZE_DEPTH = 2  # parent directories searched for a kustomization


class SchemaContext:
    """Validates objects for one target version; nothing is loaded before the first object."""

    def __init__(self, version: tuple[int, int]) -> None:
        self.target = version
        self._validator: Any = None
        self._release: store.Release | None = None
        self._custom: dict[int, Shape] = {}
        self._kustomize_dirs: dict[str, bool] = {}

    @property
    def release(self) -> store.Release:
        if self._release is None:
            release = store.release(store.nearest_version(self.target))
            assert release is not None  # nearest_version only names bundled releases
            self._release = release
        return self._release

    def shape_of(self, api_version: str, kind: str, crds: CrdSchemas | None) -> Shape | None:
        """The schema of objects of this apiVersion and kind; None when none is known."""
        shape = self.release.kind_shape(api_version, kind)
        if shape is not None:
            return shape
        shape = crds.shape(api_version, kind) if crds is not None else None
        if shape is not None and id(shape) not in self._custom:
            # A custom resource's metadata is an ObjectMeta like any object's.
            assert shape.props is not None
            shape.props["metadata"] = self.release.definition(OBJECT_META)
            self._custom[id(shape)] = shape
        return shape

    def issues(self, data: dict, api_version: str, kind: str, path: tuple, file: str,
               crds: CrdSchemas | None) -> list[SchemaIssue] | None:
        """What the API server would refuse in ``data``; None when no schema is known."""
        shape = self.shape_of(api_version, kind, crds)
        if shape is None:
            return None
        if self._validator is None:
            from .validate import Validator  # noqa: PLC0415

            self._validator = Validator(self.release)
        issues = self._validator.validate(data, shape, path, kind)
        if issues and self.kustomize_input(file):
            issues = [i for i in issues if not _completed_by_kustomize(i)]
        if issues and self.release.kind_shape(api_version, kind) is shape:
            issues = validated_late(issues, data, api_version, kind, path)
        return issues

    def kustomize_input(self, file: str) -> bool:
        """True for a file of a kustomize base, overlay or component.

        Kustomize builds what is applied from such files: patches are partial objects
        (strategic merge patches, with ``$patch`` directives) and bases get selectors and
        fields from the kustomization, so a missing required field there is not a mistake.
        """
        if file == "-":
            return False
        return self._in_kustomize_tree(os.path.dirname(os.path.abspath(file)), KUSTOMIZE_DEPTH)

    def _in_kustomize_tree(self, directory: str, depth: int) -> bool:
        # A kustomization may name files of sub-directories (`patches: [overlays/x.yaml]`).
        known = self._kustomize_dirs.get(directory)
        if known is None:
            known = any(os.path.isfile(os.path.join(directory, name))
                        for name in KUSTOMIZATION_FILES)
            parent = os.path.dirname(directory)
            if not known and depth > 0 and parent != directory:
                known = self._in_kustomize_tree(parent, depth - 1)
            self._kustomize_dirs[directory] = known
        return known


def _completed_by_kustomize(issue: SchemaIssue) -> bool:
    last = issue.path[-1] if issue.path else None
    return issue.kind == REQUIRED or (isinstance(last, str) and last.startswith("$"))


def validated_late(issues: list[SchemaIssue], data: dict, api_version: str, kind: str,
                   path: tuple) -> list[SchemaIssue]:
    """``issues`` with those of validation inside a pod template that the API server checks
    only when the controller creates Pods turned into FailedCreate predictions. Only for
    Kubernetes' own kinds: a custom resource's CRD schema is checked on the object itself."""
    from ..workloads import CHILDREN, FAILED_CREATE, pod_spec_sites, workload_kind  # noqa: PLC0415

    workload = workload_kind(api_version, kind, data)
    if workload is None or workload.validation != CHILDREN:
        return issues
    sites = [path + site for site, _ in pod_spec_sites(workload, data)]
    refused = TEXTS(REFUSED_IN_PODS, kind=kind)
    return [replace(issue, params={**issue.params, "refused": refused},
                    statuses=(FAILED_CREATE,))
            if issue.kind in VALIDATION_ISSUES
            and any(issue.path[:len(site)] == site for site in sites) else issue
            for issue in issues]
