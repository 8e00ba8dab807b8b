"""What the input declares of ConfigMaps and Secrets, and what a missing one leads to.

Shared by the env and volume reference checks (no checks are registered here).
"""
from __future__ import annotations

from ...bundle import Bundle, namespace_key
from .. import Verdict
from ..helpers.values import quoted

# Objects the control plane creates in every namespace (root CA publisher, GA in 1.21).
AUTOMATIC = {("ConfigMap", "kube-root-ca.crt"): {"ca.crt"}}

# Keys the token controller writes into a kubernetes.io/service-account-token Secret.
TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})


def keys_text(keys: set[str]) -> str:
    shown = sorted(keys)
    text = ", ".join(shown[:12])
    return text + (f", ... ({len(shown)} keys)" if len(shown) > 12 else "")


def _store(bundle: Bundle, kind: str) -> dict:
    return bundle.config_maps if kind == "ConfigMap" else bundle.secrets


def lookup(bundle: Bundle, kind: str, namespace: str | None, name: str) -> set[str] | None:
    keys = _store(bundle, kind).get((namespace_key(namespace), name))
    if keys is None:
        keys = AUTOMATIC.get((kind, name))
    return keys


def absent(bundle: Bundle, kind: str, namespace: str | None, name: str,
            what: str, outcome: str) -> tuple[str, str | None]:
    """Message and severity for a reference to an object that is not in the input."""
    others = sorted(
        ns or "default" for ns, n in _store(bundle, kind) if n == name
    )
    hint = ""
    if others:
        hint = (f" (there is a {kind} {quoted(name)} in namespace "
                f"{', '.join(quoted(o) for o in others)}, but a Pod can only use its own "
                "namespace's)")
    if bundle.complete:
        return (f"{what} {kind} {quoted(name)}, which is not in the input{hint}; with "
                f"--complete the input is the whole application, so {outcome}", "error")
    return (f"{what} {kind} {quoted(name)}, which is not in the input{hint}; unless it "
            f"exists in the cluster (created by hand, by an operator or by another chart), "
            f"{outcome}", None)


# What makes a finding about keys of an object with no keys at all conditional: controllers
# (cert-manager, External Secrets, the token controller) create such objects empty and fill
# them in later.
UNFILLED = "nothing fills the object's keys in before the Pod starts"


def decide_object(kind: str, namespace: str | None, name: str, what: str, outcome: str,
                   bundle: Bundle) -> Verdict | None:
    """Nothing when the ConfigMap or Secret is in the input, else what its absence does."""
    if lookup(bundle, kind, namespace, name) is not None:
        return None
    message, severity = absent(bundle, kind, namespace, name, what, outcome)
    return Verdict.complete(message) if severity == "error" else Verdict(message)
