"""Probe and lifecycle field rules (KPL110-KPL131): the cases the rule examples do not cover.

Odd YAML types, where probes are not allowed, shell-versus-argv expansion of $(VAR), the
parameters users can set, and the boundaries of the timing comparisons.
"""
from __future__ import annotations

import textwrap

import pytest
from lintutil import lint_text

from kprobelint.checks.helpers.values import as_int
from kprobelint.checks.probes.commands import variable_references
from kprobelint.config import Config
from kprobelint.engine import DEFAULT_KUBE_VERSION, Selection
from kprobelint.runner import Options, lint

ALL = ("KPL11", "KPL12", "KPL13")


def pod(container: str, *, pod_fields: str = "", extra_containers: str = "",
        init: str = "") -> str:
    """A Pod with one container named ``c``; ``container`` is its body (indented later)."""
    body = textwrap.indent(textwrap.dedent(container).strip("\n"), "      ")
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            + textwrap.indent(textwrap.dedent(pod_fields).strip("\n"), "  ")
            + ("\n" if pod_fields else "")
            + (textwrap.indent(textwrap.dedent(init).strip("\n"), "  ") + "\n" if init else "")
            + "  containers:\n    - name: c\n      image: example/app:1.0\n" + body + "\n"
            + textwrap.indent(textwrap.dedent(extra_containers).strip("\n"), "    "))
    return text


def findings(text: str, select: tuple[str, ...] = ALL, kube_version: str | None = None):
    return [f for f in lint_text(text, select, kube_version)]


def ids(text: str, select: tuple[str, ...] = ALL, kube_version: str | None = None) -> list[str]:
    return sorted(f.rule_id for f in findings(text, select, kube_version))


def lint_with_params(text: str, rule: str, params: dict):
    options = Options(["-"], Selection((rule,), (), DEFAULT_KUBE_VERSION),
                      config=Config(params={rule: params}))
    return lint(options, stdin=text.encode()).findings


# ---------------------------------------------------------------------------------------------
# Helpers


def test_as_int_rejects_bools_and_non_numbers():
    assert as_int(5) == 5
    assert as_int(10.0) == 10
    assert as_int(True) is None
    assert as_int(10.5) is None
    assert as_int("10") is None
    assert as_int(None) is None
    assert as_int([1]) is None
    assert as_int(float("nan")) is None


def test_variable_references_follow_kubelet_expansion():
    assert list(variable_references("$(A) x $(B_C)")) == ["A", "B_C"]
    assert list(variable_references("$$(ESCAPED) $(REAL)")) == ["REAL"]
    assert list(variable_references("$(unclosed")) == []
    assert list(variable_references("$A ${B} $")) == []
    assert list(variable_references("$(cat /tmp/x)")) == ["cat /tmp/x"]


# ---------------------------------------------------------------------------------------------
# Robustness: any YAML type in any field, no crash and no nonsense


WEIRD_VALUES = ["true", "null", "[1, 2]", "{a: 1}", '"ten"', "10.5", "-1", "0", "99999999999"]


@pytest.mark.parametrize("value", WEIRD_VALUES)
def test_odd_values_never_crash(value):
    text = pod(f"""
        ports: {value}
        env: {value}
        command: {value}
        livenessProbe:
          httpGet: {{path: {value}, port: {value}, host: {value}, scheme: {value},
                    httpHeaders: {value}}}
          initialDelaySeconds: {value}
          timeoutSeconds: {value}
          periodSeconds: {value}
          successThreshold: {value}
          failureThreshold: {value}
          terminationGracePeriodSeconds: {value}
        readinessProbe:
          exec: {{command: {value}}}
          periodSeconds: {value}
          terminationGracePeriodSeconds: {value}
        startupProbe:
          grpc: {{port: {value}, service: {value}}}
          failureThreshold: {value}
        lifecycle:
          preStop:
            exec: {{command: {value}}}
          postStart:
            httpGet: {{port: {value}, httpHeaders: [{{name: {value}}}]}}
        """)
    for version in ("1.20", "1.23", DEFAULT_KUBE_VERSION):
        for finding in findings(text, ("ALL",), version):
            assert finding.rule_name != "internal-error", finding.message
            assert "None" not in finding.message, finding.message


def test_bool_is_not_a_number():
    text = pod("""
        livenessProbe:
          tcpSocket: {port: 8080}
          failureThreshold: true
          timeoutSeconds: true
          periodSeconds: false
        """)
    assert ids(text) == []


def test_non_list_probe_structures_are_skipped():
    text = pod("""
        livenessProbe: "yes"
        readinessProbe: [1, 2]
        startupProbe: null
        lifecycle: {preStop: [a], postStart: "x"}
        """)
    assert ids(text) == []


# ---------------------------------------------------------------------------------------------
# Where probes are allowed


def test_init_and_ephemeral_containers_are_left_to_their_own_rules():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            "  initContainers:\n    - name: i\n      image: x:1\n"
            "      livenessProbe:\n        httpGet: {port: \"8080\", scheme: http}\n"
            "        failureThreshold: 1\n"
            "  containers:\n    - name: c\n      image: x:1\n"
            "  ephemeralContainers:\n    - name: e\n      image: x:1\n"
            "      readinessProbe:\n        exec: {command: [\"curl -f localhost\"]}\n")
    assert ids(text) == []


def test_native_sidecars_are_checked():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            "  initContainers:\n    - name: proxy\n      image: x:1\n      restartPolicy: Always\n"
            "      readinessProbe:\n        httpGet: {port: \"15021\", path: /healthz/ready}\n"
            "  containers:\n    - name: c\n      image: x:1\n")
    found = findings(text)
    assert [f.rule_id for f in found] == ["KPL110"]
    assert found[0].container == "proxy"


# ---------------------------------------------------------------------------------------------
# KPL110 / KPL111: handler fields


@pytest.mark.parametrize(("port", "words"), [
    ('"8080"', "quoted number"),
    ("HTTP", "lowercase"),
    ("this-name-is-too-long", "longer than 15"),
    ("web--ui", "'--'"),
    ("-web", "'-'"),
    ("web_ui", "only a-z"),
    ('""', "empty port name"),
    ("65536", "1-65535"),
    ("-1", "1-65535"),
    ("[8080]", "neither a port number nor a port name"),
])
def test_invalid_ports(port, words):
    found = findings(pod(f"readinessProbe:\n  tcpSocket: {{port: {port}}}"), ("KPL110",))
    assert len(found) == 1 and words in found[0].message, found
    assert 'container "c"' in found[0].message


@pytest.mark.parametrize("port", ["8080", "http", "a1", "65535", "1", "web-ui"])
def test_valid_ports(port):
    assert ids(pod(f"readinessProbe:\n  tcpSocket: {{port: {port}}}"), ("KPL110",)) == []


def test_missing_ports_point_at_the_handler():
    text = pod("readinessProbe:\n  httpGet:\n    path: /ready\nlivenessProbe:\n  grpc: {}")
    found = findings(text, ("KPL110",))
    assert sorted(f.message.split(" ")[0] for f in found) == ["livenessProbe.grpc",
                                                             "readinessProbe.httpGet"]
    assert all("has no port" in f.message for f in found)


def test_scheme_and_headers():
    text = pod("""
        livenessProbe:
          httpGet:
            port: 8080
            scheme: https
            httpHeaders:
              - {name: "X Forwarded", value: a}
              - {value: b}
              - {name: Host, value: c}
              - {name: X-Ok_, value: d}
        """)
    messages = [f.message for f in findings(text, ("KPL110",))]
    assert len(messages) == 4
    assert "write HTTPS" in messages[0] or any("write HTTPS" in m for m in messages)
    assert sum("not a valid HTTP header name" in m for m in messages) == 3


def test_empty_scheme_is_defaulted():
    assert ids(pod('livenessProbe:\n  httpGet: {port: 8080, scheme: ""}'), ("KPL110",)) == []


def test_exec_command_shapes():
    assert ids(pod("livenessProbe:\n  exec: {}"), ("KPL110",)) == ["KPL110"]
    assert ids(pod("livenessProbe:\n  exec: {command: null}"), ("KPL110",)) == ["KPL110"]
    found = findings(pod('livenessProbe:\n  exec: {command: "cat /tmp/ok"}'), ("KPL110",))
    assert len(found) == 1 and "not a list" in found[0].message


def test_grpc_port_string_and_quoted_number():
    found = findings(pod('livenessProbe:\n  grpc: {port: "9090"}'), ("KPL110",))
    assert len(found) == 1 and "write 9090 without quotes" in found[0].message


def test_lifecycle_handlers_have_no_grpc_check_but_the_same_ports():
    text = pod("""
        lifecycle:
          postStart:
            tcpSocket: {port: "80"}
          preStop:
            httpGet: {port: 8080, scheme: Http}
        """)
    found = findings(text, ("KPL111",))
    assert [f.message.split(" ")[0] for f in found] == ["lifecycle.postStart.tcpSocket.port",
                                                       "lifecycle.preStop.httpGet.scheme"]
    assert ids(text, ("KPL110",)) == []


# ---------------------------------------------------------------------------------------------
# KPL112-KPL116: exec command in one string


def test_unsplit_command_variants():
    shell_ok = pod('readinessProbe:\n  exec: {command: [sh, -c, "curl -f localhost"]}')
    assert ids(shell_ok, ("KPL112",)) == []
    one_word = pod("readinessProbe:\n  exec: {command: [/healthcheck]}")
    assert ids(one_word, ("KPL112",)) == []
    first_arg = findings(pod('readinessProbe:\n  exec: {command: ["curl -f", localhost]}'),
                         ("KPL112",))
    assert len(first_arg) == 1
    later_arg_only = pod('readinessProbe:\n  exec: {command: [curl, "-f localhost"]}')
    assert ids(later_arg_only, ("KPL112",)) == []


def test_unsplit_rules_are_per_probe_and_hook():
    text = pod("""
        readinessProbe:
          exec: {command: ["a b"]}
        livenessProbe:
          exec: {command: ["a b"]}
        startupProbe:
          exec: {command: ["a b"]}
        lifecycle:
          postStart:
            exec: {command: ["a b"]}
          preStop:
            exec: {command: ["a b"]}
        """)
    assert ids(text, ("KPL112", "KPL113", "KPL114", "KPL115", "KPL116")) == [
        "KPL112", "KPL113", "KPL114", "KPL115", "KPL116"]


def test_unsplit_shell_only_suggests_splitting():
    found = findings(pod('livenessProbe:\n  exec: {command: ["sh -c", "exit 0"]}'), ("KPL113",))
    assert "[sh, -c]" in found[0].message and "run it through a shell" not in found[0].message


# ---------------------------------------------------------------------------------------------
# KPL117 / KPL118: $(VAR) in exec commands


ENV = """
env:
  - {name: STATIC, value: "1"}
  - name: FROM_SECRET
    valueFrom: {secretKeyRef: {name: s, key: k}}
  - {name: lower_from, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
"""


@pytest.mark.parametrize(("command", "flagged"), [
    ('[check, "$(STATIC)"]', False),              # static values are expanded
    ('[check, "$(FROM_SECRET)"]', True),          # valueFrom: empty string
    ('[check, "$(UNDECLARED)"]', True),           # literal text
    ('[check, "$$(STATIC)"]', False),             # escaped on purpose
    ('[sh, -c, "echo $(STATIC)"]', False),        # expanded before the shell runs
    ('[sh, -c, "echo $(hostname)"]', False),      # shell command substitution
    ('[sh, -c, "echo $(cat /tmp/x)"]', False),
    ('[sh, -c, "echo $(UNDECLARED)"]', True),     # the shell runs a command UNDECLARED
    ('[sh, -c, "echo $(FROM_SECRET)"]', True),
    ('[sh, -c, "echo $(lower_from)"]', True),     # a declared valueFrom name, lowercase
    ('[/usr/bin/env, bash, -c, "echo $(hostname)"]', False),
    ('[check, "$(not a var)"]', False),
    ('[sh, -ec, "echo $(UNDECLARED)"]', True),
    ('[sh, /probe.sh, "$(UNDECLARED)"]', True),   # an argument, not a script: literal
    ('[sh, /probe.sh, "$(STATIC)"]', False),
    ('[pwsh, -NonInteractive, -Command, "$(Get-Date)"]', False),
    ('[env, A=1, bash, -c, "echo $(hostname)"]', False),
])
def test_probe_env_references(command, flagged):
    text = pod(ENV + f"readinessProbe:\n  exec: {{command: {command}}}")
    assert (ids(text, ("KPL117",)) == ["KPL117"]) is flagged


def test_hooks_never_expand_even_static_values():
    text = pod(ENV + 'lifecycle:\n  preStop:\n    exec: {command: [drain, "$(STATIC)"]}')
    found = findings(text, ("KPL118",))
    assert len(found) == 1 and "never expanded" in found[0].message
    shell = pod(ENV + 'lifecycle:\n  preStop:\n    exec: {command: [sh, -c, "drain $(STATIC)"]}')
    assert "$STATIC" in findings(shell, ("KPL118",))[0].message


def test_script_argument_or_plain_argument_messages():
    script = findings(pod('readinessProbe:\n  exec: {command: [sh, -c, "x $(PORT)"]}'),
                      ("KPL117",))
    assert "command named" in script[0].message
    argument = findings(pod('readinessProbe:\n  exec: {command: [sh, /p.sh, "$(PORT)"]}'),
                        ("KPL117",))
    assert "literal text" in argument[0].message


def test_env_reference_reported_once_per_argument():
    text = pod('readinessProbe:\n  exec: {command: [check, "$(A) $(A) $(B)"]}')
    assert len(findings(text, ("KPL117",))) == 2


# ---------------------------------------------------------------------------------------------
# KPL119: host


def test_loopback_host_is_a_warning_unless_host_network():
    text = pod("livenessProbe:\n  httpGet: {host: 127.0.0.1, port: 8080}")
    found = findings(text, ("KPL119",))
    assert [f.severity for f in found] == ["warning"]
    host_network = pod("livenessProbe:\n  httpGet: {host: 127.0.0.1, port: 8080}",
                       pod_fields="hostNetwork: true")
    assert ids(host_network, ("KPL119",)) == []


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1",
                                  "0.0.0.0"])
def test_loopback_spellings(host):
    text = pod(f'readinessProbe:\n  tcpSocket: {{host: "{host}", port: 8080}}')
    assert [f.severity for f in findings(text, ("KPL119",))] == ["warning"]


def test_other_host_is_a_note_even_with_host_network():
    text = pod("readinessProbe:\n  tcpSocket: {host: db.example.com, port: 5432}",
               pod_fields="hostNetwork: true")
    assert [f.severity for f in findings(text, ("KPL119",))] == ["note"]
    assert ids(pod('readinessProbe:\n  tcpSocket: {host: "", port: 5432}'), ("KPL119",)) == []


# ---------------------------------------------------------------------------------------------
# KPL120: undeclared probe port numbers


UNDECLARED = """
ports:
  - {containerPort: 8080}
livenessProbe:
  httpGet: {path: /healthz, port: 9102}
readinessProbe:
  httpGet: {path: /ready, port: 8800}
"""


def test_only_near_misses_by_default():
    found = findings(pod(UNDECLARED), ("KPL120",))
    assert len(found) == 1 and "typo for 8080" in found[0].message


def test_any_undeclared_param_reports_every_undeclared_port():
    found = lint_with_params(pod(UNDECLARED), "KPL120", {"any_undeclared": True})
    assert len(found) == 2


@pytest.mark.parametrize(("pod_fields", "extra", "container_extra"), [
    ("hostNetwork: true", "", ""),
    ("", "- name: side\n  image: x:1\n  ports: [{containerPort: 8800}, {containerPort: 9102}]",
     ""),
    ("", "", "args: ['--health=:8800', '--metrics=:9102']"),
])
def test_undeclared_port_exemptions(pod_fields, extra, container_extra):
    text = pod(container_extra + "\n" + UNDECLARED, pod_fields=pod_fields,
               extra_containers=extra)
    assert lint_with_params(text, "KPL120", {"any_undeclared": True}) == []


def test_no_declared_ports_no_finding():
    text = pod("livenessProbe:\n  httpGet: {path: /healthz, port: 9102}")
    assert lint_with_params(text, "KPL120", {"any_undeclared": True}) == []


# ---------------------------------------------------------------------------------------------
# KPL121, KPL122, KPL131: probe-level terminationGracePeriodSeconds


def test_grace_period_rules_by_version():
    text = pod("""
        readinessProbe:
          tcpSocket: {port: 80}
          terminationGracePeriodSeconds: 5
        livenessProbe:
          tcpSocket: {port: 80}
          terminationGracePeriodSeconds: 0
        startupProbe:
          tcpSocket: {port: 80}
          terminationGracePeriodSeconds: 30
        """)
    select = ("KPL121", "KPL122", "KPL131")
    assert ids(text, select, "1.35") == ["KPL121", "KPL122"]
    assert ids(text, select, "1.24") == ["KPL121", "KPL131", "KPL131"]
    assert ids(text, select, "1.20") == ["KPL131", "KPL131"]


# ---------------------------------------------------------------------------------------------
# KPL123-KPL125: timing values


def test_zero_defaults_are_named():
    text = pod("""
        readinessProbe:
          tcpSocket: {port: 80}
          initialDelaySeconds: 0
          timeoutSeconds: 0
          periodSeconds: 0
          successThreshold: 0
          failureThreshold: 0
        """)
    messages = [f.message for f in findings(text, ("KPL124",))]
    assert len(messages) == 4
    for field, default in (("timeoutSeconds", 1), ("periodSeconds", 10),
                           ("successThreshold", 1), ("failureThreshold", 3)):
        assert any(m.startswith(f"readinessProbe.{field} (0)") and f"default {default}" in m
                   for m in messages)


def test_every_negative_field_is_reported():
    fields = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
              "failureThreshold")
    text = pod("startupProbe:\n  tcpSocket: {port: 80}\n"
               + "".join(f"  {name}: -1\n" for name in fields))
    assert len(findings(text, ("KPL123",))) == 5


@pytest.mark.parametrize(("timing", "flagged"), [
    ("timeoutSeconds: 9", False),
    ("timeoutSeconds: 10", True),
    ("{timeoutSeconds: 1, periodSeconds: 1}", False),   # cannot go lower
    ("{timeoutSeconds: 2, periodSeconds: 0}", False),   # period 0 is the default 10
    ("{timeoutSeconds: 2, periodSeconds: 2}", True),
    ("{timeoutSeconds: -3, periodSeconds: 2}", False),  # rejected anyway: KPL123
])
def test_timeout_against_period(timing, flagged):
    body = timing.strip("{}").replace(", ", "\n  ")
    text = pod(f"readinessProbe:\n  tcpSocket: {{port: 80}}\n  {body}")
    assert (ids(text, ("KPL125",)) == ["KPL125"]) is flagged


# ---------------------------------------------------------------------------------------------
# KPL126: liveness against readiness


def both(liveness: str, readiness: str, extra: str = "") -> str:
    return pod(f"{extra}\nlivenessProbe:\n{textwrap.indent(liveness, '  ')}\n"
               f"readinessProbe:\n{textwrap.indent(readiness, '  ')}")


@pytest.mark.parametrize(("liveness", "readiness", "flagged"), [
    ("httpGet: {path: /healthz, port: 8080}\nfailureThreshold: 4",
     "httpGet: {path: /healthz, port: 8080}", False),
    ("httpGet: {path: /healthz, port: 8080}",
     "httpGet: {path: /healthz, port: 8080}\nfailureThreshold: 2", False),
    ("httpGet: {path: /livez, port: 8080}", "httpGet: {path: /readyz, port: 8080}", False),
    ("httpGet: {path: /, port: 8080}", "httpGet: {port: 8080}", True),  # path defaults to /
    ("httpGet: {path: /, port: 8080, scheme: HTTPS}", "httpGet: {port: 8080}", False),
    ("tcpSocket: {port: 8080}", "httpGet: {port: 8080}", False),
    ("exec: {command: [pg_isready]}", "exec: {command: [pg_isready]}", True),
    ("grpc: {port: 9090, service: a}", "grpc: {port: 9090, service: b}", False),
    ("tcpSocket: {port: http}", "tcpSocket: {port: 8080}", True),  # named port resolved
    ("tcpSocket: {port: 8080}\nperiodSeconds: -1", "tcpSocket: {port: 8080}", False),
])
def test_liveness_against_readiness(liveness, readiness, flagged):
    text = both(liveness, readiness, "ports: [{name: http, containerPort: 8080}]")
    assert (ids(text, ("KPL126",)) == ["KPL126"]) is flagged


def test_liveness_alone_is_not_compared():
    assert ids(pod("livenessProbe:\n  tcpSocket: {port: 80}"), ("KPL126",)) == []


# ---------------------------------------------------------------------------------------------
# KPL127-KPL129: liveness thresholds and startup budget


def test_failure_threshold_param():
    text = pod("livenessProbe:\n  tcpSocket: {port: 80}\n  failureThreshold: 2")
    assert ids(text, ("KPL127",)) == []
    assert len(lint_with_params(text, "KPL127", {"min_failure_threshold": 3})) == 1
    zero = pod("livenessProbe:\n  tcpSocket: {port: 80}\n  failureThreshold: 0")
    assert ids(zero, ("KPL127",)) == []  # 0 is the default 3


def test_initial_delay_param_and_startup_probe():
    at_limit = pod("livenessProbe:\n  tcpSocket: {port: 80}\n  initialDelaySeconds: 60")
    assert ids(at_limit, ("KPL128",)) == []
    assert len(lint_with_params(at_limit, "KPL128", {"max_initial_delay_seconds": 30})) == 1
    with_startup = pod("startupProbe:\n  tcpSocket: {port: 80}\n  failureThreshold: 30\n"
                       "livenessProbe:\n  tcpSocket: {port: 80}\n  initialDelaySeconds: 120")
    assert ids(with_startup, ("KPL128",)) == []
    over = at_limit.replace("initialDelaySeconds: 60", "initialDelaySeconds: 90")
    assert ids(over, ("KPL128",), "1.18") == ["KPL128"]  # startupProbe exists from 1.18 on


@pytest.mark.parametrize(("startup", "delay", "flagged"), [
    ("failureThreshold: 12", 120, False),                         # 12 x 10 = 120
    ("failureThreshold: 11", 120, True),
    ("{initialDelaySeconds: 30, failureThreshold: 9}", 120, False),  # 30 + 90
    ("{periodSeconds: 0}", 30, False),                            # 3 x 10 (defaults)
    ("{periodSeconds: 0}", 31, True),
])
def test_startup_budget(startup, delay, flagged):
    body = startup.strip("{}").replace(", ", "\n  ")
    text = pod(f"startupProbe:\n  tcpSocket: {{port: 80}}\n  {body}\n"
               f"livenessProbe:\n  tcpSocket: {{port: 80}}\n  initialDelaySeconds: {delay}")
    assert (ids(text, ("KPL129",)) == ["KPL129"]) is flagged


# ---------------------------------------------------------------------------------------------
# KPL130: gRPC before 1.24


def test_grpc_with_a_second_handler_is_not_claimed_rejected():
    text = pod("livenessProbe:\n  grpc: {port: 9090}\n  tcpSocket: {port: 9090}")
    assert ids(text, ("KPL130",), "1.23") == []  # KPL101 reports the two handlers
    assert ids(pod("livenessProbe:\n  grpc: {port: 9090}"), ("KPL130",), "1.24") == []
