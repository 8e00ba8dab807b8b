"""What a run is asked to do (:class:`Options`) and what it found (:class:`Result`).

A module of its own so that the stages that run a lint (:mod:`kprobelint.runner`, the worker
processes of :mod:`kprobelint.parallel`, :mod:`kprobelint.lintfiles`) share these types
without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .config import Config
from .engine import Selection, Stats
from .findings import Finding
from .ruleset import Rule
from .typechecking import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


@dataclass
class Options:
    """What to lint and how: what the command line and configuration ask."""

    paths: list[str]
    selection: Selection = field(default_factory=Selection)
    excludes: tuple[str, ...] = ()
    chart_dir: str | None = None
    complete: bool = False  # the input is the whole application: absent references are errors
    config: Config = field(default_factory=Config)
    jobs: int = 0  # worker processes; 0 = one per core when the input is big enough
    stdin_filename: str | None = None  # the name reports give to input read from stdin
    gitignore: bool = True  # skip what .gitignore files ignore when walking directories
    crds: tuple[str, ...] = ()  # CRD files or directories (--crd), besides those in the input
    # Filled by make_engine(): the CRDs of --crd and of the configuration.
    crd_schemas: Any = None
    fix: bool = False  # fixes may be written: remember each file's content hash


@dataclass
class Result:
    """What a lint answers: its findings, statistics and rules."""

    findings: list[Finding]
    stats: Stats
    rules: list[Rule]
    seconds: float = 0.0
    suppressed: list = field(default_factory=list)  # (finding, directive) pairs
    inline_texts: dict[str, str] = field(default_factory=dict)  # inputs not on disk (stdin)
