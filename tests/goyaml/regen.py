#!/usr/bin/env python3
"""Run the go-yaml oracle over cases.py and rewrite expected.json (development only).

    python tests/goyaml/regen.py [--oracle PATH]

Build the oracle first (build.sh). The verdicts are recorded with each input's SHA-256, so
the parity test notices a case edited without regenerating.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES  # noqa: E402
from explore import run_oracle  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oracle", type=Path, default=HERE / "oracle")
    args = parser.parse_args()
    if not args.oracle.is_file():
        sys.exit(f"no oracle at {args.oracle}: run tests/goyaml/build.sh first")
    names = [case.name for case in CASES]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        sys.exit(f"duplicate case names: {sorted(duplicates)}")
    results = run_oracle(args.oracle, {case.name: case.data for case in CASES})
    expected = {}
    for case in CASES:
        result = results[case.name]
        del result["id"]
        result["sha256"] = hashlib.sha256(case.data).hexdigest()
        expected[case.name] = result
    # One line per case: small diffs when a case changes, however deep its value.
    lines = [f"{json.dumps(name)}: {json.dumps(result, ensure_ascii=True, sort_keys=True)}"
             for name, result in expected.items()]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    (HERE / "expected.json").write_text(text)
    print(f"wrote {len(expected)} verdicts to {HERE / 'expected.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
