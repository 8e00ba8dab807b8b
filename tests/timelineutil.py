"""Helpers for the timeline tests: build timelines from YAML text through the real loader."""
from __future__ import annotations

from kprobelint.load import load_text
from kprobelint.timeline.build import Options, WorkloadTimeline, timelines_of


def timelines(text: str, **options) -> list[WorkloadTimeline]:
    return list(timelines_of(load_text("test.yaml", text), Options(**options)))


def timeline(text: str, **options) -> WorkloadTimeline:
    [only] = timelines(text, **options)
    return only


def entry(text: str, name: str | None = None, **options):
    """The entry of container ``name`` (the only regular container when None)."""
    found = timeline(text, **options)
    assert found.pod is not None, found.notes
    entries = [e for e in found.pod.entries
               if (e.container.name == name if name else e.container.role == "container")]
    assert len(entries) == 1, [e.container.name for e in found.pod.entries]
    return entries[0]


def pod(containers: str, spec: str = "", kind: str = "Pod") -> str:
    """A Pod (or a Deployment's template) with the given indented container YAML."""
    body = "".join(f"  {line}\n" if line else "\n" for line in containers.splitlines())
    extra = "".join(f"  {line}\n" for line in spec.splitlines())
    if kind == "Pod":
        return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{extra}{body}"
    raise ValueError(kind)


def deployment(containers: str, spec: str = "", pod_spec: str = "",
               kind: str = "Deployment") -> str:
    body = "".join(f"      {line}\n" if line else "\n" for line in containers.splitlines())
    template_extra = "".join(f"      {line}\n" for line in pod_spec.splitlines())
    top = "".join(f"  {line}\n" for line in spec.splitlines())
    return (f"apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: web\nspec:\n{top}"
            "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            f"      labels: {{app: web}}\n    spec:\n{template_extra}{body}")
