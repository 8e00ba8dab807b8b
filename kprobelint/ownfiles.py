"""Reading kprobelint's own files (configuration, baselines): bounded, UTF-8, plain errors.

They are a few kilobytes (a baseline of many findings, megabytes); the bound keeps a hostile
or mistaken one (a symbolic link to a huge file) from being read whole.
"""
from __future__ import annotations

from .errors import UsageError


def read_text(path: object, limit: int, what: str) -> str:
    """The UTF-8 text of ``path``, or a :class:`UsageError` that names ``what`` it was."""
    try:
        with open(path, "rb") as handle:  # type: ignore[call-overload]
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise UsageError(f"{path}: {what} larger than {limit // 2**20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: cannot read {what}: not valid UTF-8 "
                         f"(byte {data[exc.start]:#04x} at offset {exc.start})") from exc
