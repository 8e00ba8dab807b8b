"""Probe presence (KPL150-151), references (KPL501-510) and scheduling (KPL601-602).

Unit-level cases go through the real pipeline with ``lint_text``; the cross-file ones run the
real command on a directory of several files, with and without ``--complete``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from lintutil import lint_text

from kprobelint.checks.scheduling import parse_quantity

MINE = ("KPL15", "KPL5", "KPL6")


def findings(text: str, *select: str):
    return [f for f in lint_text(text, select or MINE) if f.rule_id != "KPL001"]


def ids(text: str, *select: str) -> list[str]:
    return sorted(f.rule_id for f in findings(text, *select))


def run(*args: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def run_json(directory: Path, *args: str) -> list[dict]:
    result = run("check", "--format", "json", *args, str(directory), cwd=directory)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


# ---------------------------------------------------------------------------------------------
# Quantities


@pytest.mark.parametrize(("text", "value"), [
    ("500m", Fraction(1, 2)), ("0.5", Fraction(1, 2)), (".5", Fraction(1, 2)), ("1", 1),
    ("1Gi", 2**30), ("1G", 10**9), ("1e3", 1000), ("1E3", 1000), ("1E", 10**18),
    ("1.5Gi", 3 * 2**29), ("100Mi", 100 * 2**20), ("1k", 1000), ("1Ki", 1024),
    ("+1", 1), ("-1", -1), ("1e-3", Fraction(1, 1000)), ("1.", 1), (" 2 ", 2),
    (0.1, Fraction(1, 10)), (1000.0, 1000), (3, 3), ("250u", Fraction(1, 4000)),
])
def test_quantities_parse_exactly(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1e", "1.2.3", "1KB", "Gi", True, None, [], {},
                                  float("inf"), float("nan"), "1e999"])
def test_odd_quantities_are_not_parsed(text):
    assert parse_quantity(text) is None


# ---------------------------------------------------------------------------------------------
# Probe presence

DEPLOYMENT = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: web
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web, tier: front}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
"""
SERVICE = """\
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: {namespace}
spec:
  selector: {{app: web}}
  ports:
    - port: 80
"""


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                  "ReplicationController"])
def test_readiness_note_without_service_warning_with_one(kind):
    alone = findings(DEPLOYMENT.format(kind=kind), "KPL150")
    assert [(f.rule_id, f.severity) for f in alone] == [("KPL150", "note")]
    assert 'container "web" declares ports (8080)' in alone[0].message
    assert "nor a livenessProbe" in alone[0].message
    to_8080 = SERVICE.format(namespace="default") + "      targetPort: 8080\n"
    served = findings(DEPLOYMENT.format(kind=kind) + to_8080, "KPL150")
    assert [(f.rule_id, f.severity) for f in served] == [("KPL150", "warning")]
    assert 'Service "web" sends it traffic (port 80 to targetPort 8080)' in served[0].message
    # Port 80, which no container declares: the container may not be the one listening.
    guessed = findings(DEPLOYMENT.format(kind=kind) + SERVICE.format(namespace="default"),
                       "KPL150")
    assert [(f.rule_id, f.severity) for f in guessed] == [("KPL150", "note")]
    assert "on a port no container declares" in guessed[0].message


def test_service_of_another_namespace_does_not_select():
    text = DEPLOYMENT.format(kind="Deployment") + SERVICE.format(namespace="other")
    assert [f.severity for f in findings(text, "KPL150")] == ["note"]


def test_service_selector_must_be_contained_in_the_labels():
    text = DEPLOYMENT.format(kind="Deployment") + SERVICE.format(namespace="default").replace(
        "{app: web}", "{app: web, tier: back}")
    assert [f.severity for f in findings(text, "KPL150")] == ["note"]


JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      restartPolicy: Never
      containers:
        - name: once
          image: example/once:1.0
          ports:
            - containerPort: 8080
"""
CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: web}
        spec:
          restartPolicy: OnFailure
          containers:
            - name: nightly
              image: example/nightly:1.0
              ports:
                - containerPort: 8080
              readinessProbe:
                exec: {command: [cat, /ready]}
"""
POD_OWNED_BY_JOB = """\
apiVersion: v1
kind: Pod
metadata:
  name: once-abcde
  labels: {app: web}
  ownerReferences:
    - {apiVersion: batch/v1, kind: Job, name: once, uid: 1234, controller: true}
spec:
  containers:
    - name: once
      image: example/once:1.0
      ports:
        - containerPort: 8080
"""
POD_NEVER = """\
apiVersion: v1
kind: Pod
metadata:
  name: test
  labels: {app: web}
spec:
  restartPolicy: Never
  containers:
    - name: test
      image: example/test:1.0
      ports:
        - containerPort: 8080
"""
HELM_TEST_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: test-connection
  labels: {app: web}
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: wget
      image: busybox:1.36
      ports:
        - containerPort: 8080
"""


@pytest.mark.parametrize("text", [JOB, CRONJOB, POD_OWNED_BY_JOB, POD_NEVER, HELM_TEST_POD],
                         ids=["job", "cronjob", "pod-of-job", "pod-never", "helm-test-pod"])
def test_run_to_completion_pods_need_no_probes(text):
    assert ids(text + SERVICE.format(namespace="default"), "KPL150", "KPL151") == []


POD_WITH_INIT_AND_EPHEMERAL = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: {app: web}
spec:
  initContainers:
    - name: setup
      image: example/setup:1.0
      ports:
        - containerPort: 9000
  containers:
    - name: app
      image: example/app:1.0
      ports:
        - containerPort: 8080
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
      livenessProbe:
        httpGet: {path: /live, port: 8080}
  ephemeralContainers:
    - name: debug
      image: busybox:1.36
"""


def test_regular_init_and_ephemeral_containers_need_no_probes():
    text = POD_WITH_INIT_AND_EPHEMERAL + SERVICE.format(namespace="default")
    assert ids(text, "KPL150", "KPL151") == []


def test_native_sidecar_is_long_running():
    text = POD_WITH_INIT_AND_EPHEMERAL.replace(
        "      image: example/setup:1.0\n",
        "      image: example/setup:1.0\n      restartPolicy: Always\n")
    to_sidecar = SERVICE.format(namespace="default") + "      targetPort: 9000\n"
    result = findings(text + to_sidecar, "KPL150")
    assert [(f.severity, f.span.line) for f in result] == [("warning", 8)]
    assert 'native sidecar "setup"' in result[0].message
    # A Service that reaches the probed app only: the sidecar's readiness does not matter.
    to_app = SERVICE.format(namespace="default") + "      targetPort: 8080\n"
    assert ids(text + to_app, "KPL150") == []


MULTI = """\
apiVersion: v1
kind: Pod
metadata:
  name: pod
  labels: {{app: test}}
spec:
  containers:
    - name: main
      image: example/main:1.0
{probe}
    - name: helper
      image: example/helper:1.0
"""
PROBE = """\
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
      livenessProbe:
        httpGet: {path: /live, port: 8080}"""


def test_selected_pod_without_ports_blames_containers_only_when_nothing_is_probed():
    service = SERVICE.format(namespace="default").replace("{app: web}", "{app: test}")
    # kube-score's pod-probes-on-different-containers: one probed container holds the Pod back.
    assert ids(MULTI.format(probe=PROBE) + service, "KPL150") == []
    unprobed = findings(MULTI.format(probe="      args: [serve]") + service, "KPL150")
    assert sorted(f.message.split(" has")[0] for f in unprobed) == \
        ['container "helper"', 'container "main"']
    assert {f.severity for f in unprobed} == {"note"}  # the port is declared by no one
    # No Service and no ports: nothing says the Pod receives traffic.
    assert ids(MULTI.format(probe="      args: [serve]"), "KPL150") == []


def test_liveness_only_where_readiness_is_configured():
    # No probe at all: one readiness finding (which mentions liveness), no liveness finding.
    text = DEPLOYMENT.format(kind="Deployment")
    assert ids(text, "KPL150", "KPL151") == ["KPL150"]
    with_readiness = text + "          readinessProbe:\n            tcpSocket: {port: 8080}\n"
    result = findings(with_readiness, "KPL150", "KPL151")
    assert [(f.rule_id, f.severity, f.span.line) for f in result] == [("KPL151", "note", 13)]
    assert result[0].container == "web"


# ---------------------------------------------------------------------------------------------
# References: env, envFrom, volumes, claims

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  level: info
binaryData:
  blob: AAAA
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: default
stringData:
  user: app
data:
  password: cw==
"""
SA_TOKEN_SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: build-robot
  annotations:
    kubernetes.io/service-account.name: build-robot
type: kubernetes.io/service-account-token
"""
APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      initContainers:
        - name: wait
          image: busybox:1.36
          envFrom:
            - configMapRef: {name: settings}
            - secretRef: {name: absent-but-optional, optional: true}
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: LEVEL
              valueFrom:
                configMapKeyRef: {name: settings, key: level}
            - name: BLOB
              valueFrom:
                configMapKeyRef: {name: settings, key: blob}
            - name: DB_USER
              valueFrom:
                secretKeyRef: {name: db, key: user}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: build-robot, key: token}
            - name: CA
              valueFrom:
                configMapKeyRef: {name: kube-root-ca.crt, key: ca.crt}
          volumeMounts:
            - {name: config, mountPath: /etc/app}
            - {name: certs, mountPath: /etc/certs}
            - {name: data, mountPath: /data}
      volumes:
        - name: config
          configMap:
            name: settings
            items:
              - {key: level, path: level}
        - name: certs
          projected:
            sources:
              - secret:
                  name: db
                  items:
                    - {key: password, path: password}
              - configMap: {name: kube-root-ca.crt}
        - name: data
          persistentVolumeClaim: {claimName: data}
        - name: unused
          secret: {secretName: nowhere}
"""
CLAIM = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
"""


def test_everything_present_gives_nothing():
    text = "\n---\n".join([CONFIG_MAP, SECRET, SA_TOKEN_SECRET, CLAIM, APP])
    assert ids(text, "KPL5", "KPL6") == []


def test_empty_secret_key_is_only_a_note():
    text = "\n---\n".join([CONFIG_MAP, SECRET, SA_TOKEN_SECRET, CLAIM,
                           APP.replace("key: token", "key: other")])
    result = findings(text, "KPL501")
    offset = text.splitlines().index("kind: Deployment") - 1
    assert [(f.severity, f.span.line - offset) for f in result] == [("note", 36)]
    assert "declares no keys at all" in result[0].message


def test_missing_keys_and_objects_each_reported_once_where_they_are():
    text = "\n---\n".join([
        CONFIG_MAP.replace("level: info", "levels: info"),
        SECRET.replace("password: cw==", "passwd: cw=="),
        APP,
    ])
    result = sorted(findings(text), key=lambda f: f.span.line)
    offset = text.splitlines().index("kind: Deployment") - 1  # APP's line 1 is offset + 1
    got = [(f.rule_id, f.severity, f.span.line - offset) for f in result]
    assert got == [
        ("KPL501", "error", 24),  # env[0] LEVEL: key "level"
        ("KPL501", "error", 33),  # env[3] DB_PASSWORD: key "password"
        ("KPL502", "note", 36),   # env[4] TOKEN: Secret build-robot not in the input
        ("KPL503", "error", 49),  # volume config: item key level
        ("KPL503", "error", 56),  # volume certs: projected secret item key password
        ("KPL601", "note", 59),   # claim data not in the input
    ]
    messages = {f.span.line - offset: f.message for f in result}
    assert messages[33].startswith(
        'container "api": env[3] DB_PASSWORD reads key "password" from Secret "db", which has '
        "only keys: passwd, user;")
    assert "CreateContainerConfigError" in messages[33]
    assert 'volume "config" (mounted by "api") projects key "level" from ConfigMap "settings", ' \
        "which has only keys: blob, levels" in messages[49]
    assert "PodInitializing" in messages[49]  # the Pod has an init container


def test_volume_object_missing_and_unused_volume_ignored():
    result = findings(APP, "KPL504")
    # settings and db are absent; kube-root-ca.crt is automatic; "unused" is mounted by nobody.
    assert sorted(f.message.split(" uses ")[1].split(",")[0] for f in result) == \
        ['ConfigMap "settings"', 'Secret "db"']
    assert {f.severity for f in result} == {"note"}


def test_namespaces_match_default_and_nothing_else():
    pod = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: {ns}
spec:
  restartPolicy: Never
  containers:
    - name: c
      image: busybox:1.36
      envFrom:
        - secretRef: {{name: db}}
"""
    assert ids(SECRET + "---\n" + pod.format(ns="default"), "KPL502") == []
    assert ids(SECRET + "---\n" + pod.format(ns='""'), "KPL502") == []
    [other] = findings(SECRET + "---\n" + pod.format(ns="shop"), "KPL502")
    assert 'there is a Secret "db" in namespace "default"' in other.message


def test_statefulset_claim_templates():
    sts = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:17
          volumeMounts:
            - {name: data, mountPath: /data}
            - {name: logs, mountPath: /logs}
      volumes:
        - name: logs
          persistentVolumeClaim: {claimName: data}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests: {storage: 1Gi}
"""
    assert ids(sts, "KPL506") == []  # mounting the template's name is fine
    [claim] = findings(sts, "KPL601")
    assert claim.span.line == 21
    assert "only replaces volumes *named* after a template" in claim.message


# ---------------------------------------------------------------------------------------------
# End to end: several files, --complete


def test_cross_file_references_and_complete(tmp_path: Path):
    (tmp_path / "config.yaml").write_text(CONFIG_MAP)
    (tmp_path / "secret.yaml").write_text(SECRET.replace("password: cw==", "passwd: cw=="))
    (tmp_path / "service.yaml").write_text(SERVICE.format(namespace="default").lstrip("-\n")
                                           .replace("{app: web}", "{app: api}"))
    (tmp_path / "app.yaml").write_text(APP)
    select = ("--select", "KPL15,KPL5,KPL6")

    plain = run_json(tmp_path, *select)
    got = sorted((f["rule"], f["severity"], Path(f["file"]).name, f["line"]) for f in plain)
    assert got == [
        ("KPL150", "note", "app.yaml", 19),  # selected by service.yaml, declares no port
        ("KPL501", "error", "app.yaml", 33),    # key "password" missing from secret.yaml
        ("KPL502", "note", "app.yaml", 36),     # Secret build-robot not in the input
        ("KPL503", "error", "app.yaml", 56),    # projected item key "password"
        ("KPL601", "note", "app.yaml", 59),     # claim data not in the input
    ]
    complete = run_json(tmp_path, *select, "--complete")
    got = sorted((f["rule"], f["severity"], f["line"]) for f in complete)
    assert got == [
        ("KPL150", "note", 19),
        ("KPL501", "error", 33),
        ("KPL502", "error", 36),
        ("KPL503", "error", 56),
        ("KPL601", "error", 59),
    ]
    by_rule = {f["rule"]: f["message"] for f in complete}
    assert "with --complete the input is the whole application" in by_rule["KPL502"]
    assert 'PersistentVolumeClaim "data"' in by_rule["KPL601"]

    # Only the file with the Deployment: everything it references is absent now.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "app.yaml").write_text(APP)
    counts: dict[tuple[str, str], int] = {}
    for f in run_json(alone, *select):
        counts[f["rule"], f["severity"]] = counts.get((f["rule"], f["severity"]), 0) + 1
    assert counts == {("KPL502", "note"): 6, ("KPL504", "note"): 2, ("KPL601", "note"): 1}


def test_rule_severity_override_beats_the_check(tmp_path: Path):
    (tmp_path / "app.yaml").write_text(APP)
    (tmp_path / ".kprobelint.yaml").write_text("severity:\n  KPL601: warning\n")
    result = run_json(tmp_path, "--select", "KPL601", "--complete")
    assert [f["severity"] for f in result] == ["warning"]


# ---------------------------------------------------------------------------------------------
# runAsNonRoot, names, subPath, resources

RUN_AS = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  restartPolicy: Never
  securityContext: {pod}
  containers:
    - name: a
      image: busybox:1.36
      securityContext: {a}
    - name: b
      image: busybox:1.36
"""


@pytest.mark.parametrize(("pod", "a", "expected"), [
    ("{runAsNonRoot: true, runAsUser: 0}", "{}", [(7, '"a", "b"')]),
    ("{runAsNonRoot: true, runAsUser: 0}", "{runAsUser: 1000}", [(7, '"b"')]),
    ("{runAsNonRoot: true, runAsUser: 0}", "{runAsNonRoot: false}", [(7, '"b"')]),
    ("{runAsNonRoot: true}", "{runAsUser: 0}", [(11, '"a"')]),
    ("{runAsUser: 0}", "{runAsNonRoot: true}", [(7, '"a"')]),
    ("{runAsNonRoot: true, runAsUser: 1000}", "{}", []),
    ("{runAsNonRoot: 'true', runAsUser: 0}", "{}", []),
    ("{runAsNonRoot: true, runAsUser: false}", "{}", []),
    ("{runAsNonRoot: true, runAsUser: '0'}", "{}", []),
])
def test_run_as_non_root_combines_fields_one_by_one(pod, a, expected):
    result = findings(RUN_AS.format(pod=pod, a=a), "KPL505")
    assert [(f.span.line, f.message.split(" run")[0].split(" ", 1)[1]) for f in result] == \
        expected


def test_windows_pods_are_skipped():
    text = RUN_AS.format(pod="{runAsNonRoot: true, runAsUser: 0}", a="{}").replace(
        "  restartPolicy: Never\n", "  restartPolicy: Never\n  os: {name: windows}\n")
    assert ids(text, "KPL505") == []


NAMES = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: app
      image: busybox:1.36
  containers:
    - name: app
      image: example/app:1.0
      ports:
        - {name: http, containerPort: 8080}
        - {containerPort: 8080}
        - {name: http, containerPort: 8081}
      volumeMounts:
        - {name: data, mountPath: /data, subPath: /abs}
        - {name: data, mountPath: /b, subPath: a, subPathExpr: b}
        - {name: gone, mountPath: /c, subPathExpr: "x/../y"}
  ephemeralContainers:
    - name: app
      image: busybox:1.36
  volumes:
    - name: data
      emptyDir: {}
"""


def test_names_and_paths_the_api_server_rejects():
    result = sorted(findings(NAMES, "KPL5"), key=lambda f: (f.span.line, f.rule_id))
    # The unnamed duplicate of containerPort 8080 is only a warning of the API server.
    warned = [f for f in result if f.rule_id == "KPL514"]
    assert [(f.span.line, f.severity) for f in warned] == [(14, "note")]
    result = [f for f in result if f.rule_id != "KPL514"]
    assert [(f.rule_id, f.span.line) for f in result] == [
        ("KPL507", 10),  # containers[0] "app" like initContainers[0]
        ("KPL508", 15),  # ports[2] "http" like ports[0]
        ("KPL509", 17),  # absolute subPath
        ("KPL509", 18),  # subPath and subPathExpr together
        ("KPL506", 19),  # volume "gone"
        ("KPL509", 19),  # '..' in subPathExpr
        ("KPL507", 21),  # ephemeralContainers[0] "app"
    ]
    assert all("the API server rejects the Pod" in f.message for f in result)


def test_statefulset_template_is_not_validated_on_create():
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: s
spec:
  serviceName: s
  selector:
    matchLabels: {app: s}
  template:
    metadata:
      labels: {app: s}
    spec:
      containers:
        - name: s
          image: example/s:1.0
          volumeMounts:
            - {name: nope, mountPath: /x}
"""
    [finding] = findings(text, "KPL506")
    assert "FailedCreate" in finding.message and "accepts the StatefulSet" in finding.message
    assert finding.statuses == ("FailedCreate",)  # the rule lists both; this finding one


SUBPATH_EXPR = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  restartPolicy: Never
  containers:
    - name: c
      image: busybox:1.36
      env:
        - {name: EMPTY, value: ""}
        - {name: UP, value: ".."}
        - {name: ABS, value: /etc}
        - {name: OK, value: logs}
        - name: POD
          valueFrom:
            fieldRef: {fieldPath: metadata.name}
      volumeMounts:
        - {name: v, mountPath: /a, subPathExpr: "$(OK)/$(POD)"}
        - {name: v, mountPath: /b, subPathExpr: "$(UNDEFINED)"}
        - {name: v, mountPath: /c, subPathExpr: "$(EMPTY)"}
        - {name: v, mountPath: /d, subPathExpr: "$(UP)/x"}
        - {name: v, mountPath: /e, subPathExpr: "$(ABS)"}
        - {name: v, mountPath: /f, subPathExpr: "$$(UNDEFINED)"}
        - {name: v, mountPath: /g, subPathExpr: "$(WEB_SERVICE_HOST)"}
        - {name: v, mountPath: /h, subPathExpr: "a$(OK)..b"}
  volumes:
    - name: v
      emptyDir: {}
"""


def test_sub_path_expr_expansion():
    result = findings(SUBPATH_EXPR, "KPL510")
    got = {f.span.line: f.message for f in result}
    assert sorted(got) == [20, 21, 22, 23]
    assert "$(UNDEFINED), which is not defined" in got[20]
    assert 'missing value for EMPTY' in got[21] and "which is empty" in got[21]
    assert 'expands to "../x", which contains a \'..\' element' in got[22]
    assert 'expands to "/etc", which is an absolute path' in got[23]
    with_env_from = SUBPATH_EXPR.replace(
        "      volumeMounts:\n", "      envFrom:\n        - configMapRef: {name: more}\n"
        "      volumeMounts:\n")
    assert sorted(f.span.line for f in findings(with_env_from, "KPL510")) == [23, 24, 25]
    # (env overrides envFrom, so the empty EMPTY is still empty)


RESOURCES = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  restartPolicy: Never
  containers:
    - name: c
      image: busybox:1.36
      resources:
        requests: {requests}
        limits: {limits}
"""


@pytest.mark.parametrize(("requests", "limits", "flagged"), [
    ("{cpu: 0.1}", '{cpu: "100m"}', []),
    ("{cpu: 101m}", "{cpu: 0.1}", ["cpu"]),
    ("{cpu: 2}", "{cpu: 1e3}", []),
    ("{memory: 1Gi}", "{memory: 1G}", ["memory"]),
    ("{memory: 1G}", "{memory: 1Gi}", []),
    ("{memory: 1Gi, cpu: 1}", "{cpu: 1}", []),
    ("{nvidia.com/gpu: 1}", "{nvidia.com/gpu: 2}", ["nvidia.com/gpu"]),
    ("{nvidia.com/gpu: 1}", "{}", ["nvidia.com/gpu"]),
    ("{hugepages-2Mi: 100Mi, memory: 1Gi}", "{hugepages-2Mi: 200Mi, memory: 1Gi}",
     ["hugepages-2Mi"]),
    ("{example.kubernetes.io/thing: 1}", "{}", []),
    ("{cpu: lots}", "{cpu: 1}", []),
    ("{cpu: 2}", "[1]", []),
    ("[cpu]", "{cpu: 1}", []),
    ("{cpu: true}", "{cpu: 1}", []),
])
def test_requests_against_limits(requests, limits, flagged):
    result = findings(RESOURCES.format(requests=requests, limits=limits), "KPL602")
    assert [f.field.rsplit(".", 1)[-1] if "gpu" not in f.field else "nvidia.com/gpu"
            for f in result] == flagged


# ---------------------------------------------------------------------------------------------
# Odd input never crashes a check

ODD = """\
apiVersion: v1
kind: Pod
metadata:
  name: odd
  labels: [a]
  ownerReferences: {kind: Job}
spec:
  securityContext: [1]
  os: windows
  volumes:
    - 3
    - name: 4
      configMap: [x]
    - name: v
      secret: {secretName: 5, items: {key: a}}
    - name: w
      projected: {sources: [1, {configMap: {name: c, items: [null, {key: 7}]}}]}
    - name: x
      persistentVolumeClaim: {claimName: [1]}
  initContainers: {name: x}
  containers:
    - null
    - name: a
      image: busybox:1.36
      ports: {name: http}
      env:
        - 1
        - name: [x]
          valueFrom: {configMapKeyRef: [1], secretKeyRef: {name: 1, key: 2, optional: yes}}
        - name: y
          valueFrom: "oops"
      envFrom: [1, {configMapRef: "x"}, {secretRef: {name: null}}]
      volumeMounts:
        - 1
        - {name: 5, subPath: 6, subPathExpr: [7]}
        - {name: v, mountPath: /v, subPathExpr: "$(", subPath: ""}
      resources: {requests: {cpu: {}, 7: 1}, limits: 5}
      securityContext: {runAsNonRoot: 1, runAsUser: 0.0}
      readinessProbe: 5
    - name: a
      ports:
        - {name: 1}
        - {name: 1}
"""
ODD_SPEC = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: odd
spec:
  template:
    metadata: 5
    spec:
      containers: "web"
      volumes: {a: b}
---
apiVersion: v1
kind: Service
metadata:
  name: odd
spec:
  selector: [app]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data: [1, 2]
"""


@pytest.mark.parametrize("text", [ODD, ODD_SPEC], ids=["pod", "deployment"])
def test_odd_values_never_crash(text):
    result = lint_text(text, MINE)
    assert not [f for f in result if f.rule_name == "internal-error"], result
