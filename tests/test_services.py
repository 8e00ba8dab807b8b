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
