"""How a scalar was written in the file: the one place schema checks look at YAML nodes.

The loader resolves plain scalars with YAML 1.1 rules and keeps each mapping's and
sequence's node (:mod:`kprobelint.load`); messages about YAML 1.1 traps need the original
text (``yes``, ``0644``) and whether it was quoted. Everything that touches nodes for that is
here, behind :func:`scalar_text`, so a change in the loader changes only this module.
"""
from __future__ import annotations

from typing import Any

from ..load import YMap, YSeq, find_pair


def scalar_text(parent: Any, step: Any) -> tuple[str, bool] | None:
    """``(text, plain)`` of the scalar at ``parent[step]``, or None when unknown."""
    node = None
    if isinstance(parent, YMap):
        pair = find_pair(parent.node, step)
        node = pair[1] if pair else None
    elif isinstance(parent, YSeq) and 0 <= step < len(parent.node.value):
        node = parent.node.value[step]
    value = getattr(node, "value", None)
    if not isinstance(value, str):
        return None
    return value, not getattr(node, "style", None)
