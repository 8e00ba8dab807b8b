"""The ``timeline`` command behind :mod:`kprobelint.cli`: read the inputs, build, render.

Exit codes: 0 when no timeline predicts a certain failure; 1 when one does (a verdict
``always`` with a status: a container killed at every start, a rollout that always exceeds its
progress deadline); 2 on a usage or configuration error, as for ``kprobelint check``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Iterator

from ..config import Config
from ..discover import discover
from ..engine import parse_version
from ..load import LoadedFile
from ..runner import read_target
from .build import Options, WorkloadTimeline, timelines_of


@dataclass
class Report:
    text: str
    certain_failure: bool
    problems: list[str]  # input that could not be read, for stderr


def run(paths: list[str], options: Options, config: Config, fmt: str) -> Report:
    parse_version(options.kube_version)  # a usage error before any work
    problems: list[str] = []
    found: list[WorkloadTimeline] = []
    for loaded in _loaded(paths, config, problems):
        found.extend(timelines_of(loaded, options))
    certain = any(v.certainty == "always" and v.statuses
                  for t in found for v in t.verdicts.items)
    if fmt == "json":
        from .json import render_timeline_json  # noqa: PLC0415

        text = render_timeline_json(found, options.kube_version)
    else:
        from .text import render_timeline_text  # noqa: PLC0415

        text = render_timeline_text(found)
    return Report(text, certain, problems)


def _loaded(paths: list[str], config: Config, problems: list[str]) -> Iterator[LoadedFile]:
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    for target in discover(paths, config.exclude):
        loaded = read_target(target, stdin)
        if loaded.skipped:
            problems.append(f"skipped {loaded.path}: {loaded.skipped}")
        for problem in loaded.problems:
            problems.append(f"{loaded.path}:{problem.span.line}:{problem.span.column}: "
                            f"{problem.message}")
        yield loaded
