"""How a scalar was written in the file: the one place schema checks look at YAML nodes.

The loader resolves plain scalars with YAML 1.1 rules and keeps each mapping's and
sequence's node (:mod:`kprobelint.load`); messages about YAML 1.1 traps need the original
text (``yes``, ``0644``) and whether it was quoted. Everything that touches nodes for that is
here (:func:`scalar_text`, and :func:`compose` for CRD schemas), so a change in the loader
changes only this module.
"""
from __future__ import annotations

from typing import Any, Iterator

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..load import YMap, YSeq, find_pair, map_key
from ..scalars import resolve_plain


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


def scalar_value(node: Any) -> Any:
    """A scalar node's value with the YAML 1.1 rules the loader applies (tags aside)."""
    if node.style:
        return node.value
    return resolve_plain(node.value) if node.value else None


def compose(text: str) -> "NodeMap | None":
    """The first document of ``text`` as a :class:`NodeMap`, if it is a mapping.

    Only composed, never converted: a CRD's schema is read from the nodes for the few keys
    validation needs, so its descriptions (most of its text) cost no conversion.
    """
    from ..load import _Parser  # noqa: PLC0415  (the loader's composer, nothing resolved)

    try:
        node = _Parser(text).get_single_node()
    except Exception:  # a broken CRD validates nothing; the CRD's own file reports it
        return None
    return NodeMap(node) if node.__class__ is MappingNode else None


class NodeMap:
    """Read-only ``get``/``items`` over a mapping node, converting only what is asked for."""

    __slots__ = ("node", "_index")

    def __init__(self, node: Any) -> None:
        self.node = node
        self._index: dict[str, Any] | None = None

    def _pairs(self) -> dict[str, Any]:
        if self._index is None:
            self._index = {map_key(k): v for k, v in self.node.value if k.__class__ is ScalarNode}
        return self._index

    def get(self, key: str, default: Any = None) -> Any:
        value = self._pairs().get(key)
        return default if value is None else _view(value)

    def items(self) -> Iterator[tuple[str, Any]]:
        for key, value in self._pairs().items():
            yield key, _view(value)


def _view(node: Any) -> Any:
    if node.__class__ is MappingNode:
        return NodeMap(node)
    if node.__class__ is SequenceNode:
        return [_view(item) for item in node.value]
    return scalar_value(node)
