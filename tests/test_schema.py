"""Schema validation: bundle freshness, each kind of mismatch across versions, CRDs,
de-duplication with the specific rules, and broken documents."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lintutil import lint_text

from kprobelint.apischema import generate, store
from kprobelint.apischema.validate import suggest
from kprobelint.engine import Selection
from kprobelint.runner import Options, lint

ROOT = Path(__file__).resolve().parents[1]


def _pod(container: str, extra: str = "") -> str:
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
            "    - name: c\n      image: nginx:1.27\n" + container + extra)


def _schema_findings(text: str, version: str | None = None, select=("KPL7",)):
    return [f for f in lint_text(text, select, version) if f.rule_id.startswith("KPL7")]


# --- the bundle -----------------------------------------------------------------------------


def test_bundle_is_fresh():
    # The generator is deterministic: regenerating from the pinned kubernetes-validate (a test
    # extra) must give the shipped bytes, so the bundle matches its recorded source.
    pytest.importorskip("kubernetes_validate")
    assert store.source()["version"] == generate.source_version()
    data = generate.build(generate.source_dir(), generate.source_version())
    assert data == store.BUNDLE_FILE.read_bytes(), \
        "stale bundle: run python -m kprobelint.apischema.generate"


def test_bundle_records_a_digest_per_input_and_covers_every_release():
    source = store.source()
    assert source["package"] == "kubernetes-validate"
    versions = store.versions()
    assert versions[0] == "1.25" and len(versions) >= 13
    assert sorted(source["inputs"]) == sorted(f"v{v}.0-local/_definitions.json" for v in versions)
    assert all(len(digest) == 64 for digest in source["inputs"].values())


def test_every_built_in_kind_has_a_schema():
    release = store.release("1.35")
    for api_version, kind in [("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"),
                              ("v1", "PersistentVolumeClaim"), ("networking.k8s.io/v1", "Ingress"),
                              ("autoscaling/v2", "HorizontalPodAutoscaler"),
                              ("policy/v1", "PodDisruptionBudget"),
                              ("rbac.authorization.k8s.io/v1", "ClusterRole"),
                              ("batch/v1", "CronJob"), ("apps/v1", "StatefulSet")]:
        assert release.kind_shape(api_version, kind) is not None, kind


def test_the_schema_loads_only_when_a_rule_needs_it():
    # A run without schema rules, or on a file without Kubernetes objects, never reads it.
    code = ("import sys\nsys.path.insert(0, 'tests')\nfrom lintutil import lint_text\n"
            "from kprobelint.apischema import store\n"
            "lint_text(open('examples/clean-statefulset.yaml').read(), ('KPL1',))\n"
            "lint_text('a: 1\\n')\n"
            "print(store._bundle.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip() == "0", out.stderr


# --- what is reported -----------------------------------------------------------------------


def test_issue_example_positions_and_statuses():
    text = (ROOT / "tests" / "data" / "schema-issue8.yaml").read_text()
    found = {(f.rule_id, f.span.line, f.span.column, f.statuses) for f in
             _schema_findings(text, "1.26")}
    rejected, both = ("Rejected",), ("Rejected", "FieldDropped")
    assert found == {
        ("KPL701", 16, 26, rejected),  # containerPort: "8080"
        ("KPL703", 17, 9, both),  # livenessprobe
        ("KPL703", 21, 11, both),  # initialDelaySecond
        ("KPL701", 22, 26, rejected),  # periodSeconds: "10"
        ("KPL704", 23, 9, both),  # resizePolicy before 1.27
        ("KPL702", 25, 32, rejected),  # value: yes
        ("KPL702", 26, 31, rejected),  # value: 0644
        ("KPL702", 27, 28, rejected),  # value: 1.10
        ("KPL701", 28, 28, rejected),  # value: 8080
        ("KPL707", 31, 43, rejected),  # defaultMode: 644
    }


@pytest.mark.parametrize(("text", "phrase", "replacement"), [
    ("yes", "`yes` is read as the boolean true", '"yes"'),
    ("Off", "`Off` is read as the boolean false", '"Off"'),
    ("n", "`n` is read as the boolean false", '"n"'),
    ("0644", "`0644` is read as the octal number 420", '"0644"'),
    ("1.10", "`1.10` is read as the number 1.1", '"1.10"'),
    ("1e3", "`1e3` is read as the number 1000", '"1e3"'),
])
def test_yaml_1_1_traps_are_said_in_words(text, phrase, replacement):
    findings = _schema_findings(_pod(f"      env:\n        - name: X\n          value: {text}\n"))
    assert [f.rule_id for f in findings] == ["KPL702"]
    assert phrase in findings[0].message and findings[0].message.endswith(replacement)
    assert findings[0].fix.action == "replace-value"
    assert findings[0].fix.replacement == replacement and findings[0].fix.expected == "string"
    assert findings[0].field == "spec.containers[0].env[0].value"


@pytest.mark.parametrize(("value", "ok"), [
    ("8080", True), ('"8080"', False), ("http", True), ("8080.0", True), ("8080.5", False),
    ("true", False), ("4294967296", False), ("[1]", False),
])
def test_int_or_string_port(value, ok):
    text = _pod(f"      readinessProbe:\n        tcpSocket: {{port: {value}}}\n")
    findings = _schema_findings(text, select=("KPL701",))
    # A quoted number is a valid int-or-string: the probe rules judge it, not the schema.
    assert (findings == []) == ok or value == '"8080"', findings


def test_int32_range_and_whole_numbers():
    text = _pod("      ports:\n        - containerPort: 2147483648\n"
                "        - containerPort: 80.5\n        - containerPort: 1e3\n")
    messages = [f.message for f in _schema_findings(text)]
    assert len(messages) == 2
    assert "beyond the range of int32" in messages[0] and "whole number" in messages[1]


def test_unknown_field_suggestions():
    assert suggest("livenessprobe", {"livenessProbe": 1, "readinessProbe": 1}) == "livenessProbe"
    assert suggest("initialDelaySecond", {"initialDelaySeconds": 1}) == "initialDelaySeconds"
    assert suggest("imagePullPolcy", {"imagePullPolicy": 1}) == "imagePullPolicy"
    assert suggest("zzz", {"name": 1}) is None


def test_unknown_field_names_both_outcomes():
    [finding] = _schema_findings(_pod("      livenessprobe: {exec: {command: [true]}}\n"))
    assert "kubectl's default strict validation rejects the Pod" in finding.message
    assert "Helm and lenient clients drop the field, which leaves no `livenessProbe` at all" \
        in finding.message
    assert finding.fix.action == "rename-key" and finding.fix.replacement == "livenessProbe"
    assert (finding.span.line, finding.span.column) == (9, 7)


@pytest.mark.parametrize(("field", "version", "since"), [
    ("resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]", "1.26", "1.27"),
    ("restartPolicy: Always", "1.27", "1.28"),
])
def test_fields_the_target_version_lacks(field, version, since):
    init = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n"
            f"    - name: i\n      image: busybox:1.36\n      {field}\n"
            "  containers:\n    - name: c\n      image: nginx:1.27\n")
    findings = _schema_findings(init, version, ("KPL704",))
    assert len(findings) == 1 and f"before Kubernetes {since}" in findings[0].message
    assert _schema_findings(init, since, ("KPL704",)) == []


def test_same_key_is_reported_once_by_the_specific_rule():
    # An invalid pull policy (KPL206) and a sidecar on a release without them: the specific
    # rules report them; the schema rules do not repeat them. Without the specific rules
    # selected, the schema rules do.
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n"
            "    - name: i\n      image: busybox:1.36\n      restartPolicy: Always\n"
            "  containers:\n    - name: c\n      image: nginx:1.27\n      imagePullPolicy: 5\n")
    everything = lint_text(text, kube_version="1.27")
    by_line = {(f.span.line, f.rule_id) for f in everything}
    assert (13, "KPL206") in by_line and not any(r.startswith("KPL7") and line == 13
                                                 for line, r in by_line)
    assert not any(r.startswith("KPL7") and line == 9 for line, r in by_line)
    schema_only = {(f.span.line, f.rule_id) for f in _schema_findings(text, "1.27")}
    assert schema_only == {(9, "KPL704"), (13, "KPL701")}


def test_broken_containers_do_not_hide_the_other_findings():
    # `containers` as a mapping: the schema says so, and the pod-level and init-container
    # rules still report what they find; no rule fails on the wrong type.
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n"
            "  initContainers:\n    - name: i\n      image: busybox:latest\n"
            "  containers:\n    name: c\n    image: nginx:1.27\n")
    findings = lint_text(text)
    ids = {f.rule_id for f in findings}
    assert "KPL701" in ids and "KPL204" in ids, findings
    assert not any(f.rule_name == "internal-error" for f in findings)


def test_crd_in_the_input_validates_its_custom_resources():
    crd = (ROOT / "tests" / "data" / "crd-widget.yaml").read_text()
    resource = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n"
                "  size: big\n  colour: red\n  port: 80\n  extra: {anything: goes}\n"
                "  replicas: \"3\"\n")
    findings = _schema_findings(crd + "---\n" + resource)
    assert {(f.rule_id, f.field) for f in findings} == {
        ("KPL701", "spec.size"),  # not an integer
        ("KPL703", "spec.colour"),  # did you mean color?
        ("KPL701", "spec.replicas"),
        ("KPL705", "spec"),  # name is required
    }
    # Alone, the custom resource has no known schema: skipped and counted.
    result = lint(Options(["-"], Selection(("KPL7",))), stdin=resource.encode())
    assert result.findings == [] and result.stats.without_schema == 1


def test_crd_option_and_config(tmp_path):
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "widget.yaml").write_text(
        (ROOT / "tests" / "data" / "crd-widget.yaml").read_text())
    (tmp_path / "app.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: a\n"
        "  colour: red\n")
    command = [sys.executable, "-m", "kprobelint", "app.yaml", "--select", "KPL7",
               "--format", "json"]
    plain = json.loads(subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                      timeout=120).stdout)
    assert plain["findings"] == [] and plain["summary"]["without_schema"] == 1
    given = json.loads(subprocess.run(command + ["--crd", "crds"], cwd=tmp_path,
                                      capture_output=True, text=True, timeout=120).stdout)
    assert [f["rule"] for f in given["findings"]] == ["KPL703"]
    assert given["summary"]["without_schema"] == 0
    (tmp_path / ".kprobelint.yaml").write_text("crds: [crds/widget.yaml]\n")
    configured = json.loads(subprocess.run(command, cwd=tmp_path, capture_output=True,
                                           text=True, timeout=120).stdout)
    assert [f["rule"] for f in configured["findings"]] == ["KPL703"]


def test_missing_crd_path_is_a_usage_error(tmp_path):
    (tmp_path / "app.yaml").write_text("a: 1\n")
    run = subprocess.run([sys.executable, "-m", "kprobelint", "app.yaml", "--crd", "nope"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "no such CRD file or directory: nope" in run.stderr


def test_required_fields_the_api_server_defaults_or_ignores_are_not_reported():
    # StatefulSet serviceName is in the 1.25 schema's required list, never enforced; a
    # container port's protocol is defaulted to TCP.
    text = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n"
            "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
            "    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n"
            "          ports: [{containerPort: 80}]\n")
    for version in ("1.25", "1.30", "1.37"):
        assert _schema_findings(text, version) == []


# --- the corpus ------------------------------------------------------------------------------

# Every schema finding on ../shared/corpus, with the verdict of a careful review (all true
# positives; see the README's schema section for the reasons).
CORPUS_FINDINGS = {
    ("edge/anchors-aliases-merge/kube-linter/pkg/templates/sortedkeys/testdata/"
     "configmap-merge-unsorted.yaml", 3, "KPL701"),  # ConfigMap data value is a mapping
    ("edge/anchors-aliases-merge/kube-linter/pkg/templates/sortedkeys/testdata/"
     "configmap-merge-unsorted.yaml", 8, "KPL701"),
    ("edge/anchors-aliases-merge/kube-linter/pkg/templates/sortedkeys/testdata/"
     "configmap-merge-unsorted.yaml", 13, "KPL701"),
    ("edge/parse-errors/linkerd2/cli/cmd/testdata/inject_gettest_deployment.bad.input.yml", 4,
     "KPL705"),
    ("edge/unrendered-helm/kube-score/score/testdata/helm/app1/templates/deployment.yaml", 5,
     "KPL705"),
    ("edge/unrendered-helm/kube-score/score/testdata/helm/app1/templates/deployment.yaml", 15,
     "KPL705"),
    ("peer-fixtures/polaris/test/checks/tagNotSpecified/failure.latest.yaml", 9, "KPL705"),
    ("peer-fixtures/polaris/test/checks/tagNotSpecified/failure.yaml", 9, "KPL705"),
    ("peer-fixtures/polaris/test/checks/tagNotSpecified/success.yaml", 9, "KPL705"),
    ("wild/dashboard/hack/test-resources/nginx-daemon-daemon-set.yaml", 21, "KPL705"),
    ("wild/istio/samples/security/spire-trust-domain-federation/"
     "cluster-federated-trust-domain.yaml", 6, "KPL703"),  # className: not in the input's CRD
    ("wild/kubernetes-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml", 12,
     "KPL706"),  # protocol: tcp (validation wants TCP)
    ("wild/kubernetes-examples/_archived/volumes/cinder/cinder-web.yaml", 12, "KPL706"),
    ("wild/kubernetes-examples/_archived/volumes/fibre_channel/fc.yaml", 17, "KPL701"),
    ("wild/kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 25, "KPL703"),
    ("wild/kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 26, "KPL703"),
    ("wild/kubernetes-examples/_archived/volumes/scaleio/pod.yaml", 17, "KPL703"),
    ("wild/kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml", 35, "KPL703"),
    ("wild/kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml", 22, "KPL703"),
}


def test_corpus_schema_findings_are_the_reviewed_ones(corpus):
    result = lint(Options([str(corpus)], Selection(("KPL7",)), jobs=1))
    found = {(str(Path(f.file).relative_to(corpus)), f.span.line, f.rule_id)
             for f in result.findings}
    assert found == CORPUS_FINDINGS


@pytest.mark.parametrize("key", ["ports", "env", "readinessProbe", "livenessProbe",
                                 "resources", "image", "name"])
@pytest.mark.parametrize("wrong", ["{a: 1}", "[1, 2]", '"text"', "true", "7"])
def test_a_wrongly_typed_field_is_reported_and_hides_nothing_else(key, wrong):
    # Each container field of the example in turn gets a value of the wrong type: the rules
    # that need it skip it quietly (no internal error), and the image rule still reports the
    # upper-case image path unless the image itself is the broken field.
    lines = (ROOT / "examples" / "web-deployment.yaml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"          {key}:")
                 or line.startswith(f"        - {key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("            "):
        end += 1
    prefix = lines[start].split(key)[0]
    broken = lines[:start] + [f"{prefix}{key}: {wrong}"] + lines[end:]
    findings = lint_text("\n".join(broken) + "\n")
    assert not any(f.rule_name == "internal-error" for f in findings), findings
    ids = {f.rule_id for f in findings}
    if key != "image":
        assert "KPL201" in ids, findings
    if wrong == '"text"' and key in ("image", "name"):
        return  # text is the right type there
    # The broken value is reported once, where it is: by the schema (a wrong type, or an
    # unknown key inside a mapping) or by a more specific rule (image-missing,
    # container-name-invalid).
    at_line = {f.rule_id for f in findings if f.span.line in (start + 1, start + 2)}
    assert at_line & {"KPL701", "KPL703", "KPL207", "KPL511"}, findings


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crd_later_in_the_input_still_validates_earlier_custom_resources(tmp_path, jobs):
    # Files are linted in order, a.yaml first: its custom resource waits for the CRD in
    # z.yaml (in another worker process with -j2), and is validated once the input is read.
    resource = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n"
                "  name: a\n  colour: red\n")
    (tmp_path / "a.yaml").write_text(resource)
    for i in range(8):  # enough files for worker processes
        (tmp_path / f"m{i}.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n"
                                             f"metadata:\n  name: c{i}\n")
    (tmp_path / "z.yaml").write_text((ROOT / "tests" / "data" / "crd-widget.yaml").read_text())
    result = lint(Options([str(tmp_path)], Selection(("KPL7",)), jobs=jobs))
    assert [(Path(f.file).name, f.span.line, f.rule_id) for f in result.findings] == [
        ("a.yaml", 7, "KPL703")]
    assert result.stats.without_schema == 0


def test_late_validation_on_stdin():
    crd = (ROOT / "tests" / "data" / "crd-widget.yaml").read_text()
    resource = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n"
                "  size: \"2\"\n")
    findings = _schema_findings(resource + "---\n" + crd)
    assert {(f.rule_id, f.span.line) for f in findings} == {("KPL701", 6), ("KPL705", 5)}


@pytest.mark.parametrize("stdin", [False, True])
def test_a_crd_in_a_later_piece_of_a_big_file_validates_resources_before_and_after_it(
        tmp_path, stdin):
    # The file is read a piece at a time: the CRD's place in the file's text is its offsets
    # plus its piece's; a file is read again there, stdin keeps the CRD's own text only.
    from kprobelint.discover import STDIN, Target
    from kprobelint.engine import Stats
    from kprobelint.lintfiles import lint_targets, make_engine
    from kprobelint.load import PIECE_BYTES

    crd = (ROOT / "tests" / "data" / "crd-widget.yaml").read_text()
    widget = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n"
              "  name: a\n  colour: red  # é€😀\n")
    filler = ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}  # é€😀\n"
              .format(i=i) for i in range(PIECE_BYTES // 40)]
    text = "---\n".join([widget] + filler + [crd] + filler + [widget])
    path = STDIN if stdin else str(tmp_path / "all.yaml")
    if not stdin:
        (tmp_path / "all.yaml").write_text(text)
    options = Options([path], Selection(("KPL7",)))
    engine = make_engine(options)
    findings = lint_targets(engine, [Target(path)], Stats(), options,
                            text.encode() if stdin else None)
    findings += engine.finish()
    lines = text.split("\n")
    assert sorted((f.span.line, f.rule_id) for f in findings) == [
        (number, "KPL703") for number, line in enumerate(lines, 1) if "colour" in line]
    assert engine.validated_late == 1
    [source] = {source for source, _ in engine.bundle.crds.sources.values()}
    if stdin:  # the CRD's text, not its piece's
        assert source.text is not None and len(source.text) < len(crd) + 10
    else:
        assert source.text is None and text[source.start:source.end] in crd


@pytest.mark.parametrize(("quantity", "ok"), [
    ("128Mi", True), ("500m", True), ("0.5", True), ("1e3", True), ('"1E-2"', True),
    ("2k", True), ("1.", True), ("1Gb", False), ('"1 Gi"', False), ("1gi", False),
    ("1K", False), ('""', False), ("true", False),
])
def test_quantities_parse_as_the_api_server_parses_them(quantity, ok):
    text = _pod(f"      resources:\n        limits: {{memory: {quantity}}}\n")
    assert (_schema_findings(text) == []) == ok


@pytest.mark.parametrize("version", store.versions())
def test_each_kind_of_mismatch_in_every_bundled_version(version):
    # The issue's example: the same type, typo, YAML 1.1 and file-mode findings in every
    # release; `resizePolicy` (1.27+) is reported as unknown to the release before it.
    text = (ROOT / "tests" / "data" / "schema-issue8.yaml").read_text()
    found = {(f.rule_id, f.span.line) for f in _schema_findings(text, version)}
    expected = {("KPL701", 16), ("KPL703", 17), ("KPL703", 21), ("KPL701", 22),
                ("KPL702", 25), ("KPL702", 26), ("KPL702", 27), ("KPL701", 28),
                ("KPL707", 31)}
    if tuple(map(int, version.split("."))) < (1, 27):
        expected.add(("KPL704", 23))
    assert found == expected
