"""Systematic candidate inputs for the go-yaml differential search (see README.md).

Every function yields (name, bytes). The names say what was combined, so a difference found
by explore.py can be read without opening the input.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterator

Case = tuple[str, bytes]

# Plain scalars that YAML 1.1 (go-yaml v2), YAML 1.2 and libyaml may read differently.
ATOMS = [
    # booleans in every case variant go-yaml and YAML 1.1 list, and a few they do not
    "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO",
    "on", "On", "ON", "oN", "off", "Off", "OFF", "oFF",
    "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "fAlse",
    # nulls
    "~", "null", "Null", "NULL", "nULL", "none", "None", "nil",
    # integers in every base and form
    "0", "-0", "+0", "7", "+7", "-7", "012", "-012", "+012", "08", "09", "0o17", "0O17", "0o8",
    "0x1F", "0X1f", "-0x1F", "+0x1F", "0x", "0xG", "0b101", "0B11", "-0b101", "0b2", "0b",
    "1_000", "1__000", "_1000", "1000_", "0b1_0", "0x_1F", "0_12", "+1_0", "-1_0",
    "190:20:30", "1:2", "-1:20", "12:30:45",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "-18446744073709551616", "0777777777777777777777", "01777777777777777777777",
    "0x7FFFFFFFFFFFFFFF", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
    "0b" + "1" * 64, "0b1" + "0" * 64, "1" + "0" * 30, "1" + "0" * 400,
    # floats
    "1.0", "1.", "-1.", ".5", "-.5", "+.5", "1.10", "0.1", "1e3", "1E3", "1e+3", "1e-3",
    "-1e3", "+1e3", "1.0e3", "1.5e-3", "6.8523015e+5", "685.230_15e+03", "685_230.15",
    "190:20:30.15", "1_0.5", "1.5_", "._5", "1e3_", "1e_3", "1e", "e3", "1.2.3", "0.", "00.5",
    "0x1p3", "1e400", "-1e400", "1e-400", "123456789012345678901234567890.5",
    "3.14159265358979", "1e21", "1e20", "-1e21", "0.000001", "0.0000001",
    ".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", ".iNf", "inf", "-inf", "Infinity",
    ".nan", ".NaN", ".NAN", ".nAn", "nan", "NaN",
    # timestamps
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
    "2001-12-14T21:59:43Z", "2001-1-4", "2002-13-45",
    # other plain text that looks special
    "=", "<<", "~~", "-", "--", "---x", "-a", "a-", "?a", "a?", "a?b", ":a", "a:", "a:b",
    "a::b", "http://x:80/p", "a,b", "a]b", "a}b", "a[b", "a{b", "a#b", "a #b", "a\tb",
    "a!b", "a&b", "a*b", "a|b", "a>b", "a'b", 'a"b', "a%b", "a@b", "a`b", "!a", "&a", "*a",
    "a b", "a  b", "a:  b", "-1", "--1", "+-1", "0.0.0.0", "1.2.3.4", "v1", "1Gi", "100m",
    "0644", "0755", "644", "1.10.0", "1e", "1_000_000", "0x_", "+", ".", "..", "...x",
]

CONTEXTS = {
    "value": "k: {}\n",
    "item": "- {}\n",
    "flowseq": "k: [{}]\n",
    "flowseq2": "k: [{}, x]\n",
    "flowmap": "k: {{x: {}}}\n",
    "flowkey": "k: {{{}: x}}\n",
    "key": "{}: v\n",
    "top": "{}\n",
}

TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!",
        "!foo", "!!foo", "!<tag:yaml.org,2002:str>", "!<!bar>", "!!map", "!!seq", "!!merge",
        "!!value", "!!python/object:os.system", "!!set", "!!omap"]


def scalars() -> Iterator[Case]:
    for atom in ATOMS:
        for context, template in CONTEXTS.items():
            yield f"scalar/{context}/{atom[:40]}", template.replace("{}", atom, 1).replace(
                "{{", "{").replace("}}", "}").encode()
        for quote in ("'", '"'):
            text = atom.replace("\\", "\\\\").replace('"', '\\"') if quote == '"' else \
                atom.replace("'", "''")
            yield f"scalar/quoted{quote}/{atom[:40]}", f"k: {quote}{text}{quote}\n".encode()
        for tag in TAGS:
            yield f"scalar/tag {tag}/{atom[:40]}", f"k: {tag} {atom}\n".encode()


PUNCTUATION = ":?,[]{}#&*!|>'\"%@`-=~\\"


def indicators() -> Iterator[Case]:
    """Each indicator at the start, inside and at the end of a scalar, in each context."""
    for char in PUNCTUATION:
        shapes = {
            "start": f"{char}a", "inside": f"a{char}b", "end": f"a{char}",
            "space-before": f"a {char}b", "space-after": f"a{char} b", "alone": char,
            "double": f"a{char}{char}b",
        }
        for shape, text in shapes.items():
            for context, template in CONTEXTS.items():
                source = template.replace("{}", text, 1).replace("{{", "{").replace("}}", "}")
                yield f"indicator/{context}/{shape}/{char}", source.encode()


WHITESPACE = {
    "tab-after-colon": "k:\tv\n",
    "tab-after-colon-space": "k: \tv\n",
    "tab-indent-key": "\tk: v\n",
    "tab-indent-nested": "a:\n\tk: v\n",
    "tab-indent-nested-after-spaces": "a:\n  \tk: v\n",
    "tab-before-dash": "a:\n\t- v\n",
    "tab-after-dash": "a:\n- \tv\n",
    "tab-only-after-dash": "a:\n-\tv\n",
    "tab-in-flow": "k: [\ta,\tb\t]\n",
    "tab-in-flow-map": "k: {\ta:\t1\t}\n",
    "tab-indent-flow-continuation": "k: [a,\n\tb]\n",
    "tab-indent-flow-map-continuation": "k: {a: 1,\n\tb: 2}\n",
    "tab-before-comment": "k: v\t# c\n",
    "tab-trailing": "k: v\t\n",
    "tab-trailing-key": "k\t: v\n",
    "tab-in-plain": "k: a\tb\n",
    "tab-block-literal": "k: |\n\tx\n",
    "tab-block-literal-after-indent": "k: |\n  \tx\n",
    "tab-block-folded-after-indent": "k: >\n  a\n  \tb\n  c\n",
    "tab-blank-line-in-block": "k: |\n  a\n\t\n  b\n",
    "tab-blank-line": "a: 1\n\t\nb: 2\n",
    "tab-line-in-mapping": "a:\n  b: 1\n\t\n  c: 2\n",
    "tab-after-question": "?\ta\n: b\n",
    "tab-after-value-indicator": "? a\n:\tb\n",
    "tab-before-document-end": "a: 1\n...\t\n",
    "tab-after-separator": "---\ta: 1\n",
    "tab-after-separator-alone": "---\t\na: 1\n",
    "tab-in-quoted": 'k: "a\tb"\n',
    "tab-continuation-quoted": 'k: "a\n\tb"\n',
    "tab-continuation-plain": "k: a\n\tb\n",
    "tab-continuation-plain-indented": "k: a\n  \tb\n",
    "tab-anchor": "k: &a\tv\n",
    "tab-tag": "k: !!str\tv\n",
    "tab-seq-in-seq": "- -\ta\n",
    "tab-map-in-seq": "-\ta: 1\n",
    "tab-map-in-seq-second": "- a: 1\n\tb: 2\n",
    "cr-line-ends": "a: 1\rb: 2\r",
    "crlf-line-ends": "a: 1\r\nb: 2\r\n",
    "crlf-block": "k: |\r\n  a\r\n  b\r\n",
    "crlf-separators": "a: 1\r\n---\r\nb: 2\r\n",
    "nel": "k: a\u0085b\n",
    "line-separator": "k: a\u2028b\n",
    "paragraph-separator": "k: a\u2029b\n",
    "nbsp": "k: a\u00a0b\n",
    "nbsp-indent": "a:\n\u00a0 b: 1\n",
    "trailing-spaces": "k: v   \n",
    "no-final-newline": "k: v",
    "only-spaces": "   \n",
    "empty": "",
    "only-comment": "# c\n",
    "zero-width-space": "k: a\u200bb\n",
    "bom-middle": "k: a\ufeffb\n",
    "bom-line-start": "a: 1\n\ufeffb: 2\n",
    "bom-after-separator": "a: 1\n---\n\ufeffb: 2\n",
    "control-bell": "k: a\x07b\n",
    "control-del": "k: a\x7fb\n",
    "control-esc": "k: a\x1bb\n",
    "control-in-quoted": 'k: "a\x07b"\n',
    "c1-control": "k: a\x80b\n",
    "surrogate-escape": 'k: "\\ud83d"\n',
    "surrogate-pair-escape": 'k: "\\ud83d\\ude00"\n',
    "astral": "k: a\U0001F600b\n",
    "noncharacter": "k: a\ufffeb\n",
    "private-use": "k: a\ue000b\n",
}


def whitespace() -> Iterator[Case]:
    for name, text in WHITESPACE.items():
        yield f"whitespace/{name}", text.encode("utf-8", "surrogatepass")


ENCODINGS = {
    "utf8-bom": codecs.BOM_UTF8 + b"a: 1\n",
    "utf8-bom-twice": codecs.BOM_UTF8 * 2 + b"a: 1\n",
    "utf16le-bom": codecs.BOM_UTF16_LE + "a: \u00e9\n".encode("utf-16-le"),
    "utf16be-bom": codecs.BOM_UTF16_BE + "a: \u00e9\n".encode("utf-16-be"),
    "utf16le-no-bom": "a: 1\n".encode("utf-16-le"),
    "utf16be-no-bom": "a: 1\n".encode("utf-16-be"),
    "utf32le-bom": codecs.BOM_UTF32_LE + "a: 1\n".encode("utf-32-le"),
    "utf32be-bom": codecs.BOM_UTF32_BE + "a: 1\n".encode("utf-32-be"),
    "utf32le-no-bom": "a: 1\n".encode("utf-32-le"),
    "latin1": "a: caf\u00e9\n".encode("latin-1"),
    "invalid-utf8-value": b"a: x\xffy\n",
    "invalid-utf8-comment": b"a: 1 # \xff\n",
    "invalid-utf8-second-doc": b"a: 1\n---\nb: \xff\n",
    "overlong-utf8": b"a: \xc0\xafx\n",
    "encoded-surrogate": b"a: \xed\xa0\x80\n",
    "nul-value": b"a: x\x00y\n",
    "nul-end": b"a: 1\n\x00",
    "utf8-bom-json": codecs.BOM_UTF8 + b'{"a": 1}\n',
    "utf16le-bom-json": codecs.BOM_UTF16_LE + '{"a": 1}\n'.encode("utf-16-le"),
}


def encodings() -> Iterator[Case]:
    for name, data in ENCODINGS.items():
        yield f"encoding/{name}", data


DOCUMENTS = {
    "separator-content-flow": "--- {a: 1}\n",
    "separator-content-plain": "--- a\n",
    "separator-content-block": "--- |\n  text\n",
    "separator-content-tag": "--- !foo\na: 1\n",
    "separator-content-anchor": "--- &x\na: 1\n",
    "separator-comment": "--- # c\na: 1\n",
    "separator-no-space": "---a: 1\n",
    "separator-no-space-second": "a: 1\n---b: 2\n",
    "separator-four-dashes": "----\na: 1\n",
    "separator-indented": "a: 1\n ---\nb: 2\n",
    "separator-in-block-scalar": "a: |\n  x\n---\nb: 2\n",
    "separator-like-in-block-scalar": "a: |\n  x\n  ---\n  y\n",
    "separator-like-in-quoted": 'a: "x\n---\ny"\n',
    "separator-like-in-quoted-content": 'a: "x\n---y"\n',
    "separator-like-in-plain": "a: x\n ---y\n",
    "separator-twice": "---\n---\na: 1\n",
    "separator-end": "a: 1\n---\n",
    "separator-end-no-newline": "a: 1\n---",
    "separator-trailing-spaces": "a: 1\n---   \nb: 2\n",
    "separator-crlf": "a: 1\r\n--- \r\nb: 2\r\n",
    "document-end": "a: 1\n...\n",
    "document-end-then-doc": "a: 1\n...\nb: 2\n",
    "document-end-then-separator": "a: 1\n...\n---\nb: 2\n",
    "document-end-then-garbage": "a: 1\n...\n]]]\n",
    "document-end-comment": "a: 1\n... # c\nb: 2\n",
    "document-end-content": "a: 1\n... x\n",
    "document-end-no-space": "a: 1\n...x\n",
    "document-end-only": "...\n",
    "document-end-first": "...\na: 1\n",
    "document-end-twice": "a: 1\n...\n...\nb: 2\n",
    "flow-then-more": "{a: 1}\nb: 2\n",
    "flow-seq-then-more": "[a]\nb: 2\n",
    "scalar-then-mapping": "a\nb: 2\n",
    "directive-yaml11": "%YAML 1.1\n---\na: 1\n",
    "directive-yaml12": "%YAML 1.2\n---\na: 1\n",
    "directive-yaml13": "%YAML 1.3\n---\na: 1\n",
    "directive-yaml20": "%YAML 2.0\n---\na: 1\n",
    "directive-yaml-twice": "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "directive-tag": "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "directive-reserved": "%FOO bar\n---\na: 1\n",
    "directive-without-document": "%YAML 1.1\n",
    "directive-second-document": "a: 1\n---\n%YAML 1.1\n---\nb: 2\n",
    "directive-after-end": "a: 1\n...\n%YAML 1.1\n---\nb: 2\n",
    "directive-no-separator": "%YAML 1.1\na: 1\n",
    "percent-plain": "a: 1\n%b: 2\n",
    "separator-then-directive-like": "---\n%a\n",
    "empty-documents": "---\n---\n---\n",
    "null-document": "---\nnull\n---\na: 1\n",
    "tilde-document": "~\n",
    "comment-documents": "# a\n---\n# b\n---\na: 1\n",
    "scalar-document": "hello\n",
    "number-document": "42\n",
    "list-document": "- a\n- b\n",
    "error-then-valid": "a: [\n---\nb: 2\n",
    "valid-then-error": "a: 1\n---\nb: [\n",
    "error-middle": "a: 1\n---\nb: ]\n---\nc: 3\n",
    "error-before-end-marker": "a: ]\n...\nb: 2\n",
    "bom-then-separator": "\ufeff---\na: 1\n",
    "separator-bom-content": "---\n\ufeffa: 1\n",
}


def documents() -> Iterator[Case]:
    for name, text in DOCUMENTS.items():
        yield f"document/{name}", text.encode()


ALIASES = {
    "simple": "a: &x 1\nb: *x\n",
    "undefined": "a: *x\n",
    "defined-later": "a: *x\nb: &x 1\n",
    "redefined": "a: &x 1\nb: &x 2\nc: *x\n",
    "anchor-colon": "a: &x:y 1\nb: *x:y\n",
    "anchor-comma": "a: [&x,y 1, *x,y]\n",
    "anchor-brackets": "a: &x] 1\n",
    "anchor-unicode": "a: &\u00e9 1\nb: *\u00e9\n",
    "alias-key": "a: &k key\n*k : v\n",
    "alias-key-no-space": "a: &k key\n*k: v\n",
    "alias-with-tag": "a: &x 1\nb: !!str *x\n",
    "alias-with-anchor": "a: &x 1\nb: &y *x\n",
    "anchor-empty-value": "a: &x\nb: *x\n",
    "anchor-mapping": "a: &x {p: 1}\nb: *x\n",
    "recursive": "a: &x [*x]\n",
    "recursive-map": "a: &x\n  b: *x\n",
    "alias-other-document": "a: &x 1\n---\nb: *x\n",
    "merge-basic": "base: &b {p: 1, q: 2}\nx:\n  <<: *b\n  q: 3\n",
    "merge-explicit-before": "base: &b {p: 1, q: 2}\nx:\n  q: 3\n  <<: *b\n",
    "merge-list": "b1: &b1 {p: 1}\nb2: &b2 {p: 2, q: 2}\nx:\n  <<: [*b1, *b2]\n",
    "merge-list-explicit-before": "b1: &b1 {p: 1}\nb2: &b2 {p: 2, q: 2}\n"
                                  "x:\n  q: 3\n  <<: [*b1, *b2]\n",
    "merge-inline": "x:\n  <<: {p: 1}\n  q: 2\n",
    "merge-scalar": "x:\n  <<: 1\n",
    "merge-scalar-alias": "s: &s 1\nx:\n  <<: *s\n",
    "merge-list-scalar": "x:\n  <<: [1]\n",
    "merge-null": "x:\n  <<:\n  q: 1\n",
    "merge-empty-map": "x:\n  <<: {}\n",
    "merge-empty-list": "x:\n  <<: []\n",
    "merge-quoted": "x:\n  '<<': {p: 1}\n",
    "merge-tagged": "x:\n  !!merge <<: {p: 1}\n",
    "merge-str-tagged": "x:\n  !!str <<: {p: 1}\n",
    "merge-twice": "x:\n  <<: {p: 1}\n  <<: {p: 2, q: 2}\n",
    "merge-nested": "a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nx:\n  <<: *b\n",
    "merge-in-seq": "- <<: {p: 1}\n  q: 2\n",
    "merge-top": "<<: {p: 1}\n",
    "merge-list-of-lists": "x:\n  <<: [[{p: 1}]]\n",
    "merge-seq-alias": "l: &l [{p: 1}]\nx:\n  <<: *l\n",
    "merge-flow": "x: {<<: {p: 1}, p: 2}\n",
    "merge-flow-after": "x: {p: 2, <<: {p: 1}}\n",
    "merge-key-int": "x:\n  <<: {1: a}\n  1: b\n",
    "duplicate-anchor-names": "a: &x {p: 1}\nb: &x {q: 1}\nc: *x\n",
    "billion-laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
                      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                      "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
}


def aliases() -> Iterator[Case]:
    for name, text in ALIASES.items():
        yield f"alias/{name}", text.encode()


ESCAPES = ["0", "a", "b", "t", "\t", "n", "v", "f", "r", "e", " ", '"', "/", "\\", "N", "_",
           "L", "P", "x41", "xZZ", "x4", "u0041", "u004", "U00000041", "U0010FFFF", "U00110000",
           "ud83d", "udc00", "ud83d\\ude00", "z", "'", "\n", "\r\n", "1", "c", "%", "u00e9",
           "x00", "u0000", "uFFFE", "uFEFF"]

QUOTED = {
    "single-doubled": "k: 'a''b'\n",
    "single-backslash": "k: 'a\\nb'\n",
    "single-multiline": "k: 'a\n  b\n\n  c'\n",
    "double-multiline": 'k: "a\n  b\n\n  c"\n',
    "double-escaped-break": 'k: "a\\\n  b"\n',
    "double-trailing-spaces-break": 'k: "a   \n  b"\n',
    "quoted-then-text": "k: 'a' b\n",
    "double-then-text": 'k: "a" b\n',
    "quoted-key-adjacent-colon": 'k: {"a":1}\n',
    "single-key-adjacent-colon": "k: {'a':1}\n",
    "plain-key-adjacent-colon": "k: {a:1}\n",
    "json-like-seq": 'k: ["a":1]\n',
    "block-key-adjacent": '"a":1\n',
    "quoted-multiline-key": '"a\n b": 1\n',
    "quoted-unterminated": "k: 'a\n",
    "quoted-less-indented": "k:\n  x: \"a\nb\"\n",
    "quoted-document-marker": "k: \"a\n---\nb\"\n",
    "quoted-document-end": "k: \"a\n...\nb\"\n",
    "empty-double": 'k: ""\n',
    "empty-single": "k: ''\n",
    "quoted-comment-adjacent": 'k: "a"#c\n',
}


def quoting() -> Iterator[Case]:
    for escape in ESCAPES:
        yield f"escape/{escape!r}", f'k: "a\\{escape}b"\n'.encode()
    for name, text in QUOTED.items():
        yield f"quoted/{name}", text.encode()


BLOCKS = {
    "literal": "k: |\n  a\n  b\n",
    "literal-strip": "k: |-\n  a\n",
    "literal-keep": "k: |+\n  a\n\n\n",
    "literal-indent": "k: |2\n   a\n  b\n",
    "literal-indent-strip": "k: |2-\n   a\n",
    "literal-strip-indent": "k: |-2\n   a\n",
    "literal-indent-zero": "k: |0\n  a\n",
    "literal-indent-ten": "k: |10\n          a\n",
    "literal-indent-too-small": "k: |1\n  a\n",
    "literal-bad-header": "k: |x\n  a\n",
    "literal-comment-header": "k: | # c\n  a\n",
    "literal-comment-header-no-space": "k: |# c\n  a\n",
    "literal-leading-blank-more-indented": "k: |\n    \n  a\n",
    "literal-leading-blank-lines": "k: |\n\n\n  a\n",
    "literal-more-indented-first": "k: |\n    a\n  b\n",
    "literal-empty": "k: |\nl: 1\n",
    "literal-empty-eof": "k: |",
    "literal-top": "|\n a\n",
    "literal-top-zero-indent": "--- |\na\n",
    "literal-less-indented": "a:\n  k: |\n   x\n  y\n",
    "folded": "k: >\n  a\n  b\n\n  c\n",
    "folded-more-indented": "k: >\n  a\n    b\n  c\n",
    "folded-strip": "k: >-\n  a\n  b\n",
    "folded-keep": "k: >+\n  a\n\n",
    "literal-as-key": "? |\n  a\n: b\n",
    "literal-in-seq": "- |\n  a\n- b\n",
    "literal-in-flow": "k: [|\n  a\n]\n",
    "literal-hash-content": "k: |\n  # not a comment\n",
    "literal-anchor": "k: &a |\n  x\nl: *a\n",
    "literal-tag": "k: !!str |\n  x\n",
    "literal-int-tag": "k: !!int |\n  12\n",
    "literal-trailing-spaces-in-header": "k: |  \n  a\n",
    "literal-indent-indicator-then-less": "k: |4\n  a\n",
    "literal-crlf": "k: |\r\n  a\r\n\r\n",
}


def blocks() -> Iterator[Case]:
    for name, text in BLOCKS.items():
        yield f"block/{name}", text.encode()


STRUCTURE = {
    "comment-no-space": "k: a#b\n",
    "comment-after-space": "k: a #b\n",
    "comment-flow-no-space": "k: [a#b]\n",
    "comment-flow-space": "k: [a #b\n]\n",
    "comment-after-colon": "k:# c\n",
    "comment-after-colon-space": "k: # c\n  v\n",
    "comment-between-key-value": "k:\n  # c\n  v\n",
    "comment-in-flow-lines": "k: [a, # c\n  b]\n",
    "comment-after-flow-end": "k: [a]# c\n",
    "comment-after-quoted": "k: 'a' # c\n",
    "zero-indented-seq": "a:\n- b\n- c\n",
    "bad-dedent-seq": "a:\n  - b\n - c\n",
    "indented-first-key": " a: 1\nb: 2\n",
    "indented-all": "  a: 1\n  b: 2\n",
    "indented-first-line-only": "   a: 1\n",
    "seq-of-seq": "- - a\n  - b\n",
    "map-in-seq": "- a: 1\n  b: 2\n",
    "map-in-seq-misaligned": "- a: 1\n   b: 2\n",
    "explicit-key": "? a\n: b\n",
    "explicit-key-no-value": "? a\n",
    "explicit-key-complex": "? [a, b]\n: c\n",
    "explicit-key-map": "? {a: 1}\n: c\n",
    "flow-seq-key": "[a, b]: c\n",
    "flow-map-key": "{a: 1}: c\n",
    "empty-key": ": v\n",
    "empty-key-flow": "k: {: v}\n",
    "empty-value-flow": "k: {a: , b}\n",
    "flow-single-pair": "k: [a: b]\n",
    "flow-single-pair-quoted": 'k: ["a": b]\n',
    "flow-explicit-key": "k: [? a : b]\n",
    "flow-trailing-comma": "k: [a, b, ]\n",
    "flow-double-comma": "k: [a, , b]\n",
    "flow-leading-comma": "k: [, a]\n",
    "flow-map-trailing-comma": "k: {a: 1, }\n",
    "flow-multiline": "k: [a,\n  b]\n",
    "flow-multiline-less-indented": "k:\n  l: [a,\nb]\n",
    "flow-multiline-zero-indent": "k: [\na\n]\n",
    "flow-map-multiline-zero": "k: {\na: 1\n}\n",
    "flow-plain-multiline": "k: [a\n  b]\n",
    "flow-key-multiline": "k: {a\n  b: 1}\n",
    "flow-unclosed": "k: [a\n",
    "flow-extra-close": "k: [a]]\n",
    "flow-colon-space-value": "k: [a: ]\n",
    "flow-colon-url": "k: [http://a:1/]\n",
    "flow-map-url-key": "k: {http://a: 1}\n",
    "flow-map-url-value": "k: {a: http://b:1/}\n",
    "flow-question-inside": "k: [a?b]\n",
    "flow-question-start": "k: [?a]\n",
    "flow-question-space": "k: [? a]\n",
    "flow-colon-start": "k: [:a]\n",
    "flow-dash-start": "k: [-a]\n",
    "flow-dash-alone": "k: [-]\n",
    "flow-dash-space": "k: [- a]\n",
    "flow-anchor-colon": "k: [&a: b]\n",
    "flow-after-key-space": "k : v\n",
    "block-value-on-next-line-less": "a:\n  b:\n c: 1\n",
    "mapping-value-after-scalar": "a: b: c\n",
    "mapping-in-seq-value": "- a: b: c\n",
    "seq-after-key-same-line": "a: - b\n",
    "key-spanning-lines": "a\nb: 1\n",
    "long-key-1024": "k" * 1024 + ": v\n",
    "long-key-1025": "k" * 1025 + ": v\n",
    "long-key-flow-1100": "{" + '"' + "k" * 1100 + '"' + ": v}\n",
    "long-key-json-1100": '{"' + "k" * 1100 + '": "v"}\n',
    "long-quoted-key-1100": '"' + "k" * 1100 + '": v\n',
    "deep-block": "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n",
    "deep-flow": "k: " + "[" * 200 + "]" * 200 + "\n",
    "deep-flow-600": "k: " + "[" * 600 + "]" * 600 + "\n",
    "deep-flow-11000": "k: " + "[" * 11000 + "]" * 11000 + "\n",
    "reserved-at": "k: @a\n",
    "reserved-backtick": "k: `a\n",
    "percent-value": "k: %a\n",
    "bang-alone": "k: !\n",
    "ampersand-alone": "k: &\n",
    "star-alone": "k: *\n",
    "tag-uri-escape": "k: !<tag:a%21b> v\n",
    "tag-handle-undefined": "k: !x!y v\n",
    "tag-verbatim-empty": "k: !<> v\n",
    "tag-on-mapping": "k: !!map {a: 1}\n",
    "tag-str-on-mapping": "k: !!str {a: 1}\n",
    "tag-int-on-seq": "k: !!int [1]\n",
    "tag-seq-on-scalar": "k: !!seq a\n",
    "tag-map-on-scalar": "k: !!map a\n",
    "tag-flow-char": "k: [!a,b c]\n",
    "set": "k: !!set {a, b}\n",
    "omap": "k: !!omap [a: 1, b: 2]\n",
    "dup-key": "a: 1\na: 2\n",
    "dup-key-int-str": "1: a\n'1': b\n",
    "dup-key-bool": "yes: a\ntrue: b\n",
    "dup-key-null": "~: a\nnull: b\n",
    "dup-key-flow": "k: {a: 1, a: 2}\n",
    "key-int": "1: a\n",
    "key-octal": "010: a\n",
    "key-hex": "0x10: a\n",
    "key-float": "1.5: a\n",
    "key-float-precision": "0.1234567891: a\n",
    "key-float-exp": "1e3: a\n",
    "key-float-big": "1e30: a\n",
    "key-inf": ".inf: a\n",
    "key-nan": ".nan: a\n",
    "key-bool": "yes: a\n",
    "key-bool-off": "off: a\n",
    "key-null": "~: a\n",
    "key-empty": ": a\n",
    "key-uint64": "18446744073709551615: a\n",
    "key-big": "1" + "0" * 30 + ": a\n",
    "key-timestamp": "2001-12-14: a\n",
    "key-binary": "!!binary aGk=: a\n",
    "key-seq": "? [a]\n: b\n",
    "key-map": "? {a: 1}\n: b\n",
    "key-negative-zero": "-0: a\n",
    "key-float-int": "1.0: a\n",
    "value-inf": "k: .inf\n",
    "value-nan": "k: .nan\n",
    "value-neg-inf": "k: -.inf\n",
    "value-binary-invalid": "k: !!binary '#'\n",
    "value-binary-non-utf8": "k: !!binary /w==\n",
    "value-binary-multiline": "k: !!binary |\n  aGVs\n  bG8=\n",
    "value-int-tag-invalid": "k: !!int abc\n",
    "value-float-tag-int": "k: !!float 1\n",
    "value-bool-tag-int": "k: !!bool 1\n",
    "value-null-tag-text": "k: !!null abc\n",
    "value-int-tag-quoted": "k: !!int '12'\n",
    "value-str-tag-int": "k: !!str 12\n",
    "value-timestamp-tag-text": "k: !!timestamp abc\n",
    "value-non-specific-int": "k: ! 12\n",
    "value-non-specific-quoted": "k: ! '12'\n",
}


def structure() -> Iterator[Case]:
    for name, text in STRUCTURE.items():
        yield f"structure/{name}", text.encode()


JSONS = {
    "object": '{"a": 1, "b": [true, null, 1.5, "x"]}\n',
    "stream-newlines": '{"a": 1}\n{"b": 2}\n',
    "stream-adjacent": '{"a": 1}{"b": 2}',
    "stream-three": '{"a": 1}\n{"b": 2}\n{"c": 3}\n',
    "then-separator-yaml": '{"a": 1}\n---\nb: 2\n',
    "then-yaml": '{"a": 1}\nb: 2\n',
    "two-then-yaml": '{"a": 1}\n{"b": 2}\nc: 3\n',
    "leading-spaces": '   \n  {"a": 1}\n',
    "escaped-slash": '{"a": "x\\/y"}\n',
    "surrogate-pair": '{"a": "\\ud83d\\ude00"}\n',
    "lone-surrogate": '{"a": "\\ud83d"}\n',
    "big-int": '{"a": 18446744073709551616}\n',
    "huge-float": '{"a": 1e400}\n',
    "negative-zero": '{"a": -0}\n',
    "float-exp": '{"a": 1E3}\n',
    "duplicate": '{"a": 1, "a": 2}\n',
    "tabs": '{\n\t"a": 1,\n\t"b": {\n\t\t"c": 2\n\t}\n}\n',
    "trailing-comma": '{"a": 1,}\n',
    "single-quotes": "{'a': 1}\n",
    "unquoted-key": "{a: 1}\n",
    "array-top": '[{"a": 1}]\n',
    "null-top": "null\n",
    "control-in-string": '{"a": "x\ty"}\n',
    "unicode-escape": '{"a": "\\u00e9"}\n',
    "nul-escape": '{"a": "\\u0000"}\n',
    "long-line": '{"a": "' + "x" * 5000 + '"}\n',
    "late-brace": " " * 5000 + '{"a": 1}\n',
    "comment-first": '# c\n{"a": 1}\n',
    "yes-value": '{"a": yes}\n',
    "deep": '{"a": ' + "[" * 100 + "]" * 100 + "}\n",
    "error-inside": '{"a": [1, 2}\n',
    "error-second": '{"a": 1}\n{"b": }\n',
}


def jsons() -> Iterator[Case]:
    for name, text in JSONS.items():
        yield f"json/{name}", text.encode()


def everything() -> Iterator[Case]:
    for generator in (scalars, indicators, whitespace, encodings, documents, aliases,
                      quoting, blocks, structure, jsons):
        yield from generator()
