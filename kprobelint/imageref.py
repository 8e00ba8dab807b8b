"""Container image references, parsed the way the kubelet and the API-server defaulting parse them.

Both go through `ParseNormalizedNamed` from github.com/distribution/reference, followed by the
go-digest checks. The accept/reject decision below follows that code exactly: a regex match on
the normalized string, then the path length and digest checks. The error *messages* come from a
separate, slower diagnosis that runs only on failure, so the hot path stays a few regex calls.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .i18n import Message, Templates
from .lazyregex import LazyPattern
from .records import FrozenRecord, set_field

__all__ = ["ImageRef", "ImageRefError", "default_pull_policy", "effective_tag", "parse_image"]

TEXTS = Templates("imageref", {
    "not-string": "image must be a string, not {type}",
    "empty": "empty image reference",
    "image-id": "a 64-character hexadecimal string is an image ID, not an image name",
    "path-length": "repository path is {length} characters long; the maximum is {maximum}",
    "path-length-implied": (
        "repository path is {length} characters long (including the implied \"library/\" "
        "prefix); the maximum is {maximum}"),
    "bad-char": "invalid character {char} in {where} at character {index}",
    "padded": "image reference has leading or trailing whitespace",
    "whitespace": "image reference contains whitespace at character {index}",
    "missing-name": "missing repository name before \"{mark}\"",
    "trailing-at": "trailing \"@\"",
    "invalid": "invalid image reference format",
    "name-after-registry": "repository name is missing after registry {registry}",
    "lowercase": "repository name must be lowercase: {path} (character {index})",
    "leading-slash": "repository name {name} starts with \"/\"",
    "trailing-slash": "repository name {name} has a trailing \"/\"",
    "double-slash": "repository name {name} has an empty path component (\"//\")",
    "repository-name": "repository name",
    "component-ends": (
        "path component {component} must start and end with a lowercase letter or digit"),
    "separator": (
        "path component {component} has invalid separator {separator} at character {index}: use "
        "one \".\", one or two \"_\", or any number of \"-\""),
    "ipv6-bracket": "IPv6 registry address {address} is missing its closing \"]\"",
    "ipv6-chars": "IPv6 registry address {address} may contain only hex digits and \":\"",
    "empty-host": "registry {registry} has an empty host name",
    "registry-host": "registry host {host}",
    "empty-label": "registry host {host} has an empty label (leading, trailing or double \".\")",
    "label-ends": "label {label} of registry host {host} must start and end with a letter or digit",
    "port": "registry port {port} in {registry} must be a number",
    "registry": "registry {registry} is invalid",
    "trailing-colon": "trailing \":\"",
    "empty-tag": "empty tag before \"@\"",
    "tag-start": "tag {tag} must start with a letter, digit or underscore",
    "tag": "tag {tag}",
    "tag-length": "tag is {length} characters long; the maximum is {maximum}",
    "digest-form": "digest {digest} must have the form <algorithm>:<hex>, e.g. sha256:<64 hex>",
    "digest-algorithm-missing": "digest {digest} is missing its algorithm before \":\"",
    "digest-unsupported": (
        "digest algorithm {algorithm} is not supported (use sha256, sha384 or sha512)"),
    "digest-malformed": "digest algorithm {algorithm} is malformed (use sha256, sha384 or sha512)",
    "digest-length": "{algorithm} digest must be {expected} lowercase hex characters, got {length}",
    "digest-hex": (
        "{algorithm} digest must be {expected} lowercase hex characters; found {char} at "
        "character {index}"),
})


class ImageRef(FrozenRecord):
    """An image reference, parsed as the kubelet parses it."""

    __slots__ = ("domain", "path", "tag", "digest")
    domain: str  # "docker.io", "localhost:5000"; "" only in the _split_docker_domain corner case
    path: str  # remote name without the domain, e.g. "library/nginx"
    tag: str | None  # explicit tag only; the implicit "latest" is effective_tag()'s business
    digest: str | None  # "sha256:<hex>" and friends

    def __init__(self, domain: str, path: str, tag: str | None, digest: str | None) -> None:
        set_field(self, "domain", domain)
        set_field(self, "path", path)
        set_field(self, "tag", tag)
        set_field(self, "digest", digest)


class ImageRefError(ValueError):
    """An image reference the kubelet rejects (the container would wait with InvalidImageName)."""

    def __init__(self, reason: Message, ref: str = "") -> None:
        super().__init__(str(reason))
        self.reason = str(reason)  # in English
        self.message = reason  # to show in the report's language
        self.ref = ref


# --- grammar -------------------------------------------------------------------------------------
# Character classes are spelled out instead of using \w or \d: Go's RE2 classes are ASCII-only,
# Python's are Unicode by default, and "app:v١" must stay invalid.
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_DOMAIN_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = rf"{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*"
_IPV6 = r"\[[a-fA-F0-9:]+\]"
_PORT = r":[0-9]+"
_DOMAIN = rf"(?:{_DOMAIN_NAME}|{_IPV6})(?:{_PORT})?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
# The reference grammar accepts any well-formed digest; go-digest narrows it afterwards.
_LOOSE_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

# Always used with fullmatch(): Python's "$" also matches before a trailing newline, Go's does not.
_REFERENCE_RE = re.compile(rf"((?:{_DOMAIN}/)?{_REMOTE_NAME})(?::({_TAG}))?(?:@({_LOOSE_DIGEST}))?")
# Splits the matched name like upstream: a leading domain is preferred whenever one fits.
_NAME_RE = LazyPattern(rf"(?:({_DOMAIN})/)?({_REMOTE_NAME})")
_IMAGE_ID_RE = re.compile(r"[a-f0-9]{64}")
_STRICT_DIGEST_RE = LazyPattern(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")

# Diagnosis-only patterns.
_PATH_COMPONENT_RE = LazyPattern(_PATH_COMPONENT)
_DOMAIN_RE = LazyPattern(_DOMAIN)
_DOMAIN_NAME_RE = LazyPattern(_DOMAIN_NAME)
_DOMAIN_LABEL_RE = LazyPattern(_DOMAIN_LABEL)
_IPV6_RE = LazyPattern(_IPV6)
_PORT_RE = LazyPattern(_PORT)
_TAG_RE = LazyPattern(_TAG)
_DIGEST_ALGORITHM_RE = LazyPattern(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*")
_SEPARATOR_RUN_RE = LazyPattern(r"[._-]+")
_SEPARATOR_RE = LazyPattern(_SEPARATOR)
_PATH_CHARS_RE = LazyPattern(r"[^a-z0-9._-]")
_HOST_CHARS_RE = LazyPattern(r"[^A-Za-z0-9.-]")
_TAG_CHARS_RE = LazyPattern(r"[^A-Za-z0-9_.-]")
_WHITESPACE_RE = LazyPattern(r"\s")
_NON_HEX_RE = LazyPattern(r"[^a-f0-9]")

_DEFAULT_DOMAIN = "docker.io"
_LEGACY_DEFAULT_DOMAIN = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
_MAX_PATH_LENGTH = 255
_MAX_TAG_LENGTH = 128
_DIGEST_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128}


def _looks_like_domain(component: str) -> bool:
    # Upstream's heuristic: a first component that cannot be a Docker Hub namespace is a registry.
    return (
        component == "localhost"
        or "." in component
        or ":" in component
        or component != component.lower()
    )


def _split_docker_domain(ref: str) -> tuple[str, str]:
    """Mirror of upstream splitDockerDomain: (domain, remainder), remainder keeping tag and digest.

    The domain chosen here is only a guess; the regex match on "domain/remainder" decides the real
    split. A first component like "a_b.c" looks like a domain but is not a valid one, yet it is a
    valid path component, so upstream accepts "a_b.c/app" with an empty domain.
    """
    first, slash, rest = ref.partition("/")
    if not slash:
        return _DEFAULT_DOMAIN, _OFFICIAL_PREFIX + ref
    if first == _LEGACY_DEFAULT_DOMAIN:
        domain, remainder = _DEFAULT_DOMAIN, rest
    elif _looks_like_domain(first):
        domain, remainder = first, rest
    else:
        domain, remainder = _DEFAULT_DOMAIN, ref
    if domain == _DEFAULT_DOMAIN and "/" not in remainder:
        remainder = _OFFICIAL_PREFIX + remainder
    return domain, remainder


@lru_cache(maxsize=4096)
def _parse(ref: str) -> tuple[ImageRef | None, Message | None]:
    # Cached as a (result, error) pair so a cached failure still raises on every call.
    if not ref:
        return None, TEXTS("empty")
    if _IMAGE_ID_RE.fullmatch(ref):
        return None, TEXTS("image-id")
    domain, remainder = _split_docker_domain(ref)
    # Upstream also rejects upper case in the remainder before its first ":" at this point. That
    # check is subsumed: such a reference fails the regex below or, for an upper-case digest
    # algorithm, the go-digest check, and _diagnose words the message either way.
    match = _REFERENCE_RE.fullmatch(f"{domain}/{remainder}")
    if match is None:
        return None, _diagnose(ref)
    name, tag, digest = match.groups()
    name_match = _NAME_RE.fullmatch(name)
    assert name_match is not None  # the same sub-pattern just matched
    found_domain, path = name_match.group(1) or "", name_match.group(2)
    if len(path) > _MAX_PATH_LENGTH:
        key = "path-length" if ref.endswith(remainder) else "path-length-implied"
        return None, TEXTS(key, length=len(path), maximum=_MAX_PATH_LENGTH)
    if digest is not None and not _STRICT_DIGEST_RE.fullmatch(digest):
        return None, _diagnose(ref)
    return ImageRef(found_domain, path, tag, digest), None


def parse_image(ref: str) -> ImageRef:
    """Parse exactly as the kubelet does; raise ImageRefError saying what is wrong and where."""
    if not isinstance(ref, str):
        raise ImageRefError(TEXTS("not-string", type=type(ref).__name__), str(ref))
    parsed, error = _parse(ref)
    if error is not None:
        raise ImageRefError(error, ref)
    assert parsed is not None
    return parsed


def effective_tag(ref: ImageRef) -> str | None:
    """The tag the defaulting sees: the explicit tag, else "latest" unless a digest is given."""
    if ref.tag is not None:
        return ref.tag
    return "latest" if ref.digest is None else None


def default_pull_policy(image: str) -> str:
    """The imagePullPolicy the API server fills in when the field is empty."""
    if not isinstance(image, str):
        return "IfNotPresent"
    parsed, _ = _parse(image)
    # The defaulting ignores parse errors (tag ""), so an unparsable image gets IfNotPresent.
    if parsed is not None and effective_tag(parsed) == "latest":
        return "Always"
    return "IfNotPresent"


# --- diagnosis (failure path only) ---------------------------------------------------------------


def _quote(text: str, limit: int = 40) -> str:
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def _bad_char(char: str, where: Message, index: int) -> Message:
    # 1-based so it matches how people count characters in an editor.
    return TEXTS("bad-char", char=_quote(char), where=where, index=index + 1)


def _diagnose(ref: str) -> Message:
    """Name the first broken part of an invalid reference.

    The reference is cut the only way the grammar allows: the digest follows the first "@" (no
    other part may contain one), the tag follows the first ":" after the last "/" of what is left,
    and a port can only sit before a "/".
    """
    if ref != ref.strip():
        return TEXTS("padded")
    if (space := _WHITESPACE_RE.search(ref)) is not None:
        return TEXTS("whitespace", index=space.start() + 1)
    body, at, digest = ref.partition("@")
    colon = body.find(":", body.rfind("/") + 1)
    name, tag = (body[:colon], body[colon + 1 :]) if colon >= 0 else (body, None)
    if not name:
        return TEXTS("missing-name", mark=":" if tag is not None else "@")
    problem = _name_problem(name)
    if problem is None and tag is not None:
        problem = _tag_problem(tag, colon + 1, at_end=not at)
    if problem is None and at:
        problem = TEXTS("trailing-at") if not digest else _digest_problem(digest, len(body) + 1)
    return problem or TEXTS("invalid")


def _name_problem(name: str) -> Message | None:
    first, slash, rest = name.partition("/")
    path, offset = name, 0
    if slash and _looks_like_domain(first):
        path, offset = rest, len(first) + 1
        # A domain-looking component that is a valid path component is fine (_split_docker_domain).
        if not _DOMAIN_RE.fullmatch(first) and not _PATH_COMPONENT_RE.fullmatch(first):
            return _domain_problem(first)
        if not path:
            return TEXTS("name-after-registry", registry=_quote(first))
    if path != path.lower():
        upper = next(i for i, char in enumerate(path) if char != char.lower())
        return TEXTS("lowercase", path=_quote(path), index=offset + upper + 1)
    if path.startswith("/"):
        return TEXTS("leading-slash", name=_quote(name))
    if path.endswith("/"):
        return TEXTS("trailing-slash", name=_quote(name))
    if "//" in path:
        return TEXTS("double-slash", name=_quote(name))
    for component in path.split("/"):
        if (bad := _PATH_CHARS_RE.search(component)) is not None:
            return _bad_char(bad.group(), TEXTS("repository-name"), offset + bad.start())
        if not _PATH_COMPONENT_RE.fullmatch(component):
            if component[0] in "._-" or component[-1] in "._-":
                return TEXTS("component-ends", component=_quote(component))
            runs = _SEPARATOR_RUN_RE.finditer(component)
            run = next(r for r in runs if not _SEPARATOR_RE.fullmatch(r.group()))
            return TEXTS("separator", component=_quote(component),
                         separator=_quote(run.group()), index=offset + run.start() + 1)
        offset += len(component) + 1
    return None


def _domain_problem(domain: str) -> Message:
    if domain.startswith("["):
        host, bracket, port = domain.partition("]")
        host += bracket
        if not bracket:
            return TEXTS("ipv6-bracket", address=_quote(domain))
        if not _IPV6_RE.fullmatch(host):
            return TEXTS("ipv6-chars", address=_quote(host))
    else:
        host, colon, port_digits = domain.partition(":")
        port = colon + port_digits
        if not host:
            return TEXTS("empty-host", registry=_quote(domain))
        if not _DOMAIN_NAME_RE.fullmatch(host):
            if (bad := _HOST_CHARS_RE.search(host)) is not None:
                return _bad_char(bad.group(), TEXTS("registry-host", host=_quote(host)),
                                 bad.start())
            label = next(part for part in host.split(".") if not _DOMAIN_LABEL_RE.fullmatch(part))
            if not label:
                return TEXTS("empty-label", host=_quote(host))
            return TEXTS("label-ends", label=_quote(label), host=_quote(host))
    if port and not _PORT_RE.fullmatch(port):
        return TEXTS("port", port=_quote(port[1:]), registry=_quote(domain))
    return TEXTS("registry", registry=_quote(domain))


def _tag_problem(tag: str, offset: int, at_end: bool) -> Message | None:
    if not tag:
        return TEXTS("trailing-colon" if at_end else "empty-tag")
    if _TAG_RE.fullmatch(tag):
        return None
    if tag[0] in ".-":
        return TEXTS("tag-start", tag=_quote(tag))
    if (bad := _TAG_CHARS_RE.search(tag)) is not None:
        return _bad_char(bad.group(), TEXTS("tag", tag=_quote(tag)), offset + bad.start())
    return TEXTS("tag-length", length=len(tag), maximum=_MAX_TAG_LENGTH)


def _digest_problem(digest: str, offset: int) -> Message | None:
    algorithm, colon, encoded = digest.partition(":")
    if not colon:
        return TEXTS("digest-form", digest=_quote(digest))
    if not algorithm:
        return TEXTS("digest-algorithm-missing", digest=_quote(digest))
    expected = _DIGEST_HEX_LENGTH.get(algorithm)
    if expected is None:
        key = "digest-unsupported" if _DIGEST_ALGORITHM_RE.fullmatch(algorithm) \
            else "digest-malformed"
        return TEXTS(key, algorithm=_quote(algorithm))
    if len(encoded) != expected:
        return TEXTS("digest-length", algorithm=algorithm, expected=expected, length=len(encoded))
    if (bad := _NON_HEX_RE.search(encoded)) is not None:
        position = offset + len(algorithm) + 1 + bad.start() + 1
        return TEXTS("digest-hex", algorithm=algorithm, expected=expected,
                     char=_quote(bad.group()), index=position)
    return None
