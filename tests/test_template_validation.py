"""Where a refused pod spec surfaces: kubectl apply fails (Rejected) for the kinds whose pod
template the API server validates with the object, and the controller's Pods are refused
(FailedCreate, no Pods) for a StatefulSet, whose template it does not validate
(apps/validation ValidatePodTemplateSpecForStatefulSet checks only labels and annotations).
"""
from __future__ import annotations

import pytest
from lintutil import lint_text

# One pod spec with mistakes of every kind of refusal: validation (KPL101 two handlers,
# KPL506 an undeclared volume, KPL206 a pull policy, KPL511 a nameless container, the
# schema's KPL706 enum and KPL707 decimal file mode), decoding (KPL701 a quoted port) and
# the workload's own check (KPL401 restartPolicy).
POD_SPEC = """\
      restartPolicy: Never
      volumes:
        - name: conf
          configMap: {name: conf, defaultMode: 644}
      containers:
        - image: redis:7.2
          imagePullPolicy: always
          ports:
            - containerPort: "6379"
              protocol: tcp
          readinessProbe:
            exec: {command: [redis-cli, ping]}
            tcpSocket: {port: 6379}
          volumeMounts:
            - {name: data, mountPath: /data}
"""
STATEFUL_SET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  serviceName: cache
  podManagementPolicy: parallel
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
""" + POD_SPEC
DEPLOYMENT = STATEFUL_SET.replace("kind: StatefulSet", "kind: Deployment").replace(
    "  serviceName: cache\n  podManagementPolicy: parallel\n", "")
RULES = ("KPL101", "KPL206", "KPL401", "KPL506", "KPL511", "KPL701", "KPL706", "KPL707")


def outcomes(text: str) -> dict[str, tuple[str, ...]]:
    return {f"{f.rule_id}@{f.span.line}": f.statuses for f in lint_text(text, RULES)}


def test_a_stateful_set_template_mistake_fails_pod_creation():
    found = outcomes(STATEFUL_SET)
    assert found == {
        "KPL706@7": ("Rejected",),  # podManagementPolicy: the StatefulSet's own field
        "KPL401@14": ("Rejected",),  # ValidateStatefulSetSpec checks restartPolicy itself
        "KPL707@17": ("FailedCreate",),
        "KPL511@19": ("FailedCreate",),
        "KPL206@20": ("FailedCreate",),
        "KPL701@22": ("Rejected",),  # a quoted number cannot be decoded: the request fails
        "KPL706@23": ("FailedCreate",),
        "KPL101@26": ("FailedCreate",),
        "KPL506@28": ("FailedCreate",),
    }


def test_a_deployment_template_mistake_is_rejected():
    found = outcomes(DEPLOYMENT)
    assert set(found.values()) == {("Rejected",)}
    assert len(found) == 8  # all but the StatefulSet's podManagementPolicy


def test_messages_say_the_stateful_set_is_accepted():
    by_rule = {f.rule_id: f.message for f in lint_text(STATEFUL_SET, RULES)
               if "FailedCreate" in f.statuses}
    assert set(by_rule) == {"KPL707", "KPL511", "KPL206", "KPL706", "KPL101", "KPL506"}
    for rule, message in by_rule.items():
        assert "FailedCreate" in message, rule
        assert "rejects the StatefulSet" not in message, rule
    assert by_rule["KPL706"].endswith(
        "the API server accepts the StatefulSet (it does not validate its pod template) but "
        "refuses every Pod the controller creates (FailedCreate events)")


@pytest.mark.parametrize("kind", ["Pod", "Deployment"])
def test_image_whitespace_is_checked_on_pods_only(kind):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
           "  containers:\n    - name: a\n      image: ' nginx:1.27'\n")
    text = pod if kind == "Pod" else DEPLOYMENT.split("    spec:\n")[0] + (
        "    spec:\n      containers:\n        - name: a\n          image: ' nginx:1.27'\n")
    [finding] = lint_text(text, ("KPL202",))
    assert finding.statuses == (("Rejected",) if kind == "Pod" else ("FailedCreate",))


def test_a_rule_naming_both_keeps_the_one_that_applies():
    # KPL506 lists Rejected and FailedCreate in its rule file; each finding says one.
    [deployment] = lint_text(DEPLOYMENT, ("KPL506",))
    [stateful] = lint_text(STATEFUL_SET, ("KPL506",))
    assert (deployment.statuses, stateful.statuses) == (("Rejected",), ("FailedCreate",))


def test_a_custom_kind_template_mistake_fails_what_its_controller_creates():
    rollout = DEPLOYMENT.replace("apiVersion: apps/v1\nkind: Deployment",
                                 "apiVersion: argoproj.io/v1alpha1\nkind: Rollout")
    [finding] = lint_text(rollout, ("KPL101",))
    assert finding.statuses == ("FailedCreate",)
    assert finding.message.endswith("(the Rollout (argoproj.io) itself is accepted: the API "
                                    "server refuses the ReplicaSets its controller creates "
                                    "from it)")
