"""Scalar resolution: YAML 1.1 as go-yaml v2 (kubectl, the API server) reads it."""
from __future__ import annotations

import math

import pytest

from kprobelint.load import load_text
from kprobelint.scalars import ScalarError, key_text, resolve_plain, resolve_tagged

TAG = "tag:yaml.org,2002:"


def value_of(text: str, manifest: bool = True):
    """The value of ``v`` in a one-key document, through the whole loader."""
    loaded = load_text("t.yaml", f"v: {text}\n", manifest=manifest)
    assert loaded.problems == [], loaded.problems
    return loaded.documents[0].data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # booleans: YAML 1.1 words, as go-yaml v2 lists them (including y/n)
        ("yes", True), ("Yes", True), ("YES", True), ("no", False), ("No", False),
        ("NO", False), ("on", True), ("On", True), ("ON", True), ("off", False),
        ("Off", False), ("OFF", False), ("y", True), ("Y", True), ("n", False),
        ("N", False), ("true", True), ("True", True), ("TRUE", True), ("false", False),
        ("False", False), ("FALSE", False),
        # null
        ("~", None), ("null", None), ("Null", None), ("NULL", None),
        # integers: strconv.ParseInt(s, 0, 64) after removing underscores
        ("0644", 420), ("0755", 493), ("0", 0), ("-0", 0), ("00", 0), ("0x1F", 31),
        ("0X1f", 31), ("-0x1F", -31), ("0b101", 5), ("0B101", 5), ("0o17", 15),
        ("0O17", 15), ("1_000", 1000), ("+12", 12), ("-3", -3), ("-012", -10),
        ("8080", 8080), ("18446744073709551615", 2**64 - 1),
        ("-9223372036854775808", -(2**63)),
        # floats
        ("08", 8.0), ("09", 9.0), ("0779", 779.0), ("1e3", 1000.0), ("1E3", 1000.0),
        ("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("-1.5e-3", -0.0015), ("1_000.5", 1000.5),
        (".inf", math.inf), (".Inf", math.inf), ("+.inf", math.inf), ("-.inf", -math.inf),
        ("-.INF", -math.inf),
        # beyond 64 bits go-yaml falls back to ParseFloat (decimal digits, even with a 0)
        ("18446744073709551616", float(2**64)), ("-9223372036854775809", -(2.0**63)),
        ("99999999999999999999999", 1e23), ("07777777777777777777777", 7.777777777777777e21),
        # strings
        ("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"),  # huge hex: ParseFloat refuses
        ("0x", "0x"), ("0b2", "0b2"), ("1e", "1e"), ("1.2.3", "1.2.3"), ("-", "-"),
        ("+", "+"), (".", "."), ("..", ".."), ("1:30", "1:30"), ("12abc", "12abc"),
        ("yess", "yess"), ("nil", "nil"), ("none", "none"), ("None", "None"),
        ("2001-12-14", "2001-12-14"),  # timestamps stay strings, as go-yaml gives them
        ("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"),
        ("=", "="), ("<<x", "<<x"), ("_1", "_1"), ("latest", "latest"),
        ("nginx:1.25", "nginx:1.25"),
    ],
)
def test_plain_scalars(text, expected):
    got = resolve_plain(text)
    assert got == expected
    assert type(got) is type(expected)
    if text != "-":  # `v: -` is a block sequence entry, not a scalar
        # the loader agrees with the resolver (a configuration file keeps infinities)
        assert value_of(text, manifest=not isinstance(expected, float)
                        or math.isfinite(expected)) == expected


def test_nan():
    assert math.isnan(resolve_plain(".nan"))
    assert math.isnan(resolve_plain(".NaN"))
    assert math.isnan(value_of(".NAN", manifest=False))


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_manifests_refuse_what_json_cannot_carry(text):
    # kubectl writes each document as JSON (encoding/json): "json: unsupported value: NaN".
    loaded = load_text("t.yaml", f"a: 1\nv: [1, {text}]\n")
    assert loaded.documents == []
    [problem] = loaded.problems
    assert problem.rule == "parse-error"
    assert (problem.span.line, problem.span.column) == (2, 8)
    assert "JSON cannot carry" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [(".5_0", 0.5), ("._5", "._5"), (".5e3", 500.0), (".5e400", ".5e400"), ("._", "._"),
     ("+18446744073709551615", float(2**64 - 1)), ("-0x8000000000000000", -(2**63)),
     ("-0x8000000000000001", "-0x8000000000000001")],
)
def test_go_number_syntax(text, expected):
    # A '.'-first scalar goes to ParseFloat as written; ParseUint takes no sign.
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


def test_empty_value_is_null():
    loaded = load_text("t.yaml", "a:\nb: ''\nc: \"\"\nd: ~\n")
    assert loaded.documents[0].data == {"a": None, "b": "", "c": "", "d": None}


@pytest.mark.parametrize(
    "text",
    ["'yes'", '"yes"', "'0644'", '"1e3"', "'true'", "'~'", "'null'", '"08"', "'0x1F'", "''"],
)
def test_quoted_values_stay_strings(text):
    got = value_of(text)
    assert isinstance(got, str)
    assert got == text[1:-1]


def test_block_scalars_stay_strings():
    loaded = load_text("t.yaml", "a: |\n  0644\nb: >-\n  yes\n")
    assert loaded.documents[0].data == {"a": "0644\n", "b": "yes"}


def test_explicit_tags():
    data = load_text(
        "t.yaml",
        "\n".join(
            [
                "a: !!str 1",
                'b: !!int "3"',
                "c: !!str yes",
                'd: !!bool "yes"',
                "e: !!float 1",
                'f: !!null ""',
                "g: !!timestamp 2001-12-14",
                "h: !!binary aGk=",
                "i: !!str 0644",
                "j: !!int 0644",
                "",
            ]
        ),
    ).documents[0].data
    assert data == {
        "a": "1", "b": 3, "c": "yes", "d": True, "e": 1.0, "f": None,
        "g": "2001-12-14", "h": "hi", "i": "0644", "j": 420,
    }
    assert type(data["e"]) is float


def test_resolve_tagged_directly():
    assert resolve_tagged(TAG + "str", "1") == "1"
    assert resolve_tagged(TAG + "int", "3") == 3
    assert resolve_tagged(TAG + "int", "0x10") == 16
    assert resolve_tagged(TAG + "float", "2") == 2.0
    assert resolve_tagged(TAG + "bool", "off") is False
    assert resolve_tagged(TAG + "null", "") is None
    assert resolve_tagged(TAG + "timestamp", "2001-12-14t21:59:43.10-05:00") == \
        "2001-12-14t21:59:43.10-05:00"
    assert resolve_tagged(TAG + "binary", "aGVs\nbG8=") == "hello"


@pytest.mark.parametrize(
    ("tag", "text", "message"),
    [("bool", "maybe", "cannot decode !!str `maybe` as a !!bool"),
     ("bool", "1", "cannot decode !!int `1` as a !!bool"),
     ("int", "1.5", "cannot decode !!float `1.5` as a !!int"),
     ("null", "x", "cannot decode !!str `x` as a !!null"),
     ("timestamp", "2001-02-29", "cannot decode !!str `2001-02-29` as a !!timestamp"),
     ("float", "1e400", "cannot decode !!str `1e400` as a !!float"),
     ("binary", "not base64!", "!!binary value contains invalid base64 data"),
     ("binary", "aGk", "!!binary value contains invalid base64 data")],
)
def test_tags_go_yaml_refuses(tag, text, message):
    with pytest.raises(ScalarError, match=message.replace("!", "!")):
        resolve_tagged(TAG + tag, text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a", "a"), (True, "true"), (False, "false"), (420, "420"), (-(2**63), str(-(2**63))),
     (1.5, "1.5"), (1.0, "1"), (1000.0, "1000"), (685230.15, "685230.1"), (-0.0, "-0"),
     (0.1234567891, "0.12345679"), (1e6, "1e+06"), (1e-5, "1e-05"), (0.0001, "0.0001"),
     (1e39, ".inf"), (-1e39, "-.inf"), (1e-50, "0"), (math.nan, ".nan"), (math.inf, ".inf")],
)
def test_keys_as_sigs_yaml_writes_them(value, expected):
    # Float keys: strconv.FormatFloat(f, 'g', -1, 32), checked against go-yaml (tests/goyaml).
    assert key_text(value) == expected


@pytest.mark.parametrize("value", [None, 2**63, 2**64 - 1])
def test_keys_json_cannot_have(value):
    with pytest.raises(ScalarError):
        key_text(value)


@pytest.mark.parametrize(
    "tag",
    [TAG + "python/object:os.system", TAG + "python/name:os.system", "!Ref", "!custom"],
)
def test_unknown_tags_keep_the_text(tag):
    # go-yaml returns the text of an unresolvable tag as a string; nothing is constructed.
    assert resolve_tagged(tag, "12") == "12"
    assert resolve_tagged(tag, "yes") == "yes"
    assert resolve_tagged(tag, "echo pwned") == "echo pwned"


def test_unknown_tags_in_documents():
    loaded = load_text(
        "t.yaml",
        "a: !!python/object:os.system 12\nb: !Ref yes\nc: !!python/name:os.system\n",
    )
    assert loaded.problems == []
    assert loaded.documents[0].data == {"a": "12", "b": "yes", "c": ""}


def test_keys_are_always_strings():
    loaded = load_text("t.yaml", "yes: 1\n0644: 2\n'~': 3\n1.5: 4\nfalse: 5\n'on': 6\n1e3: 7\n")
    assert loaded.documents[0].data == {
        "true": 1, "420": 2, "~": 3, "1.5": 4, "false": 5, "on": 6, "1000": 7,
    }
    assert all(isinstance(k, str) for k in loaded.documents[0].data)


def test_kubernetes_fields_resolve_like_kubectl():
    text = (
        "spec:\n"
        "  securityContext:\n"
        "    runAsNonRoot: yes\n"
        "  volumes:\n"
        "  - name: v\n"
        "    secret:\n"
        "      defaultMode: 0644\n"
        "  containers:\n"
        "  - name: c\n"
        "    tty: on\n"
        "    ports:\n"
        "    - containerPort: 0x1F90\n"
    )
    spec = load_text("t.yaml", text).documents[0].data["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["volumes"][0]["secret"]["defaultMode"] == 420
    assert spec["containers"][0]["tty"] is True
    assert spec["containers"][0]["ports"][0]["containerPort"] == 8080


def test_scalar_source_says_how_a_value_was_written():
    from kprobelint.load import scalar_source  # noqa: PLC0415

    text = ("env:\n- {name: DEBUG, value: yes}\n- {name: MODE, value: \"0644\"}\n"
            "- name: X\n  value: !!str on\n  block: |\n    0644\n")
    data = load_text("t.yaml", text).documents[0].data
    assert data["env"][0]["value"] is True
    yes = scalar_source(data, ("env", 0, "value"))
    assert (yes.text, yes.style, yes.tag, yes.plain) == ("yes", "plain", None, True)
    assert (yes.span.line, yes.span.column, yes.span.end_column) == (2, 24, 27)
    quoted = scalar_source(data, ("env", 1, "value"))
    assert (quoted.text, quoted.style, quoted.plain) == ("0644", "double-quoted", False)
    tagged = scalar_source(data, ("env", 2, "value"))
    assert (tagged.tag, tagged.plain) == (TAG + "str", False)
    assert scalar_source(data, ("env", 2, "block")).style == "literal"
    assert scalar_source(data, ("env", 0, "value"), on_key=True).text == "value"
    assert scalar_source(data, ("env", 0)) is None  # a mapping
    assert scalar_source(data, ("nope",)) is None
