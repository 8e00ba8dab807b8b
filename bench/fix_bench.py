#!/usr/bin/env python3
"""What `kprobelint fix` costs, and why it edits text at the loader's spans instead of
round-tripping documents through ruamel.yaml.

    python bench/fix_bench.py [--corpus DIR] [--repeat R]

1. Fidelity of a round trip: every file of the corpus loaded and dumped again, unchanged, by
   ruamel.yaml's round-trip mode (``typ='rt'``, quotes preserved, no line folding, the best
   of three indentation settings): how many come back byte for byte, and how long that
   takes. A fix through a round trip could only change those files without touching
   anything else; kprobelint's edits replace exact character ranges and leave every other
   byte by construction (tests/test_fix_corpus.py checks it on every file).
2. Speed: best of R in-process runs over a copy of the corpus in which fixable mistakes are
   planted (pull policies and probe schemes in lower case, in each file's own layout):
     lint       ``kprobelint.runner.lint``, as ``check`` runs
     fix        ``kprobelint.autofix.run.fix_paths`` without writing, as ``fix --diff`` runs:
                the lint, then for the files with fixes only, the edits, a second parse of
                the fixed text to check it, and a lint of the fixed text
   and the same on the corpus as it is (no fixable finding there: fix costs a lint).

Nothing here asserts a time: compare runs on one machine.
"""
from __future__ import annotations

import argparse
import io
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from bench import best_of  # noqa: E402  (bench/bench.py, beside this script)
from kprobelint.autofix.run import fix_paths  # noqa: E402
from kprobelint.engine import Selection  # noqa: E402
from kprobelint.load import decode  # noqa: E402
from kprobelint.runner import Options, lint  # noqa: E402

EXTENSIONS = (".yaml", ".yml", ".json")
PLANTS = [
    (re.compile(r"""(imagePullPolicy["']?\s*:\s*["']?)(Always|IfNotPresent|Never)\b"""),
     lambda m: m.group(1) + m.group(2).lower()),
    (re.compile(r"""(scheme["']?\s*:\s*["']?)(HTTPS?)\b"""),
     lambda m: m.group(1) + m.group(2).lower()),
]


def collect(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in EXTENSIONS and p.is_file())


def round_trip_fidelity(paths: list[Path]) -> tuple[int, int, int, float]:
    """(identical, different, refused, seconds) of an unchanged ruamel.yaml round trip.

    Generous to the round trip: a file counts as identical when any of three indentation
    settings reproduces it (ruamel's defaults, the one it guesses for the file's first
    document, and the common Kubernetes style of sequences indented under their key).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    identical = different = refused = 0
    seconds = 0.0
    for path in paths:
        try:
            text = decode(path.read_bytes())
        except Exception:
            refused += 1
            continue
        started = time.perf_counter()
        settings = [None, (2, 4, 2)]
        try:
            _, indent, offset = load_yaml_guess_indent(text.split("\n---", 1)[0])
            settings.append((indent or 2, (indent or 2) + (offset or 0), offset or 0))
        except Exception:
            pass
        outcomes = set()
        for setting in settings:
            try:
                yaml = YAML(typ="rt")
                yaml.preserve_quotes = True
                yaml.width = 1 << 20
                if setting:
                    yaml.indent(mapping=setting[0], sequence=setting[1], offset=setting[2])
                out = io.StringIO()
                yaml.dump_all(list(yaml.load_all(text)), out)
                outcomes.add(out.getvalue() == text)
            except Exception:
                outcomes.add(None)
        seconds += time.perf_counter() - started
        if True in outcomes:
            identical += 1
        elif False in outcomes:
            different += 1
        else:
            refused += 1
    return identical, different, refused, seconds


def plant(paths: list[Path], source: Path, target: Path) -> int:
    """Copy the corpus to ``target`` with the mistakes planted; the number of files changed."""
    planted = 0
    for path in paths:
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        try:
            text = decode(data)
        except Exception:
            copy.write_bytes(data)
            continue
        changed = text
        for pattern, replace in PLANTS:
            changed = pattern.sub(replace, changed)
        if changed != text and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            copy.write_bytes(changed.encode("utf-8"))
            planted += 1
        else:
            copy.write_bytes(data)
    return planted


def speed(directory: Path, repeat: int, label: str) -> None:
    def run_lint():
        return lint(Options([str(directory)], Selection(), jobs=1))

    def run_fix():
        return fix_paths(Options([str(directory)], Selection(), jobs=1), unsafe=True,
                         write=False)

    lint_seconds, _ = best_of(repeat, run_lint)
    fix_seconds, run = best_of(repeat, run_fix)
    print(f"{label}: lint {lint_seconds:.2f} s, fix (no write) {fix_seconds:.2f} s "
          f"({fix_seconds / lint_seconds:.2f}x); {len(run.fixed)} fixes in "
          f"{len(run.changed)} files, {len(run.not_fixed)} refused with a reason")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    paths = collect(args.corpus)
    identical, different, refused, seconds = round_trip_fidelity(paths)
    print(f"round trip (ruamel.yaml rt, unchanged): {identical} of {len(paths)} files byte "
          f"for byte, {different} changed, {refused} not loadable; {seconds:.1f} s")
    speed(args.corpus, args.repeat, "corpus as it is")
    with tempfile.TemporaryDirectory() as scratch:
        planted = plant(paths, args.corpus, Path(scratch))
        print(f"planted mistakes in {planted} files")
        speed(Path(scratch), args.repeat, "corpus with planted mistakes")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
