"""Inputs found by fuzz/fuzz_loader.py (atheris), minimised, through the real CLI."""
from __future__ import annotations

from hostile_util import lint_with_known_bad

# fuzz_loader.py after ~640,000 runs seeded from ../shared/corpus (minimised by libFuzzer).
SERVICE_SELECTORS_OF_TWO_TYPES = b"""\
apiVersion: v1
kind: Service
spec:
 selector:
  matchLabels: 1
---
apiVersion: a
spec:
 selector:
  matchLabels:
kind: Service
"""


def test_services_with_an_int_and_a_null_selector_value(tmp_path):
    # Was: bundle.Bundle.canonical_order compared 1 with None (TypeError, exit 2, no report).
    run = lint_with_known_bad(tmp_path, "fuzz.yaml", SERVICE_SELECTORS_OF_TWO_TYPES)
    # Only the schema's verdict on the number where a selector label value (a string) belongs.
    assert [(f["rule"], f["line"]) for f in run.in_file("fuzz.yaml")] == [("KPL701", 5)]
