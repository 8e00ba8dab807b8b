"""Checks of the scheduling area: claims the scheduler cannot find, resource requests the API
server refuses (research/k8s-semantics.md section 9)."""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache, partial

from ..bundle import Bundle, namespace_key
from ..i18n import Items, Message, Templates
from ..lazyregex import LazyPattern
from ..model import Container, PodSpec
from ..typechecking import TYPE_CHECKING
from . import Pending, Verdict, Violation, check
from .helpers.containers import claim_templates, label, refusal
from .helpers.values import as_dict, as_list, as_text, quoted

if TYPE_CHECKING:
    from fractions import Fraction
    from typing import Any


@check("persistent-volume-claim-missing", scope="bundle")
def claim_missing(pod: PodSpec, params: dict) -> Iterator[Pending]:
    namespace = pod.obj.ref.namespace
    templates = claim_templates(pod)
    for i, volume in enumerate(as_list(pod.data.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        source = volume.get("persistentVolumeClaim")
        claim = as_text(source.get("claimName")) if isinstance(source, dict) else None
        if claim is None:
            continue
        # The StatefulSet controller replaces a volume named after a volumeClaimTemplate with
        # the Pod's own claim (<template>-<statefulset>-<ordinal>).
        if isinstance(volume.get("name"), str) and volume["name"] in templates:
            continue
        label = volume.get("name") if isinstance(volume.get("name"), str) else f"volumes[{i}]"
        yield Pending(pod.path + ("volumes", i, "persistentVolumeClaim", "claimName"), partial(
            _decide_claim, namespace, claim, label, claim in templates),
            unless=("PersistentVolumeClaim", namespace, claim))


def _decide_claim(namespace: str | None, claim: str, label: str, template_named: bool,
                  bundle: Bundle) -> Verdict | None:
    if (namespace_key(namespace), claim) in bundle.claims:
        return None
    others = sorted(ns or "default" for ns, n in bundle.claims if n == claim)
    hint: Message | str = ""
    if template_named:
        hint = TEXTS("template-named", quoted=quoted(claim), claim=claim)
    elif others:
        hint = TEXTS("elsewhere", namespaces=Items(tuple(quoted(o) for o in others)))
    message = TEXTS("claim-complete" if bundle.complete else "claim", volume=quoted(label),
                    claim=quoted(claim), hint=hint, raw_claim=claim)
    return Verdict.complete(message) if bundle.complete else Verdict(message)


TEXTS = Templates("scheduling", {
    "template-named": (
        " (a volumeClaimTemplate is called {quoted}, but the StatefulSet controller only "
        "replaces volumes *named* after a template; the claims it creates are called "
        "{claim}-<statefulset>-<ordinal>)"),
    "elsewhere": (
        " (there is one in namespace {namespaces}, but a Pod can only use its own namespace's "
        "claims)"),
    "claim-complete": (
        "volume {volume} uses PersistentVolumeClaim {claim}, which is not in the input{hint}; "
        "with --complete the input is the whole application, so the scheduler cannot place the "
        "Pod: it stays Pending with PodScheduled=False, reason Unschedulable "
        "(persistentvolumeclaim \"{raw_claim}\" not found)"),
    "claim": (
        "volume {volume} uses PersistentVolumeClaim {claim}, which is not in the input{hint}; "
        "unless it exists in the cluster, the scheduler cannot place the Pod: it stays Pending "
        "with PodScheduled=False, reason Unschedulable (persistentvolumeclaim \"{raw_claim}\" "
        "not found)"),
    "no-limit": (
        "{container}: resources.requests[{resource}] is {requested} with no limit; {resource} "
        "cannot be overcommitted, so a limit is required (the request then defaults to it), and "
        "{refused}"),
    "not-equal": (
        "{container}: resources.requests[{resource}] is {requested} but the limit is {limit}; "
        "{resource} cannot be overcommitted, so request and limit must be equal, and {refused}"),
    "above-limit": (
        "{container}: resources.requests[{resource}] is {requested}, more than the limit "
        "{limit}; a request must not exceed its limit, and {refused}"),
})

_NUMBER = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)\Z", re.DOTALL)
_EXPONENT = LazyPattern(r"[eE]([+-]?[0-9]+)\Z")


@cache
def _suffixes() -> dict[str, Fraction]:
    # fractions (with decimal) is imported on the first quantity: many files have none, and
    # the import cost a one-file run 1.5 ms.
    from fractions import Fraction  # noqa: PLC0415

    return {
        "": Fraction(1),
        "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 10**3),
        "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
        "P": Fraction(10**15), "E": Fraction(10**18),
        "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30),
        "Ti": Fraction(2**40), "Pi": Fraction(2**50), "Ei": Fraction(2**60),
    }


def parse_quantity(value: Any) -> Fraction | None:
    """The exact value of a Kubernetes quantity ("500m", "1Gi", "1e3", 0.5), or None.

    YAML numbers reach the API server as JSON numbers, which it parses as quantity text; a
    float's shortest repr is that text (0.1 stays one tenth, not the nearest binary value).
    """
    from fractions import Fraction  # noqa: PLC0415  (see _suffixes)

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    match = _NUMBER.match(value.strip())
    if not match:
        return None
    sign, number, suffix = match.groups()
    suffixes = _suffixes()
    if suffix in suffixes:
        scale = suffixes[suffix]
    else:
        exponent = _EXPONENT.match(suffix)
        if not exponent or abs(int(exponent.group(1))) > 100:
            return None
        scale = Fraction(10) ** int(exponent.group(1))
    magnitude = Fraction(number if not number.endswith(".") else number[:-1]) * scale
    return -magnitude if sign == "-" else magnitude


def _overcommit_allowed(resource: str) -> bool:
    # helper.IsOvercommitAllowed: native resources (no domain, or *kubernetes.io/) except
    # hugepages. Extended resources and hugepages need request == limit.
    native = "/" not in resource or "kubernetes.io/" in resource
    return native and not resource.startswith("hugepages-")


@check("resource-request-limit-mismatch", scope="container")
def resource_request_limit_mismatch(container: Container, params: dict) -> Iterator[Violation]:
    if container.role == "ephemeral":
        return
    resources = as_dict(container.data.get("resources"))
    requests, limits = resources.get("requests"), resources.get("limits")
    if not isinstance(requests, dict):
        return
    limits = limits if isinstance(limits, dict) else {}
    base = container.path + ("resources",)
    refused = refusal(container.pod)
    for resource, requested in requests.items():
        if not isinstance(resource, str):
            continue
        request = parse_quantity(requested)
        if request is None:
            continue
        overcommit = _overcommit_allowed(resource)
        if resource not in limits:
            if not overcommit:
                yield Violation(
                    base + ("requests", resource),
                    TEXTS("no-limit", container=label(container), resource=resource,
                          requested=requested, refused=refused),
                    on_key=True,
                )
            continue
        limit = parse_quantity(limits[resource])
        if limit is None:
            continue
        if not overcommit and request != limit:
            yield Violation(
                base + ("requests", resource),
                TEXTS("not-equal", container=label(container), resource=resource,
                      requested=requested, limit=limits[resource], refused=refused),
            )
        elif request > limit:
            yield Violation(
                base + ("requests", resource),
                TEXTS("above-limit", container=label(container), resource=resource,
                      requested=requested, limit=limits[resource], refused=refused),
            )
