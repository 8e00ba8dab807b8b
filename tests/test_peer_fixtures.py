"""Our verdicts on the peers' own test fixtures (Polaris, kube-score), row by row.

``../shared/corpus/peer-fixtures/EXPECTED.tsv`` lists, for each fixture file copied from
Polaris and kube-score, the verdict (pass|fail) that the peer's own test suite asserts for one
of its checks. Each peer check is mapped below to the kprobelint rule(s) with the same
semantics; the fixture is linted ALONE (the peer's scope is the file) with only those rules
selected, and "fail" means at least one finding of those rules on that file, whatever its
severity (the equivalent of ``kprobelint --format json --fail-on note --select <ids> FILE``).

Where we disagree on purpose, the row is listed in ``DISAGREEMENTS`` with the reason, and the
test asserts that we DO disagree, so the table cannot go stale silently: if a rule changes and
starts agreeing, the entry must be removed; if it starts disagreeing anywhere else, the test
fails until the new disagreement is either fixed or justified here.

A verdict in EXPECTED.tsv is the peer's, not the truth (see the corpus README and
``../shared/research/peers.md`` sections 2, 3, 8 and 9).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kprobelint.engine import Selection
from kprobelint.ruleset import builtin_rules
from kprobelint.runner import Options, lint

PEER_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "peer-fixtures"
EXPECTED_TSV = PEER_FIXTURES / "EXPECTED.tsv"
COLUMNS = ["file", "peer", "check", "expected", "source_of_expectation", "scope"]

if not EXPECTED_TSV.is_file():
    pytest.skip(f"{EXPECTED_TSV} is absent (../shared is not present)", allow_module_level=True)

# --------------------------------------------------------------------------------------------
# Peer check -> kprobelint rules with the same semantics. Keys are (peer, check id); the check
# id is the `check` column without its parenthesised display name ("pod-probes (Pod Probes)"
# -> "pod-probes").
# --------------------------------------------------------------------------------------------
PULL_POLICY_RULES = (
    "KPL203",  # image-pull-policy-never: the image is never pulled (ErrImageNeverPull)
    "KPL205",  # image-latest-if-not-present: a moving tag pulled only once per node
    "KPL206",  # image-pull-policy-invalid: not one of the three accepted values (Rejected)
)

MAPPING: dict[tuple[str, str], tuple[str, ...]] = {
    # Polaris: the container has no livenessProbe (Jobs, CronJobs and init containers
    # excluded). Ours: KPL151 (readiness but no liveness) and KPL150, which by design reports
    # a container with no probe at all once ("has no readinessProbe (nor a livenessProbe)")
    # instead of a second liveness finding (see `kprobelint explain KPL151`).
    ("polaris", "livenessProbeMissing"): ("KPL150", "KPL151"),
    # Polaris: the container has no readinessProbe (same exclusions).
    ("polaris", "readinessProbeMissing"): ("KPL150",),
    # Polaris: imagePullPolicy missing or not Always. Ours: the pull-policy rules.
    ("polaris", "pullPolicyNotAlways"): PULL_POLICY_RULES,
    # Polaris: image without a tag or with the tag latest.
    ("polaris", "tagNotSpecified"): ("KPL204",),
    # kube-score: when a Service of the input selects the Pod, a missing readinessProbe is
    # CRITICAL (a missing livenessProbe alone is only "AlmostOK", printed as OK). Ours warns
    # only for the containers a port of the Service targets; the fixtures' Pods have one
    # container and no ports, which an undeclared numeric targetPort reaches, so both agree.
    ("kube-score", "pod-probes"): ("KPL150", "KPL151"),
    # kube-score: readiness and liveness probe the same endpoint (httpGet path+port, tcpSocket
    # port, exec command). Ours: KPL126, the same endpoint AND a liveness failure budget not
    # larger than the readiness one (kube-score ignores thresholds: its #339 false positive);
    # with the default thresholds of these fixtures both definitions coincide.
    ("kube-score", "pod-probes-identical"): ("KPL126",),
    # kube-score: tag empty or latest.
    ("kube-score", "container-image-tag"): ("KPL204",),
    # kube-score: imagePullPolicy != Always, except unset with no tag or latest.
    ("kube-score", "container-image-pull-policy"): PULL_POLICY_RULES,
}

# Peer checks we do not implement at all: (peer, check id) -> reason. Every check in
# EXPECTED.tsv currently has a counterpart, so this is empty; a new row whose check has none
# must be listed here with the reason (and is then not asserted).
OUT_OF_SCOPE: dict[tuple[str, str], str] = {}

# --------------------------------------------------------------------------------------------
# Deliberate disagreements: (file, check id) -> reason grounded in Kubernetes semantics.
# --------------------------------------------------------------------------------------------
_PINNED_TAG_DEFAULT = (
    "The image has a version tag and no imagePullPolicy, so the API server defaults it to "
    "IfNotPresent: the node pulls the tag once and reuses it, which is the Kubernetes default "
    "and the recommended setup for an immutable version tag. {peer} demands an explicit "
    "`Always`, which adds a registry round trip to every container start and makes each "
    "restart depend on the registry (an outage, missing credentials or a Docker Hub rate "
    "limit leaves the container in ErrImagePull/ImagePullBackOff on a node that already has "
    "the image). Peers demand Always even for digest-pinned images (Polaris #1058, closed "
    "stale). We flag pull policies that actually break or drift (Never: KPL203; IfNotPresent "
    "with a moving latest tag: KPL205; invalid values: KPL206), not a sound default."
)
_UNTAGGED_DEFAULT_ALWAYS = (
    "The image `{image}` has no tag and no imagePullPolicy: the API server defaults the "
    "policy to Always for an untagged or :latest image, so the effective policy already IS "
    "Always and Polaris flags only the absence of the field (kube-score itself accepts this "
    "case: pod-image-pullpolicy-undefined-no-tag.yaml passes). The real problem in this file "
    "is the missing tag, which KPL204 image-tag-latest reports (as does Polaris "
    "tagNotSpecified)."
)

DISAGREEMENTS: dict[tuple[str, str], str] = {
    ("polaris/test/checks/livenessProbeMissing/failure.yaml", "livenessProbeMissing"): (
        "A bare Pod whose only container declares no ports, has no readinessProbe and is "
        "selected by no Service of the file. A livenessProbe is not free (a too-strict one "
        "restarts healthy containers under load) and a crashing process is restarted by the "
        "kubelet anyway (restartPolicy Always), so we ask for liveness only where readiness "
        "is configured (KPL151) or the container takes traffic (KPL150, whose message then "
        "says liveness is missing too). Polaris requires both probes on every long-running "
        "container; the same over-reach is its most common complaint for readiness "
        "(Polaris #651 'readinessProbeMissing is noisy', #196)."
    ),
    ("polaris/test/checks/readinessProbeMissing/failure.yaml", "readinessProbeMissing"): (
        "A bare Pod whose only container declares no ports and which no Service of the file "
        "selects: nothing routes traffic by this Pod's readiness, so a readinessProbe gates "
        "nothing (readiness only adds or removes the Pod from Service endpoints). Polaris "
        "requires it on every long-running container, which users report as noise "
        "(Polaris #651, #196); kube-score skips such a Pod too ('not targeted by a service, "
        "skipping probe checks'). We flag it when the container declares ports (note) or when "
        "a Service of the input targets one of its ports (warning; a headless Service, which "
        "only publishes the Pod in DNS, a note)."
    ),
    ("polaris/test/checks/pullPolicyNotAlways/failure.yaml", "pullPolicyNotAlways"):
        _UNTAGGED_DEFAULT_ALWAYS.format(image="nginx"),
    ("polaris/test/checks/pullPolicyNotAlways/failure.cron-job.yaml", "pullPolicyNotAlways"):
        _UNTAGGED_DEFAULT_ALWAYS.format(image="busybox"),
    ("polaris/test/checks/pullPolicyNotAlways/failure.deployment.yaml", "pullPolicyNotAlways"):
        "nginx:1.14.2. " + _PINNED_TAG_DEFAULT.format(peer="Polaris"),
    ("kube-score/score/testdata/pod-image-pullpolicy-undefined.yaml",
     "container-image-pull-policy"):
        "foo/bar:123. " + _PINNED_TAG_DEFAULT.format(peer="kube-score"),
    ("kube-score/score/testdata/kube-score-ignore-annotations.yaml",
     "container-image-pull-policy"):
        "foo/bar:123 (the row tests kube-score's ignore annotation, which leaves this check "
        "on). " + _PINNED_TAG_DEFAULT.format(peer="kube-score"),
}


@dataclass(frozen=True)
class Row:
    file: str
    peer: str
    check: str  # the check id, without the display name
    expected: str
    source: str
    scope: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.check)

    @property
    def id(self) -> str:
        short = self.file.split("/")[-1].removesuffix(".yaml")
        folder = self.file.split("/")[-2]
        name = short if self.peer == "kube-score" else f"{folder}/{short}"
        return f"{self.peer}:{self.check}:{name}"


def _read_rows() -> list[Row]:
    lines = EXPECTED_TSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header == COLUMNS, f"unexpected EXPECTED.tsv header: {header}"
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), f"EXPECTED.tsv line {number}: {len(cells)} columns"
        file, peer, check, expected, source, scope = cells
        rows.append(Row(file, peer, check.split(" (")[0].strip(), expected, source, scope))
    return rows


ROWS = _read_rows()


def _verdict(row: Row) -> tuple[str, list[str]]:
    """Lint the fixture alone with the mapped rules: ("fail"|"pass", finding summaries)."""
    if (row.peer, row.check) not in MAPPING:
        pytest.fail(f"{row.peer} {row.check} is neither mapped nor out of scope")
    path = PEER_FIXTURES / row.file
    assert path.is_file(), f"fixture missing: {path}"
    result = lint(Options([str(path)], Selection(select=MAPPING[(row.peer, row.check)]), jobs=1))
    assert result.stats.files == 1 and result.stats.objects >= 1, (row.file, result.stats)
    assert not result.stats.skipped, result.stats.skipped
    findings = [f"{f.rule_id} {f.severity} line {f.span.line}: {f.message}"
                for f in result.findings]
    return ("fail" if findings else "pass"), findings


# --------------------------------------------------------------------------------------------
# The table itself
# --------------------------------------------------------------------------------------------

def test_expected_tsv_is_well_formed():
    assert ROWS, "EXPECTED.tsv has no rows"
    keys = [row.key for row in ROWS]
    assert len(keys) == len(set(keys)), "duplicate (file, check) rows in EXPECTED.tsv"
    for row in ROWS:
        assert row.peer in {"polaris", "kube-score"}, row
        assert row.expected in {"pass", "fail"}, row
        assert row.scope == "file", row  # we lint each file alone because of this
        assert (PEER_FIXTURES / row.file).is_file(), row.file


def test_every_row_is_covered():
    """Each row's check is mapped to our rules or explicitly out of scope, never both."""
    uncovered = sorted({(r.peer, r.check) for r in ROWS
                        if (r.peer, r.check) not in MAPPING
                        and (r.peer, r.check) not in OUT_OF_SCOPE})
    assert not uncovered, f"peer checks neither mapped nor out of scope: {uncovered}"
    assert not set(MAPPING) & set(OUT_OF_SCOPE)
    assert all(reason.strip() for reason in OUT_OF_SCOPE.values())


def test_tables_are_not_stale():
    """Every mapping, out-of-scope and disagreement entry refers to what EXPECTED.tsv holds."""
    checks = {(r.peer, r.check) for r in ROWS}
    assert set(MAPPING) <= checks, set(MAPPING) - checks
    assert set(OUT_OF_SCOPE) <= checks, set(OUT_OF_SCOPE) - checks
    by_key = {r.key: r for r in ROWS}
    for key, reason in DISAGREEMENTS.items():
        assert key in by_key, f"disagreement for a row not in EXPECTED.tsv: {key}"
        row = by_key[key]
        assert (row.peer, row.check) in MAPPING, f"disagreement on an out-of-scope row: {key}"
        assert len(reason) > 80, f"give the reason for {key}"


def test_mapped_rules_exist():
    ids = {rule.id for rule in builtin_rules()}
    for check, rules in MAPPING.items():
        assert rules and set(rules) <= ids, (check, set(rules) - ids)


# --------------------------------------------------------------------------------------------
# One test per row
# --------------------------------------------------------------------------------------------

def _params():
    for row in ROWS:
        marks = ()
        if (row.peer, row.check) in OUT_OF_SCOPE:
            marks = pytest.mark.skip(reason=f"out of scope: {OUT_OF_SCOPE[(row.peer, row.check)]}")
        yield pytest.param(row, id=row.id, marks=marks)


@pytest.mark.parametrize("row", list(_params()))
def test_verdict_matches_peer(row: Row):
    ours, findings = _verdict(row)
    rules = ",".join(MAPPING[(row.peer, row.check)])
    if row.key in DISAGREEMENTS:
        assert ours != row.expected, (
            f"{row.file}: listed in DISAGREEMENTS but we now agree with {row.peer} "
            f"{row.check} ({row.expected}); remove the entry. Findings of {rules}: {findings}")
    else:
        assert ours == row.expected, (
            f"{row.file}: {row.peer} {row.check} expects {row.expected} "
            f"({row.source}), we say {ours} with {rules}: {findings}")
