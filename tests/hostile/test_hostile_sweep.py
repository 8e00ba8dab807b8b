"""Every field of every rule example, replaced by values of the wrong type: no rule may raise.

For each document of each rule's passing and failing examples, every value (scalar or
collection, anywhere in the object) is replaced in turn by each of :data:`ODD_VALUES`, and
every mapping gets every field name the checks read (:data:`FIELDS`) added at once with an odd
value. Each variant is linted with every rule selected (those off by default too); a rule that
raises shows up as an ``internal-error`` (KPL009) finding, and anything raised outside a rule
as an exception. The in-process API is used for speed: variants are batched into multi-document
streams, and a batch that raises is re-linted one variant at a time to name the culprit.

The number of variants is bounded: for each check (the logic several rules share), a field
path (list indexes folded) is varied in the first example of its rules that has it, and so is
a mapping path for the added fields; identical variants are linted once.
"""
from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from typing import Any, Iterator

import pytest

from kprobelint.bundle import plain
from kprobelint.engine import Selection
from kprobelint.load import load_text
from kprobelint.ruleset import builtin_rules
from kprobelint.runner import Options, lint

ODD_VALUES = (
    "null", "[]", "{}", '"x"', "1" + "0" * 400, ".nan", ".inf", "-.inf", "-1", "0", "1.5",
    "true", '"  "', '""', '"8080"', "9223372036854775807", "-" + "9" * 30, "[null]", "[[]]",
    "{x: null}", "[{}]", '"$(X)"',
)
# Field names the checks and the model read, and a few neighbours: added where missing.
FIELDS = (
    "name port metadata livenessProbe readinessProbe startupProbe restartPolicy command args "
    "valueFrom sleep optional lifecycle image host env envFrom containerPort hostPort volumes "
    "terminationGracePeriodSeconds spec seconds items imagePullPolicy exec volumeMounts value "
    "subPath subPathExpr mountPath selector securityContext runAsUser runAsNonRoot scheme "
    "preStop postStart ports path labels annotations kind apiVersion key initialDelaySeconds "
    "httpGet tcpSocket grpc service hostNetwork failureThreshold successThreshold timeoutSeconds "
    "periodSeconds volumeClaimTemplates sources projected resources requests limits "
    "podFailurePolicy rules action onExitCodes onPodConditions persistentVolumeClaim claimName "
    "configMap secret secretName configMapKeyRef secretKeyRef configMapRef secretRef "
    "ownerReferences os namespace generateName httpHeaders initContainers containers "
    "ephemeralContainers template jobTemplate data stringData binaryData protocol "
    "shareProcessNamespace"
).split()
BATCH = 300
# Rules with version bounds run again at versions inside their bounds.
OTHER_VERSIONS = ("1.23", "1.29", "1.31")

# Bugs this sweep finds that are reported but not fixed yet: (rule id, text of the internal
# error), each with an xfail(strict=True) test of its own that reproduces it; remove the entry
# with the fix. (The sweep found KPL601 raising on a volume name that is a list, now fixed.)
KNOWN_BUGS: tuple[tuple[str, str], ...] = ()

MARK = "\x00odd\x00"
MARK_JSON = json.dumps(MARK)


@dataclass(frozen=True)
class Variant:
    template: str  # a stream of JSON documents, MARK_JSON where the odd value goes
    origin: str  # rule id, example and path, for the failure message
    check: str  # the check of the rule whose example it comes from

    def text(self, odd: str) -> str:
        return self.template.replace(MARK_JSON, odd)


def _documents(yaml: str) -> list[Any]:
    return [plain(d.data) for d in load_text("example.yaml", yaml).documents]


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), value
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield path + (index,), value
            yield from _walk(value, path + (index,))


def _folded(path: tuple) -> tuple:
    return tuple("[]" if isinstance(step, int) else step for step in path)


def _stream(documents: list[Any]) -> str:
    return "".join("---\n" + json.dumps(d) + "\n" for d in documents)


def _replaced(documents: list[Any], index: int, path: tuple) -> list[Any]:
    changed = copy.deepcopy(documents)
    node = changed[index]
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = MARK
    return changed


def _with_fields(documents: list[Any], index: int, path: tuple) -> list[Any]:
    changed = copy.deepcopy(documents)
    node = changed[index]
    for step in path:
        node = node[step]
    for name in FIELDS:
        node.setdefault(name, MARK)
    return changed


def variants() -> list[Variant]:
    seen: set[str] = set()
    done: set[tuple] = set()  # (check, "value" or "fields", folded path)
    found: list[Variant] = []

    def add(documents: list[Any], origin: str, check: str) -> None:
        template = _stream(documents)
        if template not in seen:
            seen.add(template)
            found.append(Variant(template, origin, check))

    for rule in builtin_rules():
        check = rule.check or rule.name  # input rules have no check: each its own
        for kind, examples in (("pass", rule.passing), ("fail", rule.failing)):
            for number, example in enumerate(examples):
                documents = _documents(example.yaml)
                for index, document in enumerate(documents):
                    origin = f"{rule.id} {kind}[{number}] document {index}"
                    if isinstance(document, dict) and (check, "fields", ()) not in done:
                        done.add((check, "fields", ()))
                        add(_with_fields(documents, index, ()), f"{origin} fields at top", check)
                    for path, value in _walk(document):
                        folded = _folded(path)
                        if (check, "value", folded) not in done:
                            done.add((check, "value", folded))
                            add(_replaced(documents, index, path), f"{origin} at {path}", check)
                        if isinstance(value, dict) and (check, "fields", folded) not in done:
                            done.add((check, "fields", folded))
                            add(_with_fields(documents, index, path), f"{origin} fields at {path}",
                                check)
    return found


VARIANTS = variants()


def _lint(text: str, selection: Selection, complete: bool):
    options = Options(["-"], selection, complete=complete, jobs=1)
    return lint(options, stdin=text.encode("utf-8")).findings


def _problems(batch: list[Variant], odd: str, selection: Selection, complete: bool) -> list[str]:
    """Internal errors and exceptions of a batch, each naming its variant."""
    texts = [v.text(odd) for v in batch]
    starts, line = [], 1  # first line of each variant in the stream
    for text in texts:
        starts.append(line)
        line += text.count("\n")
    try:
        findings = _lint("".join(texts), selection, complete)
    except Exception:  # noqa: BLE001  (find which variant it was)
        problems = []
        for variant, text in zip(batch, texts, strict=True):
            try:
                findings = _lint(text, selection, complete)
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{type(exc).__name__}: {exc}\n  in {variant.origin} with {odd}"
                                f"\n  {text[:1500]}")
                continue
            problems += [f"{f.message}\n  in {variant.origin} with {odd}\n  {text[:1500]}"
                         for f in findings if f.rule_id == "KPL009"]
        # A batch can also fail only because of what several variants hold together (a
        # whole-input index over all of them): see test_hostile_values.py for that bug.
        return problems
    problems = []
    for finding in findings:
        if finding.rule_id == "KPL009":
            i = max(i for i, start in enumerate(starts) if start <= finding.span.line)
            problems.append(f"{finding.message}\n  in {batch[i].origin} with {odd}\n"
                            f"  {texts[i][:1500]}")
    return problems


def _known(problem: str) -> bool:
    return any(problem.startswith(f"rule {rule} ") and text in problem.split("\n", 1)[0]
               for rule, text in KNOWN_BUGS)


@functools.cache
def sweep(odd: str) -> tuple[str, ...]:
    complete = ODD_VALUES.index(odd) % 2 == 1  # half the values with --complete as well
    selection = Selection(("ALL",))
    problems: list[str] = []
    for start in range(0, len(VARIANTS), BATCH):
        problems += _problems(VARIANTS[start:start + BATCH], odd, selection, complete)
    return tuple(problems)


def test_the_sweep_covers_every_rule_example():
    assert len(VARIANTS) > 2000
    checks = {v.check for v in VARIANTS}
    with_documents = {r.check or r.name for r in builtin_rules()
                      for e in r.passing + r.failing if _documents(e.yaml)}
    assert with_documents <= checks


@pytest.mark.parametrize("odd", ODD_VALUES)
def test_no_rule_raises_on_an_odd_value_anywhere(odd):
    problems = [p for p in sweep(odd) if not _known(p)]
    assert not problems, f"{len(problems)} problem(s); the first ones:\n" + "\n".join(problems[:5])


VERSIONED = [r for r in builtin_rules() if r.min_kube_version or r.max_kube_version]


@pytest.mark.parametrize("version", OTHER_VERSIONS)
def test_no_versioned_rule_raises_on_odd_values(version):
    """Rules with version bounds, at versions within them, on their own checks' variants."""
    selection = Selection(tuple(r.id for r in VERSIONED), kube_version=version)
    checks = {r.check for r in VERSIONED}
    variants_ = [v for v in VARIANTS if v.check in checks]
    assert variants_
    problems = []
    for odd in ODD_VALUES:
        for start in range(0, len(variants_), BATCH):
            problems += _problems(variants_[start:start + BATCH], odd, selection, False)
    problems = [p for p in problems if not _known(p)]
    assert not problems, f"{len(problems)} problem(s); the first ones:\n" + "\n".join(problems[:5])


def test_the_sweep_finds_a_check_that_raises_on_a_wrong_type(monkeypatch):
    """The sweep itself works: a check that trusts a field's type is caught, and named."""
    from kprobelint import checks  # noqa: PLC0415
    from kprobelint.records import replace  # noqa: PLC0415

    spec = checks.registry()["image-tag-latest"]

    def trusting(container, params):
        container.data.get("image", "").endswith(":latest")  # AttributeError on a list
        yield from spec.func(container, params)

    monkeypatch.setitem(checks.REGISTRY, "image-tag-latest",
                        replace(spec, func=trusting))
    problems = []
    for start in range(0, len(VARIANTS), BATCH):
        problems += _problems(VARIANTS[start:start + BATCH], "[]", Selection(("KPL204",)), False)
    assert problems
    assert all(p.startswith("rule KPL204 (image-tag-latest) failed") for p in problems)
    assert any("'image')" in p and "with []" in p for p in problems)
