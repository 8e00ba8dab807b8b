"""Exact 1-based positions from :func:`kprobelint.load.locate` and of input problems."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kprobelint.findings import HelmSource, Span
from kprobelint.load import LoadedFile, load_bytes, load_text, locate, node_span

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"corpus file absent: {relative}")
    return path


def load_corpus(relative: str) -> LoadedFile:
    path = corpus_file(relative)
    loaded = load_bytes(str(path), path.read_bytes())
    assert loaded.skipped is None
    return loaded


def line_of(text: str, number: int) -> str:
    return text.splitlines()[number - 1]


def at(line: int, column: int, end_column: int, end_line: int | None = None) -> Span:
    return Span(line, column, line if end_line is None else end_line, end_column)


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: app
    image: nginx:1.25
    ports:
    - containerPort: 8080
      name: http
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
      periodSeconds: 10
    command: ["sh", "-c", "serve"]
"""


# ---------------------------------------------------------------------------------------------
# Plain block style


@pytest.mark.parametrize(
    ("path", "on_key", "expected"),
    [
        (("kind",), False, at(2, 7, 10)),
        (("kind",), True, at(2, 1, 5)),
        (("metadata", "name"), False, at(4, 9, 12)),
        (("metadata", "labels", "app"), False, at(6, 10, 13)),
        (("spec", "containers", 0, "image"), False, at(10, 12, 22)),
        (("spec", "containers", 0, "image"), True, at(10, 5, 10)),
        (("spec", "containers", 0, "livenessProbe", "httpGet", "port"), False, at(17, 15, 19)),
        (("spec", "containers", 0, "livenessProbe", "periodSeconds"), False, at(18, 22, 24)),
        (("spec", "containers", 0, "ports", 0, "containerPort"), False, at(12, 22, 26)),
        (("spec", "containers", 0, "ports", 0, "containerPort"), True, at(12, 7, 20)),
        # a mapping or sequence value: its key
        (("spec", "containers", 0, "livenessProbe"), False, at(14, 5, 18)),
        (("spec", "containers"), False, at(8, 3, 13)),
        # a sequence item that is a block: its first character
        (("spec", "containers", 0), False, at(9, 5, 6)),
        (("spec", "containers", 0, "ports", 0), False, at(12, 7, 8)),
        # flow sequence items
        (("spec", "containers", 0, "command", 0), False, at(19, 15, 19)),
        (("spec", "containers", 0, "command", 2), False, at(19, 27, 34)),
        # the whole document: its first character
        ((), False, at(1, 1, 2)),
    ],
)
def test_plain_block_file(path, on_key, expected):
    loaded = load_text("pod.yaml", POD)
    assert loaded.problems == []
    assert locate(loaded.documents[0].data, path, on_key) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # the missing key's deepest existing ancestor, at its key
        (("spec", "containers", 0, "readinessProbe", "httpGet"), at(9, 5, 6)),  # the item
        (("spec", "containers", 0, "livenessProbe", "exec", "command"), at(14, 5, 18)),
        (("spec", "containers", 0, "livenessProbe", "httpGet", "host"), at(15, 7, 14)),
        (("spec", "containers", 5, "name"), at(8, 3, 13)),  # index out of range
        (("spec", "containers", 0, "image", "deeper"), at(10, 5, 10)),  # below a scalar
        (("spec", "containers", "0"), at(8, 3, 13)),  # wrong step type
        (("spec", "initContainers"), at(7, 1, 5)),
        (("status",), at(1, 1, 2)),  # nothing exists: the document's start
    ],
)
def test_missing_path_falls_back_to_the_deepest_existing_key(path, expected):
    loaded = load_text("pod.yaml", POD)
    assert locate(loaded.documents[0].data, path) == expected


def test_spans_match_the_text():
    # Independent of hand-counted numbers: the located span covers exactly the value's text.
    loaded = load_text("pod.yaml", POD)
    data = loaded.documents[0].data
    for path, text in [
        (("spec", "containers", 0, "image"), "nginx:1.25"),
        (("spec", "containers", 0, "livenessProbe", "httpGet", "path"), "/healthz"),
        (("spec", "containers", 0, "command", 1), '"-c"'),
        (("metadata", "labels"), "labels"),
    ]:
        span = locate(data, path)
        assert span.line == span.end_line
        assert line_of(POD, span.line)[span.column - 1:span.end_column - 1] == text


# ---------------------------------------------------------------------------------------------
# KYAML / flow style


KYAML = """\
---
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {name: "p"},
  spec: {
    containers: [{
      name: "c",
      image: "busybox:1.36",
      readinessProbe: {exec: {command: ["cat", "/tmp/ready"]}, periodSeconds: 3},
    }],
  },
}
"""


def test_own_kyaml():
    loaded = load_text("k.yaml", KYAML)
    assert loaded.problems == []
    document = loaded.documents[0]
    assert document.start_line == 2
    data = document.data
    assert data["spec"]["containers"][0]["readinessProbe"]["periodSeconds"] == 3
    assert locate(data, ("kind",)) == at(4, 9, 14)
    assert locate(data, ("kind",), on_key=True) == at(4, 3, 7)
    assert locate(data, ("metadata", "name")) == at(5, 20, 23)
    assert locate(data, ("spec", "containers", 0)) == at(7, 18, 19)
    assert locate(data, ("spec", "containers", 0, "image")) == at(9, 14, 28)
    probe = ("spec", "containers", 0, "readinessProbe")
    assert locate(data, probe + ("periodSeconds",)) == at(10, 79, 80)
    assert locate(data, probe + ("exec", "command", 1)) == at(10, 48, 60)
    assert locate(data, probe) == at(10, 7, 21)


def test_corpus_kyaml():
    loaded = load_corpus("edge/kyaml/website/content/en/examples/pods/probe/exec-liveness.yaml")
    document = loaded.documents[0]
    assert document.start_line == 2
    data = document.data
    container = ("spec", "containers", 0)
    assert locate(data, ("kind",)) == at(4, 9, 14)
    assert locate(data, container) == at(12, 18, 19)
    assert locate(data, container + ("image",)) == at(14, 14, 46)
    assert locate(data, container + ("args", 2)) == at(18, 9, 70)
    assert locate(data, container + ("livenessProbe",)) == at(20, 7, 20)
    assert locate(data, container + ("livenessProbe", "periodSeconds")) == at(28, 24, 25)
    assert locate(data, container + ("livenessProbe", "periodSeconds"), True) == at(28, 9, 22)
    assert locate(data, container + ("livenessProbe", "exec", "command", 1)) == at(24, 13, 27)


# ---------------------------------------------------------------------------------------------
# Encodings and line endings


def test_crlf_line_endings():
    text = POD.replace("\n", "\r\n")
    loaded = load_bytes("crlf.yaml", text.encode())
    assert loaded.problems == []
    data = loaded.documents[0].data
    assert data["spec"]["containers"][0]["image"] == "nginx:1.25"  # no stray \r
    assert locate(data, ("spec", "containers", 0, "image")) == at(10, 12, 22)
    assert locate(data, ("spec", "containers", 0, "livenessProbe", "httpGet", "port")) == at(
        17, 15, 19
    )


def test_crlf_block_scalar_and_second_document():
    text = "a: |\r\n  one\r\n  two\r\n\r\nb: 1\r\n---\r\nc: x\r\n"
    loaded = load_bytes("crlf.yaml", text.encode())
    first, second = loaded.documents
    assert first.data == {"a": "one\ntwo\n", "b": 1}
    assert locate(first.data, ("a",)) == at(1, 4, 6, end_line=3)
    assert locate(first.data, ("b",)) == at(5, 4, 5)
    assert second.start_line == 7
    assert locate(second.data, ("c",)) == at(7, 4, 5)


def test_corpus_crlf():
    loaded = load_corpus(
        "edge/crlf/kube-score/score/testdata/pod-probes-on-different-containers.yaml"
    )
    assert [d.start_line for d in loaded.documents] == [1, 23]
    pod = loaded.documents[0].data
    assert locate(pod, ("spec", "containers", 0, "livenessProbe", "httpGet", "port")) == at(
        18, 15, 19
    )
    assert locate(pod, ("spec", "containers", 1, "name")) == at(19, 11, 18)
    assert locate(loaded.documents[1].data, ("metadata", "name")) == at(26, 9, 19)


def test_utf8_bom():
    loaded = load_bytes("bom.yaml", codecs.BOM_UTF8 + POD.encode())
    data = loaded.documents[0].data
    assert "apiVersion" in data  # not "\ufeffapiVersion"
    assert locate(data, ("apiVersion",), on_key=True) == at(1, 1, 11)
    assert locate(data, ("apiVersion",)) == at(1, 13, 15)
    assert locate(data, ("spec", "containers", 0, "image")) == at(10, 12, 22)


def test_corpus_utf8_bom():
    loaded = load_corpus(
        "edge/bom-and-encoding/checkov/tests/kubernetes/parser/examples/yaml/busybox_utf8_bom.yaml"
    )
    data = loaded.documents[0].data
    assert locate(data, ("apiVersion",), on_key=True) == at(1, 1, 11)
    assert locate(data, ("spec", "containers", 0, "image")) == at(10, 12, 30)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_wide_encodings(encoding, bom):
    text = "kind: Pod\r\nmetadata:\r\n  name: café-ü\r\n---\r\nkind: Service\r\n"
    data = ("\ufeff" + text if bom else text).encode(encoding)
    loaded = load_bytes("wide.yaml", data)
    # kubectl reads UTF-16 with a byte order mark and nothing else wide: said at 1:1.
    refused = [] if bom and encoding.startswith("utf-16") else [(1, 1)]
    assert [(p.span.line, p.span.column) for p in loaded.problems] == refused
    first, second = loaded.documents
    assert first.data == {"kind": "Pod", "metadata": {"name": "café-ü"}}
    assert locate(first.data, ("metadata", "name")) == at(3, 9, 15)
    assert second.start_line == 5
    assert locate(second.data, ("kind",)) == at(5, 7, 14)


def test_corpus_utf16():
    loaded = load_corpus(
        "edge/bom-and-encoding/argo-cd/reposerver/repository/testdata/utf-16/utf-16.yaml"
    )
    assert [d.data["kind"] for d in loaded.documents] == ["Namespace", "ServiceAccount"]
    assert [d.start_line for d in loaded.documents] == [1, 8]
    assert locate(loaded.documents[1].data, ("metadata", "namespace")) == at(12, 14, 21)


def test_non_ascii_columns_count_characters():
    loaded = load_text("u.yaml", "a: 😀é\nb: x\nc: ünïcödé-name\n")
    data = loaded.documents[0].data
    assert locate(data, ("a",)) == at(1, 4, 6)
    assert locate(data, ("c",)) == at(3, 4, 16)


# ---------------------------------------------------------------------------------------------
# Anchors, aliases, merge keys


ANCHORS = """\
defaults: &defaults
  image: base:1
  imagePullPolicy: Always
probe: &probe
  httpGet:
    port: 8080
containers:
- <<: *defaults
  name: a
  image: own:2
  livenessProbe: *probe
- <<: [*defaults, {name: from-flow, extra: 1}]
  name: b
"""


def test_anchors_aliases_and_merge_keys():
    loaded = load_text("a.yaml", ANCHORS)
    assert loaded.problems == []
    data = loaded.documents[0].data
    a, b = data["containers"]
    assert a == {
        "name": "a", "image": "own:2", "livenessProbe": {"httpGet": {"port": 8080}},
        "imagePullPolicy": "Always",
    }
    assert b == {"name": "b", "image": "base:1", "imagePullPolicy": "Always", "extra": 1}
    # explicit keys are where they are written
    assert locate(data, ("containers", 0, "image")) == at(10, 10, 15)
    assert locate(data, ("containers", 0, "name")) == at(9, 9, 10)
    # a merged key is the anchor's
    assert locate(data, ("containers", 0, "imagePullPolicy")) == at(3, 20, 26)
    assert locate(data, ("containers", 1, "image")) == at(2, 10, 16)
    assert locate(data, ("containers", 1, "extra")) == at(12, 44, 45)
    # inside an alias, positions are the anchor's
    assert locate(data, ("containers", 0, "livenessProbe", "httpGet", "port")) == at(6, 11, 15)
    assert locate(data, ("containers", 0, "livenessProbe")) == at(11, 3, 16)


def test_corpus_merge_keys():
    # The corpus file, less its one merge kubectl refuses (tested below).
    path = CORPUS / ("edge/anchors-aliases-merge/kube-linter/pkg/templates/sortedkeys/"
                     "testdata/container-with-merge.yaml")
    text = path.read_text().replace("            - <<: *common-env\n", "")
    loaded = load_text("merge.yaml", text)
    assert loaded.problems == []
    data = loaded.documents[0].data
    containers = ("spec", "template", "spec", "containers")
    worker = data["spec"]["template"]["spec"]["containers"][2]
    assert worker["image"] == "worker:latest"
    assert worker["resources"]["limits"]["cpu"] == "1"
    assert locate(data, containers + (2, "image")) == at(34, 18, 31)
    assert locate(data, containers + (2, "resources")) == at(12, 11, 20)  # merged: the anchor
    assert locate(data, containers + (2, "resources", "limits", "cpu")) == at(14, 20, 23)
    assert locate(data, containers + (1, "resources")) == at(27, 11, 20)  # explicit alias


def test_corpus_merge_of_an_aliased_list_is_refused_as_kubectl_refuses_it():
    # `- <<: *common-env` merges an alias to a list of mappings: go-yaml v2 accepts a list of
    # merges only when it is written in place, so kubectl refuses the whole document.
    loaded = load_corpus(
        "edge/anchors-aliases-merge/kube-linter/pkg/templates/sortedkeys/testdata/"
        "container-with-merge.yaml"
    )
    assert loaded.documents == []
    [problem] = loaded.problems
    assert problem.rule == "parse-error" and "merge key" in problem.message
    assert (problem.span.line, problem.span.column) == (31, 15)


# ---------------------------------------------------------------------------------------------
# Documents


def test_end_markers_and_absolute_lines_of_later_documents():
    text = "# head\nkind: A\nx: 1\n...\n---\n# comment\n\nkind: B\nw:\n  z: 2\n...\n--- \nkind: C\n"
    loaded = load_text("docs.yaml", text)
    assert loaded.problems == []
    assert [d.index for d in loaded.documents] == [0, 1, 2]
    assert [d.start_line for d in loaded.documents] == [2, 8, 13]
    assert [d.data["kind"] for d in loaded.documents] == ["A", "B", "C"]
    assert locate(loaded.documents[1].data, ("w", "z")) == at(10, 6, 7)
    assert locate(loaded.documents[2].data, ("kind",)) == at(13, 7, 8)


def test_corpus_end_markers():
    loaded = load_corpus("edge/doc-end-markers/istio/samples/addons/kiali.yaml")
    assert loaded.problems == []
    kinds = [d.data["kind"] for d in loaded.documents]
    assert kinds == [
        "ServiceAccount", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Service",
        "Deployment",
    ]
    configmap = loaded.documents[1]
    assert configmap.start_line == 20
    assert locate(configmap.data, ("metadata", "name")) == at(23, 9, 14)
    assert configmap.source == HelmSource("kiali-server/templates/configmap.yaml")


def test_kind_list():
    loaded = load_corpus("edge/list-kind/kube-score/score/testdata/list.yaml")
    data = loaded.documents[0].data
    assert data["kind"] == "List"
    assert [item["kind"] for item in data["items"]] == ["Service", "Deployment"]
    assert locate(data, ("items", 1)) == at(14, 5, 6)
    assert locate(data, ("items", 1, "kind")) == at(15, 11, 21)
    image = ("items", 1, "spec", "template", "spec", "containers", 0, "image")
    assert locate(data, image) == at(32, 22, 27)


def test_own_kind_list_in_flow_and_block():
    text = (
        "kind: List\nitems:\n- {kind: Pod, metadata: {name: a}}\n"
        "- kind: Pod\n  metadata:\n    name: b\n"
    )
    data = load_text("l.yaml", text).documents[0].data
    assert locate(data, ("items", 0, "metadata", "name")) == at(3, 32, 33)
    assert locate(data, ("items", 1, "metadata", "name")) == at(6, 11, 12)


# ---------------------------------------------------------------------------------------------
# Duplicate keys, block scalars


def test_duplicate_key_is_reported_at_the_second_key_and_the_last_value_wins():
    text = "kind: Pod\nspec:\n  restartPolicy: Always\n  x: 1\n  restartPolicy: Never\n"
    loaded = load_text("d.yaml", text)
    data = loaded.documents[0].data
    assert data["spec"]["restartPolicy"] == "Never"
    assert [p.rule for p in loaded.problems] == ["duplicate-key"]
    problem = loaded.problems[0]
    assert problem.span == at(5, 3, 16)
    assert "line 3" in problem.message
    assert locate(data, ("spec", "restartPolicy")) == at(5, 18, 23)


def test_duplicate_keys_that_resolve_alike():
    # `on` and `true` are the same key once resolved, as kubectl sees them
    loaded = load_text("d.yaml", "on: 1\ntrue: 2\n")
    assert loaded.documents[0].data == {"true": 2}
    assert [(p.rule, p.span.line) for p in loaded.problems] == [("duplicate-key", 2)]


def test_corpus_duplicate_keys():
    loaded = load_corpus("edge/duplicate-keys/examples/_archived/volumes/scaleio/sc-pvc.yaml")
    assert [(p.rule, p.span) for p in loaded.problems] == [("duplicate-key", at(12, 3, 19))]
    data = loaded.documents[0].data
    assert locate(data, ("spec", "storageClassName")) == at(12, 21, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: |\n  one\n  two\nb: 1\n", at(1, 4, 6, end_line=3)),
        ("a: |\n  one\n  two\n\n\n# c\nb: 1\n", at(1, 4, 6, end_line=3)),
        ("a: >-\n  folded\n  text\n\n\nb: 1\n", at(1, 4, 7, end_line=3)),
        ("a: |+\n  keep\n\n\nb: 1\n", at(1, 4, 7, end_line=2)),
        ("a: |\n  last line without newline", at(1, 4, 28, end_line=2)),
        ("a: |\n  x\n", at(1, 4, 4, end_line=2)),
        ("- |\n  item\n- >\n  two\n  lines\n", None),
    ],
)
def test_block_scalar_spans_end_at_the_last_character(text, expected):
    loaded = load_text("b.yaml", text)
    data = loaded.documents[0].data
    if expected is None:
        assert locate(data, (0,)) == at(1, 3, 7, end_line=2)
        assert locate(data, (1,)) == at(3, 3, 8, end_line=5)
        return
    span = locate(data, ("a",))
    assert span == expected
    # the span ends right after the last non-blank character of the value's last line
    last = line_of(text, span.end_line)
    assert len(last.rstrip()) == span.end_column - 1


def test_block_scalar_in_an_alias_keeps_its_span():
    text = "a: &s |\n  shared\n  text\nb: *s\n"
    data = load_text("b.yaml", text).documents[0].data
    assert data["a"] == data["b"] == "shared\ntext\n"
    # the node starts at its anchor; the alias points at the anchored node
    assert locate(data, ("a",)) == locate(data, ("b",)) == Span(1, 4, 3, 7)


def test_node_span_of_a_key():
    data = load_text("k.yaml", "metadata:\n  name: x\n").documents[0].data
    key_node, _ = data["metadata"].node.value[0]
    assert node_span(key_node) == at(2, 3, 7)


# ---------------------------------------------------------------------------------------------
# Helm `# Source:` comments


HELM = """\
---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: "nginx:1.25"
---
# Source: web/templates/empty.yaml
---
# Source: web/charts/db/templates/statefulset.yaml
# a comment in between
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: no-source
"""


def test_hand_written_helm_output():
    loaded = load_text("out.yaml", HELM)
    assert loaded.problems == []
    documents = [d for d in loaded.documents if d.data is not None]
    assert [(d.data["kind"], d.start_line, d.source) for d in documents] == [
        ("ServiceAccount", 3, HelmSource("web/templates/serviceaccount.yaml")),
        ("Deployment", 9, HelmSource("web/templates/deployment.yaml")),
        ("StatefulSet", 24, HelmSource("web/charts/db/templates/statefulset.yaml")),
        ("ConfigMap", 29, None),
    ]
    deployment = documents[1].data
    image = ("spec", "template", "spec", "containers", 0, "image")
    assert locate(deployment, image) == at(18, 16, 28)


def test_helm_source_with_crlf():
    text = HELM.replace("\n", "\r\n")
    loaded = load_text("out.yaml", text)
    sources = [d.source.file for d in loaded.documents if d.source and d.data]
    assert sources == [
        "web/templates/serviceaccount.yaml", "web/templates/deployment.yaml",
        "web/charts/db/templates/statefulset.yaml",
    ]


def test_corpus_helm_rendered():
    relative = "helm-rendered/ingress-nginx/deploy/static/provider/kind/deploy.yaml"
    loaded = load_corpus(relative)
    text = corpus_file(relative).read_text()
    assert loaded.problems == []
    documents = loaded.documents
    first = documents[0]
    assert first.data["kind"] == "Namespace"
    assert first.source is None  # prepended by hand, no Source comment
    assert (documents[1].start_line, documents[1].source) == (
        12, HelmSource("ingress-nginx/templates/controller-serviceaccount.yaml")
    )
    by_kind = {d.data["kind"]: d for d in documents if isinstance(d.data, dict)}
    deployment = by_kind["Deployment"]
    assert deployment.start_line == 297
    assert deployment.source == HelmSource("ingress-nginx/templates/controller-deployment.yaml")
    image = ("spec", "template", "spec", "containers", 0, "image")
    span = locate(deployment.data, image)
    assert (span.line, span.column) == (331, 18)
    assert line_of(text, 331)[span.column - 1:span.end_column - 1] == deployment.data["spec"][
        "template"]["spec"]["containers"][0]["image"]
    # every document after the first has its own Source comment between `---` and its start
    lines = text.splitlines()
    for document in documents[1:]:
        above = []
        for number in range(document.start_line - 1, 0, -1):
            if lines[number - 1] == "---":
                break
            above.append(lines[number - 1])
        sources = [line for line in above if line.startswith("# Source: ")]
        assert sources == [f"# Source: {document.source.file}"]


def test_corpus_helm_rendered_otel():
    loaded = load_corpus(
        "helm-rendered/opentelemetry-helm-charts/charts/opentelemetry-kube-stack/examples/"
        "default/rendered/hooks.yaml"
    )
    kinds = [(d.data["kind"], d.start_line, d.source.file) for d in loaded.documents]
    assert kinds == [
        ("ServiceAccount", 3, "opentelemetry-kube-stack/templates/hooks.yaml"),
        ("Role", 11, "opentelemetry-kube-stack/templates/hooks.yaml"),
        ("RoleBinding", 30, "opentelemetry-kube-stack/templates/hooks.yaml"),
        ("Job", 45, "opentelemetry-kube-stack/templates/hooks.yaml"),
    ]


# ---------------------------------------------------------------------------------------------
# Problems


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\nb: [1, 2\n", 3, 1),  # unclosed flow sequence: at the end
        ("a:\n\tb: 1\n", 2, 1),  # a tab as indentation
        ("a: 1\n b: 2\nc\n", 2, 3),  # mapping values not allowed
        ("a: &x 1\nb: *y\n", 2, 4),  # undefined alias
        ("a: 1\nb: x\x01y\n", 2, 5),  # control character
        ("ok: 1\n---\nkind: [\n", 4, 1),
    ],
)
def test_parse_error_positions(text, line, column):
    loaded = load_text("e.yaml", text)
    problems = [p for p in loaded.problems if p.rule == "parse-error"]
    assert len(problems) == 1
    assert (problems[0].span.line, problems[0].span.column) == (line, column)


def test_decode_error_position_counts_characters():
    data = "a: 1\nname: café\nb: ".encode() + b"\xff\n"
    loaded = load_bytes("e.yaml", data)
    [problem] = loaded.problems
    assert problem.rule == "invalid-utf8"
    assert (problem.span.line, problem.span.column) == (3, 4)
    data = "ü: é\nbad: é".encode() + b"\xc3\x28"  # an invalid continuation byte
    [problem] = load_bytes("e.yaml", data).problems
    assert (problem.span.line, problem.span.column) == (2, 7)


def test_many_helm_documents_each_get_their_own_source():
    parts = []
    expected = []
    for i in range(3000):
        parts.append("---\n")
        if i % 7:
            parts.append(f"# Source: chart/templates/t{i}.yaml\n")
            expected.append(f"chart/templates/t{i}.yaml")
        else:
            expected.append(None)
        if i % 5 == 0:
            parts.append("# another comment\n")
        parts.append(f"kind: ConfigMap\nmetadata:\n  name: c{i}\n")
    loaded = load_text("big.yaml", "".join(parts))
    assert len(loaded.documents) == 3000
    got = [d.source.file if d.source else None for d in loaded.documents]
    assert got == expected


def _long_mapping(extra: str) -> str:
    keys = "".join(f"  k{i}: {i}\n" for i in range(12))
    return f"m:\n{keys}{extra}"


def test_a_long_mapping_locates_each_key_where_the_value_came_from():
    # Past a few pairs a mapping is indexed once; the index must agree with find_pair: the
    # last of a repeated key, keys resolved as kubectl does (`true` is "true"), merges.
    text = _long_mapping("  k3: again\n  true: yes\n  0x1F: hex\n")
    data = load_text("a.yaml", text).documents[0].data
    assert data["m"]["k3"] == "again"
    assert locate(data, ("m", "k3")) == at(14, 7, 12)  # the repeated key, not line 5
    assert locate(data, ("m", "k0")) == at(2, 7, 8)
    assert locate(data, ("m", "true")) == at(15, 9, 12)
    assert locate(data, ("m", "31")) == at(16, 9, 12)
    assert locate(data, ("m", "missing")) == at(1, 1, 2)  # the nearest thing that exists
    merged = "base: &b {k0: merged, z: 1}\n" + _long_mapping("  <<: *b\n")
    data = load_text("b.yaml", merged).documents[0].data
    assert data["m"]["z"] == 1
    assert locate(data, ("m", "z")) == at(1, 26, 27)  # from the merged anchor
    # go-yaml v2 applies pairs in order: a merge after an explicit key overrides it
    assert data["m"]["k0"] == "merged"
    assert locate(data, ("m", "k0")) == at(1, 15, 21)
