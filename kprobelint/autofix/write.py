"""Replacing a fixed file atomically, and never one that changed since it was read.

The new content goes to a temporary file in the same directory (same file system, so the
final rename is atomic), is flushed to disk, gets the original's permission bits (and owner,
where allowed), and replaces the original with ``os.replace``. Just before that, the file is
read again (without following a symbolic link) and its SHA-256 compared with the content the
fixes were computed from: an editor or formatter that saved it meanwhile wins, and the fix is
reported as not applied. Content is compared rather than mtime and size, which a save within
the same clock tick, or of the same length, leaves unchanged.

A symbolic link is never followed to write elsewhere: :func:`.apply.read_state` refuses it
before any fix is planned, and the comparison here opens the path with ``O_NOFOLLOW``.
"""
from __future__ import annotations

import os
import stat
import tempfile

from ..i18n import Message
from . import messages as m
from .apply import READ_LIMIT, digest, no_follow, regular_file


def replace_file(path: str, data: bytes, expected_digest: str) -> Message | None:
    """Write ``data`` over ``path`` atomically; None when done, else why not."""
    directory = os.path.dirname(path) or "."
    info = regular_file(path)
    if isinstance(info, Message):
        return info
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.",
                                             suffix=".kprobelint-fix", dir=directory)
    except OSError as exc:
        return m.text(m.UNWRITABLE, path=path, error=exc.strerror or exc)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
            _keep_mode_and_owner(output.fileno(), temporary, info)
        if _current_digest(path) != expected_digest:
            os.unlink(temporary)
            return m.text(m.CHANGED, path=path)
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        return m.text(m.UNWRITABLE, path=path, error=exc.strerror or exc)
    _sync_directory(directory)
    return None


def _keep_mode_and_owner(handle: int, temporary: str, info: os.stat_result) -> None:
    """The original's permission bits (mkstemp makes 0600), and its owner where allowed."""
    mode = stat.S_IMODE(info.st_mode)
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:  # Windows before Python 3.13
        os.chmod(temporary, mode)
    if not hasattr(os, "fchown") or (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(handle, info.st_uid, info.st_gid)
    except OSError:
        pass  # only root may give a file away: the fixed file is then the fixer's


def _current_digest(path: str) -> str | None:
    try:
        with open(path, "rb", opener=no_follow) as handle:
            return digest(handle.read(READ_LIMIT + 1))
    except OSError:
        return None


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
