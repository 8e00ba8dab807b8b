"""How a scalar was written in the file, and CRD schemas read from YAML nodes.

The loader resolves plain scalars with YAML 1.1 rules (:mod:`kprobelint.load`); messages
about YAML 1.1 traps need the original text (``yes``, ``0644``) and whether it was quoted,
which :func:`kprobelint.load.scalar_source` says. A CRD's schema is read from composed nodes
(:mod:`kprobelint.compose`) without converting the document. Everything schema validation
needs from the loader goes through this module, so a change there changes only this one.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..compose import MappingNode, SequenceNode, documents
from ..load import map_key, scalar_source
from ..scalars import ScalarError
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def scalar_text(parent: Any, step: Any) -> tuple[str, bool] | None:
    """``(text, plain)`` of the scalar at ``parent[step]`` (``parent`` a loaded mapping or
    sequence); None when unknown. ``plain``: unquoted and untagged, as go-yaml resolves it."""
    source = scalar_source(parent, (step,))
    return (source.text, source.plain) if source is not None else None


def compose(text: str) -> "NodeMap | None":
    """The first document of ``text`` as a :class:`NodeMap`, if it is a mapping.

    Only composed, never converted: a CRD's schema is read from the nodes for the few keys
    validation needs, so its descriptions (most of its text) cost no conversion.
    """
    try:
        node = next(documents(text), None)
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
            index = {}
            for key_node, value_node in self.node.value:
                key = map_key(key_node)
                if key is not None:
                    index[key] = value_node
            self._index = index
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
    return _scalar(node)


def _scalar(node: Any) -> Any:
    from ..load import _scalar as resolve  # noqa: PLC0415  (the loader's own resolution)

    try:
        return resolve(node)
    except ScalarError:
        return None
