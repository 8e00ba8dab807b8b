"""The command line's help and click's own words in another language.

Our help texts are written in the click decorators (English); their translations are in the
catalogue under ``cli-help``: ``commands.<command>`` for a command, ``options.<command>.
<parameter>`` for an option, ``epilog`` for the examples every command shows and
``epilogs.<command>`` for a command's own (paragraphs separated by a blank line, printed as
written). click itself marks its
texts ("Usage:", "Show this message and exit.", "No such option: --x", ...) for gettext and
ships no translations; the catalogue's ``click`` section gives them, keyed by click's own
English text, and :func:`localize_click` installs it in the click modules that look texts up.
A text the catalogue lacks stays as click writes it.
"""
from __future__ import annotations

import importlib
from typing import Any

import click

from . import catalogue

# The click modules that translate their texts with gettext's _() and ngettext().
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                 "click.parser", "click.types", "click.termui", "click.utils")


# What localize_click replaced, to put back when a process (a test, an embedding program)
# speaks English again: (object, attribute) -> the original value.
_ORIGINAL: dict[tuple[Any, str], Any] = {}


def _replace(owner: Any, attribute: str, value: Any) -> None:
    _ORIGINAL.setdefault((owner, attribute), getattr(owner, attribute))
    setattr(owner, attribute, value)


def restore_click() -> None:
    """Undo :func:`localize_click`: click's own words and our help texts in English again."""
    for (owner, attribute), value in _ORIGINAL.items():
        setattr(owner, attribute, value)
    _ORIGINAL.clear()


def localize_click(group: click.Group, lang: str) -> None:
    """Translate the help of ``group`` and its commands, and click's texts, into ``lang``."""
    restore_click()
    texts = catalogue(lang)
    _install_click_texts(texts)
    for path, item in help_items(group):
        translated = texts.get(f"cli-help.{path}")
        if translated is None:
            continue
        if path.startswith(("epilog", "epilogs.")):
            _replace(item, "epilog", _epilog(translated))
        else:
            _replace(item, "help", translated)


def _epilog(text: str) -> str:
    """Paragraphs as written, each kept from rewrapping as the English ones are (``\\b``)."""
    return "\n\n".join(f"\b\n{paragraph.strip()}"
                       for paragraph in text.split("\n\n") if paragraph.strip()) + "\n"


def help_items(group: click.Group) -> list[tuple[str, Any]]:
    """Every help text of the command line, with its catalogue key: ``commands.check``,
    ``options.check.fmt``, ``epilog`` (the examples every command shows) and
    ``epilogs.fix`` (a command's own)."""
    items: list[tuple[str, Any]] = []
    for name, command in [("kprobelint", group), *sorted(group.commands.items())]:
        if command.epilog:
            shared = command is group or command.epilog == group.epilog
            items.append(("epilog" if shared else f"epilogs.{name}", command))
        items.append((f"commands.{name}", command))
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                items.append((f"options.{name}.{param.name}", param))
    return items


def _install_click_texts(texts: dict[str, str]) -> None:
    def gettext(message: str) -> str:
        return texts.get(f"click.{message}", message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        key = singular if count == 1 else plural
        return texts.get(f"click.{key}") or texts.get(f"click.{plural}") or key

    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a click release without it
            continue
        if hasattr(module, "_"):
            _replace(module, "_", gettext)
        if hasattr(module, "ngettext"):
            _replace(module, "ngettext", ngettext)
