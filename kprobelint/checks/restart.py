"""Checks on restart policies."""
from __future__ import annotations

from typing import Iterator

from ..model import ALWAYS_RESTART_KINDS, JOB_KINDS, PodSpec
from . import Fix, Violation, check, quoted

POD_RESTART_POLICIES = ("Always", "OnFailure", "Never")


@check("restart-policy-for-kind", scope="pod")
def restart_policy_for_kind(pod: PodSpec, params: dict) -> Iterator[Violation]:
    explicit = pod.data.get("restartPolicy")
    effective = pod.restart_policy
    path = pod.path + ("restartPolicy",)
    kind = pod.kind
    if kind in ALWAYS_RESTART_KINDS:
        if explicit is not None and explicit != "Always":
            yield Violation(path, f"{kind} pod templates must use restartPolicy Always; "
                                  f"{quoted(explicit)} is rejected by the API server")
    elif kind in JOB_KINDS:
        if effective not in ("OnFailure", "Never"):
            where = ("is not set, so it defaults to Always" if explicit is None
                     else f"is {quoted(explicit)}")
            yield Violation(path, f"{kind} pod template restartPolicy {where}; a Job needs "
                                  "OnFailure or Never and the API server rejects anything else",
                            on_key=explicit is None, fix=_on_failure(path, explicit))
    elif explicit is not None and explicit not in POD_RESTART_POLICIES:
        yield Violation(path, f"restartPolicy {quoted(explicit)} is not one of "
                              f"{', '.join(POD_RESTART_POLICIES)}; the API server rejects it")


def _on_failure(path: tuple, explicit: object) -> Fix | None:
    """A Job's restart policy written as Always, or left to default to it, becomes
    OnFailure (the retry a Job author most often means); other values are left alone."""
    if explicit is None:
        return Fix("add-key", path, "OnFailure")
    if explicit == "Always":
        return Fix("replace-value", path, "OnFailure")
    return None
