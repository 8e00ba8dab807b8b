"""Hostile and broken input: always a located problem or a clean result, never a crash."""
from __future__ import annotations

import codecs
import gc
import subprocess
import sys

import pytest

from kprobelint.load import load_bytes, load_plain, load_text


def rules(loaded) -> list[str]:
    return [p.rule for p in loaded.problems]


def test_invalid_utf8_is_located_and_read_as_kubectl_reads_it():
    loaded = load_bytes("bad.yaml", b"kind: Pod\nmetadata:\n  name: \xff\xfeoops\n")
    assert loaded.documents[0].data["metadata"] == {"name": "\ufffd\ufffdoops"}
    [problem] = loaded.problems
    assert problem.rule == "invalid-utf8"
    assert (problem.span.line, problem.span.column) == (3, 9)
    assert "UTF-8" in problem.message and "0xff" in problem.message


def test_truncated_utf8_at_the_end():
    loaded = load_bytes("bad.yaml", "a: é\nb: ".encode() + "é".encode()[:1])
    [problem] = loaded.problems
    assert problem.rule == "invalid-utf8"
    assert (problem.span.line, problem.span.column) == (2, 4)
    assert loaded.documents[0].data == {"a": "é", "b": "\ufffd"}


def test_odd_length_utf16_is_a_parse_error():
    data = codecs.BOM_UTF16_LE + "kind: Pod\n".encode("utf-16-le") + b"k"
    loaded = load_bytes("bad.yaml", data)
    assert rules(loaded) == ["parse-error"]
    assert loaded.problems[0].span.line == 2


def test_lone_surrogate_in_utf16_is_a_parse_error():
    data = codecs.BOM_UTF16_BE + "a: 1\nb: ".encode("utf-16-be") + b"\xd8\x00" + b"\x00x"
    loaded = load_bytes("bad.yaml", data)
    assert rules(loaded) == ["parse-error"]
    assert (loaded.problems[0].span.line, loaded.problems[0].span.column) == (2, 4)


def test_nul_bytes_give_binary_file():
    loaded = load_bytes("img.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert loaded.documents == []
    assert rules(loaded) == ["binary-file"]
    assert (loaded.problems[0].span.line, loaded.problems[0].span.column) == (3, 1)
    loaded = load_bytes("nul.yaml", b"a: 1\nb: x\x00y\n")
    assert rules(loaded) == ["binary-file"]
    assert (loaded.problems[0].span.line, loaded.problems[0].span.column) == (2, 5)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_with_bom_loads_and_is_refused_by_kubectl(encoding):
    text = "kind: Pod\nmetadata:\n  name: 名前\n"
    data = text.encode(encoding)
    if encoding != "utf-32":  # "utf-32" writes its own BOM
        data = ("\ufeff" + text).encode(encoding)
    assert data[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    loaded = load_bytes("wide.yaml", data)
    # kubectl reads no UTF-32: said at the start, and the file is linted all the same.
    assert [(p.rule, p.span.line, p.span.column) for p in loaded.problems] == [
        ("parse-error", 1, 1)]
    assert "UTF-32" in loaded.problems[0].message
    assert loaded.documents[0].data == {"kind": "Pod", "metadata": {"name": "名前"}}


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"   \n  \n", b"# only a comment\n", b"# a\n\n# b", codecs.BOM_UTF8,
     codecs.BOM_UTF8 + b"# c\n", "# ü\n".encode("utf-16")],
)
def test_empty_and_comment_only_files(data):
    loaded = load_bytes("empty.yaml", data)
    assert loaded.documents == []
    assert loaded.problems == []
    assert loaded.skipped is None


def test_explicit_empty_documents_are_null():
    loaded = load_bytes("e.yaml", b"---\n---\n# c\n")
    assert [d.data for d in loaded.documents] == [None, None]
    assert loaded.problems == []


@pytest.mark.parametrize(
    "text",
    ["a: &a [*a]\n", "&a {x: *a}\n", "a: &a\n  b: &b\n    c: *a\n", "- &x\n  - *x\n"],
)
def test_recursive_alias_is_a_problem_not_a_hang(text):
    loaded = load_text("r.yaml", text)
    assert loaded.documents == []
    [problem] = loaded.problems
    assert problem.rule == "parse-error"
    assert "recursive" in problem.message
    assert problem.span.line >= 1


def test_a_bad_document_does_not_hide_the_next_one():
    loaded = load_text("r.yaml", "a: &a [*a]\n---\nkind: Pod\n")
    assert rules(loaded) == ["parse-error"]
    assert [(d.index, d.data) for d in loaded.documents] == [(1, {"kind": "Pod"})]


def alias_bomb(levels: int = 9, width: int = 10) -> bytes:
    lines = [b"a0: &a0 [" + b", ".join([b'"lol"'] * width) + b"]"]
    for level in range(1, levels):
        refs = b", ".join([b"*a%d" % (level - 1)] * width)
        lines.append(b"a%d: &a%d [%s]" % (level, level, refs))
    return b"\n".join(lines) + b"\n"


def test_alias_bomb_gives_excessive_aliasing():
    loaded = load_bytes("bomb.yaml", alias_bomb())  # 10**9 nodes once expanded
    assert loaded.documents == []
    assert rules(loaded) == ["excessive-aliasing"]
    assert loaded.problems[0].span.line >= 2


def test_moderate_alias_use_is_fine():
    loaded = load_bytes("ok.yaml", alias_bomb(levels=3, width=10))  # 1,000 nodes
    assert loaded.problems == []
    assert len(loaded.documents[0].data["a2"]) == 10


@pytest.mark.parametrize(
    "merge", ["*s", "[*s]", "1", "[1, 2]", "[{a: 1}, 2]"],
)
def test_merge_of_a_non_mapping_is_one_problem(merge):
    # go-yaml v2: "map merge requires map or sequence of maps as the value"; kubectl refuses
    # the document, so it is not linted.
    loaded = load_text("m.yaml", f"s: &s [1, 2]\nm:\n  <<: {merge}\n  k: v\n---\nok: 1\n")
    assert rules(loaded) == ["parse-error"]
    assert "merge" in loaded.problems[0].message
    assert (loaded.problems[0].span.line, loaded.problems[0].span.column) == (3, 3)
    assert [document.data for document in loaded.documents] == [{"ok": 1}]


DEEP_SCRIPT = r"""
import sys
from kprobelint.load import load_bytes
cases = {
    "flow-open": b"[" * 100000,
    "flow-closed": b"[" * 100000 + b"]" * 100000,
    "flow-maps": b"{a: " * 60000 + b"1" + b"}" * 60000,
    "block-seq": b"- " * 60000 + b"x\n",
    "block-maps": b"".join(b" " * i + b"k:\n" for i in range(3000)),
    "doc-2": b"ok: 1\n---\n" + b"[" * 100000,
}
for name, data in cases.items():
    loaded = load_bytes(name, data)
    print(name, [p.rule for p in loaded.problems], len(loaded.documents))
"""


def test_deep_nesting_does_not_crash_the_interpreter():
    result = subprocess.run(
        [sys.executable, "-c", DEEP_SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr  # a segfault would be -11
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert set(lines) == {"flow-open", "flow-closed", "flow-maps", "block-seq", "block-maps",
                          "doc-2"}
    for name, rest in lines.items():
        assert "nesting-too-deep" in rest, (name, rest)


def test_moderate_nesting_loads():
    loaded = load_bytes("d.yaml", b"[" * 300 + b"1" + b"]" * 300)
    assert loaded.problems == []
    value = loaded.documents[0].data
    for _ in range(300):
        value = value[0]
    assert value == 1


def test_nesting_limit_inside_the_loader():
    loaded = load_bytes("d.yaml", b"[" * 1000 + b"]" * 1000)  # short: no pre-scan
    assert rules(loaded) == ["nesting-too-deep"]
    assert loaded.problems[0].span.line == 1


def test_deep_merge_chains_are_bounded():
    text = "a: " + "{<<: " * 350 + "{x: 1}" + "}" * 350 + "\n"
    loaded = load_text("m.yaml", text)
    assert rules(loaded) == ["nesting-too-deep"]


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
        f"b: !!python/object:os.system {{cmd: touch {marker}}}\n"
        f"c: !!python/name:os.system\n"
        f"d: !!python/object/new:subprocess.check_call [[touch, {marker}]]\n"
        f'e: !!python/object/apply:os.system "touch {marker}"\n'
    )
    loaded = load_text("evil.yaml", text)
    assert not marker.exists()
    assert loaded.problems == []
    data = loaded.documents[0].data
    assert data["a"] == [f"touch {marker}"]
    assert data["b"] == {"cmd": f"touch {marker}"}
    assert data["c"] == ""
    assert data["e"] == f"touch {marker}"
    assert all(type(v) in (list, str, dict) or isinstance(v, (list, dict)) for v in data.values())


def test_load_plain_never_constructs_objects():
    assert load_plain("x: !!python/object/apply:os.getcwd []\n") == {"x": []}
    with pytest.raises(ValueError, match="line 2, column 1"):
        load_plain("a: [\n")


def test_control_characters_and_odd_whitespace():
    assert rules(load_text("c.yaml", "a: b\x07c\n")) == ["parse-error"]
    assert rules(load_text("c.yaml", "a: \x1b[31mred\n")) == ["parse-error"]
    loaded = load_text("c.yaml", "a: 'x\u00a0y'\nb: \u3000\n")
    assert loaded.problems == []


def test_json_with_surrogate_pair_escapes():
    # Python's json.dumps writes non-BMP characters as surrogate pairs; kubectl reads it.
    text = '{"kind": "ConfigMap", "data": {"emoji": "\\ud83d\\ude00 ok", "esc": "\\\\ud83d"}}'
    loaded = load_text("cm.json", text)
    assert loaded.problems == []
    assert loaded.documents[0].data["data"] == {"emoji": "\U0001f600 ok", "esc": "\\ud83d"}


def test_lone_surrogate_escape_in_json_is_a_replacement_character():
    # Go's JSON decoder makes a lone surrogate escape U+FFFD (kubectl reads the file as JSON).
    loaded = load_text("bad.json", '{"a": "\\ud83d"}')
    assert loaded.problems == []
    assert loaded.documents[0].data == {"a": "\ufffd"}


def test_lone_surrogate_escape_in_yaml_is_still_an_error():
    loaded = load_text("bad.yaml", 'x: 1\n---\n{"a": "\\ud83d"}')
    assert rules(loaded) == ["parse-error"]


def test_very_long_line():
    value = "x" * 1_000_000
    loaded = load_text("long.yaml", f"a: {value}\nb: 1\n")
    assert loaded.problems == []
    assert loaded.documents[0].data["b"] == 1


def test_gc_state_is_restored():
    assert gc.isenabled()
    load_text("x.yaml", "a: 1\n")
    assert gc.isenabled()
    load_text("x.yaml", "a: [\n")
    assert gc.isenabled()
    gc.disable()
    try:
        load_text("x.yaml", "a: 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_megabyte_multi_document_file():
    template = (
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: app-{i}\n"
        "  labels: {{app: app-{i}, tier: web}}\n"
        "spec:\n"
        "  replicas: 2\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "      - name: c\n"
        "        image: registry.example.com/app:{i}\n"
        "        livenessProbe:\n"
        "          httpGet: {{path: /healthz, port: 8080}}\n"
        "          periodSeconds: 10\n"
    )
    text = "".join(template.format(i=i) for i in range(7000))
    data = text.encode()
    assert len(data) > 2_000_000
    loaded = load_bytes("big.yaml", data)
    assert loaded.problems == []
    assert len(loaded.documents) == 7000
    last = loaded.documents[-1]
    assert last.data["metadata"]["name"] == "app-6999"
    assert last.start_line == 6999 * 16 + 2
