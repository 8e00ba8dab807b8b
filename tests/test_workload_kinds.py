"""Pod templates outside spec.template.spec: each custom kind's pod specs are found, and
findings in them point at the exact line, column, field path and container."""
from __future__ import annotations

import pytest
from lintutil import lint_text

ARGO_WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ci-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: build
            template: build
    - name: build
      initContainers:
        - name: fetch
          image: alpine/git:2.45.2
          command: [git, clone, "https://example.com/repo.git", /src]
      container:
        image: golang:1.23
        command: ["go build ./..."]
        workingDir: /src
      sidecars:
        - name: cache
          image: Redis:7
    - name: report
      script:
        image: python:3.12
        command: [python]
        source: print("done")
"""
CRON_WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedule: "0 2 * * *"
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: busybox:1.36
          command: [echo, hello]
          imagePullPolicy: Never
"""
KEDA_SCALED_JOB = """\
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata:
  name: queue-consumer
spec:
  jobTargetRef:
    template:
      spec:
        restartPolicy: Always
        containers:
          - name: consumer
            image: example/consumer:2.0
            imagePullPolicy: Never
  triggers:
    - type: rabbitmq
      metadata: {queueName: jobs}
"""
PYTORCH_JOB = """\
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: mnist
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: kubeflow/pytorch-mnist:v1.0
    Worker:
      replicas: 2
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: kubeflow/pytorch-mnist:v1.0
              imagePullPolicy: Never
"""
TEKTON_TASK = """\
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
spec:
  steps:
    - image: golang:1.23
      script: go build ./...
    - name: push
      image: gcr.io/kaniko-project/executor:v1.23.2
      imagePullPolicy: Never
  sidecars:
    - name: registry
      image: registry:2
"""
KNATIVE_SERVICE = """\
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go:latest
          imagePullPolicy: Never
          ports:
            - containerPort: 8080
"""


def located(text: str, *select: str):
    return [(f.rule_id, f.span.line, f.span.column, f.field, f.container)
            for f in lint_text(text, select)]


def test_argo_workflow_templates_are_pod_specs():
    assert located(ARGO_WORKFLOW, "KPL201", "KPL406", "KPL511") == [
        ("KPL406", 19, 19, "spec.templates[1].container.command[0]", "main"),
        ("KPL201", 23, 18, "spec.templates[1].sidecars[0].image", "cache"),
    ]


def test_argo_pods_run_to_completion_and_need_no_names():
    # echo in a workflow step is the job itself, not a command that loops under Always.
    assert located(CRON_WORKFLOW, "KPL404", "KPL511", "KPL150") == []
    assert located(CRON_WORKFLOW, "KPL203") == [
        ("KPL203", 14, 28, "spec.workflowSpec.templates[0].container.imagePullPolicy", "main")]


def test_keda_scaled_job_is_job_like():
    found = lint_text(KEDA_SCALED_JOB, ("KPL401", "KPL203"))
    assert [(f.rule_id, f.span.line, f.field) for f in found] == [
        ("KPL401", 9, "spec.jobTargetRef.template.spec.restartPolicy"),
        ("KPL203", 13, "spec.jobTargetRef.template.spec.containers[0].imagePullPolicy"),
    ]
    assert "refuses the Jobs the ScaledJob (keda.sh) controller creates" in found[0].message


def test_kubeflow_replica_specs_are_pod_specs():
    assert located(PYTORCH_JOB, "KPL203", "KPL150") == [
        ("KPL203", 23, 32, "spec.pytorchReplicaSpecs.Worker.template.spec.containers[0]"
                           ".imagePullPolicy", "pytorch")]


def test_tekton_steps_and_sidecars():
    assert located(TEKTON_TASK, "KPL203", "KPL511") == [
        ("KPL203", 11, 24, "spec.steps[1].imagePullPolicy", "push")]


def test_knative_containers_may_be_nameless_and_tags_are_resolved():
    assert located(KNATIVE_SERVICE, "KPL511", "KPL150", "KPL507") == []
    # Knative resolves the tag to a digest when it creates the revision: latest does not move.
    assert located(KNATIVE_SERVICE, "KPL204", "KPL205") == []
    assert located(KNATIVE_SERVICE, "KPL203") == [
        ("KPL203", 10, 28, "spec.template.spec.containers[0].imagePullPolicy",
         "containers[0]")]


@pytest.mark.parametrize("text", [ARGO_WORKFLOW, CRON_WORKFLOW, KEDA_SCALED_JOB, PYTORCH_JOB,
                                  TEKTON_TASK, KNATIVE_SERVICE])
def test_no_false_error_on_the_clean_parts(text):
    # Everything reported in these manifests is one of the mistakes put there on purpose.
    expected = {"KPL201", "KPL203", "KPL204", "KPL401", "KPL406"}
    assert {f.rule_id for f in lint_text(text) if f.severity == "error"} <= expected
