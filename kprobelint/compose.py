"""YAML text to nodes with positions, accepting what go-yaml v2 (kubectl, Helm) accepts.

Composition uses PyYAML's C parser and composer (libyaml 0.2.5), which agrees with go-yaml's
grammar far better than the libyaml 0.1.7 inside ruamel.yaml.clib (a ``:`` inside a flow
collection, as in ``[--upstream=http://127.0.0.1:8081/]``, is fine for both go-yaml and
libyaml 0.2.5; 0.1.7 refused it) and composes in about half the time. Scalars are left
unresolved (:mod:`kprobelint.load` resolves them with go-yaml's rules): the resolver hook
marks untagged plain scalars with the tag ``""`` and untagged quoted or block ones with
``"?"``.

Where libyaml 0.2.5 still refuses what go-yaml reads, :func:`documents` parses again:

- an anchor defined a second time (go-yaml lets a later alias take the latest definition):
  the documents are composed in Python from the same C parser's events;
- ``\\'`` in a double-quoted scalar (a go-yaml escape for ``'``, unknown to libyaml): the
  text is parsed with ``\\"`` in its place and the quote restored in the value;
- a ``:`` ending a plain scalar inside a flow collection (``[a:]``, go-yaml's ``"a:"``): the
  colon is parsed as a private-use character and restored in the value.

Each substitution keeps the text's length, so every position stays exact. Without PyYAML's C
extension (an unusual build) its pure-Python parser is used: the same grammar for any
manifest, only slower.
"""
from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator

from .lazyregex import LazyPattern
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def _compile_lazily_in_pyyaml(pattern: str, flags: int = 0) -> Any:
    """``re.compile`` while PyYAML is imported: its modules compile their patterns at import
    (the pure-Python reader's set of printable characters, the stock resolver's and the
    timestamp constructor's), which cost a one-file run about 6 ms of CPU, and kprobelint
    uses none of them (libyaml reads, :class:`Parser` resolves). Theirs compile on first use;
    any other module's (none is imported meanwhile today) as ``re.compile`` does."""
    if sys._getframe(1).f_globals.get("__name__", "").startswith("yaml."):
        return LazyPattern(pattern, flags)
    return _compile(pattern, flags)


_compile, re.compile = re.compile, _compile_lazily_in_pyyaml
try:
    import yaml
finally:
    re.compile = _compile

from yaml.composer import ComposerError  # noqa: E402
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode  # noqa: E402

try:
    from yaml._yaml import CParser as _BaseParser

    C_PARSER = True
except ImportError:  # PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _BaseParser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    C_PARSER = False

__all__ = ["C_PARSER", "GO_SPACE", "MappingNode", "ScalarNode", "SequenceNode", "YAMLError",
           "documents", "bad_separators", "events", "Parser", "PLAIN", "QUOTED"]

YAMLError = yaml.YAMLError
PLAIN = ""  # the tag of an untagged plain scalar (or one tagged with the non-specific `!`)
QUOTED = "?"  # the tag of an untagged quoted or block scalar
_SUBSTITUTION_LIMIT = 100  # substitutions tried before giving up: each costs a parse
_PYTHON_DEPTH = 500  # the converter refuses documents past 400 levels anyway
_PRIVATE_COLON = "\ue03a"  # stands for a flow ':' libyaml refuses; never in real manifests


class Parser(_BaseParser):
    """libyaml's parser and composer, with resolution left to the caller."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode and not implicit[0]:
            return QUOTED
        return PLAIN

    def descend_resolver(self, *args: Any) -> None:
        pass

    def ascend_resolver(self, *args: Any) -> None:
        pass


def documents(text: str) -> Iterator[Any]:
    """The root node of each YAML document of ``text``; YAML errors propagate.

    Values of scalars parsed through a substitution are already restored.
    """
    yielded = 0
    patched = text
    apostrophes: list[int] = []  # offsets of `\'` parsed as `\"`
    colons: list[int] = []  # offsets of flow colons parsed as _PRIVATE_COLON
    compose = _compose_in_c
    while True:
        try:
            for index, node in enumerate(compose(patched)):
                if index < yielded:
                    continue  # already given before a retry
                if apostrophes or colons:
                    _restore(node, text, apostrophes, colons)
                yielded += 1
                yield node
            return
        except ComposerError as exc:
            if compose is _compose_in_python or "found duplicate anchor" not in str(exc):
                raise
            compose = _compose_in_python
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            if mark is None or len(apostrophes) + len(colons) >= _SUBSTITUTION_LIMIT:
                raise
            offset = mark.index
            if (exc.problem == "found unknown escape character"
                    and patched[offset:offset + 2] == "\\'"):  # the mark is at the backslash
                apostrophes.append(offset + 1)
                patched = patched[:offset + 1] + '"' + patched[offset + 2:]
            elif (exc.problem == "found unexpected ':'" and patched[offset:offset + 1] == ":"
                  and _PRIVATE_COLON not in text):
                colons.append(offset)
                patched = patched[:offset] + _PRIVATE_COLON + patched[offset + 1:]
            else:
                raise


# Go's unicode.IsSpace, which strings.TrimSpace and bytes.TrimLeftFunc use.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_DASHES_LINE = re.compile(r"^---([^\n]*)", re.MULTILINE)


def bad_separators(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line, rest) of each line kubectl refuses as a document separator.

    kubectl cuts YAML into documents by lines (k8s.io/apimachinery pkg/util/yaml/decoder.go,
    YAMLReader.Read): a line whose first three characters are `---` must have nothing but
    blanks or a comment after them, or the whole file is refused ("invalid Yaml document
    separator"). YAML itself allows `--- {a: 1}` or `--- |`, and Helm splits `---apiVersion`
    into two lines, but kubectl refuses both.
    """
    line, offset = 0, 0
    for match in _DASHES_LINE.finditer(text):
        rest = match.group(1).strip(GO_SPACE)
        if rest and rest[0] != "#":
            line += text.count("\n", offset, match.start())
            offset = match.start()
            yield line, rest


def events(text: str) -> Iterator[Any]:
    """The parser's events; YAML errors propagate.

    The libyaml of recent PyYAML wheels refuses nesting past 1,000 levels, and its scanner reads
    ahead of the parser: the events before that error are replayed from the text up to it, so
    that a caller counting levels sees every one it can.
    """
    given = 0
    try:
        parser = Parser(text)
        while True:
            event = parser.get_event()
            given += 1
            yield event
            if event.__class__ is StreamEndEvent:
                return
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in str(exc.problem) or exc.problem_mark is None:
            raise
        replay = Parser(text[:exc.problem_mark.index])
        try:
            for count in itertools.count(1):
                event = replay.get_event()
                if count > given:
                    yield event
        except yaml.YAMLError:
            pass
        raise


def _compose_in_c(text: str) -> Iterator[Any]:
    parser = Parser(text)
    while parser.check_node():
        yield parser.get_node()


def _compose_in_python(text: str) -> Iterator[Any]:
    """Documents composed from the C parser's events, letting an anchor be redefined."""
    parser = Parser(text)
    parser.get_event()  # stream start
    while not parser.check_event(StreamEndEvent):
        parser.get_event()  # document start
        yield _node(parser, {})
        parser.get_event()  # document end


def _node(parser: Any, anchors: dict[str, Any], depth: int = 0) -> Any:
    event = parser.get_event()
    if isinstance(event, AliasEvent):
        if event.anchor not in anchors:
            raise ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                event.start_mark)
        return anchors[event.anchor]
    if isinstance(event, ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = PLAIN if event.implicit[0] else QUOTED
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style or "")
        if event.anchor is not None:
            anchors[event.anchor] = node
        return node
    kind = MappingNode if isinstance(event, MappingStartEvent) else SequenceNode
    tag = event.tag if event.tag not in (None, "!") else PLAIN
    node = kind(tag, [], event.start_mark, None, event.flow_style)
    if event.anchor is not None:
        anchors[event.anchor] = node  # before the children: a recursive alias finds it
    if depth > _PYTHON_DEPTH:
        raise ComposerError(None, None, "nesting too deep", event.start_mark)
    closing = SequenceEndEvent if kind is SequenceNode else MappingEndEvent
    while not parser.check_event(closing):
        if kind is MappingNode:
            key = _node(parser, anchors, depth + 1)
            node.value.append((key, _node(parser, anchors, depth + 1)))
        else:
            node.value.append(_node(parser, anchors, depth + 1))
    node.end_mark = parser.get_event().end_mark
    return node


def _restore(root: Any, text: str, apostrophes: list[int], colons: list[int]) -> None:
    """Put back what was substituted, in the scalars of ``root`` that span a substitution."""
    first = min(apostrophes + colons)
    last = max(apostrophes + colons)
    if root.end_mark.index <= first or root.start_mark.index > last:
        return
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.__class__ is ScalarNode:
            start, end = node.start_mark.index, node.end_mark.index
            if _PRIVATE_COLON in node.value:
                node.value = node.value.replace(_PRIVATE_COLON, ":")
            if node.style == '"' and any(start <= at < end for at in apostrophes):
                node.value = _restore_apostrophes(node.value, text[start:end], start,
                                                  apostrophes)
        elif node.__class__ is MappingNode:
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        else:
            stack.extend(node.value)


_QUOTE_ESCAPE = LazyPattern(r"\\(.)", re.DOTALL)


def _restore_apostrophes(value: str, raw: str, start: int, apostrophes: list[int]) -> str:
    """Each `\\"` or `\\'` of the source made one '"' of the value, in order: turn back those
    that came from `\\'`."""
    substituted = set(apostrophes)
    kinds = [start + match.start(1) in substituted
             for match in _QUOTE_ESCAPE.finditer(raw) if match.group(1) in "\"'"]
    pieces = value.split('"')
    if len(pieces) - 1 != len(kinds):
        return value  # cannot happen: every '"' in a double-quoted value is an escape
    out = [pieces[0]]
    for was_apostrophe, piece in zip(kinds, pieces[1:]):
        out.append("'" if was_apostrophe else '"')
        out.append(piece)
    return "".join(out)
