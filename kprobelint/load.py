"""Bytes to YAML documents with a position for every key and value, read as kubectl reads them.

kubectl and Helm read YAML with go-yaml v2 (through sigs.k8s.io/yaml ``YAMLToJSON``);
:mod:`kprobelint.compose` parses with a grammar that agrees with it (PyYAML's libyaml 0.2.5,
parsing again where libyaml alone would refuse what go-yaml reads), and the converter here
turns nodes into plain dicts and lists with go-yaml's rules: YAML 1.1 scalars
(:mod:`kprobelint.scalars`), merge keys applied where they stand, keys made strings as
``YAMLToJSON`` makes them. What kubectl would refuse (a key JSON cannot have, NaN, a badly
tagged scalar, a ``---`` line with content) is a KPL001 problem at its position, and the
document is not linted. tests/goyaml holds the evidence: a Go oracle and its verdicts.

Each converted mapping and sequence keeps the node it came from, so positions are looked up
lazily (:func:`locate`), only for the few values that end up in a finding. For the schema
checks: a scalar's node says how it was written (``node.style``: ``""`` plain, ``'``, ``"``,
``|``, ``>``; ``node.value``: its text) -- see :func:`scalar_source`. Nothing here raises on
bad input: every problem becomes a :class:`Problem`.
"""
from __future__ import annotations

import codecs
import gc
import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import compose
from .compose import PLAIN, QUOTED, MappingNode, ScalarNode, SequenceNode
from .findings import HelmSource, Span
from .scalars import ScalarError, key_text, resolve_plain, resolve_tagged

MAX_DEPTH = 400  # Kubernetes objects nest ~30 deep; Python frames stay far from the limit
C_SAFE_DEPTH = 5000  # libyaml's recursive C composer segfaults somewhere past ~50,000
ALIAS_EXPANSION_FLOOR = 100_000
ALIAS_EXPANSION_RATIO = 10


class YMap(dict):
    """A mapping that remembers its node, for positions."""

    __slots__ = ("node",)


class YSeq(list):
    """A sequence that remembers its node, for positions."""

    __slots__ = ("node",)


@dataclass(slots=True)
class Problem:
    """Something wrong with the input itself, reported under an input rule."""

    rule: str  # an input rule name: parse-error, duplicate-key, ...
    message: str
    span: Span


@dataclass(slots=True)
class Document:
    index: int  # 0-based position in the stream (a document that failed to convert counts)
    data: Any
    start_line: int  # 1-based
    source: HelmSource | None = None


@dataclass(slots=True)
class LoadedFile:
    path: str
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: str | None = None  # why the file was not linted at all (not an error)
    digest: str = ""  # content hash of the bytes read, when a fix may rewrite the file
    # False when node offsets are not offsets into ``text`` (a JSON file's surrogate pairs were
    # rewritten, or documents were composed apart): fixes, which edit at offsets, refuse then.
    exact_offsets: bool = True


class _InputError(Exception):
    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


# ---------------------------------------------------------------------------------------------
# Decoding


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def encoding_of(data: bytes) -> tuple[str, bytes]:
    """The encoding of a YAML file (UTF-8, -16 or -32 per the YAML spec's detection rules) and
    its byte order mark (``b""`` when it has none), so that a fixed file is written back the
    same way."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, bom
    if b"\x00" in data[:4]:
        encoding = _guess_wide_encoding(data[:4])
        if encoding:
            return encoding, b""
    return "utf-8", b""


def decode(data: bytes) -> str:
    """Text of a YAML file, in the encoding :func:`encoding_of` detects."""
    encoding, bom = encoding_of(data)
    if bom or encoding != "utf-8":
        return _decode(data[len(bom):], encoding)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _line_col_of_bytes(data, offset, "utf-8")
        raise _InputError(
            "binary-file", f"binary file: NUL byte at offset {offset}, not YAML text", line, col
        )
    return _decode(data, "utf-8")


def _guess_wide_encoding(head: bytes) -> str | None:
    # YAML 1.2 section 5.2: the first character of a YAML stream is ASCII.
    if len(head) >= 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "utf-32-be"
    if len(head) >= 4 and head[0] and head[1:4] == b"\x00\x00\x00":
        return "utf-32-le"
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[0] and head[1] == 0:
        return "utf-16-le"
    return None


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_bytes(data, exc.start, encoding)
        raise _InputError(
            "parse-error",
            f"not valid {encoding.upper()}: byte {data[exc.start]:#04x} at offset {exc.start}",
            line,
            col,
        ) from None


def _line_col_of_bytes(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    # Columns are counted in characters, as libyaml counts them for every other position.
    before = data[:offset].decode(encoding, errors="replace")
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    lines = before.count("\n") + before.count("\r") - before.count("\r\n")
    return lines + 1, len(before) - line_start + 1


# ---------------------------------------------------------------------------------------------
# Composition and conversion


class _Converter:
    """Nodes to YMap/YSeq/scalars; guards against alias bombs, cycles and deep nesting."""

    def __init__(self, problems: list[Problem], text: str | None = None,
                 manifest: bool = True) -> None:
        self.problems = problems
        self.text = text
        self.json_numbers = manifest  # NaN and infinities cannot be sent
        # go-yaml has no `\/` escape: only a text that holds one needs its scalars checked.
        self.slash_escapes = text is not None and "\\/" in text
        # Only a text with a `!` can tag a plain scalar with the non-specific `!`.
        self.bangs = text is not None and "!" in text
        self.memo: dict[int, tuple[Any, int]] = {}  # node id -> (value, expanded size)
        self.in_progress: set[int] = set()
        self.nodes = 0
        self.expanded = 0
        self.complex_keys = 0

    def convert(self, node: Any) -> Any:
        try:
            return self._value(node, 0)[0]
        except RecursionError:  # only if the caller's own stack is already very deep
            raise _InputError(
                "nesting-too-deep", "nesting too deep to convert", *_mark(node.start_mark)
            ) from None
        finally:
            self.in_progress.clear()  # after an error: ids of freed nodes must not linger

    def _value(self, node: Any, depth: int) -> tuple[Any, int]:
        if node.__class__ is ScalarNode:
            self.nodes += 1
            style = node.style
            if not style and node.tag == PLAIN and not self.bangs:  # the common case, inline
                value = resolve_plain(node.value) if node.value else None
            else:
                if style:
                    if style in "|>" and self.text is not None:
                        _trim_block_end(node, self.text)
                        if node.end_mark.index >= len(self.text):
                            _break_at_end_of_input(node, self.text)
                    elif style == '"' and self.slash_escapes:
                        self._check_escapes(node)
                value = self._scalar(node)
            if value.__class__ is float and self.json_numbers and not math.isfinite(value):
                raise _refusal(f"`{node.value}` is {_FLOAT_NAMES.get(str(value))}, which "
                               "JSON cannot carry: kubectl refuses the document (json: "
                               f"unsupported value); quote it to keep the text", node)
            return value, 1
        key = id(node)
        known = self.memo.get(key)
        if known is not None:  # an alias: the same object, positions are the anchor's
            self.expanded += known[1]
            if self.expanded > ALIAS_EXPANSION_FLOOR + ALIAS_EXPANSION_RATIO * self.nodes:
                raise _InputError(
                    "excessive-aliasing",
                    "document expands aliases far beyond its size (an alias bomb); "
                    "the API server rejects it too",
                    *_mark(node.start_mark),
                )
            return known
        if key in self.in_progress:
            raise _InputError(
                "parse-error", "recursive alias: an anchor refers to itself",
                *_mark(node.start_mark),
            )
        if depth >= MAX_DEPTH:
            raise _InputError(
                "nesting-too-deep",
                f"nesting deeper than {MAX_DEPTH} levels; no Kubernetes object is this deep",
                *_mark(node.start_mark),
            )
        self.nodes += 1
        self.in_progress.add(key)
        if node.__class__ is MappingNode:
            value, size = self._mapping(node, depth + 1)
        else:
            value, size = self._sequence(node, depth + 1)
        self.in_progress.discard(key)
        self.memo[key] = (value, size)
        return value, size

    def _scalar(self, node: Any) -> Any:
        try:
            return _scalar(node, self.text)
        except ScalarError as exc:
            raise _refusal(f"kubectl cannot read this value: {exc}", node) from None

    def _check_escapes(self, node: Any) -> None:
        raw = self.text[node.start_mark.index:node.end_mark.index]  # type: ignore[index]
        for match in _ESCAPE.finditer(raw):
            if match.group(1) == "/":
                line, column = _mark(node.start_mark)
                if "\n" not in raw[:match.start()]:
                    column += match.start()
                raise _InputError("parse-error", "invalid YAML for kubectl: go-yaml has no "
                                  "`\\/` escape in double quotes; write `/`", line, column)

    def _check_flow_scalars(self, items: Any) -> None:
        """go-yaml ends a plain scalar at `?` inside [...] or {...}, then fails: libyaml 0.2.5
        does not (`[http://x/?a=b]` is refused by kubectl, read by libyaml)."""
        for item in items:
            if item.__class__ is ScalarNode and item.tag == PLAIN and not item.style:
                at = item.value.find("?", 1)
                if at > 0:
                    line, column = _mark(item.start_mark)
                    if item.start_mark.line == item.end_mark.line:
                        column += at
                    raise _InputError(
                        "parse-error", "invalid YAML for kubectl: inside [...] or {...} go-yaml "
                        f"reads `?` as a mapping key indicator, so `{item.value}` cannot be "
                        "read there; quote it", line, column)

    def _sequence(self, node: Any, depth: int) -> tuple[YSeq, int]:
        seq = YSeq()
        seq.node = node
        size = 1
        if node.flow_style:
            self._check_flow_scalars(node.value)
        for item in node.value:
            value, item_size = self._value(item, depth)
            seq.append(value)
            size += item_size
        return seq, size

    def _mapping(self, node: Any, depth: int) -> tuple[YMap, int]:
        """go-yaml v2 applies each pair in order: a merge (``<<``) overrides the keys before it
        and is overridden by the keys after it."""
        mapping = YMap()
        mapping.node = node
        size = 1
        seen_at: dict[str, Any] = {}
        if node.flow_style:
            self._check_flow_scalars(item for pair in node.value for item in pair)
        for key_node, value_node in node.value:
            if _is_merge_key(key_node):
                size += self._merge(mapping, key_node, value_node, depth)
                continue
            key = self._key(key_node)
            value, value_size = self._value(value_node, depth)
            size += value_size + 1
            if key in seen_at:
                first = seen_at[key]
                self.problems.append(
                    Problem(
                        "duplicate-key",
                        f"key {key!r} is repeated (first at line {first.start_mark.line + 1}); "
                        "the last one wins, as kubectl applies it",
                        node_span(key_node),
                    )
                )
            seen_at[key] = key_node
            mapping[key] = value
        return mapping, size

    def _key(self, node: Any) -> str:
        if node.__class__ is ScalarNode and not node.style and node.tag == PLAIN \
                and not self.bangs and node.value:
            value = resolve_plain(node.value)
            if value.__class__ is str:
                return value  # the common case, inline
        if node.__class__ is not ScalarNode:
            self.complex_keys += 1  # also how an unrendered `{{ .Values.x }}: v` looks
            raise _refusal(f"a {'mapping' if node.__class__ is MappingNode else 'sequence'} "
                           "used as a key: kubectl refuses it (invalid map key)", node)
        value = self._scalar(node)
        try:
            return key_text(value)
        except ScalarError as exc:
            what = "a null key" if value is None else f"the key {node.value}"
            raise _refusal(f"{what} cannot become a JSON key: kubectl refuses the document "
                           f"({exc}); quote it", node) from None

    def _merge(self, mapping: YMap, merge_key: Any, merge_node: Any, depth: int) -> int:
        """Merge one ``<<`` value: a mapping, or a list of them where the first one wins."""
        # An alias to a list (a node converted before) is refused; a list written in place is
        # a list of merges.
        if merge_node.__class__ is SequenceNode and id(merge_node) not in self.memo:
            sources = list(reversed(merge_node.value))  # earlier ones are applied last
        else:
            sources = [merge_node]
        size = 0
        for source_node in sources:
            if source_node.__class__ is not MappingNode:
                raise _refusal("a merge key (<<) must refer to a mapping or a list of mappings "
                               "(kubectl: map merge requires map or sequence of maps as the "
                               "value)", merge_key)
            # depth + 1: a merge costs a Python frame too, so chains of merges stay bounded.
            source, source_size = self._value(source_node, depth + 1)
            size += source_size
            mapping.update(source)
        return size


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FLOAT_NAMES = {"inf": "an infinite number", "-inf": "an infinite number", "nan": "not a number"}


def _refusal(message: str, node: Any) -> _InputError:
    """A value kubectl refuses: KPL001 at ``node``, and the document is not linted."""
    return _InputError("parse-error", f"invalid YAML for kubectl: {message}",
                       *_mark(node.start_mark))


def _trim_block_end(node: Any, text: str) -> None:
    """End a block scalar after its last non-blank character, not at the next line's start.

    libyaml ends ``|`` and ``>`` scalars after the trailing line breaks (column 0 of a later
    line); a span should stop at the end of the last line with content.
    """
    end = node.end_mark
    if end.column != 0 or end.line <= node.start_mark.line:
        return  # ends mid-line (end of input without a newline), or already trimmed
    start, index = node.start_mark.index, end.index
    if index > len(text):
        return
    i = index
    while i > start and text[i - 1] in " \t\r\n":
        i -= 1
    gap = text[i:index]
    line = end.line - (gap.count("\n") + gap.count("\r") - gap.count("\r\n"))
    line_start = max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1
    node.end_mark = end.__class__(end.name, i, line, i - line_start, None, None)


def _break_at_end_of_input(node: Any, text: str) -> None:
    """go-yaml ends a clipped or kept block scalar with a line break even where the input
    ends without one; libyaml 0.2.5 does not."""
    if not node.value or node.value.endswith("\n") or text.endswith(("\n", "\r")):
        return
    header = _BLOCK_HEADER.search(text, node.start_mark.index)
    if header is not None and "-" not in header.group(1):
        node.value += "\n"


_BLOCK_HEADER = re.compile(r"[|>]([-+0-9]*)")
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _is_merge_key(node: Any) -> bool:
    """go-yaml's isMerge: a `<<` that is plain and untagged, or tagged !!merge."""
    return (node.__class__ is ScalarNode and node.value == "<<"
            and ((node.tag == PLAIN and not node.style) or node.tag == _MERGE_TAG))


# The properties before a node: an anchor, then the non-specific tag `!`.
_NON_SPECIFIC = re.compile(r"(?:&\S+[ \t]+)?!(?=[\s,\]}]|\Z)")


def _scalar(node: Any, text: str | None = None) -> Any:
    """The value go-yaml gives a scalar node; :class:`ScalarError` where it refuses it.

    An untagged plain scalar is resolved (YAML 1.1); an untagged quoted or block scalar is a
    string; so is any scalar tagged with the non-specific `!`, which libyaml reports like an
    untagged one: the source tells them apart (a plain scalar cannot start with `!` or `&`).
    """
    tag = node.tag
    if tag == PLAIN:
        if node.style:
            return node.value  # `! "x"`
        if text is not None and text[node.start_mark.index:node.start_mark.index + 1] in "!&" \
                and _NON_SPECIFIC.match(text, node.start_mark.index):
            return node.value
        return resolve_plain(node.value) if node.value else None
    if tag == QUOTED:
        return node.value
    return resolve_tagged(tag, node.value)


def map_key(node: Any) -> str | None:
    """A key as the JSON conversion makes it (``true`` becomes "true"); None for one kubectl
    refuses (a null, uint64, mapping or sequence key, an ill-tagged scalar)."""
    if node.__class__ is not ScalarNode:
        return None
    try:
        return key_text(_scalar(node))
    except ScalarError:
        return None


def _mark(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def node_span(node: Any) -> Span:
    start, end = node.start_mark, node.end_mark
    if end.line > start.line and end.column == 0 and node.__class__ is ScalarNode:
        # A block scalar the converter did not trim (a key) ends at column 0 of a later line.
        return Span(start.line + 1, start.column + 1, end.line, start.column + 2)
    return Span(start.line + 1, start.column + 1, end.line + 1, max(end.column + 1, 1))


# ---------------------------------------------------------------------------------------------
# Positions


def find_pair(mapping_node: Any, key: str,
              passed: list | None = None) -> tuple[Any, Any] | None:
    """The key and value nodes that gave ``key`` its value: the last pair that set it, an
    explicit one or a merge (in a list of merges, the first source that has it).

    ``passed``, when given, receives the merge nodes and source mappings entered on the way.
    """
    for key_node, value_node in reversed(mapping_node.value):
        if _is_merge_key(key_node):
            sources = value_node.value if value_node.__class__ is SequenceNode else [value_node]
            for source in sources:
                if source.__class__ is MappingNode:
                    found = find_pair(source, key, passed)
                    if found:
                        if passed is not None:
                            passed.extend((value_node, source))
                        return found
        elif map_key(key_node) == key:
            return key_node, value_node
    return None


def _walk(root: Any, path: tuple) -> tuple[Any, Any, bool]:
    """(key node, value node, whether the whole path exists) for ``path`` inside ``root``."""
    current = root
    key_node = None
    value_node = getattr(root, "node", None)
    for step in path:
        if isinstance(current, YMap) and isinstance(step, str) and step in current:
            pair = find_pair(current.node, step)
            if pair is None:
                return key_node, value_node, False
            key_node, value_node = pair
            current = current[step]
        elif isinstance(current, YSeq) and isinstance(step, int) and 0 <= step < len(current):
            key_node = None
            value_node = current.node.value[step]
            current = current[step]
        else:
            return key_node, value_node, False
    return key_node, value_node, True


def locate(root: Any, path: tuple, on_key: bool = False) -> Span:
    """The span of ``path`` inside ``root``, or of its deepest existing ancestor's key.

    A scalar value is located at the value; a mapping or sequence value, or ``on_key``, at
    its key (the whole block would make an unreadable region).
    """
    key_node, value_node, found = _walk(root, path)
    on_key = on_key or not found  # a missing path: point at the nearest thing that exists
    if key_node is not None and (on_key or value_node.__class__ is not ScalarNode):
        return node_span(key_node)
    if value_node is None:
        return Span(1, 1, 1, 1)
    if value_node.__class__ is ScalarNode:
        return node_span(value_node)
    start = value_node.start_mark  # a sequence item that is a block: its first line
    return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 2)


@dataclass(frozen=True, slots=True)
class ScalarSource:
    """How a scalar was written, for messages such as "`yes` is read as true; quote it"."""

    text: str  # as written, without quotes (a plain scalar's text is its source)
    style: str  # "plain", "single-quoted", "double-quoted", "literal" or "folded"
    tag: str | None  # an explicit tag ("tag:yaml.org,2002:int", "!foo"), else None
    span: Span

    @property
    def plain(self) -> bool:
        """Unquoted and untagged: the only form go-yaml resolves (``yes`` -> true)."""
        return self.style == "plain" and self.tag is None


_STYLES = {"": "plain", "'": "single-quoted", '"': "double-quoted", "|": "literal",
           ">": "folded"}


def scalar_source(root: Any, path: tuple, on_key: bool = False) -> ScalarSource | None:
    """How the scalar at ``path`` (its key, with ``on_key``) was written; None if it is not a
    scalar or the path does not exist. ``root`` is a document's data, as for :func:`locate`."""
    key_node, value_node, found = _walk(root, path)
    node = key_node if on_key else value_node
    if not found or node is None or node.__class__ is not ScalarNode:
        return None
    tag = None if node.tag in (PLAIN, QUOTED) else node.tag
    return ScalarSource(node.value, _STYLES[node.style or ""], tag, node_span(node))


# ---------------------------------------------------------------------------------------------
# Files


_SOURCE_COMMENT = re.compile(r"^# Source: (.+?)[ \t\r]*$", re.MULTILINE)
# A template action at the start of a line, outside any block scalar (whose content is
# indented: rendered ConfigMaps legitimately hold Go templates such as `  {{ define "x" }}`).
_LINE_STARTS_WITH_ACTION = re.compile(r"^(?:- +)?\{\{", re.MULTILINE)
TEMPLATE_HINT = ("unrendered Helm template: render it first, e.g. "
                 "`helm template CHART | kprobelint --chart-dir CHART -`")
# JSON escapes a character beyond the BMP as a UTF-16 surrogate pair ("\ud83d\ude00", as
# Python's json.dumps writes it); YAML rejects that, kubectl reads JSON input as JSON.
_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def load_text(path: str, text: str, chart_template: bool = False,
              manifest: bool = True) -> LoadedFile:
    """Documents of one file; ``chart_template`` marks a file under a chart's templates/.

    A ``manifest`` is read as kubectl sends it, as JSON: NaN and infinities are refused. A
    configuration or rule file (``manifest=False``) keeps them, for its own validation to judge.
    """
    loaded = LoadedFile(path, text)
    has_braces = "{{" in text
    if chart_template and has_braces:
        loaded.skipped = TEMPLATE_HINT
        return loaded
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()  # a big file allocates millions of acyclic objects: don't scan them
    try:
        converter, error = _parse(loaded, text, manifest)
        if error is not None and _is_json_with_surrogates(error, text):
            loaded.documents.clear()
            loaded.problems.clear()
            converter, error = _parse(loaded, _SURROGATE_PAIR.sub(_join_surrogates, text),
                                      manifest)
            loaded.exact_offsets = False
    finally:
        if gc_was_enabled:
            gc.enable()
    if "---" in text:
        _check_separators(loaded, text)
    if error is not None:
        problem = _yaml_error_problem(error, text)
        if has_braces and _template_broke_yaml(text, problem.span.line):
            return _skip_template(loaded)
        loaded.problems.append(problem)
    if has_braces and converter.complex_keys:
        # `key: {{ .Values.x }}` parses as a mapping used as a key: no rendered manifest has one.
        return _skip_template(loaded)
    if "# Source: " in text:
        _attach_helm_sources(loaded)
    return loaded


def _parse(loaded: LoadedFile, text: str,
           manifest: bool = True) -> tuple[_Converter, Exception | None]:
    """Fill ``loaded`` with documents and input problems; return a YAML error, if any."""
    converter = _Converter(loaded.problems, text, manifest)
    try:
        segments = _deep_segments(text)
    except Exception as exc:  # the pre-scan met a YAML error before any deep document
        return converter, exc
    if segments is None:
        error = _compose(loaded, text, converter, 0)[0]
        if not _past_libyaml_depth(error):
            return converter, error
        # The libyaml of recent PyYAML wheels refuses nesting past 1,000 levels: measure
        # event by event, as for a deeper document, to refuse it at MAX_DEPTH.
        loaded.documents.clear()
        loaded.problems.clear()
        converter = _Converter(loaded.problems, text, manifest)
        try:
            segments = _deep_segments(text, measured=True)
        except Exception as exc:
            return converter, exc
        if segments is None:
            return converter, error
    # Compose the documents around a too-deep one separately, each padded with newlines so
    # that lines (and columns) stay those of the file.
    loaded.exact_offsets = False
    index = 0
    for start, end, line, problem in segments:
        if problem is not None:
            loaded.problems.append(problem)
            index += 1
            continue
        piece = "\n" * line + text[start:end]
        part = _Converter(loaded.problems, piece, manifest)
        error, index = _compose(loaded, piece, part, index)
        converter.complex_keys += part.complex_keys
        if error is not None:
            return converter, error
    return converter, None


def _compose(loaded: LoadedFile, text: str, converter: _Converter,
             index: int) -> tuple[Exception | None, int]:
    """Add the documents of ``text``, numbered from ``index``; return a YAML error, if any."""
    problems = loaded.problems
    try:
        for node in compose.documents(text):
            index += 1
            try:
                data = converter.convert(node)
            except _InputError as exc:
                # One hostile document does not hide the others, unless it is an alias bomb.
                problems.append(_input_problem(exc))
                if exc.rule == "excessive-aliasing":
                    break
                continue
            loaded.documents.append(Document(index - 1, data, node.start_mark.line + 1))
    except _InputError as exc:
        problems.append(_input_problem(exc))
    except Exception as exc:  # libyaml errors, and anything else it may throw on hostile input
        return exc, index
    return None, index


def _check_separators(loaded: LoadedFile, text: str) -> None:
    for line, rest in compose.bad_separators(text):
        shown = rest if len(rest) <= 40 else rest[:37] + "..."
        loaded.problems.append(Problem(
            "parse-error",
            f"invalid document separator for kubectl: `---` must be alone on its line (or "
            f"followed by a comment), and kubectl refuses the file at `{shown}`; move it to "
            "the next line", Span(line + 1, 1, line + 1, 4)))


def _input_problem(exc: _InputError) -> Problem:
    return Problem(exc.rule, exc.message, Span(exc.line, exc.column, exc.line, exc.column + 1))


def _skip_template(loaded: LoadedFile) -> LoadedFile:
    loaded.skipped = TEMPLATE_HINT
    loaded.documents.clear()
    loaded.problems.clear()
    return loaded


def _is_json_with_surrogates(error: Exception, text: str) -> bool:
    return (
        "invalid Unicode character escape code" in str(getattr(error, "problem", "") or "")
        and text.lstrip()[:1] in ("{", "[")
        and _SURROGATE_PAIR.search(text) is not None
    )


def _join_surrogates(match: re.Match) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    return f"{match.group(1)}\\U{code:08x}"


def _template_broke_yaml(text: str, error_line: int) -> bool:
    lines = text.split("\n", error_line)
    near = lines[max(error_line - 2, 0):error_line]
    return any("{{" in line for line in near) or bool(_LINE_STARTS_WITH_ACTION.search(text))


def load_bytes(path: str, data: bytes, chart_template: bool = False) -> LoadedFile:
    try:
        text = decode(data)
    except _InputError as exc:
        loaded = LoadedFile(path)
        loaded.problems.append(_input_problem(exc))
        return loaded
    return load_text(path, text, chart_template)


def _yaml_error_problem(exc: Exception, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
    elif isinstance(getattr(exc, "position", None), int):  # ReaderError: a character offset
        position = exc.position  # type: ignore[attr-defined]
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        problem = getattr(exc, "reason", None) or "unreadable character"
    else:
        line, col = 1, 1
    if problem:
        message = f"{context}: {problem}" if context else str(problem)
    else:
        message = f"YAML could not be parsed ({type(exc).__name__}: {exc})"
    return Problem("parse-error", f"invalid YAML: {message}", Span(line, col, line, col + 1))


# Document markers: libyaml ends every collection and scalar at one (or fails there), so no
# nesting spans two of the pieces they cut a stream into.
_DOCUMENT_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|\Z)", re.MULTILINE)
_HALF_SAFE = C_SAFE_DEPTH // 2
# A line whose indentation and leading `- `, `? `, `: ` (or `--- `) could open that many block
# levels: an anchor or tag cannot precede a block collection on its line, and the class
# over-approximates (`-x` counts), which a bound may do.
_LONG_LEADING_RUN = re.compile(r"[ \t?:-]{%d}" % (_HALF_SAFE - 2))
_LONG_LEADING_RUN_AFTER_NEWLINE = re.compile(r"\n[ \t?:-]{%d}" % (_HALF_SAFE - 2))


def _may_be_deep(text: str) -> bool:
    """False when no document in ``text`` can nest ``C_SAFE_DEPTH`` levels (checked in C).

    A flow level needs a bracket; a block level needs a column of indentation or an indicator
    at the start of its line (a zero-indented sequence shares its parent's column, but its
    items are two further in). Both stay under half the limit in any real file.
    """
    if _LONG_LEADING_RUN.match(text) or _LONG_LEADING_RUN_AFTER_NEWLINE.search(text):
        return True
    if text.count("[") + text.count("{") < _HALF_SAFE:
        return False
    start = 0
    for marker in _DOCUMENT_MARKER.finditer(text):
        if text.count("[", start, marker.start()) + text.count("{", start, marker.start()) \
                >= _HALF_SAFE:
            return True
        start = marker.end()
    return text.count("[", start) + text.count("{", start) >= _HALF_SAFE


Segment = tuple[int, int, int, "Problem | None"]  # start, end, 0-based line, problem


def _past_libyaml_depth(error: Exception | None) -> bool:
    return error is not None and "maximum nesting depth" in str(getattr(error, "problem", ""))


def _deep_segments(text: str, measured: bool = False) -> list[Segment] | None:
    """The file's documents as text ranges when one is too deep to compose, else None.

    libyaml's composer recurses in C: measure exactly (slowly, event by event) only what may
    be deep enough to crash it. A depth-d document needs at least d characters.
    """
    if not measured and (len(text) < C_SAFE_DEPTH or not _may_be_deep(text)):
        return None
    segments: list[Segment] = []
    depth, start, line, problem, any_deep = 0, 0, 0, None, False
    try:
        for event in compose.events(text):
            name = event.__class__.__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH and problem is None:
                    line_, column = _mark(event.start_mark)
                    problem = Problem(
                        "nesting-too-deep",
                        f"nesting deeper than {MAX_DEPTH} levels; no Kubernetes object is "
                        "this deep", Span(line_, column, line_, column + 1))
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            elif name == "DocumentStartEvent":
                mark = event.start_mark
                start, line = text.rfind("\n", 0, mark.index) + 1, mark.line
            elif name == "DocumentEndEvent":
                segments.append((start, event.end_mark.index, line, problem))
                any_deep = any_deep or problem is not None
                depth, problem = 0, None
            elif name == "StreamEndEvent":
                break
    except Exception:
        if problem is not None:  # the deep document is also broken: its depth is reported
            segments.append((start, len(text), line, problem))
            return segments
        if not any_deep:
            raise
        segments.append((start, len(text), line, None))  # composing it reports the error
    return segments if any_deep else None


def _attach_helm_sources(loaded: LoadedFile) -> None:
    """Give each document the last ``# Source:`` comment between it and the document before.

    One pass over comments and documents together (both in line order): a `helm template`
    output of thousands of documents costs no more than its parse.
    """
    text = loaded.text
    documents = iter(loaded.documents)
    document = next(documents, None)
    line, offset, pending = 1, 0, None
    for match in _SOURCE_COMMENT.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        while document is not None and document.start_line <= line:
            if pending is not None:
                document.source = HelmSource(pending)
            pending = None
            document = next(documents, None)
        if document is None:
            return
        pending = match.group(1)
    if document is not None and pending is not None:
        document.source = HelmSource(pending)


def load_plain(text: str) -> Any:
    """One YAML document as plain data, for configuration and rule files."""
    loaded = load_text("<config>", text, manifest=False)
    if loaded.skipped:
        raise ValueError(loaded.skipped)
    if loaded.problems and loaded.problems[0].rule == "parse-error":
        problem = loaded.problems[0]
        raise ValueError(f"line {problem.span.line}, column {problem.span.column}: "
                         f"{problem.message}")
    return loaded.documents[0].data if loaded.documents else None
