"""`kprobelint fix`: each fix, nothing but the fix changes, refusals, and convergence."""
from __future__ import annotations

import json

import pytest
from lintutil import fix_file, fix_text, lint_text

from kprobelint.ruleset import builtin_rules

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app   # the app
spec:
  containers:
    - name: app
      image: example/app:1.0
      imagePullPolicy: always  # keep me
      livenessProbe:
        httpGet: {path: /live, port: 8080, scheme: https}
        successThreshold: 2
"""
POD_HEAD = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n"
APP = POD_HEAD + "  containers:\n    - name: app\n      image: example/app:1.0\n"
JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Always
      containers: [{name: m, image: example/m:1}]
"""
POD_FIXED = POD.replace("Policy: always", "Policy: Always").replace(
    "scheme: https", "scheme: HTTPS").replace("successThreshold: 2", "successThreshold: 1")


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]


# --------------------------------------------------------------------------- each fix


def test_safe_fixes_change_only_the_values_and_say_what_they_avert():
    fixed, run = fix_text(POD, unsafe=False)
    assert fixed == POD_FIXED
    assert [(o.finding.rule_id, str(o.finding.fix_plan.change)) for o in run.fixed] == [
        ("KPL206", "always → Always"), ("KPL110", "https → HTTPS"), ("KPL102", "2 → 1")]
    assert all(o.finding.statuses == ("Rejected",) for o in run.fixed)
    assert not run.not_fixed and run.unsafe == 0


def test_quoting_style_of_the_replaced_value_is_kept():
    text = POD.replace("Policy: always", "Policy: 'always'").replace(
        "scheme: https", 'scheme: "https"')
    fixed, _ = fix_text(text, select=("KPL206", "KPL110"))
    assert "imagePullPolicy: 'Always'  # keep me" in fixed
    assert 'scheme: "HTTPS"}' in fixed


def test_one_string_command_in_a_block_list_becomes_three_items_keeping_its_comment():
    text = APP + """\
      readinessProbe:
        exec:
          command:
            # the worker
            - pgrep -f 'worker.py'   # one string
"""
    fixed, run = fix_text(text, select=("KPL112",))
    assert fixed == text.replace("            - pgrep", "            - sh\n"
                                 "            - -c\n            - pgrep")
    assert run.fixed[0].finding.fix_plan.safety == "unsafe"
    unsafe_off, run = fix_text(text, select=("KPL112",), unsafe=False)
    assert unsafe_off == text and run.unsafe == 1


def test_one_string_command_in_a_flow_list_keeps_its_quotes():
    text = POD.replace("      livenessProbe:\n        httpGet: {path: /live, port: 8080, "
                       "scheme: https}\n        successThreshold: 2\n",
                       "      livenessProbe:\n        exec: {command: ['cat /tmp/ok']}\n")
    fixed, _ = fix_text(text, select=("KPL113",))
    assert "exec: {command: [sh, -c, 'cat /tmp/ok']}" in fixed


def test_a_command_of_several_items_is_not_rewritten():
    text = POD.replace("        httpGet: {path: /live, port: 8080, scheme: https}\n",
                       "        exec: {command: [\"pgrep -f\", worker]}\n")
    fixed, run = fix_text(text, select=("KPL113",))
    assert fixed == text
    assert lint_text(text, ("KPL113",))[0].fix_plan is None


def test_prestop_sleep_beyond_the_grace_period_becomes_the_grace_period_minus_one():
    text = POD_HEAD + """\
  terminationGracePeriodSeconds: 20
  containers:
    - name: app
      image: example/app:1.0
      lifecycle:
        preStop: {sleep: {seconds: 45}}
        postStart: {sleep: {seconds: 45}}
"""
    fixed, run = fix_text(text, select=("KPL304",))
    assert "preStop: {sleep: {seconds: 19}}" in fixed
    assert "postStart: {sleep: {seconds: 45}}" in fixed  # no value to guess for postStart
    assert len(run.fixed) == 1


def test_job_restart_policy_always_written_or_defaulted_becomes_on_failure():
    job = JOB
    fixed, _ = fix_text(job, select=("KPL401",))
    assert "restartPolicy: OnFailure\n" in fixed
    defaulted = job.replace("      restartPolicy: Always\n", "      # the pod\n")
    fixed, run = fix_text(defaulted, select=("KPL401",))
    assert fixed == defaulted.replace("    spec:\n", "    spec:\n      restartPolicy: OnFailure\n")
    assert str(run.fixed[0].finding.fix_plan.change) == "add restartPolicy: OnFailure"
    flow = defaulted.replace("      # the pod\n      containers: [{name: m, image: example/m:1}]",
                             "      {containers: [{name: m, image: example/m:1}]}")
    assert "spec:\n      {restartPolicy: OnFailure, containers: [" in fix_text(flow)[0]
    never = job.replace("Always", "Never")
    assert fix_text(never, select=("KPL401",))[0] == never
    deployment = job.replace("batch/v1", "apps/v1").replace("Job", "Deployment").replace(
        "Always", "Never")
    assert lint_text(deployment, ("KPL401",))[0].fix_plan is None


# --------------------------------------------------------------------------- the rule files


FIXABLE = [r for r in builtin_rules() if r.autofix]


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.id)
def test_every_fixable_rule_shows_a_fixed_example_that_fix_produces_and_that_passes(rule):
    examples = [e for e in rule.failing if e.fixed]
    assert examples, f"{rule.id} declares autofix but no failing example shows `fixed:`"
    for example in examples:
        select = (rule.id, *example.also_select)
        fixed, _ = fix_text(example.yaml, select, kube_version=example.kube_version)
        assert fixed == example.fixed
        assert not [f for f in lint_text(fixed, select, example.kube_version)
                    if f.rule_id == rule.id]


@pytest.mark.parametrize("rule", [r for r in builtin_rules() if r.failing],
                         ids=lambda r: r.id)
def test_only_rules_that_declare_autofix_produce_fixes(rule):
    for example in rule.failing:
        findings = lint_text(example.yaml, (rule.id, *example.also_select),
                             example.kube_version)
        if rule.autofix is None:
            assert all(f.fix is None and f.fix_plan is None for f in findings)
        if example.fixed is None and rule.autofix is not None:
            assert fix_text(example.yaml, (rule.id, *example.also_select),
                            kube_version=example.kube_version)[0] == example.yaml


# --------------------------------------------------------------------------- nothing else changes


def test_crlf_line_endings_stay_crlf_also_in_inserted_lines(tmp_path):
    text = POD.replace("        successThreshold: 2\n", "        exec:\n          command:\n"
                       "            - cat /tmp/ready\n").replace(
        "        httpGet: {path: /live, port: 8080, scheme: https}\n", "")
    path = tmp_path / "pod.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    fix_file(path)
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"imagePullPolicy: Always  # keep me\r\n" in data
    assert b"            - sh\r\n            - -c\r\n            - cat /tmp/ready\r\n" in data


@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                          ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")])
def test_encoding_and_byte_order_mark_are_kept(tmp_path, encoding, bom):
    path = tmp_path / "pod.yaml"
    path.write_bytes(bom + (POD + "  # trailing  \n").encode(encoding))
    run = fix_file(path)
    assert len(run.fixed) == 3
    assert path.read_bytes() == bom + (POD_FIXED + "  # trailing  \n").encode(encoding)


def test_comments_blank_lines_markers_and_flow_style_stay_byte_for_byte(tmp_path):
    text = ("# leading comment\n---\n" + POD.replace("spec:\n", "spec:   \n\n  # c\n")
            + "...\n---\n# second\n{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n")
    path = tmp_path / "pods.yaml"
    path.write_text(text)
    fix_file(path)
    after = path.read_text()
    assert changed_lines(text, after) == [
        ("      imagePullPolicy: always  # keep me", "      imagePullPolicy: Always  # keep me"),
        ("        httpGet: {path: /live, port: 8080, scheme: https}",
         "        httpGet: {path: /live, port: 8080, scheme: HTTPS}"),
        ("        successThreshold: 2", "        successThreshold: 1")]
    assert len(after.splitlines()) == len(text.splitlines())


def test_json_stays_valid_json_with_json_strings(tmp_path):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"},
           "spec": {"containers": [{"name": "app", "image": "example/app:1.0",
                                    "imagePullPolicy": "always",
                                    "readinessProbe": {"exec": {"command": ["cat /ok"]}}}]}}
    path = tmp_path / "pod.json"
    text = json.dumps(pod, indent=4) + "\n"
    path.write_text(text)
    run = fix_file(path)
    assert len(run.fixed) == 2
    after = path.read_text()
    assert json.loads(after)["spec"]["containers"][0]["readinessProbe"]["exec"]["command"] == [
        "sh", "-c", "cat /ok"]
    assert '"sh", "-c", "cat /ok"' in after and '"imagePullPolicy": "Always"' in after
    assert len(changed_lines(text, after)) == 2


def test_multi_document_file_and_list_items(tmp_path):
    listed = ("apiVersion: v1\nkind: List\nitems:\n"
              + "".join("  - " + line + "\n" if i == 0 else "    " + line + "\n"
                        for i, line in enumerate(POD.splitlines())))
    path = tmp_path / "all.yaml"
    path.write_text(POD + "---\n" + listed)
    run = fix_file(path, select=("KPL206",))
    assert [o.finding.span.line for o in run.fixed] == [9, 25]
    assert path.read_text().count("imagePullPolicy: Always") == 2


def test_every_piece_of_a_big_file_is_fixed_at_its_place(tmp_path):
    # The loader reads a file a piece at a time (a few hundred KiB, a document alone after a
    # YAML error, a too-large one skipped): each document's offsets in the file's text put the
    # edits at their place, whichever piece it was read in, past non-ASCII text.
    from kprobelint.load import MAX_DOCUMENT_BYTES, PIECE_BYTES

    pods = [POD.replace("name: app   # the app", f"name: p{i}   # é€😀")
            .replace("Policy: always", "Policy: always" if i % 700 == 3 else "Policy: Always")
            for i in range(2500)]
    pods[1000] = "broken: [\n"
    pods[2000] = "data: '" + "é" * MAX_DOCUMENT_BYTES + "'\n"
    text = "---\n".join(pods)
    assert len(text.encode()) > 2 * PIECE_BYTES + MAX_DOCUMENT_BYTES
    path = tmp_path / "big.yaml"
    path.write_text(text)
    run = fix_file(path, select=("KPL206",))
    lines = text.split("\n")
    assert [o.finding.span.line for o in run.fixed] == [
        number for number, line in enumerate(lines, 1) if "Policy: always" in line]
    assert len(run.fixed) == 4
    assert not run.not_fixed
    assert path.read_text() == text.replace("Policy: always", "Policy: Always")
    for outcome in run.fixed:  # each edit is at the finding's place in the file
        [edit] = outcome.finding.fix_plan.edits
        assert edit.span == outcome.finding.span
        assert text[edit.start:edit.end] == "always"


def test_json_with_escaped_surrogate_pairs_is_fixed_in_place():
    # Python's json.dumps writes non-BMP characters as escaped surrogate pairs: positions after
    # them are exact, so the fix is made there.
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app", "labels": {"a": "😀"}},
           "spec": {"containers": [{"name": "app", "image": "example/app:1.0",
                                    "imagePullPolicy": "always"}]}}
    text = json.dumps(pod)
    assert "\\ud83d\\ude00" in text
    fixed, run = fix_text(text, select=("KPL206",))
    assert fixed == text.replace('"always"', '"Always"')
    [outcome] = run.fixed
    assert text[outcome.finding.span.column - 1:].startswith('"always"')


# --------------------------------------------------------------------------- refusals


def test_a_value_shared_through_an_anchor_is_refused_and_the_file_left_alone(tmp_path):
    text = APP + """\
      imagePullPolicy: &policy always
    - name: sidecar
      image: example/sidecar:1.0
      imagePullPolicy: *policy
"""
    path = tmp_path / "pod.yaml"
    path.write_text(text)
    run = fix_file(path)
    assert path.read_text() == text
    assert not run.fixed and len(run.not_fixed) == 2
    assert all("shared through the YAML anchor &policy" in str(o.reason) for o in run.not_fixed)


def test_a_value_reached_through_a_merge_key_is_refused():
    text = POD_HEAD + """\
  containers:
    - &base {name: app, image: example/app:1.0, imagePullPolicy: always}
    - <<: *base
      name: other
"""
    fixed, run = fix_text(text, select=("KPL206",))
    assert fixed == text
    assert {str(o.reason).split(",")[0] for o in run.not_fixed} == {
        "the value is shared through the YAML anchor &base"}


def test_an_anchored_value_without_aliases_is_fixed_and_keeps_its_anchor():
    fixed, run = fix_text(POD.replace("Policy: always", "Policy: &p always"), ("KPL206",))
    assert "imagePullPolicy: &p Always  # keep me" in fixed


def test_an_explicitly_tagged_value_is_refused():
    fixed, run = fix_text(POD.replace("Policy: always", "Policy: !!str always"), ("KPL206",))
    assert "!!str always" in fixed
    assert "explicit YAML tag (!!str)" in str(run.not_fixed[0].reason)


HELM = """\
---
# Source: mychart/templates/deployment.yaml
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: example/app:1.0
      imagePullPolicy: always
"""


def test_helm_output_is_never_rewritten_and_the_message_names_the_template(tmp_path):
    path = tmp_path / "rendered.yaml"
    path.write_text(HELM)
    run = fix_file(path, select=("KPL206",))
    assert path.read_text() == HELM
    [outcome] = run.not_fixed
    assert "is Helm output, generated from mychart/templates/deployment.yaml" in str(outcome.reason)
    assert str(outcome.finding.fix_plan.change) == "always → Always"


def test_helm_output_with_chart_dir_names_the_template_file_and_line(tmp_path):
    chart = tmp_path / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 0.1.0\n")
    (chart / "templates" / "deployment.yaml").write_text(
        HELM.split("\n", 2)[2].replace("always", "{{ .Values.pullPolicy }}"))
    path = tmp_path / "rendered.yaml"
    path.write_text(HELM)
    run = fix_file(path, select=("KPL206",), chart_dir=str(chart))
    assert f"{chart}/templates/deployment.yaml:8" in str(run.not_fixed[0].reason)


# --------------------------------------------------------------------------- files


def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path):
    from kprobelint.autofix.run import run_fixes, write_changes
    from kprobelint.engine import Selection
    from kprobelint.runner import Options, lint

    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    options = Options([str(path)], Selection(("KPL206",)), fix=True)
    findings = lint(options).findings
    path.write_text(POD + "# edited meanwhile\n")  # an editor saves between lint and write
    run = run_fixes(findings, unsafe=False, relint=lambda texts: [])
    write_changes(run)
    assert path.read_text() == POD + "# edited meanwhile\n"
    assert "changed since it was read" in str(run.not_fixed[0].reason)


def test_a_file_changed_between_fixing_and_replacing_is_not_overwritten(tmp_path):
    from kprobelint.autofix.apply import digest
    from kprobelint.autofix.write import replace_file

    path = tmp_path / "pod.yaml"
    path.write_text("new content\n")
    reason = replace_file(str(path), b"fixed\n", digest(b"old content\n"))
    assert "changed since it was read" in str(reason)
    assert path.read_text() == "new content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"]  # no temporary file left


def test_permissions_are_kept_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    path.chmod(0o640)
    fix_file(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"]


def test_a_symbolic_link_is_not_followed_to_write_elsewhere(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text(POD)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    run = fix_file(link)
    assert target.read_text() == POD and link.is_symlink()
    assert all("is a symbolic link" in str(o.reason) for o in run.not_fixed)


# --------------------------------------------------------------------------- convergence


def test_fix_is_idempotent_and_check_afterwards_reports_nothing_fixed_and_nothing_new():
    text = POD.replace("        successThreshold: 2\n", "        successThreshold: 2\n"
                       "      readinessProbe:\n        exec: {command: [\"cat /ok\"]}\n")
    before = lint_text(text)
    fixed, run = fix_text(text)
    again, second = fix_text(fixed)
    assert again == fixed and not second.fixed and not second.not_fixed
    after = lint_text(fixed)

    def key(f):
        return (f.rule_id, f.field)

    assert {key(o.finding) for o in run.fixed}.isdisjoint({key(f) for f in after})
    assert {key(f) for f in after} <= {key(f) for f in before}


def test_overlapping_fixes_are_applied_in_later_rounds():
    # Two rules asking for the same edit are one fix; a fix whose text another fix changes
    # waits for the next round, which lints the fixed text again.
    from kprobelint.autofix.apply import _without_overlaps
    from kprobelint.autofix.plan import Edit, FixPlan
    from kprobelint.findings import Finding, Fix, Span

    def finding(rule, start, end, text):
        plan = FixPlan("safe", "x", (Edit(start, end, text, Span(1, 1, 1, 1)),))
        return Finding(rule, rule, "error", "f", Span(1, 1, 1, 1), "m",
                       fix=Fix("replace-value", ("a",), text), fix_plan=plan)

    same = [finding("KPL1", 5, 8, "X"), finding("KPL2", 5, 8, "X")]
    assert _without_overlaps(same) == (same, [])
    overlapping = [finding("KPL1", 5, 8, "X"), finding("KPL2", 6, 9, "Y"),
                   finding("KPL3", 9, 9, "Z")]
    chosen, waiting = _without_overlaps(overlapping)
    assert [f.rule_id for f in chosen] == ["KPL1", "KPL3"]
    assert [f.rule_id for f in waiting] == ["KPL2"]


def test_suppressed_findings_are_not_fixed():
    text = POD.replace("# keep me", "# kprobelint: ignore[KPL206] side-loaded")
    fixed, run = fix_text(text, select=("KPL206",))
    assert fixed == text and not run.fixed and not run.not_fixed


# --------------------------------------------------------------------------- schema findings


def test_the_schema_fixes_of_issue_8(tmp_path):
    from conftest import ROOT

    text = (ROOT / "tests" / "data" / "schema-issue8.yaml").read_text()
    fixed, run = fix_text(text, unsafe=False)
    assert changed_lines(text, fixed) == [
        ('        - containerPort: "8080"        # string where int32 belongs',
         "        - containerPort: 8080        # string where int32 belongs"),
        ('          periodSeconds: "10"', "          periodSeconds: 10"),
        ("        - {name: DEBUG, value: yes}", '        - {name: DEBUG, value: "yes"}'),
        ("        - {name: MODE, value: 0644}", '        - {name: MODE, value: "0644"}'),
        ("        - {name: V, value: 1.10}", '        - {name: V, value: "1.10"}'),
        ("        - {name: P, value: 8080}", '        - {name: P, value: "8080"}'),
        ("        configMap: {name: x, defaultMode: 644}",
         "        configMap: {name: x, defaultMode: 0644}")]
    assert run.unsafe == 2  # the two misspelled fields
    renamed, _ = fix_text(text)
    assert changed_lines(fixed, renamed) == [
        ("        livenessprobe:                 # misspelled",
         "        livenessProbe:                 # misspelled"),
        ("          initialDelaySecond: 5", "          initialDelaySeconds: 5")]


def test_rounds_fix_what_an_earlier_fix_reveals():
    text = APP + """\
      livenessprobe:
        httpGet: {path: /, port: 8080}
        successThreshold: 3
      startupProbe:
        httpGet: {path: /, port: 8080}
        successThreshold: "2"
"""
    fixed, run = fix_text(text)
    assert [(o.finding.rule_id, o.round) for o in run.fixed] == [
        ("KPL703", 1), ("KPL701", 1), ("KPL102", 2), ("KPL102", 2)]
    assert fixed == text.replace("livenessprobe", "livenessProbe").replace(
        "successThreshold: 3", "successThreshold: 1").replace('"2"', "1")


def test_a_rename_into_a_key_the_mapping_has_is_refused():
    text = APP + "      imagepullpolicy: Always\n      imagePullPolicy: Never\n"
    fixed, run = fix_text(text, select=("KPL703",))
    assert fixed == text
    assert "already has `imagePullPolicy`" in str(run.not_fixed[0].reason)
