"""A file that starts with `{` is read as kubectl reads it: a stream of JSON values, then YAML.

The values themselves are checked against kubectl in tests/test_goyaml_parity.py (the go-yaml
oracle); here: the positions of what is found in them, and the bounds on hostile input.
"""
from __future__ import annotations

from lintutil import lint_text

from kprobelint.findings import Span
from kprobelint.load import MAX_DOCUMENT_BYTES, load_bytes, load_text, locate

POD = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n'
       ' "spec": {"containers": [{"name": "c", "image": "nginx:latest"}]}}\n')


def test_values_on_one_line_keep_their_columns():
    loaded = load_text("s.json", '{"a": 1}{"b": {"c": "x"}}\n')
    assert [d.start_line for d in loaded.documents] == [1, 1]
    assert locate(loaded.documents[1].data, ("b", "c")) == Span(1, 21, 1, 24)
    assert locate(loaded.documents[1].data, ("b",)) == Span(1, 10, 1, 13)


def test_findings_in_a_json_stream_point_at_the_value():
    spans = [f.span for f in lint_text(POD + POD) if f.rule_id == "KPL204"]
    assert spans == [Span(2, 49, 2, 63), Span(4, 49, 4, 63)]
    # The second value right after the first, on its line.
    spans = [f.span for f in lint_text(POD.replace("\n", "") + POD) if f.rule_id == "KPL204"]
    assert spans == [Span(1, 111, 1, 125), Span(2, 49, 2, 63)]


def test_yaml_taking_over_in_the_middle_of_a_line_keeps_its_columns():
    loaded = load_text("s.json", '{"a": 1} b: 2\nc: 3\n')
    assert loaded.problems == []
    second = loaded.documents[1].data
    assert second == {"b": 2, "c": 3}
    assert locate(second, ("b",), on_key=True) == Span(1, 10, 1, 11)
    assert locate(second, ("b",)) == Span(1, 13, 1, 14)
    assert locate(second, ("c",)) == Span(2, 4, 2, 5)
    repeated = load_text("s.json", '{"a": 1} b: 2\nb: 3\n')
    assert [(p.rule, p.span.line, p.span.column) for p in repeated.problems] == [
        ("duplicate-key", 2, 1)]


def test_after_two_values_the_stream_is_json_and_an_error_ends_the_file():
    loaded = load_text("s.json", '{"a": 1}\n{"b": 2}\nc: 3\n---\nd: 4\n')
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"b": 2}]
    [problem] = loaded.problems
    assert (problem.rule, problem.span.line, problem.span.column) == ("parse-error", 3, 1)
    assert "invalid character 'c' looking for beginning of value" in problem.message


def test_json_has_no_yaml_limits():
    # `\/`, a key longer than 1,024 characters, a surrogate pair: JSON, refused by go-yaml.
    key = "k" * 2000
    loaded = load_text("s.json", '{"a": "x\\/y", "%s": "\\ud83d\\ude00"}' % key)
    assert loaded.problems == []
    assert loaded.documents[0].data == {"a": "x/y", key: "\U0001f600"}


def test_deep_json_is_refused_without_recursion():
    depth = 50_000
    loaded = load_text("deep.json", "{" + '"a": [' * depth + "]" * depth + "}")
    assert [p.rule for p in loaded.problems] == ["nesting-too-deep"]


def test_a_json_value_too_large_is_refused_and_the_next_one_read():
    big = '{"data": [' + ",".join(['"xxxxxxxxxxxxxxxx"'] * (MAX_DOCUMENT_BYTES // 19 + 10)) + "]}"
    loaded = load_bytes("big.json", (big + "\n" + POD).encode())
    assert [p.rule for p in loaded.problems] == ["document-too-large"]
    assert [d.data["kind"] for d in loaded.documents] == ["Pod"]
    assert loaded.documents[0].start_line == 2
