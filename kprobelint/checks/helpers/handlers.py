"""The probes and lifecycle hooks of a container, each with its label and absolute path.

Only containers where probes and hooks are allowed have any: regular containers and native
sidecars. Regular init and ephemeral containers may not have them, and other rules say so.
"""
from __future__ import annotations

from ...i18n import Message, Templates
from ...model import Container
from .values import quoted

TEXTS = Templates("where", {"in-container": "in container {container}"})

Owner = tuple[str, tuple, dict]  # (label such as "livenessProbe", path, the probe or hook)


def in_container(container: Container) -> Message:
    """``in container "web"``, for messages."""
    return TEXTS("in-container", container=quoted(container.name))


def probe_owners(container: Container) -> list[Owner]:
    return [(key, container.path + (key,), probe) for key, probe in container.probes()]


def hook_owners(container: Container) -> list[Owner]:
    return [(f"lifecycle.{key}", container.path + ("lifecycle", key), hook)
            for key, hook in container.hooks()]


def owners(container: Container, target: str) -> list[Owner]:
    """The probes (``target`` "probes") or hooks (else) of a long-running container."""
    if not container.long_running:
        return []
    return probe_owners(container) if target == "probes" else hook_owners(container)


def selected_owners(container: Container, names: list) -> list[Owner]:
    """Probes and hooks named in ``names`` (``livenessProbe``, ``postStart``, ...)."""
    if not container.long_running:
        return []
    return [(label, path, owner) for label, path, owner in
            probe_owners(container) + hook_owners(container)
            if label.rsplit(".", 1)[-1] in names]
