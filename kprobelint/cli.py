"""Command line: ``kprobelint [check] PATHS``, ``kprobelint rules``, ``kprobelint explain``.

Exit codes (stable): 0 no finding at or above ``--fail-on``; 1 findings; 2 usage or
configuration error, a report that cannot be written (stdout full or closed), or an internal
error (a bug), each reported in one line naming the cause, never with a traceback.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMAT_NAMES = ("text", "json", "sarif", "github")

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
    kind = "directory" if os.path.isdir(name) else "file"
    raise UsageError(
        f"`{name}` is both a kprobelint command and a {kind} here, so `kprobelint "
        f"{' '.join([name, *rest])}` is ambiguous. To lint the {kind}: `kprobelint ./{name}` "
        f"(or `kprobelint check {name}`); for the command, give one of its options, e.g. "
        f"`kprobelint {name} --help`.")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


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
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes that change behaviour you may rely on (with --fix).")
def check(paths: tuple[str, ...], fmt: str | None, output: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], kube_version: str | None,
          fail_on: str | None, exit_zero: bool, exclude: tuple[str, ...],
          respect_gitignore: bool, chart_dir: str | None, stdin_filename: str | None,
          sarif_root: str | None, complete: bool, config_file: str | None,
          baseline: str | None, write_baseline: str | None, annotations: bool, jobs: int,
          crds: tuple[str, ...], quiet: bool, statistics: bool, show_source: bool,
          timing: bool, color: bool | None, fix: bool, unsafe_fixes: bool) -> None:
    """Lint PATHS (files, directories, or - for stdin)."""
    from .findings import SEVERITY_RANK  # noqa: PLC0415
    from .report import Report, render  # noqa: PLC0415
    from .runner import lint  # noqa: PLC0415

    options = _lint_options(paths, select, ignore, kube_version, exclude, respect_gitignore,
                            chart_dir, stdin_filename, complete, config_file, jobs, crds)
    config = options.config
    fmt = fmt or _default_format(output)
    if statistics and fmt not in ("text", "json"):
        raise UsageError("--statistics works with --format text (counts per rule); JSON "
                         "always has them in summary.rules")
    if unsafe_fixes and not fix:
        raise UsageError("--unsafe-fixes applies fixes, so it needs --fix (or run `kprobelint "
                         "fix --unsafe-fixes`)")
    if fix:
        if "-" in paths:
            raise UsageError("check --fix cannot rewrite stdin: `kprobelint fix -` prints the "
                             "fixed text instead")
        _fix_in_place(options, baseline, unsafe_fixes, quiet, messages_to_stderr=True)
    result = lint(options)
    if write_baseline:
        from .baseline import write_baseline as write  # noqa: PLC0415

        count = write(write_baseline, result.findings)
        click.echo(f"kprobelint: wrote {count} finding(s) to baseline {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    result.findings = _without_baseline(result.findings, baseline)

    report = Report(
        findings=result.findings, stats=result.stats, rules=result.rules,
        suppressed=result.suppressed, version=__version__,
        seconds=result.seconds if timing else None,
        root=Path(sarif_root) if sarif_root else _repository_root(),
        base=os.environ.get("GITHUB_WORKSPACE") or None,
        colour=fmt == "text" and _use_colour(color, output),
        show_source=show_source, statistics=statistics, quiet=quiet,
        batch=bool(os.environ.get("PRE_COMMIT")), inline_texts=result.inline_texts,
    )
    if not quiet:
        from .report import printable, shown_path  # noqa: PLC0415

        for path, reason in result.stats.skipped:  # before the report, so the summary ends it
            click.echo(f"kprobelint: skipped {printable(shown_path(path))}: {reason}", err=True)
        if result.stats.files == 0:
            click.echo(f"kprobelint: warning: no YAML or JSON files found in "
                       f"{', '.join(paths)}", err=True)
    _write(render(fmt, report), output, utf8=fmt in ("json", "sarif"))
    if fmt == "github" and not quiet:
        from .report.text import summary_line  # noqa: PLC0415

        click.echo(summary_line(result.findings, result.stats, report.batch), err=True)
    if annotations and fmt != "github":
        _write(render("github", report), None, utf8=False)
    threshold = SEVERITY_RANK[fail_on or config.fail_on or "warning"]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def _lint_options(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
                  kube_version: str | None, exclude: tuple[str, ...], respect_gitignore: bool,
                  chart_dir: str | None, stdin_filename: str | None, complete: bool,
                  config_file: str | None, jobs: int, crds: tuple[str, ...] = ()):
    """What to lint and how, from the options ``check`` and ``fix`` share."""
    from .engine import Selection  # noqa: PLC0415
    from .runner import Options  # noqa: PLC0415
    from .versions import DEFAULT, normalise  # noqa: PLC0415

    if not paths:
        raise UsageError("no paths given: try `kprobelint manifests/` or `helm template . | "
                         "kprobelint -`")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    config = _configuration(config_file, list(paths), stdin_filename)
    selection = Selection(
        _split(select) or config.select, config.ignore + _split(ignore),
        normalise(kube_version or config.kube_version or DEFAULT),
    )
    return Options(list(paths), selection, _split(exclude), chart_dir, complete, config,
                   jobs, stdin_filename=stdin_filename, gitignore=respect_gitignore, crds=crds)


def _without_baseline(findings: list, baseline: str | None) -> list:
    if not baseline:
        return findings
    from .baseline import new_findings, read_baseline  # noqa: PLC0415

    return new_findings(findings, read_baseline(baseline), baseline)


def _fix_in_place(options, baseline: str | None, unsafe: bool, quiet: bool,
                  messages_to_stderr: bool, diff: bool = False, stdin: bytes | None = None):
    """Lint, fix in rounds, write (or, with ``diff``, only compute) the fixed files, and say
    what became of each fixable finding."""
    from .autofix.run import fix_paths, outcome_line, summary_lines  # noqa: PLC0415
    from .report import printable  # noqa: PLC0415

    run = fix_paths(options, unsafe=unsafe, write=not diff, stdin=stdin,
                    keep=lambda findings: _without_baseline(findings, baseline))
    lines = [outcome_line(o, would=diff) for o in run.fixed + run.not_fixed]
    if not quiet:
        lines += summary_lines(run, would=diff)
    for line in lines:
        click.echo(printable(line), err=messages_to_stderr)
    return run


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
               "quiet", "unsafe_fixes", "crds")


@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff and change no file (exit 1 when there "
                   "is something to fix).")
def fix_command(paths: tuple[str, ...], diff: bool, unsafe_fixes: bool, quiet: bool,
                baseline: str | None, **lint_options) -> None:
    """Fix what can be fixed in PATHS, in place (- reads stdin and prints the fixed text).

    Each fix says which Pod status it averts. Only safe fixes by default; --unsafe-fixes
    adds those that change behaviour you may rely on (`kprobelint explain ID` says which).
    """
    from .autofix.run import unified_diff  # noqa: PLC0415

    options = _lint_options(paths, **lint_options)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    run = _fix_in_place(options, baseline, unsafe_fixes, quiet, diff=diff,
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


def _default_format(output: str | None) -> str:
    """text, or GitHub annotations when running in GitHub Actions (as yamllint does)."""
    if output is None and os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


def _use_colour(flag: bool | None, output: str | None) -> bool:
    """--color/--no-color, else NO_COLOR (no-color.org: set and not empty), else FORCE_COLOR
    (force-color.org: set and not empty), else TERM=dumb, else whether stdout is a terminal."""
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout is not None and sys.stdout.isatty()


def _configuration(config_file: str | None, paths: list[str], stdin_filename: str | None = None):
    from .config import Config, find_config, load_config  # noqa: PLC0415
    from .ruleset import builtin_rules  # noqa: PLC0415

    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise UsageError(f"configuration file not found: {config_file}")
    else:
        # stdin has no place of its own: its --stdin-filename says where to look from.
        starts = [stdin_filename if p == "-" and stdin_filename else p for p in paths]
        path = find_config(starts)
    return load_config(path, builtin_rules()) if path else Config()


def _write(report: str, output: str | None, utf8: bool) -> None:
    """Write the report to ``output`` (UTF-8) or to stdout.

    JSON and SARIF are UTF-8 by definition (RFC 8259; SARIF 2.1.0 section 3.1): with
    ``utf8`` they are written as UTF-8 bytes whatever the locale or PYTHONIOENCODING says.
    Text is encoded for the terminal, a character it cannot show written as an escape.
    """
    if output:
        try:
            Path(output).write_bytes(report.encode("utf-8", "backslashreplace"))
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
        return
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`kprobelint ... >&-`)
        raise UsageError("cannot write the report: standard output is closed")
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is None:  # a text-only stream (an embedding program's)
            stream.write(report)
            stream.flush()
            return
        encoding = "utf-8" if utf8 else (getattr(stream, "encoding", None) or "utf-8")
        stream.flush()
        buffer.write(report.encode(encoding, "backslashreplace"))
        buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # stdout is a full disk (/dev/full), a closed descriptor...
        _discard_stdout()  # or the interpreter's last flush fails once more at exit
        raise UsageError(f"cannot write the report to standard output: "
                         f"{exc.strerror or exc}") from exc


def _discard_stdout() -> None:
    """Point file descriptor 1 at the null device: what is still buffered goes nowhere."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass


def _repository_root() -> Path:
    here = Path.cwd()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


@cli.command("config")
@click.option("--show", is_flag=True, help="Print the effective configuration.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1)
def config_command(show: bool, config_file: str | None, paths: tuple[str, ...]) -> None:
    """Validate the configuration found for PATHS (default: here); --show prints it."""
    import json  # noqa: PLC0415

    from .versions import DEFAULT  # noqa: PLC0415

    config = _configuration(config_file, list(paths) or ["."])
    effective = config.as_dict()
    effective["kube-version"] = effective["kube-version"] or DEFAULT
    effective["fail-on"] = effective["fail-on"] or "warning"
    if show:
        _write(json.dumps(effective, indent=2) + "\n", None, utf8=True)
    else:
        click.echo(f"kprobelint: configuration OK ({config.path or 'defaults, no file found'})")


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "markdown")),
              default="table", show_default=True)
@click.option("--kube-version", default=None,
              help="Mark the rules that do not apply to this Kubernetes version.")
def rules_command(fmt: str, kube_version: str | None) -> None:
    """List every rule."""
    from .docs import rules_json, rules_markdown, rules_table  # noqa: PLC0415
    from .versions import normalise  # noqa: PLC0415

    version = normalise(kube_version) if kube_version else None
    render = {"table": rules_table, "json": rules_json, "markdown": rules_markdown}[fmt]
    _write(render(version), None, utf8=fmt == "json")


@cli.command()
@click.argument("what")
def explain(what: str) -> None:
    """Explain a rule (id or name) or a Pod status (e.g. CrashLoopBackOff)."""
    from .docs import explain_text  # noqa: PLC0415

    _write(explain_text(what), None, utf8=False)


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
def timeline(paths: tuple[str, ...], container: str | None, start_time: str | None, fmt: str,
             kube_version: str | None, config_file: str | None, output: str | None) -> None:
    """When each container is probed, Ready, restarted and stopped, and how fast a rollout
    can go; exit 1 when a start or rollout certainly fails."""
    from .timeline.build import Options  # noqa: PLC0415
    from .timeline.command import run  # noqa: PLC0415
    from .timeline.durations import DurationError, parse_duration  # noqa: PLC0415
    from .versions import DEFAULT, normalise  # noqa: PLC0415

    if not paths:
        raise UsageError("no paths given: try `kprobelint timeline manifests/`")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    try:
        seconds = None if start_time is None else parse_duration(start_time)
    except DurationError as exc:
        raise UsageError(f"--start-time: {exc}") from exc
    config = _configuration(config_file, list(paths))
    options = Options(normalise(kube_version or config.kube_version or DEFAULT), seconds,
                      container, config.start_times)
    report = run(list(paths), options, config, fmt)
    for problem in report.problems:
        click.echo(f"kprobelint: {problem}", err=True)
    _write(report.text, output, utf8=fmt == "json")
    sys.exit(EXIT_FINDINGS if report.certain_failure else EXIT_OK)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except UsageError as exc:
        click.echo(f"kprobelint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("kprobelint: aborted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`kprobelint ... | head`): not an error worth a message.
        _discard_stdout()
        sys.exit(EXIT_FINDINGS)
    except KeyboardInterrupt:
        sys.exit(130)
    except MemoryError:  # one input's lack of memory is a finding; this is the run's
        click.echo("kprobelint: error: not enough memory to finish the run", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # never show a traceback to a user
        click.echo(f"kprobelint: internal error: {type(exc).__name__}: {exc} "
                   "(please report it with the input that caused it)", err=True)
        sys.exit(EXIT_USAGE)
