#!/usr/bin/env python3
"""How fast is kprobelint, and how close is it to the cost of just parsing the YAML?

    python bench/bench.py [--corpus DIR] [--generated N] [--repeat R] [--seed S] [--profile]
                          [--startup-only] [--startup-runs N] [--startup-file FILE]
                          [--vs "COMMAND {file}"]

For each corpus (the shared corpus of real manifests, if present, and a generated one of N
workload documents), best of R runs of:

  compose  ruamel.yaml's C composer (``YAML(typ='safe', pure=False).compose_all``) over the
           text of every file, walking every node: the stock way to get nodes with positions
  load     ``kprobelint.load.load_bytes`` on each file (compose with kprobelint's own scalar
           resolver, convert to dicts and lists), results dropped: lint without the rules
  lint     ``kprobelint.runner.lint`` in-process on the same files, in one process
           (``jobs=1``): discovery, loading, conversion, every default rule, sorting (no
           report rendering)
  lint -j  the same with the default ``jobs`` (worker processes when the input is big), as
           the command line runs it; shown when ``Options`` has ``jobs`` and there are 2+ CPUs

All three read and decode the files inside the timed region, and all run with the cyclic
garbage collector off, collecting every 50 files, as ``lint`` does. The ratio to compose is
the price of what kprobelint adds on top of the parse; lint minus load is roughly the rules.
It can be below 1, because kprobelint composes with its own fast scalar resolver and the
stock one used for compose is slow. The heap is small here. In a process that already holds
many objects, each of lint's periodic full ``gc.collect()`` calls takes longer.

Then startup, what a pre-commit hook pays on every commit: ``kprobelint FILE`` on one small
manifest (``examples/web-deployment.yaml``) in a fresh process, run from a scratch directory
holding a copy of it (no project configuration to find), as the installed ``kprobelint``
script when there is one. Median CPU time (user + system, the operating system's accounting
of the finished child) and wall time of ``--startup-runs`` runs, after one unmeasured run.
``--vs "yamllint {file}"`` times another command on the same copy, run in turn with
kprobelint (A B A B ...), and prints the ratio of the medians. When bytecode writing is off
(``PYTHONDONTWRITEBYTECODE``; an editable install then compiles every module at every start),
the runs use a throw-away bytecode cache, as an installed package has its ``.pyc`` files.
Last, the largest imports of that run under ``python -X importtime`` (the check modules,
which the engine imports with ``importlib``, are not listed there).
``--startup-only`` skips the corpora.

``--profile`` runs only the single-process lint of the generated corpus under cProfile,
then prints the top
25 functions by own time (tottime).

Nothing here asserts a time: the numbers depend on the machine. Compare runs on one machine.
"""
from __future__ import annotations

import argparse
import codecs
import cProfile
import dataclasses
import gc
import io
import os
import pstats
import random
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SMALL_EXAMPLE = REPO / "examples" / "web-deployment.yaml"
EXTENSIONS = (".yaml", ".yml", ".json")
GC_EVERY = 50  # as in kprobelint.runner
DOCS_PER_FILE = (1, 39)  # uniform: 20 documents per file on average, some single-document files

sys.path.insert(0, str(REPO))  # run from a checkout even if the package is not installed

from ruamel.yaml import YAML  # noqa: E402
from ruamel.yaml.nodes import MappingNode, SequenceNode  # noqa: E402

from kprobelint.load import load_bytes  # noqa: E402
from kprobelint.runner import Options, lint  # noqa: E402

HAS_JOBS = "jobs" in {f.name for f in dataclasses.fields(Options)}


# ---------------------------------------------------------------------------------------------
# Corpora


def collect(directory: Path) -> list[Path]:
    """Every YAML and JSON file under ``directory``, sorted (hidden ones included)."""
    return sorted(p for p in directory.rglob("*") if p.suffix in EXTENSIONS and p.is_file())


def generate(directory: Path, documents: int, seed: int) -> list[Path]:
    """Write ``documents`` workload documents into ``directory`` (same seed, same files)."""
    rng = random.Random(seed)
    paths: list[Path] = []
    written = 0
    while written < documents:
        count = min(rng.randint(*DOCS_PER_FILE), documents - written)
        path = directory / f"app-{len(paths):04d}.yaml"
        docs = [emit(workload(rng, written + i)) for i in range(count)]
        path.write_text("---\n".join(docs), encoding="utf-8")
        paths.append(path)
        written += count
    return paths


def workload(rng: random.Random, n: int) -> dict:
    """One Deployment, StatefulSet, Job, CronJob or Pod, with a few mistakes now and then."""
    kind = rng.choices(["Deployment", "StatefulSet", "Job", "CronJob", "Pod"], [5, 2, 1, 1, 1])[0]
    batch = kind in ("Job", "CronJob")
    name = f"svc-{n:05d}"
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": f"team-{n % 17}",
              "tier": rng.choice(["web", "api", "worker", "cache"])}
    pod: dict = {"containers": [container(rng, f"{name}-{i}" if i else name, i == 0, batch,
                                          offset=100 * i)
                                for i in range(rng.choice([1, 1, 2, 2, 3, 4]))]}
    if rng.random() < 0.3:
        pod["initContainers"] = [{"name": "init-config", "image": "busybox:1.36",
                                  "command": ["sh", "-c", "cp /src/* /config/"]}]
        if rng.random() < 0.5:  # a native sidecar
            sidecar = container(rng, "proxy", primary=True, batch=False, offset=1000)
            sidecar["restartPolicy"] = "Always"
            pod["initContainers"].append(sidecar)
    pod["volumes"] = [{"name": "tmp", "emptyDir": {}}]
    if rng.random() < 0.5:
        pod["volumes"].append({"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}})
    if batch:
        if rng.random() < 0.9:  # else: the restartPolicy mistake
            pod["restartPolicy"] = rng.choice(["OnFailure", "Never"])
    metadata = {"name": name, "namespace": f"ns-{n % 7}", "labels": labels,
                "annotations": {"example.com/owner": f"team-{n % 17}@example.com",
                                "example.com/revision": str(rng.randint(1, 900))}}
    template = {"metadata": {"labels": labels}, "spec": pod}
    if kind == "Pod":
        spec = pod
        metadata["labels"] = labels
    elif kind == "Job":
        spec = {"backoffLimit": 3, "template": template}
    elif kind == "CronJob":
        spec = {"schedule": f"{n % 60} {n % 24} * * *", "concurrencyPolicy": "Forbid",
                "jobTemplate": {"spec": {"template": template}}}
    else:
        spec = {"replicas": rng.randint(1, 6), "selector": {"matchLabels": labels},
                "template": template}
        if kind == "StatefulSet":
            spec["serviceName"] = name
    api = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "Pod": "v1"}.get(kind, "batch/v1")
    return {"apiVersion": api, "kind": kind, "metadata": metadata, "spec": spec}


def container(rng: random.Random, name: str, primary: bool, batch: bool,
              offset: int = 0) -> dict:
    """A container; long-running ones with ports get probes (now and then a wrong port name).
    Its port numbers are ``offset`` above the usual ones: the containers of a Pod share one
    network namespace, so repeating another's would be a mistake (KPL514) in every Pod."""
    ports = [{"name": "http", "containerPort": 8080 + offset, "protocol": "TCP"},
             {"name": "metrics", "containerPort": 9090 + offset, "protocol": "TCP"}]
    if rng.random() < 0.3:
        ports.append({"name": "grpc", "containerPort": 9000 + offset, "protocol": "TCP"})
    repo = rng.choice(["registry.example.com/platform", "ghcr.io/example", "docker.io/library"])
    image = f"{repo}/{name}:{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    if rng.random() < 0.02:
        image = image.replace("example", "Example")  # invalid: upper case in the repository
    c: dict = {
        "name": name,
        "image": image,
        "imagePullPolicy": rng.choice(["IfNotPresent", "IfNotPresent", "Always"]),
        "args": [f"--port={ports[0]['containerPort']}", "--log-format=json",
                 f"--workers={rng.randint(1, 16)}"],
        "ports": ports,
        "env": [{"name": f"SETTING_{i}", "value": str(rng.randint(0, 10_000))}
                for i in range(rng.randint(3, 12))]
        + [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        "resources": {"requests": {"cpu": f"{rng.choice([50, 100, 250, 500])}m",
                                   "memory": f"{rng.choice([64, 128, 256])}Mi"},
                      "limits": {"memory": f"{rng.choice([256, 512, 1024])}Mi"}},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    if batch or not (primary or rng.random() < 0.5):
        del c["ports"]  # a batch container or a helper (log forwarder): no ports, no probes
    else:
        wrong = rng.random() < 0.05  # a probe naming a port the container does not declare
        c["readinessProbe"] = {"httpGet": {"path": "/ready", "port": "web" if wrong else "http"},
                               "periodSeconds": 5, "failureThreshold": 3}
        c["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": "http"},
                              "initialDelaySeconds": 10, "timeoutSeconds": 2}
        if rng.random() < 0.3:
            c["startupProbe"] = {"tcpSocket": {"port": 8080}, "failureThreshold": 30,
                                 "periodSeconds": 2}
    if rng.random() < 0.2:
        c["lifecycle"] = {"preStop": {"exec": {"command": ["sh", "-c", "sleep 5"]}}}
    if rng.random() < 0.3:
        c["securityContext"] = {"runAsNonRoot": True, "readOnlyRootFilesystem": True,
                                "allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]}}
    return c


# Plain (unquoted) when it cannot be mistaken for a number, bool, null or YAML syntax.
_PLAIN = re.compile(r"[A-Za-z0-9_./]|-[^ ]")
_SYNTAX = re.compile(r": |:$| #|[\[\]{},&*!|>'\"%`]")
_NUMBER_LIKE = re.compile(r"[-+.0-9][-+.0-9_eExXoObB:a-fA-F]*\Z")  # ints, floats, 1.1 base 60
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ""}


def emit(value: object, indent: int = 0) -> str:
    """Block-style YAML for plain dicts, lists, strings, ints and bools (what `workload` makes)."""
    if isinstance(value, (dict, list)):
        return "".join(_emit(value, indent)) + "\n"
    return _scalar(value)


def _emit(value: object, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{_scalar(key)}:\n")
                out.extend(_emit(item, indent + 2 if isinstance(item, dict) else indent))
            else:
                out.append(f"{pad}{_scalar(key)}: {_scalar(item)}\n")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _emit(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {_scalar(item)}\n")
    return out


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    if (_PLAIN.match(text) and not _SYNTAX.search(text) and not _NUMBER_LIKE.match(text)
            and text.lower() not in _RESERVED):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# Measurements


def decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def compose_all(paths: list[Path]) -> tuple[int, int, int]:
    """Compose every document of every file and walk all its nodes: (documents, nodes, errors)."""
    yaml = YAML(typ="safe", pure=False)
    documents = nodes = errors = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, path in enumerate(paths, 1):
            try:
                for root in yaml.compose_all(decode(path.read_bytes())):
                    documents += 1
                    nodes += walk(root)
            except Exception:  # a parse error: count it, keep what was composed before it
                errors += 1
            if count % GC_EVERY == 0:
                gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return documents, nodes, errors


def walk(root: object) -> int:
    """Visit every node once (aliases point at nodes already seen), without recursion."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return len(seen)


def load_all(paths: list[Path]) -> tuple[int, int]:
    """kprobelint's loader on every file, keeping nothing: (documents, files with problems)."""
    documents = problems = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for count, path in enumerate(paths, 1):
            loaded = load_bytes(str(path), path.read_bytes())
            documents += len(loaded.documents)
            problems += bool(loaded.problems)
            if count % GC_EVERY == 0:
                gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return documents, problems


def lint_all(paths: list[Path], jobs: int | None = 1):
    """``lint`` on the files: one process by default, ``jobs=None`` for lint's own default."""
    extra = {"jobs": jobs} if HAS_JOBS and jobs is not None else {}
    return lint(Options([str(p) for p in paths], **extra))


def best_of(repeat: int, func, *args):
    """(fastest seconds, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def measure_corpus(label: str, paths: list[Path], repeat: int) -> list[tuple]:
    size = sum(p.stat().st_size for p in paths)
    compose_s, (compose_docs, nodes, errors) = best_of(repeat, compose_all, paths)
    load_s, (load_docs, _) = best_of(repeat, load_all, paths)
    lint_s, result = best_of(repeat, lint_all, paths)
    parallel = HAS_JOBS and (os.cpu_count() or 1) > 1
    if parallel:
        parallel_s, parallel_result = best_of(repeat, lint_all, paths, 2)
    stats = result.stats
    note = f"{size / 1e6:.1f} MB, {nodes:,} nodes"
    if errors:
        note += f", {errors} file{'s' if errors != 1 else ''} with parse errors"
    lint_note = (f"{stats.objects:,} objects, {len(result.findings):,} findings"
                 + (f", {len(stats.skipped)} skipped" if stats.skipped else "")
                 + f", peak {peak_memory(paths, 1) / 1024:.0f} MB")
    rows = [
        (label, "compose", len(paths), compose_docs, compose_s, "", note),
        (label, "load", len(paths), load_docs, load_s, load_s / compose_s, ""),
        (label, "lint", stats.files, stats.documents, lint_s, lint_s / compose_s, lint_note),
    ]
    if parallel:
        same = len(parallel_result.findings) == len(result.findings)
        note = (f"{lint_s / parallel_s:.2f}x faster than -j1, peak "
                f"{peak_memory(paths, 2) / 1024:.0f} MB (parent + largest worker)")
        rows.append((label, "lint -j2", parallel_result.stats.files,
                     parallel_result.stats.documents, parallel_s, parallel_s / compose_s,
                     note if same else f"{len(parallel_result.findings):,} findings (differs!)"))
    return rows


_PEAK = """
import resource, sys
from kprobelint.runner import Options, lint
paths = open(sys.argv[1]).read().split("\\n")
lint(Options(paths, jobs=int(sys.argv[2])))
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(own + workers)
"""


def peak_memory(paths: list[Path], jobs: int) -> int:
    """Peak resident memory (KB) of a fresh process linting ``paths``."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(str(p) for p in paths))
    try:
        out = subprocess.run([sys.executable, "-c", _PEAK, handle.name, str(jobs)],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[-1])
    finally:
        os.unlink(handle.name)


def kprobelint_command() -> list[str]:
    """The installed ``kprobelint`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("kprobelint")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kprobelint"]


def startup_env(cache: str) -> dict[str, str]:
    """The environment of the startup runs: with a bytecode cache when writing it is off."""
    env = dict(os.environ)
    if sys.flags.dont_write_bytecode or env.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def timed_run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``command`` run to its end in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def startup(example: Path, runs: int, vs: str | None) -> list[tuple[str, float, float]]:
    """(command, median CPU seconds, median wall seconds) of a one-file run of kprobelint,
    with ``vs`` of that command, and of the bare interpreter, run in turn."""
    with tempfile.TemporaryDirectory(prefix="kprobelint-startup-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        shutil.copy(example, work / example.name)
        env = startup_env(str(Path(tmp) / "pycache"))
        commands = {"kprobelint " + example.name: [*kprobelint_command(), example.name]}
        if vs:
            commands[vs.format(file=example.name)] = \
                [word.format(file=example.name) for word in shlex.split(vs)]
        commands["python -c pass (the interpreter alone)"] = [sys.executable, "-c", "pass"]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for command in commands.values():  # warm: bytecode cache, page cache
            timed_run(command, work, env)
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(timed_run(command, work, env))
        return [(name, statistics.median(c for c, _ in runs_),
                 statistics.median(w for _, w in runs_)) for name, runs_ in times.items()]


def import_times(example: Path) -> list[tuple[int, int, bool, str]]:
    """(cumulative us, self us, top level?, module) of every import of a one-file run, from
    ``-X importtime``."""
    with tempfile.TemporaryDirectory(prefix="kprobelint-startup-") as tmp:
        shutil.copy(example, Path(tmp) / example.name)
        env = startup_env(str(Path(tmp) / "pycache"))
        command = [sys.executable, "-X", "importtime", "-m", "kprobelint", example.name]
        subprocess.run(command, cwd=tmp, env=env, capture_output=True, check=False)  # warm
        proc = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True,
                              check=False)
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            own, cumulative, indent, module = match.groups()
            rows.append((int(cumulative), int(own), len(indent) == 1, module))
    return sorted(rows, reverse=True)


# ---------------------------------------------------------------------------------------------
# Output


def print_table(rows: list[tuple]) -> None:
    print(f"{'corpus':<10} {'step':<8} {'files':>6} {'docs':>6} {'seconds':>8} {'docs/s':>8} "
          f"{'÷compose':>9}  notes")
    for label, step, files, docs, seconds, ratio, note in rows:
        ratio_text = f"{ratio:.2f}" if ratio != "" else ""
        print(f"{label:<10} {step:<8} {files:>6} {docs:>6} {seconds:>8.3f} "
              f"{docs / seconds:>8.0f} {ratio_text:>9}  {note}".rstrip())


def profile(paths: list[Path], top: int = 25) -> None:
    lint_all(paths)  # warm: rule files, imports, caches
    profiler = cProfile.Profile()
    profiler.enable()
    result = lint_all(paths)
    profiler.disable()
    print(f"cProfile of lint over {result.stats.files} files, {result.stats.documents} documents "
          f"(profiler overhead inflates small, frequently called functions)\n")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    text = out.getvalue()
    print(text[text.index("   ncalls"):] if "   ncalls" in text else text)


def measure_corpora(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="kprobelint-bench-") as tmp:
        generated = generate(Path(tmp), args.generated, args.seed) if args.generated > 0 else []
        if args.profile:
            if not generated:
                sys.exit("--profile needs a generated corpus (--generated N with N > 0)")
            profile(generated)
            sys.exit(0)
        rows: list[tuple] = []
        if args.corpus.is_dir():
            rows += measure_corpus("corpus", collect(args.corpus), args.repeat)
        else:
            print(f"skipping the real corpus: {args.corpus} not found (use --corpus DIR)\n")
        if generated:
            rows += measure_corpus("generated", generated, args.repeat)
        if rows:
            print_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"directory of real manifests (default: {DEFAULT_CORPUS})")
    parser.add_argument("--generated", type=int, default=10000, metavar="N",
                        help="documents in the generated corpus (default: 10000; 0 to skip)")
    parser.add_argument("--repeat", type=int, default=3, metavar="R",
                        help="runs per measurement, the fastest is shown (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpus")
    parser.add_argument("--profile", action="store_true",
                        help="only profile the lint of the generated corpus (top 25 by tottime)")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure only the one-file run (no corpora)")
    parser.add_argument("--startup-runs", type=int, default=21, metavar="N",
                        help="runs of the one-file measurement, the median is shown (default: 21)")
    parser.add_argument("--startup-file", type=Path, default=SMALL_EXAMPLE, metavar="FILE",
                        help=f"the one file (default: {SMALL_EXAMPLE.relative_to(REPO)})")
    parser.add_argument("--vs", metavar='"COMMAND {file}"',
                        help="also time COMMAND on the same file, in turn with kprobelint "
                             '(e.g. "yamllint {file}")')
    args = parser.parse_args()

    import ruamel.yaml

    runs = "" if args.profile or args.startup_only else f", best of {args.repeat}"
    print(f"Python {sys.version.split()[0]}, ruamel.yaml {ruamel.yaml.__version__}, "
          f"{os.cpu_count()} CPUs{runs}\n")
    if not args.startup_only:
        measure_corpora(args)
    example = args.startup_file
    with tempfile.TemporaryDirectory(prefix="kprobelint-bench-") as tmp:
        if not example.is_file():  # examples/ missing: use a small generated file
            example = Path(tmp) / "small.yaml"
            example.write_text(emit(workload(random.Random(args.seed), 0)), encoding="utf-8")
        print(f"\nOne-file run: whole-process medians of {args.startup_runs} runs"
              + (", in turn" if args.vs else ""))
        print(f"  {'command':<47} {'CPU ms':>8} {'wall ms':>8}")
        results = startup(example, args.startup_runs, args.vs)
        for what, cpu, wall in results:
            print(f"  {what:<47} {cpu * 1000:8.1f} {wall * 1000:8.1f}")
        if args.vs:
            (_, cpu_a, wall_a), (_, cpu_b, wall_b) = results[:2]
            print(f"  {'ratio (kprobelint / the other)':<47} {cpu_a / cpu_b:8.2f} "
                  f"{wall_a / wall_b:8.2f}")
        print(f"\nLargest imports of that run (`python -X importtime -m kprobelint "
              f"{example.name}`, cumulative)")
        rows = import_times(example)
        for cumulative, own, _, module in rows[:10]:
            print(f"  {module:<45} {cumulative / 1000:7.1f} ms  (self {own / 1000:.1f} ms)")
        total = sum(cumulative for cumulative, _, top, _ in rows if top)
        print(f"  all imports, the interpreter's own start-up included: {total / 1000:.1f} ms")


if __name__ == "__main__":
    main()
