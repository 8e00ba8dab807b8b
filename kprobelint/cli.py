"""Command line: ``kprobelint [check] PATHS``, ``kprobelint rules``, ``kprobelint explain``.

Exit codes (stable): 0 no finding at or above ``--fail-on``; 1 findings; 2 usage or
configuration error, a report that cannot be written (stdout full or closed), or an internal
error (a bug), each reported in one line naming the cause, never with a traceback.
"""
from __future__ import annotations

import os
import sys

import click

from . import __version__, i18n
from .commands import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    check_paths,
    configuration,
    fix_in_place,
    lint_options,
    note,
    reported_errors,
    run_check,
    speak,
    speak_configured,
    write_report,
)
from .commands import TEXTS as COMMAND_TEXTS
from .errors import UsageError
from .i18n import LANGUAGES, Templates

FORMAT_NAMES = ("text", "json", "sarif", "github")

TEXTS = Templates("cli", {
    "ambiguous": (
        "`{name}` is both a kprobelint command and a {kind} here, so `kprobelint {line}` is "
        "ambiguous. To lint the {kind}: `kprobelint ./{name}` (or `kprobelint check {name}`); "
        "for the command, give one of its options, e.g. `kprobelint {name} --help`."),
    "directory": "directory",
    "file": "file",
    "no-paths-timeline": "no paths given: try `kprobelint timeline manifests/`",
    "config-ok": "kprobelint: configuration OK ({path})",
    "config-defaults": "defaults, no file found",
    "start-time": "--start-time: {error}",
})
LANG_HELP = ("Language of messages and summaries: en or zh (default: lang: in the "
             "configuration, else the locale: LC_ALL, LC_MESSAGES, LANG).")

EPILOG = """\b
Examples:
  kprobelint manifests/                          lint files and directories
  helm template ./chart | kprobelint --chart-dir ./chart -
                                                 lint rendered Helm output (stdin)
  kprobelint --format sarif -o k.sarif k8s/      SARIF for GitHub code scanning
  kprobelint explain KPL103                      what a rule checks, why, how to fix
  kprobelint explain CrashLoopBackOff            what a Pod status means
  kprobelint timeline --start-time 45s k8s/      when probes run, kill, make Ready
  kprobelint fix k8s/                            fix what has one right correction
                                                 (`kprobelint fix --help`)

\b
`kprobelint PATHS` is short for `kprobelint check PATHS`. A path that is also a command's
name (a directory called `config`, `rules`, `explain`, `timeline` or `fix`) must be written
`./config` or `kprobelint check config`.

\b
Exit codes:
  0  no finding at or above --fail-on (default: warning)
  1  findings at or above --fail-on (with --fix: what is left)
  2  usage or configuration error, or an internal error
"""


class _DefaultToCheck(click.Group):
    """``kprobelint PATHS`` means ``kprobelint check PATHS``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                         "--version")):
            args = ["check", *args]
        elif args[0] != "check" and args[0] in self.commands and os.path.lexists(args[0]):
            _refuse_ambiguous(args[0], args[1:])
        return super().parse_args(ctx, args)


def _refuse_ambiguous(name: str, rest: list[str]) -> None:
    """A command name that is also a path here: run the command only when the rest of the
    line says so, never lint nothing (or the wrong thing) in silence.

    ``kprobelint config`` in a repository with a ``config/`` directory is the classic case:
    a CI step meant to lint the directory would print "configuration OK" and pass forever.
    """
    if any(arg.startswith("-") and arg != "-" for arg in rest):
        return  # an option of the command: `kprobelint rules --format json`
    if name == "explain" and rest and not os.path.lexists(rest[0]):
        return  # `kprobelint explain KPL103`
    kind = TEXTS("directory" if os.path.isdir(name) else "file")
    raise UsageError(TEXTS("ambiguous", name=name, kind=kind, line=" ".join([name, *rest])))


@click.group(cls=_DefaultToCheck, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kprobelint")
def cli() -> None:
    """Lint Kubernetes manifests and predict the Pod status each mistake leads to."""


@cli.command(epilog=EPILOG)
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--select", multiple=True,
              help="Rule ids, id prefixes, names or globs (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule ids, id prefixes, names or globs to skip.")
@click.option("--kube-version", default=None, help="Target Kubernetes version (MAJOR.MINOR).")
@click.option("--fail-on", type=click.Choice(("error", "warning", "note")), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when there are findings (usage errors still exit 2).")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="Skip files that .gitignore files ignore when walking directories.")
@click.option("--chart-dir", type=click.Path(file_okay=False),
              help="Chart directory of Helm-rendered input, to point findings at template lines.")
@click.option("--stdin-filename", default=None,
              help="Name to report for input read from stdin (-).")
@click.option("--sarif-root", type=click.Path(file_okay=False),
              help="Directory SARIF paths are relative to (default: git top level, else cwd).")
@click.option("--complete", is_flag=True,
              help="The input is the whole application: references to objects it lacks are errors.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Configuration file (default: .kprobelint.yaml or pyproject.toml found upward).")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the current findings as the baseline and exit 0.")
@click.option("--annotations", is_flag=True,
              help="Also print GitHub workflow annotations to stdout (with --output).")
@click.option("--jobs", "-j", type=click.IntRange(0, 64), default=0, show_default=True,
              help="Worker processes (0: one per core when the input is big; 1: serial).")
@click.option("--crd", "crds", multiple=True, type=click.Path(),
              help="CustomResourceDefinition file or directory to validate custom resources "
                   "against (repeatable; CRDs in the input are used too).")
@click.option("--quiet", "-q", is_flag=True,
              help="Print findings only: no summary, no notes about skipped files.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule instead of the findings.")
@click.option("--show-source/--no-show-source", default=True, show_default=True,
              help="Show the offending source line under each finding (text format).")
@click.option("--timing", is_flag=True,
              help="Add the run time to the JSON summary and the text summary line.")
@click.option("--color/--no-color", default=None,
              help="Colour text output (default: on a terminal; NO_COLOR and FORCE_COLOR "
                   "are honoured).")
@click.option("--fix", is_flag=True,
              help="Fix what can be fixed safely in place first, then report what is left.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP)
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes that change behaviour you may rely on (with --fix).")
def check(**options) -> None:
    """Lint PATHS (files, directories, or - for stdin)."""
    run_check(**options)


FIX_EPILOG = """\b
Examples:
  kprobelint fix k8s/                   fix what can be fixed safely, in place
  kprobelint fix --diff k8s/            show the fixes as a diff; write nothing
  kprobelint fix --unsafe-fixes k8s/    also the fixes that change behaviour
  kprobelint fix - < pod.yaml           print the fixed text of stdin

\b
Only the fixed keys and values change: comments, quoting, layout, line endings, encoding
and byte order mark stay as they were. Files are replaced atomically, never one that
changed since it was read, never through a symbolic link. Helm output is not rewritten:
the message names the template line to change.

\b
Exit codes:
  0  every fix that was allowed is applied (or there was none to apply)
  1  some allowed fix could not be applied (the reason is printed);
     with --diff: there is something to fix
  2  usage or configuration error, or an internal error
"""

# The options of `check` that `fix` takes too (what to lint, and which rules).
_FIX_SHARES = ("paths", "select", "ignore", "kube_version", "exclude", "respect_gitignore",
               "chart_dir", "stdin_filename", "complete", "config_file", "baseline", "jobs",
               "quiet", "unsafe_fixes", "crds", "lang")


@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff and change no file (exit 1 when there "
                   "is something to fix).")
def fix_command(paths: tuple[str, ...], diff: bool, unsafe_fixes: bool, quiet: bool,
                baseline: str | None, **shared) -> None:
    """Fix what can be fixed in PATHS, in place (- reads stdin and prints the fixed text).

    Each fix says which Pod status it averts. Only safe fixes by default; --unsafe-fixes
    adds those that change behaviour you may rely on (`kprobelint explain ID` says which).
    """
    from .autofix.run import unified_diff  # noqa: PLC0415

    options = lint_options(paths, **shared)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    run = fix_in_place(options, baseline, unsafe_fixes, quiet, diff=diff,
                       messages_to_stderr=diff or stdin is not None, stdin=stdin)
    if diff:
        for state in sorted(run.changed, key=lambda s: s.path):
            sys.stdout.write(unified_diff(state))
        sys.stdout.flush()
        sys.exit(EXIT_FINDINGS if run.changed else EXIT_OK)
    if stdin is not None:
        name = options.stdin_filename or "-"
        state = run.files.get(name)
        sys.stdout.buffer.write(state.encoded() if state is not None else stdin)
        sys.stdout.flush()
    sys.exit(EXIT_FINDINGS if run.not_fixed else EXIT_OK)


_fix = click.command("fix", epilog=FIX_EPILOG,
                     context_settings={"help_option_names": ["-h", "--help"]})(fix_command)
_fix.params = [p for p in check.params if p.name in _FIX_SHARES] + _fix.params
cli.add_command(_fix)


@cli.command("config")
@click.option("--show", is_flag=True, help="Print the effective configuration.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP)
@click.argument("paths", nargs=-1)
def config_command(show: bool, config_file: str | None, lang: str | None,
                   paths: tuple[str, ...]) -> None:
    """Validate the configuration found for PATHS (default: here); --show prints it."""
    import json  # noqa: PLC0415

    from .versions import DEFAULT  # noqa: PLC0415

    config = configuration(config_file, list(paths) or ["."])
    speak_configured(lang, config)
    effective = config.as_dict()
    effective["kube-version"] = effective["kube-version"] or DEFAULT
    effective["fail-on"] = effective["fail-on"] or "warning"
    effective["lang"] = i18n.current()
    if show:
        write_report(json.dumps(effective, indent=2) + "\n", None, utf8=True)
    else:
        click.echo(TEXTS.text("config-ok", path=config.path or TEXTS("config-defaults")))


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "markdown")),
              default="table", show_default=True)
@click.option("--kube-version", default=None,
              help="Mark the rules that do not apply to this Kubernetes version.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP)
def rules_command(fmt: str, kube_version: str | None, lang: str | None) -> None:
    """List every rule."""
    from .docs import rules_json, rules_markdown, rules_table  # noqa: PLC0415
    from .versions import normalise  # noqa: PLC0415

    _speak_found_configuration(lang)
    version = normalise(kube_version) if kube_version else None
    render = {"table": rules_table, "json": rules_json, "markdown": rules_markdown}[fmt]
    write_report(render(version, i18n.current()), None, utf8=fmt == "json")


@cli.command()
@click.argument("what")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP)
def explain(what: str, lang: str | None) -> None:
    """Explain a rule (id or name) or a Pod status (e.g. CrashLoopBackOff)."""
    from .docs import explain_text  # noqa: PLC0415

    _speak_found_configuration(lang)
    write_report(explain_text(what, i18n.current()), None, utf8=False)


def _speak_found_configuration(flag: str | None) -> None:
    """For commands without paths: ``lang:`` of the configuration found from here."""
    if flag is None:
        from .config import find_config, read_language  # noqa: PLC0415

        path = find_config(["."])
        configured = read_language(path) if path is not None else None
        if configured and configured != i18n.current():
            speak(configured)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--container", default=None, help="Show only the container of this name.")
@click.option("--start-time", default=None, metavar="DURATION",
              help="The application's start-up time (45s, 2m, 1m30s or seconds) for the "
                   "containers shown; overrides start-times in the config.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True)
@click.option("--kube-version", default=None, help="Target Kubernetes version (MAJOR.MINOR).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Configuration file (default: .kprobelint.yaml or pyproject.toml found upward).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=LANG_HELP)
def timeline(paths: tuple[str, ...], container: str | None, start_time: str | None, fmt: str,
             kube_version: str | None, config_file: str | None, output: str | None,
             lang: str | None) -> None:
    """When each container is probed, Ready, restarted and stopped, and how fast a rollout
    can go; exit 1 when a start or rollout certainly fails."""
    from .timeline.build import Options  # noqa: PLC0415
    from .timeline.command import run  # noqa: PLC0415
    from .timeline.durations import DurationError, parse_duration  # noqa: PLC0415
    from .versions import DEFAULT, normalise  # noqa: PLC0415

    if not paths:
        raise UsageError(TEXTS("no-paths-timeline"))
    check_paths(paths)
    try:
        seconds = None if start_time is None else parse_duration(start_time)
    except DurationError as exc:
        raise UsageError(TEXTS("start-time", error=exc.message)) from exc
    config = configuration(config_file, list(paths))
    speak_configured(lang, config)
    options = Options(normalise(kube_version or config.kube_version or DEFAULT), seconds,
                      container, config.start_times)
    report = run(list(paths), options, config, fmt)
    for problem in report.problems:
        note(problem)
    write_report(report.text, output, utf8=fmt == "json")
    sys.exit(EXIT_FINDINGS if report.certain_failure else EXIT_OK)


def requested_language(args: list[str]) -> str:
    """The language of this run as far as the command line and the locale tell before the
    command runs (its configuration may still change it): ``--lang X`` wins."""
    requested = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = arg[len("--lang="):] if arg.startswith("--lang=") else (
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
        if value is not None and value.strip().lower() in LANGUAGES:
            requested = value.strip().lower()
    return requested or i18n.language_from_environment()


def main(args: list[str] | None = None) -> None:
    """Run the command line ``args`` (default: ``sys.argv[1:]``) and exit."""
    speak(requested_language(sys.argv[1:] if args is None else args))
    with reported_errors():
        try:
            cli.main(args, standalone_mode=False)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_USAGE)
        except click.exceptions.Abort:
            click.echo(COMMAND_TEXTS.text("aborted"), err=True)
            sys.exit(130)
