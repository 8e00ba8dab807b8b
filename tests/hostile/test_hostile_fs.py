"""Hostile file systems through the real CLI: symlink loops, dangling links, FIFOs, devices,
unreadable and huge sparse files. The linter must return, and lint every other file."""
from __future__ import annotations

import os
import subprocess
import threading

import pytest
from hostile_util import (
    KNOWN_BAD,
    KNOWN_BAD_FINDING,
    KNOWN_BAD_NAME,
    assert_clean,
    assert_known_bad_linted,
    run_cli,
    write_known_bad,
)

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def _run_or_fail(args, cwd, timeout):
    try:
        return run_cli(args, cwd, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kprobelint {' '.join(args)} did not return within {timeout} s (it hangs)")


def test_directory_symlink_loops_are_walked_once(tmp_path):
    tree = tmp_path / "tree"
    sub = tree / "sub"
    sub.mkdir(parents=True)
    write_known_bad(sub)
    os.symlink("..", sub / "up")  # a loop to the parent
    os.symlink(".", sub / "self")  # a loop to itself
    os.symlink(str(tree), sub / "absolute")  # an absolute loop to the top
    os.symlink("sub", tree / "again")  # a second way into sub
    run = _run_or_fail(["tree"], tmp_path, timeout=60)
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.summary["files"] == 1  # the manifest once, whatever the number of ways to it


def test_symlink_to_the_working_directory_named_explicitly(tmp_path):
    write_known_bad(tmp_path)
    os.symlink(".", tmp_path / "loop")
    run = _run_or_fail(["loop", ".", "loop/loop/loop"], tmp_path, timeout=60)
    assert_clean(run)
    assert run.summary["files"] == 1


def test_dangling_symlink_is_file_unreadable(tmp_path):
    os.symlink("nowhere.yaml", tmp_path / "dangling.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=60)
    assert_clean(run)
    assert run.located("dangling.yaml") == [("KPL006", 1, 1)]
    assert "No such file" in run.in_file("dangling.yaml")[0]["message"]
    assert_known_bad_linted(run)
    assert run.summary["files"] == 2


def test_dangling_symlink_named_explicitly(tmp_path):
    os.symlink("nowhere.yaml", tmp_path / "dangling.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["dangling.yaml", KNOWN_BAD_NAME], tmp_path, timeout=60)
    assert_clean(run)
    assert run.located("dangling.yaml") == [("KPL006", 1, 1)]
    assert_known_bad_linted(run)


def test_file_symlink_loop_named_explicitly(tmp_path):
    os.symlink("self.yaml", tmp_path / "self.yaml")
    write_known_bad(tmp_path)
    # Not first: the first path is where the configuration is looked for (see the next test).
    run = _run_or_fail([KNOWN_BAD_NAME, "self.yaml"], tmp_path, timeout=60)
    assert_clean(run)
    assert run.located("self.yaml") == [("KPL006", 1, 1)]
    assert "symbolic links" in run.in_file("self.yaml")[0]["message"]
    assert_known_bad_linted(run)


def test_symlink_loop_as_the_first_path(tmp_path):
    os.symlink("self.yaml", tmp_path / "self.yaml")
    write_known_bad(tmp_path)
    run = run_cli(["self.yaml", KNOWN_BAD_NAME], tmp_path)
    assert_clean(run)
    assert run.located("self.yaml") == [("KPL006", 1, 1)]
    assert_known_bad_linted(run)


def test_file_symlink_loop_in_a_directory_is_file_unreadable(tmp_path):
    os.symlink("self.yaml", tmp_path / "self.yaml")
    os.symlink("b.yaml", tmp_path / "a.yaml")
    os.symlink("a.yaml", tmp_path / "b.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=60)
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.located("self.yaml") == [("KPL006", 1, 1)]
    assert run.located("a.yaml") == [("KPL006", 1, 1)]
    assert run.located("b.yaml") == [("KPL006", 1, 1)]


def test_directory_named_like_a_manifest_is_walked(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    write_known_bad(tmp_path / "dir.yaml")
    run = _run_or_fail(["."], tmp_path, timeout=60)
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.summary["files"] == 1


@pytest.mark.skipif(ROOT_USER, reason="root reads files whatever their mode")
def test_unreadable_file_is_file_unreadable(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(KNOWN_BAD)
    secret.chmod(0)
    write_known_bad(tmp_path)
    try:
        run = _run_or_fail(["."], tmp_path, timeout=60)
    finally:
        secret.chmod(0o644)
    assert_clean(run)
    assert run.located("secret.yaml") == [("KPL006", 1, 1)]
    assert "Permission denied" in run.in_file("secret.yaml")[0]["message"]
    assert_known_bad_linted(run)


# ---------------------------------------------------------------------------------------------
# Not regular files


def test_fifo_in_a_directory_is_skipped_not_waited_for(tmp_path):
    os.mkfifo(tmp_path / "x.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=5)  # a normal run takes a fraction of that
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.in_file("x.yaml") == []
    assert run.summary["files"] == 1  # not a manifest: not counted


def test_fifo_named_explicitly_is_read_like_process_substitution(tmp_path):
    """``kprobelint <(helm template .)`` passes a pipe: it must be read, not refused."""
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    write_known_bad(tmp_path)

    def write() -> None:
        with open(fifo, "wb") as handle:  # blocks until the linter opens the other end
            handle.write(KNOWN_BAD.encode())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        run = _run_or_fail(["x.yaml", KNOWN_BAD_NAME], tmp_path, timeout=30)
    finally:
        if writer.is_alive():  # the linter never opened it: unblock the writer
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(5)
    assert_clean(run)
    assert KNOWN_BAD_FINDING in run.located("x.yaml")
    assert_known_bad_linted(run)


@pytest.mark.parametrize("device", ["/dev/null"])
def test_symlink_to_an_empty_device(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    os.symlink(device, tmp_path / "x.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=60)
    assert_clean(run)
    assert run.located("x.yaml") == []
    assert_known_bad_linted(run)


def test_symlink_to_an_endless_device_in_a_directory_is_skipped(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    os.symlink("/dev/zero", tmp_path / "x.yaml")
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=120)  # 2 GB address-space limit
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.in_file("x.yaml") == []
    assert run.summary["files"] == 1


def test_endless_device_named_explicitly_is_cut_off(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    write_known_bad(tmp_path)
    run = _run_or_fail(["/dev/zero", KNOWN_BAD_NAME], tmp_path, timeout=120)  # 2 GB limit
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.located("/dev/zero") == [("KPL006", 1, 1)]
    assert "larger than" in run.in_file("/dev/zero")[0]["message"]


def test_huge_sparse_file_does_not_end_the_run(tmp_path):
    with open(tmp_path / "huge.yaml", "wb") as handle:
        handle.truncate(3 * 1024 ** 3)  # no disk space used
    write_known_bad(tmp_path)
    run = _run_or_fail(["."], tmp_path, timeout=120)  # 2 GB address-space limit
    assert_clean(run)
    assert_known_bad_linted(run)
    assert run.located("huge.yaml") == [("KPL006", 1, 1)]
    assert "larger than" in run.in_file("huge.yaml")[0]["message"]
