"""The status catalogue: complete against the source note, well-formed, aliases resolve."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kprobelint.catalogue import STAGES, Status, find_status, load_catalogue

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "status-catalogue.en.md"

EXTRA = ("Rejected", "FailedCreate", "FailedPreStopHook", "FailedMount", "ProbeNeverFires",
         "ProgressDeadlineExceeded", "FieldDropped", "NoEndpoints", "ConnectionRefused")

NOT_CAUSABLE = (
    "RegistryUnavailable",
    "NodeLost",
    "DockerDaemonNotReady",
    "NetworkPluginNotReady",
    "ImageInspectError",
    "Unknown",
    "PreStartContainer",
)

CAUSABLE = (
    "Rejected",
    "InvalidImageName",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
    "CrashLoopBackOff",
    "PostStartHookError",
    "ContainersNotReady",
    "Pending",
    "Unschedulable",
    "ContainerCreating",
    "FailedCreate",
    "Terminating",
)


def seed_statuses(text: str) -> list[str]:
    """The first column of every Markdown table whose header's first cell is "status"."""
    names: list[str] = []
    in_status_table = False
    header_next = True
    for line in text.splitlines():
        if not line.startswith("|"):
            in_status_table, header_next = False, True
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header_next:
            in_status_table = cells[0].lower() == "status"
            header_next = False
            continue
        if not in_status_table or set(cells[0]) <= set("-: "):
            continue  # another kind of table, or the |---| separator row
        # "Unkown (sic)" -> "Unkown"
        names.append(re.sub(r"\s*\(.*\)\s*$", "", cells[0]))
    return names


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Status]:
    return load_catalogue()


def test_seed_parser_reads_status_tables_only() -> None:
    text = (
        "| status | meaning |\n|---|---|\n| Pending | x |\n| Unkown (sic) | y |\n\n"
        "| handler | success when |\n|---|---|\n| ExecAction | z |\n"
    )
    assert seed_statuses(text) == ["Pending", "Unkown"]


def test_every_seed_status_is_catalogued() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    if not SEED.is_file():
        pytest.skip(f"{SEED} is absent")
    names = seed_statuses(SEED.read_text(encoding="utf-8"))
    assert len(set(names)) >= 30, names  # the parser really found the tables
    missing = [n for n in names if find_status(n) is None]
    assert not missing, f"statuses of the source note missing from the catalogue: {missing}"


def test_catalogue_has_the_source_statuses_without_the_seed(catalogue) -> None:
    # The same completeness check without /work/shared: the names the source's tables hold.
    expected = """
        Pending Failed Unknown Succeeded Unschedulable PodScheduled Initialized
        ImagePullBackOff Running Ready Error NodeLost Unkown Waiting Terminating
        CrashLoopBackOff InvalidImageName ImageInspectError ErrImageNeverPull
        RegistryUnavailable ErrImagePull CreateContainerConfigError CreateContainerError
        PreStartContainer PostStartHookError RunContainerError ContainersNotInitialized
        ContainersNotReady ContainerCreating PodInitializing DockerDaemonNotReady
        NetworkPluginNotReady
    """.split()
    assert [n for n in expected if find_status(n) is None] == []
    # One entry per status: the misspelling and the duplicate rows add none.
    assert len(catalogue) == len(set(expected)) - 1 + len(EXTRA)


@pytest.mark.parametrize("name", EXTRA)
def test_extra_outcomes_exist(catalogue, name: str) -> None:
    assert name in catalogue


@pytest.mark.parametrize("name", NOT_CAUSABLE)
def test_non_causable_statuses_say_what_to_check_instead(catalogue, name: str) -> None:
    status = catalogue[name]
    assert status.manifest_can_cause is False
    assert status.instead and status.instead.strip()


@pytest.mark.parametrize("name", CAUSABLE)
def test_causable_statuses(catalogue, name: str) -> None:
    assert catalogue[name].manifest_can_cause is True


def test_instead_only_when_not_causable(catalogue) -> None:
    for status in catalogue.values():
        if status.manifest_can_cause:
            assert status.instead is None, status.name
        else:
            assert status.instead, status.name


def test_aliases_resolve() -> None:
    unknown = find_status("Unknown")
    assert unknown is not None
    assert find_status("Unkown") is unknown
    assert "Unkown" in unknown.aliases
    assert find_status("Unkown") is not None and find_status("Unkown").name == "Unknown"


def test_misspelling_is_not_a_separate_entry(catalogue) -> None:
    assert "Unkown" not in catalogue


def test_find_status_ignores_case() -> None:
    assert find_status("crashloopbackoff") is find_status("CrashLoopBackOff")
    assert find_status("UNKOWN") is find_status("Unknown")
    assert find_status("NoSuchStatus") is None


def test_prestartcontainer_is_the_internal_hook_error() -> None:
    status = find_status("PreStartContainer")
    assert status is not None and status.manifest_can_cause is False
    assert "PreStartHookError" in status.meaning


def test_every_entry_is_complete(catalogue) -> None:
    for key, status in catalogue.items():
        assert key == status.name
        assert isinstance(status.manifest_can_cause, bool), key
        assert status.meaning.strip(), key
        assert status.check.strip(), key
        assert status.stage in STAGES, (key, status.stage)


def test_stages_are_the_allowed_set(catalogue) -> None:
    assert {
        "phase",
        "condition",
        "condition-reason",
        "waiting-reason",
        "terminated-reason",
        "display",
        "event",
        "api",
        "service",
    } == STAGES
    assert {s.stage for s in catalogue.values()} <= STAGES


def test_stages_of_well_known_statuses(catalogue) -> None:
    for name in ("Pending", "Running", "Succeeded", "Failed", "Unknown"):
        assert catalogue[name].stage == "phase", name
    assert catalogue["ImagePullBackOff"].stage == "waiting-reason"
    assert catalogue["Waiting"].stage != "phase"
    assert catalogue["Rejected"].stage == "api"


def test_names_and_aliases_are_unique(catalogue) -> None:
    keys = [k.casefold() for s in catalogue.values() for k in s.names]
    assert len(keys) == len(set(keys))


def test_catalogue_file_is_clean_yaml() -> None:
    from kprobelint.ruleset import rules_dir

    text = (rules_dir() / "catalogue.yaml").read_text(encoding="utf-8")
    assert "\t" not in text
    assert all(len(line) <= 100 for line in text.splitlines())
