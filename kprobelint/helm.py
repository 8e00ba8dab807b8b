"""Helm-rendered input: map a finding back to the line of the chart template it came from.

`helm template` writes `# Source: <chart>/templates/<file>` before each document. With
``--chart-dir`` pointing at the chart, the template file is read and the rendered line is
matched against it: the same text first, else the same key, nearest to the same offset from
the top of the document (templates and output keep roughly the same order).

The ``# Source:`` comment is part of the input, which may be hostile: only a regular file
inside the chart directory (after resolving ``..`` and symbolic links), of at most
:data:`MAX_TEMPLATE_BYTES`, is ever read. Anything else gets no template line.
"""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .findings import HelmSource
from .load import split_lines

# Helm's chart loader refuses any chart file over 5 MiB, and any file that is not regular
# (helm pkg/chart/loader, MaxDecompressedFileSize): no real template is bigger.
MAX_TEMPLATE_BYTES = 5 * 2**20


def template_path(chart_dir: str, source: str) -> Path | None:
    """The template file for a ``# Source:`` path (its first component is the chart's name),
    or None when that is not a regular file inside ``chart_dir``."""
    parts = source.replace("\\", "/").split("/")
    if len(parts) < 2:
        return None
    chart = os.path.realpath(chart_dir)
    candidate = os.path.realpath(os.path.join(chart, *parts[1:]))
    if os.path.commonpath((chart, candidate)) != chart or candidate == chart:
        return None
    try:
        if not stat.S_ISREG(os.stat(candidate).st_mode):
            return None
    except (OSError, ValueError):
        return None
    return Path(candidate)


@functools.lru_cache(maxsize=256)
def _template_lines(path: str) -> tuple[str, ...]:
    try:
        # O_NONBLOCK: the file was checked to be regular, but may have been swapped for a
        # FIFO since; opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ()
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_BYTES:
                return ()
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError:
            return ()
    if len(data) > MAX_TEMPLATE_BYTES:
        return ()
    return tuple(line.strip() for line in split_lines(data.decode("utf-8", errors="replace")))


def best_line(template: tuple[str, ...], rendered: str, offset: int) -> int | None:
    """1-based template line for a rendered line ``offset`` lines into its document."""
    wanted = rendered.strip()
    if not wanted:
        return None
    exact = [i for i, line in enumerate(template) if line == wanted]
    if not exact:
        key = _key_of(wanted)
        exact = [i for i, line in enumerate(template) if key and _key_of(line) == key]
    if not exact:
        return None
    return min(exact, key=lambda i: abs(i - offset)) + 1


def _key_of(line: str) -> str | None:
    text = line[2:] if line.startswith("- ") else line
    key, sep, _ = text.partition(":")
    return key.strip() if sep and key.strip() and "{{" not in key else None


class TemplateLines:
    """Maps findings of Helm-rendered input to their chart template (``--chart-dir``).

    Called while the rendered file is loaded, for every finding that has a ``# Source:``,
    including those of whole-input rules, which are located then and decided later.
    """

    def __init__(self, chart_dir: str) -> None:
        self.chart_dir = chart_dir
        # (file, first line, its lines): the piece of a rendered file seen last
        self._rendered: tuple[str, int, list[str]] | None = None

    def source(self, source: HelmSource, file: str, text: str, line: int,
               document_line: int, first_line: int = 1) -> HelmSource:
        """``source`` with the template's path and the template line of rendered ``line``;
        ``text`` starts at line ``first_line`` of the rendered file (a piece of it)."""
        path = template_path(self.chart_dir, source.file)
        if path is None:
            return source
        lines = self._lines(file, text, first_line)
        index = line - first_line
        template_line = None
        if 0 <= index < len(lines):
            template_line = best_line(_template_lines(os.fspath(path)), lines[index],
                                      line - document_line)
        return HelmSource(source.file, template_line, os.fspath(path))

    def _lines(self, file: str, text: str, first_line: int) -> list[str]:
        if self._rendered is None or self._rendered[:2] != (file, first_line):
            self._rendered = (file, first_line, split_lines(text))
        return self._rendered[2]
