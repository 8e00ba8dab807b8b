"""Container ports: what the API server rejects (KPL512, KPL513), what it only warns about
(KPL514), and probes on ports not served over TCP (KPL132)."""
from __future__ import annotations

import textwrap

import pytest
from lintutil import lint_text


def pod(containers: str, spec: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), "    ")
    extra = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ") + "\n" if spec else ""
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{extra}"
            f"  containers:\n{body}\n")


def found(text: str, rule: str) -> list[tuple[str, str]]:
    return [(f.field.rsplit(".", 1)[-1], f.message) for f in lint_text(text, (rule,))]


@pytest.mark.parametrize(("port", "field", "says"), [
    ("{containerPort: 0}", "containerPort", "is required"),
    ("{name: http}", "ports[0]", "is required"),
    ("{containerPort: -1}", "containerPort", "outside 1-65535"),
    ("{containerPort: 80, hostPort: 70000}", "hostPort", "outside 1-65535"),
    ("{containerPort: 80, name: HTTP}", "name", "lowercase"),
    ("{containerPort: 80, name: '8080'}", "name", "quoted number"),
    ("{containerPort: 80, name: web--ui}", "name", "'--'"),
])
def test_invalid_container_ports_are_rejected(port, field, says):
    [(where, message)] = found(pod(f"- name: c\n  image: a:1\n  ports: [{port}]"), "KPL512")
    assert where == field and says in message
    assert message.endswith("the API server rejects the Pod")


@pytest.mark.parametrize(("port", "field", "rule"), [
    ("{containerPort: '8080'}", "containerPort", "KPL701"),
    ("{containerPort: 80, hostPort: 'x'}", "hostPort", "KPL701"),
    ("{containerPort: 80, protocol: Udp}", "protocol", "KPL706"),
    ("{containerPort: 80, protocol: HTTP}", "protocol", "KPL706"),
])
def test_types_and_protocols_are_left_to_the_schema_rules(port, field, rule):
    text = pod(f"- name: c\n  image: a:1\n  ports: [{port}]")
    assert found(text, "KPL512") == []
    assert [(f.rule_id, f.field.rsplit(".", 1)[-1])
            for f in lint_text(text, ("KPL512", "KPL701", "KPL706"))] == [(rule, field)]


def test_valid_ports_and_host_network():
    ok = pod("- name: c\n  image: a:1\n  ports: [{containerPort: 80, hostPort: 80, "
             "name: http, protocol: SCTP}]", "hostNetwork: true")
    assert found(ok, "KPL512") == []
    bad = ok.replace("hostPort: 80", "hostPort: 8080")
    assert [w for w, _ in found(bad, "KPL512")] == ["hostPort"]
    # Init containers are not checked against hostNetwork (validatePodHostNetworkDeps).
    init = bad.replace("  containers:", "  initContainers:") + \
        "  containers:\n    - {name: d, image: a:1}\n"
    assert found(init, "KPL512") == []


def test_host_port_conflicts_among_regular_containers_only():
    two = pod("""\
        - name: a
          image: a:1
          ports: [{containerPort: 80, hostPort: 8080}]
        - name: b
          image: a:1
          ports: [{containerPort: 81, hostPort: 8080}]
        """)
    [(where, message)] = found(two, "KPL513")
    assert where == "hostPort" and 'like ports[0] of container "a"' in message
    # Another protocol or hostIP is another node port.
    assert found(two.replace("81, hostPort: 8080", "81, hostPort: 8080, protocol: UDP"),
                 "KPL513") == []
    assert found(two.replace("81, hostPort: 8080", "81, hostPort: 8080, hostIP: 10.0.0.1"),
                 "KPL513") == []
    # Init containers run one at a time: the same hostPort in two of them is fine.
    inits = two.replace("  containers:", "  initContainers:") + \
        "  containers:\n    - {name: main, image: a:1}\n"
    assert found(inits, "KPL513") == []


@pytest.mark.parametrize(("ports", "warning", "certainty"), [
    ("[{containerPort: 80, name: a}, {containerPort: 80, name: b}]",
     "duplicate port definition", "certain"),
    ("[{containerPort: 80}, {containerPort: 80, hostPort: 80}]",
     "overlapping port definition", "certain"),
    ("[{containerPort: 80, hostPort: 80}, {containerPort: 80, hostPort: 80, hostIP: 1.2.3.4}]",
     "dangerously ambiguous port definition", "certain"),
])
def test_duplicate_container_ports_are_only_warnings(ports, warning, certainty):
    [finding] = lint_text(pod(f"- name: c\n  image: a:1\n  ports: {ports}"), ("KPL514",))
    assert f'only warns ("{warning}")' in finding.message
    assert (finding.severity, finding.certainty) == ("note", certainty)


def test_duplicate_container_port_across_containers_is_conditional():
    text = pod("""\
        - {name: a, image: a:1, ports: [{containerPort: 9090}]}
        - {name: b, image: a:1, ports: [{containerPort: 9090}]}
        """)
    [finding] = lint_text(text, ("KPL514",))
    assert finding.certainty == "conditional" and "cannot bind it" in finding.message
    udp = text.replace("b, image: a:1, ports: [{containerPort: 9090}",
                       "b, image: a:1, ports: [{containerPort: 9090, protocol: UDP}")
    assert udp != text and lint_text(udp, ("KPL514",)) == []


def test_host_ip_without_host_port_is_a_warning_of_the_api_server():
    [finding] = lint_text(pod("- {name: c, image: a:1, ports: [{containerPort: 80, "
                              "hostIP: 0.0.0.0}]}"), ("KPL514",))
    assert "hostIP set without hostPort" in finding.message


@pytest.mark.parametrize(("ports", "probe", "flagged"), [
    ("[{name: dns, containerPort: 53, protocol: UDP}]", "tcpSocket: {port: dns}", True),
    ("[{name: dns, containerPort: 53, protocol: UDP}]", "tcpSocket: {port: 53}", True),
    ("[{name: dns, containerPort: 53, protocol: UDP}]", "grpc: {port: 53}", True),
    ("[{name: dns, containerPort: 53, protocol: UDP}, {containerPort: 53}]",
     "tcpSocket: {port: 53}", False),
    ("[{name: dns, containerPort: 53, protocol: UDP}]", "tcpSocket: {port: 8080}", False),
    ("[{name: dns, containerPort: 53, protocol: UDP}]",
     "tcpSocket: {port: dns, host: 10.0.0.1}", False),
])
def test_probe_on_a_udp_only_port(ports, probe, flagged):
    text = pod(f"- name: c\n  image: a:1\n  ports: {ports}\n  readinessProbe: {{{probe}}}")
    assert bool(lint_text(text, ("KPL132",))) is flagged
