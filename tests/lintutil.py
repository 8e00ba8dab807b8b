"""Helpers shared by the tests: lint a YAML string through the real pipeline."""
from __future__ import annotations

from kprobelint.engine import DEFAULT_KUBE_VERSION, Selection
from kprobelint.findings import Finding
from kprobelint.runner import Options, lint


def lint_text(text: str | bytes, select: tuple[str, ...] = (), kube_version: str | None = None,
              ignore: tuple[str, ...] = ()) -> list[Finding]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    selection = Selection(select, ignore, kube_version or DEFAULT_KUBE_VERSION)
    return lint(Options(["-"], selection), stdin=data).findings
