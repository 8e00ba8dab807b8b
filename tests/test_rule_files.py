"""The rule catalogue itself: schema-valid files, known checks and statuses, unique ids."""
from __future__ import annotations

import re

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


def test_duplicate_rule_ids_are_refused(tmp_path):
    source = next(p for p in RULE_FILES if p.name == "image-pull-policy-never.yaml")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.yaml").write_text(source.read_text())
    (tmp_path / "b" / "two.yaml").write_text(source.read_text())
    with pytest.raises(UsageError, match="already used"):
        load_rules(tmp_path)


def test_rule_cache_round_trips_and_follows_edits(tmp_path, monkeypatch):
    from kprobelint import ruleset

    monkeypatch.setenv("KPROBELINT_CACHE_DIR", str(tmp_path / "cache"))
    ruleset.builtin_rules.cache_clear()
    try:
        first = ruleset.builtin_rules()
        [cached] = list((tmp_path / "cache").glob("rules-*.pickle"))
        ruleset.builtin_rules.cache_clear()
        assert ruleset.builtin_rules() == first  # now read from the pickle
        cached.write_bytes(b"not a pickle")
        ruleset.builtin_rules.cache_clear()
        assert ruleset.builtin_rules() == first  # a broken cache is ignored and rewritten
    finally:
        ruleset.builtin_rules.cache_clear()
