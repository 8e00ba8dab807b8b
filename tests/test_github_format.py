"""``--format github``: GitHub workflow commands, one per finding, escaped as GitHub parses them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kprobelint.findings import Finding, HelmSource, ObjectRef, Span
from kprobelint.report.github import escape_data, escape_property, render_github
from kprobelint.runner import Options, lint

ROOT = Path(__file__).resolve().parents[1]

# A workflow command as the runner reads it: ::name[ key=value(,key=value)*]::message
COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def finding(**changes) -> Finding:
    values = dict(
        rule_id="KPL103",
        rule_name="readiness-probe-port-undeclared",
        severity="error",
        file="manifests/web.yaml",
        span=Span(31, 38, 31, 42),
        message='readinessProbe.httpGet.port names port "http", which container "web" '
                "does not declare (it declares web)",
        statuses=("ContainersNotReady",),
        object=ObjectRef("Deployment", "web", "shop"),
        container="web",
        field="spec.template.spec.containers[0].readinessProbe.httpGet.port",
    )
    values.update(changes)
    return Finding(**values)


def unescape(text: str) -> str:
    """What GitHub's runner does to a value (the inverse of the toolkit's escaping)."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                          ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    name, props, message = match.groups()
    properties = {}
    for item in (props or "").split(","):
        key, _, value = item.partition("=")
        properties[key] = unescape(value)
    return name, properties, unescape(message)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exact_line(in_tmp: Path) -> None:
    out = render_github([finding()])
    assert out == (
        "::error file=manifests/web.yaml,line=31,col=38,endLine=31,endColumn=42,"
        "title=KPL103 readiness-probe-port-undeclared::"
        'readinessProbe.httpGet.port names port "http", which container "web" does not '
        "declare (it declares web) (Deployment shop/web, container web) "
        "Leads to: ContainersNotReady.\n"
    )


def test_data_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    # ":" and "," are safe in data: the first "::" after the properties ends them.
    assert escape_data("a:b,c::d") == "a:b,c::d"
    # "%" first, so an existing escape sequence is not read back as a character.
    assert escape_data("%0A") == "%250A"


def test_property_escaping() -> None:
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape_property("%3A") == "%253A"
    assert escape_property("C:\\x,y") == "C%3A\\x%2Cy"


def test_every_special_character_round_trips(in_tmp: Path) -> None:
    nasty = "50% a:b, c\r\nd::e %0A"
    f = finding(
        file="we:ird, 100%\ndir/x.yaml",
        rule_name="name:with,commas%",
        message=nasty,
        object=ObjectRef("Pod", "p"),
        container=None,
        statuses=(),
    )
    (line,) = render_github([f]).splitlines()
    assert "\r" not in line and "\n" not in line
    name, props, message = parse(line)
    assert name == "error"
    assert props["file"] == "we:ird, 100%\ndir/x.yaml"
    assert props["title"] == "KPL103 name:with,commas%"
    assert message == nasty + " (Pod p)"
    # Property values never contain the delimiters; the message may.
    raw_props = line.split("::")[1]
    assert raw_props.count(",") == 5 and ":" not in raw_props


def test_manifest_text_cannot_inject_a_command(in_tmp: Path) -> None:
    f = finding(message="bad\n::add-mask::secret\n::error file=x::forged", container=None)
    out = render_github([f])
    assert out.count("\n") == 1
    assert all(line.startswith("::error file=manifests/web.yaml,") for line in out.splitlines())


@pytest.mark.parametrize(("severity", "command"),
                         [("error", "error"), ("warning", "warning"), ("note", "notice")])
def test_severity_mapping(in_tmp: Path, severity: str, command: str) -> None:
    assert render_github([finding(severity=severity)]).startswith(f"::{command} file=")


def test_one_line_per_finding_in_the_order_given(in_tmp: Path) -> None:
    findings = [
        finding(file="b.yaml", span=Span(9, 1, 9, 5), message="second\nline"),
        finding(file="a.yaml", span=Span(3, 2, 4, 1), severity="warning"),
        finding(file="a.yaml", span=Span(1, 1, 1, 2), severity="note"),
    ]
    lines = render_github(findings).splitlines()
    assert len(lines) == 3
    assert [parse(line)[1]["file"] for line in lines] == ["b.yaml", "a.yaml", "a.yaml"]
    assert [parse(line)[0] for line in lines] == ["error", "warning", "notice"]
    assert parse(lines[1])[1]["endLine"] == "4"
    assert render_github(findings) == render_github(findings)


def test_no_findings_is_empty() -> None:
    assert render_github([]) == ""


def test_paths_are_relative_to_the_current_directory(in_tmp: Path) -> None:
    (in_tmp / "sub").mkdir()
    findings = [
        finding(file=str(in_tmp / "deploy" / "web.yaml")),
        finding(file="./deploy/../deploy/web.yaml"),
        finding(file="deploy/web.yaml"),
    ]
    files = [parse(line)[1]["file"] for line in render_github(findings).splitlines()]
    assert files == ["deploy/web.yaml"] * 3
    other = render_github([finding(file=str(in_tmp / "deploy" / "web.yaml"))], cwd=in_tmp / "sub")
    assert parse(other.strip())[1]["file"] == "../deploy/web.yaml"


def test_windows_separators_become_forward_slashes(monkeypatch: pytest.MonkeyPatch,
                                                    in_tmp: Path) -> None:
    import ntpath  # noqa: PLC0415

    import kprobelint.report.github as github  # noqa: PLC0415

    monkeypatch.setattr(github, "os", _NtOs(ntpath))
    monkeypatch.setattr(github, "Path", __import__("pathlib").PureWindowsPath)
    line = render_github([finding(file="C:\\work\\repo\\k8s\\web.yaml")], cwd="C:\\work\\repo")
    assert parse(line.strip())[1]["file"] == "k8s/web.yaml"
    # Another drive has no relative path: absolute, still with forward slashes.
    line = render_github([finding(file="D:\\k8s\\web.yaml")], cwd="C:\\work\\repo")
    assert parse(line.strip())[1]["file"] == "D:/k8s/web.yaml"


class _NtOs:
    """Just enough of ``os`` for the renderer to behave as on Windows."""

    def __init__(self, ntpath) -> None:
        self.path = ntpath

    @staticmethod
    def getcwd() -> str:
        return "C:\\work\\repo"


def test_stdin_findings_have_no_file(in_tmp: Path) -> None:
    (line,) = render_github([finding(file="-", span=Span(7, 3, 7, 9))]).splitlines()
    name, props, message = parse(line)
    assert set(props) == {"title"}
    assert message.startswith("stdin:7:3: readinessProbe")
    assert line.startswith("::error title=KPL103 readiness-probe-port-undeclared::stdin:7:3: ")


def test_helm_source_and_missing_context(in_tmp: Path) -> None:
    f = finding(object=None, container=None, statuses=(),
                source=HelmSource("mychart/templates/deployment.yaml", 12))
    _, _, message = parse(render_github([f]).strip())
    assert message.endswith("(it declares web) From mychart/templates/deployment.yaml:12.")
    bare = finding(object=None, container=None, statuses=(), message="m")
    assert parse(render_github([bare]).strip())[2] == "m"


def test_positions_are_clamped(in_tmp: Path) -> None:
    _, props, _ = parse(render_github([finding(span=Span(0, 0, 0, 0))]).strip())
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("1", "1",
                                                                                   "1", "1")


def test_real_findings_from_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = lint(Options(["examples"]))
    assert result.findings
    lines = render_github(result.findings).splitlines()
    assert len(lines) == len(result.findings)
    for line, f in zip(lines, result.findings):
        name, props, message = parse(line)
        assert props["file"].startswith("examples/") and (ROOT / props["file"]).is_file()
        assert props["line"] == str(max(1, f.span.line))
        assert props["title"].startswith(f.rule_id + " ")
        assert message.startswith(f.message)
