"""Checks on container names."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Container
from . import Violation, check, quoted

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")


@check("container-name", scope="container")
def container_name(container: Container, params: dict) -> Iterator[Violation]:
    name = container.data.get("name")
    outcome = ("every Pod the StatefulSet creates is rejected"
               if container.pod.kind == "StatefulSet" else "the API server rejects the object")
    if name is None or name == "":
        yield Violation(container.path, f"{container.list_key}[{container.index}] has no name; "
                                        f"{outcome}", on_key=True)
    elif not isinstance(name, str) or not _DNS_LABEL.match(name):
        yield Violation(container.path + ("name",),
                        f"container name {quoted(name)} is not a DNS label (lowercase letters, "
                        f"digits and '-', at most 63 characters); {outcome}")
