"""The shipped schema bundle, loaded lazily: nothing is read until an object needs it.

The bundle (``kubernetes.json.zlib``, written by :mod:`.generate`) holds every distinct
definition once, as compact JSON text, and per Kubernetes release a table from definition
name to pool entry and from ``apiVersion kind`` to definition, on a line of its own. Opening
a release parses only the header and that release's tables (about 2 ms with the
decompression); a definition is parsed and compiled into a :class:`Shape` the first
time an object reaches it, so validating a Deployment compiles some fifty of the ~700.

Compact node keys (one JSON object per node):
``$`` reference to a definition by name; ``t`` type code: ``s`` string, ``i`` integer,
``n`` number, ``b`` boolean, ``o`` object, ``a`` array, ``ios`` int-or-string, ``qty``
quantity (string or number), ``any``, or a comma-separated union; ``f`` format (``int32``,
``int64``, ``byte``); ``p`` properties; ``m`` the schema of every other key (a map);
``i`` list items; ``r`` required properties; ``e`` allowed values. An object with ``p`` and
without ``m`` takes no other keys, as the API server's strict decoding says.
"""
from __future__ import annotations

import functools
import json
import zlib
from pathlib import Path

from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

BUNDLE_FILE = Path(__file__).resolve().parent / "kubernetes.json.zlib"


class Shape:
    """A compiled schema node. ``kind`` is a type code as in the module docstring.

    ``closed`` objects take only ``props`` keys; ``values`` is the shape of a map's values;
    ``crd`` marks shapes from a CustomResourceDefinition, whose ``required`` lists the API
    server enforces as written (built-in ones are filtered, see :mod:`.validate`).
    """

    __slots__ = ("kind", "fmt", "props", "values", "items", "required", "enum", "closed",
                 "definition", "definition_name", "preserve", "embedded", "nullable", "crd",
                 "source")

    def __init__(self) -> None:
        self.kind = "any"
        self.fmt: str | None = None
        self.props: dict[str, Shape] | None = None
        self.values: Shape | None = None
        self.items: Shape | None = None
        self.required: tuple[str, ...] = ()
        self.enum: tuple | None = None
        self.closed = False
        self.definition: str | None = None  # the definition's short name, e.g. "Container"
        self.definition_name: str | None = None  # its full name, io.k8s.api.core.v1.Container
        self.preserve = False  # x-kubernetes-preserve-unknown-fields
        self.embedded = False  # x-kubernetes-embedded-resource
        self.nullable = True
        self.crd = False
        self.source: tuple[Release, str] | None = None  # while ``kind`` is LAZY

    def fill(self) -> None:
        """Compile a definition reached for the first time (``kind`` is :data:`LAZY`)."""
        release, name = self.source  # type: ignore[misc]
        self.source = None
        release.fill(self, name)


# The kind of a definition's shape until an object reaches it: compiling PodSpec eagerly
# would compile every volume source and probe type with it.
LAZY = "lazy"


ANY = Shape()


class Release:
    """One Kubernetes release's schema: kinds and definitions, compiled on first use."""

    def __init__(self, version: str, bundle: "_Bundle") -> None:
        self.version = version
        table = json.loads(bundle.lines[bundle.header["versions"][version]])
        names: list[str] = bundle.header["names"]
        self._pool = bundle.lines[bundle.first_definition:]
        self._index = {name: i for name, i in zip(names, table["defs"]) if i >= 0}
        self.kinds: dict[str, str] = {gvk: names[i] for gvk, i in
                                      zip(bundle.header["gvks"], table["kinds"]) if i >= 0}
        self._shapes: dict[str, Shape] = {}

    def kind_shape(self, api_version: str, kind: str) -> Shape | None:
        name = self.kinds.get(f"{api_version} {kind}")
        return self.definition(name) if name else None

    def has_definition(self, name: str) -> bool:
        return name in self._index

    def definition(self, name: str) -> Shape:
        """The compiled definition ``name`` (an empty shape if the release lacks it)."""
        shape = self._reference(name)
        if shape.kind is LAZY:
            shape.fill()
        return shape

    def _reference(self, name: str) -> Shape:
        shape = self._shapes.get(name)
        if shape is None:
            shape = Shape()
            shape.kind = LAZY
            shape.source = (self, name)
            shape.definition = name.rsplit(".", 1)[-1]
            shape.definition_name = name
            self._shapes[name] = shape
        return shape

    def fill(self, shape: Shape, name: str) -> None:
        entry = self._index.get(name)
        if entry is None:
            shape.kind = "any"
            return
        self._fill(shape, json.loads(self._pool[entry]))

    def _compile(self, node: dict[str, Any]) -> Shape:
        ref = node.get("$")
        if ref is not None:
            return self._reference(ref)
        shape = Shape()
        self._fill(shape, node)
        return shape

    def _fill(self, shape: Shape, node: dict[str, Any]) -> None:
        shape.kind = node.get("t", "any")
        shape.fmt = node.get("f")
        props = node.get("p")
        if props is not None:
            shape.props = {key: self._compile(value) for key, value in props.items()}
        values = node.get("m")
        if values is not None:
            shape.values = self._compile(values)
        items = node.get("i")
        if items is not None:
            shape.items = self._compile(items)
        shape.required = tuple(node.get("r", ()))
        enum = node.get("e")
        shape.enum = tuple(enum) if enum else None
        shape.closed = props is not None and values is None


class _Bundle:
    """The decompressed bundle: its header, parsed; each release's table and definition
    lines, not yet (line 0 is the header, then a table a release, then the definitions)."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.split(b"\n")
        self.header: dict[str, Any] = json.loads(self.lines[0])
        self.first_definition = 1 + len(self.header["versions"])


@functools.cache
def _bundle() -> _Bundle:
    return _Bundle(zlib.decompress(BUNDLE_FILE.read_bytes()))


def versions() -> list[str]:
    """Releases in the bundle, oldest first."""
    return sorted(_bundle().header["versions"],
                  key=lambda v: tuple(int(p) for p in v.split(".")))


def source() -> dict[str, Any]:
    """Where the bundle came from: package, version and a sha256 per input file."""
    return _bundle().header["source"]


@functools.cache
def release(version: str) -> Release | None:
    """The schema of ``version`` (``MAJOR.MINOR``); None if the bundle lacks it."""
    bundle = _bundle()
    if version not in bundle.header["versions"]:
        return None
    return Release(version, bundle)


def nearest_version(version: tuple[int, int]) -> str:
    """The bundled release to use for ``version``: itself, else the closest one."""
    known = versions()
    wanted = f"{version[0]}.{version[1]}"
    if wanted in known:
        return wanted
    if version < tuple(int(p) for p in known[0].split(".")):
        return known[0]
    return known[-1]
