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

A file is read as kubectl reads it (k8s.io/cli-runtime and k8s.io/apimachinery; see
tests/goyaml/README.md). Its bytes are decoded as kubectl decodes them: UTF-8 with each invalid
sequence replaced by U+FFFD (KPL011 says where), UTF-16 after its byte order mark; a file that
starts with ``{`` is a stream of JSON values (:mod:`kprobelint.jsonstream`), then perhaps YAML.
YAML is cut into pieces at its ``---`` lines before anything is parsed, and only the first
YAML document of each piece is read (KPL012 says where the ignored rest starts). Small pieces
are parsed together, which libyaml reads alike unless it finds an error or a directive; then
each is parsed alone, exactly as kubectl reads it (:meth:`_Reader._compose`). Each document is
checked on its own, in time linear in its size: its size (:data:`MAX_DOCUMENT_BYTES`,
:data:`MAX_DOCUMENT_VALUES`) and its nesting depth (:func:`_too_deep`, which stops libyaml
long before its quadratic worst case). :func:`load_pieces` yields the file as consecutive
:class:`LoadedFile` pieces of a few small documents or one big one, so a caller that lints
each piece and lets it go holds one document at a time; :func:`load_bytes` joins them. A
piece is parsed on its own, so its nodes count lines and characters from the piece's start:
the root of each document remembers how many lines and characters of the file's text precede
its piece (``line_offset``, ``index_offset``: :func:`offsets_of`), and :func:`locate`,
:func:`scalar_source` and :func:`node_span` add the lines, the fix planner and the CRD index
the characters; ``LoadedFile.first_line`` and ``first_index`` say where a piece's text starts in
the file. The file's text is :func:`file_text`: the characters offsets count, also past a
document too large to be decoded, which then counts without being kept.
"""
from __future__ import annotations

import bisect
import codecs
import gc
import itertools
import math
import re
from collections.abc import Iterator
from . import compose, jsonstream
from .compose import PLAIN, QUOTED, MappingNode, ScalarNode, SequenceNode
from .findings import HelmSource, Span
from .i18n import Message, Templates
from .lazyregex import LazyPattern
from .records import FrozenRecord, Record, set_field
from .scalars import ScalarError, key_text, resolve_plain, resolve_tagged
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 400  # Kubernetes objects nest ~30 deep; Python frames stay far from the limit
ALIAS_EXPANSION_FLOOR = 100_000
ALIAS_EXPANSION_RATIO = 10
# The API server refuses a request body over 3 MiB (k8s.io/apiserver/pkg/server/config.go,
# MaxRequestBodyBytes, twice etcd's 1.5 MiB request limit), so no single object is larger.
# A `kind: List` is split by kubectl before sending, but a List this big is an export, not a
# manifest. What a document costs in memory is some 420 bytes a value (its node, marks and
# data): 2 MiB of `1,` took 416 MB. So a document may also hold at most MAX_DOCUMENT_VALUES
# values (estimated from its separators); with the file's own bytes, any file under the
# 256 MiB file cap stays within 1 GB.
MAX_DOCUMENT_BYTES = 4 * 2**20
MAX_DOCUMENT_VALUES = 1_000_000
# Small documents are parsed together, up to this many bytes a piece: one parser per tiny
# document costs a fifth more, and a piece this size costs little memory.
PIECE_BYTES = 256 * 1024
# Up to this size a file with `{{` is read whole before it is linted, to tell an unrendered
# Helm template (skipped with a hint) from YAML: no chart template is bigger.
TEMPLATE_SNIFF_BYTES = 4 * 2**20
# Problems of one input rule kept per file (then one line counts the rest): 100,000 repeated
# keys in 0.7 MB made 100,000 findings and 377 MB; 8 MiB of them took 1.9 GB.
MAX_PROBLEMS_PER_RULE = 1000


class YMap(dict):
    """A mapping that remembers its node, for positions (a document root: also its offsets,
    :func:`offsets_of`; a long mapping, once a key is located in it: its pairs by key)."""

    __slots__ = ("node", "line_offset", "index_offset", "pairs")


class YSeq(list):
    """A sequence that remembers its node, for positions (a document root: also its offsets,
    :func:`offsets_of`)."""

    __slots__ = ("node", "line_offset", "index_offset")


def offsets_of(root: Any) -> tuple[int, int]:
    """What a document root's node positions add to become positions in the file: the lines
    and the characters of the file's text before the text the document was parsed from."""
    return getattr(root, "line_offset", 0), getattr(root, "index_offset", 0)


TEXTS = Templates("load", {
    "binary": "binary file: NUL byte at offset {offset}, not YAML text",
    "not-valid": "not valid {encoding}: byte {byte} at offset {offset}",
    "bad-code-unit": "not valid {encoding}: bad code unit at offset {offset}",
    "too-deep-to-convert": "nesting too deep to convert",
    "not-json-number": (
        "invalid YAML for kubectl: `{value}` is {what}, which JSON cannot carry: kubectl refuses "
        "the document (json: unsupported value); quote it to keep the text"),
    "infinite": "an infinite number",
    "nan": "not a number",
    "alias-bomb": (
        "document expands aliases far beyond its size (an alias bomb); the API server rejects it "
        "too"),
    "recursive-alias": "recursive alias: an anchor refers to itself",
    "too-deep": "nesting deeper than {depth} levels; no Kubernetes object is this deep",
    "unreadable-value": "invalid YAML for kubectl: kubectl cannot read this value: {error}",
    "slash-escape": (
        "invalid YAML for kubectl: go-yaml has no `\\/` escape in double quotes; write `/`"),
    "flow-question": (
        "invalid YAML for kubectl: inside [...] or {{...}} go-yaml reads `?` as a mapping key "
        "indicator, so `{value}` cannot be read there; quote it"),
    "duplicate-key": (
        "key {key} is repeated (first at line {first}); the last one wins, as kubectl applies it"),
    "collection-key": (
        "invalid YAML for kubectl: a {what} used as a key: kubectl refuses it (invalid map key)"),
    "mapping": "mapping",
    "sequence": "sequence",
    "json-key": (
        "invalid YAML for kubectl: {what} cannot become a JSON key: kubectl refuses the document "
        "({error}); quote it"),
    "null-key": "a null key",
    "the-key": "the key {key}",
    "merge": (
        "invalid YAML for kubectl: a merge key (<<) must refer to a mapping or a list of mappings "
        "(kubectl: map merge requires map or sequence of maps as the value)"),
    "template": (
        "unrendered Helm template: render it first, e.g. `helm template CHART | kprobelint "
        "--chart-dir CHART -`"),
    "more-problems": (
        "{count} more {rule} problems from here on are not shown (the first {shown} are)"),
    "too-large": (
        "document of {size} MiB: the API server accepts at most 3 MiB in one request, and "
        "kprobelint reads documents of up to {limit} MiB"),
    "too-many-values": (
        "document of {size} MiB with up to {values} values: kprobelint reads at most {limit} in "
        "one document (no Kubernetes object has that many)"),
    "no-memory": "not enough memory to read this document ({size} MiB)",
    "separator": (
        "invalid document separator for kubectl: `---` must be alone on its line (or followed by "
        "a comment), and kubectl refuses the file at `{shown}`; move it to the next line"),
    "invalid-yaml": "invalid YAML: {error}",
    "byte": "byte {byte} at offset {offset}",
    "utf8-with-bom": (
        "not valid UTF-8: {byte}; the file starts with a UTF-8 byte order mark, so kubectl passes "
        "its bytes to go-yaml as they are, and kubectl and Helm both refuse it (yaml: invalid "
        "UTF-8); save the file as UTF-8"),
    "more-invalid": " ({more} more invalid sequences in this document)",
    "invalid-utf8": (
        "{byte} is not UTF-8{also}: kubectl replaces each invalid sequence with U+FFFD (\ufffd) "
        "and applies the text so changed, while Helm refuses the template (YAML parse error: "
        "yaml: invalid UTF-8); save the file as UTF-8 (was it saved as Latin-1?)"),
    "utf32": "this file is UTF-32",
    "utf16-no-bom": "this UTF-16 file has no byte order mark",
    "wide-encoding": (
        "kubectl reads only UTF-8, or UTF-16 that starts with a byte order mark, and {what}: "
        "go-yaml sees NUL characters and kubectl and Helm refuse the file (yaml: control "
        "characters are not allowed); save it as UTF-8 (kprobelint lints it all the same)"),
    "json-too-large": (
        "JSON value of {size} MiB: kprobelint reads documents of up to {limit} MiB and {values} "
        "values"),
    "json-stream": (
        "invalid JSON for kubectl: a file that starts with `{{` is read as a stream of JSON "
        "values, and after two of them kubectl reads no YAML: it refuses the file here ({error}); "
        "nothing from here on is applied"),
    "ignored-content": (
        "kubectl ignores everything from here to the next `---` line: go-yaml reads only the "
        "first YAML document of each piece between `---` lines, and that document ended before "
        "here (at `...`, after a top-level flow collection or scalar, or at a line indented less "
        "than its first key); nothing of it is applied"),
    "yaml-1-2": (
        "invalid YAML for kubectl: go-yaml reads only YAML 1.1 documents and refuses `%YAML 1.2` "
        "(found incompatible YAML document); remove the directive"),
    "directive": (
        "invalid YAML for kubectl: a directive (a line starting with `%`) is cut from its "
        "document by kubectl, which splits the file at `---` lines before parsing, so go-yaml "
        "finds no document after it here (did not find expected <document start>); remove the "
        "directive"),
    "unparsed": "YAML could not be parsed ({error})",
    "unreadable-character": "unreadable character",
})


class Problem(Record):
    """Something wrong with the input itself, reported under an input rule."""

    __slots__ = ("rule", "text", "span")
    rule: str  # an input rule name: parse-error, duplicate-key, ...
    text: Message | str  # what is wrong, in any language (``message``: in English)
    span: Span

    def __init__(self, rule: str, text: Message | str, span: Span) -> None:
        self.rule = rule
        self.text = text
        self.span = span

    @property
    def message(self) -> str:
        return str(self.text)


class Document(Record):
    """One YAML document of a file, converted to plain dicts and lists."""

    __slots__ = ("index", "data", "start_line", "source")
    index: int  # 0-based position in the stream (a document that failed to convert counts)
    data: Any
    start_line: int  # 1-based, in the file
    source: HelmSource | None

    def __init__(self, index: int, data: Any, start_line: int,
                 source: HelmSource | None = None) -> None:
        self.index = index
        self.data = data
        self.start_line = start_line
        self.source = source


class LoadedFile(Record):
    """A file, or a piece of one: ``text`` starts at line ``first_line`` of the file."""

    __slots__ = ("path", "text", "documents", "problems", "skipped", "first_line", "first_index",
                 "digest")
    path: str
    text: str
    documents: list[Document]
    problems: list[Problem]
    skipped: str | None  # why the file was not linted at all (not an error)
    first_line: int
    # Characters of the file's text before ``text``: what node offsets of the documents of this
    # piece add to become offsets in the file (each document root has it as ``index_offset``).
    first_index: int
    digest: str  # content hash of the bytes read, when a fix may rewrite the file

    def __init__(self, path: str, text: str = "", documents: list[Document] | None = None,
                 problems: list[Problem] | None = None, skipped: str | None = None,
                 first_line: int = 1, first_index: int = 0, digest: str = "") -> None:
        self.path = path
        self.text = text
        self.documents = [] if documents is None else documents
        self.problems = [] if problems is None else problems
        self.skipped = skipped
        self.first_line = first_line
        self.first_index = first_index
        self.digest = digest


class _InputError(Exception):
    def __init__(self, rule: str, message: Message, line: int = 1, column: int = 1) -> None:
        super().__init__(str(message))
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
        raise _binary(data)
    return _decode(data, "utf-8")


def _binary(data: bytes) -> _InputError:
    offset = data.index(b"\x00")
    line, col = _line_col_of_bytes(data, offset, "utf-8")
    return _InputError("binary-file", TEXTS("binary", offset=offset), line, col)


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
            TEXTS("not-valid", encoding=encoding.upper(), byte=f"{data[exc.start]:#04x}",
                  offset=exc.start),
            line,
            col,
        ) from None


def _bad_utf8(raw: bytes, exc: UnicodeDecodeError, text: str, line: int, offset: int,
              bom: bool) -> Problem:
    """The problem of a document whose bytes ``raw`` are not all UTF-8 (``text``: decoded with
    U+FFFD), at its first bad byte; ``line`` lines and ``offset`` bytes of the file precede it.

    Without a byte order mark, kubectl decodes a file with golang.org/x/text's UTF-8 decoder
    (k8s.io/cli-runtime pkg/resource/visitor.go, FileVisitor.Visit:
    ``unicode.BOMOverride(unicode.UTF8.NewDecoder())``), which replaces each maximal invalid
    subsequence with U+FFFD, as Python's "replace" does: the document is linted as kubectl
    applies it. Helm hands a template's bytes to sigs.k8s.io/yaml unchanged
    (pkg/releaseutil/manifest_sorter.go), and go-yaml refuses them. With a UTF-8 byte order
    mark, BOMOverride passes the bytes on unchanged: kubectl refuses them too.
    """
    where, column = _line_col_of_bytes(raw, exc.start, "utf-8")
    span = Span(line + where, column, line + where, column + 1)
    byte = TEXTS("byte", byte=f"{raw[exc.start]:#04x}", offset=offset + exc.start)
    if bom:
        return Problem("parse-error", TEXTS("utf8-with-bom", byte=byte), span)
    more = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd") - 1
    also = TEXTS("more-invalid", more=more) if more > 0 else ""
    return Problem("invalid-utf8", TEXTS("invalid-utf8", byte=byte, also=also), span)


def _too_large(start: int, end: int) -> bool:
    """Whether a JSON value is too large to be read (see MAX_DOCUMENT_BYTES)."""
    return end - start > MAX_DOCUMENT_BYTES


def _shift_first_line(piece: LoadedFile, column: int) -> None:
    """Move what is on the first line of ``piece`` ``column`` characters right: its text
    starts there on its line (YAML after a JSON value on the same line)."""
    for document in piece.documents:
        root = getattr(document.data, "node", None)
        stack, seen = ([root] if root is not None else []), set()
        while stack:
            node = stack.pop()
            if id(node) in seen or node.start_mark.line > 0:
                continue  # nodes below the first line have no children on it
            seen.add(id(node))
            node.start_mark = _shifted(node.start_mark, column)
            node.end_mark = _shifted(node.end_mark, column)
            if node.__class__ is MappingNode:
                stack.extend(item for pair in node.value for item in pair)
            elif node.__class__ is SequenceNode:
                stack.extend(node.value)
    for problem in piece.problems:
        span = problem.span
        if span.line == piece.first_line:
            problem.span = Span(span.line, span.column + column,
                                span.end_line, span.end_column + (
                                    column if span.end_line == span.line else 0))


def _shifted(mark: Any, column: int) -> Any:
    if mark.line > 0:
        return mark
    return mark.__class__(mark.name, mark.index, mark.line, mark.column + column, None, None)


def _line_col_of_bytes(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    # Columns are counted in characters, as libyaml counts them for every other position.
    before = data[:offset].decode(encoding, errors="replace")
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return _breaks(before) + 1, len(before) - line_start + 1


# ---------------------------------------------------------------------------------------------
# Composition and conversion


class _Converter:
    """Nodes to YMap/YSeq/scalars; guards against alias bombs, cycles and deep nesting."""

    def __init__(self, problems: list[Problem], text: str | None = None,
                 manifest: bool = True, line_offset: int = 0, index_offset: int = 0) -> None:
        self.problems = problems
        self.text = text
        self.offset = line_offset  # lines of the file before ``text``
        self.index_offset = index_offset  # characters of the file's text before ``text``
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
        """One document's root node as data; the root remembers the offsets of ``text``."""
        self.nodes = self.expanded = 0  # the alias budget is per document
        try:
            data = self._value(node, 0)[0]
        except RecursionError:  # only if the caller's own stack is already very deep
            raise _InputError(
                "nesting-too-deep", TEXTS("too-deep-to-convert"),
                *_mark(node.start_mark, self.offset)
            ) from None
        finally:
            self.in_progress.clear()  # after an error: ids of freed nodes must not linger
            # Anchors never reach across documents: what the memo holds is garbage now.
            self.memo.clear()
        if isinstance(data, (YMap, YSeq)):
            data.line_offset = self.offset
            data.index_offset = self.index_offset
        return data

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
                raise _refused(TEXTS("not-json-number", value=node.value,
                                     what=TEXTS(_FLOAT_NAMES[str(value)])), node, self.offset)
            return value, 1
        key = id(node)
        known = self.memo.get(key)
        if known is not None:  # an alias: the same object, positions are the anchor's
            self.expanded += known[1]
            if self.expanded > ALIAS_EXPANSION_FLOOR + ALIAS_EXPANSION_RATIO * self.nodes:
                raise _InputError(
                    "excessive-aliasing", TEXTS("alias-bomb"),
                    *_mark(node.start_mark, self.offset),
                )
            return known
        if key in self.in_progress:
            raise _InputError(
                "parse-error", TEXTS("recursive-alias"),
                *_mark(node.start_mark, self.offset),
            )
        if depth >= MAX_DEPTH:
            raise _InputError(
                "nesting-too-deep", TEXTS("too-deep", depth=MAX_DEPTH),
                *_mark(node.start_mark, self.offset),
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
            raise _refused(TEXTS("unreadable-value", error=str(exc)), node,
                           self.offset) from None

    def _check_escapes(self, node: Any) -> None:
        raw = self.text[node.start_mark.index:node.end_mark.index]  # type: ignore[index]
        for match in _ESCAPE.finditer(raw):
            if match.group(1) == "/":
                line, column = _mark(node.start_mark, self.offset)
                if "\n" not in raw[:match.start()]:
                    column += match.start()
                raise _InputError("parse-error", TEXTS("slash-escape"), line, column)

    def _check_flow_scalars(self, items: Any) -> None:
        """go-yaml ends a plain scalar at `?` inside [...] or {...}, then fails: libyaml 0.2.5
        does not (`[http://x/?a=b]` is refused by kubectl, read by libyaml)."""
        for item in items:
            if item.__class__ is ScalarNode and item.tag == PLAIN and not item.style:
                at = item.value.find("?", 1)
                if at > 0:
                    line, column = _mark(item.start_mark, self.offset)
                    if item.start_mark.line == item.end_mark.line:
                        column += at
                    raise _InputError(
                        "parse-error", TEXTS("flow-question", value=item.value), line, column)

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
                        TEXTS("duplicate-key", key=repr(key),
                              first=first.start_mark.line + 1 + self.offset),
                        node_span(key_node, self.offset),
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
            what = TEXTS("mapping" if node.__class__ is MappingNode else "sequence")
            raise _refused(TEXTS("collection-key", what=what), node, self.offset)
        value = self._scalar(node)
        try:
            return key_text(value)
        except ScalarError as exc:
            what = TEXTS("null-key") if value is None else TEXTS("the-key", key=node.value)
            raise _refused(TEXTS("json-key", what=what, error=str(exc)), node,
                           self.offset) from None

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
                raise _refused(TEXTS("merge"), merge_key, self.offset)
            # depth + 1: a merge costs a Python frame too, so chains of merges stay bounded.
            source, source_size = self._value(source_node, depth + 1)
            size += source_size
            mapping.update(source)
        return size


_ESCAPE = LazyPattern(r"\\(.)", re.DOTALL)
_FLOAT_NAMES = {"inf": "infinite", "-inf": "infinite", "nan": "nan"}


def _refused(message: Message, node: Any, line_offset: int = 0) -> _InputError:
    """A value kubectl refuses: KPL001 at ``node``, and the document is not linted."""
    return _InputError("parse-error", message, *_mark(node.start_mark, line_offset))


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


_BLOCK_HEADER = LazyPattern(r"[|>]([-+0-9]*)")
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _is_merge_key(node: Any) -> bool:
    """go-yaml's isMerge: a `<<` that is plain and untagged, or tagged !!merge."""
    return (node.__class__ is ScalarNode and node.value == "<<"
            and ((node.tag == PLAIN and not node.style) or node.tag == _MERGE_TAG))


# The properties before a node: an anchor, then the non-specific tag `!`.
_NON_SPECIFIC = LazyPattern(r"(?:&\S+[ \t]+)?!(?=[\s,\]}]|\Z)")


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


def _mark(mark: Any, line_offset: int = 0) -> tuple[int, int]:
    return mark.line + 1 + line_offset, mark.column + 1


def node_span(node: Any, line_offset: int = 0) -> Span:
    """The node's span; ``line_offset`` lines of the file precede the text it was parsed from."""
    start, end = node.start_mark, node.end_mark
    first = start.line + 1 + line_offset
    if end.line > start.line and end.column == 0 and node.__class__ is ScalarNode:
        # A block scalar the converter did not trim (a key) ends at column 0 of a later line.
        return Span(first, start.column + 1, end.line + line_offset, start.column + 2)
    return Span(first, start.column + 1, end.line + 1 + line_offset, max(end.column + 1, 1))


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


# A mapping with more pairs than this is indexed the first time a key is located in it: a
# document with hundreds of findings in one long mapping would otherwise scan it for each.
_INDEXED = 8


def _pair_of(mapping: YMap, key: str) -> tuple[Any, Any] | None:
    node = mapping.node
    if len(node.value) <= _INDEXED:
        return find_pair(node, key)
    try:
        pairs = mapping.pairs
    except AttributeError:
        pairs = mapping.pairs = _pairs_by_key(node)
    return find_pair(node, key) if pairs is None else pairs.get(key)


def _pairs_by_key(node: Any) -> dict[str, tuple[Any, Any]] | None:
    """Each key's last pair, as :func:`find_pair` finds it; None for a mapping with merge
    keys, whose precedence only find_pair knows."""
    pairs: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in node.value:
        if _is_merge_key(key_node):
            return None
        key = map_key(key_node)
        if key is not None:
            pairs[key] = (key_node, value_node)
    return pairs


def _walk(root: Any, path: tuple) -> tuple[Any, Any, bool]:
    """(key node, value node, whether the whole path exists) for ``path`` inside ``root``."""
    current = root
    key_node = None
    value_node = getattr(root, "node", None)
    for step in path:
        if isinstance(current, YMap) and isinstance(step, str) and step in current:
            pair = _pair_of(current, step)
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
    offset = getattr(root, "line_offset", 0)
    on_key = on_key or not found  # a missing path: point at the nearest thing that exists
    if key_node is not None and (on_key or value_node.__class__ is not ScalarNode):
        return node_span(key_node, offset)
    if value_node is None:
        return Span(1, 1, 1, 1)
    if value_node.__class__ is ScalarNode:
        return node_span(value_node, offset)
    start = value_node.start_mark  # a sequence item that is a block: its first line
    line = start.line + 1 + offset
    return Span(line, start.column + 1, line, start.column + 2)


class ScalarSource(FrozenRecord):
    """How a scalar was written, for messages such as "`yes` is read as true; quote it"."""

    __slots__ = ("text", "style", "tag", "span")
    text: str  # as written, without quotes (a plain scalar's text is its source)
    style: str  # "plain", "single-quoted", "double-quoted", "literal" or "folded"
    tag: str | None  # an explicit tag ("tag:yaml.org,2002:int", "!foo"), else None
    span: Span

    def __init__(self, text: str, style: str, tag: str | None, span: Span) -> None:
        set_field(self, "text", text)
        set_field(self, "style", style)
        set_field(self, "tag", tag)
        set_field(self, "span", span)

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
    return ScalarSource(node.value, _STYLES[node.style or ""], tag,
                        node_span(node, getattr(root, "line_offset", 0)))


# ---------------------------------------------------------------------------------------------
# Files


_SOURCE_COMMENT = LazyPattern(r"^# Source: (.+?)[ \t\r]*$", re.MULTILINE)
# A template action at the start of a line, outside any block scalar (whose content is
# indented: rendered ConfigMaps legitimately hold Go templates such as `  {{ define "x" }}`).
_LINE_STARTS_WITH_ACTION = LazyPattern(r"^(?:- +)?\{\{", re.MULTILINE)
TEMPLATE_HINT = TEXTS("template")

# Below these, libyaml may see a document whole (see _too_deep).
_SUSPECT_BRACKETS = 700
_LONG_LEADING_RUN = re.compile(r"^[ \t?:-]{100}", re.MULTILINE)


def load_pieces(path: str, data: bytes, chart_template: bool = False,
                manifest: bool = True) -> Iterator[LoadedFile]:
    """The file as consecutive pieces, each holding a few documents (or one big one).

    ``chart_template`` marks a file under a chart's templates/. Lint each piece and drop it:
    memory then follows the largest document, not the file. Pieces are made as they are asked
    for, except for a small file with ``{{``, read whole to tell an unrendered template.
    """
    yield from _pieces_of(path, data, chart_template, manifest, whole=False)


def _pieces_of(path: str, data: bytes, chart_template: bool, manifest: bool,
               whole: bool) -> Iterator[LoadedFile]:
    try:
        buffer, begin, wide = _buffer(data)
    except _InputError as exc:
        yield LoadedFile(path, problems=[_input_problem(exc)])
        return
    reader = _Reader(path, buffer, begin, chart_template, wide, manifest, whole)
    if wide is not None and manifest:
        reader.notice = _unread_by_kubectl(wide.encoding, begin == 0 and data[:2] not in (
            codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    yield from reader.pieces()


def _unread_by_kubectl(encoding: str, no_bom: bool) -> Problem | None:
    """kubectl decodes a file as UTF-8, or as UTF-16 when it starts with a UTF-16 byte order
    mark, and nothing else (golang.org/x/text ``unicode.BOMOverride``, which "will only
    consider BOMs for UTF-8, UTF-16BE, and UTF-16LE"): a UTF-32 file, or UTF-16 without its
    mark, reaches go-yaml full of NUL characters, and kubectl and Helm refuse it. kprobelint
    says so, then lints the file as the text it is, so that nothing is hidden once it is
    saved as UTF-8."""
    if encoding.startswith("utf-32"):
        what = TEXTS("utf32")
    elif no_bom:
        what = TEXTS("utf16-no-bom")
    else:
        return None
    return Problem("parse-error", TEXTS("wide-encoding", what=what), Span(1, 1, 1, 2))


def load_bytes(path: str, data: bytes, chart_template: bool = False) -> LoadedFile:
    """The whole file at once (configuration, rule files, a file read again, tests): its
    pieces joined; its ``text`` is the file's whole text, which node offsets index."""
    return _joined(path, _pieces_of(path, data, chart_template, True, whole=True))


def load_text(path: str, text: str, chart_template: bool = False,
              manifest: bool = True) -> LoadedFile:
    """Documents of already decoded text; ``chart_template`` as for :func:`load_pieces`.

    A ``manifest`` is read as kubectl sends it, as JSON: NaN and infinities are refused. A
    configuration or rule file (``manifest=False``) keeps them, for its own validation to judge.
    """
    return _joined(path, _Reader(path, text, 0, chart_template, None, manifest,
                                 whole=True).pieces())


def _joined(path: str, pieces: Iterator[LoadedFile]) -> LoadedFile:
    """One file of all its pieces; read ``whole``, their texts make the file's text."""
    loaded = LoadedFile(path)
    texts = []
    for piece in pieces:
        if piece.skipped:
            return piece
        texts.append(piece.text)
        loaded.documents.extend(piece.documents)
        loaded.problems.extend(piece.problems)
    loaded.text = "".join(texts)
    return loaded


def file_text(data: bytes) -> str:
    """A file's whole text, in which the loader's character offsets (``index_offset``) count:
    decoded as :func:`decode` does, with U+FFFD for each undecodable sequence."""
    encoding, bom = encoding_of(data)
    return data[len(bom):].decode(encoding, errors="replace")


def _buffer(data: bytes) -> tuple[bytes | str, int, _WideText | None]:
    """What to cut into documents, and where it starts: UTF-8 stays bytes (each document is
    decoded on its own, so one bad byte costs only its document); UTF-16/32 is decoded whole,
    its bad code units marked so that only their documents are lost."""
    encoding, bom = encoding_of(data)
    if encoding != "utf-8":
        wide = _WideText(data, len(bom), encoding)
        return wide.text, 0, wide
    if not bom and b"\x00" in data:
        raise _binary(data)
    return data, len(bom), None


# Stands for an undecodable code unit of a UTF-16/32 file: a noncharacter, which YAML does
# not allow either (so a real one is an error all the same).
_BAD_UNIT = "\uffff"
_bad_offsets: list[int] = []


def _mark_bad_unit(exc: UnicodeDecodeError) -> tuple[str, int]:
    _bad_offsets.append(exc.start)
    return _BAD_UNIT, exc.end


codecs.register_error("kprobelint-mark", _mark_bad_unit)


class _WideText:
    """A UTF-16/32 file decoded whole, with where its undecodable code units were."""

    def __init__(self, data: bytes, begin: int, encoding: str) -> None:
        self.encoding = encoding
        _bad_offsets.clear()
        self.text = data[begin:].decode(encoding, errors="kprobelint-mark")
        self.offsets = [begin + offset for offset in _bad_offsets]  # in the file, in order
        _bad_offsets.clear()
        self.positions: list[int] = []  # where each stands in the text
        if self.offsets:
            at = self.text.find(_BAD_UNIT)
            while at != -1:
                self.positions.append(at)
                at = self.text.find(_BAD_UNIT, at + 1)

    def problem(self, start: int, end: int, line: int) -> Problem | None:
        """The first bad code unit in ``text[start:end]``, located, if there is one."""
        index = bisect.bisect_left(self.positions, start)
        if index == len(self.positions) or self.positions[index] >= end:
            return None
        at = self.positions[index]
        before = self.text[start:at]
        where = line + _breaks(before) + 1
        column = at - start - max(before.rfind("\n"), before.rfind("\r"))
        offset = self.offsets[min(index, len(self.offsets) - 1)]
        return Problem("parse-error", TEXTS("bad-code-unit", encoding=self.encoding.upper(),
                                            offset=offset), Span(where, column, where, column + 1))


class _Budget:
    """How many problems of each input rule a file has had, and where the first one past
    MAX_PROBLEMS_PER_RULE was: past it, problems are counted, not kept."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.first_dropped: dict[str, Span] = {}

    def admit(self, problem: Problem) -> bool:
        count = self.counts[problem.rule] = self.counts.get(problem.rule, 0) + 1
        if count <= MAX_PROBLEMS_PER_RULE:
            return True
        self.first_dropped.setdefault(problem.rule, problem.span)
        return False

    def summary(self) -> list[Problem]:
        return [Problem(rule, TEXTS("more-problems",
                                    count=f"{self.counts[rule] - MAX_PROBLEMS_PER_RULE:,}",
                                    rule=rule, shown=f"{MAX_PROBLEMS_PER_RULE:,}"), span)
                for rule, span in sorted(self.first_dropped.items())]


class _Problems(list):
    """A piece's problems: each is kept only if the file's budget admits it, so a document of
    a million repeated keys holds a thousand problems, not a million."""

    __slots__ = ("budget",)

    def __init__(self, budget: _Budget) -> None:
        super().__init__()
        self.budget = budget

    def append(self, problem: Problem) -> None:
        if self.budget.admit(problem):
            super().append(problem)


class _Reader:
    """Cuts a file into documents, checks each, parses them a piece at a time.

    Each piece knows where its text starts in the file: its line (``first_line``) and its
    character offset in the file's text (``first_index``, counted in decoded characters, as
    :func:`file_text` decodes the file). Read ``whole``, a refused document keeps its text
    too, so that the pieces' texts joined are the file's text; otherwise its line breaks stand
    for it (a document too large to lint is never decoded whole).
    """

    def __init__(self, path: str, buffer: bytes | str, begin: int, chart_template: bool,
                 wide: _WideText | None = None, manifest: bool = True, whole: bool = False):
        self.path = path
        self.manifest = manifest
        self.wide = wide
        self.buffer = buffer
        self.begin = begin
        self.chart_template = chart_template
        self.whole = whole
        self.chars = 0  # characters of the file's text before the next document
        self.index = 0  # documents so far, refused ones included
        self.complex_keys = 0
        self.yaml_errors: list[int] = []  # lines of YAML errors
        self.stopped = False  # an alias bomb ends the file
        self.source: str | None = None  # a `# Source:` comment awaiting its document
        self.budget = _Budget()
        self.notice: Problem | None = None  # about the document just checked, not refusing it
        self.column = 0  # where the next document starts on its first line (after JSON)

    def pieces(self) -> Iterator[LoadedFile]:
        braces = b"{{" if isinstance(self.buffer, bytes) else "{{"
        if self.buffer.find(braces, self.begin) == -1:  # type: ignore[arg-type]
            yield from self._pieces()
            return
        if self.chart_template:
            yield LoadedFile(self.path, skipped=TEMPLATE_HINT)
            return
        if len(self.buffer) > TEMPLATE_SNIFF_BYTES:  # no template is this big: plain YAML
            yield from self._pieces()
            return
        held = list(self._pieces())
        if self._unrendered_template("".join(piece.text for piece in held)):
            yield LoadedFile(self.path, skipped=TEMPLATE_HINT)
            return
        yield from held

    def _unrendered_template(self, text: str) -> bool:
        # `key: {{ .Values.x }}` parses as a mapping used as a key: no rendered manifest has one.
        if self.complex_keys:
            return True
        if not self.yaml_errors:
            return False
        if _LINE_STARTS_WITH_ACTION.search(text):
            return True
        lines = text.split("\n")
        return any("{{" in line for error in self.yaml_errors
                   for line in lines[max(error - 2, 0):error])

    def _pieces(self) -> Iterator[LoadedFile]:
        """The pieces, then one counting the problems past the budget, if there were any."""
        last = (1, "")  # the last piece's first line and text
        for piece in self._all_pieces():
            last = (piece.first_line, piece.text)
            yield piece
            del piece  # not alive while the next piece is parsed
        if self.budget.first_dropped:
            line = last[0] + _breaks(last[1])  # where a next piece would start
            yield LoadedFile(self.path, first_line=line, first_index=self.chars,
                             problems=self.budget.summary())

    def _piece_of(self, text: str, first_line: int, first_index: int,
                  *problems: Problem) -> LoadedFile:
        """A new piece whose problems count against the file's budget."""
        piece = LoadedFile(self.path, text, problems=_Problems(self.budget),
                           first_line=first_line, first_index=first_index)
        for problem in problems:
            piece.problems.append(problem)
        return piece

    def _all_pieces(self) -> Iterator[LoadedFile]:
        # (text, 0-based line and character offset of the file where it starts)
        batch: list[tuple[str, int, int]] = []
        size = 0
        line = 0
        begin = self.begin
        if self.notice is not None:  # about the whole file (its encoding): said first
            yield self._piece_of("", 1, 0, self.notice)
            self.notice = None
        json_values = self._json_values()
        if json_values is not None:
            piece, resume = json_values
            yield piece
            if resume is None or self.stopped:
                return
            begin, line = resume, piece.first_line - 1 + _breaks(piece.text)
            self.chars = resume
            self.column = resume - 1 - max(piece.text.rfind("\n"), piece.text.rfind("\r"))
        for start, end in _boundaries(self.buffer, begin):
            text, refusal, length = self._check(start, end, line)
            if refusal is None and not self.notice and not self.column:
                batch.append((text, line, self.chars))
                size += end - start
            elif refusal is None:  # read alone: a notice of its own, or a first line shifted
                yield from self._parse(batch)
                batch, size = [], 0
                piece = self._piece([(text, line, self.chars)], alone=True)
                assert piece is not None  # read alone, a piece always comes back
                if self.notice is not None:
                    piece.problems.append(self.notice)
                    self.notice = None
                if self.column:
                    _shift_first_line(piece, self.column)
                    self.column = 0
                yield piece
            else:
                yield from self._parse(batch)
                batch, size = [], 0
                self.index += 1
                self.column = 0
                yield self._piece_of(text, line + 1, self.chars, refusal)
            line += _breaks(text)
            self.chars += length
            if size >= PIECE_BYTES:
                yield from self._parse(batch)
                batch, size = [], 0
            if self.stopped:
                return
        yield from self._parse(batch)

    def _json_values(self) -> tuple[LoadedFile, int | None] | None:
        """The file's JSON values, when kubectl reads it as a JSON stream (see
        :mod:`kprobelint.jsonstream`): a piece of them, and where YAML takes over (None: the
        file ends in JSON, or kubectl refuses it past its first values). From there on the
        file is read from its decoded text. None when the file is YAML from its start."""
        head = self.buffer[self.begin:self.begin + jsonstream.GUESS_BYTES]
        if isinstance(head, bytes):
            head = head.decode("utf-8", errors="replace")
        if not jsonstream.is_json_stream(head):
            return None
        text, notice = self._decoded(self.begin, len(self.buffer), 0)
        values, resume, error = jsonstream.read(text, 0, MAX_DEPTH, _too_large,
                                                MAX_DOCUMENT_VALUES)
        if not values:
            return None  # not a single JSON value: YAML from the start, as for kubectl
        self.buffer, self.begin, self.wide = text, 0, None
        piece = self._piece_of(text[:len(text) if resume is None else resume], 1, 0)
        if notice is not None:
            piece.problems.append(notice)
        converter = _Converter(piece.problems, text, self.manifest)
        converter.slash_escapes = False  # JSON has `\/`, go-yaml has not
        for node, start, end in values:
            self.index += 1
            line = _breaks(text[:start]) + 1 if node is None else node.start_mark.line + 1
            if node is None:
                piece.problems.append(Problem(
                    "document-too-large",
                    TEXTS("json-too-large", size=f"{(end - start) / 2**20:.1f}",
                          limit=MAX_DOCUMENT_BYTES // 2**20, values=f"{MAX_DOCUMENT_VALUES:,}"),
                    Span(line, 1, line, 2)))
                continue
            try:
                data = converter.convert(node)
            except _InputError as exc:  # a NaN, say: that document only
                piece.problems.append(_input_problem(exc))
                continue
            piece.documents.append(Document(self.index - 1, data, line))
        if error is not None:
            line = _breaks(text[:error.index]) + 1
            column = error.index - max(text.rfind("\n", 0, error.index),
                                       text.rfind("\r", 0, error.index))
            piece.problems.append(Problem(
                "parse-error", TEXTS("json-stream", error=error.message),
                Span(line, column, line, column + 1)))
        return piece, resume

    def _check(self, start: int, end: int, line: int) -> tuple[str, Problem | None, int]:
        """The document's text, why it is refused (if it is), and how many characters of the
        file's text it is."""
        size = end - start
        if size > MAX_DOCUMENT_BYTES or (  # fewer bytes than values cannot hold too many
                size > MAX_DOCUMENT_VALUES and self._values(start, end) > MAX_DOCUMENT_VALUES):
            return self._refuse_large(start, end, line)
        text, problem = self._decoded(start, end, line)
        if problem is not None and problem.rule == "invalid-utf8":
            self.notice, problem = problem, None  # linted with U+FFFD: the caller reports it
        elif isinstance(self.buffer, str) and self.wide is not None and self.wide.positions:
            problem = self.wide.problem(start, end, line)
        if problem is not None:
            # Not text: only its lines stand for it (blank, so not judged a non-manifest).
            return (text if self.whole else "\n" * _breaks(text)), problem, len(text)
        return text, _too_deep(text, line), len(text)

    def _decoded(self, start: int, end: int, line: int) -> tuple[str, Problem | None]:
        """The text of ``buffer[start:end]``, which starts after ``line`` lines, and what is
        wrong with its UTF-8 (see :func:`_bad_utf8`), if it is bytes."""
        raw = self.buffer[start:end]
        if not isinstance(raw, bytes):
            return raw, None
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="replace")
            return text, _bad_utf8(raw, exc, text, line, start - self.begin, self.begin > 0)

    def _values(self, start: int, end: int) -> int:
        """At least as many as the values (scalars and collections) of a document: each one
        but the first follows one of these separators (a multi-line scalar counts its lines)."""
        seps: tuple = (b"\n", b",", b":", b"[", b"{", b"- ") \
            if isinstance(self.buffer, bytes) else ("\n", ",", ":", "[", "{", "- ")
        return 1 + sum(self.buffer.count(sep, start, end) for sep in seps)

    def _refuse_large(self, start: int, end: int, line: int) -> tuple[str, Problem, int]:
        """A document over MAX_DOCUMENT_BYTES: only its head is decoded (to say whether it is
        also too deep, the more telling problem); its lines stand in for its text."""
        head = self.buffer[start:start + MAX_DOCUMENT_BYTES]
        if isinstance(head, bytes):
            head = head.decode("utf-8", errors="replace")
        size = (end - start) / 2**20
        message = TEXTS("too-large", size=f"{size:.1f}", limit=MAX_DOCUMENT_BYTES // 2**20)
        if end - start <= MAX_DOCUMENT_BYTES:
            message = TEXTS("too-many-values", size=f"{size:.1f}",
                            values=f"{self._values(start, end):,}",
                            limit=f"{MAX_DOCUMENT_VALUES:,}")
        problem = _too_deep(head, line) or Problem(
            "document-too-large", message, Span(line + 1, 1, line + 1, 2))
        if self.whole:
            text = self.buffer[start:end]
            if isinstance(text, bytes):
                text = text.decode("utf-8", errors="replace")
            return text, problem, len(text)
        length = end - start if isinstance(self.buffer, str) else \
            _decoded_length(self.buffer, start, end)
        return "\n" * _breaks_between(self.buffer, start, end), problem, length

    def _parse(self, batch: list[tuple[str, int, int]]) -> Iterator[LoadedFile]:
        """Pieces of the batch's documents. After a YAML error the batch is parsed again one
        document at a time: libyaml reads ahead (a bad character fails the documents before
        it) and stops at an error, but each document is independent of the others, as for
        kubectl. A file of broken documents thus costs at most twice its parse."""
        if not batch:
            return
        index, complex_keys = self.index, self.complex_keys
        piece = self._piece(batch)
        if piece is not None:
            yield piece
            return
        self.index, self.complex_keys = index, complex_keys
        for document in batch:
            if self.stopped:
                return
            yield self._piece([document], alone=True)  # type: ignore[misc]

    def _piece(self, batch: list[tuple[str, int, int]],
               alone: bool = False) -> LoadedFile | None:
        """The piece parsed from the batch, or None if a YAML error (or a lack of memory) needs
        it parsed a document at a time."""
        text = "".join(part for part, _, _ in batch)
        first, first_index = batch[0][1], batch[0][2]
        if not alone and _has_directive(text):
            return None  # kubectl cuts a directive from its document: see _compose
        piece = self._piece_of(text, first + 1, first_index)
        try:
            error = self._compose(piece, text, first, alone=alone)
        except MemoryError:
            if not alone:
                return None  # each document alone may still fit
            return self._piece_of(text, first + 1, first_index, Problem(
                "document-too-large", TEXTS("no-memory", size=f"{len(text) / 2**20:.1f}"),
                Span(first + 1, 1, first + 1, 2)))
        if error is not None:
            if not alone:
                return None
            problem = _yaml_error_problem(error, text, first)
            directive = _directive_problem(text, error, first) if _has_directive(text) \
                else None
            if directive is not None:
                problem = directive
                self.yaml_errors.append(problem.span.line)
            elif _past_libyaml_depth(error):  # libyaml's own limit, 1,000 levels
                problem = Problem("nesting-too-deep", TEXTS("too-deep", depth=MAX_DEPTH),
                                  problem.span)
            else:
                self.yaml_errors.append(problem.span.line)
            piece.problems.append(problem)
            if not piece.documents:
                self.index += 1  # the broken document counts, as a refused one does
        if "---" in text:
            for line, rest in compose.bad_separators(text):
                shown = rest if len(rest) <= 40 else rest[:37] + "..."
                line += first + 1
                piece.problems.append(Problem(
                    "parse-error", TEXTS("separator", shown=shown), Span(line, 1, line, 4)))
        if self.source is not None or "# Source: " in text:
            self.source = _attach_helm_sources(piece, self.source)
        return piece

    def _compose(self, piece: LoadedFile, text: str, offset: int,
                 alone: bool = False) -> Exception | None:
        """Add the documents of ``text`` to ``piece``; return a YAML error, if any.

        ``alone``: ``text`` is one piece between `---` lines, read exactly as kubectl reads it
        (k8s.io/apimachinery YAMLReader, then go-yaml's Unmarshal): without its `---` line,
        and only its first YAML document; whatever follows that document in the piece (after
        `...`, after a top-level flow collection, after content dedented below the first key)
        is ignored, errors included. Read together, pieces agree with that as long as libyaml
        finds no error and no directive, which is when the caller reads them alone.
        """
        if alone and text.startswith("---") and text[3:4] in ("", " ", "\t", "\r", "\n"):
            text = "   " + text[3:]  # the same length: every position stays
        converter = _Converter(piece.problems, text, self.manifest, offset, piece.first_index)
        gc_was_enabled = gc.isenabled()
        if gc_was_enabled:
            gc.disable()  # a big piece allocates many acyclic objects: don't scan them
        nodes = compose.documents(text)
        index = self.index
        try:
            # Alone, go-yaml reads no further than the first document: the rest is never parsed.
            for node in itertools.islice(nodes, 1 if alone else None):
                self.index += 1
                try:
                    data = converter.convert(node)
                except _InputError as exc:
                    # One hostile document does not hide the others, unless it is an alias bomb.
                    piece.problems.append(_input_problem(exc))
                    if exc.rule == "excessive-aliasing":
                        self.stopped = True
                        break
                    continue
                piece.documents.append(
                    Document(self.index - 1, data, node.start_mark.line + 1 + offset))
            if alone and self.index > index and not self.stopped:
                self._ignored_rest(piece, nodes, text, node.end_mark.index, offset)
        except _InputError as exc:
            piece.problems.append(_input_problem(exc))
        except MemoryError:
            raise  # not a YAML error: the caller reports it
        except Exception as exc:  # libyaml errors, and anything else it may throw on hostile input
            return exc
        finally:
            self.complex_keys += converter.complex_keys
            if gc_was_enabled:
                gc.enable()
        return None

    def _ignored_rest(self, piece: LoadedFile, nodes: Iterator[Any], text: str, end: int,
                      offset: int) -> None:
        """Say where the text that kubectl ignores after a piece's first document (which ends
        at ``end``) starts, if there is any: libyaml reads on, to another document or, more
        often, to an error."""
        try:
            extra = next(nodes, None)
            mark = None if extra is None else extra.start_mark
        except MemoryError:
            raise
        except Exception as exc:  # the usual case: no document may start there
            mark = getattr(exc, "problem_mark", None)
        if mark is None:
            return
        start = _NOT_CONTENT.match(text, end).end()  # type: ignore[union-attr]
        if start < len(text) and start <= mark.index:
            before = text[:start]
            line = _breaks(before) + 1 + offset
            column = start - max(before.rfind("\n"), before.rfind("\r"))
        else:
            line, column = _mark(mark, offset)
        self.yaml_errors.append(line)  # for the unrendered template check, as an error was
        piece.problems.append(Problem(
            "ignored-content", TEXTS("ignored-content"),
            Span(line, column, line, column + 1)))


# What may follow a document and be no content: blanks, comments, a `...` line.
_NOT_CONTENT = LazyPattern(r"(?:[ \t\r\n]+|#[^\r\n]*|^\.\.\.(?=[ \t\r\n]|$))*", re.MULTILINE)


def _boundaries(buffer: bytes | str, begin: int) -> Iterator[tuple[int, int]]:
    """Start and end of each document's text: every marker line begins a new one.

    A document marker is `---` at the start of a line, then a blank or the end: kubectl's
    YAMLReader cuts there, and nowhere else (not at `...`, not before a directive), and reads
    each piece on its own. Markers are found with ``find`` (C speed: a regex anchored at line
    starts tries every position); each stretch is searched once.
    """
    wide = isinstance(buffer, str)
    marker = "\n---" if wide else b"\n---"
    blanks = " \t\r\n" if wide else b" \t\r\n"
    end = len(buffer)
    start = begin
    at = buffer.find(marker, begin)  # type: ignore[arg-type]
    while at != -1:
        after = at + 4
        if after >= end or buffer[after:after + 1] in blanks:  # type: ignore[operator]
            cut = at + 1  # not `---x`
            if cut > start:
                yield start, cut
                start = cut
        at = buffer.find(marker, at + 1)  # type: ignore[arg-type]
    yield start, end


_LINE_BREAK = LazyPattern("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as libyaml numbers them (``str.splitlines`` also splits at form
    feeds and other separators, which would shift every later line number)."""
    return _LINE_BREAK.split(text)


def _breaks_between(buffer: bytes | str, start: int, end: int) -> int:
    """:func:`_breaks` of ``buffer[start:end]``, without copying it (UTF-8 or text)."""
    if isinstance(buffer, bytes):
        breaks: tuple = (b"\n", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
        crlf: bytes | str = b"\r\n"
    else:
        breaks, crlf = ("\n", "\r", "\x85", "\u2028", "\u2029"), "\r\n"
    return sum(buffer.count(b, start, end) for b in breaks) - buffer.count(crlf, start, end)


def _decoded_length(data: bytes, start: int, end: int) -> int:
    """``len(data[start:end].decode("utf-8", errors="replace"))``, a mebibyte at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    length = 0
    for at in range(start, end, 2**20):
        length += len(decoder.decode(data[at:min(at + 2**20, end)], at + 2**20 >= end))
    return length


def _breaks(text: str) -> int:
    """Line breaks as libyaml counts them (CR LF, CR, LF, NEL, LS, PS)."""
    count = text.count("\n") + text.count("\r") - text.count("\r\n")
    if not text.isascii():
        count += text.count("\x85") + text.count("\u2028") + text.count("\u2029")
    return count


def _too_deep(text: str, line_offset: int) -> Problem | None:
    """Where the document nests deeper than MAX_DEPTH, found in time linear in its size.

    libyaml's scanner costs each token a step per open flow level (quadratic in the depth;
    the libyaml of PyYAML refuses 1,000 levels, after that much work). A flow level needs a
    bracket, and a block level at least a column of indentation (or an indicator such as
    `- `) on its line or its parent's: with fewer than _SUSPECT_BRACKETS brackets and no run
    of 100 such characters at a line start, a document nests under 1,000 levels, which
    libyaml composes at a bounded cost per token, and the converter reports anything past
    MAX_DEPTH. Otherwise (hostile input, or a large JSON document) libyaml's events are
    counted and stopped at the first level past MAX_DEPTH: it never sees the rest of it.
    """
    if (text.count("[") + text.count("{") < _SUSPECT_BRACKETS
            and not _LONG_LEADING_RUN.search(text)):
        return None
    depth = 0
    try:
        for event in compose.events(text):
            kind = event.__class__.__name__
            if kind in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _mark(event.start_mark, line_offset)
                    return Problem(
                        "nesting-too-deep", TEXTS("too-deep", depth=MAX_DEPTH),
                        Span(line, column, line, column + 1))
            elif kind in _CLOSING:
                depth -= 1
        return None
    except Exception:  # a YAML error first: parsing reports it, and stops there
        return None


_OPENING = ("MappingStartEvent", "SequenceStartEvent")
_CLOSING = ("MappingEndEvent", "SequenceEndEvent")


def _input_problem(exc: _InputError) -> Problem:
    return Problem(exc.rule, exc.message, Span(exc.line, exc.column, exc.line, exc.column + 1))


def _past_libyaml_depth(error: Exception | None) -> bool:
    return error is not None and "maximum nesting depth" in str(getattr(error, "problem", ""))


_VERSION_DIRECTIVE = LazyPattern(r"^%YAML[ \t]+([0-9]+)\.([0-9]+)", re.MULTILINE)


def _has_directive(text: str) -> bool:
    """Whether a line of ``text`` starts with `%` (a directive, outside a quoted scalar).
    ``in`` runs at C speed; a regex anchored at line starts would try every position."""
    return text.startswith("%") or "\n%" in text or "\r%" in text


def _directive_problem(text: str, error: Exception, line_offset: int) -> Problem | None:
    """The error of a piece with a directive, said as kubectl's reading explains it.

    kubectl cuts a file at its `---` lines before go-yaml reads anything, so a directive
    (`%YAML 1.1`, `%TAG ...`) is cut from the document it announces and go-yaml finds no
    document after it; and go-yaml v2 reads only `%YAML 1.1` (parserc.go,
    yaml_parser_process_directives: "found incompatible YAML document", at the directive,
    before anything after it), where libyaml 0.2.5 also takes 1.2.
    """
    mark = getattr(error, "problem_mark", None)
    match = _VERSION_DIRECTIVE.search(text)
    if match is not None and (mark is None or mark.index >= match.start()) \
            and (int(match.group(1)), int(match.group(2))) == (1, 2):
        line = _breaks(text[:match.start()]) + 1 + line_offset
        return Problem("parse-error", TEXTS("yaml-1-2"), Span(line, 1, line, 2))
    if mark is None or "expected <document start>" not in str(getattr(error, "problem", "")):
        return None
    problem = _yaml_error_problem(error, text, line_offset)
    problem.text = TEXTS("directive")
    return problem


def _yaml_error_problem(exc: Exception, text: str, line_offset: int = 0) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
        if mark.index >= len(text) and mark.column == 0 and text and text[-1] not in "\r\n":
            # libyaml moves the end of a stream without a final newline to a line of its
            # own, past the file: point at the end of the last line instead.
            last = text[max(text.rfind("\n"), text.rfind("\r")) + 1:]
            line, col = mark.line, len(last) + 1
    elif isinstance(getattr(exc, "position", None), int):  # ReaderError: a character offset
        position = exc.position  # type: ignore[attr-defined]
        line = _breaks(text[:position]) + 1
        col = position - max(text.rfind("\n", 0, position), text.rfind("\r", 0, position))
        problem = getattr(exc, "reason", None) or TEXTS("unreadable-character")
    else:
        line, col = 1, 1
    # libyaml's own words stay as it writes them (as kubectl shows go-yaml's).
    if problem:
        message: Message | str = f"{context}: {problem}" if context else problem
    else:
        message = TEXTS("unparsed", error=f"{type(exc).__name__}: {exc}")
    line += line_offset
    return Problem("parse-error", TEXTS("invalid-yaml", error=message),
                   Span(line, col, line, col + 1))


def _attach_helm_sources(piece: LoadedFile, pending: str | None) -> str | None:
    """Give each document the last ``# Source:`` comment between it and the document before.

    One pass over comments and documents together (both in line order): a `helm template`
    output of thousands of documents costs no more than its parse. Returns the comment still
    awaiting its document (in the next piece).
    """
    text = piece.text
    documents = iter(piece.documents)
    document = next(documents, None)
    line, offset = piece.first_line, 0
    for match in _SOURCE_COMMENT.finditer(text):
        line += _breaks_between(text, offset, match.start())
        offset = match.start()
        while document is not None and document.start_line <= line:
            if pending is not None:
                document.source = HelmSource(pending)
            pending = None
            document = next(documents, None)
        pending = match.group(1)
    if document is not None:
        if pending is not None:
            document.source = HelmSource(pending)
        return None
    return pending


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
