"""Small inputs that cost far more than their size: quadratic work is a denial of service.

Each input lints in well under a second when the work is linear in its size; the timeouts are
generous (several times that) but far below what the quadratic behaviour costs today.
"""
from __future__ import annotations

import subprocess

import pytest
from hostile_util import assert_clean, assert_known_bad_linted, run_cli, write_known_bad


def _lint_within(tmp_path, name: str, data: bytes, seconds: float):
    (tmp_path / name).write_bytes(data)
    write_known_bad(tmp_path)
    try:
        run = run_cli(["."], tmp_path, timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{len(data):,} bytes not linted in {seconds} s")
    assert_clean(run)
    assert_known_bad_linted(run)
    return run


def test_many_distinct_services_and_pods(tmp_path):
    parts = []
    for i in range(3000):
        parts.append(f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\n"
                     f"spec: {{selector: {{app: a{i}}}}}\n")
        parts.append(f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, labels: "
                     f"{{app: a{i}}}}}\nspec: {{containers: [{{name: c, image: 'x:1'}}]}}\n")
    _lint_within(tmp_path, "many.yaml", "".join(parts).encode(), 120)


def test_container_with_many_ports_env_and_mounts(tmp_path):
    n = 5000
    lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", "  volumes:"]
    lines += [f"  - {{name: v{i}, emptyDir: {{}}}}" for i in range(n)]
    lines += ["  containers:", "  - name: c", "    image: x:1", "    ports:"]
    lines += [f"    - {{name: p{i}, containerPort: {i + 1}}}" for i in range(n)]
    lines += ["    env:"] + [f"    - {{name: E{i}, value: v}}" for i in range(n)]
    lines += ["    volumeMounts:"]
    lines += [f"    - {{name: v{i}, mountPath: /m{i}, subPathExpr: $(E{i})}}" for i in range(n)]
    lines += ["    readinessProbe: {httpGet: {port: nope}}"]
    run = _lint_within(tmp_path, "wide.yaml", ("\n".join(lines) + "\n").encode(), 60)
    assert "KPL103" in run.rules("wide.yaml")


def test_many_aliased_containers(tmp_path):
    # Small enough that 6,000 aliases stay under the alias-expansion budget (no KPL004).
    container = ("&c {name: c, image: 'x:1', ports: [{containerPort: 80}], "
                 "readinessProbe: {httpGet: {port: 81}}}")
    data = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            f"  x: {container}\n  containers: [" + ", ".join(["*c"] * 6000) + "]\n").encode()
    run = _lint_within(tmp_path, "wide.yaml", data, 6)
    assert run.rules("wide.yaml").count("KPL507") == 5999  # duplicate container names
    assert "KPL004" not in run.rules("wide.yaml")


def test_sub_path_expr_of_unclosed_references(tmp_path):
    data = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            "  volumes: [{name: v, emptyDir: {}}]\n  containers:\n  - name: c\n    image: x:1\n"
            "    volumeMounts: [{name: v, mountPath: /m, subPathExpr: '" + "$(" * 50_000
            + "'}]\n").encode()
    _lint_within(tmp_path, "expr.yaml", data, 5)


def test_suppression_comment_with_a_long_blank_reason(tmp_path):
    data = ("# kprobelint: ignore[KPL204] x" + " \t" * 40_000 + "x\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
            "  containers: [{name: c, image: 'x:latest'}]\n").encode()
    _lint_within(tmp_path, "comment.yaml", data, 5)


def test_suppression_comment_with_many_unclosed_brackets(tmp_path):
    data = ("#kprobelint:ignore[" * 21_000 + "\napiVersion: v1\nkind: ConfigMap\n"
            "metadata: {name: c}\n").encode()
    _lint_within(tmp_path, "comment.yaml", data, 5)
