"""Output formats: text, json, sarif and github; formatting only, no rule logic.

Every format has one interface: ``render(report: Report) -> str`` in its module, found
through :data:`FORMATS` by name and imported only when chosen (SARIF's library alone costs
about 60 ms of start-up, which a pre-commit run of the text format must not pay).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from ..lazyregex import LazyPattern
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

FORMATS: dict[str, str] = {
    "text": "kprobelint.report.text",
    "json": "kprobelint.report.json",
    "sarif": "kprobelint.report.sarif",
    "github": "kprobelint.report.github",
}


@dataclass
class Report:
    """What a format needs: the lint's results and how the user wants them shown."""

    findings: list
    stats: Any
    rules: list = field(default_factory=list)  # the rules that ran (SARIF describes them)
    suppressed: list = field(default_factory=list)  # (finding, directive) pairs
    version: str = ""
    seconds: float | None = None  # only with --timing, so output is reproducible
    root: Path | None = None  # SARIF URIs are relative to it
    base: str | None = None  # GitHub annotation paths are relative to it
    colour: bool = False
    show_source: bool = True
    statistics: bool = False  # counts per rule instead of the findings
    quiet: bool = False  # findings only, no summary
    batch: bool = False  # one of several processes (pre-commit): the summary says so
    inline_texts: dict[str, str] = field(default_factory=dict)  # inputs not on disk (stdin)
    lang: str = "en"  # the language of the human text (messages, summary, rule descriptions)


def fix_note(finding: Any, lang: str = "en") -> str | None:
    """How a finding can be fixed, for people: by ``kprobelint fix`` (with
    ``--unsafe-fixes`` for an unsafe fix), or by hand and why; None without a fix."""
    plan = finding.fix_plan
    if plan is None:
        return None
    from ..autofix import messages as m  # noqa: PLC0415  (small; only for a finding with a fix)

    if not plan.applicable:
        return m.text(m.FIX_BY_HAND, reason=plan.blocked).text(lang)
    key = m.FIXABLE if plan.safety == "safe" else m.FIXABLE_UNSAFE
    return m.text(key, change=plan.change).text(lang)


def fixable_summary(findings: list, lang: str = "en") -> str | None:
    """``[*] 3 problems are fixable with `kprobelint fix` (1 more with --unsafe-fixes).``"""
    plans = [f.fix_plan for f in findings if f.fix_plan is not None and f.fix_plan.applicable]
    if not plans:
        return None
    from ..autofix import messages as m  # noqa: PLC0415

    safe = sum(1 for p in plans if p.safety == "safe")
    unsafe = len(plans) - safe
    if not safe:
        return m.plural(m.ONLY_UNSAFE_SUMMARY, unsafe).text(lang)
    more = m.plural(m.FIXABLE_SUMMARY_UNSAFE, unsafe) if unsafe else ""
    return m.plural(m.FIXABLE_SUMMARY, safe, more=more).text(lang)


def render(fmt: str, report: Report) -> str:
    module = import_module(FORMATS[fmt])
    return module.render(report)


# Characters a manifest must not be able to send to a terminal or a CI log: C0 and C1
# controls (ESC starts colour and title sequences, BEL rings), DEL and the Unicode line
# separators. Newlines too, unless the format escapes them itself: a value with a newline
# would otherwise forge report lines, or GitHub workflow commands such as `::add-mask::`.
_UNSAFE = LazyPattern("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_WITH_NEWLINES = LazyPattern("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_path(path: str) -> str:
    """A file name as every format shows it: a byte that is not UTF-8 (which Python keeps as
    a lone surrogate, U+DC80-U+DCFF) is written ``\\xff``, so the report stays valid UTF-8."""
    if path.isascii() or not _SURROGATE.search(path):
        return path
    return _SURROGATE.sub(_escape_surrogate, path)


_SURROGATE = LazyPattern("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control characters written as escapes (``\\x1b``), tabs kept."""
    if text.isprintable():  # no control character or line separator (nor a tab): as it is
        return text
    pattern = _UNSAFE if keep_newlines else _UNSAFE_WITH_NEWLINES
    return pattern.sub(_escape, text)
