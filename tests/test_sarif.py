"""SARIF output: the official schema, GitHub's stricter subset, and byte-stable output."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kprobelint.findings import Finding, HelmSource, ObjectRef, Span
from kprobelint.report.sarif import render_sarif
from kprobelint.ruleset import Example, Rule

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
VERSION = "0.1.0"


# --------------------------------------------------------------------------- builders


def make_rule(rule_id: str = "KPL101", severity: str = "error", **overrides: Any) -> Rule:
    fields: dict[str, Any] = dict(
        id=rule_id,
        name=f"rule-{rule_id.lower()}",
        severity=severity,
        statuses=("CrashLoopBackOff", "Unhealthy"),
        summary=f"Summary of {rule_id}.",
        why=f"Why {rule_id} matters.",
        fix=f"How to fix {rule_id}.",
        area="probes",
        failing=(Example("apiVersion: v1\nkind: Pod\n"),),
    )
    fields.update(overrides)
    return Rule(**fields)


def make_finding(file: str, rule: Rule | None = None, line: int = 3, **overrides: Any) -> Finding:
    rule = rule or make_rule()
    fields: dict[str, Any] = dict(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        file=file,
        span=Span(line, 5, line, 12),
        message="Liveness probe port 8081 is not declared",
        statuses=rule.statuses,
        object=ObjectRef("Deployment", "web", "default"),
        container="app",
        field="spec.template.spec.containers[0].livenessProbe.httpGet.port",
    )
    fields.update(overrides)
    return Finding(**fields)


def render(findings: list[Finding], rules: list[Rule], root: Path) -> dict[str, Any]:
    return json.loads(render_sarif(findings, rules, root=root, version=VERSION))


def rich_case(root: Path) -> tuple[list[Finding], list[Rule]]:
    """Findings covering every branch: plain, Helm, stdin, no object, unknown rule."""
    error_rule = make_rule("KPL101", "error")
    warn_rule = make_rule("KPL205", "warning", area="resources", statuses=())
    note_rule = make_rule("KPL300", "note", failing=())
    web = str(root / "manifests" / "web.yaml")
    findings = [
        make_finding(web, error_rule, line=17),
        make_finding(web, warn_rule, line=4, container=None),
        make_finding(str(root / "charts" / "out.yaml"), note_rule,
                     source=HelmSource("mychart/templates/deployment.yaml", 12)),
        make_finding("-", error_rule, line=1),
        make_finding(web, error_rule, rule_id="parse-error", rule_name="parse-error",
                     object=None, container=None, field=None, statuses=(), line=0),
    ]
    return findings, [note_rule, error_rule, warn_rule]


def results_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def rules_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["tool"]["driver"]["rules"]


# --------------------------------------------------------------------------- (1) schema


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("case", ["rich", "empty"])
def test_valid_against_official_schema(sarif_validator: Any, tmp_path: Path, case: str) -> None:
    findings, rules = rich_case(tmp_path) if case == "rich" else ([], [make_rule()])
    log = render(findings, rules, tmp_path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []


def test_schema_validator_catches_a_broken_log(sarif_validator: Any, tmp_path: Path) -> None:
    # Guards the schema test itself: a 0-based line must be reported.
    log = render(*rich_case(tmp_path), tmp_path)
    results_of(log)[0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not sarif_validator.is_valid(log)


# --------------------------------------------------------------------------- (2) GitHub subset


def assert_github_subset(log: dict[str, Any]) -> None:
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert isinstance(run["results"], list)
    assert run["invocations"] == [{"executionSuccessful": True}]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kprobelint"
    assert driver["version"] == driver["semanticVersion"] == VERSION
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted(set(rule_ids)), "rules must be unique and sorted by id"
    for rule in driver["rules"]:
        assert 0 < len(rule.get("name", "")) <= 255
        for key in ("shortDescription", "fullDescription", "help"):
            assert 0 < len(rule[key]["text"]) <= 1024, (rule["id"], key)
        tags = rule.get("properties", {}).get("tags", [])
        assert len(tags) == len(set(tags)) <= 20
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert "primaryLocationLineHash" not in result.get("partialFingerprints", {})
        for loc in result["locations"] + result.get("relatedLocations", []):
            physical = loc["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            assert uri and not uri.startswith("./") and "\\" not in uri
            if not uri.startswith("file://"):
                assert not uri.startswith("/"), uri
            region = physical.get("region")
            if region:
                assert region["startLine"] >= 1
                assert region.get("startColumn", 1) >= 1
        assert "id" not in result["locations"][0]


def test_github_subset_rich(tmp_path: Path) -> None:
    log = render(*rich_case(tmp_path), tmp_path)
    assert len(results_of(log)) == 5
    assert_github_subset(log)


def test_github_subset_no_findings_keeps_results(tmp_path: Path) -> None:
    text = render_sarif([], [make_rule()], root=tmp_path, version=VERSION)
    log = json.loads(text)
    assert '"results": []' in text
    assert results_of(log) == []
    assert [r["id"] for r in rules_of(log)] == ["KPL101"]
    assert_github_subset(log)


def test_no_negative_sentinels_anywhere(tmp_path: Path) -> None:
    # sarif_om defaults location.id, ruleIndex, index, byteOffset... to -1; none may leak.
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert not (isinstance(value, (int, float)) and not isinstance(value, bool)
                        and value < 0), value

    log = render(*rich_case(tmp_path), tmp_path)
    walk(log)
    assert '"language"' not in json.dumps(log)  # sarif_om's "en-US" default is noise


def test_relative_uri_is_posix_percent_encoded_and_resolves_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "my manifests" / "web app.yaml"
    real.parent.mkdir()
    real.write_text("kind: Pod\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    log = render([make_finding(str(link))], [make_rule()], tmp_path)
    uri = results_of(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20manifests/web%20app.yaml"


def test_relative_file_name_is_resolved_from_cwd(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "k8s").mkdir()
    monkeypatch.chdir(tmp_path / "k8s")
    log = render([make_finding("./pod.yaml")], [make_rule()], tmp_path)
    uri = results_of(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "k8s/pod.yaml"


# --------------------------------------------------------------------------- (3) level


def test_warning_level_survives_on_error_default_rule(tmp_path: Path) -> None:
    rule = make_rule("KPL101", "error")
    finding = make_finding(str(tmp_path / "a.yaml"), rule, severity="warning")
    log = render([finding], [rule], tmp_path)
    assert rules_of(log)[0]["defaultConfiguration"]["level"] == "error"
    assert results_of(log)[0]["level"] == "warning"


def test_warning_default_level_is_emitted(tmp_path: Path) -> None:
    # "warning" is sarif_om's default for ReportingConfiguration.level; it must still appear.
    rule = make_rule("KPL205", "warning")
    log = render([make_finding(str(tmp_path / "a.yaml"), rule)], [rule], tmp_path)
    assert rules_of(log)[0]["defaultConfiguration"] == {"level": "warning"}
    assert results_of(log)[0]["level"] == "warning"


# --------------------------------------------------------------------------- (4) determinism


def test_deterministic_and_order_independent(tmp_path: Path) -> None:
    findings, rules = rich_case(tmp_path)
    first = render_sarif(findings, rules, root=tmp_path, version=VERSION)
    assert render_sarif(findings, rules, root=tmp_path, version=VERSION) == first
    rng = random.Random(1234)
    for _ in range(10):
        shuffled_findings, shuffled_rules = findings[:], rules[:]
        rng.shuffle(shuffled_findings)
        rng.shuffle(shuffled_rules)
        assert render_sarif(shuffled_findings, shuffled_rules,
                            root=tmp_path, version=VERSION) == first
    assert first.endswith("}\n")


def test_output_does_not_depend_on_root_location(tmp_path: Path) -> None:
    # Same tree in two places renders identically: no absolute path leaks into the log.
    a, b = tmp_path / "a", tmp_path / "b"
    outputs = [render_sarif(*rich_case(root), root=root, version=VERSION) for root in (a, b)]
    assert outputs[0] == outputs[1]
    assert str(tmp_path) not in outputs[0]


def test_results_sorted_by_uri_line_column_rule(tmp_path: Path) -> None:
    rules = [make_rule("KPL101"), make_rule("KPL102")]
    f = str(tmp_path / "b.yaml")
    findings = [
        make_finding(f, rules[1], line=9),
        make_finding(f, rules[0], line=9),
        make_finding(f, rules[0], line=2),
        make_finding(str(tmp_path / "a.yaml"), rules[1], line=50),
    ]
    results = results_of(render(findings, rules, tmp_path))
    order = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
             for r in results]
    assert order == [("a.yaml", 50, "KPL102"), ("b.yaml", 2, "KPL101"),
                     ("b.yaml", 9, "KPL101"), ("b.yaml", 9, "KPL102")]


# --------------------------------------------------------------------------- (5) stdin, Helm


def test_stdin_uri(tmp_path: Path) -> None:
    log = render([make_finding("-")], [make_rule()], tmp_path)
    location = results_of(log)[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "stdin"


def test_helm_source_related_location(tmp_path: Path) -> None:
    finding = make_finding(str(tmp_path / "rendered.yaml"),
                           source=HelmSource("mychart\\templates\\deploy.yaml", 12))
    result = results_of(render([finding], [make_rule()], tmp_path))[0]
    assert result["relatedLocations"] == [{
        "id": 1,
        "message": {"text": "Helm template"},
        "physicalLocation": {
            "artifactLocation": {"uri": "mychart/templates/deploy.yaml"},
            "region": {"startLine": 12},
        },
    }]
    # The primary location stays the rendered file.
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "rendered.yaml"


def test_helm_source_without_line_has_no_region(tmp_path: Path) -> None:
    finding = make_finding("-", source=HelmSource("chart/templates/pod.yaml"))
    related = results_of(render([finding], [make_rule()], tmp_path))[0]["relatedLocations"]
    assert "region" not in related[0]["physicalLocation"]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "chart/templates/pod.yaml"


# --------------------------------------------------------------------------- (6) outside root


def test_file_outside_root_gets_file_uri(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "elsewhere" / "pod.yaml"
    log = render([make_finding(str(outside))], [make_rule()], root)
    uri = results_of(log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == Path(os.path.realpath(outside)).as_uri()
    assert uri.startswith("file:///")


# --------------------------------------------------------------------------- content details


def test_rule_descriptor_content(tmp_path: Path) -> None:
    rule = make_rule("KPL101", "note", statuses=("CrashLoopBackOff", "kubernetes", "Unhealthy"))
    descriptor = rules_of(render([], [rule], tmp_path))[0]
    assert descriptor["name"] == "RuleKpl101"  # the friendly name, in Pascal case
    assert descriptor["shortDescription"] == {"text": "Summary of KPL101."}
    assert descriptor["fullDescription"] == {"text": "Why KPL101 matters."}
    assert descriptor["help"]["text"] == "Why KPL101 matters.\n\nHow to fix KPL101."
    markdown = descriptor["help"]["markdown"]
    assert "**Why**" in markdown and "**Fix**" in markdown
    assert "```yaml\napiVersion: v1\nkind: Pod\n```" in markdown
    assert descriptor["helpUri"] == rule.help_uri
    assert descriptor["properties"] == {
        "tags": ["kubernetes", "probes", "CrashLoopBackOff", "Unhealthy"],
        "precision": "very-high",
        "problem.severity": "recommendation",
        "certainty": "certain",
    }


def test_certainty_is_a_property_of_rules_and_results(tmp_path: Path) -> None:
    rule = make_rule("KPL126", "note", certainty="conditional",
                     condition="the application stalls under load")
    finding = make_finding(str(tmp_path / "a.yaml"), rule, certainty="conditional",
                           condition="the application stalls under load")
    log = render([finding], [rule], tmp_path)
    descriptor = rules_of(log)[0]
    assert descriptor["properties"]["certainty"] == "conditional"
    assert descriptor["properties"]["condition"] == "the application stalls under load"
    assert descriptor["properties"]["precision"] == "high"
    result = results_of(log)[0]
    assert result["properties"] == {"statuses": ["CrashLoopBackOff", "Unhealthy"],
                                    "certainty": "conditional",
                                    "condition": "the application stalls under load"}
    assert result["message"]["text"].endswith(
        " May lead to: CrashLoopBackOff, Unhealthy, only if the application stalls under load.")
    certain = results_of(render([make_finding(str(tmp_path / "a.yaml"))], [make_rule()],
                                tmp_path))[0]
    assert certain["properties"] == {"statuses": ["CrashLoopBackOff", "Unhealthy"],
                                     "certainty": "certain"}


def test_long_texts_and_many_tags_are_cut_to_github_limits(tmp_path: Path) -> None:
    rule = make_rule(summary="word " * 400, why="x" * 5000, name="n" * 300,
                     statuses=tuple(f"Status{i}" for i in range(30)))
    descriptor = rules_of(render([], [rule], tmp_path))[0]
    assert len(descriptor["shortDescription"]["text"]) <= 1024
    assert descriptor["shortDescription"]["text"].endswith("word…")
    assert len(descriptor["fullDescription"]["text"]) == 1024
    assert len(descriptor["name"]) <= 255
    assert len(descriptor["properties"]["tags"]) == 20


def test_markdown_fence_outlasts_backticks_in_example(tmp_path: Path) -> None:
    rule = make_rule(failing=(Example("command: ['sh', '-c', '```']\n"),))
    markdown = rules_of(render([], [rule], tmp_path))[0]["help"]["markdown"]
    assert "````yaml\ncommand: ['sh', '-c', '```']\n````" in markdown


def test_unknown_rule_gets_a_synthesized_descriptor(tmp_path: Path) -> None:
    finding = make_finding(str(tmp_path / "a.yaml"), rule_id="parse-error",
                           rule_name="parse-error", object=None, container=None)
    log = render([finding], [make_rule("KPL101")], tmp_path)
    assert [r["id"] for r in rules_of(log)] == ["KPL101", "parse-error"]
    synthesized = rules_of(log)[1]
    assert synthesized["name"] == "ParseError"
    assert synthesized["shortDescription"] == {"text": "parse-error"}
    assert results_of(log)[0]["ruleIndex"] == 1


def test_duplicate_rules_are_emitted_once(tmp_path: Path) -> None:
    rule = make_rule()
    log = render([make_finding(str(tmp_path / "a.yaml"), rule)], [rule, rule], tmp_path)
    assert [r["id"] for r in rules_of(log)] == ["KPL101"]


def test_message_location_and_fingerprint(tmp_path: Path) -> None:
    log = render([make_finding(str(tmp_path / "a.yaml"))], [make_rule()], tmp_path)
    result = results_of(log)[0]
    assert result["message"]["text"] == (
        "Liveness probe port 8081 is not declared (Deployment default/web, container app)"
        " Leads to: CrashLoopBackOff, Unhealthy."
    )
    location = result["locations"][0]
    assert location["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 12}
    assert location["logicalLocations"] == [{
        "fullyQualifiedName": "Deployment/default/web/app", "kind": "object", "name": "app"}]
    assert result["partialFingerprints"] == {
        "kprobelint/v1": "KPL101|Deployment/default/web|app|"
                         "spec.template.spec.containers[0].livenessProbe.httpGet.port"}


def test_object_without_namespace_or_container(tmp_path: Path) -> None:
    finding = make_finding(str(tmp_path / "a.yaml"), object=ObjectRef("Pod", "solo"),
                           container=None, field=None, statuses=())
    result = results_of(render([finding], [make_rule()], tmp_path))[0]
    assert result["message"]["text"] == "Liveness probe port 8081 is not declared (Pod solo)"
    assert result["locations"][0]["logicalLocations"][0] == {
        "fullyQualifiedName": "Pod//solo", "kind": "object", "name": "solo"}
    assert result["partialFingerprints"]["kprobelint/v1"] == "KPL101|Pod//solo||"


def test_zero_positions_are_clamped(tmp_path: Path) -> None:
    finding = make_finding(str(tmp_path / "a.yaml"), span=Span(0, 0, 0, 0))
    region = results_of(render([finding], [make_rule()], tmp_path))[0][
        "locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def test_non_ascii_is_written_as_is(tmp_path: Path) -> None:
    text = render_sarif([make_finding(str(tmp_path / "a.yaml"), message="Port «http» ✗")],
                        [make_rule()], root=tmp_path, version=VERSION)
    assert "Port «http» ✗" in text


def test_importing_the_module_does_not_import_sarif_om() -> None:
    code = ("import sys, kprobelint.report.sarif\n"
            "assert 'sarif_om' not in sys.modules, 'sarif_om imported eagerly'\n")
    subprocess.run([sys.executable, "-c", code], check=True,
                   cwd=Path(__file__).resolve().parents[1])


def test_regions_carry_their_text_and_context(tmp_path):
    """SARIF best practices (SARIF2010, SARIF2011): a snippet of exactly the region, and the
    lines around it, so a consumer shows the code without the file."""
    pod = tmp_path / "pod.yaml"
    pod.write_text("a: 1\nb: 2\nimage: ghcr.io/Acme/app:1\nc: 3\nd: 4\ne: 5\n")
    log = render([make_finding(str(pod), span=Span(3, 8, 3, 26))], [make_rule()], tmp_path)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["region"]["snippet"] == {"text": "ghcr.io/Acme/app:1"}
    assert location["contextRegion"] == {"startLine": 1, "endLine": 5, "snippet": {
        "text": "a: 1\nb: 2\nimage: ghcr.io/Acme/app:1\nc: 3\nd: 4\n"}}
    missing = render([make_finding(str(tmp_path / "gone.yaml"))], [make_rule()], tmp_path)
    region = missing["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert "snippet" not in region  # never an empty snippet (kube-score #698)


def test_a_result_says_its_own_statuses_when_fewer_than_its_rules(tmp_path: Path) -> None:
    # A StatefulSet's refused pod template: FailedCreate, where the rule may also say Rejected.
    rule = make_rule("KPL506", "error", statuses=("Rejected", "FailedCreate"))
    finding = make_finding(str(tmp_path / "a.yaml"), rule, statuses=("FailedCreate",))
    log = render([finding], [rule], tmp_path)
    assert results_of(log)[0]["properties"]["statuses"] == ["FailedCreate"]
    assert "Rejected" in rules_of(log)[0]["properties"]["tags"]
