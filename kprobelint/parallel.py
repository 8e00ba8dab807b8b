"""Linting a big input with several processes.

Each worker lints its share of the files, indexes what they declare (ConfigMaps, Secrets,
claims, Services) and keeps the pending verdicts of the rules that need the whole input (small
records: no document outlives its file). The parent merges the indexes and sends the whole
index back; each worker then decides its pending verdicts against it. Findings are sorted by
the caller, so the output is identical to a serial run.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from typing import Any

from .bundle import Bundle
from .discover import Target
from .engine import Stats
from .errors import UsageError
from .lintfiles import lint_targets, make_engine
from .options import Options


def lint_in_processes(options: Options, targets: list[Target], jobs: int):
    shares = _balanced_shares(targets, jobs)
    forking = os.name == "posix"
    context = multiprocessing.get_context("fork" if forking else "spawn")
    pipes, processes = [], []
    for share in shares:
        parent_end, child_end = context.Pipe()
        # A forked worker inherits every pipe end the parent holds: its own pipe's other end
        # and the earlier workers' ends. It closes them first thing, so that when the parent
        # dies (whatever the signal) the last writer of each pipe is gone and recv() ends.
        inherited = [*pipes, parent_end] if forking else []
        process = context.Process(target=_worker, args=(options, share, child_end, inherited,
                                                        os.getpid()), daemon=True)
        process.start()
        child_end.close()
        pipes.append(parent_end)
        processes.append(process)
    try:
        first = [_receive(pipe, process) for pipe, process in zip(pipes, processes)]
        whole = Bundle(first[0][2].complete)
        for _, _, bundle in first:
            whole.merge(bundle)
        for pipe in pipes:
            pipe.send(whole)
        second = [_receive(pipe, process) for pipe, process in zip(pipes, processes)]
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    findings, suppressed, stats = [], [], Stats()
    for (share_findings, share_stats, _), (late_findings, share_suppressed, validated_late) \
            in zip(first, second):
        share_stats.without_schema -= validated_late
        findings.extend(share_findings)
        findings.extend(late_findings)
        suppressed.extend(share_suppressed)
        stats.files += share_stats.files
        stats.documents += share_stats.documents
        stats.objects += share_stats.objects
        stats.other_documents += share_stats.other_documents
        stats.without_schema += share_stats.without_schema
        stats.skipped.extend(share_stats.skipped)
    return findings, stats, suppressed


def _receive(pipe: Any, process: Any) -> Any:
    try:
        message = pipe.recv()
    except EOFError:
        process.join(timeout=5)  # for its exit code
        code = process.exitcode
        how = f"was killed by signal {-code}" if code is not None and code < 0 else \
            f"ended with exit code {code}"
        raise UsageError(f"a worker process {how} (out of memory?); the run is incomplete: "
                         "rerun with --jobs 1 to lint in one process") from None
    if isinstance(message, BaseException):
        raise message
    return message


def _worker(options: Options, targets: list[Target], pipe: Any, inherited: list[Any],
            parent: int) -> None:
    for end in inherited:
        end.close()
    _die_with(parent)
    try:
        engine = make_engine(options)
        stats = Stats()
        findings = lint_targets(engine, targets, stats, options)
        pipe.send((findings, stats, engine.bundle))
        whole = pipe.recv()
        late = engine.finish(whole)
        pipe.send((late, engine.suppressed, engine.validated_late))
    except BaseException as exc:  # reported by the parent, which has the user's terminal
        try:
            pipe.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        pipe.close()


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux), even while it lints.

    Closing the inherited pipe ends already ends a worker waiting for the parent; this also
    ends one that is still busy. Elsewhere the pipes alone do it, at the worker's next wait.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _balanced_shares(targets: list[Target], jobs: int) -> list[list[Target]]:
    """Split by size, largest files first to the least loaded worker."""
    sized = []
    for index, target in enumerate(targets):
        try:
            size = os.path.getsize(target.path)
        except OSError:
            size = 0
        sized.append((size, index, target))
    sized.sort(key=lambda item: (-item[0], item[1]))
    loads = [0] * jobs
    shares: list[list[tuple[int, Target]]] = [[] for _ in range(jobs)]
    for size, index, target in sized:
        worker = loads.index(min(loads))
        loads[worker] += size + 1
        shares[worker].append((index, target))
    # Each worker reads its files in the original order (stable, and helps the page cache).
    return [[t for _, t in sorted(share, key=lambda item: item[0])] for share in shares if share]
