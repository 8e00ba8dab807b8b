"""A file that starts with `{`: kubectl reads it as a stream of JSON values, not as YAML.

k8s.io/apimachinery ``pkg/util/yaml/decoder.go`` (``NewYAMLOrJSONDecoder``,
``GuessJSONStream``; this behaviour since Kubernetes 1.33): when the first character that is
not white space (Go's ``unicode.IsSpace``) within the first 4,096 bytes is ``{``, the file is
read with Go's ``encoding/json`` Decoder, one value after another (``{...}{...}``, or one a
line). When a value cannot be read after at most one good one, the decoder gives up on JSON
and reads the rest as YAML, from the end of the last good value less the white space through
the first line break (``consumeWhitespace``); after two good values the stream is JSON for
good and the error stands: kubectl refuses the file there.

JSON is read here as JSON, not as YAML: `\\/`, keys longer than 1,024 characters and
surrogate-pair escapes are fine, as for Go (go-yaml refuses all three). Each value becomes the
same nodes :mod:`kprobelint.compose` makes (strings double-quoted, numbers and literals plain,
collections in flow style), with positions in the file's lines and columns, so the converter,
the rules and the fix planner treat a JSON document like any other.
"""
from __future__ import annotations

import re
from json.decoder import JSONDecodeError, scanstring

from yaml import Mark

from .compose import GO_SPACE, PLAIN, QUOTED, MappingNode, ScalarNode, SequenceNode
from .lazyregex import LazyPattern
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

GUESS_BYTES = 4096  # cli-runtime's StreamVisitor: yaml.NewYAMLOrJSONDecoder(r, 4096)

_WHITE = LazyPattern(r"[ \t\n\r]*")  # JSON's white space
_NUMBER = LazyPattern(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = ("true", "false", "null")
# A string's content may hold characters YAML counts as line breaks (JSON only forbids
# characters below U+0020): positions count them as every other line of the file does.
_ODD_BREAKS = LazyPattern("[\x85\u2028\u2029]")
_SURROGATE = LazyPattern("[\ud800-\udfff]")


def is_json_stream(head: str) -> bool:
    """``GuessJSONStream``: ``head`` is the start of the decoded file (its first 4,096 bytes)."""
    return head.lstrip(GO_SPACE).startswith("{")


def yaml_start(text: str, at: int) -> int:
    """Where YAML takes over at ``at`` (``consumeWhitespace``): past the white space there,
    through the first line break."""
    end = len(text)
    while at < end and text[at] in GO_SPACE:
        at += 1
        if text[at - 1] == "\n":
            break
    return at


class JSONError(Exception):
    """A value that is not JSON: ``index`` is where Go's decoder stops."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message, self.index = message, index


class Reader:
    """The JSON values of ``text``, one at a time, as nodes with positions.

    Marks count lines from ``text``'s first line and characters from its first character, as
    libyaml's marks count them in a piece.
    """

    def __init__(self, text: str, name: str = "<json>") -> None:
        self.text = text
        self.name = name
        self.line = 0  # lines before self.line_start
        self.line_start = 0  # index where the current line starts

    def skip_white(self, at: int) -> int:
        end = _WHITE.match(self.text, at).end()  # type: ignore[union-attr]
        if end > at:
            self.count_lines(at, end)
        return end

    def value(self, at: int, max_depth: int) -> tuple[Any, int]:
        """The node of the value starting at ``at`` and where it ends; :class:`JSONError` if
        it is not JSON, or nests deeper than ``max_depth``. Iterative: no depth costs a
        Python frame."""
        text = self.text
        stack: list[list] = []  # open collections: [node, key node awaiting its value]
        while True:
            at = self.skip_white(at)  # a value is due
            char = text[at:at + 1]
            if char == "{" or char == "[":
                if len(stack) >= max_depth:
                    raise JSONError(f"nesting deeper than {max_depth} levels", at)
                node = (MappingNode if char == "{" else SequenceNode)(
                    PLAIN, [], self._mark(at), None, True)
                self._attach(stack, node)
                stack.append([node, None])
                at = self.skip_white(at + 1)
                if text[at:at + 1] != ("}" if char == "{" else "]"):
                    if char == "{":
                        at = self._key(stack, at)
                    continue
                stack.pop()
                at += 1
                node.end_mark = self._mark(at)
            else:
                node, at = self._scalar(at)
                self._attach(stack, node)
            while stack:  # a value is complete: a comma, or the end of its collection
                at = self.skip_white(at)
                char = text[at:at + 1]
                top = stack[-1][0]
                mapping = top.__class__ is MappingNode
                if char == ",":
                    at += 1
                    if mapping:
                        at = self._key(stack, at)
                    break
                if char != ("}" if mapping else "]"):
                    where = "after object key:value pair" if mapping else "after array element"
                    raise JSONError(self._unexpected(at, where), at)
                stack.pop()
                at += 1
                top.end_mark = self._mark(at)
                node = top
            else:
                return node, at

    def _key(self, stack: list, at: int) -> int:
        at = self.skip_white(at)
        if self.text[at:at + 1] != '"':
            raise JSONError(self._unexpected(at, "looking for beginning of object key string"),
                            at)
        key, at = self._string(at)
        at = self.skip_white(at)
        if self.text[at:at + 1] != ":":
            raise JSONError(self._unexpected(at, "after object key"), at)
        stack[-1][1] = key
        return at + 1

    @staticmethod
    def _attach(stack: list, node: Any) -> None:
        if not stack:
            return
        top = stack[-1]
        if top[0].__class__ is MappingNode:
            top[0].value.append((top[1], node))
            top[1] = None
        else:
            top[0].value.append(node)

    def _scalar(self, at: int) -> tuple[Any, int]:
        text = self.text
        char = text[at:at + 1]
        if char == '"':
            return self._string(at)
        match = _NUMBER.match(text, at)
        if match is not None:
            end = match.end()
            return ScalarNode(PLAIN, match.group(), self._mark(at), self._mark(end), ""), end
        for literal in _LITERALS:
            if text.startswith(literal, at):
                end = at + len(literal)
                return ScalarNode(PLAIN, literal, self._mark(at), self._mark(end), ""), end
        if not char:
            raise JSONError("unexpected end of JSON input", at)
        raise JSONError(self._unexpected(at, "looking for beginning of value"), at)

    def _string(self, at: int) -> tuple[Any, int]:
        start = self._mark(at)
        try:
            value, end = scanstring(self.text, at + 1, True)
        except JSONDecodeError as exc:
            raise JSONError(f"invalid string: {exc.msg}", exc.pos) from None
        if not value.isascii():
            if _SURROGATE.search(value):  # Go's decoder makes a lone surrogate U+FFFD
                value = _SURROGATE.sub("\ufffd", value)
            if _ODD_BREAKS.search(self.text, at, end):
                self.count_lines(at, end)
        return ScalarNode(QUOTED, value, start, self._mark(end), '"'), end

    def count_lines(self, start: int, end: int) -> None:
        """Count the line breaks of ``text[start:end]`` as libyaml counts them."""
        text = self.text
        breaks = text.count("\n", start, end) + text.count("\r", start, end) \
            - text.count("\r\n", start, end)
        if not text.isascii():
            breaks += sum(text.count(c, start, end) for c in "\x85\u2028\u2029")
        if breaks:
            self.line += breaks
            self.line_start = 1 + max(text.rfind(c, start, end)
                                      for c in "\n\r\x85\u2028\u2029")

    def _mark(self, at: int) -> Mark:
        return Mark(self.name, at, self.line, at - self.line_start, None, None)

    def _unexpected(self, at: int, context: str) -> str:
        char = self.text[at:at + 1]
        if not char:
            return "unexpected end of JSON input"
        return f"invalid character {char!r} {context}"


_TOKENS_THAT_NEST = LazyPattern(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def extent(text: str, at: int) -> int:
    """Where the collection starting at ``at`` ends (or the text), found at C speed without
    reading it: only to measure a value before it costs any memory."""
    depth = 0
    for match in _TOKENS_THAT_NEST.finditer(text, at):
        char = match.group()
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    return len(text)


def read(text: str, start: int, max_depth: int, too_large: Any = None, measure_from: int = 0,
         ) -> tuple[list[tuple[Any, int, int]], int | None, JSONError | None]:
    """The JSON values of ``text`` from ``start``, as kubectl's decoder reads them: each
    value's (node, start, end), then where YAML takes over (None: the stream ends in JSON) and
    the error that ends the stream after two or more values (kubectl refuses the file there).

    ``too_large(start, end)``, when given, says whether a value is too large to be read; a
    collection is measured first (without being read) when more than ``measure_from``
    characters are left, and one too large has the node None.
    """
    reader = Reader(text)
    values: list[tuple[Any, int, int]] = []
    at = start
    while True:
        at = reader.skip_white(at)
        if at >= len(text):
            return values, None, None
        if too_large is not None and len(text) - at > measure_from and text[at] in "[{":
            end = extent(text, at)
            if too_large(at, end):
                reader.count_lines(at, end)
                values.append((None, at, end))
                at = end
                continue
        try:
            node, end = reader.value(at, max_depth)
        except JSONError as exc:
            if len(values) > 1:
                return values, None, exc
            resume = values[-1][2] if values else start
            return values, yaml_start(text, resume), None
        values.append((node, at, end))
        at = end
