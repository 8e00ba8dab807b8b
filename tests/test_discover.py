"""Which files are linted: walking, sorting, extensions, hidden entries, excludes, links."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kprobelint.discover import STDIN, Target, discover, is_chart_template


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: ConfigMap\n")


def rel(root: Path, targets: list[Target]) -> list[str]:
    return [Path(t.path).relative_to(root).as_posix() for t in targets]


def test_recursion_sorting_and_extensions(tmp_path):
    touch(tmp_path, "b.yaml", "a.yml", "c.json", "z/deep/x.yaml", "m/y.YAML", "notes.txt",
          "README.md", "k.yaml.bak", "sub/a.yaml", "sub/0.yaml", "Chart.lock")
    targets = discover([str(tmp_path)])
    assert rel(tmp_path, targets) == [
        "a.yml", "b.yaml", "c.json", "sub/0.yaml", "sub/a.yaml", "z/deep/x.yaml",
    ]
    assert all(t.problem is None for t in targets)
    # stable: the same answer twice
    assert discover([str(tmp_path)]) == targets


def test_arguments_keep_their_order_and_files_are_listed_once(tmp_path):
    touch(tmp_path, "a/1.yaml", "b/2.yaml")
    targets = discover([str(tmp_path / "b"), str(tmp_path / "a"), str(tmp_path / "b" / "2.yaml")])
    assert rel(tmp_path, targets) == ["b/2.yaml", "a/1.yaml"]


def test_explicit_file_of_any_extension_is_included(tmp_path):
    touch(tmp_path, "manifest.txt", "other.yaml")
    targets = discover([str(tmp_path / "manifest.txt")])
    assert [t.path for t in targets] == [str(tmp_path / "manifest.txt")]
    assert targets[0].problem is None


def test_missing_path_and_stdin(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    targets = discover([STDIN, missing])
    assert targets[0] == Target(STDIN)
    assert targets[1].path == missing
    assert targets[1].problem == "no such file or directory"


def test_hidden_entries_are_skipped_unless_asked(tmp_path):
    touch(tmp_path, ".github/workflows/ci.yaml", ".hidden.yaml", "visible.yaml",
          "dir/.git/config.yaml", "dir/ok.yaml")
    assert rel(tmp_path, discover([str(tmp_path)])) == ["dir/ok.yaml", "visible.yaml"]
    assert rel(tmp_path, discover([str(tmp_path)], hidden=True)) == [
        ".github/workflows/ci.yaml", ".hidden.yaml", "dir/.git/config.yaml", "dir/ok.yaml",
        "visible.yaml",
    ]
    # a hidden directory named explicitly is walked
    assert rel(tmp_path, discover([str(tmp_path / ".github")])) == [".github/workflows/ci.yaml"]


def test_walking_dot_with_a_hidden_pattern(tmp_path, monkeypatch):
    touch(tmp_path, ".hidden/x.yaml", "a.yaml")
    monkeypatch.chdir(tmp_path)
    targets = discover(["."], excludes=(".*",), hidden=True)
    assert [Path(t.path).as_posix() for t in targets] == ["a.yaml"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*.json", ["a.yaml", "vendor/v.yaml", "x/testdata/t.yaml", "x/y.yaml"]),
        ("vendor", ["a.yaml", "c.json", "x/testdata/t.yaml", "x/y.yaml"]),
        ("vendor/", ["a.yaml", "c.json", "x/testdata/t.yaml", "x/y.yaml"]),
        ("testdata", ["a.yaml", "c.json", "vendor/v.yaml", "x/y.yaml"]),
        ("x/testdata/*", ["a.yaml", "c.json", "vendor/v.yaml", "x/y.yaml"]),
        ("*/testdata/*", ["a.yaml", "c.json", "vendor/v.yaml", "x/y.yaml"]),
        ("x/*", ["a.yaml", "c.json", "vendor/v.yaml"]),
        ("./vendor", ["a.yaml", "c.json", "x/testdata/t.yaml", "x/y.yaml"]),
        ("y.yaml", ["a.yaml", "c.json", "vendor/v.yaml", "x/testdata/t.yaml"]),
        ("nomatch", ["a.yaml", "c.json", "vendor/v.yaml", "x/testdata/t.yaml", "x/y.yaml"]),
    ],
)
def test_excludes(tmp_path, pattern, expected):
    touch(tmp_path, "a.yaml", "c.json", "vendor/v.yaml", "x/y.yaml", "x/testdata/t.yaml")
    assert rel(tmp_path, discover([str(tmp_path)], excludes=(pattern,))) == expected


def test_excludes_apply_to_explicit_paths(tmp_path, monkeypatch):
    touch(tmp_path, "vendor/v.yaml", "keep/k.yaml")
    monkeypatch.chdir(tmp_path)
    # pre-commit passes files one by one: a directory pattern still excludes them
    targets = discover(["vendor/v.yaml", "keep/k.yaml"], excludes=("vendor",))
    assert [t.path for t in targets] == ["keep/k.yaml"]
    assert discover(["keep/k.yaml"], excludes=("k.yaml",)) == []
    assert discover(["keep"], excludes=("keep",)) == []


def test_symlink_loop_terminates_and_lists_each_file_once(tmp_path):
    touch(tmp_path, "d/a.yaml", "d/sub/b.yaml")
    os.symlink(tmp_path / "d", tmp_path / "d" / "sub" / "up")  # sub/up -> d: a loop
    os.symlink(tmp_path / "d", tmp_path / "d" / "self")  # d/self -> d
    os.symlink(tmp_path / "d" / "a.yaml", tmp_path / "d" / "link.yaml")  # a second name
    targets = discover([str(tmp_path / "d")])
    real = [os.path.realpath(t.path) for t in targets]
    assert sorted(real) == sorted({
        os.path.realpath(tmp_path / "d" / "a.yaml"),
        os.path.realpath(tmp_path / "d" / "sub" / "b.yaml"),
    })
    assert len(real) == len(set(real))


def test_dangling_symlink_does_not_crash(tmp_path):
    touch(tmp_path, "a.yaml")
    os.symlink(tmp_path / "gone", tmp_path / "dangling.yaml")
    os.symlink(tmp_path / "gone-dir", tmp_path / "dangling-dir")
    targets = discover([str(tmp_path)])
    assert "a.yaml" in rel(tmp_path, targets)  # the walk went on


def _unreadable_dir(tmp_path: Path, monkeypatch) -> Path:
    """A directory that cannot be listed: chmod 000, and (as root, whom that does not stop)
    os.scandir refusing it as the kernel would."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.yaml").write_text("kind: Secret\n")
    locked.chmod(0)
    real_scandir = os.scandir

    def scandir(path):
        if os.path.realpath(path) == str(locked.resolve()):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path).resolve() != locked.resolve())
    return locked


def test_unreadable_directory_inside_a_walk_is_reported(tmp_path, monkeypatch):
    # Issue 9, item 12: its files were never linted, without a word, and the run could pass.
    touch(tmp_path, "ok.yaml")
    locked = _unreadable_dir(tmp_path, monkeypatch)
    try:
        targets = discover([str(tmp_path)])
        assert rel(tmp_path, targets) == ["locked", "ok.yaml"]
        assert str(targets[0].problem) == "permission denied: cannot list the directory"
        assert targets[1].problem is None
    finally:
        locked.chmod(0o755)


def test_unreadable_directory_fails_the_run(tmp_path, monkeypatch):
    from kprobelint.runner import Options, lint

    touch(tmp_path, "ok.yaml")
    locked = _unreadable_dir(tmp_path, monkeypatch)
    try:
        result = lint(Options([str(tmp_path)], jobs=1))
    finally:
        locked.chmod(0o755)
    [finding] = result.findings
    assert (finding.rule_id, finding.file) == ("KPL006", str(locked))
    assert "cannot list the directory" in finding.message


def test_unreadable_directory_named_explicitly_is_reported(tmp_path, monkeypatch):
    locked = _unreadable_dir(tmp_path, monkeypatch)
    try:
        targets = discover([str(locked)])
        assert len(targets) == 1
        assert targets[0].path == str(locked)
        assert targets[0].problem and "permission denied" in targets[0].problem
    finally:
        locked.chmod(0o755)


def test_is_chart_template(tmp_path):
    touch(tmp_path, "chart/Chart.yaml", "chart/values.yaml", "chart/templates/deploy.yaml",
          "chart/templates/tests/test-connection.yaml", "chart/charts/sub/Chart.yaml",
          "chart/charts/sub/templates/svc.yaml", "plain/templates/x.yaml",
          "chart/crds/crd.yaml", "other/templates.yaml")
    assert is_chart_template(str(tmp_path / "chart/templates/deploy.yaml"))
    assert is_chart_template(str(tmp_path / "chart/templates/tests/test-connection.yaml"))
    assert is_chart_template(str(tmp_path / "chart/charts/sub/templates/svc.yaml"))
    assert not is_chart_template(str(tmp_path / "chart/values.yaml"))
    assert not is_chart_template(str(tmp_path / "chart/Chart.yaml"))
    assert not is_chart_template(str(tmp_path / "chart/crds/crd.yaml"))
    assert not is_chart_template(str(tmp_path / "plain/templates/x.yaml"))  # no Chart.yaml
    assert not is_chart_template(str(tmp_path / "other/templates.yaml"))
    assert not is_chart_template(STDIN)


def test_is_chart_template_with_a_relative_path(tmp_path, monkeypatch):
    touch(tmp_path, "c/Chart.yaml", "c/templates/a.yaml")
    monkeypatch.chdir(tmp_path / "c" / "templates")
    assert is_chart_template("a.yaml")
