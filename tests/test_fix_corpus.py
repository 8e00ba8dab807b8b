"""`kprobelint fix` over every file of the shared corpus and of examples/, as they are and with
fixable mistakes planted in their real layouts (comments, CRLF, flow style, JSON, anchors).

For every file: the fixed text differs only on lines that carry a fixable finding; it reads
back (with an independent YAML 1.1 loader, ruamel.yaml's) as the same data except at the
fixed paths; a second `fix` changes nothing; and linting it again reports none of the fixed
findings and nothing that was not reported before.
"""
from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from kprobelint.autofix.run import run_fixes
from kprobelint.engine import Selection
from kprobelint.load import decode
from kprobelint.runner import Options, lint, lint_texts

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

# Plant the mistakes the fixes correct, in the files' own layout: wrong case in a pull
# policy and a probe scheme (quoted or not, YAML or JSON).
PLANTS = [
    (re.compile(r"""(imagePullPolicy["']?\s*:\s*["']?)(Always|IfNotPresent|Never)\b"""),
     lambda m: m.group(1) + m.group(2).lower()),
    (re.compile(r"""(scheme["']?\s*:\s*["']?)(HTTPS?)\b"""),
     lambda m: m.group(1) + m.group(2).lower()),
]


INDEPENDENT_LIMIT = 400_000  # characters


def _files() -> list[Path]:
    roots = [CORPUS, ROOT / "examples"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*")
                  if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def _texts() -> dict[str, str]:
    texts = {}
    for path in _files():
        try:
            texts[str(path)] = decode(path.read_bytes())
        except Exception:  # binary or undecodable fixtures: nothing to fix
            continue
    return texts


def _options(paths: list[str]) -> Options:
    return Options(paths, Selection(), jobs=1)


def _ruamel_documents(text: str) -> list | None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.version = (1, 1)
    try:
        return list(yaml.load_all(io.StringIO(text)))
    except Exception:
        return None  # a grammar the C loader of ruamel.yaml.clib does not accept


def _intended(documents: list, outcomes: list) -> list:
    """``documents`` with the fixes' changes made, round by round, from the end backwards."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.version = (1, 1)
    for number in sorted({o.round for o in outcomes}):
        in_round = [o for o in outcomes if o.round == number]
        for outcome in sorted(in_round, key=lambda o: o.finding.fix_plan.edits[0].start,
                              reverse=True):
            fix = outcome.finding.fix
            parent = documents[outcome.finding.fix_plan.document]
            for step in fix.path[:-1]:
                parent = parent[step]
            new = yaml.load(fix.replacement)
            if fix.action in ("replace-value", "add-key"):
                parent[fix.path[-1]] = new
            elif fix.action == "rename-key":
                parent[fix.replacement] = parent.pop(fix.path[-1])
            else:
                parent[fix.path[-1]:fix.path[-1] + 1] = new
    return documents


def _touched_lines(before: str, after: str) -> set[int]:
    """1-based lines of ``before`` that the change replaces, or inserts text at."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    touched: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False) \
            .get_opcodes():
        if tag in ("replace", "delete"):
            touched.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            touched.add(i1 + 1 if i1 < len(old) else i1)
    return touched


def _fixable_lines(findings: list) -> set[int]:
    lines: set[int] = set()
    for finding in findings:
        plan = finding.fix_plan
        if plan is None or not plan.applicable:
            continue
        lines.update(range(finding.span.line, finding.span.end_line + 1))
        for edit in plan.edits:
            lines.update(range(edit.span.line, edit.span.end_line + 1))
    return lines


def _identity(finding) -> tuple:
    return (finding.file, finding.rule_id, finding.object.label() if finding.object else "",
            finding.field or "")


def _check(run, before: dict[str, str], findings: list, reference: list | None = None) -> int:
    """The properties for every changed file of ``run``; returns how many files changed.

    Nothing may be reported after the fix that ``reference`` (default: ``findings``, those
    of the text before) does not report.
    """
    changed = {s.path: s.text for s in run.changed}
    by_file: dict[str, list] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for path, text in changed.items():
        original = before[path]
        touched = _touched_lines(original, text)
        assert touched <= _fixable_lines(by_file[path]), (path, sorted(touched))
        # The independent reading costs about a second per 2 MB: the few big install
        # manifests are left to fix's own check (the same comparison with kprobelint's loader).
        old_documents = _ruamel_documents(original) if len(original) < INDEPENDENT_LIMIT \
            else None
        if old_documents is not None:
            outcomes = [o for o in run.fixed if o.finding.file == path]
            assert _ruamel_documents(text) == _intended(old_documents, outcomes), path
    if changed:
        options = _options(sorted(changed))
        relinted = lint_texts(options, changed)
        second = run_fixes(relinted, unsafe=True,
                           relint=lambda texts: lint_texts(options, texts),
                           inline={path: text.encode("utf-8") for path, text in changed.items()})
        assert not second.fixed and not second.changed
        after = {_identity(f) for f in relinted}
        fixed = {_identity(o.finding) for o in run.fixed}
        assert after.isdisjoint(fixed)
        known = findings if reference is None else reference
        assert after <= {_identity(f) for f in known if f.file in changed}
    return len(changed)


def test_fix_on_the_corpus_as_it_is():
    texts = _texts()
    assert len(texts) > 900
    options = _options(sorted(texts))
    options.fix = True  # as `fix` lints: remembering each file's content hash
    findings = lint(options).findings
    options.fix = False
    run = run_fixes(findings, unsafe=True, relint=lambda t: lint_texts(options, t))
    _check(run, texts, findings)
    assert not [o for o in run.not_fixed if "please report it" in str(o.reason)]


def test_fix_on_the_corpus_with_planted_mistakes():
    originals, texts = {}, {}
    for path, text in _texts().items():
        if len(text) >= INDEPENDENT_LIMIT:
            continue  # the few big install manifests: a third of the suite's time for this test
        planted = text
        for pattern, replace in PLANTS:
            planted = pattern.sub(replace, planted)
        if planted != text:
            originals[path], texts[path] = text, planted
    assert len(texts) > 100
    options = _options(sorted(texts))
    findings = lint_texts(options, texts)
    run = run_fixes(findings, unsafe=True, relint=lambda t: lint_texts(options, t),
                    inline={path: text.encode("utf-8") for path, text in texts.items()})
    # Fixing a planted mistake may reveal what the wrong value hid (a `latest` image with
    # IfNotPresent): compare with the file as it was before planting.
    changed = _check(run, texts, findings, lint_texts(options, originals))
    assert changed > 70 and len(run.fixed) > 120
    # Each fix undoes its planting exactly: a line it changes becomes the original line.
    # What is left is refused with a reason (Helm output, a value shared through an anchor)
    # or was planted where no rule looks (inside an annotation's JSON text).
    for state in run.changed:
        lines = state.text.splitlines()
        planted = texts[state.path].splitlines()
        original = originals[state.path].splitlines()
        assert len(lines) == len(original)
        for number, line in enumerate(lines):
            if line != planted[number]:
                assert line == original[number], (state.path, number + 1)
    assert all(o.reason for o in run.not_fixed)
    left = lint_texts(options, {s.path: s.text for s in run.changed})
    assert not [f for f in left if f.rule_id in ("KPL206", "KPL110", "KPL111")]
