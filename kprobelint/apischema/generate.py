"""Build the compact schema bundle from PyPI ``kubernetes-validate`` (development time only).

    python -m kprobelint.apischema.generate [--source DIR] [--output FILE] [--check]

``kubernetes-validate`` (Apache-2.0) ships JSON Schema conversions of the Kubernetes OpenAPI
documents for every release it supports, 72 MB unpacked. Validation needs a small part of
them: types, formats (int32, int64, byte), int-or-string and quantity, properties and whether
an object takes other keys, map value types, list item types, required fields and enums. This
keeps exactly that, drops the descriptions and the merge/patch markers, stores each distinct
definition once across all releases, and compresses the result (zlib). The output is
deterministic (sorted keys, fixed compression), records the source package version and a
sha256 per input file, and ``--check`` (or the test suite) regenerates it and compares.

Only the ``-local`` flavour is read: the ``-local-strict`` one differs exactly by
``additionalProperties: false`` on every object that lists its properties, which the compact
form keeps as the rule "an object with properties takes no other keys".
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any

BUNDLE_PATH = Path(__file__).resolve().parent / "kubernetes.json.zlib"
FORMAT = 3
SOURCE_PACKAGE = "kubernetes-validate"
_VERSION_DIR = re.compile(r"^v(1\.\d+)\.0-local$")
# JSON Schema type names to the compact codes the validator uses.
_TYPE_CODES = {"string": "s", "integer": "i", "number": "n", "boolean": "b", "object": "o",
               "array": "a"}
_KEPT_FORMATS = frozenset({"int32", "int64", "byte"})
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_REF_PREFIX = "#/$defs/"
_NOT_MANIFEST_KINDS = frozenset({"DeleteOptions", "WatchEvent"})


def source_dir() -> Path:
    """The installed package's schema folder."""
    try:
        import kubernetes_validate  # noqa: PLC0415
    except ImportError:
        raise SystemExit("kubernetes-validate is not installed: "
                         "pip install 'kprobelint[test]' (or kubernetes-validate)") from None
    return Path(kubernetes_validate.__file__).resolve().parent / "kubernetes-json-schema"


def source_version() -> str:
    from kubernetes_validate.version import __version__  # noqa: PLC0415

    return __version__


def compact(schema: Any) -> Any:
    """One JSON Schema node in the compact form (see ``store.py`` for the keys)."""
    if not isinstance(schema, dict):
        return {"t": "any"}
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref[len(_REF_PREFIX):] if ref.startswith(_REF_PREFIX) else ref
        return {"$": name}
    node: dict[str, Any] = {}
    types = schema.get("type")
    if isinstance(types, str):
        types = [types]
    codes = sorted(_TYPE_CODES[t] for t in (types or ()) if t in _TYPE_CODES)
    if "oneOf" in schema:  # only IntOrString and Quantity use it in the built-in schemas
        alternatives = {t for option in schema["oneOf"] for t in _types_of(option)}
        if alternatives == {"string", "integer"}:
            codes = ["ios"]
        elif alternatives == {"string", "number"}:
            codes = ["qty"]
        else:
            codes = sorted(_TYPE_CODES[t] for t in alternatives if t in _TYPE_CODES)
    node["t"] = "".join(codes) if len(codes) == 1 else (",".join(codes) or "any")
    fmt = schema.get("format")
    if fmt in _KEPT_FORMATS:
        node["f"] = fmt
    properties = schema.get("properties")
    if isinstance(properties, dict):
        node["p"] = {key: compact(value) for key, value in properties.items()}
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        node["m"] = compact(extra)
    items = schema.get("items")
    if isinstance(items, dict):
        node["i"] = compact(items)
    required = schema.get("required")
    if isinstance(required, list) and required:
        node["r"] = sorted(required)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        node["e"] = enum
    gvks = schema.get("x-kubernetes-group-version-kind")
    if isinstance(gvks, list):
        node["k"] = sorted(_api_version(g) + " " + g["kind"] for g in gvks)
    return node


def _types_of(option: Any) -> list[str]:
    types = option.get("type") if isinstance(option, dict) else None
    if isinstance(types, str):
        return [types] if types != "null" else []
    return [t for t in types or () if t != "null"]


def _api_version(gvk: dict) -> str:
    return f"{gvk['group']}/{gvk['version']}" if gvk.get("group") else gvk["version"]


def build(directory: Path, package_version: str) -> bytes:
    """The bundle's bytes: deterministic for the same input files."""
    versions = sorted((m.group(1) for p in directory.iterdir()
                       if (m := _VERSION_DIR.match(p.name))), key=_version_key)
    pool: dict[str, int] = {}
    pool_list: list[str] = []
    names: set[str] = set()
    per_version: dict[str, dict[str, int]] = {}
    kinds: dict[str, dict[str, str]] = {}
    inputs: dict[str, str] = {}
    for version in versions:
        relative = f"v{version}.0-local/_definitions.json"
        raw = (directory / relative).read_bytes()
        inputs[relative] = hashlib.sha256(raw).hexdigest()
        definitions = json.loads(raw)["$defs"]
        table: dict[str, int] = {}
        version_kinds: dict[str, str] = {}
        for name, schema in definitions.items():
            if name == _INT_OR_STRING:
                node = {"t": "ios"}
            elif name == _QUANTITY:
                node = {"t": "qty"}
            else:
                node = compact(schema)
            for gvk in node.pop("k", ()):
                if gvk.split(" ", 1)[1] in _NOT_MANIFEST_KINDS:
                    continue  # request bodies every group lists, never applied
                version_kinds[gvk] = name
            text = json.dumps(node, sort_keys=True, separators=(",", ":"))
            if text not in pool:
                pool[text] = len(pool_list)
                pool_list.append(text)
            table[name] = pool[text]
            names.add(name)
        per_version[version] = table
        kinds[version] = dict(sorted(version_kinds.items()))
    ordered = sorted(names)
    name_index = {name: i for i, name in enumerate(ordered)}
    gvks = sorted({gvk for table in kinds.values() for gvk in table})
    header = {
        "format": FORMAT,
        "source": {"package": SOURCE_PACKAGE, "version": package_version, "inputs": inputs},
        "names": ordered,
        "gvks": gvks,  # "apiVersion kind"
        "versions": {v: 1 + i for i, v in enumerate(versions)},  # the line of each table
    }
    # Per release, a line: the pool entry of each name (-1: absent), the name of each gvk (-1).
    tables = [{"defs": [per_version[v].get(n, -1) for n in ordered],
               "kinds": [name_index[kinds[v][g]] if g in kinds[v] else -1 for g in gvks]}
              for v in versions]
    # The header, the releases' tables, then the pool, one definition a line: opening a
    # release parses the header and its own table only (all 13 tables took 0.8 ms more, a
    # one-file run's hundredth), and a definition's line is parsed the first time an object
    # reaches it.
    lines = [json.dumps(part, sort_keys=True, separators=(",", ":"))
             for part in (header, *tables)] + pool_list
    return zlib.compress("\n".join(lines).encode("utf-8"), 9)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="kubernetes-json-schema folder "
                        "(default: the installed kubernetes-validate's)")
    parser.add_argument("--output", type=Path, default=BUNDLE_PATH)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing bundle instead of writing it")
    args = parser.parse_args(argv)
    directory = args.source or source_dir()
    data = build(directory, source_version())
    if args.check:
        same = args.output.is_file() and args.output.read_bytes() == data
        print(f"{args.output}: {'up to date' if same else 'STALE: regenerate it'}")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
