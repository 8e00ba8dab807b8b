"""Checks on lifecycle hooks (postStart, preStop)."""
from __future__ import annotations

from typing import Iterator

from ..model import Container
from . import Violation, check, quoted


@check("hook-handler-type", scope="container", params=("hook", "handler", "consequence"))
def hook_handler_type(container: Container, params: dict) -> Iterator[Violation]:
    for key, hook in container.hooks():
        if key == params["hook"] and hook.get(params["handler"]) is not None:
            yield Violation(
                container.path + ("lifecycle", key, params["handler"]),
                f"lifecycle.{key}.{params['handler']} in container {quoted(container.name)}: "
                f"{params['consequence']}",
                on_key=True,
            )
