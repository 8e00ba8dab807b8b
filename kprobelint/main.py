"""The ``kprobelint`` command: a plain ``kprobelint PATH...`` is linted without click.

pre-commit runs ``kprobelint FILE...`` on every commit, and importing click (with the
standard modules it pulls in: uuid, platform, gettext...) costs such a run about 20 ms of CPU,
a fifth of it.
A command line made of paths only, with no option and no command name, means ``kprobelint
check`` with every option at its default; it is run directly. Anything else (an option, a
command, ``--help``, shell completion, Windows' wildcard expansion) goes to the click
application in :mod:`kprobelint.cli`, which parses it and runs the same code.
"""
from __future__ import annotations

import os
import sys

from .commands import TEXTS, echo, reported_errors, run_check, speak
from .i18n import language_from_environment

# The names of the click application's commands (a test keeps them in step with the group).
COMMANDS = frozenset({"check", "config", "explain", "fix", "rules", "timeline"})

# What ``kprobelint check PATHS`` parses to when no option is given (a test compares them
# with the parameters click makes of such a command line).
CHECK_DEFAULTS = {
    "fmt": None, "output": None, "select": (), "ignore": (), "kube_version": None,
    "fail_on": None, "exit_zero": False, "exclude": (), "respect_gitignore": True,
    "chart_dir": None, "stdin_filename": None, "sarif_root": None, "complete": False,
    "config_file": None, "baseline": None, "write_baseline": None, "annotations": False,
    "jobs": 0, "crds": (), "quiet": False, "statistics": False, "show_source": True,
    "timing": False, "color": None, "fix": False, "unsafe_fixes": False, "lang": None,
}


def plain_paths(args: list[str]) -> tuple[str, ...] | None:
    """The paths of a command line that is nothing but paths (``check`` first or not), or
    None when click must read it."""
    if args and args[0] == "check":
        paths = args[1:]
    elif args and args[0] not in COMMANDS:
        paths = args
    else:
        return None  # no argument, or another command
    if not paths or any(arg.startswith("-") and arg != "-" for arg in paths):
        return None  # an option (or `--`): click's to parse
    return tuple(paths)


def _click_needed() -> bool:
    """Whether click must run even a command line of paths: on Windows it expands wildcards
    in the arguments, and a ``_..._COMPLETE`` variable asks it for shell completion."""
    return os.name == "nt" or any(name.startswith("_") and name.endswith("_COMPLETE")
                                  for name in os.environ)


def main() -> None:
    paths = None if _click_needed() else plain_paths(sys.argv[1:])
    if paths is None:
        from .cli import main as click_main  # noqa: PLC0415

        click_main()
        return
    speak(language_from_environment())  # lang: of the configuration may change it
    with reported_errors():
        try:
            run_check(paths, **CHECK_DEFAULTS)
        except (EOFError, KeyboardInterrupt):
            # What click makes of them: a blank line closes the terminal's ^C echo.
            echo("", err=True)
            echo(TEXTS.text("aborted"), err=True)
            sys.exit(130)
