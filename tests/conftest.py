from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

# The tests run kprobelint as a user would; the environment of whoever runs them must not
# change its output (GitHub Actions switches the default format, pre-commit the summary).
for _name in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "PRE_COMMIT", "NO_COLOR", "FORCE_COLOR"):
    os.environ.pop(_name, None)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def sarif_schema_path() -> Path:
    path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip("../shared/schemas is not present")
    return path
