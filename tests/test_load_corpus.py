"""The loader on every file of the shared corpus of real, third-party manifests.

Checks: nothing raises; every problem and document is located inside its file; the edge
cases give the answer each file calls for; values agree with ruamel.yaml's own YAML 1.1
loading except where Kubernetes (go-yaml v2) deliberately differs.
"""
from __future__ import annotations

import datetime
import gc
import math
import re
from pathlib import Path

import pytest

from kprobelint.discover import is_chart_template
from kprobelint.load import TEMPLATE_HINT, YMap, decode, load_bytes, locate
from kprobelint.scalars import resolve_plain

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
EXTENSIONS = (".yaml", ".yml", ".json")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def corpus_files(under: str = "") -> list[Path]:
    root = CORPUS / under
    return sorted(p for p in root.rglob("*") if p.suffix in EXTENSIONS and p.is_file())


def rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def load(path: Path, chart_template: bool | None = None):
    if chart_template is None:
        chart_template = is_chart_template(str(path))
    return load_bytes(str(path), path.read_bytes(), chart_template)


def lines_of(path: Path) -> list[str]:
    try:
        text = decode(path.read_bytes())
    except Exception:  # undecodable: count raw lines
        text = path.read_bytes().decode("utf-8", errors="replace")
    return _LINE_BREAK.split(text)  # as libyaml counts lines: \r\n, \r and \n


# ---------------------------------------------------------------------------------------------
# Every file


def test_corpus_is_there():
    files = corpus_files()
    assert len(files) > 500
    assert {p.relative_to(CORPUS).parts[0] for p in files} >= {
        "edge", "helm-rendered", "k8s-website", "wild", "peer-fixtures",
    }


def test_every_file_loads_and_every_position_is_inside_the_file():
    failures: list[str] = []
    documents = 0
    for path in corpus_files():
        try:
            loaded = load(path)
        except Exception as exc:  # noqa: BLE001 - the point is that nothing raises
            failures.append(f"{rel(path)}: raised {type(exc).__name__}: {exc}")
            continue
        lines = lines_of(path)
        for problem in loaded.problems:
            span = problem.span
            where = f"{rel(path)}: {problem.rule} at {span}"
            if not (span.line >= 1 and span.column >= 1 and span.line <= len(lines) + 1):
                failures.append(f"{where}: outside the file ({len(lines)} lines)")
            elif span.end_line < span.line or (
                span.end_line == span.line and span.end_column <= span.column
            ):
                failures.append(f"{where}: empty or reversed span")
            elif span.line <= len(lines) and span.column > len(lines[span.line - 1]) + 1:
                failures.append(f"{where}: column past the end of its line")
        if loaded.skipped is not None:
            if loaded.documents or loaded.problems:
                failures.append(f"{rel(path)}: skipped but has documents or problems")
            continue
        for document in loaded.documents:
            documents += 1
            if not 1 <= document.start_line <= len(lines) + 1:
                failures.append(f"{rel(path)}: document {document.index} starts at "
                                f"{document.start_line} of {len(lines)} lines")
            if isinstance(document.data, YMap):
                failures.extend(_check_top_level_keys(path, lines, document.data))
    assert failures == []
    assert documents > 2000


def _check_top_level_keys(path: Path, lines: list[str], data: YMap) -> list[str]:
    """Each plain top-level key is located exactly on its own text (or its anchor's)."""
    failures = []
    for key in data:
        if resolve_plain(key) != key or not re.fullmatch(r"[\w.-/]+", key):
            continue  # a key resolved from `yes`, `1`..., or one that needs quoting
        span = locate(data, (key,), on_key=True)
        text = lines[span.line - 1][span.column - 1:span.end_column - 1]
        if text.strip("\"'") != key or span.line != span.end_line:
            failures.append(f"{rel(path)}: key {key!r} located at {span}, text {text!r}")
    return failures


# ---------------------------------------------------------------------------------------------
# Edge cases, file by file


# Each file of edge/parse-errors, checked by hand: none is an unrendered Helm template (none
# holds `{{`, none lies in a chart's templates/), so each gives a located parse-error.
PARSE_ERRORS = {
    # `aloi` then `kustomize:` - a plain scalar followed by a mapping key
    "argo-cd/reposerver/repository/testdata/app-parameters/multi/.argocd-source-broken.yaml":
        (2, 10, 0),
    # Jekyll front matter, then Liquid `{% helm %}`: the first document loads
    "checkov/tests/kubernetes/parser/examples/yaml/helm2.yaml": (4, 2, 1),
    # an unclosed flow mapping: reported at the end of input, the end of the last line (libyaml
    # says line 3 of this 2-line file, which has no final newline)
    "kube-linter/pkg/command/lint/testdata/invalid.yaml": (2, 26, 0),
    # the second Deployment's `spec:` is less indented than `template:`'s content; the first
    # document is fine
    "linkerd2/cli/cmd/testdata/inject_gettest_deployment.bad.input.yml": (36, 5, 1),
    # `--` (a scalar document) followed by a mapping without `---`: kubectl reads the scalar
    # and ignores the rest of the piece (tests/goyaml/oracle), which is said, not refused
    "polaris/pkg/kube/test_files/test_3/bad.yaml": (3, 1, 1, "ignored-content"),
}


def test_parse_error_files():
    files = corpus_files("edge/parse-errors")
    assert {path.relative_to(CORPUS / "edge/parse-errors").as_posix() for path in files} == set(
        PARSE_ERRORS
    )
    for path in files:
        expected_line, expected_column, expected_documents, *rule = PARSE_ERRORS[
            path.relative_to(CORPUS / "edge/parse-errors").as_posix()
        ]
        assert not is_chart_template(str(path))
        assert b"{{" not in path.read_bytes()
        loaded = load(path)
        assert loaded.skipped is None, rel(path)
        assert len(loaded.problems) == 1, (rel(path), loaded.problems)
        [error] = loaded.problems
        assert error.rule == (rule[0] if rule else "parse-error"), rel(path)
        span = error.span
        assert (span.line, span.column) == (expected_line, expected_column), rel(path)
        assert error.message.startswith("kubectl ignores " if rule else "invalid YAML: ")
        assert len(loaded.documents) == expected_documents, rel(path)


def test_tab_indented_example_is_a_parse_error_at_the_tab():
    path = CORPUS / "edge/tabs/website/content/en/examples/controllers"
    path = path / "job-pod-failure-policy-ignore.yaml"
    loaded = load(path)
    [problem] = loaded.problems
    assert problem.rule == "parse-error"
    assert "tab" in problem.message
    assert lines_of(path)[problem.span.line - 1].startswith("\t")


def test_unrendered_helm_templates_are_skipped():
    root = CORPUS / "edge/unrendered-helm"
    templates = [p for p in corpus_files("edge/unrendered-helm") if "templates" in p.parts]
    with_braces = [p for p in templates if b"{{" in p.read_bytes()]
    assert len(with_braces) >= 10
    in_charts = set()
    for path in with_braces:
        chart_template = is_chart_template(str(path))
        if chart_template:
            in_charts.add(path.relative_to(root).parts[0])
        for flag in {chart_template, False}:  # known to be a template, or only by its content
            loaded = load(path, flag)
            assert loaded.skipped == TEMPLATE_HINT, (rel(path), flag, loaded.problems)
            assert loaded.documents == [] and loaded.problems == []
    assert in_charts == {"ingress-nginx", "kube-linter"}  # the others lack a Chart.yaml
    # a template without actions is plain YAML, and loads
    plain = root / "kube-score/score/testdata/helm/app1/templates/deployment.yaml"
    assert is_chart_template(str(plain))
    loaded = load(plain)
    assert loaded.skipped is None
    assert [d.data["metadata"]["name"] for d in loaded.documents] == ["foo", "foo2"]


def test_values_files_with_braces_are_not_templates():
    path = CORPUS / "edge/unrendered-helm/ingress-nginx/charts/ingress-nginx/values.yaml"
    assert b"{{" in path.read_bytes()
    assert not is_chart_template(str(path))
    loaded = load(path)
    assert loaded.skipped is None and loaded.problems == []
    assert len(loaded.documents) == 1


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_rendered_files_with_braces_load():
    files = corpus_files("edge/rendered-with-braces")
    assert len(files) >= 3
    for path in files:
        assert b"{{" in path.read_bytes()
        for flag in {is_chart_template(str(path)), False}:
            loaded = load(path, flag)
            assert loaded.skipped is None, rel(path)
            assert loaded.problems == [], rel(path)
            assert loaded.documents, rel(path)
        # the braces are values (alert templates, Go templates in ConfigMaps)
        values = [s for d in loaded.documents for s in _strings(d.data)]
        assert any("{{" in value for value in values), rel(path)


def test_empty_and_comment_only_documents():
    for path in corpus_files("edge/empty-and-comment-only-docs"):
        loaded = load(path)
        assert loaded.problems == [] and loaded.skipped is None, rel(path)
        objects = [d for d in loaded.documents if isinstance(d.data, dict)]
        if b"kind:" in re.sub(rb"(?m)^\s*#.*$", b"", path.read_bytes()):
            assert objects, rel(path)
        else:
            assert objects == [], rel(path)


def test_duplicate_keys_are_reported_with_the_last_value():
    for path in corpus_files("edge/duplicate-keys"):
        loaded = load(path)
        duplicates = [p for p in loaded.problems if p.rule == "duplicate-key"]
        assert duplicates, rel(path)
        lines = lines_of(path)
        for problem in duplicates:
            key = re.search(r"key '([^']+)'", problem.message).group(1)
            text = lines[problem.span.line - 1][problem.span.column - 1:problem.span.end_column - 1]
            assert text == key, (rel(path), problem)
            first = int(re.search(r"first at line (\d+)", problem.message).group(1))
            assert first < problem.span.line


def test_json_files():
    for path in corpus_files("edge/json"):
        loaded = load(path)
        assert loaded.problems == [], rel(path)
        assert len(loaded.documents) == 1


def test_kind_list_files():
    for path in corpus_files("edge/list-kind"):
        loaded = load(path)
        assert loaded.problems == [], rel(path)
        lists = [d.data for d in loaded.documents if isinstance(d.data, dict)
                 and str(d.data.get("kind", "")).endswith("List")]
        assert lists, rel(path)
        for data in lists:
            items = data.get("items") or []
            for index in range(len(items)):
                span = locate(data, ("items", index))
                assert span.line > 1


# ---------------------------------------------------------------------------------------------
# Scalars: ours against ruamel.yaml's own YAML 1.1 loading
#
# Deliberate differences, all because kubectl and the API server read YAML with go-yaml v2
# (through sigs.k8s.io/yaml), and the linter must see what they see:
# - keys are always strings, as the YAML-to-JSON conversion makes them (`yes:` -> "true",
#   `0644:` -> "420"); ruamel keeps bool/int keys, so its keys are converted before comparing;
# - timestamps stay text (go-yaml hands an untyped field the string); ruamel builds dates;
# - y/Y/n/N are booleans and 08, 0o17, 0b101 numbers (go-yaml's table and strconv); ruamel's
#   1.1 resolver has neither;
# - a tag we do not know (!!python/name:..., the 1.1 `=` value type) keeps its text; ruamel
#   refuses to construct it.
# The compared files exercise the key conversion (`on:` in workflows, `200:` in OpenAPI
# responses) and the unknown tags; none holds a timestamp, a y/n or a Go-only number form.


def _ruamel_1_1():
    from ruamel.yaml import YAML  # noqa: PLC0415

    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 1)
    yaml.allow_duplicate_keys = True
    return yaml


def test_the_reference_really_is_yaml_1_1():
    yaml = _ruamel_1_1()
    assert yaml.load("a: 0644\nb: yes\nc: on\nd: 0x1F\n") == {"a": 420, "b": True, "c": True,
                                                               "d": 31}


def _ours_key(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return key if isinstance(key, str) else str(key)


def _compare(ours, theirs, path: tuple, deliberate: dict, differences: list) -> None:
    """Walk both values; a difference Kubernetes calls for is counted, any other recorded."""
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            differences.append((path, ours, theirs))
            return
        converted = {_ours_key(k): v for k, v in theirs.items()}
        if set(converted) != set(ours):
            differences.append((path, sorted(ours), sorted(converted)))
            return
        for key, value in converted.items():
            _compare(ours[key], value, path + (key,), deliberate, differences)
        return
    if isinstance(theirs, list):
        if not isinstance(ours, list) or len(ours) != len(theirs):
            differences.append((path, ours, theirs))
            return
        for index, (a, b) in enumerate(zip(ours, theirs)):
            _compare(a, b, path + (index,), deliberate, differences)
        return
    if type(ours) is type(theirs) and (ours == theirs or (
            isinstance(ours, float) and math.isnan(ours) and math.isnan(theirs))):
        return
    # Deliberate: go-yaml (kubectl) gives a timestamp to an untyped field as its text.
    if isinstance(theirs, (datetime.date, datetime.datetime)) and isinstance(ours, str):
        deliberate["timestamp kept as text"] = deliberate.get("timestamp kept as text", 0) + 1
        return
    # Deliberate: go-yaml ends a clipped block scalar with a line break even at the end of
    # a file without one (tests/goyaml, literal-at-end-of-input); YAML itself does not.
    if isinstance(theirs, str) and ours == theirs + "\n":
        deliberate["line break at the end of input"] = \
            deliberate.get("line break at the end of input", 0) + 1
        return
    # Deliberate: go-yaml's YAML 1.1 has y/Y/n/N as booleans and numbers like 08, 0o17, 0b1
    # from strconv; ruamel's 1.1 resolver has neither.
    if isinstance(theirs, str) and resolve_plain(theirs) == ours and type(ours) is not str:
        deliberate[f"{theirs!r} resolved"] = deliberate.get(f"{theirs!r} resolved", 0) + 1
        return
    differences.append((path, ours, theirs))


# ruamel's stock resolver is slow (it re-derives the YAML version per scalar): the 925 files up
# to this size (5 MB) are compared; the 21 larger ones (14 MB, CRDs and install bundles) are
# loaded by the test above.
COMPARE_MAX_BYTES = 100_000


def test_values_agree_with_ruamel_yaml_1_1():
    from ruamel.yaml.constructor import ConstructorError  # noqa: PLC0415

    yaml = _ruamel_1_1()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as the linter runs: a collection per few thousand objects is most of the time
    try:
        _agree_with_ruamel(yaml, ConstructorError)
    finally:
        if gc_was_enabled:
            gc.enable()


def _agree_with_ruamel(yaml, ConstructorError) -> None:  # noqa: N803
    compared = 0
    refused: list[str] = []
    deliberate: dict[str, int] = {}
    differences: list[str] = []
    for path in corpus_files():
        if path.stat().st_size > COMPARE_MAX_BYTES:
            continue
        loaded = load(path)
        if loaded.skipped or loaded.problems:
            continue  # broken, templated, or with duplicate keys: nothing to agree on
        text = decode(path.read_bytes())
        try:
            theirs = list(yaml.load_all(text))
        except ConstructorError as exc:
            # ruamel refuses tags it cannot construct (!!python/name, !!value `=`); go-yaml
            # and we keep their text, and the file still loads
            refused.append(f"{rel(path)}: {exc.problem}")
            assert loaded.documents, rel(path)
            continue
        ours = [d.data for d in loaded.documents]
        compared += 1
        if len(ours) != len(theirs):
            differences.append(f"{rel(path)}: {len(ours)} documents, ruamel {len(theirs)}")
            continue
        if ours == theirs:  # the common case, compared in C
            continue
        found: list = []
        for index, (a, b) in enumerate(zip(ours, theirs)):
            _compare(a, b, (index,), deliberate, found)
        differences.extend(f"{rel(path)}: {d}" for d in found[:3])
    assert differences == []
    assert compared > 800
    assert [r.split(":")[0] for r in refused] == ["edge/non-k8s-yaml/ingress-nginx/mkdocs.yml"]


def test_python_tags_in_the_corpus_are_kept_as_text():
    path = CORPUS / "edge/non-k8s-yaml/ingress-nginx/mkdocs.yml"
    assert b"!!python/name:" in path.read_bytes()
    loaded = load(path)
    assert loaded.problems == []
    values = set(_strings(loaded.documents[0].data))
    assert "" in values  # `!!python/name:material.extensions.emoji.twemoji` with no value


def test_yaml_1_1_quirks_in_the_corpus():
    crd = load(CORPUS / "edge/yaml11-quirks/kube-prometheus/manifests/setup/"
                        "0alertmanagerConfigCustomResourceDefinition.yaml")
    assert crd.problems == []
    # a plain `=` is the YAML 1.1 "value" type, which ruamel refuses; go-yaml reads a string
    text = crd.text
    assert "\n                          - =\n" in text
    enums = [s for s in _strings(crd.documents[0].data) if s in ("=", "!=", "=~", "!~")]
    assert "=" in enums and "=~" in enums
    jwt = load(CORPUS / "edge/yaml11-quirks/istio/samples/jwt-server/jwt-server.yaml")
    modes = [
        volume["secret"]["defaultMode"]
        for d in jwt.documents if isinstance(d.data, dict) and d.data.get("kind") == "Deployment"
        for volume in d.data["spec"]["template"]["spec"].get("volumes", [])
        if "secret" in volume
    ]
    assert modes == [0o400]  # `defaultMode: 0400` is octal, as kubectl reads it
