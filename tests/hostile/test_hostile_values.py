"""Values of the wrong type, odd numbers and code-execution tags, end to end through the CLI.

The systematic sweep over every field of every rule example is in test_hostile_sweep.py.
"""
from __future__ import annotations

import pytest
from hostile_util import (
    KNOWN_BAD_FINDING,
    KNOWN_BAD_NAME,
    assert_clean,
    lint_with_known_bad,
    run_cli,
    write_known_bad,
)

EXECUTING_TAGS = """\
!!python/object/apply:os.system ["touch PWNED"]
---
apiVersion: v1
kind: Pod
metadata:
  name: !!python/object/apply:os.system ["touch PWNED"]
  annotations: !!python/object/new:subprocess.check_call [[touch, PWNED]]
spec:
  containers:
  - name: !!python/name:os.system
    image: !!python/object/apply:subprocess.call [[touch, PWNED]]
    command: !!python/object/apply:os.system ["touch PWNED"]
    livenessProbe: !!python/object:os.system {exec: {command: [touch, PWNED]}}
    readinessProbe:
      exec:
        command: !!python/object/apply:os.system {args: ["touch PWNED"]}
    lifecycle:
      postStart: !!python/module:os
      preStop: !ruby/object:Gem::Installer {i: x}
---
!!python/object/apply:builtins.exec ["open('PWNED', 'w').close()"]
---
!<tag:yaml.org,2002:python/object/apply:os.system> ["touch PWNED"]
---
!!python/object/new:type [PWNED, [], {__init__: !!python/name:os.system }]
---
a: !!omap [{a: 1}]
b: !!set {x, y}
c: !!pairs [{a: 1}, {a: 2}]
d: !!binary aGVsbG8=
e: !!timestamp 2001-12-14
f: !!merge x
g: !!value x
h: !!python/tuple [touch, PWNED]
"""


def test_code_execution_tags_are_never_executed(tmp_path):
    run = lint_with_known_bad(tmp_path, "evil.yaml", EXECUTING_TAGS.encode())
    assert not (tmp_path / "PWNED").exists()
    assert not list(tmp_path.glob("**/PWNED"))
    # The tags are ignored, as go-yaml ignores them: the Pod is linted like plain YAML.
    located = run.located("evil.yaml")
    assert ("KPL207", 11, 5) in located  # image: a list, not a string
    assert ("KPL110", 16, 9) in located  # readinessProbe.exec.command: a mapping
    assert ("KPL301", 19, 7) in located  # preStop: no handler
    assert run.summary["documents"] == 7


def test_code_execution_tag_on_stdin(tmp_path):
    run = run_cli(["-"], tmp_path, stdin=b'!!python/object/apply:os.system ["touch PWNED"]\n')
    assert_clean(run, returncode=0)
    assert not (tmp_path / "PWNED").exists()


ODD_NUMBERS = f"""\
apiVersion: v1
kind: Pod
metadata:
  name: odd
spec:
  terminationGracePeriodSeconds: 1e400
  containers:
  - name: app
    image: example/app:1.0
    ports: [{{name: http, containerPort: 0x7FFFFFFFFFFFFFFF}}]
    livenessProbe:
      httpGet: {{path: /, port: {10 ** 400}}}
      periodSeconds: 18446744073709551615
      timeoutSeconds: -1e308
      failureThreshold: "3"
      initialDelaySeconds: -1
      successThreshold: [1]
      terminationGracePeriodSeconds: {{a: 1}}
    readinessProbe:
      tcpSocket: {{port: "  "}}
      periodSeconds: 1e400
    lifecycle:
      preStop:
        sleep: {{seconds: 1.5}}
      postStart:
        exec: {{command: 5}}
"""


def test_huge_numbers_and_wrong_types_in_a_pod(tmp_path):
    run = lint_with_known_bad(tmp_path, "odd.yaml", ODD_NUMBERS.encode(), "--select", "ALL")
    located = run.located("odd.yaml")
    assert ("KPL110", 12, 32) in located  # a port of 10**400 is neither a number nor a name
    assert ("KPL123", 16, 28) in located  # initialDelaySeconds: -1
    assert ("KPL110", 20, 25) in located  # a port name of two spaces
    assert ("KPL111", 26, 25) in located  # exec.command: 5


def test_nan_and_infinities_are_refused_where_they_stand(tmp_path):
    # kubectl writes each document as JSON, which has no NaN or infinity: the document is
    # refused ("json: unsupported value: NaN"); the documents around it are still linted.
    pod = ODD_NUMBERS.replace("periodSeconds: 18446744073709551615", "periodSeconds: .nan")
    bad = pod.replace("name: odd", "name: odd-nan") + "---\n" + ODD_NUMBERS.replace(
        "timeoutSeconds: -1e308", "timeoutSeconds: -.Inf")
    run = lint_with_known_bad(tmp_path, "nan.yaml", (bad + "---\n" + ODD_NUMBERS).encode(),
                              "--select", "ALL")
    located = run.located("nan.yaml")
    size = ODD_NUMBERS.count("\n") + 1  # a document and its separator
    assert ("KPL001", 13, 22) in located
    assert ("KPL001", size + 14, 23) in located
    assert ("KPL110", 2 * size + 12, 32) in located  # the last document is linted
    assert not [item for item in located if item[0] != "KPL001" and item[1] <= 2 * size]


STRUCTURES = {
    "containers-null": "spec:\n  containers: null\n",
    "containers-map": "spec:\n  containers: {}\n",
    "containers-string": "spec:\n  containers: abc\n",
    "containers-of-scalars": "spec:\n  containers: [1, null, abc, [], 1.5, true]\n",
    "probes-as-lists": "spec:\n  containers:\n  - name: c\n    image: x:1\n"
                       "    livenessProbe: [httpGet, {port: 80}]\n    readinessProbe: []\n"
                       "    startupProbe: abc\n    lifecycle: [1]\n",
    "handlers-as-lists": "spec:\n  containers:\n  - name: c\n    image: x:1\n"
                         "    livenessProbe: {httpGet: [port, 80], exec: [ls], tcpSocket: 5}\n"
                         "    lifecycle: {postStart: [exec], preStop: {sleep: [1]}}\n",
    "spec-string": "spec: string\n",
    "spec-list": "spec: [containers]\n",
    "spec-null": "spec: null\n",
    "everything-null": "spec:\n  containers: [{name: null, image: null, ports: null, env: null,"
                       " livenessProbe: null, lifecycle: null, volumeMounts: null}]\n"
                       "  initContainers: null\n  volumes: null\n  restartPolicy: null\n",
    "lists-of-nulls": "spec:\n  containers: [{name: c, image: 'x:1', ports: [null], env: [null],"
                      " envFrom: [null], volumeMounts: [null], args: [null], command: [null]}]\n"
                      "  volumes: [null]\n  initContainers: [null]\n",
}
HEADER = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
TOP_LEVEL = {
    "metadata-list": "apiVersion: v1\nkind: Pod\nmetadata: []\n"
                     "spec: {containers: [{name: c, image: 'x:1'}]}\n",
    "metadata-string": "apiVersion: v1\nkind: Pod\nmetadata: p\n"
                       "spec: {containers: [{name: c, image: 'x:1'}]}\n",
    "name-map": "apiVersion: v1\nkind: Pod\nmetadata: {name: {a: 1}, namespace: [1]}\n"
                "spec: {containers: [{name: c, image: 'x:1'}]}\n",
    "kind-number": "apiVersion: v1\nkind: 5\nspec: {containers: [{name: c, image: 'x:1'}]}\n",
    "kind-empty": "apiVersion: v1\nkind: ''\nspec: {containers: [{name: c, image: 'x:1'}]}\n",
    "kind-list": "apiVersion: v1\nkind: [Pod]\nspec: {containers: [{name: c, image: 'x:1'}]}\n",
    "api-version-null": "apiVersion: null\nkind: Pod\n"
                        "spec: {containers: [{name: c, image: 'x:1'}]}\n",
    "api-version-number": "apiVersion: 1.0\nkind: Pod\n"
                          "spec: {containers: [{name: c, image: 'x:1'}]}\n",
    "list-items-string": "apiVersion: v1\nkind: List\nitems: abc\n",
    "list-items-odd": "apiVersion: v1\nkind: List\nitems: [1, null, {kind: Pod},"
                      " {apiVersion: v1, kind: Pod, spec: []}]\n",
    "template-list": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                     "spec: {template: []}\n",
    "template-spec-string": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
                            "spec: {template: {metadata: 5, spec: x}}\n",
    "cronjob-null": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n"
                    "spec: {jobTemplate: null}\n",
    "cronjob-deep-odd": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n"
                        "spec: {jobTemplate: {spec: {template: {spec: {containers: {}}}}}}\n",
    "service-selector-odd": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                            "spec: {selector: {app: [1], tier: {a: 1}, x: null}}\n",
    "config-map-data-odd": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
                           "data: [1, 2]\nbinaryData: 5\n",
    "secret-data-odd": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: abc\n"
                       "stringData: {a: [1]}\n",
    "top-level-scalar": "just a string\n",
    "top-level-list": "- apiVersion: v1\n  kind: Pod\n",
    "suppressions-odd": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
                        "    kprobelint.io/ignore: [1]\n    kprobelint.io/ignore-reason: {a: b}\n"
                        "    kprobelint.io/ignore.c: null\n"
                        "spec: {containers: [{name: c, image: 'x:latest'}]}\n",
}
ALL_STRUCTURES = {**{k: HEADER + v for k, v in STRUCTURES.items()}, **TOP_LEVEL}


@pytest.mark.parametrize("name", ALL_STRUCTURES)
def test_wrong_structure_is_linted_without_internal_error(tmp_path, name):
    run = lint_with_known_bad(tmp_path, "odd.yaml", ALL_STRUCTURES[name].encode(), "--select",
                              "ALL")
    assert all(f["rule"] != "KPL001" for f in run.in_file("odd.yaml"))


def test_every_wrong_structure_in_one_stream(tmp_path):
    stream = "".join("---\n" + text for text in ALL_STRUCTURES.values())
    run = lint_with_known_bad(tmp_path, "odd.yaml", stream.encode(), "--select", "ALL",
                              "--complete")
    assert run.summary["documents"] == len(ALL_STRUCTURES) + 1


SERVICES = """\
apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  selector: {app: null}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec:
  selector: {app: web}
"""


def test_services_whose_selectors_have_values_of_different_types(tmp_path):
    # Was: bundle.Bundle.canonical_order compared None with "web" (TypeError, exit 2).
    run = lint_with_known_bad(tmp_path, "services.yaml", SERVICES.encode())
    assert run.in_file("services.yaml") == []


PARAM_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x:1
    readinessProbe: {httpGet: {port: metrics}}
    livenessProbe: {httpGet: {port: 80}, initialDelaySeconds: 100, failureThreshold: 1}
"""


@pytest.mark.parametrize(
    "config",
    [
        "params: {liveness-failure-threshold-low: {min_failure_threshold: x}}",
        "params: {liveness-failure-threshold-low: {min_failure_threshold: null}}",
        "params: {liveness-initial-delay-without-startup-probe: {max_initial_delay_seconds: [1]}}",
        "params: {readiness-probe-port-undeclared: {probe: [1]}}",
    ],
    ids=["string", "null", "list", "list-for-a-name"],
)
def test_configuration_parameter_of_the_wrong_type_is_a_usage_error(tmp_path, config):
    (tmp_path / ".kprobelint.yaml").write_text(config + "\n")
    (tmp_path / "pod.yaml").write_text(PARAM_POD)
    run = run_cli(["pod.yaml"], tmp_path)
    assert not [f for f in run.findings if f["rule"] == "KPL009"], run.findings
    assert run.returncode == 2
    assert ".kprobelint.yaml:1:" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x00\x01", ".kprobelint.yaml:1:1: invalid YAML"),
        (b"[" * 10_000, ".kprobelint.yaml:1:401: nesting deeper"),
        (b"a0: &a0 [" + b", ".join([b'"lol"'] * 10) + b"]\n" + b"".join(
            b"a%d: &a%d [%s]\n" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 10))
            for i in range(1, 12)), ".kprobelint.yaml:4:5: document expands aliases"),
        (b'select: !!python/object/apply:os.system ["touch PWNED"]\n',
         ".kprobelint.yaml:1:42: unknown rule 'touch PWNED'"),
        (b"fail-on: \xff\n", ".kprobelint.yaml: cannot read configuration"),
        (b"kube-version: .nan\n", ".kprobelint.yaml:1:1: kube-version"),
        (b"- 1\n", ".kprobelint.yaml:1:1: (top level)"),
    ],
    ids=["binary", "deep", "alias-bomb", "python-tag", "invalid-utf8", "nan-version", "list"],
)
def test_hostile_configuration_file_is_a_usage_error(tmp_path, data, message):
    (tmp_path / ".kprobelint.yaml").write_bytes(data)
    write_known_bad(tmp_path)
    run = run_cli([KNOWN_BAD_NAME], tmp_path, timeout=60)
    assert run.returncode == 2, run.stderr
    assert message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert not (tmp_path / "PWNED").exists()


def test_odd_values_on_the_command_line(tmp_path):
    write_known_bad(tmp_path)
    for args, text in [
        (["--kube-version", "nan"], "invalid Kubernetes version"),
        (["--kube-version", "1." + "9" * 5000], ""),
        (["--select", "\u202eKPL103"], "unknown rule"),
        (["--exclude", "["], ""),
        (["--exclude", "*a" * 5_000], ""),  # a glob that must not backtrack
    ]:
        run = run_cli([*args, KNOWN_BAD_NAME], tmp_path, timeout=60)
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, (args, run)
        assert run.returncode in (1, 2), (args, run.returncode)
        assert text in run.stderr
        if run.returncode == 1:
            assert KNOWN_BAD_FINDING in run.located(KNOWN_BAD_NAME)


CLAIM_VOLUME_NAMED_BY_A_LIST = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: c, image: "x:1"}
  volumes:
  - name: [data]
    persistentVolumeClaim: {claimName: data}
"""


@pytest.mark.parametrize("name", ["[data]", "{a: 1}"])
def test_claim_volume_whose_name_is_a_collection(tmp_path, name):
    text = CLAIM_VOLUME_NAMED_BY_A_LIST.replace("name: [data]", f"name: {name}")
    run = lint_with_known_bad(tmp_path, "claim.yaml", text.encode())
    assert "KPL601" in run.rules("claim.yaml")  # the claim is still not in the input
