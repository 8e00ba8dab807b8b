"""A finding's fix as exact text edits, worked out while its document is loaded.

The loader keeps the node of every mapping and sequence, and each node knows the character
offsets where it starts and ends in the text it was parsed from; a document's root knows how
many lines and characters of the file's decoded text come before that text
(:func:`kprobelint.load.offsets_of`), so the planner reads the loaded text around a node at
its offset there and writes each edit at its offset in the whole file, whichever piece of the
file the document was read in. A fix replaces only the characters of the key, value or list
item it corrects, so every other byte of the file stays as it was by construction: comments
on and around the line, quoting, flow style, key order, document markers, CRLF line endings,
a BOM, trailing whitespace.

A fix is refused, with the reason, when the text it would change is shared through a YAML
anchor (an alias elsewhere would silently change too), carries an explicit tag, or sits in a
layout the edit does not know how to extend. Everything here that touches YAML nodes is in
this module, as :mod:`kprobelint.apischema.source` is for the schema checks.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..compose import MappingNode, ScalarNode, SequenceNode
from ..findings import Finding, Fix, Span
from ..i18n import Message
from ..lazyregex import LazyPattern
from ..load import Document, LoadedFile, YMap, YSeq, find_pair, load_plain, map_key, offsets_of
from ..typechecking import TYPE_CHECKING
from . import messages as m
from .render import double_quoted, is_json, scalar

if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True, slots=True)
class Edit:
    """Characters ``start`` to ``end`` (offsets in the decoded text) become ``text``.

    ``span`` locates the same characters for people and SARIF (an empty span inserts).
    """

    start: int
    end: int
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class FixPlan:
    """How a finding's :class:`~kprobelint.findings.Fix` changes its file, worked out while
    its document was loaded.

    ``edits`` are exact text replacements that leave every other character of the file as it
    is; ``blocked`` says why there are none (a value shared through a YAML anchor, Helm output
    that must be fixed in its template, ...). ``change`` shows the correction to people
    (``always → Always``). ``document`` is the document's index in its file and ``digest`` the
    content hash of the file as it was linted, so that a file changed since is never written.
    """

    safety: str  # "safe" or "unsafe", as the rule file declares
    change: Message  # str() gives it in English
    edits: tuple[Edit, ...] = ()
    blocked: Message | None = None
    document: int = 0
    digest: str = ""

    @property
    def applicable(self) -> bool:
        return self.blocked is None and bool(self.edits)


_PROPERTIES = LazyPattern(r"(?:([&!])(\S*)\s+)+")
_ANCHOR = LazyPattern(r"&(\S+)")
_BLOCK_ITEM_PREFIX = LazyPattern(r"[ ]*-[ ]+\Z")
_BREAKS = ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029")


class Refused(Exception):
    """Why a fix cannot be applied automatically (the message is shown to the user)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class FilePlanner:
    """Plans the fixes of one loaded file; caches what several fixes of the file share."""

    def __init__(self, loaded: LoadedFile) -> None:
        self.loaded = loaded
        self.text = loaded.text  # the file's text from character ``loaded.first_index`` on
        self._json: bool | None = None
        self._counts: dict[int, dict[int, int]] = {}  # document index -> node references
        # For the document being planned: what its node offsets add to index ``text``, and the
        # lines of the file before the text it was parsed from.
        self._shift = 0
        self._lines = 0

    @property
    def json_file(self) -> bool:
        """True when the file is JSON (so it must stay JSON, with JSON strings and keys)."""
        if self._json is None:
            self._json = is_json(self.text)
        return self._json

    def plan(self, fix: Fix, document: Document, safety: str, field: str) -> FixPlan:
        base = {"safety": safety, "document": document.index, "digest": self.loaded.digest}
        try:
            self._lines, index_offset = offsets_of(document.data)
            self._shift = index_offset - self.loaded.first_index
            change, edits = self._edits(fix, document, field)
        except Refused as refused:
            return FixPlan(change=_change_of(fix, field), blocked=refused.message, **base)
        except Exception as exc:  # a bug here must cost the fix, never the finding
            return FixPlan(change=_change_of(fix, field), **base,
                           blocked=m.text(m.NOT_PLANNED, error=f"{type(exc).__name__}: {exc}"))
        return FixPlan(change=change, edits=tuple(edits), **base)

    # -----------------------------------------------------------------------------------------

    def _edits(self, fix: Fix, document: Document, field: str) -> tuple[Message, list[Edit]]:
        root = document.data
        if not isinstance(root, (YMap, YSeq)):
            raise Refused(m.text(m.GONE, field=field))
        if fix.action == "add-key":
            return self._add_key(root, fix, document, field)
        target = _walk(root, fix.path)
        if target is None:
            raise Refused(m.text(m.GONE, field=field))
        key_node, value_node, parent_node, chain = target
        self._refuse_shared(document, chain)
        if fix.action == "rename-key" and key_node is not None:
            return self._rename(key_node, parent_node, fix.replacement)
        if fix.action == "replace-value" and value_node.__class__ is ScalarNode:
            return self._replace_scalar(value_node, fix.replacement, chain)
        if fix.action == "replace-item" and parent_node.__class__ is SequenceNode:
            items = _parse(fix.replacement)
            if isinstance(items, list) and items:
                current = _current(root, fix.path)
                return self._replace_item(value_node, parent_node, items, current, chain)
        raise Refused(m.text(m.GONE, field=field))

    def _refuse_shared(self, document: Document, chain: list[Any]) -> None:
        counts = self._counts.get(document.index)
        if counts is None:
            counts = self._counts[document.index] = _reference_counts(document.data.node)
        for node in chain:
            if counts.get(id(node), 0) > 1:
                found = _ANCHOR.match(self.text, self._start(node))
                raise Refused(m.text(m.ALIAS, anchor=found.group(1) if found else "?"))

    def _start(self, node: Any) -> int:
        """Where ``node`` starts in ``text``."""
        return node.start_mark.index + self._shift

    def _end(self, node: Any) -> int:
        return node.end_mark.index + self._shift

    def _content(self, node: Any) -> tuple[int, int]:
        """The offsets in ``text`` of a scalar's own text, after an anchor; a tag is refused."""
        start, end = self._start(node), self._end(node)
        properties = _PROPERTIES.match(self.text, start, end)
        if properties is not None:
            tag = next((t for t in re.finditer(r"(?<!\S)!\S*", properties.group())), None)
            if tag is not None:
                raise Refused(m.text(m.TAGGED, tag=tag.group()))
            start = properties.end()
        return start, end

    def _edit(self, node: Any, start: int, end: int, text: str) -> Edit:
        """Replace ``text[start:end]``, which is at or after ``node``'s start: the edit is at
        its offsets in the file's text, and its span at its lines in the file."""
        mark = node.start_mark
        line, column = _advance(self.text, self._start(node), mark.line + 1 + self._lines,
                                mark.column + 1, start)
        end_line, end_column = _advance(self.text, start, line, column, end)
        base = self.loaded.first_index
        return Edit(start + base, end + base, text, Span(line, column, end_line, end_column))

    def _in_flow(self, chain: list[Any]) -> bool:
        return self.json_file or any(getattr(n, "flow_style", False) for n in chain[:-1])

    def _replace_scalar(self, node: Any, replacement: str,
                        chain: list[Any]) -> tuple[Message, list[Edit]]:
        start, end = self._content(node)
        text = scalar(_parse(replacement), node.style, self.json_file, self._in_flow(chain),
                      replacement)
        return _change(self.text[start:end], text), [self._edit(node, start, end, text)]

    def _rename(self, key_node: Any, mapping_node: Any,
                new_key: str) -> tuple[Message, list[Edit]]:
        if any(map_key(k) == new_key for k, _ in mapping_node.value):
            raise Refused(m.text(m.KEY_EXISTS, key=new_key))
        start, end = self._content(key_node)
        if self.json_file:
            text = double_quoted(new_key)
        else:
            text = scalar(new_key, key_node.style, False, bool(mapping_node.flow_style))
        return _change(self.text[start:end], text), [self._edit(key_node, start, end, text)]

    def _add_key(self, root: Any, fix: Fix, document: Document,
                 field: str) -> tuple[Message, list[Edit]]:
        """A new first key of the mapping at ``fix.path[:-1]``: on a line of its own before
        the first key of a block mapping (after the line of the mapping's own key, so that
        comments above the first key stay with it), or first in a flow mapping."""
        target = _walk(root, fix.path[:-1])
        if target is None or target[1].__class__ is not MappingNode:
            raise Refused(m.text(m.GONE, field=field))
        _, mapping, _, chain = target
        self._refuse_shared(document, chain)
        key = fix.path[-1]
        if any(map_key(k) == key for k, _ in mapping.value):
            raise Refused(m.text(m.KEY_EXISTS, key=key))
        value = _parse(fix.replacement)
        in_flow = self._in_flow(chain + [None])
        key_text = double_quoted(key) if self.json_file else scalar(key, None, False, in_flow)
        pair = f"{key_text}: {scalar(value, None, self.json_file, in_flow, fix.replacement)}"
        change = m.text(m.ADDED, pair=pair)
        if mapping.flow_style:
            if mapping.value:
                first = self._start(mapping.value[0][0])
                return change, [self._edit(mapping, first, first, pair + ", ")]
            opening = self.text.find("{", self._start(mapping), self._end(mapping))
            if opening < 0:
                raise Refused(m.text(m.LAYOUT))
            return change, [self._edit(mapping, opening + 1, opening + 1, pair)]
        if not mapping.value:
            raise Refused(m.text(m.LAYOUT))
        first = mapping.value[0][0]
        start = self._start(first)
        line_start = _line_start(self.text, start)
        if self.text[line_start:start].strip(" "):
            raise Refused(m.text(m.LAYOUT))  # the first key shares its line (`- name: x`)
        at = _owner_line_end(self.text, line_start)
        indent = " " * (start - line_start)
        return change, [self._edit(mapping, at, at,
                                   indent + pair + _newline_at(self.text, start))]

    def _replace_item(self, item_node: Any, sequence_node: Any, items: list, current: Any,
                      chain: list[Any]) -> tuple[Message, list[Edit]]:
        """Items instead of one: the new ones go before the item when it stays the last one
        (its text is then kept, quotes and comment included), else they replace it."""
        in_flow = self._in_flow(chain)
        rendered = [scalar(item, None, self.json_file, in_flow) for item in items]
        start, end = self._content(item_node)
        keep = items[-1] == current and not isinstance(current, (dict, list))
        if keep:
            rendered[-1] = self.text[start:end]
        if sequence_node.flow_style:
            separator = ", "
        else:
            line_start = _line_start(self.text, self._start(item_node))
            prefix = self.text[line_start:self._start(item_node)]
            if not _BLOCK_ITEM_PREFIX.match(prefix):
                raise Refused(m.text(m.LAYOUT))
            separator = _newline_at(self.text, start) + prefix
        old = self.text[start:end]
        change = _change(old, ", ".join(rendered))
        if keep:
            inserted = "".join(text + separator for text in rendered[:-1])
            edit_start = self._start(item_node)  # before an anchor, which stays with it
            return change, [self._edit(item_node, edit_start, edit_start, inserted)]
        return change, [self._edit(item_node, start, end, separator.join(rendered))]


def for_helm(plan: FixPlan, finding: Finding) -> FixPlan:
    """A fix is never applied to Helm output: the plan keeps the change to make and names the
    template (and its line, with ``--chart-dir``) to make it in."""
    source = finding.source
    template = (source.path or source.file) if source else "its template"
    if source is not None and source.line:
        template = f"{template}:{source.line}"
    return dataclasses.replace(plan, edits=(),
                               blocked=m.text(m.HELM, file=finding.file, template=template))


# ---------------------------------------------------------------------------------------------


def _walk(root: Any, path: tuple) -> tuple[Any, Any, Any, list[Any]] | None:
    """(key node, value node, parent node, every node passed) for ``path``, or None.

    The nodes passed include the mappings a key was merged from (``<<``), so that a value
    reached through a merge counts as shared.
    """
    current = root
    key_node, value_node, parent = None, root.node, None
    chain = [root.node]
    for step in path:
        if isinstance(current, YMap) and isinstance(step, str) and step in current:
            found = find_pair(current.node, step, chain)
            if found is None:
                return None
            parent = current.node
            key_node, value_node = found
            chain.append(key_node)
        elif isinstance(current, YSeq) and isinstance(step, int) and 0 <= step < len(current):
            parent = current.node
            key_node, value_node = None, current.node.value[step]
        else:
            return None
        chain.append(value_node)
        current = current[step]
    return key_node, value_node, parent, chain


def _reference_counts(root: Any) -> dict[int, int]:
    """How many times each node is reached: more than once means an anchor with aliases."""
    counts: dict[int, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        key = id(node)
        seen = counts.get(key, 0)
        counts[key] = seen + 1
        if seen:
            continue
        if node.__class__ is MappingNode:
            for key_node, value_node in node.value:
                stack.append(key_node)
                stack.append(value_node)
        elif node.__class__ is SequenceNode:
            stack.extend(node.value)
    return counts


def _current(root: Any, path: tuple) -> Any:
    value = root
    for step in path:
        value = value[step]
    return value


def _parse(replacement: str) -> Any:
    return load_plain(replacement)


def _advance(text: str, index: int, line: int, column: int, target: int) -> tuple[int, int]:
    """Line and column (1-based) of ``target``, counting from a known position, with the line
    breaks libyaml counts."""
    while index < target:
        for newline in _BREAKS:
            if text.startswith(newline, index):
                index += len(newline)
                line, column = line + 1, 1
                break
        else:
            index += 1
            column += 1
    return line, column


def _owner_line_end(text: str, line_start: int) -> int:
    """Where the line ends (the next one starts) that owns a block mapping whose first key
    starts the line at ``line_start``: the last line before it that holds YAML, not only a
    comment or blanks. A new first key goes there, so comments above the old one stay."""
    cursor = line_start
    while cursor > 0:
        end = cursor
        if text[end - 1] == "\n":
            end -= 1
        if end > 0 and text[end - 1] == "\r":
            end -= 1
        previous = _line_start(text, end)
        line = text[previous:end].strip()
        if line and not line.startswith("#"):
            return cursor
        cursor = previous
    return 0


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def _newline_at(text: str, index: int) -> str:
    """The line ending of the line holding ``index`` (the file's own: CRLF stays CRLF)."""
    end = text.find("\n", index)
    if end > 0 and text[end - 1] == "\r":
        return "\r\n"
    if end < 0 and "\r" in text and "\n" not in text:
        return "\r"
    if end < 0:
        before = text.rfind("\n", 0, index)
        return "\r\n" if before > 0 and text[before - 1] == "\r" else "\n"
    return "\n"


def _change(old: str, new: str) -> Message:
    return m.text(m.CHANGE, old=_short(old), new=_short(new))


def _change_of(fix: Fix, field: str) -> Message:
    """The change when its text is unknown (the fix is refused): the field and the new value."""
    return m.text(m.CHANGE, old=field or "…", new=_short(fix.replacement))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
