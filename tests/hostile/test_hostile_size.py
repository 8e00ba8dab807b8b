"""Big, deep and self-multiplying input through the real CLI, in a memory-capped subprocess.

No timing assertions, except where a bug report needs one (a generous timeout, marked).
"""
from __future__ import annotations

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

from kprobelint.load import MAX_DOCUMENT_BYTES

MB = 1_000_000


# ---------------------------------------------------------------------------------------------
# Size


def _config_map_and_a_pod_that_uses_it(megabytes: int) -> tuple[bytes, int, int]:
    """A ConfigMap of ``megabytes`` MB, then a Pod reading its last key and an absent one;
    the bytes, the Pod's first line and the number of keys."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: big", "data:"]
    size, i = 0, 0
    while size < megabytes * MB:
        line = f"  key-{i:07d}: value-{i:07d}-{'x' * 40}"
        lines.append(line)
        size += len(line) + 1
        i += 1
    keys = i
    pod_start = len(lines) + 2  # after the "---" line
    lines += [
        "---",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: consumer}",
        "spec:",
        "  containers:",
        "  - name: app",
        "    image: example/app:1.0",
        "    env:",
        "    - name: PRESENT",
        f"      valueFrom: {{configMapKeyRef: {{name: big, key: key-{keys - 1:07d}}}}}",
        "    - name: ABSENT",
        "      valueFrom: {configMapKeyRef: {name: big, key: no-such-key}}",
        "    readinessProbe: {httpGet: {port: http}}",
    ]
    return ("\n".join(lines) + "\n").encode(), pod_start, keys


def test_four_megabyte_config_map_and_a_pod_that_uses_it(tmp_path):
    # As large as a document kprobelint reads (larger than any the API server accepts).
    data, pod_start, _ = _config_map_and_a_pod_that_uses_it(4)
    assert 4 * MB < len(data) and data.index(b"\n---\n") < MAX_DOCUMENT_BYTES
    run = lint_with_known_bad(tmp_path, "big.yaml", data, timeout=600)
    located = run.located("big.yaml")
    assert ("KPL501", pod_start + 11, 53) in located, located  # the absent key, exactly
    assert ("KPL103", pod_start + 12, 38) in located, located
    assert run.rules("big.yaml").count("KPL501") == 1  # the present key is found
    assert run.summary["documents"] == 3 and run.summary["objects"] == 3


def test_fifty_megabyte_document_is_refused_and_its_neighbours_linted(tmp_path):
    # No API server accepts a 50 MB object (3 MiB per request): one located finding, the Pod
    # after it is still linted (its reference to the refused ConfigMap is then unresolved).
    data, pod_start, _ = _config_map_and_a_pod_that_uses_it(50)
    run = lint_with_known_bad(tmp_path, "big.yaml", data, timeout=600)
    located = run.located("big.yaml")
    assert located[0] == ("KPL010", 1, 1), located
    size = (data.index(b"\n---\n") + 1) / 2**20
    assert run.in_file("big.yaml")[0]["message"].startswith(f"document of {size:.1f} MiB")
    assert ("KPL103", pod_start + 12, 38) in located, located
    assert run.summary["documents"] == 2 and run.summary["objects"] == 2


def test_five_megabytes_of_documents(tmp_path):
    doc_lines = KNOWN_BAD.count("\n") + 1  # each document: "---" then the manifest
    count = 5 * MB // (len(KNOWN_BAD) + 4) + 1
    text = "".join("---\n" + KNOWN_BAD.replace("name: web\nspec", f"name: web-{i}\nspec")
                   for i in range(count))
    run = lint_with_known_bad(tmp_path, "many-docs.yaml", text.encode(), timeout=600)
    kpl103 = [f for f in run.in_file("many-docs.yaml") if f["rule"] == "KPL103"]
    assert len(kpl103) == count
    last = max(kpl103, key=lambda f: f["line"])
    assert (last["line"], last["column"]) == ((count - 1) * doc_lines + 11, 41)
    assert last["object"]["name"] == f"web-{count - 1}"
    assert run.summary["documents"] == count + 1


def test_a_hundred_thousand_repeated_keys_in_one_file(tmp_path):
    # Every line a duplicate key: one problem per 5 bytes of input (377 MB for 100,000 once).
    # The first 1,000 of a rule are reported per file, then one line counts the rest.
    data = b"apiVersion: v1\nkind: ConfigMap\n" + b"a: 1\n" * 100_000
    run = lint_with_known_bad(tmp_path, "dup.yaml", data, timeout=300)
    found = run.in_file("dup.yaml")
    dups = [f for f in found if f["rule"] == "KPL002"]
    assert len(dups) == 1001
    assert (dups[999]["line"], dups[999]["column"]) == (1003, 1)
    assert (dups[-1]["line"], dups[-1]["column"]) == (1004, 1)
    assert dups[-1]["message"] == ("98,999 more duplicate-key problems from here on are not "
                                   "shown (the first 1,000 are)")
    # And once, at the key that wins, that a ConfigMap has no field `a`.
    others = [(f["rule"], f["line"]) for f in found if f["rule"] != "KPL002"]
    assert others == [("KPL703", 100_002)]


def test_two_million_empty_documents(tmp_path):
    run = lint_with_known_bad(tmp_path, "empty-docs.yaml", b"---\n" * 2_000_000, timeout=300)
    assert run.in_file("empty-docs.yaml") == []
    assert run.summary["documents"] == 2_000_001


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ten_thousand_small_files(tmp_path, jobs):
    tree = tmp_path / "tree"
    for d in range(10):
        sub = tree / f"d{d}"
        sub.mkdir(parents=True)
        for i in range(1000):
            (sub / f"cm-{i:04d}.yaml").write_text(
                f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{d}-{i}}}\n"
                "data: {k: v}\n")
    # One hostile file among them: a bad byte after a UTF-8 byte order mark, refused by kubectl.
    (tree / "d3" / "cm-0500.yaml").write_bytes(b"\xef\xbb\xbfa: \xff\n")
    write_known_bad(tree / "d9")
    run = run_cli(["--jobs", jobs, "tree"], tmp_path, timeout=300)
    assert_clean(run)
    assert run.summary["files"] == 10_001
    assert run.summary["objects"] == 10_000  # 9,999 ConfigMaps and the known-bad Pod
    assert run.located("d3/cm-0500.yaml") == [("KPL001", 1, 4)]
    assert KNOWN_BAD_FINDING in run.located(KNOWN_BAD_NAME)
    assert {f["rule"] for f in run.findings} == {"KPL001", "KPL103", "KPL151"}


# ---------------------------------------------------------------------------------------------
# Depth


DEEP = 10_000
DEEP_CASES = {
    # name: (bytes, (line, column) of the first collection past 400 levels)
    "flow-sequences": (b"[" * DEEP + b"]" * DEEP + b"\n", (1, 401)),
    "flow-mappings": (b"{a: " * DEEP + b"1" + b"}" * DEEP + b"\n", (1, 1601)),
    "flow-unclosed": (b"[" * DEEP, (1, 401)),
    "block-sequences-one-line": (b"- " * DEEP + b"x\n", (1, 801)),
    "block-sequences": (b"".join(b"  " * i + b"-\n" for i in range(DEEP)), (401, 801)),
    "block-mappings": (b"".join(b" " * i + b"k:\n" for i in range(DEEP)), (401, 401)),
    "in-a-pod": (
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
        b"    image: x:1\n    env: " + b"[" * DEEP + b"]" * DEEP + b"\n",
        (9, 406),
    ),
}


@pytest.mark.parametrize("name", DEEP_CASES)
def test_ten_thousand_levels_of_nesting(tmp_path, name):
    data, where = DEEP_CASES[name]
    run = lint_with_known_bad(tmp_path, "deep.yaml", data)
    assert run.located("deep.yaml") == [("KPL005", *where)]


def test_moderately_deep_document_does_not_hide_its_neighbours(tmp_path):
    # 1,000 levels: short enough to skip the pre-scan, so the converter reports it alone.
    data = (KNOWN_BAD + "---\n" + "[" * 1000 + "]" * 1000 + "\n").encode()
    run = lint_with_known_bad(tmp_path, "deep.yaml", data)
    assert sorted(run.located("deep.yaml")) == sorted([("KPL151", 7, 13), KNOWN_BAD_FINDING,
                                                       ("KPL005", 12, 401)])


def test_very_deep_document_does_not_hide_its_neighbours(tmp_path):
    data = (KNOWN_BAD + "---\n" + "[" * DEEP + "]" * DEEP + "\n").encode()
    run = lint_with_known_bad(tmp_path, "deep.yaml", data)
    assert sorted(run.located("deep.yaml")) == sorted([("KPL151", 7, 13), KNOWN_BAD_FINDING,
                                                       ("KPL005", 12, 401)])


# ---------------------------------------------------------------------------------------------
# Aliases


def _laughs(levels: int, width: int, item: str, open_: str, close: str, ref: str) -> bytes:
    lines = [f"l0: &l0 {open_}" + ", ".join(item.format(i=i) for i in range(width)) + close]
    for level in range(1, levels):
        refs = ", ".join(ref.format(i=i, prev=level - 1) for i in range(width))
        lines.append(f"l{level}: &l{level} {open_}{refs}{close}")
    return ("\n".join(lines) + "\n").encode()


BOMBS = {
    # 10**12 nodes once expanded; the 100,000-node budget runs out at the anchor of l3
    "sequences": (_laughs(12, 10, '"lol"', "[", "]", "*l{prev}"), (4, 5)),
    "mappings": (_laughs(12, 10, "k{i}: lol", "{", "}", "k{i}: *l{prev}"), (4, 5)),
    "merge-keys": (_laughs(12, 10, "k{i}: lol", "{", "}", "<<: *l{prev}, k{i}: *l{prev}"), (3, 5)),
    "wide": (_laughs(4, 1000, '"lol"', "[", "]", "*l{prev}"), (1, 5)),
}


@pytest.mark.parametrize("name", BOMBS)
def test_billion_laughs_is_excessive_aliasing(tmp_path, name):
    data, where = BOMBS[name]
    run = lint_with_known_bad(tmp_path, "bomb.yaml", data, timeout=60)  # 2 GB address space
    assert run.located("bomb.yaml") == [("KPL004", *where)]


def test_billion_laughs_inside_a_pod(tmp_path):
    head = (b"apiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nspec:\n"
            b"  x0: &x0 [{name: c, image: 'x:1'}, {name: d, image: 'x:1'}]\n")
    levels = b"".join(b"  x%d: &x%d [%s]\n" % (i, i, b", ".join([b"*x%d" % (i - 1)] * 10))
                      for i in range(1, 12))
    data = head + levels + b"  containers: *x11\n---\n" + KNOWN_BAD.encode()
    run = lint_with_known_bad(tmp_path, "bomb.yaml", data, timeout=60)
    # An alias bomb stops its file (unlike other problems): the next document is not linted.
    assert run.located("bomb.yaml") == [("KPL004", 8, 7)]


def test_alias_bomb_stream_of_documents(tmp_path):
    one = _laughs(12, 10, '"lol"', "[", "]", "*l{prev}").decode()
    data = ("---\n" + one) * 50
    run = lint_with_known_bad(tmp_path, "bombs.yaml", data.encode(), timeout=60)
    assert run.rules("bombs.yaml") == ["KPL004"]


# ---------------------------------------------------------------------------------------------
# Numbers


def test_integer_with_five_thousand_digits(tmp_path):
    data = ("a: " + "1" * 5000 + "\n---\n" + KNOWN_BAD).encode()
    run = lint_with_known_bad(tmp_path, "digits.yaml", data)
    # go-yaml cannot parse it as an int or a float, so kubectl reads it as a string: no problem.
    assert "KPL001" not in run.rules("digits.yaml")
    assert KNOWN_BAD_FINDING[0] in run.rules("digits.yaml")
