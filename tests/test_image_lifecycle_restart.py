"""Image tag/pull-policy, lifecycle-hook and restart/termination rules: the cases the rule
examples do not cover (image parsing corners, version bounds, shell parsing, odd YAML types)."""
from __future__ import annotations

import textwrap

import pytest
from lintutil import lint_text

from kprobelint.checks.helpers.commands import script_commands, shell_script
from kprobelint.checks.lifecycle import exec_sleep_seconds
from kprobelint.checks.restart import exits_at_once

MINE = ("KPL204", "KPL205", "KPL206", "KPL207", "KPL208", "KPL303", "KPL304", "KPL305",
        "KPL306", "KPL307", "KPL308", "KPL309", "KPL310", "KPL402", "KPL403", "KPL404",
        "KPL405")
DIGEST = "sha256:" + "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"


def pod(containers: str, spec: str = "", kind: str = "Pod") -> str:
    """A Pod (or PodTemplate-free kind) with ``containers`` as the YAML of the list items."""
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), "    ")
    extra = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ") + "\n" if spec else ""
    return (f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: p}}\nspec:\n{extra}"
            f"  containers:\n{body}\n")


def deployment(containers: str, spec: str = "", selector: bool = True) -> str:
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), "        ")
    extra = textwrap.indent(textwrap.dedent(spec).strip("\n"), "      ") + "\n" if spec else ""
    sel = "  selector: {matchLabels: {app: d}}\n" if selector else ""
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n" + sel +
            "  template:\n    metadata: {labels: {app: d}}\n    spec:\n" + extra +
            "      containers:\n" + body + "\n")


def job(containers: str, spec: str = "", job_spec: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), "        ")
    extra = textwrap.indent(textwrap.dedent(spec).strip("\n"), "      ") + "\n" if spec else ""
    jextra = textwrap.indent(textwrap.dedent(job_spec).strip("\n"), "  ") + "\n" if job_spec else ""
    return ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n" + jextra +
            "  template:\n    spec:\n" + extra + "      containers:\n" + body + "\n")


def run(text: str, rule: str, kube_version: str | None = None) -> list:
    findings = lint_text(text, (rule,), kube_version)
    assert not [f for f in findings if f.rule_id == "KPL009"], findings  # no internal errors
    return [f for f in findings if f.rule_id == rule]


def messages(text: str, rule: str, kube_version: str | None = None) -> list[str]:
    return [f.message for f in run(text, rule, kube_version)]


# --- KPL204 image-tag-latest ------------------------------------------------------------------

@pytest.mark.parametrize(("image", "flagged"), [
    ("nginx", True),
    ("nginx:latest", True),
    ("docker.io/library/nginx:latest", True),
    ("localhost:5000/app", True),  # port of the registry, no tag
    ("registry.example.com:443/team/app", True),
    ("[::1]:5000/app", True),
    ("myapp:5000", False),  # tag "5000"
    ("nginx:1.27", False),
    ("nginx:LATEST", False),  # tags are case-sensitive; the defaulting does not treat it as latest
    (f"nginx@{DIGEST}", False),
    (f"nginx:latest@{DIGEST}", False),  # pinned content
    ("Nginx", False),  # invalid: KPL201's business
    ("nginx:", False),
])
def test_latest_tag_uses_kubelet_parsing(image, flagged):
    text = pod(f"- name: c\n  image: '{image}'")
    assert bool(run(text, "KPL204")) is flagged


def test_latest_message_names_container_image_and_policy():
    (default,) = messages(pod("- name: web\n  image: nginx"), "KPL204")
    assert '"web"' in default and '"nginx"' in default and "defaults to Always" in default
    (always,) = messages(pod("- name: web\n  image: nginx:latest\n  imagePullPolicy: Always"),
                         "KPL204")
    assert "uses the tag latest" in always and "imagePullPolicy Always" in always
    (ifnp,) = messages(pod("- name: web\n  image: nginx\n  imagePullPolicy: IfNotPresent"),
                       "KPL204")
    assert "Always" not in ifnp


def test_latest_checks_init_containers_not_ephemeral():
    text = pod("- name: app\n  image: app:1.0",
               spec="initContainers:\n  - {name: init, image: busybox}\n"
                    "ephemeralContainers:\n  - {name: debug, image: busybox}")
    assert [f.container for f in run(text, "KPL204")] == ["init"]


def test_latest_with_odd_image_types_does_not_crash():
    for value in ("123", "[a, b]", "{a: b}", "true", "null", '""'):
        assert run(pod(f"- name: c\n  image: {value}"), "KPL204") == []


# --- KPL205 image-latest-if-not-present -------------------------------------------------------

def test_latest_if_not_present_points_at_policy():
    text = pod("- name: web\n  image: localhost:5000/web\n  imagePullPolicy: IfNotPresent")
    (finding,) = run(text, "KPL205")
    assert finding.field.endswith("imagePullPolicy")
    assert '"web"' in finding.message and '"localhost:5000/web"' in finding.message


@pytest.mark.parametrize("policy", ["Always", "Never", "ifnotpresent", '""'])
def test_latest_if_not_present_needs_exactly_that_policy(policy):
    assert run(pod(f"- name: c\n  image: nginx\n  imagePullPolicy: {policy}"), "KPL205") == []


def test_latest_if_not_present_digest_is_exempt():
    text = pod(f"- name: c\n  image: 'nginx:latest@{DIGEST}'\n  imagePullPolicy: IfNotPresent")
    assert run(text, "KPL205") == []


# --- KPL206 image-pull-policy-invalid ---------------------------------------------------------

@pytest.mark.parametrize(("value", "hint"), [
    ("always", '"Always"'),
    ("ifNotPresent", '"IfNotPresent"'),
    ("NEVER", '"Never"'),
    ("' Always'", '"Always"'),
    ("Sometimes", None),
])
def test_pull_policy_values_are_case_sensitive(value, hint):
    (message,) = messages(pod(f"- name: c\n  image: a:1\n  imagePullPolicy: {value}"), "KPL206")
    assert '"c"' in message and "imagePullPolicy" in message
    if hint:
        assert f"did you mean {hint}" in message
    else:
        assert "did you mean" not in message


@pytest.mark.parametrize("value", ["1", "true", "[Always]", "{a: b}"])
def test_pull_policy_non_string_is_rejected(value):
    (message,) = messages(pod(f"- name: c\n  image: a:1\n  imagePullPolicy: {value}"), "KPL206")
    assert "not a string" in message


@pytest.mark.parametrize("value", ["Always", "IfNotPresent", "Never", '""', "null"])
def test_pull_policy_valid_or_empty(value):
    assert run(pod(f"- name: c\n  image: a:1\n  imagePullPolicy: {value}"), "KPL206") == []


def test_pull_policy_checked_on_ephemeral_containers_too():
    text = pod("- name: c\n  image: a:1",
               spec="ephemeralContainers:\n  - {name: dbg, image: app/a, imagePullPolicy: always}")
    assert [f.container for f in run(text, "KPL206")] == ["dbg"]


# --- KPL207 image-missing ---------------------------------------------------------------------

def test_missing_image_points_at_container():
    (finding,) = run(pod("- name: c\n  command: [x]"), "KPL207")
    assert finding.span.line == 6 and "has no image" in finding.message


def test_null_and_non_string_image():
    (null,) = messages(pod("- name: c\n  image: null"), "KPL207")
    assert "image: null" in null
    (number,) = messages(pod("- name: c\n  image: 5"), "KPL207")
    assert "not a string" in number


def test_blank_image_pod_versus_template():
    (in_pod,) = messages(pod("- name: c\n  image: '  '"), "KPL207")
    assert "rejects the Pod" in in_pod
    (in_template,) = messages(deployment("- name: c\n  image: '  '"), "KPL207")
    assert "FailedCreate" in in_template


def test_missing_image_in_init_container_but_not_ephemeral():
    text = pod("- name: c\n  image: a:1",
               spec="initContainers:\n  - {name: init}\nephemeralContainers:\n  - {name: dbg}")
    assert [f.container for f in run(text, "KPL207")] == ["init"]


def test_missing_image_skips_patches_and_custom_resources():
    # A Kustomize patch: apps/v1 Deployment without a selector.
    assert run(deployment("- name: c\n  env: [{name: A, value: b}]", selector=False),
               "KPL207") == []
    # Strategic-merge directives.
    assert run(pod("- name: c\n  resources: {$patch: delete}"), "KPL207") == []
    # A custom resource with a pod template: the operator may fill in the image.
    crd = ("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n"
           "  template:\n    spec:\n      containers:\n        - name: c\n")
    assert run(crd, "KPL207") == []
    # But a full Deployment is checked.
    assert run(deployment("- name: c\n  env: [{name: A, value: b}]"), "KPL207")


# --- KPL208 image-not-pinned-by-digest --------------------------------------------------------

def test_digest_rule_is_off_by_default():
    findings = lint_text(pod("- name: c\n  image: nginx:1.27"))
    assert "KPL208" not in {f.rule_id for f in findings}
    assert run(pod("- name: c\n  image: nginx:1.27"), "KPL208")
    assert run(pod(f"- name: c\n  image: 'nginx@{DIGEST}'"), "KPL208") == []


# --- lifecycle hooks: KPL303-KPL310 -----------------------------------------------------------

def hooked(hook: str, grace: str | None = None, extra: str = "") -> str:
    spec = f"terminationGracePeriodSeconds: {grace}" if grace is not None else ""
    hook_yaml = textwrap.indent(textwrap.dedent(hook).strip("\n"), "    ")
    return pod(f"- name: web\n  image: a:1\n{extra}  lifecycle:\n{hook_yaml}", spec=spec)


def test_pre_stop_tcp_socket_only_for_pre_stop():
    assert run(hooked("preStop:\n  tcpSocket: {port: 80}"), "KPL303")
    assert run(hooked("postStart:\n  tcpSocket: {port: 80}"), "KPL303") == []


@pytest.mark.parametrize(("seconds", "grace", "flagged"), [
    (45, None, True), (31, None, True), (30, None, False), (10, "5", True), (5, "5", False),
    (-1, None, True), (1, "0", True),
    ("'45'", None, False), ("true", None, False), ("45.5", None, False), ("null", None, False),
    (45, "'60'", False), (45, "-1", False),
])
def test_sleep_range(seconds, grace, flagged):
    text = hooked(f"preStop:\n  sleep: {{seconds: {seconds}}}", grace)
    assert bool(run(text, "KPL304")) is flagged


def test_sleep_range_message_and_versions():
    text = hooked("preStop:\n  sleep: {seconds: 45}")
    (message,) = messages(text, "KPL304")
    assert message == ('lifecycle.preStop.sleep.seconds (45) is greater than '
                       'terminationGracePeriodSeconds (30, the default) in container "web"; '
                       'the API server rejects it')
    explicit = hooked("postStart:\n  sleep: {seconds: 45}", "40")
    (message,) = messages(explicit, "KPL304")
    assert "postStart" in message and "(40)" in message and "default" not in message
    assert run(text, "KPL304", "1.29") == []  # dropped there, not rejected (KPL306)


def test_sleep_zero_bounds_and_missing_seconds():
    zero = hooked("preStop:\n  sleep: {seconds: 0}")
    missing = hooked("preStop:\n  sleep: {}")
    assert run(zero, "KPL305", "1.30") and run(zero, "KPL305", "1.32")
    assert run(zero, "KPL305", "1.33") == [] and run(zero, "KPL305", "1.29") == []
    (message,) = messages(missing, "KPL305", "1.31")
    assert "not set" in message and '"web"' in message
    assert run(hooked("preStop:\n  sleep: {seconds: 3}"), "KPL305", "1.31") == []


def test_sleep_dropped_on_1_29_only():
    only = hooked("preStop:\n  sleep: {seconds: 5}")
    (message,) = messages(only, "KPL306", "1.29")
    assert "whole preStop hook goes" in message and "seconds: 5" in message
    both = hooked("postStart:\n  sleep: {seconds: 5}\n  exec: {command: [x]}")
    (message,) = messages(both, "KPL306", "1.29")
    assert "keeps its exec handler" in message
    assert run(only, "KPL306", "1.30") == [] and run(only, "KPL306", "1.28") == []
    assert run(only, "KPL307", "1.28") and run(only, "KPL307", "1.29") == []


def test_sleep_rules_skip_regular_init_containers():
    text = pod("- name: c\n  image: a:1",
               spec="initContainers:\n  - name: i\n    image: a:1\n    lifecycle:\n"
                    "      preStop: {sleep: {seconds: 99}}")
    assert run(text, "KPL304") == []
    sidecar = text.replace("    lifecycle:\n        preStop",
                           "    restartPolicy: Always\n      lifecycle:\n        preStop")
    assert sidecar != text
    assert [f.container for f in run(sidecar, "KPL304")] == ["i"]


@pytest.mark.parametrize(("command", "grace", "flagged"), [
    ('[sleep, "30"]', None, True),
    ('[/bin/sleep, "30"]', None, True),
    ('[sleep, "29"]', None, False),
    ('[sleep, "1m"]', None, True),
    ('[sleep, infinity]', None, True),
    ('[sleep, "15", "15"]', None, True),
    ('[sh, -c, "sleep 30"]', None, True),
    ('[/bin/bash, -ec, "sleep 20; nginx -s quit; sleep 10"]', None, True),
    ('[sh, -c, "exec sleep 60"]', "60", True),
    ('[sh, -c, "sleep 30 &"]', None, False),
    ('[sh, -c, "while true; do sleep 30; done"]', None, False),
    ('[sh, -c, "sleep $(cat /delay)"]', None, False),
    ('[sh, -c, "sleep $DELAY"]', None, False),
    ('[sh, -c, "nginx -s quit"]', None, False),
    ('[sh, /drain.sh, "sleep 30"]', None, False),
    ('[sleep, 30]', None, False),  # a number in command: rejected by decoding, not ours
    ('[sleep, "30"]', "0", False),  # the hook never runs (KPL309)
    ('[sleep, "30"]', "'30'", False),
])
def test_exec_sleep_against_grace_period(command, grace, flagged):
    text = hooked(f"preStop:\n  exec:\n    command: {command}", grace)
    assert bool(run(text, "KPL308")) is flagged


def test_exec_sleep_message():
    (message,) = messages(hooked('preStop:\n  exec: {command: [sh, -c, "sleep 45"]}', "40"),
                          "KPL308")
    assert message.startswith('lifecycle.preStop.exec.command ("sh -c sleep 45") sleeps 45 s, '
                              'longer than terminationGracePeriodSeconds (40) in container "web"')
    (equal,) = messages(hooked("preStop:\n  sleep: {seconds: 30}"), "KPL308")
    assert "equals terminationGracePeriodSeconds (30, the default)" in equal


def test_zero_grace_period_with_pre_stop():
    assert run(hooked("preStop:\n  exec: {command: [x]}", "0"), "KPL309")
    assert run(hooked("postStart:\n  exec: {command: [x]}", "0"), "KPL309") == []
    for grace in ("1", "'0'", "false", "null"):
        assert run(hooked("preStop:\n  exec: {command: [x]}", grace), "KPL309") == [], grace


def test_post_start_http_self():
    own = "  ports: [{name: http, containerPort: 8080}]\n"
    assert run(hooked("postStart:\n  httpGet: {port: 8080}", extra=own), "KPL310")
    assert run(hooked("postStart:\n  httpGet: {port: http}", extra=own), "KPL310")
    # The only container: an undeclared numeric port can only be its own.
    assert run(hooked("postStart:\n  httpGet: {port: 9000}"), "KPL310")
    assert run(hooked("postStart:\n  httpGet: {port: 8080, host: other}", extra=own),
               "KPL310") == []
    assert run(hooked("preStop:\n  httpGet: {port: 8080}", extra=own), "KPL310") == []
    assert run(hooked("postStart:\n  httpGet: {port: other}", extra=own), "KPL310") == []
    sibling = pod("- name: web\n  image: a:1\n  lifecycle:\n    postStart:\n"
                  "      httpGet: {port: 9000}\n- name: side\n  image: b:1\n"
                  "  ports: [{containerPort: 9000}]")
    assert run(sibling, "KPL310") == []


@pytest.mark.parametrize("lifecycle", [
    "lifecycle: [a]", "lifecycle: x", "lifecycle: {preStop: [a]}", "lifecycle: {preStop: x}",
    "lifecycle: {preStop: {sleep: 5}}", "lifecycle: {preStop: {exec: {command: x}}}",
    "lifecycle: {preStop: {exec: {command: [1, 2]}}}", "lifecycle: {preStop: {exec: []}}",
    "lifecycle: {postStart: {httpGet: {port: [1]}}}", "lifecycle: {postStart: {httpGet: x}}",
])
def test_odd_lifecycle_shapes_do_not_crash(lifecycle):
    text = pod(f"- name: c\n  image: a:1\n  ports: x\n  {lifecycle}",
               spec="terminationGracePeriodSeconds: [1]")
    for rule in MINE:
        run(text, rule, "1.29")
        run(text, rule, "1.31")


# --- restart: KPL402-KPL405 -------------------------------------------------------------------

POLICY = "podFailurePolicy:\n  rules: [{action: FailJob, onExitCodes: {operator: In, values: [1]}}]"


@pytest.mark.parametrize(("restart", "flagged"), [
    ("restartPolicy: OnFailure", True), ("restartPolicy: Always", True), ("", True),
    ("restartPolicy: Never", False),
])
def test_pod_failure_policy_needs_never(restart, flagged):
    text = job("- {name: c, image: app/a}", spec=restart, job_spec=POLICY)
    assert bool(run(text, "KPL402")) is flagged
    assert run(text, "KPL402", "1.25") == []


def test_pod_failure_policy_null_or_absent():
    text = job("- {name: c, image: app/a}", spec="restartPolicy: OnFailure",
               job_spec="podFailurePolicy: null")
    assert run(text, "KPL402") == []
    assert run(job("- {name: c, image: app/a}", spec="restartPolicy: OnFailure"), "KPL402") == []


def test_container_restart_policy_regular_only_before_1_34():
    text = pod("- {name: c, image: app/a, restartPolicy: Never}",
               spec="initContainers:\n  - {name: s, image: app/a, restartPolicy: Always}")
    (finding,) = run(text, "KPL403", "1.33")
    assert finding.container == "c" and '"Never"' in finding.message
    assert run(text, "KPL403", "1.34") == [] and run(text, "KPL403") == []


@pytest.mark.parametrize(("argv", "expected"), [
    (["echo", "hi"], True), (["/bin/echo"], True), (["true"], True), (["printf", "x"], True),
    (["sh", "-c", "echo done"], True), (["sh", "-c", "echo a; echo b && exit 0"], True),
    (["/bin/sh", "-c", ":"], True),
    (["sh", "-c", "echo done && sleep infinity"], False),
    (["sh", "-c", "echo $(sleep 100)"], False), (["sh", "-c", "echo `sleep 9`"], False),
    (["sh", "-c", "echo hi | nc -l 80"], False), (["sh", "-c", "exec nginx"], False),
    (["sh", "-c", "exit 1"], False), (["sh", "-c", ""], False), (["sh", "-c"], False),
    (["sh", "run.sh"], False), (["nginx", "-g", "daemon off;"], False),
    (["sh", "-c", "echo start; while true; do sleep 1; done"], False),
])
def test_exits_at_once(argv, expected):
    assert exits_at_once(argv) is expected


def test_command_exits_immediately_scope():
    assert run(pod("- {name: c, image: app/a, command: [sh, -c], args: [echo done]}"), "KPL404")
    assert run(pod('- {name: c, image: app/a, command: ["true"]}'), "KPL404")
    # Not: restartPolicy OnFailure/Never, Jobs, init containers, args only, non-string items.
    assert run(pod("- {name: c, image: app/a, command: [echo, hi]}",
                   spec="restartPolicy: OnFailure"), "KPL404") == []
    assert run(job("- {name: c, image: app/a, command: [echo, hi]}"), "KPL404") == []
    assert run(pod("- {name: c, image: app/a}",
                   spec="initContainers:\n  - {name: i, image: app/a, command: [echo, hi]}"),
               "KPL404") == []
    assert run(pod("- {name: c, image: app/a, args: [echo, hi]}"), "KPL404") == []
    assert run(pod("- {name: c, image: app/a, command: [true]}"), "KPL404") == []
    assert run(pod("- {name: c, image: app/a, command: [echo], args: x}"), "KPL404") == []


def test_command_exits_message():
    (message,) = messages(deployment("- {name: web, image: app/a, command: [echo, hi]}"), "KPL404")
    assert '"web"' in message and '"echo hi"' in message and "CrashLoopBackOff" in message


def test_liveness_with_restart_never():
    probe = "livenessProbe: {httpGet: {port: 80}}"
    (in_job,) = messages(job(f"- {{name: c, image: app/a, {probe}}}", spec="restartPolicy: Never"),
                         "KPL405")
    assert "backoffLimit" in in_job and '"c"' in in_job
    (in_pod,) = messages(pod(f"- {{name: c, image: app/a, {probe}}}", spec="restartPolicy: Never"),
                         "KPL405")
    assert "nothing brings it back" in in_pod
    assert run(job(f"- {{name: c, image: app/a, {probe}}}", spec="restartPolicy: OnFailure"),
               "KPL405") == []
    sidecar = pod("- {name: c, image: app/a}", spec="restartPolicy: Never\ninitContainers:\n"
                  f"  - {{name: s, image: app/a, restartPolicy: Always, {probe}}}")
    assert run(sidecar, "KPL405") == []
    assert run(deployment(f"- {{name: c, image: app/a, {probe}}}", spec="restartPolicy: Never"),
               "KPL405") == []


# --- helpers ----------------------------------------------------------------------------------

def test_shell_helpers():
    assert shell_script(["bash", "-e", "-c", "x"]) == "x"
    assert shell_script(["sh", "script.sh"]) is None
    assert shell_script(["python", "-c", "x"]) is None
    assert script_commands("echo done") == ["echo done"]
    assert script_commands("if true; then sleep 5; fi") is None
    assert exec_sleep_seconds(["sleep", "2h"]) == 7200
    assert exec_sleep_seconds(["sleep", "--help"]) is None


# --- KPL406 container-command-unsplit ---------------------------------------------------------

@pytest.mark.parametrize(("command", "field", "says"), [
    ('["sh -c \'sleep 5\'"]', "command[0]", "RunContainerError"),
    ('["/bin/sh\\t-c"]', "command[0]", "RunContainerError"),
    ('[env, LANG=C, "python app.py"]', "command[2]", '"env" cannot run it'),
    ('[dumb-init, --, "node server.js"]', "command[2]", '"dumb-init" cannot run it'),
])
def test_unsplit_container_command(command, field, says):
    found = run(pod(f"- name: c\n  image: a:1\n  command: {command}"), "KPL406")
    assert [f.field.rsplit(".", 1)[-1] for f in found] == [field]
    assert says in found[0].message and "CrashLoopBackOff" in found[0].message


@pytest.mark.parametrize("command", ['[sh, -c, "sleep 5"]', "[python, app.py]",
                                     '[env, "A=b c", run]', "[42, run]", "[]"])
def test_split_container_command_is_fine(command):
    assert run(pod(f"- name: c\n  image: a:1\n  command: {command}"), "KPL406") == []


# --- KPL311, KPL312 hook ports ----------------------------------------------------------------

def test_hook_port_is_resolved_in_the_hooked_container_only():
    text = pod("""\
        - name: app
          image: a:1
          lifecycle:
            postStart: {httpGet: {path: /, port: web}}
            preStop: {httpGet: {path: /, port: web}}
        - name: side
          image: a:1
          ports: [{name: web, containerPort: 80}]
        """)
    found = lint_text(text, ("KPL311", "KPL312"))
    assert [(f.rule_id, f.severity) for f in found] == [("KPL311", "error"),
                                                         ("KPL312", "warning")]
    assert 'container "side" declares it' in found[0].message
    assert "hooked container's own ports" in found[0].message
    declared = text.replace("- name: app\n      image: a:1\n",
                            "- name: app\n      image: a:1\n      ports: [{name: web, "
                            "containerPort: 80}]\n")
    assert declared != text and lint_text(declared, ("KPL311", "KPL312")) == []
    numbers = text.replace("port: web}}", "port: 8080}}")
    assert lint_text(numbers, ("KPL311", "KPL312")) == []
