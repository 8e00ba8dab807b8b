"""The ``timeline`` command behind :mod:`kprobelint.cli`: read the inputs, build, render.

Exit codes: 0 when no timeline predicts a certain failure; 1 when one does (a verdict
``always`` with a status: a container killed at every start, a rollout that always exceeds its
progress deadline); 2 on a usage or configuration error, as for ``kprobelint check``.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..config import Config
from ..discover import discover
from ..i18n import Message, Templates
from ..lintfiles import read_target
from ..load import LoadedFile
from ..options import Options as LintOptions
from ..versions import parse_version
from .build import Options, timelines_of

if TYPE_CHECKING:
    from .json import JsonReport
    from .text import TextReport


TEXTS = Templates("timeline-command", {
    "skipped": "skipped {path}: {reason}",
    "problem": "{where}: {problem}",
})


@dataclass
class Report:
    text: str
    certain_failure: bool
    problems: list[Message]  # input that could not be read, for stderr


# Files between collections of the young generations while the cyclic collector is off, as
# in the linter (runner.GC_EVERY): documents have no cycles and are freed file by file.
GC_EVERY = 50


def run(paths: list[str], options: Options, config: Config, fmt: str) -> Report:
    parse_version(options.kube_version)  # a usage error before any work
    if fmt == "json":
        from .json import JsonReport  # noqa: PLC0415

        report: JsonReport | TextReport = JsonReport(options.kube_version)
    else:
        from .text import TextReport  # noqa: PLC0415

        report = TextReport()
    problems: list[Message] = []
    certain = False
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, loaded in enumerate(_loaded(paths, config, problems), 1):
            for timeline in timelines_of(loaded, options):
                certain = certain or any(v.certainty == "always" and v.statuses
                                         for v in timeline.verdicts.items)
                report.add(timeline)  # rendered now: the file's documents can go
            if count % GC_EVERY == 0:
                gc.collect(1)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Report(report.finish(), certain, problems)


def _loaded(paths: list[str], config: Config, problems: list[Message]
            ) -> Iterator[LoadedFile]:
    """Each file a piece at a time (a few documents, or one big one), as `check` reads it."""
    reading = LintOptions(paths, config=config)  # read as `kprobelint check` reads
    for target in discover(paths, config.exclude):
        for loaded in read_target(target, reading):  # stdin: read by read_target
            if loaded.skipped:
                problems.append(TEXTS("skipped", path=loaded.path, reason=loaded.skipped))
            for problem in loaded.problems:
                problems.append(TEXTS("problem", problem=problem.text,
                                      where=f"{loaded.path}:{problem.span.line}:"
                                            f"{problem.span.column}"))
            yield loaded
