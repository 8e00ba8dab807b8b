"""Custom resources: schemas from CustomResourceDefinitions, in the validator's form.

A CRD's ``openAPIV3Schema`` is a structural schema: types, properties, ``required``,
``enum``, ``additionalProperties``, and the markers ``x-kubernetes-preserve-unknown-fields``
(keep fields the schema does not list), ``x-kubernetes-int-or-string`` and
``x-kubernetes-embedded-resource`` (an object with its own apiVersion, kind and metadata).
The API server prunes fields a structural schema does not list, and with strict field
validation (kubectl's default) refuses them; it checks types, ``required`` and ``enum`` as
written. Other validations (formats, patterns, bounds, CEL rules) are not checked here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import Templates
from .source import NodeMap, compose
from .store import Shape

TEXTS = Templates("crd", {
    "cannot-read": "cannot read CRD file {file}: {reason}",
    "cannot-parse": "{where}: cannot read CRD file: {problem}",
    "no-such-path": "no such CRD file or directory: {path}",
})

_TYPE_CODES = {"string": "s", "integer": "i", "number": "n", "boolean": "b", "object": "o",
               "array": "a"}
_EXTENSIONS = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class CrdSource:
    """Where a CRD document is: a file and the character range of its mapping in the file's
    decoded text (:func:`kprobelint.load.file_text`), or, for input that cannot be read again
    (stdin), the mapping's own text (``start`` and ``end`` then index it)."""

    file: str
    start: int
    end: int
    column: int  # of the mapping's first key: a List item starts mid-line
    text: str | None = None

    def read(self) -> str | None:
        text = self.text
        if text is None:
            text = _read_text(self.file)
            if text is None:
                return None
        # Indent the first line like the others: a List item starts mid-line.
        return " " * self.column + text[self.start:self.end]


@dataclass
class CrdSchemas:
    """CRD versions by ``(group, version, kind)``, kept as where the CRD is.

    Registering a CRD reads only its group, kind and version names and remembers where it
    is; its schema is read again and compiled the first time a custom resource of that kind
    needs it, so the many big CRDs nobody uses cost neither time nor memory. The registry is
    small to pickle between processes and keeps no document alive.
    """

    sources: dict[tuple[str, str, str], tuple[CrdSource, str]] = field(default_factory=dict)
    _compiled: dict[tuple[str, str, str], Shape | None] = field(default_factory=dict,
                                                                repr=False)

    def add(self, data: Any, source: CrdSource) -> int:
        """Register the versions of one CRD document; how many."""
        if not isinstance(data, dict) or data.get("kind") != "CustomResourceDefinition":
            return 0
        spec = data.get("spec")
        if not isinstance(spec, dict) or spec.get("preserveUnknownFields") is True:
            return 0  # (v1beta1 without pruning keeps unknown fields: nothing to report)
        group, names = spec.get("group"), spec.get("names")
        kind = names.get("kind") if isinstance(names, dict) else None
        if not isinstance(group, str) or not isinstance(kind, str):
            return 0
        count = 0
        for version in _version_names(spec):
            key = (group, version, kind)
            self.sources[key] = (source, version)
            self._compiled.pop(key, None)
            count += 1
        return count

    def merge(self, other: "CrdSchemas") -> None:
        self.sources.update(other.sources)
        self._compiled.clear()

    def knows(self, api_version: str, kind: str) -> bool:
        group, _, version = api_version.rpartition("/")
        return (group, version, kind) in self.sources

    def shape(self, api_version: str, kind: str) -> Shape | None:
        group, _, version = api_version.rpartition("/")
        key = (group, version, kind)
        if key in self._compiled:
            return self._compiled[key]
        entry = self.sources.get(key)
        compiled = None
        if entry is not None:
            source, crd_version = entry
            text = source.read()
            schema = _parse_schema(text, crd_version) if text is not None else None
            if schema is not None:
                compiled = compile_schema(schema, root=True)
                compiled.definition = kind
        self._compiled[key] = compiled
        return compiled

    def __getstate__(self) -> dict:
        return {"sources": self.sources}

    def __setstate__(self, state: dict) -> None:
        self.sources, self._compiled = state["sources"], {}

    def __len__(self) -> int:
        return len(self.sources)


def _read_text(path: str) -> str | None:
    """A regular file's text, in which the loader counts offsets; None if it cannot be read."""
    from ..load import file_text  # noqa: PLC0415

    if not os.path.isfile(path):
        return None
    try:
        return file_text(Path(path).read_bytes())
    except Exception:  # unreadable now: the CRD validates nothing
        return None


def _version_names(spec: dict) -> list[str]:
    versions = spec.get("versions")
    names = [entry["name"] for entry in versions if isinstance(entry, dict)
             and isinstance(entry.get("name"), str)] if isinstance(versions, list) else []
    if not names and isinstance(spec.get("version"), str):  # apiextensions.k8s.io/v1beta1
        names = [spec["version"]]
    return names


def _parse_schema(text: str, version: str) -> Any:
    """The openAPIV3Schema of ``version`` in a CRD document's text (a mapping view)."""
    data = compose(text)
    spec = data.get("spec") if data is not None else None
    if not _is_map(spec):
        return None
    versions = spec.get("versions")
    for entry in versions if isinstance(versions, list) else ():
        if _is_map(entry) and entry.get("name") == version:
            schema = _schema_of(entry.get("schema"))
            if schema is not None:
                return schema
    return _schema_of(spec.get("validation"))  # v1beta1: one schema for every version


def _schema_of(holder: Any) -> Any:
    schema = holder.get("openAPIV3Schema") if _is_map(holder) else None
    return schema if _is_map(schema) else None


def _is_map(value: Any) -> bool:
    return isinstance(value, (dict, NodeMap))


def source_of(data: Any, loaded: Any, root: Any, inline: bool = False) -> CrdSource | None:
    """Where the mapping ``data`` (the document ``root`` or a List item in it) is in the file
    (or the piece of it) ``loaded``; ``inline``: the file cannot be read again."""
    from ..load import offsets_of  # noqa: PLC0415

    node = getattr(data, "node", None)
    if node is None:
        return None
    shift = offsets_of(root)[1]
    start, end = node.start_mark.index + shift, node.end_mark.index + shift
    column = node.start_mark.column
    if inline:  # only the CRD's own text is kept, not its input's
        base = loaded.first_index
        return CrdSource(loaded.path, 0, end - start, column, loaded.text[start - base:end - base])
    return CrdSource(loaded.path, start, end, column)


MAX_SCHEMA_DEPTH = 200  # structural schemas nest a few dozen levels; deeper is hostile


def compile_schema(schema: Any, root: bool = False, depth: int = 0) -> Shape:
    """A structural schema node (a mapping) as a :class:`Shape` (``crd`` set: enforced as
    written)."""
    shape = Shape()
    shape.crd = True
    if not _is_map(schema) or depth > MAX_SCHEMA_DEPTH:
        return shape
    if schema.get("x-kubernetes-int-or-string") is True:
        shape.kind = "ios"
        return shape
    shape.preserve = schema.get("x-kubernetes-preserve-unknown-fields") is True
    shape.embedded = schema.get("x-kubernetes-embedded-resource") is True
    kind = schema.get("type")
    shape.kind = _TYPE_CODES.get(kind, "any") if isinstance(kind, str) else "any"
    # Formats are left out: the CRD validator's handling of int32/int64 bounds is not the
    # Go decoder's, and a bound it does not enforce must not become an error here.
    depth += 1
    properties = schema.get("properties")
    if _is_map(properties):
        shape.props = {str(k): compile_schema(v, depth=depth) for k, v in properties.items()}
    extra = schema.get("additionalProperties")
    if _is_map(extra):
        shape.values = compile_schema(extra, depth=depth)
    elif extra is True:
        shape.values = Shape()
    items = schema.get("items")
    if _is_map(items):
        shape.items = compile_schema(items, depth=depth)
    required = schema.get("required")
    if isinstance(required, list):
        shape.required = tuple(r for r in required if isinstance(r, str))
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(not _is_map(v) and not isinstance(v, list)
                                               for v in enum):
        shape.enum = tuple(enum)
    if root or shape.embedded:
        # apiVersion, kind and metadata are implicit at the root and in embedded resources.
        shape.props = dict(shape.props or {})
        for key in ("apiVersion", "kind"):
            shape.props.setdefault(key, _string())
        shape.props.setdefault("metadata", Shape())  # the validator checks it as ObjectMeta
        if shape.kind == "any":
            shape.kind = "o"
    shape.closed = shape.props is not None and shape.values is None and not shape.preserve
    return shape


def _string() -> Shape:
    shape = Shape()
    shape.kind = "s"
    shape.crd = True
    return shape


def read_crd_paths(paths: list[str] | tuple[str, ...]) -> CrdSchemas:
    """CRDs from files and directories (``--crd``, ``crds:`` in the configuration)."""
    from ..load import load_bytes  # noqa: PLC0415

    schemas = CrdSchemas()
    for path in paths:
        for file in _crd_files(path):
            try:
                data = Path(file).read_bytes()
            except OSError as exc:
                raise UsageError(TEXTS("cannot-read", file=file,
                                       reason=exc.strerror or str(exc))) from exc
            loaded = load_bytes(file, data)
            problems = [p for p in loaded.problems if p.rule == "parse-error"]
            if problems:
                span = problems[0].span
                raise UsageError(TEXTS("cannot-parse", where=f"{file}:{span.line}:{span.column}",
                                       problem=problems[0].text))
            for document in loaded.documents:
                items = document.data.get("items") if isinstance(document.data, dict) else None
                for item in items if isinstance(items, list) else [document.data]:
                    source = source_of(item, loaded, document.data)
                    if source is not None:
                        schemas.add(item, source)
    return schemas


def _crd_files(path: str) -> list[str]:
    if os.path.isdir(path):
        found = []
        for root, dirs, files in os.walk(path):
            dirs.sort()
            found.extend(os.path.join(root, f) for f in sorted(files)
                         if f.endswith(_EXTENSIONS))
        return found
    if os.path.exists(path):
        return [path]
    raise UsageError(TEXTS("no-such-path", path=path))
