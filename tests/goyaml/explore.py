#!/usr/bin/env python3
"""Search for inputs that kprobelint's loader reads differently from kubectl (development only).

    python tests/goyaml/explore.py [--oracle PATH] [--corpus DIR] [--only PREFIX] [--show N]
                                   [--parsers]

Runs the generated candidates (generate.py) and every file of the shared corpus through the
go-yaml oracle and through ``kprobelint.load``, and prints each disagreement, grouped by the
first part of the case name. ``--parsers`` also compares, piece by piece (kubectl's split),
which YAML parsers available in Python accept what go-yaml accepts: the evidence for the
choice of parser in kprobelint.load.
"""
from __future__ import annotations

import argparse
import base64
import collections
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from generate import everything  # noqa: E402
from parity import agree, loaded_entries, oracle_entries  # noqa: E402

from kprobelint.load import load_bytes  # noqa: E402


def run_oracle(binary: Path, cases: dict[str, bytes]) -> dict[str, dict]:
    lines = "".join(json.dumps({"id": name, "data": base64.b64encode(data).decode()}) + "\n"
                    for name, data in cases.items())
    done = subprocess.run([str(binary), "-stdin"], input=lines.encode(), capture_output=True,
                          check=True, timeout=600)
    results = {}
    for line in done.stdout.decode().split("\n"):
        if not line:
            continue
        result = json.loads(line)
        results[result["id"]] = result
    return results


def corpus_cases(corpus: Path) -> dict[str, bytes]:
    cases = {}
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
            cases["corpus/" + path.relative_to(corpus).as_posix()] = path.read_bytes()
    return cases


# ---------------------------------------------------------------------------------------------
# Parser-level comparison: which parser accepts the pieces kubectl hands go-yaml?


def kubectl_pieces(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each piece, cut as YAMLReader.Read cuts (separator errors aside)."""
    pieces, current, start = [], [], 1
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("---") and (not line[3:].strip() or line[3:].strip()[0] == "#"):
            if current:
                pieces.append((start, "\n".join(current) + "\n"))
            current, start = [], number + 1
            continue
        if not current:
            start = number
        current.append(line)
    if current and "".join(current):
        pieces.append((start, "\n".join(current) + "\n"))
    return pieces


def first_document_error(parse_events, text: str):
    """Parse ``text`` as far as go-yaml's Unmarshal does; return (line, column) of an error."""
    try:
        for event in parse_events(text):
            if event.__class__.__name__ in ("DocumentEndEvent", "StreamEndEvent"):
                return None
        return None
    except Exception as exc:  # noqa: BLE001 - any parser's error
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def parsers():
    found = {}
    from _ruamel_yaml import CParser as RuamelCParser
    found["ruamel-clib(libyaml 0.1.7)"] = lambda text: _iterate(RuamelCParser(text))
    try:
        import yaml
        from yaml._yaml import CParser as PyYAMLCParser
        found[f"pyyaml-c(libyaml {yaml._yaml.get_version_string()})"] = \
            lambda text: _iterate(PyYAMLCParser(text))
        found["pyyaml-pure"] = lambda text: yaml.parse(text, Loader=yaml.SafeLoader)
    except ImportError:
        pass
    from ruamel.yaml import YAML

    def ruamel_pure(text):
        return YAML(typ="safe", pure=True).parse(text)
    found["ruamel-pure"] = ruamel_pure
    return found


def _iterate(parser):
    while True:
        event = parser.get_event()
        yield event
        if event.__class__.__name__ == "StreamEndEvent":
            return


def compare_parsers(cases: dict[str, bytes], results: dict[str, dict]) -> None:
    candidates = parsers()
    disagreements: dict[str, list[str]] = collections.defaultdict(list)
    pieces_total = 0
    for name, data in cases.items():
        result = results[name]
        if result["stream"] != "yaml":
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        pieces = kubectl_pieces(text)
        oracle_pieces = [d for d in result["documents"] if d.get("kind") != "separator"]
        if len(pieces) != len(oracle_pieces):
            continue  # a separator with content: not a parser question
        for (line, piece), verdict in zip(pieces, oracle_pieces):
            go_error = verdict.get("kind") in ("reader", "scanner", "parser")
            pieces_total += 1
            for label, parse in candidates.items():
                error = first_document_error(parse, piece)
                if (error is not None) != go_error:
                    where = f"line {line + error[0] - 1}" if error else \
                        f"go-yaml: {verdict.get('error', '')[:70]}"
                    disagreements[label].append(f"{name} ({where})")
    print(f"\n== parsers, on {pieces_total} kubectl pieces: accept/refuse disagreements")
    for label in candidates:
        found = disagreements.get(label, [])
        print(f"{label}: {len(found)}")
        for item in found[:int(__import__("os").environ.get("SHOW", "12"))]:
            print(f"    {item}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oracle", type=Path, default=HERE / "oracle")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--only", default="")
    parser.add_argument("--show", type=int, default=8)
    parser.add_argument("--parsers", action="store_true")
    parser.add_argument("--full", action="store_true",
                        help="compare every document, not only up to the first error")
    args = parser.parse_args()
    if not args.oracle.is_file():
        sys.exit(f"no oracle at {args.oracle}: run tests/goyaml/build.sh first")
    cases = dict(everything())
    if args.corpus.is_dir():
        cases.update(corpus_cases(args.corpus))
    cases = {name: data for name, data in cases.items() if name.startswith(args.only)}
    results = run_oracle(args.oracle, cases)
    groups: dict[str, list[str]] = collections.defaultdict(list)
    totals: collections.Counter = collections.Counter()
    for name, data in cases.items():
        group = "/".join(name.split("/")[:2]) if name.startswith("corpus/") else \
            name.split("/")[0]
        totals[group] += 1
        expected = oracle_entries(results[name], through_first_error=not args.full)
        actual = loaded_entries(load_bytes(name, data), through_first_error=not args.full)
        if not agree(expected, actual):
            groups[group].append(f"{name}\n      go-yaml: {str(expected)[:150]}\n"
                                 f"      ours:    {str(actual)[:150]}")
    for group in sorted(totals):
        found = groups.get(group, [])
        print(f"== {group}: {len(found)} of {totals[group]} differ")
        for item in found[:args.show]:
            print(f"  {item}")
    if args.parsers:
        compare_parsers(cases, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
