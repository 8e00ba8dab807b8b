"""kprobelint.records: hand-written records behave as the dataclasses they replace."""
from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from kprobelint.findings import Fix, HelmSource
from kprobelint.records import FrozenInstanceError, FrozenRecord, Record, replace, set_field


class Point(Record):
    """A mutable record."""

    __slots__ = ("x", "y")

    def __init__(self, x: int, y: list | None = None) -> None:
        self.x = x
        self.y = y


class Frozen(FrozenRecord):
    """A frozen record."""

    __slots__ = ("x", "y")

    def __init__(self, x: int, y: tuple = ()) -> None:
        set_field(self, "x", x)
        set_field(self, "y", y)


@dataclasses.dataclass(slots=True)
class DataPoint:
    x: int
    y: list | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class DataFrozen:
    x: int
    y: tuple = ()


@pytest.mark.parametrize(("record", "dataclass"), [(Point, DataPoint), (Frozen, DataFrozen)])
def test_a_record_compares_and_shows_as_its_dataclass(record, dataclass):
    args = (1, (2, 3)) if record is Frozen else (1, [2, 3])
    assert record(*args) == record(*args) and record(*args) != record(2)
    assert record(*args) != dataclass(*args)  # another class, as between dataclasses
    assert repr(record(*args)).replace(record.__qualname__, "X") == \
        repr(dataclass(*args)).replace(dataclass.__qualname__, "X")
    assert (record(1) == 1) is False and record(1).__eq__(1) is NotImplemented
    assert not hasattr(record(1), "__dict__")


def test_a_mutable_record_changes_and_is_unhashable():
    point = Point(1)
    point.x = 5
    assert point == Point(5)
    with pytest.raises(TypeError):
        hash(point)


def test_a_frozen_record_refuses_changes_and_hashes_by_its_fields():
    frozen = Frozen(1, (2,))
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        frozen.x = 2
    with pytest.raises(AttributeError):
        del frozen.y
    assert hash(frozen) == hash(Frozen(1, (2,))) and {frozen: 1}[Frozen(1, (2,))] == 1


@pytest.mark.parametrize("record", [Point(1, [2]), Frozen(1, (2,)), HelmSource("c/t.yaml", 3),
                                    Fix("rename-key", ("spec", 0), "name")])
def test_a_record_pickles_and_copies(record):  # results come back from worker processes
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(record, protocol)) == record
    assert copy.copy(record) == record and copy.deepcopy(record) == record


def test_replace_makes_a_changed_copy_through_init():
    frozen = Frozen(1, (2,))
    assert replace(frozen, y=(3,)) == Frozen(1, (3,)) and frozen == Frozen(1, (2,))
    assert replace(Point(1, [2]), x=4) == Point(4, [2])
    with pytest.raises(TypeError, match="no field 'z'"):
        replace(frozen, z=1)
