"""kprobelint.imageref against k8s-semantics.md: section 5 (grammar) and section 3 (defaults)."""

from __future__ import annotations

import re

import pytest

from kprobelint.imageref import (
    ImageRef,
    ImageRefError,
    default_pull_policy,
    effective_tag,
    parse_image,
)
from kprobelint.records import FrozenInstanceError

HEX64 = "0123456789abcdef" * 4
HEX96 = "0123456789abcdef" * 6
HEX128 = "0123456789abcdef" * 8
SHA = f"sha256:{HEX64}"

# (reference, domain, path, tag, digest)
VALID = [
    # Section 5.1 examples.
    ("nginx", "docker.io", "library/nginx", None, None),
    ("nginx:1.25", "docker.io", "library/nginx", "1.25", None),
    ("library/nginx", "docker.io", "library/nginx", None, None),
    ("localhost:5000/app", "localhost:5000", "app", None, None),
    (
        "registry.example.com:443/team/app:v1.2_3",
        "registry.example.com:443",
        "team/app",
        "v1.2_3",
        None,
    ),
    ("a__b/c--d", "docker.io", "a__b/c--d", None, None),
    ("[::1]:5000/app", "[::1]:5000", "app", None, None),
    # Section 3 examples.
    ("nginx:latest", "docker.io", "library/nginx", "latest", None),
    (f"nginx@{SHA}", "docker.io", "library/nginx", None, SHA),
    (f"nginx:latest@{SHA}", "docker.io", "library/nginx", "latest", SHA),
    ("myapp:5000", "docker.io", "library/myapp", "5000", None),
    # Domain detection and normalization.
    ("localhost/app", "localhost", "app", None, None),
    ("localhost:5000", "docker.io", "library/localhost", "5000", None),  # no "/": a tag, not a port
    ("Foo/bar", "Foo", "bar", None, None),  # uppercase first component is a registry
    ("FOO.example.com/team/app", "FOO.example.com", "team/app", None, None),
    ("index.docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("index.docker.io/team/app", "docker.io", "team/app", None, None),
    ("docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("docker.io/library/nginx:1", "docker.io", "library/nginx", "1", None),
    ("quay.io/nginx", "quay.io", "nginx", None, None),  # "library/" is only added on Docker Hub
    ("team/app", "docker.io", "team/app", None, None),
    ("gcr.io/project/sub/app:tag", "gcr.io", "project/sub/app", "tag", None),
    ("127.0.0.1:5000/app", "127.0.0.1:5000", "app", None, None),
    ("my-registry:5000/app", "my-registry:5000", "app", None, None),
    ("[::1]/app", "[::1]", "app", None, None),
    ("[2001:DB8::1]:443/team/app:1", "[2001:DB8::1]:443", "team/app", "1", None),
    # Upstream quirk: "a_b.c" looks like a domain, is not a valid one, but is a valid path part.
    ("a_b.c/app", "", "a_b.c/app", None, None),
    # Only a bare 64-hex string is refused as an image ID.
    (f"docker.io/{HEX64}", "docker.io", f"library/{HEX64}", None, None),
    # Path component separators.
    ("a.b_c__d-e---f", "docker.io", "library/a.b_c__d-e---f", None, None),
    ("0/1", "docker.io", "0/1", None, None),
    # Tags: \w is ASCII, upper case allowed, 128 characters maximum.
    ("app:_x", "docker.io", "library/app", "_x", None),
    ("app:V1.0-RC_2", "docker.io", "library/app", "V1.0-RC_2", None),
    ("app:" + "t" * 128, "docker.io", "library/app", "t" * 128, None),
    # Digests.
    (f"app@sha384:{HEX96}", "docker.io", "library/app", None, f"sha384:{HEX96}"),
    (f"app@sha512:{HEX128}", "docker.io", "library/app", None, f"sha512:{HEX128}"),
    (f"localhost:5000/app:v1@{SHA}", "localhost:5000", "app", "v1", SHA),
    # Path length limit is 255, the domain not counted; the implied "library/" is counted.
    ("team/" + "a" * 250, "docker.io", "team/" + "a" * 250, None, None),
    ("a" * 247, "docker.io", "library/" + "a" * 247, None, None),
    ("r.example.com/team/" + "a" * 250, "r.example.com", "team/" + "a" * 250, None, None),
]


@pytest.mark.parametrize(("ref", "domain", "path", "tag", "digest"), VALID)
def test_valid_references(
    ref: str, domain: str, path: str, tag: str | None, digest: str | None
) -> None:
    assert parse_image(ref) == ImageRef(domain=domain, path=path, tag=tag, digest=digest)


# (reference, fragment the error message must contain)
INVALID = [
    # Section 5.1 examples.
    ("Nginx", 'repository name must be lowercase: "Nginx"'),
    ("app:-bad", 'tag "-bad" must start with a letter, digit or underscore'),
    ("app:.bad", 'tag ".bad" must start with a letter, digit or underscore'),
    ("a___b", 'invalid separator "___"'),
    ("app/", 'trailing "/"'),
    ("a..b", 'invalid separator ".."'),
    ("app:" + "t" * 129, "tag is 129 characters long; the maximum is 128"),
    # Normalization rules.
    (HEX64, "64-character hexadecimal string is an image ID"),
    ("docker.io/Nginx", 'repository name must be lowercase: "Nginx"'),
    ("team/App:1", 'repository name must be lowercase: "team/App"'),
    ("Foo/Bar", 'repository name must be lowercase: "Bar"'),
    ("team/" + "a" * 251, "repository path is 256 characters long; the maximum is 255"),
    ("a" * 248, 'repository path is 256 characters long (including the implied "library/" prefix)'),
    # Empty parts and stray separators.
    ("", "empty image reference"),
    ("nginx:", 'trailing ":"'),
    ("nginx@", 'trailing "@"'),
    (f"nginx:@{SHA}", 'empty tag before "@"'),
    (":tag", 'missing repository name before ":"'),
    (f"@{SHA}", 'missing repository name before "@"'),
    ("/app", 'starts with "/"'),
    ("a//b", 'empty path component ("//")'),
    ("localhost/", 'repository name is missing after registry "localhost"'),
    ("registry.example.com/:v1", 'repository name is missing after registry "registry.example'),
    ("-app", 'path component "-app" must start and end with a lowercase letter or digit'),
    ("team/app_", 'path component "app_" must start and end with a lowercase letter or digit'),
    ("team/a._b", 'invalid separator "._" at character 7'),
    # Whitespace is never stripped.
    (" nginx", "leading or trailing whitespace"),
    ("nginx ", "leading or trailing whitespace"),
    ("nginx\n", "leading or trailing whitespace"),  # Python's "$" would accept this; Go's does not
    ("ngi nx", "whitespace at character 4"),
    # Invalid characters, with ASCII-only classes.
    ("app!", 'invalid character "!" in repository name at character 4'),
    ("ünicode", 'invalid character "ü" in repository name at character 1'),
    ("app:v1!x", 'invalid character "!" in tag "v1!x" at character 7'),
    ("app:v\u0663", 'invalid character "\u0663" in tag'),  # Arabic-Indic digit: \w in Python only
    ("nginx:1.0:2", 'invalid character ":" in tag "1.0:2"'),
    # Registry part.
    ("[::1:5000/app", 'is missing its closing "]"'),
    ("[::g]:5000/app", 'IPv6 registry address "[::g]" may contain only hex digits'),
    ("localhost:port/app", 'registry port "port" in "localhost:port" must be a number'),
    ("registry.example.com:/app", 'registry port "" in "registry.example.com:" must be a number'),
    ("[::1]:/app", 'registry port "" in "[::1]:" must be a number'),
    (":5000/app", 'registry ":5000" has an empty host name'),
    ("-registry.com/app", 'label "-registry" of registry host "-registry.com" must start and end'),
    ("x..com/app", 'registry host "x..com" has an empty label'),
    ("reg_istry.com:5000/app", 'invalid character "_" in registry host "reg_istry.com" at char'),
    ("reg_istry.com:5000/app", "at character 4"),
    ("Foo_bar/app", 'invalid character "_" in registry host "Foo_bar"'),
    # Digests: go-digest accepts only sha256/384/512 with exact lowercase hex.
    ("nginx@md5:" + "a" * 32, 'digest algorithm "md5" is not supported'),
    (f"nginx@SHA256:{HEX64}", 'digest algorithm "SHA256" is not supported'),
    (f"nginx:1@SHA256:{HEX64}", 'digest algorithm "SHA256" is not supported'),
    (f"nginx@sha256+b64:{HEX64}", 'digest algorithm "sha256+b64" is not supported'),
    # After "-" the algorithm grammar wants a letter.
    (f"nginx@sha-256:{HEX64}", 'digest algorithm "sha-256" is malformed'),
    ("nginx@sha256:" + HEX64[:-1], "sha256 digest must be 64 lowercase hex characters, got 63"),
    ("nginx@sha256:" + HEX64 + "0", "sha256 digest must be 64 lowercase hex characters, got 65"),
    ("nginx@sha256:" + HEX64.upper(), "sha256 digest must be 64 lowercase hex characters; found"),
    ("nginx@sha256:" + HEX64.upper(), 'found "A" at character 24'),
    (f"nginx@sha384:{HEX64}", "sha384 digest must be 96 lowercase hex characters, got 64"),
    (f"nginx@sha512:{HEX64}", "sha512 digest must be 128 lowercase hex characters, got 64"),
    ("nginx@sha256", 'digest "sha256" must have the form <algorithm>:<hex>'),
    (f"nginx@:{HEX64}", "is missing its algorithm"),
    (f"nginx@{SHA}@{SHA}", "sha256 digest must be 64 lowercase hex characters, got 136"),
]


@pytest.mark.parametrize(("ref", "fragment"), INVALID)
def test_invalid_references(ref: str, fragment: str) -> None:
    with pytest.raises(ImageRefError) as info:
        parse_image(ref)
    assert fragment in str(info.value)
    assert info.value.ref == ref


def test_error_is_a_value_error_and_carries_reason() -> None:
    with pytest.raises(ValueError) as info:
        parse_image("app:-bad")
    assert isinstance(info.value, ImageRefError)
    assert info.value.reason == str(info.value)


def test_cached_failure_raises_on_every_call() -> None:
    for _ in range(3):
        with pytest.raises(ImageRefError, match="must be lowercase"):
            parse_image("Cached-Failure")


def test_cached_success_returns_equal_result() -> None:
    assert parse_image("cached/app:1") is parse_image("cached/app:1")


def test_non_string_is_rejected_not_crashing() -> None:
    with pytest.raises(ImageRefError, match="must be a string"):
        parse_image(["nginx"])  # type: ignore[arg-type]
    assert default_pull_policy(None) == "IfNotPresent"  # type: ignore[arg-type]


def test_imageref_is_frozen() -> None:
    ref = parse_image("nginx")
    with pytest.raises(FrozenInstanceError):
        ref.tag = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("nginx", "latest"),
        ("nginx:1.25", "1.25"),
        ("nginx:latest", "latest"),
        (f"nginx@{SHA}", None),
        (f"nginx:1.25@{SHA}", "1.25"),
        (f"nginx:latest@{SHA}", "latest"),
        ("localhost:5000/app", "latest"),
        ("myapp:5000", "5000"),
    ],
)
def test_effective_tag(ref: str, expected: str | None) -> None:
    assert effective_tag(parse_image(ref)) == expected


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        (f"nginx@{SHA}", "IfNotPresent"),
        (f"nginx:latest@{SHA}", "Always"),
        ("localhost:5000/app", "Always"),
        ("myapp:5000", "IfNotPresent"),
        ("Nginx", "IfNotPresent"),  # unparsable: the defaulting ignores the error
        ("", "IfNotPresent"),
        ("nginx:LATEST", "IfNotPresent"),  # the comparison is case-sensitive
        ("registry.example.com/team/app", "Always"),
        ("[::1]:5000/app:latest", "Always"),
        (f"nginx@sha256:{HEX64.upper()}", "IfNotPresent"),
        (" nginx", "IfNotPresent"),
    ],
)
def test_default_pull_policy(image: str, policy: str) -> None:
    assert default_pull_policy(image) == policy


# --- differential check against an independent transcription of upstream -------------------------
# The anchored regex from the research file (section 5.1), with Go's [[:xdigit:]] and ASCII \w
# spelled out for Python, plus the ParseNormalizedNamed and go-digest steps written out literally.
_GO_DOMAIN = (
    r"(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
    r"|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?"
)
_GO_REMOTE = (
    r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*"
)
_GO_REFERENCE = re.compile(
    rf"((?:{_GO_DOMAIN}/)?{_GO_REMOTE})"
    r"(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}))?"
)
_GO_NAME = re.compile(rf"(?:({_GO_DOMAIN})/)?({_GO_REMOTE})")


def _reference_model(s: str) -> ImageRef | None:
    if re.fullmatch(r"[a-f0-9]{64}", s):
        return None
    if "/" not in s:
        domain, remainder = "docker.io", "library/" + s
    else:
        first, rest = s.split("/", 1)
        if first == "localhost" or "." in first or ":" in first or first.lower() != first:
            domain, remainder = first, rest
        else:
            domain, remainder = "docker.io", s
        if domain == "index.docker.io":
            domain = "docker.io"
        if domain == "docker.io" and "/" not in remainder:
            remainder = "library/" + remainder
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        return None
    m = _GO_REFERENCE.fullmatch(domain + "/" + remainder)
    if m is None:
        return None
    n = _GO_NAME.fullmatch(m.group(1))
    assert n is not None
    if len(n.group(2)) > 255:
        return None
    digest = m.group(3)
    if digest is not None:
        algorithm, encoded = digest.split(":", 1)
        size = {"sha256": 64, "sha384": 96, "sha512": 128}.get(algorithm)
        if size is None or not re.fullmatch(f"[a-f0-9]{{{size}}}", encoded):
            return None
    return ImageRef(n.group(1) or "", n.group(2), m.group(2), digest)


def _parse_or_none(s: str) -> ImageRef | None:
    try:
        return parse_image(s)
    except ImageRefError as error:
        # Every rejection must be explained by a specific message, never the generic fallback.
        assert str(error) != "invalid image reference format", s
        return None


@pytest.mark.parametrize("ref", [row[0] for row in VALID] + [row[0] for row in INVALID])
def test_tables_agree_with_reference_model(ref: str) -> None:
    assert _parse_or_none(ref) == _reference_model(ref)


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_TOKENS = st.sampled_from(
    ["a", "b", "z", "0", "9", "A", "Z", "_", "__", ".", "-", ":", "/", "@", "[", "]", "::1", "5000",
     "localhost", "docker.io", "index.docker.io", "library", "sha256", "sha512", "md5", "latest",
     HEX64, HEX64.upper(), "f" * 32, " ", "é"]
)


@hypothesis.settings(max_examples=3000, deadline=None)
@hypothesis.given(st.lists(_TOKENS, max_size=12).map("".join))
def test_fuzz_agrees_with_reference_model(ref: str) -> None:
    assert _parse_or_none(ref) == _reference_model(ref)
