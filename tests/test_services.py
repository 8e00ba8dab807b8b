"""Services and what they reach: readinessProbe-missing (KPL150) by Service targets, and the
index of Services and pod specs behind it."""
from __future__ import annotations

import textwrap

from lintutil import lint_text

from kprobelint.load import load_bytes
from kprobelint.model import objects_of, pod_specs_of
from kprobelint.services import pod_ports, service_info


def findings(text: str, *select: str):
    return [f for f in lint_text(text, select) if f.rule_id in select]


def service(ports: str, extra: str = "", name: str = "web") -> str:
    return textwrap.dedent(f"""\
        apiVersion: v1
        kind: Service
        metadata: {{name: {name}}}
        spec:
          selector: {{app: web}}
        """) + textwrap.indent(textwrap.dedent(extra), "  ") + "  ports:\n" + \
        textwrap.indent(textwrap.dedent(ports), "    ") + "---\n"


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports:
        - {name: http, containerPort: 8080}
    - name: exporter
      image: example/exporter:1.0
      ports:
        - {name: metrics, containerPort: 9102}
"""


def test_only_the_container_a_service_port_targets_gets_the_warning():
    by_name = findings(service("- {port: 80, targetPort: http}\n") + POD, "KPL150")
    assert [(f.container, f.severity) for f in by_name] == [("app", "warning")]
    assert 'Service "web" sends it traffic (port 80 to targetPort "http")' in by_name[0].message
    by_number = findings(service("- {port: 9102}\n") + POD, "KPL150")
    assert [(f.container, f.severity) for f in by_number] == [("exporter", "warning")]


def test_named_target_port_must_match_the_protocol():
    udp = service("- {port: 80, targetPort: http, protocol: UDP}\n") + POD
    # findPort does not resolve it: nobody is reached, and no note either (a Service of the
    # input selects the Pod).
    assert findings(udp, "KPL150") == []


def test_headless_service_publishes_in_dns_a_note():
    text = service("- {port: 8080, targetPort: http}\n", "clusterIP: None\n") + POD
    [finding] = findings(text, "KPL150")
    assert (finding.container, finding.severity) == ("app", "note")
    assert "is headless: it routes no traffic itself but publishes the Pod's address in DNS" \
        in finding.message
    assert finding.certainty == "conditional"


def test_headless_service_without_ports_is_about_every_container_with_ports():
    text = textwrap.dedent("""\
        apiVersion: v1
        kind: Service
        metadata: {name: peers}
        spec:
          clusterIP: None
          selector: {app: web}
        ---
        """) + POD
    assert sorted((f.container, f.severity) for f in findings(text, "KPL150")) == \
        [("app", "note"), ("exporter", "note")]


def test_publish_not_ready_addresses_makes_readiness_irrelevant():
    text = service("- {port: 80, targetPort: http}\n",
                   "clusterIP: None\npublishNotReadyAddresses: true\n") + POD
    assert findings(text, "KPL150") == []


def test_no_service_in_the_input_leaves_notes_for_declared_ports():
    assert sorted((f.container, f.severity) for f in findings(POD, "KPL150")) == \
        [("app", "note"), ("exporter", "note")]


def test_service_index_follows_defaults():
    text = service("- {port: 80}\n- {port: 53, protocol: UDP, targetPort: dns}\n",
                   "clusterIP: None\n") + POD
    loaded = load_bytes("-", text.encode())
    objects, _ = objects_of(loaded)
    info = service_info(objects[0], None)
    assert info.headless and not info.publish_not_ready
    assert [(p.port, p.target, p.protocol, p.explicit) for p in info.ports] == \
        [(80, 80, "TCP", False), (53, "dns", "UDP", True)]
    [pod] = pod_specs_of(objects[1])
    ports = pod_ports(pod)
    assert ports.owner_of_name("metrics", "TCP") == 1
    assert ports.owner_of_name("metrics", "UDP") is None
    assert ports.declaring(8080, "TCP") == [0]


# ---------------------------------------------------------------------------------------------
# Service ports and selectors (KPL518-KPL520)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: example/app:1.0
          ports:
            - {name: http, containerPort: 8080}
"""


def test_named_target_port_no_selected_container_declares():
    text = service("- {port: 80, targetPort: web}\n") + DEPLOYMENT
    [finding] = lint_text(text, ("KPL518",))
    assert (finding.severity, finding.certainty, finding.span.line) == ("error", "certain", 7)
    assert finding.field == "spec.ports[0].targetPort"
    assert "(it declares http 8080/TCP)" in finding.message
    assert lint_text(service("- {port: 80, targetPort: http}\n") + DEPLOYMENT, ("KPL518",)) == []


def test_named_target_port_may_be_a_native_sidecars():
    sidecar = DEPLOYMENT.replace("      containers:", """\
      initContainers:
        - name: proxy
          image: example/proxy:1.0
          restartPolicy: Always
          ports:
            - {name: proxy, containerPort: 15001}
      containers:""")
    assert lint_text(service("- {port: 80, targetPort: proxy}\n") + sidecar, ("KPL518",)) == []
    # A regular init container does not serve: findPort does not look at it.
    init = sidecar.replace("          restartPolicy: Always\n", "")
    assert [f.rule_id for f in lint_text(service("- {port: 80, targetPort: proxy}\n") + init,
                                         ("KPL518",))] == ["KPL518"]


def test_named_target_port_declared_by_some_workloads_is_a_note():
    other = DEPLOYMENT.replace("name: web}", "name: web-canary}").replace(
        "{name: http, containerPort: 8080}", "{name: metrics, containerPort: 9090}")
    [finding] = lint_text(service("- {port: 80, targetPort: http}\n") + DEPLOYMENT + "---\n"
                          + other, ("KPL518",))
    assert finding.severity == "note"
    assert "the Pods of Deployment web-canary do not declare" in finding.message
    assert "(the Pods of Deployment web serve it)" in finding.message


def test_jobs_selected_by_a_service_are_not_its_backends():
    job = """\
apiVersion: batch/v1
kind: Job
metadata: {name: smoke-test}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Never
      containers:
        - {name: test, image: curlimages/curl:8.10.1}
"""
    text = service("- {port: 80, targetPort: http}\n") + DEPLOYMENT + "---\n" + job
    assert lint_text(text, ("KPL518", "KPL519")) == []


def test_numeric_target_port_other_than_the_declared_ones_is_a_note():
    [finding] = lint_text(service("- {port: 80, targetPort: 9000}\n") + DEPLOYMENT, ("KPL519",))
    assert (finding.severity, finding.certainty) == ("note", "conditional")
    assert "(they declare 8080/TCP)" in finding.message
    # The number is in the container's args: the application is told to listen there.
    told = DEPLOYMENT.replace("          ports:", "          args: [--port=9000]\n          ports:")
    assert lint_text(service("- {port: 80, targetPort: 9000}\n") + told, ("KPL519",)) == []
    # A container that declares no ports says nothing about where it listens.
    bare = DEPLOYMENT.split("          ports:")[0]
    assert lint_text(service("- {port: 80, targetPort: 9000}\n") + bare, ("KPL519",)) == []


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis}
spec:
  serviceName: redis
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
        - name: redis
          image: redis:7.4
          ports: [{name: redis, containerPort: 6379}]
"""
ANNOUNCE = """\
apiVersion: v1
kind: Service
metadata: {name: redis-announce-0}
spec:
  selector:
    app: redis
    statefulset.kubernetes.io/pod-name: redis-0
  ports: [{port: 6379, targetPort: redis}]
---
"""


def test_service_selecting_nothing_under_complete():
    lonely = service("- {port: 80, targetPort: http}\n").replace("{app: web}", "{app: website}")
    assert lint_text(lonely + DEPLOYMENT, ("KPL520",)) == []  # without --complete
    [finding] = lint_text(lonely + DEPLOYMENT, ("KPL520",), complete=True)
    assert (finding.severity, finding.certainty) == ("warning", "conditional")
    assert "(Deployment web has app=web)" in finding.message
    # The StatefulSet controller labels each Pod with its name: selecting one is fine.
    assert lint_text(ANNOUNCE + STATEFULSET, ("KPL520", "KPL518"), complete=True) == []
    # An input that may create Pods of its own (a CRD, RBAC to create Pods) makes it a note.
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
           "metadata: {name: widgets.example.com}\n---\n")
    [noted] = lint_text(crd + lonely + DEPLOYMENT, ("KPL520",), complete=True)
    assert noted.severity == "note" and "a controller create Pods" in noted.message


def test_services_pair_with_pod_templates_of_their_own_directory(tmp_path):
    from kprobelint.engine import Selection
    from kprobelint.runner import Options, lint

    for app, port in (("one", "http"), ("two", "web")):
        (tmp_path / app).mkdir()
        (tmp_path / app / "service.yaml").write_text(
            service(f"- {{port: 80, targetPort: {port}}}\n").rstrip("-\n") + "\n")
        (tmp_path / app / "deployment.yaml").write_text(
            DEPLOYMENT.replace("name: http", f"name: {port}"))
    result = lint(Options([str(tmp_path)], Selection(("KPL518",)), jobs=1))
    assert result.findings == []  # each Service is judged against its own Deployment
