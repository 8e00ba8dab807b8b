"""What the input declares of ConfigMaps and Secrets, and what a missing one leads to.

Shared by the env and volume reference checks (no checks are registered here).
"""
from __future__ import annotations

from ...bundle import Bundle, namespace_key
from ...i18n import Items, Message, Templates
from .. import Verdict
from ..helpers.values import quoted

TEXTS = Templates("lookup", {
    "keys-more": "{keys}, ... ({count} keys)",
    "elsewhere": (
        " (there is a {kind} {name} in namespace {namespaces}, but a Pod can only use its own "
        "namespace's)"),
    "absent-complete": (
        "{what} {kind} {name}, which is not in the input{hint}; with --complete the input is the "
        "whole application, so {outcome}"),
    "absent": (
        "{what} {kind} {name}, which is not in the input{hint}; unless it exists in the cluster "
        "(created by hand, by an operator or by another chart), {outcome}"),
    "unfilled": "nothing fills the object's keys in before the Pod starts",
})

# Objects the control plane creates in every namespace (root CA publisher, GA in 1.21).
AUTOMATIC = {("ConfigMap", "kube-root-ca.crt"): {"ca.crt"}}

# Keys the token controller writes into a kubernetes.io/service-account-token Secret.
TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})


def keys_text(keys: set[str]) -> Items | Message:
    shown = sorted(keys)
    text = Items(tuple(shown[:12]))
    return TEXTS("keys-more", keys=text, count=len(shown)) if len(shown) > 12 else text


def _store(bundle: Bundle, kind: str) -> dict:
    return bundle.config_maps if kind == "ConfigMap" else bundle.secrets


def lookup(bundle: Bundle, kind: str, namespace: str | None, name: str) -> set[str] | None:
    keys = _store(bundle, kind).get((namespace_key(namespace), name))
    if keys is None:
        keys = AUTOMATIC.get((kind, name))
    return keys


def absent(bundle: Bundle, kind: str, namespace: str | None, name: str,
            what: Message, outcome: Message) -> tuple[Message, str | None]:
    """Message and severity for a reference to an object that is not in the input."""
    others = sorted(
        ns or "default" for ns, n in _store(bundle, kind) if n == name
    )
    hint: Message | str = ""
    if others:
        hint = TEXTS("elsewhere", kind=kind, name=quoted(name),
                     namespaces=Items(tuple(quoted(o) for o in others)))
    params = {"what": what, "kind": kind, "name": quoted(name), "hint": hint, "outcome": outcome}
    if bundle.complete:
        return TEXTS("absent-complete", **params), "error"
    return TEXTS("absent", **params), None


# What makes a finding about keys of an object with no keys at all conditional: controllers
# (cert-manager, External Secrets, the token controller) create such objects empty and fill
# them in later.
UNFILLED = TEXTS("unfilled")


def decide_object(kind: str, namespace: str | None, name: str, what: Message,
                  outcome: Message, bundle: Bundle) -> Verdict | None:
    """Nothing when the ConfigMap or Secret is in the input, else what its absence does."""
    if lookup(bundle, kind, namespace, name) is not None:
        return None
    message, severity = absent(bundle, kind, namespace, name, what, outcome)
    return Verdict.complete(message) if severity == "error" else Verdict(message)


def decide_key(texts: Templates, kind: str, namespace: str | None, name: str, key: str,
               shown: dict, bundle: Bundle, filled_later: frozenset = frozenset()
               ) -> Verdict | None:
    """Nothing when the object is not in the input (:func:`decide_object` says that) or has
    ``key``; else ``texts``' ``key-only`` (it has other keys: certain) or ``key-none`` (it has
    none yet: conditional, :data:`UNFILLED`; not for the keys in ``filled_later``, which the
    control plane writes). ``shown`` adds the calling check's own message parameters."""
    keys = lookup(bundle, kind, namespace, name)
    if keys is None or key in keys or (not keys and key in filled_later):
        return None
    params = {"key": quoted(key), "kind": kind, "name": quoted(name), **shown}
    if keys:
        return Verdict(texts("key-only", keys=keys_text(keys), **params))
    return Verdict(texts("key-none", **params), "note", "conditional", UNFILLED)
