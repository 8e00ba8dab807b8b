"""Checks on image references and pull policies."""
from __future__ import annotations

from typing import Iterator

from ..imageref import ImageRefError, parse_image
from ..model import Container
from . import Violation, check, quoted


@check("image-reference", scope="container")
def image_reference(container: Container, params: dict) -> Iterator[Violation]:
    image = container.data.get("image")
    if not isinstance(image, str) or not image or image != image.strip():
        return  # missing or padded images are rejected earlier; other rules say so
    try:
        parse_image(image)
    except ImageRefError as exc:
        yield Violation(
            container.path + ("image",),
            f"image {quoted(image)} of container {quoted(container.name)} is not a valid "
            f"image reference: {exc}",
        )


@check("image-whitespace", scope="container")
def image_whitespace(container: Container, params: dict) -> Iterator[Violation]:
    image = container.data.get("image")
    if not isinstance(image, str) or image == image.strip() or not image.strip():
        return
    if container.pod.is_template:
        outcome = (f"{container.pod.kind} is accepted, but every Pod it creates is rejected "
                   "(FailedCreate events, no Pods)")
    else:
        outcome = "the API server rejects the Pod"
    yield Violation(
        container.path + ("image",),
        f"image {quoted(image)} of container {quoted(container.name)} has leading or trailing "
        f"whitespace; {outcome}",
    )


@check("image-pull-policy-value", scope="container", params=("value", "consequence"))
def pull_policy_value(container: Container, params: dict) -> Iterator[Violation]:
    if container.data.get("imagePullPolicy") == params["value"]:
        yield Violation(
            container.path + ("imagePullPolicy",),
            f"container {quoted(container.name)} has imagePullPolicy {params['value']}: "
            f"{params['consequence']}",
        )
