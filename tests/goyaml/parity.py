"""Compare what kprobelint's loader reads with what the go-yaml oracle recorded.

Shared by the parity test (tests/test_goyaml_parity.py) and the exploration script
(explore.py). Both sides are reduced to the same shape, in stream order:

    ("value", normalised data)    a document kubectl sends on
    ("error", line)               kubectl refuses the input there (line may be None: the
                                  oracle could not say where, e.g. an unknown alias)

Documents that are empty or null are left out on both sides: kubectl skips them.
"""
from __future__ import annotations

import math
from typing import Any

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def normalise(value: Any, depth: int = 0) -> Any:
    """A value as the API server decodes it from kubectl's JSON.

    YAMLToJSON writes numbers with encoding/json (a float with an integral value below 1e21
    prints without a fraction: 1.0 becomes 1), and the API machinery reads each number back
    as an int64 when its text allows and as a float64 otherwise. Booleans stay apart from
    numbers (in Python, True == 1).
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else float(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            as_int = int(value)
            if INT64_MIN <= as_int <= INT64_MAX:
                return as_int
        return ("float", value) if not math.isfinite(value) else value
    if depth > 200:  # deeper than any manifest: compare only that it is that deep
        return ("deep",)
    if isinstance(value, dict):
        return {key: normalise(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, depth + 1) for item in value]
    return ("unexpected", type(value).__name__, repr(value))


def oracle_entries(result: dict, through_first_error: bool = False) -> list[tuple]:
    entries: list[tuple] = []
    for document in result["documents"]:
        if document.get("error"):
            at = document.get("at")
            entries.append(("error", at["line"] if at else None))
            if through_first_error:
                break
        elif not document.get("skipped"):
            entries.append(("value", normalise(document["json"])))
    return entries


def loaded_entries(loaded: Any, through_first_error: bool = False) -> list[tuple]:
    """Entries of a :class:`kprobelint.load.LoadedFile`: its documents and its parse errors."""
    items: list[tuple[int, int, tuple]] = []
    for document in loaded.documents:
        if document.data is None:
            continue
        items.append((document.start_line, 1, ("value", normalise(document.data))))
    for problem in loaded.problems:
        if problem.rule in ("parse-error", "binary-file", "nesting-too-deep",
                            "excessive-aliasing"):
            items.append((problem.span.line, 0, ("error", problem.span.line)))
    items.sort(key=lambda item: (item[0], item[1]))
    entries = [entry for _, _, entry in items]
    if through_first_error:
        for index, entry in enumerate(entries):
            if entry[0] == "error":
                return entries[:index + 1]
    return entries


def agree(expected: list[tuple], actual: list[tuple]) -> bool:
    """Same documents with the same values, errors at the same lines (when known)."""
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual):
        if want[0] != got[0]:
            return False
        if want[0] == "value" and want[1] != got[1]:
            return False
        if want[0] == "error" and want[1] is not None and want[1] != got[1]:
            return False
    return True
