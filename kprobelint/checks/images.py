"""Checks on image tags, digests and pull policies (what the API server and kubelet do with them).

Every check goes through :mod:`kprobelint.imageref`, so ``registry:5000/app`` is a registry port
and no tag (an implicit ``latest``), ``app:5000`` is the tag ``5000``, and a digest suppresses the
implicit ``latest`` exactly as ``ParseNormalizedNamed`` and the defaulting do. Images the kubelet
cannot parse are left to ``image-reference`` (KPL201), padded ones to ``image-whitespace``.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..i18n import Items, Message, Templates
from ..imageref import ImageRef, ImageRefError, effective_tag, parse_image
from ..model import Container
from ..typechecking import TYPE_CHECKING
from . import PROSE, UNDECODABLE, WIRING, Fix, Violation, check
from .helpers.values import quoted

if TYPE_CHECKING:
    from typing import Any

PULL_POLICIES = ("Always", "IfNotPresent", "Never")

TEXTS = Templates("images", {
    "invalid": "image {image} of container {container} is not a valid image reference: {reason}",
    "padded-template": (
        "image {image} of container {container} has leading or trailing whitespace; the {kind} "
        "is accepted, but every Pod it creates is rejected (FailedCreate events, no Pods)"),
    "padded-pod": (
        "image {image} of container {container} has leading or trailing whitespace; the API "
        "server rejects the Pod"),
    "policy-value": "container {container} has imagePullPolicy {value}: {consequence}",
    "no-tag": "has no tag (so :latest)",
    "latest-tag": "uses the tag latest",
    "latest": (
        "image {image} of container {container} {how}: a tag that moves with every push, so what "
        "runs is whatever was pushed last"),
    "latest-default": (
        "image {image} of container {container} {how}: a tag that moves with every push, so what "
        "runs is whatever was pushed last; imagePullPolicy is not set, so it defaults to Always "
        "and every container start pulls from the registry"),
    "latest-always": (
        "image {image} of container {container} {how}: a tag that moves with every push, so what "
        "runs is whatever was pushed last; with imagePullPolicy Always every container start "
        "pulls from the registry"),
    "if-not-present": (
        "container {container} has imagePullPolicy \"IfNotPresent\" but its image {image} {how}: "
        "each node keeps whichever build it pulled first, so Pods on different nodes can run "
        "different builds and a new push never reaches a node that already has the image"),
    "policy-not-string": (
        "imagePullPolicy {value} of container {container} is not a string; the API server cannot "
        "decode it and rejects the object (use one of {policies})"),
    "policy-invalid": (
        "imagePullPolicy {value} of container {container} is not one of {policies}; the API "
        "server rejects it (Unsupported value)"),
    "policy-meant": (
        "imagePullPolicy {value} of container {container} is not one of {policies}; the API "
        "server rejects it (Unsupported value); did you mean {meant}? (the values are "
        "case-sensitive)"),
    "image-not-string": (
        "image {image} of container {container} is not a string; the API server cannot decode it "
        "and rejects the object"),
    "no-image": "container {container} has no image; {refused} ({field}.image: Required value)",
    "null-image": (
        "container {container} has image: null; {refused} ({field}.image: Required value)"),
    "empty-image": (
        "image \"\" of container {container} is empty; {refused} ({field}.image: Required value)"),
    "blank-template": (
        "image {image} of container {container} is blank; the {kind} is accepted, but every Pod "
        "it creates is rejected for the leading/trailing whitespace (FailedCreate events, no "
        "Pods)"),
    "blank-pod": (
        "image {image} of container {container} is blank; the API server rejects the Pod (image "
        "must not have leading or trailing whitespace)"),
    "not-pinned": (
        "image {image} of container {container} is not pinned by digest (tag {tag}); a tag can "
        "be moved to other content"),
})


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
            TEXTS("invalid", image=quoted(image), container=quoted(container.name),
                  reason=exc.message),
        )


@check("image-whitespace", scope="container")
def image_whitespace(container: Container, params: dict) -> Iterator[Violation]:
    image = container.data.get("image")
    if not isinstance(image, str) or image == image.strip() or not image.strip():
        return
    yield Violation(
        container.path + ("image",),
        TEXTS("padded-template" if container.pod.is_template else "padded-pod",
              image=quoted(image), container=quoted(container.name), kind=container.pod.kind),
        statuses=_pod_only_statuses(container),
    )


# The API server checks image whitespace only when a Pod is created (core/validation
# validateContainersOnlyForPod, called by ValidatePodCreate and not by
# ValidatePodTemplateSpec): a template with it is accepted and its Pods are refused.
def _pod_only_statuses(container: Container) -> tuple[str, ...]:
    return ("FailedCreate",) if container.pod.is_template else ("Rejected",)


@check("image-pull-policy-value", scope="container",
       params={"value": WIRING, "consequence": PROSE})
def pull_policy_value(container: Container, params: dict) -> Iterator[Violation]:
    if container.data.get("imagePullPolicy") == params["value"]:
        yield Violation(
            container.path + ("imagePullPolicy",),
            TEXTS("policy-value", container=quoted(container.name), value=params["value"],
                  consequence=params["consequence"]),
        )


def _image_ref(container: Container) -> tuple[str, ImageRef] | None:
    """The image and its parsed reference, or None when another rule owns the problem."""
    image = container.data.get("image")
    if not isinstance(image, str) or not image or image != image.strip():
        return None
    try:
        return image, parse_image(image)
    except ImageRefError:
        return None  # KPL201 reports it


def _latest(ref: ImageRef) -> Message | None:
    """How the reference ends up meaning ``latest``, or None if it is pinned or tagged otherwise."""
    if ref.digest is not None:
        return None  # the digest decides the content, whatever the tag says
    if ref.tag is None:
        return TEXTS("no-tag")
    if effective_tag(ref) == "latest":
        return TEXTS("latest-tag")
    return None


def _latest_image(container: Container) -> tuple[str, Message] | None:
    """The image and how it is "latest" (no tag, or the tag latest), if it is."""
    found = _image_ref(container)
    if found is None:
        return None
    how = _latest(found[1])
    return None if how is None else (found[0], how)


@check("image-tag-latest", scope="container")
def image_tag_latest(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return  # kubectl debug images are throw-away by design
    if container.pod.workload.resolves_tags:
        return  # deployed by digest: the tag is resolved once, when the revision is created
    found = _latest_image(container)
    if found is None:
        return
    image, how = found
    policy = container.data.get("imagePullPolicy")
    key = "latest-default" if policy in (None, "") else "latest-always" if policy == "Always" \
        else "latest"
    yield Violation(
        container.path + ("image",),
        TEXTS(key, image=quoted(image), container=quoted(container.name), how=how),
    )


@check("image-latest-if-not-present", scope="container")
def image_latest_if_not_present(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral" or container.data.get("imagePullPolicy") != "IfNotPresent":
        return
    if container.pod.workload.resolves_tags:
        return  # deployed by digest, as in image-tag-latest
    found = _latest_image(container)
    if found is None:
        return
    image, how = found
    yield Violation(
        container.path + ("imagePullPolicy",),
        TEXTS("if-not-present", container=quoted(container.name), image=quoted(image), how=how),
    )


@check("image-pull-policy-valid", scope="container")
def image_pull_policy_valid(container: Container, params: dict) -> Iterator[Violation]:
    if "imagePullPolicy" not in container.data:
        return
    value: Any = container.data["imagePullPolicy"]
    path = container.path + ("imagePullPolicy",)
    if value is None or value == "":
        return  # empty means "default it", which the API server does
    if not isinstance(value, str):
        yield Violation(
            path,
            TEXTS("policy-not-string", value=quoted(value), container=quoted(container.name),
                  policies=Items(PULL_POLICIES)), statuses=UNDECODABLE,
        )
        return
    if value in PULL_POLICIES:
        return
    hint = next((p for p in PULL_POLICIES if p.lower() == value.strip().lower()), None)
    yield Violation(
        path,
        TEXTS("policy-meant" if hint else "policy-invalid", value=quoted(value),
              container=quoted(container.name), policies=Items(PULL_POLICIES),
              meant=quoted(hint)),
        fix=Fix("replace-value", path, hint) if hint else None,
    )


def looks_like_patch(container: Container) -> bool:
    """True when the object is most likely a partial document (a Kustomize patch)."""
    obj = container.pod.obj
    # apps/v1 requires spec.selector: a document without one cannot be applied as it is, and
    # is almost always a Kustomize patch that supplies only the fields it changes.
    if container.pod.workload.selector_required and obj.api_version == "apps/v1":
        spec = obj.data.get("spec")
        if not isinstance(spec, dict) or spec.get("selector") is None:
            return True
    return _has_patch_directive(container.pod.data)


def _has_patch_directive(node: Any, depth: int = 0) -> bool:
    if depth > 12:
        return False
    if isinstance(node, dict):
        return any(
            (isinstance(key, str) and key.startswith("$")) or _has_patch_directive(v, depth + 1)
            for key, v in node.items()
        )
    if isinstance(node, list):
        return any(_has_patch_directive(item, depth + 1) for item in node)
    return False


@check("image-required", scope="container")
def image_required(container: Container, params: dict) -> Iterator[Violation]:
    # Only where the Pods run the containers as written: an operator's own kind may fill in or
    # merge containers (a template default), so a container without an image is not
    # necessarily a mistake there.
    if container.role == "ephemeral" or not container.pod.workload.as_written:
        return
    refused = container.pod.workload.refusal()
    data = container.data
    image = data.get("image")
    if isinstance(image, str) and image.strip():
        return  # present (invalid or padded references have their own rules)
    if image is not None and not isinstance(image, str):
        yield Violation(
            container.path + ("image",),
            TEXTS("image-not-string", image=quoted(image), container=quoted(container.name)),
            statuses=UNDECODABLE,
        )
        return
    if looks_like_patch(container):
        return
    if image is None:
        yield Violation(
            container.path + ("image",) if "image" in data else container.path,
            TEXTS("null-image" if "image" in data else "no-image",
                  container=quoted(container.name), refused=refused, field=container.field),
            on_key=True,
        )
        return
    if image == "":
        yield Violation(
            container.path + ("image",),
            TEXTS("empty-image", container=quoted(container.name), refused=refused,
                  field=container.field),
        )
        return
    # Only whitespace: the Required check counts characters, so only the Pod-only whitespace
    # check catches it.
    yield Violation(
        container.path + ("image",),
        TEXTS("blank-template" if container.pod.is_template else "blank-pod",
              image=quoted(image), container=quoted(container.name), kind=container.pod.kind),
        statuses=_pod_only_statuses(container),
    )


@check("image-digest-pinned", scope="container")
def image_digest_pinned(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    found = _image_ref(container)
    if found is None:
        return
    image, ref = found
    if ref.digest is not None:
        return
    yield Violation(
        container.path + ("image",),
        TEXTS("not-pinned", image=quoted(image), container=quoted(container.name),
              tag=quoted(effective_tag(ref))),
    )
