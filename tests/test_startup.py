"""A one-file run (what pre-commit pays on every commit) imports only what linting needs.

Start-up time is measured by ``bench/bench.py``, never asserted here. What these tests hold
is its cause, which does not depend on the machine: the modules a run imports. A plain
``kprobelint FILE`` runs without click, and no run that lints imports the code of another
command or output format (jsonschema, SARIF, fix, timeline, rule documentation).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kprobelint import cli
from kprobelint.main import CHECK_DEFAULTS, COMMANDS, plain_paths

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "web-deployment.yaml"

# Imported by a run that lints: none of these (a module or any of its submodules).
NOT_FOR_LINTING = ("jsonschema", "referencing", "sarif_om", "kprobelint.report.sarif",
                   "kprobelint.autofix", "kprobelint.timeline", "kprobelint.docs",
                   "kprobelint.catalogue", "kprobelint.baseline", "kprobelint.parallel",
                   "kprobelint.apischema.generate", "kprobelint.apischema.crd")

MODULES_AFTER_RUN = """
import json, sys
before = set(sys.modules)  # the interpreter's own, and what its site-packages' .pth files load
sys.argv = ["kprobelint", *sys.argv[1:]]
from kprobelint.{module} import main
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
new = sorted(set(sys.modules) - before)
sys.stderr.write("\\nMODULES " + json.dumps({{"code": code, "modules": new}}))
"""


def modules_after_run(module: str, *args: str, cwd: Path) -> tuple[int, set[str]]:
    """The exit code and every module a run of ``kprobelint ARGS`` through
    ``kprobelint.MODULE.main`` imports (beyond those the interpreter starts with), run in
    ``cwd`` on the examples named in ARGS, copied there: a directory without kprobelint
    configuration, as most repositories are (this checkout's pyproject.toml has some)."""
    for arg in args:
        if (ROOT / "examples" / arg).is_file():
            shutil.copy(ROOT / "examples" / arg, cwd / arg)
    result = subprocess.run([sys.executable, "-c", MODULES_AFTER_RUN.format(module=module),
                             *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert "MODULES " in result.stderr, result.stderr
    report = json.loads(result.stderr.rsplit("MODULES ", 1)[1])
    return report["code"], set(report["modules"])


def imported(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_a_plain_run_lints_without_click_or_other_commands_code(tmp_path):
    code, modules = modules_after_run("main", EXAMPLE.name, cwd=tmp_path)
    assert code == 1  # the example has findings: the run did lint
    assert "kprobelint.runner" in modules and "kprobelint.checks.probes" in modules
    assert not imported(modules, "click") and "kprobelint.cli" not in modules
    assert [name for name in NOT_FOR_LINTING if imported(modules, name)] == []
    assert "typing" not in modules  # annotations only need its names: kprobelint.typechecking
    assert "inspect" not in modules  # dataclasses' only use of it: kprobelint.deferredinspect


@pytest.mark.parametrize(("example", "quantities"), [("sidecar-pod.yaml", False),
                                                     ("clean-statefulset.yaml", True)])
def test_fractions_are_imported_for_resource_quantities_only(example, quantities, tmp_path):
    _, modules = modules_after_run("main", example, cwd=tmp_path)
    assert "kprobelint.checks.scheduling" in modules
    assert ("fractions" in modules) is quantities


@pytest.mark.parametrize("args", [("--quiet", EXAMPLE.name),
                                  ("check", "--format", "json", EXAMPLE.name),
                                  ("--format", "github", EXAMPLE.name)])
def test_a_run_with_options_lints_without_other_commands_code(args, tmp_path):
    code, modules = modules_after_run("cli", *args, cwd=tmp_path)
    assert code == 1
    assert imported(modules, "click") and "kprobelint.checks.probes" in modules
    assert [name for name in NOT_FOR_LINTING if imported(modules, name)] == []


def test_sarif_is_imported_when_asked_for(tmp_path):  # the test above can fail
    code, modules = modules_after_run("cli", "--format", "sarif", EXAMPLE.name, cwd=tmp_path)
    assert code == 1 and imported(modules, "kprobelint.report.sarif")


@pytest.mark.parametrize("args", [["a.yaml"], ["a.yaml", "dir/", "-"], ["check", "a.yaml"],
                                  ["check", "check"], ["check", "rules"], [""]])
def test_a_command_line_of_paths_means_check_with_every_default(args, monkeypatch):
    paths = plain_paths(args)
    assert paths is not None
    parsed = []  # what click itself makes of the same command line
    monkeypatch.setattr(cli, "run_check", lambda **options: parsed.append(options))
    cli.cli.main(list(args), standalone_mode=False)
    assert parsed == [{"paths": paths, **CHECK_DEFAULTS}]


@pytest.mark.parametrize("args", [[], ["check"], ["--quiet", "a.yaml"], ["a.yaml", "-q"],
                                  ["a.yaml", "--"], ["--", "a.yaml"], ["--help"], ["--version"],
                                  ["rules"], ["explain", "KPL103"], ["fix", "a.yaml"],
                                  ["config"], ["timeline", "a.yaml"], ["a.yaml", "--format=json"]])
def test_anything_else_goes_to_click(args):
    assert plain_paths(args) is None


def test_the_command_names_are_the_click_groups():
    assert COMMANDS == set(cli.cli.commands)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kprobelint", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("paths", [("examples/web-deployment.yaml",),
                                   ("examples/clean-statefulset.yaml", "examples/mychart"),
                                   ("examples/no-such-file.yaml",)])
def test_the_plain_run_prints_what_click_would(paths):
    # --show-source is the default: it only sends the command line through click.
    plain, parsed = run(*paths), run("check", "--show-source", *paths)
    assert (plain.returncode, plain.stdout, plain.stderr) == \
        (parsed.returncode, parsed.stdout, parsed.stderr)
    assert plain.stdout or plain.stderr


def test_the_plain_run_reports_errors_in_one_line(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("apiVersion: v1\nkind: Pod\n{{ .Values.x }}\n")
    result = run(str(template), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("kprobelint: skipped ")


def test_a_lazy_pattern_compiles_on_first_use_and_matches_as_re_does():
    import re

    from kprobelint.lazyregex import LazyPattern

    lazy = LazyPattern(r"^#\s*(\w+)$", re.MULTILINE)
    assert lazy._compiled is None
    text = "a\n# one\n#two\nb"
    eager = re.compile(lazy.pattern, re.MULTILINE)
    assert [m.group(1) for m in lazy.finditer(text)] == ["one", "two"]
    assert lazy._compiled is not None and lazy.flags == eager.flags
    assert lazy.search(text).span() == eager.search(text).span()
    assert lazy.match(text) is None and lazy.fullmatch("# x").group(1) == "x"
    assert lazy.sub("-", text) == eager.sub("-", text)
    assert lazy.split(text) == eager.split(text) and lazy.findall(text) == ["one", "two"]


PYYAML_AFTER_IMPORT = """
import re, sys
compile_ = re.compile
if sys.argv[1] == "kprobelint":
    import kprobelint.compose
import yaml, yaml.reader
assert re.compile is compile_
print(type(yaml.reader.Reader.NON_PRINTABLE).__name__)
print(yaml.safe_load("a: 2001-12-14t21:59:43.10-05:00\\nb: [yes, 0x1F, 1.5e+3, ~, '1']\\n"))
try:
    yaml.load("x: \\x07", Loader=yaml.Loader)
except yaml.YAMLError as exc:
    print(exc)
"""


def test_pyyaml_compiles_its_patterns_on_first_use_and_reads_as_before():
    def output(importer: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", PYYAML_AFTER_IMPORT, importer],
                              capture_output=True, text=True, check=True,
                              timeout=120).stdout.splitlines()

    lazy, stock = output("kprobelint"), output("yaml")
    assert (lazy[0], stock[0]) == ("LazyPattern", "Pattern")
    assert lazy[1:] == stock[1:] and "special characters" in lazy[-2]


def test_dataclasses_imported_without_inspect_get_it_on_first_use():
    script = """
import sys, kprobelint, dataclasses
assert "inspect" not in sys.modules
Undocumented = dataclasses.make_dataclass("Undocumented", [("n", int)])
import inspect
print(Undocumented.__doc__, "inspect" in sys.modules, dataclasses.inspect.signature is inspect.signature)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=120)
    assert result.stdout.split() == ["Undocumented(n:", "int)", "True", "True"]
