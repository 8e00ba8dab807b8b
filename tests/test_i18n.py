"""Chinese (issue 13): choosing the language, every format in it, explain, rules, fix and the
catalogue's completeness. In process, on rendered reports: the CLI runs cost no subprocess."""
from __future__ import annotations

import io
import json
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import jsonschema
import pytest
from lintutil import BROKEN_DEPLOYMENT, fix_text, lint_text

from kprobelint import i18n
from kprobelint.catalogue import load_catalogue
from kprobelint.docs import (
    _shown_failing,
    explain_rule,
    explain_status,
    rules_markdown,
    rules_table,
)
from kprobelint.i18n import Items, Message, Templates, language_from_environment, render
from kprobelint.i18n.completeness import problems
from kprobelint.i18n.prose import rule_prose
from kprobelint.report import Report
from kprobelint.report import render as render_report
from kprobelint.report.source import width
from kprobelint.ruleset import SCHEMA_DIR, builtin_rules

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile("[\u4e00-\u9fff]")
# English words of the reports' own frame, which a Chinese report must not show.
ENGLISH_FRAME = re.compile(r"\b(leads to|Found \d|No problems found|Why:|Fix:|from [a-z]+/)")


@pytest.fixture(autouse=True)
def english_again():
    """Every test leaves the process speaking English, as it found it (click's words too)."""
    yield
    i18n.use("en")
    if "kprobelint.i18n.clicktext" in sys.modules:
        sys.modules["kprobelint.i18n.clicktext"].restore_click()


def cli(*args: str, env: dict[str, str] | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """``kprobelint ARGS`` in this process: exit code, stdout, stderr."""
    from kprobelint.cli import main

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["kprobelint", *args])
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_DEPLOYMENT)
    return path


# --------------------------------------------------------------------------- which language

@pytest.mark.parametrize(("environ", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "zh_HK"}, "zh"),
    ({"LANG": "zh"}, "zh"),
    ({"LC_MESSAGES": "zh_SG.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),  # LC_ALL decides
    ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),  # empty is unset
    ({"LANG": "C"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_locale_chooses_the_language(environ, lang):
    assert language_from_environment(environ) == lang


def test_lang_flag_config_and_locale_in_that_order(tmp_path, broken, monkeypatch):
    code, out, _ = cli("--select", "KPL103", str(broken), monkeypatch=monkeypatch,
                       env={"LANG": "zh_CN.UTF-8"})
    assert code == 1 and "导致 ContainersNotReady" in out
    code, out, _ = cli("--lang", "en", "--select", "KPL103", str(broken),
                       monkeypatch=monkeypatch, env={"LANG": "zh_CN.UTF-8"})
    assert "leads to ContainersNotReady" in out and not CJK.search(out)
    (tmp_path / ".kprobelint.yaml").write_text("lang: zh\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("--select", "KPL103", "broken.yaml", monkeypatch=monkeypatch)
    assert "导致 ContainersNotReady" in out and "发现 1 个问题" in out
    code, out, _ = cli("check", "--lang", "en", "--select", "KPL103", "broken.yaml",
                       monkeypatch=monkeypatch)
    assert "Found 1 problem" in out and not CJK.search(out)
    # explain and rules have no paths: they read lang: of the configuration found here.
    code, out, _ = cli("explain", "KPL103", monkeypatch=monkeypatch)
    assert code == 0 and "原因：" in out


def test_a_bad_lang_is_a_usage_error(monkeypatch, broken):
    code, _, err = cli("--lang", "fr", str(broken), monkeypatch=monkeypatch)
    assert code == 2 and "fr" in err


# --------------------------------------------------------------------------- completeness

def test_every_text_rule_status_and_help_has_a_chinese_translation():
    assert problems("zh") == []


def test_completeness_catches_a_missing_text_and_a_foreign_placeholder(monkeypatch):
    Templates("i18n-test", {"new": "{count} new things"})
    try:
        assert "zh: text i18n-test.new has no translation" in problems("zh")
        table = dict(i18n.catalogue("zh"))
        table["i18n-test.new"] = "{number} 个新东西"
        monkeypatch.setattr("kprobelint.i18n.completeness.catalogue", lambda lang: table)
        assert ("zh: text i18n-test.new uses ['number'], the English ['count']"
                in problems("zh"))
    finally:
        del i18n.ENGLISH["i18n-test.new"]


# --------------------------------------------------------------------------- rendering

def test_templates_render_lists_and_spacing_as_chinese_is_written():
    message = Message("i18n.words-test", {"values": Items(("a", "b", "c"), "or")},
                      "one of {values}")
    assert render(message, "en") == "one of a, b or c"
    assert i18n.join(("a", "b", "c"), "zh", "or") == "a、b 或 c"
    assert i18n.tight_join(["否则 ", "容器会停"]) == "否则容器会停"
    assert i18n.tight_join(["否则 ", "API 服务器"]) == "否则 API 服务器"


def _report(findings, lang: str, **kwargs) -> Report:
    return Report(findings, _Stats(), rules=list(builtin_rules()), lang=lang, version="0",
                  root=Path.cwd(), **kwargs)


class _Stats:
    files, documents, objects, without_schema = 1, 1, 1, 0
    skipped: list = []


def _sample():
    """Findings of several areas, one with a fix, one conditional."""
    text = BROKEN_DEPLOYMENT.replace("image: nginx:1.27", "image: nginx:latest\n"
                                     "          imagePullPolicy: always")
    return lint_text(text)


def test_text_report_in_chinese_keeps_positions_ids_and_statuses():
    findings = _sample()
    english = render_report("text", _report(findings, "en", show_source=False)).splitlines()
    chinese = render_report("text", _report(findings, "zh", show_source=False)).splitlines()
    heads = [line.split(" ", 3)[:3] for line in english if re.match(r"\S+:\d+:\d+: ", line)]
    assert heads and heads == [line.split(" ", 3)[:3] for line in chinese
                               if re.match(r"\S+:\d+:\d+: ", line)]
    body = "\n".join(chinese)
    assert "ContainersNotReady" in body and "导致" in body and "可能导致" in body
    assert "修复：" in body  # the fix note
    assert not ENGLISH_FRAME.search(body), body


def test_json_in_chinese_validates_and_keeps_machine_fields():
    findings = _sample()
    english = json.loads(render_report("json", _report(findings, "en")))
    chinese = json.loads(render_report("json", _report(findings, "zh")))
    schema = json.loads((SCHEMA_DIR / "report.schema.json").read_text()) \
        if (SCHEMA_DIR / "report.schema.json").exists() else None
    if schema is not None:
        jsonschema.validate(chinese, schema)
    for en, zh in zip(english["findings"], chinese["findings"]):
        for key in ("rule", "name", "severity", "line", "column", "statuses", "certainty",
                    "field", "container"):
            assert en.get(key) == zh.get(key), key
        assert CJK.search(zh["message"]) and not CJK.search(en["message"])
        if zh.get("condition"):
            assert CJK.search(zh["condition"])


def test_sarif_in_chinese_validates_and_translates_the_human_text(sarif_schema_path):
    findings = _sample()
    log = json.loads(render_report("sarif", _report(findings, "zh")))
    jsonschema.validate(log, json.loads(sarif_schema_path.read_text()))
    run = log["runs"][0]
    assert run["language"] == "zh-CN"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for result in run["results"]:
        assert re.fullmatch(r"KPL\d{3}", result["ruleId"])
        assert CJK.search(result["message"]["text"])
        rule = rules[result["ruleId"]]
        assert CJK.search(rule["shortDescription"]["text"])
        assert CJK.search(rule["fullDescription"]["text"])
        assert CJK.search(rule["help"]["text"])
        if "id" in result["message"]:  # a template: its Chinese string has the same arguments
            string = rule["messageStrings"][result["message"]["id"]]["text"]
            assert CJK.search(string)
            assert len(result["message"]["arguments"]) == len(set(re.findall(r"\{(\d+)\}",
                                                                             string)))


def test_github_annotations_in_chinese():
    findings = _sample()
    out = render_report("github", _report(findings, "zh"))
    lines = [line for line in out.splitlines() if line.startswith("::")]
    assert lines
    for line in lines:
        title = re.search(r"title=([^,:]*(?:::)?[^:]*)::", line)
        assert re.search(r"title=KPL\d{3}", line)
        assert CJK.search(line.split("::", 2)[2]), line  # the message
        assert title and CJK.search(title.group(1)), line  # the rule's Chinese title


def test_caret_lines_align_under_double_width_text():
    text = BROKEN_DEPLOYMENT.replace("  name: web\n  namespace: shop",
                                     "  name: web\n  namespace: shop\n  annotations:\n"
                                     "    说明: 网店\n    owner: 平台组")
    text = text.replace("port: http}", "port: http}  # 探针")
    findings = lint_text(text, ("KPL103",))
    out = render_report("text", _report(findings, "zh", show_source=True,
                                        inline_texts={"-": text}))
    lines = out.splitlines()
    caret = next(i for i, line in enumerate(lines) if "^" in line)
    source, marks = lines[caret - 1], lines[caret]
    column = findings[0].span.column
    shown = source.split("| ", 1)[1]
    assert width(shown[:column - 1]) == width(marks.split("| ", 1)[1].split("^")[0])


def test_rules_table_columns_align_by_display_width():
    table = rules_table(None, "zh").splitlines()
    assert "编号" in table[0] and "标题" in table[0]
    # Every row's statuses start at the same display column as the header's.
    starts = {width(line[:line.index(word)]) for line, word in
              [(table[0], "导致的状态")] + [(row, row.split()[-1]) for row in table[1:]
                                       if row.split()[-1].startswith(("Rejected",))]}
    assert len(starts) == 1


# --------------------------------------------------------------------------- explain and docs

@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_explain_every_rule_in_both_languages(rule):
    english = explain_rule(rule, "en")
    chinese = explain_rule(rule, "zh")
    assert english.startswith(f"{rule.id} {rule.name} ({rule.severity})")
    assert chinese.startswith(f"{rule.id} {rule.name}（{rule.severity}）")
    assert "原因：" in chinese and "修复方法：" in chinese and "确定性：" in chinese
    assert "Why:" not in chinese and "Fix:" not in chinese
    for status in rule.statuses:
        assert status in chinese  # status names stay as Kubernetes writes them
    prose = rule_prose(rule, "zh")
    if rule.failing:  # the example shown, with what it shows
        description = prose.failing[rule.failing.index(_shown_failing(rule))]
        assert description in chinese


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_explain_every_status_in_both_languages(name):
    status = load_catalogue()[name]
    chinese = explain_status(name, "zh")
    assert chinese.startswith(f"{name}（{status.stage}）") or chinese.startswith(name)
    assert ("要检查什么：" in chinese) == bool(status.manifest_can_cause)
    assert CJK.search(chinese.split("\n", 2)[2])
    for rule in builtin_rules():
        if name in rule.statuses:
            assert rule.id in chinese


def test_docs_rules_zh_md_is_up_to_date():
    docs = ROOT / "docs" / "rules.zh.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(None, "zh"), \
        "docs/rules.zh.md is stale: run `kprobelint rules --format markdown --lang zh " \
        "> docs/rules.zh.md`"


# --------------------------------------------------------------------------- fix, help, timeline

def test_fix_says_what_it_did_in_chinese():
    from kprobelint.autofix.run import outcome_line, summary_lines

    text = BROKEN_DEPLOYMENT.replace("image: nginx:1.27",
                                     "image: nginx:1.27\n          imagePullPolicy: always")
    _, run = fix_text(text, ("KPL206",))
    [outcome] = run.fixed
    assert outcome_line(outcome, lang="zh").endswith("已修复 KPL206：否则会导致 Rejected"
                                                     "（always → Always）")
    assert summary_lines(run, lang="zh") == ["修复了 1 个问题，涉及 1 个文件。"]


def test_help_and_click_errors_in_chinese(monkeypatch, broken):
    code, out, _ = cli("check", "--help", monkeypatch=monkeypatch, env={"LANG": "zh_CN.UTF-8"})
    try:
        assert code == 0 and "用法" in out and "选项" in out and "--lang" in out
        assert "输出格式" in out
        code, _, err = cli("--lang", "zh", "--no-such-option", str(broken),
                           monkeypatch=monkeypatch)
        assert code == 2 and CJK.search(err)
    finally:
        _english_click()


def _english_click() -> None:
    """Undo what speaking Chinese did to click's (process-wide) help texts and words."""
    from kprobelint.i18n import clicktext

    clicktext.restore_click()


def test_timeline_in_chinese(monkeypatch, tmp_path):
    path = tmp_path / "slow.yaml"
    path.write_text((ROOT / "examples" / "slow-start.yaml").read_text())
    code, out, _ = cli("timeline", "--lang", "zh", str(path), monkeypatch=monkeypatch)
    assert CJK.search(out) and "startupProbe" in out.replace("启动探针", "startupProbe")


def test_readme_chinese_sample_is_what_the_tool_prints(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ kprobelint --lang zh examples/web-deployment.yaml\n"
    start = readme.index(command) + len(command)
    monkeypatch.chdir(ROOT)
    _, out, _ = cli("--lang", "zh", "examples/web-deployment.yaml", monkeypatch=monkeypatch)
    assert out == readme[start:readme.index("```", start)]
