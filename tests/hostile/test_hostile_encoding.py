"""Hostile bytes through the real CLI: encodings, binary files, empty files, stdin.

Each case lints a directory holding the hostile file and a known-bad manifest, and checks the
exit code, the exact findings of the hostile file and that the other file is still linted.
"""
from __future__ import annotations

import codecs
import random

import pytest
from hostile_util import (
    KNOWN_BAD,
    KNOWN_BAD_FINDING,
    KNOWN_BAD_NAME,
    assert_clean,
    lint_with_known_bad,
    run_cli,
    write_known_bad,
)

# The known-bad manifest's two findings: KPL151 (no liveness probe) and KPL103.
KNOWN_BAD_LOCATED = [("KPL151", 7, 13), KNOWN_BAD_FINDING]


def _encodings():
    for name, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                      ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
                      ("utf-8", codecs.BOM_UTF8)):
        yield pytest.param(name, bom, id=f"{name}-bom")
        yield pytest.param(name, b"", id=f"{name}-no-bom")


@pytest.mark.parametrize("encoding, bom", list(_encodings()))
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_wide_encodings_are_linted_at_the_right_lines(tmp_path, encoding, bom, newline):
    text = KNOWN_BAD.replace("name: web\nspec", "name: wide-ü-名前\nspec").replace("\n", newline)
    run = lint_with_known_bad(tmp_path, "wide.yaml", bom + text.encode(encoding))
    # kubectl reads UTF-8 and UTF-16 with its byte order mark, nothing else: it refuses the
    # others, which kprobelint says at their first character before linting them.
    refused = [] if encoding == "utf-8" or (bom and encoding.startswith("utf-16")) \
        else [("KPL001", 1, 1)]
    assert sorted(run.located("wide.yaml")) == sorted(KNOWN_BAD_LOCATED + refused)
    [finding] = [f for f in run.in_file("wide.yaml") if f["rule"] == "KPL103"]
    assert finding["object"]["name"] == "wide-ü-名前"
    assert (finding["end_line"], finding["end_column"]) == (10, 48)  # "metrics", 7 characters
    assert run.summary["objects"] == 2


def test_old_mac_line_endings(tmp_path):
    run = lint_with_known_bad(tmp_path, "cr.yaml", KNOWN_BAD.replace("\n", "\r").encode())
    assert sorted(run.located("cr.yaml")) == sorted(KNOWN_BAD_LOCATED)


@pytest.mark.parametrize(
    "data, where",
    [
        (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xc3\x28bad\n", (4, 9)),  # bad 2nd byte
        (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\xf0\x9f\x98", (4, 10)),  # truncated
        (b"kind: Pod\r\nmetadata: {name: \xed\xa0\x80}\r\n", (2, 18)),  # encoded surrogate
        (b"a: 1\nb: \xc0\xaf\n", (2, 4)),  # overlong encoding of "/"
    ],
    ids=["bad-continuation", "truncated", "surrogate", "overlong"],
)
def test_invalid_utf8_is_one_located_warning(tmp_path, data, where):
    # kubectl reads each bad sequence as U+FFFD; Helm refuses the file: a warning, and the
    # document is linted as kubectl reads it.
    run = lint_with_known_bad(tmp_path, "bad-utf8.yaml", data)
    findings = [f for f in run.in_file("bad-utf8.yaml") if f["rule"] == "KPL011"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("KPL011", *where)]
    assert findings[0]["severity"] == "warning"


def test_invalid_utf8_after_a_utf8_bom_is_a_parse_error(tmp_path):
    # With a UTF-8 byte order mark kubectl passes the bytes to go-yaml unchanged: refused.
    run = lint_with_known_bad(tmp_path, "bad-utf8.yaml", b"\xef\xbb\xbfkind: \x80\n")
    findings = run.in_file("bad-utf8.yaml")
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("KPL001", 1, 7)]
    assert findings[0]["severity"] == "error"


def test_invalid_utf16_is_a_parse_error(tmp_path):
    data = codecs.BOM_UTF16_LE + "kind: Pod\nname: ".encode("utf-16-le") + b"\x00\xdc"  # lone low
    run = lint_with_known_bad(tmp_path, "bad16.yaml", data)
    assert run.located("bad16.yaml") == [("KPL001", 2, 7)]


def test_nul_byte_in_text_is_a_binary_file(tmp_path):
    run = lint_with_known_bad(tmp_path, "nul.yaml", b"apiVersion: v1\nkind: Pod\x00\n")
    assert run.located("nul.yaml") == [("KPL003", 2, 10)]
    assert "offset 24" in run.in_file("nul.yaml")[0]["message"]


def test_png_named_yaml_is_a_binary_file(tmp_path):
    rng = random.Random(20240601)
    data = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
            + bytes(rng.randrange(256) for _ in range(4096)))
    run = lint_with_known_bad(tmp_path, "x.yaml", data)
    assert run.located("x.yaml") == [("KPL003", 3, 1)]  # after \r\n and \n: the NUL at offset 8


def test_random_bytes_without_nul(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.choice(range(1, 256)) for _ in range(20000))
    run = lint_with_known_bad(tmp_path, "noise.yaml", data)
    # Read as kubectl reads it (U+FFFD for the bad bytes), it is not YAML either.
    assert run.rules("noise.yaml") == ["KPL011", "KPL001"]


@pytest.mark.parametrize(
    "data",
    [b"", b"\n", b"   \n  \n", b"  \r\n\r\n", b"# only a comment\n", b"# c\r\n  # d\n",
     b"# no newline at the end", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"# c\n",
     "# ü\n".encode("utf-16"), b"---\n...\n---\n# x\n...\n"],
    ids=["empty", "newline", "spaces", "crlf-blank", "comment", "comments-crlf", "no-eol",
         "bom-only", "bom-comment", "utf16-comment", "markers"],
)
def test_empty_and_comment_only_files_have_no_finding(tmp_path, data):
    run = lint_with_known_bad(tmp_path, "empty.yaml", data)
    assert run.in_file("empty.yaml") == []
    assert run.summary["objects"] == 1


def test_blank_utf32_is_refused_as_kubectl_refuses_it(tmp_path):
    # kubectl reads it as UTF-8 full of NULs, and go-yaml refuses control characters.
    run = lint_with_known_bad(tmp_path, "blank32.yaml", "   \n".encode("utf-32-be"))
    assert run.located("blank32.yaml") == [("KPL001", 1, 1)]


def test_tab_only_line_is_a_parse_error_as_in_libyaml(tmp_path):
    # libyaml (and go-yaml, its port that kubectl uses) refuse a tab where a block line starts.
    run = lint_with_known_bad(tmp_path, "tab.yaml", b"apiVersion: v1\nkind: Pod\n\t\n")
    assert run.located("tab.yaml") == [("KPL001", 3, 1)]
    # The same in a file that never looked like a manifest: skipped, the reason located.
    run = lint_with_known_bad(tmp_path, "tab.yaml", b"\t\n")
    assert run.located("tab.yaml") == []
    (skip,) = [s for s in run.summary["skipped"] if s["file"].endswith("tab.yaml")]
    assert "not a Kubernetes manifest" in skip["reason"] and "line 1:" in skip["reason"]


def test_each_hostile_file_does_not_hide_the_others(tmp_path):
    """All the byte-level cases in one run, named explicitly in a hostile-first order."""
    files = {
        "a-bin.yaml": b"abc\x00\x01\x02",
        "b-utf8.yaml": b"a: \xff\n",
        "c-empty.yaml": b"",
        "d-utf16.yaml": KNOWN_BAD.encode("utf-16"),
        "e-deep.yaml": b"[" * 10_000,
        "f-yaml.yaml": b"kind: Pod\napiVersion: v1\na: [\n",
        "g-not-k8s.yaml": b"a: [\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    write_known_bad(tmp_path)
    run = run_cli([*files, KNOWN_BAD_NAME], tmp_path)
    assert_clean(run)
    assert run.located("a-bin.yaml") == [("KPL003", 1, 4)]
    assert run.located("b-utf8.yaml") == [("KPL011", 1, 4)]
    assert run.located("c-empty.yaml") == []
    assert sorted(run.located("d-utf16.yaml")) == sorted(KNOWN_BAD_LOCATED)
    assert run.located("e-deep.yaml") == [("KPL005", 1, 401)]
    assert run.located("f-yaml.yaml") == [("KPL001", 4, 1)]
    assert run.located("g-not-k8s.yaml") == []  # broken, but never a manifest: skipped
    assert sorted(run.located(KNOWN_BAD_NAME)) == sorted(KNOWN_BAD_LOCATED)
    assert run.summary["files"] == 8


# ---------------------------------------------------------------------------------------------
# stdin


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"kind: Pod\n\xff\n", [("KPL011", 2, 1), ("KPL001", 3, 1)]),
        (b"kind: Pod\nname: \xe2\x82\n", [("KPL011", 2, 7)]),
        (b"a: \x00", [("KPL003", 1, 4)]),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", [("KPL003", 1, 4)]),  # a gzip header
        (KNOWN_BAD.encode("utf-16"), KNOWN_BAD_LOCATED),
        (KNOWN_BAD.encode("utf-32-be"), [("KPL001", 1, 1), *KNOWN_BAD_LOCATED]),
        (b"", []),
    ],
    ids=["invalid-byte", "truncated", "nul", "gzip", "utf16", "utf32-be-no-bom", "empty"],
)
def test_stdin_with_hostile_bytes(tmp_path, data, expected):
    write_known_bad(tmp_path)
    run = run_cli(["-", KNOWN_BAD_NAME], tmp_path, stdin=data)
    assert_clean(run)
    assert sorted(run.located("-")) == sorted(expected)
    assert sorted(run.located(KNOWN_BAD_NAME)) == sorted(KNOWN_BAD_LOCATED)
    assert run.summary["files"] == 2


def test_stdin_alone_with_invalid_bytes_exits_1(tmp_path):
    run = run_cli(["-"], tmp_path, stdin=b"\xff\xff\xff\xff\xff")
    assert_clean(run)
    assert run.located("-") == [("KPL011", 1, 1)]
