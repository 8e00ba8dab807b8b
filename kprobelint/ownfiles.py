"""Reading kprobelint's own files (configuration, baselines): bounded, UTF-8, plain errors.

They are a few kilobytes (a baseline of many findings, megabytes); the bound keeps a hostile
or mistaken one (a symbolic link to a huge file) from being read whole.
"""
from __future__ import annotations

from .errors import UsageError
from .i18n import Message, Templates

TEXTS = Templates("ownfiles", {
    "cannot-read": "{path}: cannot read {what}: {reason}",
    "too-large": "{path}: {what} larger than {limit} MiB",
    "not-utf8": "{path}: cannot read {what}: not valid UTF-8 (byte {byte} at offset {offset})",
})


def read_text(path: object, limit: int, what: Message) -> str:
    """The UTF-8 text of ``path``, or a :class:`UsageError` that names ``what`` it was
    ("configuration", "baseline")."""
    try:
        with open(path, "rb") as handle:  # type: ignore[call-overload]
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(TEXTS("cannot-read", path=str(path), what=what,
                               reason=exc.strerror or str(exc))) from exc
    if len(data) > limit:
        raise UsageError(TEXTS("too-large", path=str(path), what=what, limit=limit // 2**20))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(TEXTS("not-utf8", path=str(path), what=what,
                               byte=f"{data[exc.start]:#04x}", offset=exc.start)) from exc
