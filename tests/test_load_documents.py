"""The loader works a document at a time: one bad document never costs the others, deep or huge
documents are refused in time linear in their size, and a big file comes in small pieces."""
from __future__ import annotations

import bisect
import codecs

import pytest

from kprobelint import compose
from kprobelint.engine import Engine, Stats
from kprobelint.findings import Span
from kprobelint.load import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_VALUES,
    MAX_PROBLEMS_PER_RULE,
    PIECE_BYTES,
    load_bytes,
    load_pieces,
    load_text,
    locate,
)
from kprobelint.ruleset import builtin_rules

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers: []\n"


def names(loaded) -> list[str]:
    return [d.data["metadata"]["name"] for d in loaded.documents]


def located(loaded) -> list[tuple[str, int, int]]:
    return [(p.rule, p.span.line, p.span.column) for p in loaded.problems]


def test_invalid_utf8_is_read_as_kubectl_reads_it():
    # kubectl replaces each invalid sequence with U+FFFD: the document is linted so, and
    # the bad byte is a warning of its own (Helm refuses it).
    raw = (POD.format(name="a") + "---\n" + POD.format(name="b") + "---\n"
           + POD.format(name="c")).encode().replace(b"name: b\n", b"name: b\xff\n")
    loaded = load_bytes("bad.yaml", raw)
    assert names(loaded) == ["a", "b\ufffd", "c"]
    assert located(loaded) == [("invalid-utf8", 11, 10)]
    offset = raw.index(b"\xff")
    assert loaded.problems[0].message.startswith(
        f"byte 0xff at offset {offset} is not UTF-8: kubectl replaces")
    assert [d.start_line for d in loaded.documents] == [1, 8, 15]


def test_invalid_utf8_after_a_utf8_bom_costs_only_its_own_document():
    # With a UTF-8 byte order mark kubectl passes the bytes on unchanged: go-yaml refuses them.
    raw = codecs.BOM_UTF8 + (POD.format(name="a") + "---\n" + POD.format(name="b") + "---\n"
                             + POD.format(name="c")).encode().replace(b"name: b\n",
                                                                     b"name: b\xff\n")
    loaded = load_bytes("bad.yaml", raw)
    assert names(loaded) == ["a", "c"]
    assert located(loaded) == [("parse-error", 11, 10)]
    assert loaded.problems[0].message.startswith("not valid UTF-8: byte 0xff at offset")
    assert [d.start_line for d in loaded.documents] == [1, 15]


def test_a_yaml_error_costs_only_its_own_document():
    text = POD.format(name="a") + "---\nx: [1,\n---\n" + POD.format(name="c")
    loaded = load_text("e.yaml", text)
    assert names(loaded) == ["a", "c"]
    # Where the broken document ends, before the next marker (as libyaml reports it).
    assert [(p.rule, p.span.line) for p in loaded.problems] == [("parse-error", 9)]
    assert [(d.index, d.start_line) for d in loaded.documents] == [(0, 1), (2, 10)]


def test_a_bad_character_does_not_fail_the_documents_read_before_it():
    # libyaml checks characters as it fills its buffer, ahead of the parse.
    text = "a: 1\n---\nb: 2\n---\nc: x\x07y\n---\nd: 4\n"
    loaded = load_text("c.yaml", text)
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"b": 2}, {"d": 4}]
    assert located(loaded) == [("parse-error", 5, 5)]


def test_documents_after_many_errors_are_all_read():
    text = "".join(f"---\nok{i}: 1\n---\nbad{i}: [\n" for i in range(2000))
    loaded = load_text("m.yaml", text)
    assert len(loaded.documents) == 2000
    # One parse error per broken document: the first 1,000, then one line for the rest.
    assert len(loaded.problems) == 1001
    assert loaded.problems[999].span.line == 4000 + 1  # the end of the 1,000th broken one
    assert loaded.problems[-1].message.startswith("1,000 more parse-error problems")


def test_pieces_keep_every_position():
    count = 20_000
    text = "".join(f"---\n# Source: chart/templates/t{i}.yaml\n" + POD.format(name=f"p{i}")
                   for i in range(count))
    pieces = list(load_pieces("many.yaml", text.encode()))
    assert len(pieces) > 5
    assert all(len(piece.text) <= PIECE_BYTES + 200 for piece in pieces)
    assert "".join(piece.text for piece in pieces) == text
    documents = [d for piece in pieces for d in piece.documents]
    assert len(documents) == count
    for i in (0, 1234, count - 1):
        document = documents[i]
        assert document.start_line == i * 8 + 3
        assert document.source.file == f"chart/templates/t{i}.yaml"
        assert locate(document.data, ("metadata", "name")).line == i * 8 + 6
    for piece in pieces:
        assert piece.first_line == 1 or text.split("\n")[piece.first_line - 1] == "---"


def test_a_source_comment_reaches_a_document_in_the_next_piece():
    padding = "# x\n" * (PIECE_BYTES // 4 + 10)
    # A comment-only first document, as long as a piece, then the document it names.
    text = padding + "# Source: c/templates/x.yaml\n---\n" + POD.format(name="p")
    pieces = list(load_pieces("s.yaml", text.encode()))
    assert len(pieces) >= 2
    last = [d for piece in pieces for d in piece.documents][-1]
    assert last.source is not None and last.source.file == "c/templates/x.yaml"


def test_a_directive_is_cut_from_its_document_as_kubectl_cuts_it():
    # kubectl cuts at `---` lines first: the %TAG stays in the first piece, after its first
    # document (ignored, as go-yaml reads one document a piece), and the tag handle of the
    # next piece is unknown.
    text = "a: 1\n...\n%TAG !e! tag:yaml.org,2002:\n---\nb: !e!str 2\n---\nc: 3\n"
    loaded = load_text("d.yaml", text)
    assert located(loaded) == [("ignored-content", 3, 1), ("parse-error", 5, 4)]
    assert "undefined tag handle" in loaded.problems[1].message
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"c": 3}]


def test_only_the_first_document_of_a_piece_is_read():
    # go-yaml's Unmarshal reads the first document of each piece kubectl cuts and ignores the
    # rest: after `...`, after a top-level flow mapping, after content dedented below the
    # first key. Ignored text may even be invalid: where it starts is a warning.
    text = "a: 1\n...\nb: [\n---\n{c: 3}\nd: 4\n---\n  e: 5\nf: 6\n---\ng: 7\n"
    loaded = load_text("first.yaml", text)
    assert located(loaded) == [("ignored-content", 3, 1), ("ignored-content", 6, 1),
                               ("ignored-content", 9, 1)]
    assert [(d.data, d.start_line) for d in loaded.documents] == [
        ({"a": 1}, 1), ({"c": 3}, 5), ({"e": 5}, 8), ({"g": 7}, 11)]
    assert locate(loaded.documents[2].data, ("e",)) == Span(8, 6, 8, 7)


def test_line_numbers_count_the_breaks_libyaml_counts():
    # A form feed is no line break for YAML (nor a character it allows): the documents after
    # one keep their line numbers, and so do the suppression comments.
    text = "# a\x0cb\nx: 1\n---\n# kprobelint: ignore[KPL204] reason\ny: 2\n"
    loaded = load_text("f.yaml", text)
    assert [d.start_line for d in loaded.documents] == [5]
    assert located(loaded) == [("parse-error", 1, 4)]
    engine = Engine(list(builtin_rules()))
    engine.lint(loaded, Stats())
    [directive] = engine.suppressor.directives
    assert directive.span.line == 4


def _count_events(monkeypatch) -> dict:
    """Count the libyaml events the loader asks for (its depth pre-scan)."""
    real = compose.events
    counter = {"events": 0}

    def events(text):
        for event in real(text):
            counter["events"] += 1
            yield event

    monkeypatch.setattr(compose, "events", events)
    return counter


@pytest.mark.parametrize("text", [
    "x: " + "[" * 60_000 + "]" * 60_000 + "\n",  # the reproducer (50 s before)
    "x: " + "[" * 60_000,  # unclosed (29 s before)
    "- " * 60_000 + "x\n",
    "".join(" " * i + "k:\n" for i in range(2_000)),
])
def test_depth_is_refused_after_a_bounded_number_of_events(monkeypatch, text):
    counter = _count_events(monkeypatch)
    loaded = load_text("deep.yaml", text)
    assert [p.rule for p in loaded.problems] == ["nesting-too-deep"]
    # libyaml never saw more of the document than its first MAX_DEPTH + 1 levels (an event
    # for each, and one for each key of a block mapping).
    assert counter["events"] <= 2 * MAX_DEPTH + 5


def test_ordinary_documents_are_not_scanned_for_depth(monkeypatch):
    counter = _count_events(monkeypatch)
    loaded = load_text("ok.yaml", POD.format(name="p") * 1 + "---\n" + POD.format(name="q"))
    assert len(loaded.documents) == 2
    assert counter["events"] == 0  # composed directly: no event-by-event pre-scan


def test_a_bracket_heavy_document_that_is_not_deep_loads():
    text = '{"items": [' + ", ".join('{"a": [1, 2]}' for _ in range(500)) + "]}\n"
    loaded = load_text("flat.json", text)
    assert loaded.problems == []
    assert len(loaded.documents[0].data["items"]) == 500


def test_a_document_over_the_size_bound_is_refused_and_the_others_read():
    big = "data:\n" + "".join(f"  k{i}: {'x' * 100}\n" for i in range(MAX_DOCUMENT_BYTES // 100))
    data = (POD.format(name="a") + "---\n" + big + "---\n" + POD.format(name="c")).encode()
    loaded = load_bytes("big.yaml", data)
    assert names(loaded) == ["a", "c"]
    [problem] = loaded.problems
    assert (problem.rule, problem.span.line) == ("document-too-large", 7)
    size = (len(big) + 4) / 2**20
    assert problem.message == (f"document of {size:.1f} MiB: the API server accepts at most "
                               "3 MiB in one request, and kprobelint reads documents of up "
                               f"to {MAX_DOCUMENT_BYTES // 2**20} MiB")
    assert loaded.documents[1].start_line == 7 + big.count("\n") + 2


def test_problems_of_one_rule_are_capped_per_file():
    text = "".join(f"---\nk: 1\nk: 2\nk: {i}\n" for i in range(MAX_PROBLEMS_PER_RULE))
    pieces = list(load_pieces("dups.yaml", text.encode()))
    problems = [p for piece in pieces for p in piece.problems]
    assert len(problems) == MAX_PROBLEMS_PER_RULE + 1
    summary = problems[-1]
    assert summary.message == (f"{MAX_PROBLEMS_PER_RULE:,} more duplicate-key problems from "
                               f"here on are not shown (the first {MAX_PROBLEMS_PER_RULE:,} are)")
    # It points at the first problem not shown: the first repeat in document 501.
    assert summary.span.line == 4 * (MAX_PROBLEMS_PER_RULE // 2) + 3
    assert pieces[-1].first_line == text.count("\n") + 1  # after the last piece's lines


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "utf-32-le"])
def test_a_bad_code_unit_in_utf16_or_32_costs_only_its_document(encoding):
    bad = {"utf-16-be": b"\xd8\x00", "utf-16-le": b"\x00\xd8", "utf-32-le": b"\x00\xd8\x00\x00"}
    head = "\ufeffa: 1\n---\nb: ".encode(encoding)
    data = head + bad[encoding] + "x\n---\nc: 3\n".encode(encoding)
    loaded = load_bytes("wide.yaml", data)
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"c": 3}]
    unread = [("parse-error", 1, 1)] if encoding == "utf-32-le" else []  # kubectl reads no UTF-32
    assert located(loaded) == [*unread, ("parse-error", 3, 4)]
    assert loaded.problems[-1].message == \
        f"not valid {encoding.upper()}: bad code unit at offset {len(head)}"


def test_a_document_of_too_many_values_is_refused():
    # 2 MiB of `1,` took 416 MB: a value costs some 420 bytes, whatever its size.
    dense = "[" + "1," * (MAX_DOCUMENT_VALUES + 10) + "1]\n"
    data = (POD.format(name="a") + "---\n" + dense + "---\n" + POD.format(name="c")).encode()
    loaded = load_bytes("dense.yaml", data)
    assert names(loaded) == ["a", "c"]
    [problem] = loaded.problems
    assert (problem.rule, problem.span.line) == ("document-too-large", 7)
    assert problem.message.endswith(f"values: kprobelint reads at most "
                                    f"{MAX_DOCUMENT_VALUES:,} in one document (no Kubernetes "
                                    "object has that many)")
    # As many bytes of text are fine: a ConfigMap of long lines has few values.
    text = "data:\n  script: |\n" + "    echo 'a line of a long script'\n" * 40_000
    assert len(text) > MAX_DOCUMENT_VALUES
    assert load_text("cm.yaml", text).problems == []


def _nodes_at_their_offsets(documents, file_text: str) -> bool:
    """Each root's node starts, in the file's text, where its offsets say it does."""
    from kprobelint.load import offsets_of

    newlines = [i for i, char in enumerate(file_text) if char == "\n"]  # once: not per node
    for document in documents:
        node = document.data.node
        lines, index = offsets_of(document.data)
        at = node.start_mark.index + index
        line_start = max(file_text.rfind("\n", 0, at), file_text.rfind("\r", 0, at)) + 1
        if not (file_text[at:at + 10] == "apiVersion"
                and bisect.bisect_left(newlines, at) == node.start_mark.line + lines
                and at - line_start == node.start_mark.column):
            return False
    return True


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_each_document_knows_its_character_offset_in_the_file(encoding):
    # Documents are parsed a piece at a time, each piece's nodes counting from the piece's
    # start: the root adds the characters before it, past non-ASCII text, CRLF, a document
    # parsed alone after a YAML error and one too large to parse, in every encoding.
    from kprobelint.load import file_text

    wide = "é€😀 " * 20
    documents = [POD.format(name=f"p{i}").replace("spec:", f"# {wide}\nspec:")
                 for i in range(4000)]
    documents[1500] = "x: [1,\n"  # a YAML error: its piece is parsed a document at a time
    documents[2500] = "k: '" + "é" * (MAX_DOCUMENT_BYTES + 10) + "'\n"  # too large
    text = "---\r\n".join(documents)
    data = text.encode(encoding)
    pieces = list(load_pieces("o.yaml", data))
    assert len(pieces) > 5
    whole = file_text(data)
    assert whole == text
    parsed = [d for piece in pieces for d in piece.documents]
    assert len(parsed) == 3998
    assert _nodes_at_their_offsets(parsed, whole)
    for piece in pieces:  # a piece's text is the file's, from its first_index on
        if piece.documents:
            assert whole.startswith(piece.text, piece.first_index)
    # Read whole, the file's text is the pieces' texts joined, the refused document's too.
    loaded = load_bytes("o.yaml", data)
    assert loaded.text == text
    assert _nodes_at_their_offsets(loaded.documents, loaded.text)


def test_json_surrogate_pair_escapes_keep_exact_positions():
    # A file that starts with `{` is read as JSON, as kubectl reads it: a surrogate pair is
    # one character, and the positions after it are where they are in the file.
    text = ('{"kind": "Pod", "metadata": {"name": "\\ud83d\\ude00\\ud83d\\ude00"}, '
            '"spec": {"x": "y"}}')
    loaded = load_text("s.json", text)
    [document] = loaded.documents
    assert document.data["metadata"]["name"] == "😀😀"
    span = locate(document.data, ("spec", "x"))
    assert text[span.column - 1:span.end_column - 1] == '"y"'
    assert document.data.node.start_mark.index == 0
    assert document.data.node.end_mark.index == len(text)
