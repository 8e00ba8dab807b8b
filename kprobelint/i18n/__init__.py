"""The language a run speaks, and every text a person reads as a template with named parameters.

English is the source language and lives in the code, beside what fills it: each module
declares its texts once as a :class:`Templates` table under a namespace (``report``, ``cli``,
``timeline``, ``schema``, ``rollout``...) and makes a :class:`Message` (a key and named
parameters) wherever it has something to say. A message is rendered only when it is shown,
in the language of the output, so one finding can be printed in English, in Chinese, or as
SARIF ``message.id`` and ``arguments``.

Other languages live in catalogues read only when that language is used (an English run never
opens them):

- ``kprobelint/i18n/<lang>/<namespace>.yaml``: the code's texts, keyed as in its table;
- ``rules/<area>/<rule>.<lang>.yaml``: a rule's prose, beside the rule file it translates;
- ``rules/catalogue.<lang>.yaml``: the prose of every status of the catalogue.

Rule ids, field paths, status names and severities are never translated: they are what users
type, grep and configure. A text missing from a catalogue falls back to English; the test
suite makes sure none is missing and that no translation uses a parameter its English text
does not have.
"""
from __future__ import annotations

import functools
import os
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..lazyregex import LazyPattern
from ..typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Union

    Param = Union[str, int, float, "Message", "Items", "RuleText", None]

LANGUAGES = ("en", "zh")
DEFAULT = "en"
CATALOGUE_DIR = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- which language


def language_of_locale(value: str) -> str:
    """The language of a POSIX locale name: ``zh_CN.UTF-8``, ``zh_TW``, ``zh_HK.Big5``, ``zh``
    and ``zh-Hans`` are Chinese; anything else (``C``, ``POSIX``, ``en_US.UTF-8``) English."""
    name = value.split(".", 1)[0].split("@", 1)[0].strip().replace("-", "_").lower()
    return "zh" if name == "zh" or name.startswith("zh_") else DEFAULT


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES and LANG that is set
    and not empty decides, as POSIX orders them."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return language_of_locale(value)
    return DEFAULT


def check_language(value: str) -> str:
    """``value`` if it names a supported language (``en``, ``zh``; case-insensitive)."""
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(value)
    return lang


_current = [DEFAULT]


def current() -> str:
    """The language of this run's human text (set once by the command line)."""
    return _current[0]


def use(lang: str) -> None:
    """Speak ``lang`` from now on (the command line calls it once it knows the language)."""
    _current[0] = check_language(lang)


# --------------------------------------------------------------------------- messages



@dataclass(frozen=True, slots=True)
class Message:
    """A text to show: the key of its template and the values of its named parameters.

    Values are plain strings and numbers, already written as they read in YAML where they
    quote the input, or nested messages and :class:`Items`, rendered in the same language.
    ``english`` is the English template itself: a message made in one process (a worker) is
    rendered in another without the module that defines it having to be imported there.
    """

    key: str
    params: Mapping[str, Param]
    english: str

    def text(self, lang: str | None = None) -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, DEFAULT)


@dataclass(frozen=True, slots=True)
class Items:
    """Values listed in running text: ``a, b`` / ``a、b``; with a conjunction ``a, b or c`` /
    ``a、b 或 c``. Values may be messages."""

    values: tuple[Param, ...]
    conjunction: str = ""  # "", "and" or "or"


@dataclass(frozen=True, slots=True)
class RuleText:
    """A text of a rule file used inside a message (a rule's ``condition``): shown in the
    rule's translation, as long as it is the text the rule file has (a check may say another)."""

    rule_id: str
    field: str
    english: str


ENGLISH: dict[str, str] = {}  # every registered English template, by full key


class Templates:
    """The texts of one module: ``TEXTS = Templates("report", {"summary": "..."})``.

    ``TEXTS("summary", files=3)`` is a :class:`Message`; ``TEXTS.text("summary", files=3)``
    renders it at once in the current language.
    """

    def __init__(self, namespace: str, table: Mapping[str, str]) -> None:
        self.namespace = namespace
        self.table = dict(table)
        for key, template in self.table.items():
            full = f"{namespace}.{key}"
            if ENGLISH.get(full, template) != template:
                raise ValueError(f"text {full} is defined twice")
            ENGLISH[full] = template

    def __call__(self, key: str, /, **params: Param) -> Message:
        if key not in self.table:
            raise KeyError(f"{self.namespace}.{key}")
        return Message(f"{self.namespace}.{key}", params, self.table[key])

    def text(self, key: str, /, lang: str | None = None, **params: Param) -> str:
        return render(self(key, **params), lang)

    def __contains__(self, key: str) -> bool:
        return key in self.table


def render(message: Message | str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: the current language); a plain string as it is."""
    if isinstance(message, str):
        return message
    lang = lang or _current[0]
    template = template_for(message.key, lang, message.english)
    values = {name: _value(value, lang) for name, value in message.params.items()}
    if lang not in TIGHT:
        return template.format_map(values)
    return _fill_tight(template, values)


# Languages written without spaces between words. Their templates put a space around each
# parameter, as their technical writing does around Latin words and numbers ("容器 {name}
# 的"); where the value turns out to be in the language itself ("应为 {expected}" with
# "整数"), the space between two wide characters is dropped. Only the seams between a
# template's text and a value are touched, never the value itself (a path, a YAML value).
TIGHT = frozenset({"zh"})
_FORMATTER = string.Formatter()


def _fill_tight(template: str, values: Mapping[str, Any]) -> str:
    pieces: list[str] = []
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            pieces.append(literal)
        if name is not None:
            value = _FORMATTER.get_field(name, (), values)[0]
            value = _FORMATTER.convert_field(value, conversion)
            pieces.append(_FORMATTER.format_field(value, spec or ""))
    return tight_join(pieces)


def tight_join(pieces: list[str]) -> str:
    """``pieces`` joined, without a space that would stand between two wide characters."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out.endswith(" ") and len(out) > 1 and _wide(out[-2]) and _wide(piece[0]):
            out = out[:-1]
        elif piece.startswith(" ") and len(piece) > 1 and out and _wide(out[-1]) \
                and _wide(piece[1]):
            piece = piece[1:]
        out += piece
    return out


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" \
       "\ufe30-\ufe4f\uff00-\uffef"
_CJK_PUNCTUATION = "\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40" \
                   "\uff5b-\uff65"
_LOOSE = LazyPattern(f"(?<=[{_CJK}]) +(?=[{_CJK}])|(?<=[{_CJK_PUNCTUATION}]) +"
                    f"| +(?=[{_CJK_PUNCTUATION}])")


def tighten(text: str) -> str:
    """Chinese text as written in a YAML file without the spaces its line breaks became
    (a folded scalar joins lines with a space) or that a writer left around full-width
    punctuation: no space between two Chinese characters, none beside 。，：（）..."""
    return _LOOSE.sub("", text)


def _value(value: Param, lang: str) -> Any:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, Items):
        return join(value.values, lang, value.conjunction)
    if isinstance(value, RuleText):
        if lang == DEFAULT:
            return value.english
        from .prose import rule_field  # noqa: PLC0415  (rule files, read only when needed)

        return rule_field(value.rule_id, value.field, value.english, lang)
    return value


def join(values: tuple[Param, ...] | list[Param], lang: str | None = None,
         conjunction: str = "") -> str:
    """``values`` as a list in running text, in ``lang``."""
    lang = lang or _current[0]
    texts = [str(_value(v, lang)) for v in values]
    separator = template_for("words.separator", lang)
    if not conjunction or len(texts) < 2:
        return separator.join(texts)
    word = template_for(f"words.{conjunction}", lang)
    pieces = [separator.join(texts[:-1]), f" {word} ", texts[-1]]
    return tight_join(pieces) if lang in TIGHT else "".join(pieces)


def template_for(key: str, lang: str, english: str | None = None) -> str:
    """The template of ``key`` in ``lang``, or the English one (``english`` when given)."""
    if lang != DEFAULT:
        translated = catalogue(lang).get(key)
        if translated is not None:
            return translated
    return ENGLISH[key] if english is None else english


def param_text(value: Param, lang: str | None = None) -> str:
    """One parameter's value as text in ``lang``."""
    return str(_value(value, lang or _current[0]))


def fields(template: str) -> set[str]:
    """The parameter names ``template`` uses (``{name}``, ``{name:<10}``)."""
    return set(fields_in_order(template))


def fields_in_order(template: str) -> list[str]:
    """The parameter names ``template`` uses, each once, in order of first use."""
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            base = name.split(".")[0].split("[")[0]
            if base not in names:
                names.append(base)
    return names


def positional(template: str, names: list[str]) -> str | None:
    """``template`` in the positional form of SARIF message strings: ``{name}`` becomes
    ``{index}`` of ``names``, literal braces are doubled; None if it uses another name."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            base = name.split(".")[0].split("[")[0]
            if base not in names:
                return None
            out.append(f"{{{names.index(base)}}}")
    return "".join(out)


# A few words every language needs to list things.
WORDS = Templates("words", {"and": "and", "or": "or", "separator": ", "})


# --------------------------------------------------------------------------- catalogues


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of the code's catalogue for ``lang`` (``kprobelint/i18n/<lang>/*.yaml``),
    by full key; read once, on first use. Each file holds one namespace (its name), as a
    mapping that may nest: ``{summary: ..., context: {where: ...}}`` gives ``report.summary``
    and ``report.context.where``."""
    directory = CATALOGUE_DIR / lang
    texts: dict[str, str] = {}
    if lang == DEFAULT or not directory.is_dir():
        return texts
    for path in sorted(directory.glob("*.yaml")):
        _flatten(path.stem, read_yaml(path), texts, path)
    if lang in TIGHT:
        texts = {key: tighten(text) for key, text in texts.items()}
    return texts


def _flatten(prefix: str, data: Any, into: dict[str, str], path: Path) -> None:
    if isinstance(data, str):
        into[prefix] = data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            _flatten(f"{prefix}.{key}", value, into, path)
    elif data is not None:
        raise ValueError(f"{path}: {prefix} must be text or a mapping of texts")


def read_yaml(path: Path) -> Any:
    """A translation file as plain data (with kprobelint's own loader, as rule files)."""
    from ..load import load_plain  # noqa: PLC0415  (only when a translation is needed)

    try:
        return load_plain(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # a broken translation file is a bug to report with its name
        raise ValueError(f"{path}: {exc}") from None
