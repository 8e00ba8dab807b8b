"""SARIF 2.1.0 output for GitHub code scanning and other SARIF consumers.

The log is built with the typed ``sarif_om`` classes and serialized by a small attrs-based
serializer of our own (see ``shared/research/sarif-ci.md`` §3): ``jschema_to_python`` drops
every field equal to its schema default, which silently turns an explicit
``result.level = "warning"`` into the rule's default level, and it costs a deep copy per
nesting level. ``sarif_om`` is imported inside :func:`render_sarif` only, so the other output
formats do not pay its ~60 ms import.

Output is deterministic: rules sorted by id, results by (uri, line, column, ruleId, message),
no timestamps, no absolute working directory (only files outside ``root`` get an absolute
``file://`` URI, which GitHub needs to locate them at all).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..findings import TEXTS as FINDING_TEXTS
from ..findings import Finding, HelmSource, ObjectRef, Span
from ..i18n import (
    DEFAULT,
    Templates,
    fields_in_order,
    param_text,
    positional,
    template_for,
)
from ..i18n import render as localize
from ..ruleset import Rule
from . import Report

TEXTS = Templates("sarif", {
    "rendered-output": "Rendered output",
    "helm-template": "Helm template",
    "why": "Why",
    "fix": "Fix",
    "example-fails": "Example (fails)",
    "justification": "{origin}: {reason}",
    "justification-none": "{origin} (no reason given)",
})
# The language of a log's human text (run.language, RFC 5646), when it is not en-US.
RUN_LANGUAGE = {"zh": "zh-CN"}

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "kprobelint"
INFORMATION_URI = "https://github.com/kprobelint/kprobelint"
FINGERPRINT_KEY = "kprobelint/v1"
STDIN_NAME = "-"
STDIN_URI = "stdin"

# GitHub code scanning limits (sarif-ci.md §2.1 / §2.2): longer values get the upload rejected.
MAX_DESCRIPTION = 1024
MAX_NAME = 255
MAX_TAGS = 20

# GitHub's "problem.severity" has no "note": its word for the lowest level is "recommendation".
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}

# Fields the serializer writes even when equal to their attrs default. "level" is the reason
# the serializer exists: a dropped result.level falls back to the rule's defaultConfiguration.
ALWAYS_EMIT = frozenset({"level"})

# Keys moved to the front of their object, purely so the JSON reads naturally top-down.
LEADING_KEYS = (
    "$schema", "id", "name", "version", "semanticVersion", "ruleId", "ruleIndex", "level",
    "message", "shortDescription", "fullDescription", "help",
    "startLine", "startColumn", "endLine", "endColumn",
)


def render(report: Report) -> str:
    return render_sarif(report.findings, report.rules, root=report.root or Path.cwd(),
                        version=report.version, suppressed=report.suppressed,
                        inline=report.inline_texts, lang=report.lang)


def render_sarif(
    findings: Sequence[Finding], rules: Sequence[Rule], *, root: Path, version: str,
    suppressed: Sequence[tuple[Finding, Any]] = (), inline: Mapping[str, str] | None = None,
    lang: str = DEFAULT,
) -> str:
    """The SARIF log for ``findings`` as JSON text (one run, ending with a newline).

    ``suppressed`` holds (finding, directive) pairs silenced in the source: they are
    reported too, with an in-source suppression and its justification, not dropped.
    ``inline`` holds the text of inputs that are not files (stdin), for snippets. Messages
    and rule descriptions are in ``lang``; ids, names, tags and paths are the same in every
    language.
    """
    import sarif_om as om  # noqa: PLC0415  (~60 ms: paid only by --format sarif)

    sources = _Sources(inline)
    real_root = os.path.realpath(root)
    justification = {id(f): _justification(d, lang) for f, d in suppressed}
    everything = [*findings, *(f for f, _ in suppressed)]
    descriptors = _descriptors(om, rules, everything, lang)
    index = {d.id: i for i, d in enumerate(descriptors)}
    wording = {id(f): _message_string(f, lang) for f in everything}
    results = [
        _result(om, f, index[f.rule_id], real_root, sources, justification.get(id(f)), lang,
                wording[id(f)])
        for f in sorted(everything, key=lambda f: _result_sort_key(f, real_root))
    ]
    _message_strings(om, descriptors, ((f.rule_id, wording[id(f)]) for f in everything))
    driver = om.ToolComponent(
        name=TOOL_NAME,
        version=version,
        semantic_version=version,
        information_uri=INFORMATION_URI,
        rules=descriptors,
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        # Always a list, even when empty: upload-sarif rejects a run without "results".
        results=results,
        # Always true for a completed lint, findings or not (codeql-action #1316).
        invocations=[om.Invocation(execution_successful=True)],
        # Our columns count characters (libyaml marks), not UTF-16 code units.
        column_kind="unicodeCodePoints",
        language=RUN_LANGUAGE.get(lang, "en-US"),
    )
    log = om.SarifLog(runs=[run], version=SARIF_VERSION, schema_uri=SCHEMA_URI)
    return json.dumps(_to_sarif_dict(log), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- rules


def _descriptors(om: Any, rules: Sequence[Rule], findings: Sequence[Finding],
                 lang: str = DEFAULT) -> list[Any]:
    """One reportingDescriptor per rule id (duplicates are invalid SARIF), sorted by id."""
    by_id: dict[str, Any] = {}
    # Sorting before de-duplicating keeps the choice among same-id rules independent of
    # the input order.
    for rule in sorted(rules, key=lambda r: (r.id, r.path, r.name)):
        if rule.id not in by_id:
            by_id[rule.id] = _rule_descriptor(om, rule, lang)
    # A finding whose rule is not in ``rules`` (e.g. parse-error, or a rule list filtered by
    # the caller) still needs a descriptor for ruleIndex; take its name from the first
    # finding in sorted order so the result does not depend on the input order.
    for finding in sorted(findings, key=_finding_identity):
        if finding.rule_id not in by_id:
            by_id[finding.rule_id] = _synthesized_descriptor(om, finding)
    return [by_id[rule_id] for rule_id in sorted(by_id)]


def friendly_name(name: str) -> str:
    """``readiness-probe-port-undeclared`` as SARIF's friendly name, ReadinessProbePortUndeclared
    (Pascal case, as the SARIF best practices ask, SARIF2012); ids stay the stable key."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _rule_descriptor(om: Any, rule: Rule, lang: str = DEFAULT) -> Any:
    from ..i18n.prose import rule_prose  # noqa: PLC0415

    prose = rule_prose(rule, lang)
    name = _truncate(friendly_name(rule.name or rule.id), MAX_NAME)
    # GitHub rejects empty required strings, so each description falls back to something.
    short = _truncate(prose.summary or name, MAX_DESCRIPTION)
    full = _truncate(prose.why or short, MAX_DESCRIPTION)
    return om.ReportingDescriptor(
        id=rule.id,
        name=name,
        short_description=om.MultiformatMessageString(text=short),
        full_description=om.MultiformatMessageString(text=full),
        help=om.MultiformatMessageString(
            text=_help_text(prose) or short,
            markdown=_help_markdown(rule, prose, lang) or None,
        ),
        help_uri=rule.help_uri,
        default_configuration=om.ReportingConfiguration(level=rule.severity),
        properties={
            "tags": _tags(rule),
            # GitHub sorts and filters alerts by precision: a conditional prediction holds
            # only when something else goes wrong too.
            "precision": "very-high" if rule.certainty == "certain" else "high",
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "warning"),
            **_certainty(rule.certainty, prose.condition),
        },
    )


def _synthesized_descriptor(om: Any, finding: Finding) -> Any:
    # GitHub requires fullDescription and help.text as well, so the name fills those too.
    raw = finding.rule_name or finding.rule_id
    text = om.MultiformatMessageString(text=_truncate(raw, MAX_DESCRIPTION))
    return om.ReportingDescriptor(
        id=finding.rule_id,
        name=_truncate(friendly_name(raw), MAX_NAME),
        short_description=text,
        full_description=text,
        help=text,
    )


def _help_text(prose: Any) -> str:
    return "\n\n".join(part for part in (prose.why, prose.fix) if part)


def _help_markdown(rule: Rule, prose: Any, lang: str = DEFAULT) -> str:
    sections = []
    if prose.why:
        sections.append(f"**{TEXTS.text('why', lang)}**\n\n{prose.why}")
    if prose.fix:
        sections.append(f"**{TEXTS.text('fix', lang)}**\n\n{prose.fix}")
    if rule.failing:
        sections.append(f"**{TEXTS.text('example-fails', lang)}**\n\n"
                        f"{_yaml_block(rule.failing[0].yaml)}")
    return "\n\n".join(sections)


def _yaml_block(text: str) -> str:
    # The fence must be longer than any backtick run inside, or the example ends the block.
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}yaml\n{text.rstrip()}\n{fence}"


def _tags(rule: Rule) -> list[str]:
    # The schema requires unique tags; GitHub rejects more than 20 per rule.
    tags: list[str] = []
    for tag in ("kubernetes", rule.area, *rule.statuses):
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary where one is near."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:  # don't throw away a quarter of the text to save a word
        cut = cut[:space]
    # A lone surrogate (from surrogateescape-decoded input) must not be left dangling.
    if cut and "\ud800" <= cut[-1] <= "\udbff":
        cut = cut[:-1]
    return cut.rstrip() + "…"


# --------------------------------------------------------------------------- results


def _justification(directive: Any, lang: str = DEFAULT) -> str:
    from ..suppress import origin_text  # noqa: PLC0415

    reason = getattr(directive, "reason", "") or ""
    origin = origin_text(getattr(directive, "origin", "suppression"))
    if reason:
        return TEXTS.text("justification", lang, origin=origin, reason=reason)
    return TEXTS.text("justification-none", lang, origin=origin)


def _result(om: Any, finding: Finding, rule_index: int, real_root: str, sources: _Sources,
            justification: str | None = None, lang: str = DEFAULT,
            wording: tuple[str, str, list[str]] | None = None) -> Any:
    rendered = _physical_location(om, _artifact_uri(finding.file, real_root),
                                  sources.lines(finding.file), finding.span)
    template = _template_location(om, finding.source, real_root, sources)
    related = None
    if template is not None and _maps_to_template_line(finding):
        # The template is what a reviewer changes and what code scanning can show in the
        # repository (rendered input is often stdin): it is the primary location, and the
        # rendered position a related one.
        primary = template
        related = [om.Location(id=1, physical_location=rendered,
                               message=om.Message(text=TEXTS.text("rendered-output", lang)))]
    else:
        primary = rendered
        if template is not None:
            related = [om.Location(id=1, physical_location=template,
                                   message=om.Message(text=TEXTS.text("helm-template", lang)))]
    location = om.Location(physical_location=primary,
                           logical_locations=_logical_locations(om, finding))
    uri = primary.artifact_location.uri
    return om.Result(
        rule_id=finding.rule_id,
        rule_index=rule_index,
        level=finding.severity,
        message=_message(om, finding, lang, wording),
        locations=[location],
        related_locations=related,
        # No primaryLocationLineHash: upload-sarif computes it, and a wrong one breaks
        # GitHub's alert matching (sarif-ci.md §2.3).
        partial_fingerprints={FINGERPRINT_KEY: _fingerprint(finding, uri)},
        # The statuses that follow here, which may be fewer than the rule's tags say (a
        # StatefulSet's refused template: FailedCreate, not Rejected).
        properties={"statuses": list(finding.statuses),
                    **_certainty(finding.certainty, finding.condition_text(lang))},
        # sarif-om's Suppression class predates the final schema (it writes "state"): a
        # plain dict keeps the log valid.
        suppressions=None if justification is None else [
            {"kind": "inSource", "status": "accepted", "justification": justification}
        ],
        fixes=_fixes(om, finding, real_root, sources, lang),
    )


def _fixes(om: Any, finding: Finding, real_root: str, sources: _Sources,
           lang: str = DEFAULT) -> list[Any] | None:
    """The finding's fix as SARIF replacements in the linted file, when ``kprobelint fix``
    can apply it (not for Helm output, which is fixed in its template, nor for stdin)."""
    plan = finding.fix_plan
    if plan is None or not plan.applicable or finding.file in sources.inline \
            or finding.file == STDIN_NAME:
        return None
    from ..autofix import messages as m  # noqa: PLC0415

    key = m.SARIF_FIX if plan.safety == "safe" else m.SARIF_FIX_UNSAFE
    replacements = [
        om.Replacement(deleted_region=_region(om, edit.span),
                       inserted_content=om.ArtifactContent(text=edit.text))
        for edit in plan.edits
    ]
    return [om.Fix(
        description=om.Message(text=m.text(key, change=plan.change).text(lang)),
        artifact_changes=[om.ArtifactChange(
            artifact_location=om.ArtifactLocation(uri=_artifact_uri(finding.file, real_root)),
            replacements=replacements)],
    )]


def _certainty(certainty: str, condition: str | None) -> dict[str, str]:
    """The property-bag entries that say whether the predicted statuses surely follow."""
    if certainty == "conditional" and condition:
        return {"certainty": certainty, "condition": condition}
    return {"certainty": certainty}


def _maps_to_template_line(finding: Finding) -> bool:
    source = finding.source
    return source is not None and source.path is not None and source.line is not None


def _primary_position(finding: Finding, real_root: str) -> tuple[str, int, int]:
    """The (uri, line, column) of a result's primary location, for sorting."""
    if _maps_to_template_line(finding):
        return _artifact_uri(finding.source.path, real_root), finding.source.line, 0
    return _artifact_uri(finding.file, real_root), finding.span.line, finding.span.column


def _result_sort_key(finding: Finding, real_root: str) -> tuple:
    # (uri, line, column, ruleId, message) as documented; the identity tail only breaks ties
    # so that a shuffled input still renders byte-identical output.
    return (*_primary_position(finding, real_root), finding.rule_id, _message_text(finding),
            *_finding_identity(finding))


def _finding_identity(finding: Finding) -> tuple:
    """Every rendered field of a finding, as a sortable tuple of strings and ints."""
    obj = finding.object
    source = finding.source
    return (
        finding.file, finding.span.line, finding.span.column, finding.span.end_line,
        finding.span.end_column, finding.rule_id, finding.rule_name, finding.severity,
        finding.message, finding.statuses, finding.certainty, str(finding.condition or ""),
        (obj.kind, obj.namespace or "", obj.name) if obj else (),
        finding.container or "", finding.field or "",
        (source.file, source.line if source.line is not None else -1) if source else (),
    )


def _artifact_uri(file: str, real_root: str) -> str:
    """The SARIF ``uri`` for ``file``: repo-relative and percent-encoded where possible.

    ``real_root`` must already be resolved with ``os.path.realpath``.
    """
    if file == STDIN_NAME:
        return STDIN_URI
    real = Path(os.path.realpath(file))
    if real.is_relative_to(real_root) and real != Path(real_root):
        # as_posix: forward slashes on every OS; relative_to never yields a "./" prefix.
        # A byte that is not UTF-8 is percent-encoded as itself (%FF): the URI names the file.
        return quote(real.relative_to(real_root).as_posix(), errors="surrogateescape")
    # Outside the root a relative path would be wrong; as_uri() percent-encodes by itself.
    return real.as_uri()


class _Sources:
    """The lines of the files results point into, read once each, for snippets."""

    def __init__(self, inline: Mapping[str, str] | None = None) -> None:
        self.inline = inline or {}
        self.cache: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self.cache:
            text = self.inline.get(path)
            if text is None:
                from .source import read_text  # noqa: PLC0415

                text = read_text(path)
            self.cache[path] = None if text is None else text.splitlines()
        return self.cache[path]


CONTEXT_LINES = 2  # lines of context around a region, for consumers that show code


def _physical_location(om: Any, uri: str, lines: list[str] | None, span: Span) -> Any:
    """A location with its region, the region's text and a few lines around it, as the SARIF
    best practices ask (SARIF2010, SARIF2011): a reader sees the code without the file."""
    region = _region(om, span)
    context = None
    if lines is not None and region.end_line <= len(lines):
        text = _text_of(lines, region)
        if text:
            region.snippet = om.ArtifactContent(text=text)
        first = max(1, region.start_line - CONTEXT_LINES)
        last = min(len(lines), region.end_line + CONTEXT_LINES)
        context = om.Region(start_line=first, end_line=last, snippet=om.ArtifactContent(
            text="\n".join(lines[first - 1:last]) + "\n"))
    return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=uri), region=region,
                               context_region=context)


def _text_of(lines: list[str], region: Any) -> str:
    """The characters of ``region`` (1-based, end column exclusive)."""
    if region.start_line == region.end_line:
        return lines[region.start_line - 1][region.start_column - 1:region.end_column - 1]
    parts = [lines[region.start_line - 1][region.start_column - 1:]]
    parts += lines[region.start_line:region.end_line - 1]
    parts.append(lines[region.end_line - 1][:region.end_column - 1])
    return "\n".join(parts)


def _region(om: Any, span: Span) -> Any:
    # SARIF positions are 1-based (schema minimum 1); a 0 from a buggy caller must not make
    # the whole log invalid. The end is kept at or after the start.
    start_line = max(1, span.line)
    start_column = max(1, span.column)
    end_line = max(start_line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    return om.Region(
        start_line=start_line,
        start_column=start_column,
        end_line=end_line,
        end_column=end_column,
    )


def _logical_locations(om: Any, finding: Finding) -> list[Any] | None:
    obj = finding.object
    if obj is None:
        return None
    return [
        om.LogicalLocation(
            name=finding.container or obj.name,
            fully_qualified_name=_object_path(obj, finding.container),
            kind="object",
        )
    ]


def _object_path(obj: ObjectRef, container: str | None) -> str:
    path = f"{obj.kind}/{obj.namespace or ''}/{obj.name}"
    return f"{path}/{container}" if container else path


def _template_location(om: Any, source: HelmSource | None, real_root: str,
                       sources: _Sources) -> Any | None:
    """Where the Helm template is: the file on disk (``--chart-dir``), else as Helm names it."""
    if source is None:
        return None
    if source.path is None:
        # "# Source:" is relative to the chart's parent, not to the root: keep it as written,
        # normalizing only separators and URI escaping.
        uri = quote(source.file.replace("\\", "/").removeprefix("./"))
        region = om.Region(start_line=max(1, source.line)) if source.line is not None else None
        return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=uri),
                                   region=region)
    uri = _artifact_uri(source.path, real_root)
    lines = sources.lines(source.path)
    if source.line is None or lines is None or source.line > len(lines):
        region = om.Region(start_line=source.line) if source.line is not None else None
        return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=uri),
                                   region=region)
    # The whole matched template line, without its indentation.
    line = lines[source.line - 1]
    start = len(line) - len(line.lstrip()) + 1
    span = Span(source.line, start, source.line, max(len(line.rstrip()) + 1, start))
    return _physical_location(om, uri, lines, span)


def _message_text(finding: Finding, lang: str = DEFAULT) -> str:
    # The Helm template is a related location in SARIF, not part of the message.
    return finding.full_message(with_source=False, lang=lang)


# --------------------------------------------------------------------------- message strings
#
# A result whose message is a template also gets ``message.id`` and ``message.arguments``, and
# its rule a ``messageStrings`` entry with the template in SARIF's positional form ({0}, {1},
# literal braces doubled), wrapped in the same words as the text around it: a consumer can
# show the message in its own way or language, and formatting the string with the arguments
# gives ``message.text`` exactly. Results without a template keep their text only.


def _message(om: Any, finding: Finding, lang: str,
             wording: tuple[str, str, list[str]] | None) -> Any:
    text = _message_text(finding, lang)
    if wording is None:
        return om.Message(text=text)
    message_id, _, arguments = wording
    return om.Message(text=text, id=message_id, arguments=arguments)


def _message_string(finding: Finding, lang: str) -> tuple[str, str, list[str]] | None:
    """(id, positional message string, arguments) of ``finding``'s message, or None."""
    message = finding.template
    if message is None:
        return None
    names = fields_in_order(message.english)
    string = positional(template_for(message.key, lang, message.english), names)
    if string is None:
        return None
    arguments = [param_text(message.params.get(name, ""), lang) for name in names]
    message_id = message.key
    where = finding.where()
    if where is not None:
        string = localize(FINDING_TEXTS("where", message=string, where=f"{{{len(names)}}}"),
                        lang)
        arguments.append(param_text(where, lang))
    else:
        message_id += "/unlocated"
    outcome = finding.outcome(_MARK)
    if outcome is not None:
        # What it leads to, around the message string: its own braces doubled, as SARIF's
        # positional form reads braces as placeholders.
        before, _, after = localize(outcome, lang).partition(_MARK)
        string = _literal(before) + string + _literal(after)
    if not string.endswith("."):
        # SARIF2001 wants a message string to end with "." (ASCII, and nothing else): a
        # language that ends its sentences otherwise (Chinese "。") gives message.text only.
        return None
    return message_id, string, arguments


_MARK = "\x00"


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _message_strings(om: Any, descriptors: list[Any], wordings: Iterable[tuple[str, Any]]
                     ) -> None:
    """Give each rule the message strings of its results, sorted by id."""
    by_rule: dict[str, dict[str, str]] = {}
    for rule_id, wording in wordings:
        if wording is not None:
            by_rule.setdefault(rule_id, {})[wording[0]] = wording[1]
    for descriptor in descriptors:
        strings = by_rule.get(descriptor.id)
        if strings:
            descriptor.message_strings = {
                key: om.MultiformatMessageString(text=strings[key]) for key in sorted(strings)}


def _fingerprint(finding: Finding, uri: str) -> str:
    obj = finding.object
    # Without an object (e.g. a parse error) the file is the only identity there is; an
    # empty "//" would make every such finding of a rule share one fingerprint.
    subject = f"{obj.kind}/{obj.namespace or ''}/{obj.name}" if obj else uri
    return f"{finding.rule_id}|{subject}|{finding.container or ''}|{finding.field or ''}"


# --------------------------------------------------------------------------- serializer


def _to_sarif_dict(log: Any) -> Any:
    """``log`` as plain JSON values, with SARIF property names."""
    import attr  # noqa: PLC0415  (already loaded by sarif_om; kept local like it)

    def default_of(field: Any) -> Any:
        default = field.default
        if isinstance(default, attr.Factory):
            return default.factory()
        return default

    def convert(value: Any) -> Any:
        if attr.has(type(value)):
            return convert_attrs(value)
        if isinstance(value, dict):
            # Property bags and partialFingerprints: plain dicts with SARIF keys as given.
            return {k: convert(v) for k, v in value.items() if v is not None}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    def convert_attrs(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in attr.fields(type(obj)):
            value = getattr(obj, field.name)
            default = default_of(field)
            required = default is attr.NOTHING
            if value is None and not required:
                continue
            # Dropping values equal to the default removes sarif_om's -1 sentinels
            # (location.id, ruleIndex, index, byteOffset...) and noise like language="en-US".
            if not required and field.name not in ALWAYS_EMIT and value == default:
                continue
            out[field.metadata.get("schema_property_name", field.name)] = convert(value)
        return _lead(out)

    return convert(log)


def _lead(obj: dict[str, Any]) -> dict[str, Any]:
    first = {key: obj[key] for key in LEADING_KEYS if key in obj}
    return {**first, **{k: v for k, v in obj.items() if k not in first}}
