"""The table of workload kinds: where pod specs are found, and what each kind implies."""
from __future__ import annotations

import pytest

from kprobelint.workloads import (
    ALWAYS,
    CHILDREN,
    JOB,
    OBJECT,
    group_of,
    pod_spec_sites,
    workload_kind,
)


@pytest.mark.parametrize(("api_version", "group"), [
    ("v1", ""), ("apps/v1", "apps"), ("batch/v1beta1", "batch"),
    ("serving.knative.dev/v1", "serving.knative.dev"),
])
def test_group_of(api_version, group):
    assert group_of(api_version) == group


def test_kinds_are_keyed_by_group_and_kind():
    assert workload_kind("apps/v1", "Deployment", {}).restart == ALWAYS
    assert workload_kind("extensions/v1beta1", "Deployment", {}).restart == ALWAYS
    assert workload_kind("batch/v1", "CronJob", {}).restart == JOB
    # A kind of the same name in another group is not Kubernetes' own.
    assert workload_kind("example.com/v1", "Deployment", {}) is None


def test_statefulset_template_is_validated_only_when_pods_are_created():
    statefulset = workload_kind("apps/v1", "StatefulSet", {})
    assert statefulset.validation == CHILDREN
    assert "FailedCreate" in str(statefulset.refusal())
    assert workload_kind("apps/v1", "DaemonSet", {}).validation == OBJECT
    assert str(workload_kind("apps/v1", "DaemonSet", {}).refusal()) == \
        "the API server rejects the DaemonSet"


def test_unknown_kind_with_a_pod_template_is_generic():
    data = {"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}}
    generic = workload_kind("example.com/v1", "Widget", data)
    assert generic is not None and generic.validation == CHILDREN and not generic.as_written
    assert [path for path, _ in pod_spec_sites(generic, data)] == [("spec", "template", "spec")]
    # spec.template.spec without containers is some other structure.
    assert workload_kind("example.com/v1", "Widget", {"spec": {"template": {"spec": {}}}}) is None


def test_cronjob_pod_spec_site():
    data = {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}}
    cronjob = workload_kind("batch/v1", "CronJob", data)
    assert [path for path, _ in pod_spec_sites(cronjob, data)] == [
        ("spec", "jobTemplate", "spec", "template", "spec")]
