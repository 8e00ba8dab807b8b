"""What ``kprobelint check`` does once its options are parsed, and the helpers every command
shares (configuration, writing the report, error handling), without click.

A plain ``kprobelint FILE...`` (what pre-commit runs on every commit) is run from here by
:mod:`kprobelint.main` without importing click (a fifth of such a run);
:mod:`kprobelint.cli` parses every other command line and calls the same code.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path

from . import __version__, i18n
from .errors import UsageError
from .i18n import Templates

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# What check and every command say (the click application's own texts are in kprobelint.cli).
TEXTS = Templates("cli", {
    "error": "kprobelint: error: {error}",
    "note": "kprobelint: {note}",
    "warning": "kprobelint: warning: {warning}",
    "internal-error": (
        "kprobelint: internal error: {error} (please report it with the input that caused it)"),
    "aborted": "kprobelint: aborted",
    "no-paths": "no paths given: try `kprobelint manifests/` or `helm template . | kprobelint -`",
    "no-such-path": "no such file or directory: {paths}",
    "unsafe-needs-fix": (
        "--unsafe-fixes applies fixes, so it needs --fix (or run `kprobelint fix "
        "--unsafe-fixes`)"),
    "fix-stdin": (
        "check --fix cannot rewrite stdin: `kprobelint fix -` prints the fixed text instead"),
    "statistics-format": (
        "--statistics works with --format text (counts per rule); JSON always has them in "
        "summary.rules"),
    "wrote-baseline": "kprobelint: wrote {count} finding(s) to baseline {path}",
    "skipped": "skipped {path}: {reason}",
    "no-files": "no YAML or JSON files found in {paths}",
    "config-missing": "configuration file not found: {path}",
    "cannot-write": "cannot write {path}: {reason}",
    "stdout-closed": "cannot write the report: standard output is closed",
    "stdout-failed": "cannot write the report to standard output: {reason}",
    "out-of-memory": "kprobelint: error: not enough memory to finish the run",
})


def speak(lang: str) -> None:
    """Speak ``lang`` from now on: messages, and click's help and errors too once the click
    application is loaded (a plain run never loads it)."""
    i18n.use(lang)
    cli = sys.modules.get("kprobelint.cli")
    if lang != i18n.DEFAULT and cli is not None:
        from .i18n.clicktext import localize_click  # noqa: PLC0415  (only in that language)

        localize_click(cli.cli, lang)
    elif lang == i18n.DEFAULT and "kprobelint.i18n.clicktext" in sys.modules:
        sys.modules["kprobelint.i18n.clicktext"].restore_click()  # spoke another before


def speak_configured(flag: str | None, config) -> None:
    """``lang:`` in the configuration, unless --lang says otherwise (the locale comes last)."""
    if flag is None and config.lang and config.lang != i18n.current():
        speak(config.lang)


def note(text: object) -> None:
    """``kprobelint: NOTE`` on stderr, in the run's language."""
    echo(TEXTS.text("note", note=text), err=True)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def echo(message: str, err: bool = False) -> None:
    """``click.echo``, imported only when there is something to say (a plain run has not,
    unless a file is skipped or something fails), so that every message is written as click
    writes the rest of the command line's."""
    import click  # noqa: PLC0415

    click.echo(message, err=err)


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection inside, and none of what exists at its end is walked by
    a later one (``gc.freeze``): for importing the linter, loading its catalogue and schemas,
    and linting, which make objects that live to the end of the run and hardly any garbage
    (documents are freed by reference counting, see :data:`kprobelint.lintfiles.GC_EVERY`).
    A one-file run otherwise made some 30 collections, the interpreter's full one at exit
    included, that walked those objects for nothing: about a sixth of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def run_check(paths: tuple[str, ...], fmt: str | None, output: str | None,
              select: tuple[str, ...], ignore: tuple[str, ...], kube_version: str | None,
              fail_on: str | None, exit_zero: bool, exclude: tuple[str, ...],
              respect_gitignore: bool, chart_dir: str | None, stdin_filename: str | None,
              sarif_root: str | None, complete: bool, config_file: str | None,
              baseline: str | None, write_baseline: str | None, annotations: bool, jobs: int,
              crds: tuple[str, ...], quiet: bool, statistics: bool, show_source: bool,
              timing: bool, color: bool | None, fix: bool, unsafe_fixes: bool,
              lang: str | None = None) -> None:
    """``kprobelint check``: lint, report, exit 0 or 1 (or raise UsageError)."""
    with collector_paused():
        from .findings import SEVERITY_RANK  # noqa: PLC0415
        from .report import Report, render  # noqa: PLC0415
        from .runner import lint  # noqa: PLC0415

        options = lint_options(paths, select, ignore, kube_version, exclude,
                               respect_gitignore, chart_dir, stdin_filename, complete,
                               config_file, jobs, crds, lang)
    config = options.config
    fmt = fmt or default_format(output)
    if statistics and fmt not in ("text", "json"):
        raise UsageError(TEXTS("statistics-format"))
    if unsafe_fixes and not fix:
        raise UsageError(TEXTS("unsafe-needs-fix"))
    if fix:
        if "-" in paths:
            raise UsageError(TEXTS("fix-stdin"))
        fix_in_place(options, baseline, unsafe_fixes, quiet, messages_to_stderr=True)
    with collector_paused():
        result = lint(options)
    if write_baseline:
        from .baseline import write_baseline as write  # noqa: PLC0415

        count = write(write_baseline, result.findings)
        echo(TEXTS.text("wrote-baseline", count=count, path=write_baseline), err=True)
        sys.exit(EXIT_OK)
    result.findings = without_baseline(result.findings, baseline)

    report = Report(
        findings=result.findings, stats=result.stats, rules=result.rules,
        suppressed=result.suppressed, version=__version__,
        seconds=result.seconds if timing else None,
        root=Path(sarif_root) if sarif_root else repository_root(),
        base=os.environ.get("GITHUB_WORKSPACE") or None,
        colour=fmt == "text" and use_colour(color, output),
        show_source=show_source, statistics=statistics, quiet=quiet,
        batch=bool(os.environ.get("PRE_COMMIT")), inline_texts=result.inline_texts,
        lang=i18n.current(),
    )
    if not quiet:
        from .report import printable, shown_path  # noqa: PLC0415

        for path, reason in result.stats.skipped:  # before the report, so the summary ends it
            note(TEXTS("skipped", path=printable(shown_path(path)), reason=reason))
        if result.stats.files == 0:
            echo(TEXTS.text("warning", warning=TEXTS("no-files", paths=", ".join(paths))),
                 err=True)
    write_report(render(fmt, report), output, utf8=fmt in ("json", "sarif"))
    if fmt == "github" and not quiet:
        from .report.text import summary_line  # noqa: PLC0415

        echo(summary_line(result.findings, result.stats, report.batch, report.lang), err=True)
    if annotations and fmt != "github":
        write_report(render("github", report), None, utf8=False)
    threshold = SEVERITY_RANK[fail_on or config.fail_on or "warning"]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_OK)


def lint_options(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
                 kube_version: str | None, exclude: tuple[str, ...], respect_gitignore: bool,
                 chart_dir: str | None, stdin_filename: str | None, complete: bool,
                 config_file: str | None, jobs: int, crds: tuple[str, ...] = (),
                 lang: str | None = None):
    """What to lint and how, from the options ``check`` and ``fix`` share; speaks the
    configuration's language unless ``lang`` (--lang) says otherwise."""
    from .engine import Selection  # noqa: PLC0415
    from .runner import Options  # noqa: PLC0415
    from .versions import DEFAULT, normalise  # noqa: PLC0415

    if not paths:
        raise UsageError(TEXTS("no-paths"))
    check_paths(paths)
    config = configuration(config_file, list(paths), stdin_filename)
    speak_configured(lang, config)
    selection = Selection(
        _split(select) or config.select, config.ignore + _split(ignore),
        normalise(kube_version or config.kube_version or DEFAULT),
    )
    return Options(list(paths), selection, _split(exclude), chart_dir, complete, config,
                   jobs, stdin_filename=stdin_filename, gitignore=respect_gitignore, crds=crds)


def check_paths(paths: tuple[str, ...]) -> None:
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(TEXTS("no-such-path", paths=", ".join(missing)))


def without_baseline(findings: list, baseline: str | None) -> list:
    if not baseline:
        return findings
    from .baseline import new_findings, read_baseline  # noqa: PLC0415

    return new_findings(findings, read_baseline(baseline), baseline)


def fix_in_place(options, baseline: str | None, unsafe: bool, quiet: bool,
                 messages_to_stderr: bool, diff: bool = False, stdin: bytes | None = None):
    """Lint, fix in rounds, write (or, with ``diff``, only compute) the fixed files, and say
    what became of each fixable finding."""
    from .autofix.run import fix_paths, outcome_line, summary_lines  # noqa: PLC0415
    from .report import printable  # noqa: PLC0415

    run = fix_paths(options, unsafe=unsafe, write=not diff, stdin=stdin,
                    keep=lambda findings: without_baseline(findings, baseline))
    lines = [outcome_line(o, would=diff) for o in run.fixed + run.not_fixed]
    if not quiet:
        lines += summary_lines(run, would=diff)
    for line in lines:
        echo(printable(line), err=messages_to_stderr)
    return run


def default_format(output: str | None) -> str:
    """text, or GitHub annotations when running in GitHub Actions (as yamllint does)."""
    if output is None and os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text"


def use_colour(flag: bool | None, output: str | None) -> bool:
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


def configuration(config_file: str | None, paths: list[str], stdin_filename: str | None = None):
    from .config import Config, find_config, load_config  # noqa: PLC0415
    from .ruleset import builtin_rules  # noqa: PLC0415

    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise UsageError(TEXTS("config-missing", path=config_file))
    else:
        # stdin has no place of its own: its --stdin-filename says where to look from.
        starts = [stdin_filename if p == "-" and stdin_filename else p for p in paths]
        path = find_config(starts)
    return load_config(path, builtin_rules()) if path else Config()


def write_report(report: str, output: str | None, utf8: bool) -> None:
    """Write the report to ``output`` (UTF-8) or to stdout.

    JSON and SARIF are UTF-8 by definition (RFC 8259; SARIF 2.1.0 section 3.1): with
    ``utf8`` they are written as UTF-8 bytes whatever the locale or PYTHONIOENCODING says.
    Text is encoded for the terminal, a character it cannot show written as an escape.
    """
    if output:
        try:
            Path(output).write_bytes(report.encode("utf-8", "backslashreplace"))
        except OSError as exc:
            raise UsageError(TEXTS("cannot-write", path=output,
                                   reason=exc.strerror or str(exc))) from exc
        return
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`kprobelint ... >&-`)
        raise UsageError(TEXTS("stdout-closed"))
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
        discard_stdout()  # or the interpreter's last flush fails once more at exit
        raise UsageError(TEXTS("stdout-failed", reason=exc.strerror or str(exc))) from exc


def discard_stdout() -> None:
    """Point file descriptor 1 at the null device: what is still buffered goes nowhere."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass


def repository_root() -> Path:
    here = Path.cwd()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


@contextlib.contextmanager
def reported_errors():
    """End the run with a one-line message and the documented exit code for every error
    that is not click's own: never a traceback."""
    try:
        yield
    except UsageError as exc:
        echo(TEXTS.text("error", error=exc.message), err=True)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:
        # The reader went away (`kprobelint ... | head`): not an error worth a message.
        discard_stdout()
        sys.exit(EXIT_FINDINGS)
    except KeyboardInterrupt:
        sys.exit(130)
    except MemoryError:  # one input's lack of memory is a finding; this is the run's
        echo(TEXTS.text("out-of-memory"), err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # never show a traceback to a user
        echo(TEXTS.text("internal-error", error=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(EXIT_USAGE)
