"""What a language lacks: every text a person can read, checked against its translation.

- every registered template (:data:`kprobelint.i18n.ENGLISH`, from every module of the
  package) has a translation using exactly the parameters of the English one, and the
  catalogue has nothing the code no longer says;
- every shipped rule has a translation file with a title, summary, why, fix and one
  description per described example, translating the current English (its ``source``);
- every status of the catalogue has a meaning, what to check, what to check instead and the
  source note where the English has them, translating the current English;
- every help text of the command line is translated, and every click text the catalogue
  translates is one click still has.

The test suite fails on any of it; ``python -m kprobelint.i18n check`` prints the same list.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from . import ENGLISH, catalogue, fields

# Catalogue sections that translate texts which are not templates of the code.
NOT_TEMPLATES = ("cli-help.", "click.")


def all_templates() -> dict[str, str]:
    """Every English template of the package (importing every module registers them)."""
    import kprobelint  # noqa: PLC0415

    for module in pkgutil.walk_packages(kprobelint.__path__, "kprobelint."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return dict(ENGLISH)


def template_problems(lang: str) -> list[str]:
    english = all_templates()
    translated = catalogue(lang)
    found = []
    for key, text in sorted(english.items()):
        if key not in translated:
            found.append(f"{lang}: text {key} has no translation")
        elif fields(translated[key]) != fields(text):
            found.append(f"{lang}: text {key} uses {sorted(fields(translated[key]))}, the "
                         f"English {sorted(fields(text))}")
    for key in sorted(set(translated) - set(english)):
        if not key.startswith(NOT_TEMPLATES):
            found.append(f"{lang}: text {key} translates nothing the code says (removed?)")
    return found


def rule_problems(lang: str) -> list[str]:
    from ..ruleset import builtin_rules, rules_dir  # noqa: PLC0415
    from .prose import (  # noqa: PLC0415
        prose_params,
        rule_digest,
        rule_translations,
        translation_path,
    )

    translations = rule_translations(lang)
    found = []
    rules = builtin_rules()
    for rule in rules:
        where = translation_path(Path(rule.path), lang).as_posix()
        data = translations.get(rule.id)
        if data is None:
            found.append(f"{lang}: rule {rule.id} has no translation (rules/{where})")
            continue
        for name in ("title", "summary", "why", "fix"):
            if not isinstance(data.get(name), str) or not data[name].strip():
                found.append(f"{lang}: rules/{where} lacks {name}")
        if (rule.autofix is not None) != bool(data.get("autofix")):
            found.append(f"{lang}: rules/{where} "
                         + ("lacks autofix (what kprobelint fix does)" if rule.autofix
                            else "has autofix, which the rule has not"))
        if bool(rule.condition) != bool(data.get("condition")):
            found.append(f"{lang}: rules/{where} "
                         + ("lacks condition (what else must go wrong)" if rule.condition
                            else "has condition, which the rule has not"))
        given_params = data.get("params") or {}
        for name in sorted(prose_params(rule)):
            if not isinstance(given_params.get(name), str) or not given_params[name].strip():
                found.append(f"{lang}: rules/{where} lacks params.{name} (words of the messages)")
        examples = data.get("examples") or {}
        for kind, english in (("pass", rule.passing), ("fail", rule.failing)):
            given = examples.get(kind) or []
            if len(given) != len(english) and any(e.description for e in english):
                found.append(f"{lang}: rules/{where} has {len(given)} examples.{kind} "
                             f"descriptions, the English {len(english)} examples")
                continue
            for index, example in enumerate(english):
                text = given[index] if index < len(given) else None
                if bool(example.description) != bool(text):
                    found.append(f"{lang}: rules/{where} examples.{kind}[{index}] "
                                 f"{'lacks' if example.description else 'has'} a description"
                                 f"{'' if example.description else ' the English has not'}")
        if data.get("source") != rule_digest(rule):
            found.append(f"{lang}: rules/{where} translates an older English text of "
                         f"{rule.id}: review it, then `python -m kprobelint.i18n stamp "
                         f"rules/{where}`")
    known = {rule.id for rule in rules}
    for rule_id in sorted(set(translations) - known):
        found.append(f"{lang}: a translation of {rule_id}, which is no rule")
    if (rules_dir() / f"catalogue.{lang}.yaml").exists():
        found += status_problems(lang)
    else:
        found.append(f"{lang}: rules/catalogue.{lang}.yaml is missing")
    return found


def status_problems(lang: str) -> list[str]:
    from ..catalogue import load_catalogue  # noqa: PLC0415
    from .prose import STATUS_FIELDS, status_digest, status_translations  # noqa: PLC0415

    translations = status_translations(lang)
    found = []
    for status in load_catalogue().values():
        data = translations.get(status.name)
        if not isinstance(data, dict):
            found.append(f"{lang}: status {status.name} has no translation")
            continue
        for name in STATUS_FIELDS:
            english, text = getattr(status, name), data.get(name)
            if bool(english) != bool(isinstance(text, str) and text.strip()):
                found.append(f"{lang}: status {status.name} "
                             f"{'lacks' if english else 'has'} {name}"
                             f"{'' if english else ' the English has not'}")
        if data.get("source") != status_digest(status):
            found.append(f"{lang}: status {status.name} translates an older English text: "
                         f"review it, then `python -m kprobelint.i18n stamp "
                         f"rules/catalogue.{lang}.yaml`")
    for name in sorted(set(translations) - set(load_catalogue())):
        found.append(f"{lang}: a translation of status {name}, which is not in the catalogue")
    return found


def cli_problems(lang: str) -> list[str]:
    from ..cli import cli  # noqa: PLC0415
    from .clicktext import help_items  # noqa: PLC0415

    translated = catalogue(lang)
    found = [f"{lang}: help text {path} has no translation"
             for path, _ in dict(help_items(cli)).items() if f"cli-help.{path}" not in translated]
    click_source = _click_texts()
    for key in sorted(k for k in translated if k.startswith("click.")):
        msgid = key[len("click."):]
        if msgid not in click_source:
            found.append(f"{lang}: click no longer has the text {msgid!r}")
        elif fields(translated[key]) != fields(msgid):
            found.append(f"{lang}: click text {msgid!r} uses other parameters in translation")
    return found


def _click_texts() -> set[str]:
    """The texts click passes to gettext (``_("...")``, ``ngettext("...", "...")``)."""
    import click  # noqa: PLC0415

    texts: set[str] = set()
    literal = r'(?:"(?:[^"\\]|\\.)*"\s*)+'  # one or more adjacent string literals
    call = re.compile(rf"\b(?:_|ngettext)\(\s*({literal})(?:,\s*({literal}))?")
    for path in Path(click.__file__).parent.glob("*.py"):
        for match in call.finditer(path.read_text(encoding="utf-8")):
            for group in match.groups():
                if group:
                    texts.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', group))
                              .encode().decode("unicode_escape"))
    return texts


def problems(lang: str) -> list[str]:
    """Everything ``lang`` lacks or translates wrongly; empty when it is complete."""
    return template_problems(lang) + rule_problems(lang) + cli_problems(lang)
