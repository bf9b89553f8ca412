"""computed_once: a total worked out on first use, then read back without calling again."""

from dataclasses import dataclass, field

from ivig_dose.core.computed_once import computed_once


@dataclass(frozen=True)
class Bag:
    doses: tuple[int, ...]
    calls: list[int] = field(default_factory=list, compare=False)

    @computed_once
    def total(self) -> int:
        """The doses added up."""
        self.calls.append(1)
        return sum(self.doses)


def test_computed_on_first_use_and_kept_on_a_frozen_instance():
    bag = Bag((30, 26))
    assert bag.calls == []
    assert bag.total == 56  # 30 + 26
    assert bag.total == 56
    assert bag.calls == [1]


def test_each_instance_has_its_own_value():
    assert (Bag((1, 2)).total, Bag((10,)).total) == (3, 10)


def test_the_class_attribute_is_the_descriptor_with_its_docstring():
    assert isinstance(Bag.total, computed_once)
    assert Bag.total.__doc__ == "The doses added up."
