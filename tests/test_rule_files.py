"""The rule catalogue itself: schema-valid files, known checks and statuses, unique ids."""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kprobelint.catalogue import find_status
from kprobelint.checks import registry
from kprobelint.errors import UsageError
from kprobelint.ruleset import (
    builtin_rules,
    load_rules,
    read_rule_file,
    rule_files,
    rules_dir,
    validate_rule_data,
)

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = rule_files(rules_dir())


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_matches_schema(path):
    validate_rule_data(read_rule_file(path), path)


def test_rule_file_name_is_rule_name():
    for rule in builtin_rules():
        assert rule.path.endswith(f"{rule.name}.yaml"), rule.path


def test_ids_are_grouped_by_area():
    first_digit = {"input": "0", "probes": "1", "images": "2", "lifecycle": "3", "restart": "4",
                   "references": "5", "scheduling": "6", "schema": "7", "rollout": "8"}
    for rule in builtin_rules():
        assert re.fullmatch(r"KPL\d{3}", rule.id)
        assert rule.id[3] == first_digit[rule.area], rule


def test_every_check_module_is_registered():
    import pkgutil

    from kprobelint import checks

    prefix = f"{checks.__name__}."
    walked = pkgutil.walk_packages(checks.__path__, prefix=prefix)
    assert checks.MODULES == tuple(sorted(m.name.removeprefix(prefix) for m in walked))


def test_checks_and_params_exist():
    checks = registry()
    for rule in builtin_rules():
        if rule.check is None:
            continue
        spec = checks[rule.check]
        assert set(rule.params) == set(spec.params), (rule.id, rule.params, spec.params)
        for name, value in rule.params.items():
            assert spec.params[name].accepts(value), (rule.id, name, value)
        for name, param in spec.options().items():
            assert param.doc, (rule.check, name)  # explain and the docs show it


def test_every_rule_declares_its_certainty():
    """Each rule file says whether its prediction is certain or conditional (and on what); a
    conditional prediction is never an error. Read from the files themselves, so that the
    message lists every rule file to fix at once."""
    problems = []
    for path in RULE_FILES:
        data = read_rule_file(path)
        where = f"{path.relative_to(rules_dir())} ({data.get('id', '?')})"
        certainty, condition = data.get("certainty"), data.get("condition")
        if certainty is None:
            problems.append(
                f"{where}: no `certainty:`; add `certainty: certain` when its statuses always "
                "follow from the mistake, or `certainty: conditional` with `condition:` saying "
                "in words what else must happen (completing 'only if ...')")
        elif certainty == "conditional":
            if not condition:
                problems.append(f"{where}: `certainty: conditional` without `condition:`; "
                                "say what else must happen (completing 'only if ...')")
            if data.get("severity") == "error":
                problems.append(f"{where}: conditional (only if {condition}) but `severity: "
                                "error`; a conditional prediction is at most a warning")
        elif certainty != "certain":
            problems.append(f"{where}: `certainty: {certainty}` is neither certain nor "
                            "conditional")
        elif condition is not None:
            problems.append(f"{where}: `certainty: certain` with a `condition:`; remove the "
                            "condition, or make the rule conditional")
    assert not problems, "\n".join(problems)


def test_statuses_come_from_the_catalogue():
    for rule in builtin_rules():
        for status in rule.statuses:
            assert find_status(status) is not None, (rule.id, status)


def test_broken_rule_file_is_a_clear_error(tmp_path):
    (tmp_path / "probes").mkdir()
    bad = tmp_path / "probes" / "bad.yaml"
    bad.write_text("id: KPL1\nname: Bad Name\nseverity: fatal\n")
    with pytest.raises(UsageError, match="bad.yaml: invalid rule file"):
        load_rules(tmp_path, validate=True)
    bad.write_text("id: [unclosed\n")
    with pytest.raises(UsageError, match="cannot read rule file"):
        load_rules(tmp_path)


def test_a_rule_file_cannot_restate_its_checks_scope(tmp_path):
    # The check's scope decides what a rule is run on; a `scope:` in the rule file was read
    # by nothing and could contradict it, so it is refused like any unknown key.
    source = next(p for p in RULE_FILES if p.name == "image-pull-policy-never.yaml")
    (tmp_path / "images").mkdir()
    restated = tmp_path / "images" / source.name
    restated.write_text(source.read_text() + "scope: pod\n")
    with pytest.raises(UsageError, match="scope"):
        load_rules(tmp_path, validate=True)


def test_duplicate_rule_ids_are_refused(tmp_path):
    source = next(p for p in RULE_FILES if p.name == "image-pull-policy-never.yaml")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.yaml").write_text(source.read_text())
    (tmp_path / "b" / "two.yaml").write_text(source.read_text())
    with pytest.raises(UsageError, match="already used"):
        load_rules(tmp_path)


def test_compiled_catalogue_is_up_to_date():
    from kprobelint import ruleset

    directory = ruleset.rules_dir()
    fresh = ruleset.compiled_catalogue(load_rules(directory, validate=True),
                                       ruleset.rules_digest(directory))
    assert ruleset.COMPILED.read_text(encoding="utf-8") == fresh, (
        "kprobelint/compiled_rules.json is stale: run `python -m kprobelint.ruleset`")


def test_compiled_rules_are_the_rule_files():
    from kprobelint import ruleset

    directory = ruleset.rules_dir()
    assert ruleset.read_compiled(ruleset.rules_digest(directory)) == \
        tuple(load_rules(directory, validate=True))


def test_an_edited_rule_file_wins_over_the_compiled_catalogue(tmp_path, monkeypatch):
    from kprobelint import ruleset

    copy = tmp_path / "rules"
    shutil.copytree(ruleset.rules_dir(), copy)
    edited = copy / "images" / "image-tag-latest.yaml"
    edited.write_text(edited.read_text().replace("severity: warning", "severity: note"))
    monkeypatch.setattr(ruleset, "rules_dir", lambda: copy)
    ruleset.builtin_rules.cache_clear()
    try:
        [rule] = [r for r in ruleset.builtin_rules() if r.name == "image-tag-latest"]
        assert rule.severity == "note"
    finally:
        ruleset.builtin_rules.cache_clear()


def _pickle_that_touches(marker: Path) -> bytes:
    class Touch:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(Touch())


@pytest.mark.parametrize("content", ["garbage", "pickle", "stale", "format", "truncated",
                                     "wrong types"])
def test_a_foreign_compiled_catalogue_is_ignored_harmlessly(tmp_path, content):
    from kprobelint import ruleset

    marker = tmp_path / "pwned"
    digest = ruleset.rules_digest(ruleset.rules_dir())
    good = ruleset.COMPILED.read_text(encoding="utf-8")
    data = {
        "garbage": b"\x00\xffnot json",
        "pickle": _pickle_that_touches(marker),
        "stale": good.replace(digest, "0" * 64).encode(),
        "format": good.replace('"format": 1', '"format": 2').encode(),
        "truncated": good[: len(good) // 2].encode(),
        "wrong types": json.dumps({"format": 1, "digest": digest, "rules": [{"id": 1}]}).encode(),
    }[content]
    path = tmp_path / "compiled_rules.json"
    path.write_bytes(data)
    assert ruleset.read_compiled(digest, path) is None
    assert not marker.exists()


def test_no_cache_is_read_or_written(tmp_path):
    # Issue 9, item 1: 0.1 unpickled ~/.cache/kprobelint/rules-*.pickle, so whoever could
    # write there ran code at the next run. Nothing under the cache directories is read now.
    marker = tmp_path / "pwned"
    home = tmp_path / "home"
    for cache in (home / ".cache" / "kprobelint", tmp_path / "xdg" / "kprobelint",
                  tmp_path / "own"):
        cache.mkdir(parents=True)
        for name in ("rules-0123456789abcdef01234567.pickle", "rules.pickle"):
            (cache / name).write_bytes(_pickle_that_touches(marker))
    before = sorted(p for p in tmp_path.rglob("*"))
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                       "spec: {containers: [{name: c, image: 'x:1'}]}\n")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
           "KPROBELINT_CACHE_DIR": str(tmp_path / "own"), "PYTHONPATH": str(ROOT)}
    for args in (["pod.yaml"], ["rules"], ["explain", "KPL101"]):
        result = subprocess.run([sys.executable, "-m", "kprobelint", *args], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode in (0, 1), result.stderr
    assert not marker.exists()
    assert sorted(p for p in tmp_path.rglob("*")) == sorted(before + [tmp_path / "pod.yaml"])


def test_writes_are_atomic_and_replace_a_planted_link(tmp_path):
    from kprobelint import ruleset

    victim = tmp_path / "victim"
    victim.write_text("keep me")
    target = tmp_path / "compiled.json"
    target.symlink_to(victim)
    ruleset.write_atomically(target, "new")
    assert victim.read_text() == "keep me"
    assert not target.is_symlink() and target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
