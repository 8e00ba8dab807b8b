"""``kprobelint timeline`` end to end: output, JSON schema, options, config, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from timelineutil import deployment

from kprobelint.ruleset import SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[1]
SLOW = ROOT / "examples" / "slow-start.yaml"


def run(*args: str, cwd: Path | None = None, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "kprobelint", "timeline", *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, input=stdin,
                          timeout=120)


def validate(document: dict) -> None:
    schema = json.loads((SCHEMA_DIR / "timeline.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)


def test_text_report_of_the_slow_start_example():
    result = run(str(SLOW), "--start-time", "45s")
    assert result.returncode == 1, result.stderr  # a certain failure
    out = result.stdout
    assert out.startswith("Deployment shop/checkout  (")
    assert ("budget     a start of up to 25s survives, one of 35s or more is killed by the "
            "livenessProbe 25s–35s after the container starts") in out
    assert ("with a 45s start the livenessProbe kills container checkout at 25s–35s, before "
            "it is up: CrashLoopBackOff, on every start") in out
    assert "ProgressDeadlineExceeded 10m after it starts" in out
    assert "depends on: start time 45s of container checkout (--start-time)" in out
    # every [n] cited is explained at the end, with its source
    cited = {int(n) for group in __import__("re").findall(r"\[([\d,]+)\]", out)
             for n in group.split(",")}
    for number in cited:
        assert f"  [{number}] " in out
    assert "pkg/kubelet/prober/worker.go" in out


def test_without_a_start_time_nothing_fails():
    result = run(str(SLOW))
    assert result.returncode == 0
    assert "no start time: the application is taken to be up at once" in result.stdout
    assert "0 certain and 0 possible problem(s)" in result.stdout


def test_json_report_validates_and_holds_the_numbers():
    result = run(str(SLOW), "--start-time", "1m30s", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    validate(document)
    [workload] = document["workloads"]
    [container] = workload["containers"]
    assert container["start_time"] == {"seconds": 90, "source": "--start-time"}
    assert container["start_budget"]["survives_up_to"] == 25
    assert container["start_budget"]["killed_from"] == 35
    assert container["outcome"] == "killed"
    assert workload["rollout"]["max_surge"] == {"written": "25%", "pods": 1, "percent": 25,
                                               "rounding": "up", "defaulted": True}
    assert {v["code"] for v in workload["verdicts"]} == {"killed-every-start",
                                                         "progress-deadline-exceeded"}
    ids = {b["id"] for b in document["basis"]}
    for verdict in workload["verdicts"]:
        assert set(verdict["basis"]) <= ids
    assert document["summary"]["verdicts"]["always"] == 2


@pytest.mark.parametrize("value", ["45", "45s", "0.75m", "1m30s", "1h"])
def test_start_time_forms(value):
    result = run(str(SLOW), "--start-time", value, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    seconds = json.loads(result.stdout)["workloads"][0]["containers"][0]["start_time"]["seconds"]
    assert seconds == {"45": 45, "45s": 45, "0.75m": 45, "1m30s": 90, "1h": 3600}[value]


@pytest.mark.parametrize("value", ["-5", "abc", "5x", "1s1m", ""])
def test_bad_start_time_is_a_usage_error(value):
    result = run(str(SLOW), "--start-time", value)
    assert result.returncode == 2
    assert result.stderr.startswith("kprobelint: error: --start-time:")
    assert "Traceback" not in result.stderr


def test_config_start_times_and_their_errors(tmp_path):
    (tmp_path / "app.yaml").write_text(SLOW.read_text())
    config = tmp_path / ".kprobelint.yaml"
    config.write_text("start-times:\n  checkout/checkout: 20s\n")
    result = run("app.yaml", "--format", "json", cwd=tmp_path)
    container = json.loads(result.stdout)["workloads"][0]["containers"][0]
    assert container["start_time"] == {"seconds": 20, "source": "config"}
    assert container["outcome"] == "survives" and result.returncode == 0
    # --start-time wins over the config
    flag = run("app.yaml", "--format", "json", "--start-time", "30s", cwd=tmp_path)
    assert json.loads(flag.stdout)["workloads"][0]["containers"][0]["outcome"] == "depends"
    config.write_text("start-times:\n  checkout: soon\n")
    bad = run("app.yaml", cwd=tmp_path)
    assert bad.returncode == 2
    assert f"{config}:2:3: start-times.checkout: 'soon' is not a duration" in bad.stderr
    config.write_text("start-times: [checkout]\n")
    assert run("app.yaml", cwd=tmp_path).returncode == 2


def test_config_show_prints_start_times(tmp_path):
    (tmp_path / ".kprobelint.yaml").write_text("start-times:\n  app: 2m\n")
    result = subprocess.run([sys.executable, "-m", "kprobelint", "config", "--show"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert json.loads(result.stdout)["start-times"] == {"app": 120.0}


def test_container_option(tmp_path):
    text = deployment("containers:\n  - name: app\n    image: a:1\n"
                      "  - name: cache\n    image: b:1\n    livenessProbe:\n"
                      "      tcpSocket: {port: 6379}\n")
    (tmp_path / "two.yaml").write_text(text)
    result = run("two.yaml", "--container", "cache", "--start-time", "1m", "--format", "json",
                 cwd=tmp_path)
    [workload] = json.loads(result.stdout)["workloads"]
    assert [c["name"] for c in workload["containers"]] == ["cache"]
    assert result.returncode == 1
    none = run("two.yaml", "--container", "nope", cwd=tmp_path)
    assert none.returncode == 0 and none.stdout == "no workload with a Pod template found\n"


def test_kube_version_changes_the_model(tmp_path):
    # postStart sleeps 40 s, which 1.30+ counts before the liveness probe may act (budget 60 s)
    # and 1.29 drops from the manifest (budget 30 s): a 45 s start survives only on 1.30+
    (tmp_path / "s.yaml").write_text(deployment(
        "containers:\n  - name: app\n    image: a:1\n    lifecycle:\n      postStart:\n"
        "        sleep: {seconds: 40}\n    livenessProbe:\n      tcpSocket: {port: 80}\n"))
    new = run("s.yaml", "--start-time", "45s", cwd=tmp_path)
    old = run("s.yaml", "--start-time", "45s", "--kube-version", "1.29", cwd=tmp_path)
    assert new.returncode == 0 and old.returncode == 1
    assert "lifecycle.postStart.sleep is dropped by the API server before 1.30" in old.stdout
    for wrong in ("one", "1.17", "1.99"):
        assert run("s.yaml", "--kube-version", wrong, cwd=tmp_path).returncode == 2


def test_broken_input_is_reported_and_the_rest_timed(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: [\n")
    (tmp_path / "b.yaml").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c.yaml").write_text(SLOW.read_text())
    result = run(".", cwd=tmp_path)
    assert result.returncode == 0
    assert "Deployment shop/checkout" in result.stdout
    assert "a.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_stdin_and_output_file(tmp_path):
    target = tmp_path / "out.json"
    result = run("-", "--format", "json", "-o", str(target), stdin=SLOW.read_text())
    assert result.returncode == 0 and result.stdout == ""
    validate(json.loads(target.read_text()))


def test_usage_errors():
    assert run().returncode == 2
    missing = run("no/such/file.yaml")
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr


def test_readme_timeline_is_what_the_tool_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ kprobelint timeline examples/slow-start.yaml --start-time 45s\n"
    start = readme.index(command) + len(command)
    shown = readme[start:readme.index("```", start)]
    head, _, _ = shown.partition("  …\n")  # the README stops after a few references
    result = run("examples/slow-start.yaml", "--start-time", "45s")
    assert head and result.stdout.startswith(head)


def test_explain_points_probe_and_rollout_rules_at_the_timeline():
    for rule in ("KPL129", "KPL801"):
        result = subprocess.run([sys.executable, "-m", "kprobelint", "explain", rule],
                                capture_output=True, text=True, timeout=60)
        assert "kprobelint timeline" in result.stdout
    image = subprocess.run([sys.executable, "-m", "kprobelint", "explain", "KPL201"],
                           capture_output=True, text=True, timeout=60)
    assert "kprobelint timeline" not in image.stdout
