"""Errors that end a run with exit code 2 (usage or configuration), never a traceback."""
from __future__ import annotations

from .i18n import Message, render


class UsageError(Exception):
    """A mistake in how kprobelint was called or configured: exit code 2.

    ``message`` is a :class:`~kprobelint.i18n.Message` (or plain text where there is nothing
    to translate), shown in the run's language; ``str()`` gives it in English.
    """

    def __init__(self, message: Message | str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)

    def text(self, lang: str | None = None) -> str:
        return render(self.message, lang)
