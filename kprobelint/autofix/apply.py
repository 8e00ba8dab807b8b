"""Applying a file's planned edits, and proving that nothing but the fixes changed.

The edits replace exact character ranges, so the rest of the text is untouched by
construction. The proof is a second reading: the fixed text is parsed with the same loader,
and each document must equal the original document with the fixes' intended changes made to
its data (a value replaced, a key renamed, an item split), nothing else. A document that
fails is left untouched and its fixes are reported as not applied; a JSON file must still be
valid JSON. Parsing twice costs two C-parser passes over the files that have fixes, and none
over the others.
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import stat
from dataclasses import dataclass
from typing import Any

from ..findings import Finding
from ..i18n import Message
from ..load import LoadedFile, encoding_of, load_plain, load_text
from . import messages as m
from .render import is_json

READ_LIMIT = 256 * 2**20  # as the runner: no manifest comes near it


def digest(data: bytes) -> str:
    """The content hash that tells whether a file changed since it was read."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Outcome:
    """What became of one fixable finding."""

    finding: Finding
    fixed: bool
    reason: Message | None = None  # why it was not fixed (str() gives it in English)
    round: int = 1  # the round of `fix` that applied it (its paths are that round's)


@dataclass
class FileState:
    """A file being fixed: its bytes as read, and its text after the fixes so far."""

    path: str
    original: bytes
    encoding: str
    bom: bytes
    before: str  # the text as read
    text: str  # the text with the fixes applied so far
    # ``text`` parsed, when the last round has it: the next round checks against it, and
    # the lint of the fixed text reads it instead of parsing again.
    parsed: LoadedFile | None = None

    @functools.cached_property
    def json_file(self) -> bool:
        return is_json(self.before)

    def encoded(self) -> bytes:
        """The fixed text in the file's own encoding, with its byte order mark."""
        return self.bom + self.text.encode(self.encoding)


def regular_file(path: str) -> os.stat_result | Message:
    """The file's status, or why it is not one fix may write: a symbolic link is never
    followed to write elsewhere, and only regular files are rewritten."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return m.text(m.UNREADABLE, path=path, error=exc.strerror or exc)
    if stat.S_ISLNK(info.st_mode):
        return m.text(m.SYMLINK, path=path)
    if not stat.S_ISREG(info.st_mode):
        return m.text(m.NOT_REGULAR, path=path)
    return info


def read_state(path: str, expected_digest: str) -> FileState | Message:
    """The file as it is now, or why it cannot be fixed (a link, changed since it was linted)."""
    info = regular_file(path)
    if isinstance(info, Message):
        return info
    try:
        with open(path, "rb", opener=no_follow) as handle:
            data = handle.read(READ_LIMIT + 1)
    except OSError as exc:
        return m.text(m.UNREADABLE, path=path, error=exc.strerror or exc)
    if expected_digest and digest(data) != expected_digest:
        return m.text(m.CHANGED, path=path)
    return state_of(path, data)


def state_of(path: str, data: bytes) -> FileState | Message:
    encoding, bom = encoding_of(data)
    try:
        text = data[len(bom):].decode(encoding)
    except UnicodeDecodeError as exc:
        return m.text(m.UNREADABLE, path=path, error=exc.reason)
    return FileState(path, data, encoding, bom, text, text)


def no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def apply_round(state: FileState, findings: list[Finding]) -> list[Outcome]:
    """Apply the planned fixes of ``findings`` (all of this file, all applicable) to the text.

    Fixes whose edits overlap an earlier one wait for the next round (None in the result's
    reasons means "not decided yet"); documents that do not read back as intended keep their
    text. Returns an outcome for every finding given.
    """
    start_text, start_parsed = state.text, state.parsed
    chosen, waiting = _without_overlaps(findings)
    outcomes = [Outcome(f, False, None) for f in waiting]
    refused: dict[int, Message] = {}  # document index -> reason
    while True:
        active = [f for f in chosen if f.fix_plan.document not in refused]
        if not active:
            break
        text = _edited(state.text, active)
        failed, parsed = verify(state, text, active)
        if not failed:
            state.text, state.parsed = text, parsed
            break
        refused.update(failed)
    for finding in chosen:
        reason = refused.get(finding.fix_plan.document)
        outcomes.append(Outcome(finding, reason is None, reason))
    if state.json_file and any(o.fixed for o in outcomes) and not is_json(state.text):
        state.text, state.parsed = start_text, start_parsed  # a safety net: JSON is written
        return [Outcome(o.finding, False, m.text(m.NOT_JSON)) for o in outcomes]
    try:
        state.encoded()
    except UnicodeEncodeError:
        state.text, state.parsed = start_text, start_parsed
        return [Outcome(o.finding, False, m.text(m.NOT_ENCODABLE, encoding=state.encoding))
                for o in outcomes]
    return outcomes


def _without_overlaps(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The fixes to apply now, in text order, and those whose text another fix changes.

    Two findings with the very same edits (two rules asking for the same correction) are one
    fix, applied once.
    """
    chosen: list[Finding] = []
    waiting: list[Finding] = []
    taken: list[tuple[int, int]] = []
    seen: dict[tuple, bool] = {}
    for finding in sorted(findings, key=lambda f: (f.fix_plan.edits[0].start, f.rule_id)):
        edits = finding.fix_plan.edits
        key = tuple((e.start, e.end, e.text) for e in edits)
        if key in seen:
            chosen.append(finding)  # the same edits: applied once, fixed together
            continue
        if any(_overlaps(e.start, e.end, a, b) for e in edits for a, b in taken):
            waiting.append(finding)
            continue
        seen[key] = True
        taken.extend((e.start, e.end) for e in edits)
        chosen.append(finding)
    return chosen, waiting


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    if start == end or other_start == other_end:  # an insertion: at the same point, or inside
        return other_start <= start <= other_end if start == end else start <= other_start <= end
    return start < other_end and other_start < end


def _edited(text: str, findings: list[Finding]) -> str:
    edits = {(e.start, e.end, e.text) for f in findings for e in f.fix_plan.edits}
    parts = []
    cursor = len(text)
    for start, end, new in sorted(edits, reverse=True):
        parts.append(text[end:cursor])
        parts.append(new)
        cursor = start
    parts.append(text[:cursor])
    return "".join(reversed(parts))


# ---------------------------------------------------------------------------------------------
# Verification


def verify(state: FileState, text: str,
           findings: list[Finding]) -> tuple[dict[int, str], LoadedFile]:
    """Documents of ``text`` that differ from the intended result (index -> reason), and
    ``text`` parsed."""
    before = state.parsed or load_text(state.path, state.text)
    state.parsed = before
    after = load_text(state.path, text)
    every = {f.fix_plan.document for f in findings}
    if after.skipped or _problems(after) != _problems(before) or \
            [d.index for d in after.documents] != [d.index for d in before.documents]:
        return {index: m.text(m.NOT_PARSED) for index in every}, after
    by_document: dict[int, list[Finding]] = {}
    for finding in findings:
        by_document.setdefault(finding.fix_plan.document, []).append(finding)
    failed: dict[int, str] = {}
    for old, new in zip(before.documents, after.documents):
        try:
            expected = intended(old.data, by_document.get(old.index, ()))
        except (KeyError, IndexError, TypeError, AttributeError):
            expected = _UNKNOWN  # the fix's path is not in the data: never the same
        if not same(expected, new.data):
            if old.index not in by_document:  # an edit reached another document: all go
                return {index: m.text(m.NOT_SAME_DATA) for index in every}, after
            failed[old.index] = m.text(m.NOT_SAME_DATA)
    return failed, after


_UNKNOWN = object()


def _problems(loaded: Any) -> list[tuple[str, str]]:
    return sorted((p.rule, p.message.split(" (first at line")[0]) for p in loaded.problems)


def intended(data: Any, findings: Any) -> Any:
    """A copy of a document's data with the fixes' changes made to it.

    Applied from the end of the text backwards, so that an item split or a key renamed earlier
    in the document does not move the paths of the changes after it.
    """
    if not findings:
        return data
    copy = _copy(data)
    for finding in sorted(findings, key=lambda f: f.fix_plan.edits[0].start, reverse=True):
        fix = finding.fix
        parent = copy
        for step in fix.path[:-1]:
            parent = parent[step]
        last = fix.path[-1]
        new = load_plain(fix.replacement)
        if fix.action in ("replace-value", "add-key"):
            parent[last] = _copy(new)
        elif fix.action == "rename-key":
            parent[fix.replacement] = parent.pop(last)
        elif fix.action == "replace-item":
            parent[last:last + 1] = _copy(new)
    return copy


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """Deep equality of YAML data, with NaN equal to NaN and true never equal to 1."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(v, b[k])
                                                                    for k, v in a.items())
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b

