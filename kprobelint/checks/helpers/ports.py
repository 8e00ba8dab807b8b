"""Port names and numbers, as the API server validates them and the kubelet resolves them.

``IsValidPortName`` (apimachinery ``util/validation``) checks an IANA_SVC_NAME: 1 to 15
characters of ``[-a-z0-9]``, at least one letter, no ``--``, no leading or trailing ``-``.
"""
from __future__ import annotations

import re

from ...i18n import Items, Message, Templates
from ...model import Container, PodSpec, containers_of
from .values import as_int, quoted

TEXTS = Templates("ports", {
    # Why a text is not a port name; each follows "FIELD (VALUE) in container "C"".
    "quoted-number": (
        "is a quoted number, which makes it a port name, and a port name must contain at least "
        "one letter: the API server rejects it; write {number} without quotes"),
    "empty": "is an empty port name; the API server rejects it",
    "too-long": "is a port name longer than 15 characters; the API server rejects it",
    "upper-case": (
        "is not a valid port name: port names are lowercase (a-z, 0-9, '-'); the API server "
        "rejects it"),
    "characters": (
        "is not a valid port name: only a-z, 0-9 and '-' are allowed; the API server rejects it"),
    "dashes": (
        "is not a valid port name: it must not start or end with '-' or contain '--'; the API "
        "server rejects it"),
    "no-letter": (
        "is not a valid port name: it must contain at least one letter; the API server rejects "
        "it"),
    # What a message adds about a port name a container lacks.
    "declared-elsewhere": (
        "; container {owner} declares it, but the kubelet looks the name up in the {who} "
        "container's own ports"),
    "declares": " (it declares {names})",
    "declares-none": " (it declares no named ports)",
    "probed": "probed",
    "hooked": "hooked",
})

_PORT_NAME = re.compile(r"(?!-)(?!.*--)[-a-z0-9]{1,15}(?<!-)\Z")
_HAS_LETTER = re.compile(r"[a-z]")


def is_port_name(value: str) -> bool:
    return bool(_PORT_NAME.match(value) and _HAS_LETTER.search(value))


def port_name_problem(name: str) -> Message | None:
    """Why ``name`` is not an IANA_SVC_NAME (validation.IsValidPortName), or None."""
    if is_port_name(name):
        return None
    if name.strip().isdigit():
        return TEXTS("quoted-number", number=name.strip())
    if not name:
        return TEXTS("empty")
    if len(name) > 15:
        return TEXTS("too-long")
    if any(c.isupper() for c in name):
        return TEXTS("upper-case")
    if re.search(r"[^-a-z0-9]", name):
        return TEXTS("characters")
    if "--" in name or name.startswith("-") or name.endswith("-"):
        return TEXTS("dashes")
    return TEXTS("no-letter")


def port_numbers(ports: list[dict]) -> set[int]:
    """The containerPort numbers of a container's ``ports`` entries."""
    numbers = set()
    for entry in ports:
        number = as_int(entry.get("containerPort"))
        if number is not None:
            numbers.add(number)
    return numbers


def _port_name_owners(pod: PodSpec) -> dict:
    """Named port -> (name, data) of the first container that declares it."""
    owners: dict = {}
    for other in containers_of(pod):
        for name in other.port_names():
            owners.setdefault(name, (other.name, other.data))
    return owners


def declared_hint(container: Container, port: str, declared: set[str], who: str) -> Message:
    """What a message adds about a port name ``container`` lacks: the container that has it
    (the kubelet looks names up in the ``who`` (probed, hooked) container's own ports only),
    or the names it does declare."""
    owners = container.pod.remember("port-name-owners", lambda: _port_name_owners(container.pod))
    name, data = owners.get(port, (None, None))
    if name is not None and data is not container.data:
        return TEXTS("declared-elsewhere", owner=quoted(name), who=TEXTS(who))
    if declared:
        return TEXTS("declares", names=Items(tuple(sorted(declared))))
    return TEXTS("declares-none")


def undeclared_name(container: Container, action: object) -> str | None:
    """The port name an httpGet or tcpSocket action gives when ``container`` does not declare
    it; None for a declared name, a number, or what the API server rejects outright (invalid
    names and quoted numbers, which other rules report)."""
    port = action.get("port") if isinstance(action, dict) else None
    if not isinstance(port, str) or not is_port_name(port):
        return None
    return None if port in container.port_names() else port
