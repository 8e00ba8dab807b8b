"""Suppressions written in the manifests themselves.

* Object annotation ``kprobelint.io/ignore: "KPL101,image-tag-latest"`` (with an optional
  ``kprobelint.io/ignore-reason``), on the object or on its pod template.
* Container-scoped annotation ``kprobelint.io/ignore.<container>: "KPL101"``.
* YAML comment ``# kprobelint: ignore[KPL101,KPL203] reason`` on the finding's line or the
  line above, for third-party charts where annotations cannot be added.

A suppressed finding is kept (SARIF reports it as suppressed, with its justification). A
directive naming an unknown rule, or one that matched nothing although its rules ran, is
reported in turn.
"""
from __future__ import annotations

from .findings import Finding, Span
from .i18n import Message, Templates
from .lazyregex import LazyPattern
from .load import locate, split_lines
from .model import K8sObject
from .records import Record
from .ruleset import Rule
from .selector import resolve

# Where a directive is written, as messages name it.
ORIGINS = Templates("suppress", {
    "comment": "comment", "annotation": "annotation",
    "container annotation": "container annotation",
})


def origin_text(origin: str) -> Message | str:
    return ORIGINS(origin) if origin in ORIGINS else origin


ANNOTATION = "kprobelint.io/ignore"
REASON_ANNOTATION = "kprobelint.io/ignore-reason"
CONTAINER_PREFIX = "kprobelint.io/ignore."
# Bounded and anchored on the directive only (the reason is the rest of the line): an
# unbounded pattern backtracks quadratically on long hostile lines.
_COMMENT = LazyPattern(r"#[ \t]*kprobelint:[ \t]*ignore\[([^\]\n]{0,500})\]")


class Directive(Record):
    """A suppression (a ``# kprobelint: ignore[...]`` comment or an annotation)."""

    __slots__ = ("file", "span", "keys", "rules", "unknown", "reason", "origin", "container",
                 "used")
    file: str
    span: Span
    keys: tuple[str, ...]  # as written
    rules: frozenset[str]  # resolved rule ids
    unknown: tuple[str, ...]
    reason: str
    origin: str  # "comment", "annotation", "container annotation" (see ORIGINS)
    container: str | None
    used: bool

    def __init__(self, file: str, span: Span, keys: tuple[str, ...], rules: frozenset[str],
                 unknown: tuple[str, ...], reason: str, origin: str, container: str | None = None,
                 used: bool = False) -> None:
        self.file = file
        self.span = span
        self.keys = keys
        self.rules = rules
        self.unknown = unknown
        self.reason = reason
        self.origin = origin
        self.container = container
        self.used = used

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id not in self.rules:
            return False
        return self.container is None or finding.container == self.container


class Suppressor(Record):
    """The suppressions of a run, and which findings they cover."""

    __slots__ = ("rules", "directives", "by_line")
    rules: list[Rule]  # every known rule, for resolving ids and names
    directives: list[Directive]
    by_line: dict[tuple[str, int], list[Directive]]

    def __init__(self, rules: list[Rule], directives: list[Directive] | None = None,
                 by_line: dict[tuple[str, int], list[Directive]] | None = None) -> None:
        self.rules = rules
        self.directives = [] if directives is None else directives
        self.by_line = {} if by_line is None else by_line

    def _resolve(self, keys: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
        ids: set[str] = set()
        unknown: list[str] = []
        for key in keys:
            matched = [r.id for r in resolve(key, self.rules)]
            if matched:
                ids.update(matched)
            else:
                unknown.append(key)
        return frozenset(ids), tuple(unknown)

    def scan_comments(self, path: str, text: str, first_line: int = 1) -> None:
        """Comment directives in ``text``, which starts at line ``first_line`` of the file."""
        if "kprobelint:" not in text:
            return
        for number, line in enumerate(split_lines(text), first_line):
            if "kprobelint:" not in line:
                continue
            match = _COMMENT.search(line)
            if not match:
                continue
            keys = tuple(k.strip() for k in match.group(1).split(",") if k.strip())
            rules, unknown = self._resolve(keys)
            column = match.start() + 1
            directive = Directive(path, Span(number, column, number, len(line) + 1), keys,
                                  rules, unknown, line[match.end():].strip(), "comment")
            self.directives.append(directive)
            # Applies to its own line (a trailing comment) and to the line below it.
            for target in (number, number + 1):
                self.by_line.setdefault((path, target), []).append(directive)

    def scan_object(self, obj: K8sObject, pod_metadata: list[tuple]) -> None:
        """Read the object's annotation directives (and its pod templates', whose metadata
        paths ``pod_metadata`` are) into the object."""
        found: list[Directive] = []
        own = obj.path + ("metadata",)
        self._scan_annotations(obj, own + ("annotations",), found)
        for metadata in pod_metadata:
            if metadata != own:
                self._scan_annotations(obj, metadata + ("annotations",), found)
        obj.directives = found

    def _scan_annotations(self, obj: K8sObject, path: tuple, found: list[Directive]) -> None:
        annotations = _walk(obj.document.data, path)
        if not isinstance(annotations, dict):
            return
        reason = annotations.get(REASON_ANNOTATION)
        reason = reason if isinstance(reason, str) else ""
        for key, value in annotations.items():
            if key == ANNOTATION:
                container = None
                origin = "annotation"
            elif key.startswith(CONTAINER_PREFIX):
                container = key[len(CONTAINER_PREFIX):]
                origin = "container annotation"
            else:
                continue
            keys = tuple(k.strip() for k in str(value).split(",") if k.strip())
            rules, unknown = self._resolve(keys)
            span = locate(obj.document.data, path + (key,))
            directive = Directive(obj.file.path, span, keys, rules, unknown, reason, origin,
                                  container)
            self.directives.append(directive)
            found.append(directive)

    def match(self, finding: Finding, directives: list[Directive] | None) -> Directive | None:
        """The first directive covering the finding: a comment on its line (or the line above),
        else one of its object's annotations (``directives``, as scan_object stored them)."""
        candidates = self.by_line.get((finding.file, finding.span.line), [])
        if directives:
            candidates = candidates + directives
        for directive in candidates:
            if directive.covers(finding):
                directive.used = True
                return directive
        return None


def _walk(data: object, path: tuple) -> object:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data
