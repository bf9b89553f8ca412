"""core.records.frozen behaves as @dataclass(frozen=True): each record is held to a frozen
dataclass of the same fields."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from ivig_dose.core.records import frozen


def _bag(name: str, decorate: Any) -> Any:
    """The same fields made by ``decorate``: plain, defaulted, and defaulted by a factory."""
    annotations = {"dose_g": "Decimal", "setting": "str", "day": "int", "notes": "tuple[str, ...]",
                   "tags": "list[str]"}
    return decorate(type(name, (), {"__annotations__": annotations, "__module__": __name__, "__qualname__": name,
                                    "day": 1, "notes": field(default=()), "tags": field(default_factory=list)}))


ReferenceBag = _bag("ReferenceBag", dataclass(frozen=True))
Bag = _bag("Bag", frozen)


@frozen
class Step:
    rate: Decimal
    minutes: int = 30


@dataclass(frozen=True)
class ReferenceStep:
    rate: Decimal
    minutes: int = 30


def pair() -> tuple[type, type]:
    """The same fields made both ways: plain, defaulted, and defaulted by a factory; made anew for each
    test, so that what the test holds is what ``frozen`` makes now (a class made when this file was
    imported keeps what it was made with)."""
    return _bag("ReferenceBag", dataclass(frozen=True)), _bag("Bag", frozen)


ARGUMENTS = [((Decimal("30.5"), "home"), {}), ((Decimal(0), "hospital", 2), {"notes": ("a",)}),
             ((), {"dose_g": Decimal("1"), "setting": "home", "tags": ["x"]})]


@pytest.mark.parametrize(("args", "kwargs"), ARGUMENTS)
def test_a_record_is_made_compared_hashed_and_shown_as_a_frozen_dataclass(args, kwargs):
    reference, record = pair()
    a, b = reference(*args, **kwargs), record(*args, **kwargs)
    assert dataclasses.astuple(a) == dataclasses.astuple(b)
    assert repr(a).replace("ReferenceBag", "Bag") == repr(b)
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
    assert record(*args, **kwargs) == b and b != a  # another class is never equal
    with pytest.raises(TypeError):
        hash(b)  # a list in it, as a frozen dataclass with one
    assert b.__eq__(object()) is NotImplemented
    changed = dataclasses.replace(b, day=5)
    assert changed.day == 5 and changed.dose_g == b.dose_g and type(changed) is record
    assert copy.deepcopy(b) == b


def test_a_record_of_a_class_its_module_names_is_pickled_whole():
    bag = Bag(Decimal("30.5"), "home", 2, ("a",), ["x"])
    assert pickle.loads(pickle.dumps(bag)) == bag


def test_every_field_counts_in_equality_hash_and_repr():
    @frozen
    class Two:
        rate: Decimal
        minutes: int

    assert Two(Decimal(1), 2) != Two(Decimal(1), 3) and hash(Two(Decimal(1), 2)) == hash((Decimal(1), 2))
    assert repr(Two(Decimal(1), 2)) == f"{Two.__qualname__}(rate=Decimal('1'), minutes=2)"


def test_a_record_hashes_as_a_frozen_dataclass():
    assert hash(Step(Decimal("42.5"))) == hash(ReferenceStep(Decimal("42.5")))
    assert {Step(Decimal(1)), Step(Decimal(1), 30), Step(Decimal(2))} == {Step(Decimal(1)), Step(Decimal(2))}


def test_a_record_cannot_be_changed():
    _, record = pair()
    bag = record(Decimal(1), "home")
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"^cannot assign to field 'day'$"):
        bag.day = 2
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"^cannot delete field 'day'$"):
        del bag.day
    assert bag.day == 1


def test_each_record_gets_its_own_default_from_a_factory():
    _, record = pair()
    first, second = record(Decimal(1), "home"), record(Decimal(1), "home")
    assert first.tags == [] and first.tags is not second.tags


def test_a_record_without_fields_and_one_with_a_single_field():
    @frozen
    class Empty:
        pass

    @frozen
    class One:
        value: int

    assert Empty() == Empty() and hash(Empty()) == hash(())
    assert One(1) == One(1) != One(2) and hash(One(3)) == hash((3,))
    assert repr(One(1)) == f"{One.__qualname__}(value=1)"
    with pytest.raises(TypeError):
        One()  # a field without a default must be given
