"""GitHub Actions output: one workflow command (``::error ...::message``) per finding.

GitHub turns each such line of a step's log into an annotation on the file and line, shown in
the job summary and on the pull request diff, without code scanning (no SARIF, no GHAS)::

    ::error file=web.yaml,line=31,col=38,endLine=31,endColumn=44,title=KPL103 ...::MESSAGE

Escaping follows GitHub's own toolkit (``@actions/core`` ``command.ts``): the message escapes
``%``, CR and LF; property values also escape ``:`` and ``,`` (the property delimiters). With
CR and LF escaped, nothing a manifest contains can start a second workflow command.

Paths are relative to the current directory with forward slashes (GitHub resolves them against
the workspace, which is where the workflow runs kprobelint). Findings read from stdin (``-``)
carry no ``file``, ``line`` or ``col`` property: the position goes into the message instead.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..findings import Finding
from ..i18n import DEFAULT, Templates
from ..i18n import render as localize
from . import Report, printable, shown_path

TEXTS = Templates("github", {
    "rendered-at": "{message} (rendered at {place})",
    "title": "{rule}: {title}",
})

STDIN_NAME = "-"
COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """``text`` as the message of a workflow command."""
    # GitHub escapes only %, CR and LF; other control characters would reach the log as is.
    text = printable(text, keep_newlines=True)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """``text`` as a property value of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    return render_github(report.findings, cwd=report.base, lang=report.lang)


def render_github(findings: Sequence[Finding], *, cwd: str | os.PathLike | None = None,
                  lang: str = DEFAULT) -> str:
    """One workflow command line per finding, in the order given ('' when there are none).

    ``cwd`` is the directory paths are made relative to (default: the current directory);
    titles and messages are in ``lang``.
    """
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    return "".join(annotation(f, base, lang) + "\n" for f in findings)


def annotation(finding: Finding, base: str, lang: str = DEFAULT) -> str:
    """The workflow command for one finding; ``base`` is an absolute directory."""
    span = finding.span
    line = max(1, span.line)
    column = max(1, span.column)
    end_line = max(line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == line:
        end_column = max(column, end_column)

    properties: list[tuple[str, str]] = []
    message = message_text(finding, lang)
    source = finding.source
    if source is not None and source.path and source.line:
        # Helm: the annotation belongs on the template a reviewer can change, not on the
        # rendered output (often stdin, which no diff shows); the rendered spot is named.
        rendered = "stdin" if finding.file == STDIN_NAME else relative_path(finding.file, base)
        message = localize(TEXTS("rendered-at", message=finding.full_message(False, lang),
                               place=f"{rendered}:{line}:{column}"), lang)
        properties += [("file", relative_path(source.path, base)), ("line", str(source.line))]
    elif finding.file == STDIN_NAME:
        message = f"stdin:{line}:{column}: {message}"
    else:
        properties += [
            ("file", shown_path(relative_path(finding.file, base))),
            ("line", str(line)),
            ("col", str(column)),
            ("endLine", str(end_line)),
            ("endColumn", str(end_column)),
        ]
    properties.append(("title", title(finding, lang)))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND.get(finding.severity, 'warning')} {props}::{escape_data(message)}"


def message_text(finding: Finding, lang: str = DEFAULT) -> str:
    """The message, the object and container it is about, the statuses and the Helm source."""
    return finding.full_message(lang=lang)


def title(finding: Finding, lang: str = DEFAULT) -> str:
    """``KPL103 readiness-probe-port-undeclared``; in another language the rule's title in it
    follows the name (``KPL103 readiness-probe-port-undeclared：就绪探针的端口未声明``)."""
    text = " ".join(part for part in (finding.rule_id, finding.rule_name) if part)
    if lang == DEFAULT:
        return text
    from ..i18n.prose import rule_title  # noqa: PLC0415  (only in another language)

    translated = rule_title(finding.rule_id, lang)
    return localize(TEXTS("title", rule=text, title=translated), lang) if translated else text


def relative_path(file: str, base: str) -> str:
    """``file`` relative to ``base`` with forward slashes (absolute if on another drive)."""
    absolute = os.path.abspath(file)
    try:
        path = os.path.relpath(absolute, base)
    except ValueError:  # Windows: another drive has no relative path
        path = absolute
    return Path(path).as_posix()
