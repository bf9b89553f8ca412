"""Converting with a factor asked of pint once per unit gives pint's own answer, digit for digit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.errors import InputError
from ivig_dose.parse.units import parse_positive, registry
from ivig_dose.parse.weight import parse_weight

MASS_UNITS = ["lb", "lbs", "pound", "oz", "st", "g", "mg", "kg", "kilogram", "µg"]
LENGTH_UNITS = ["in", "inches", "ft", "feet", "m", "cm", "mm"]

#: Up to 9 significant digits with up to 4 decimals: far more than anyone types for a weight.
numbers = st.integers(min_value=1, max_value=10**9 - 1).flatmap(
    lambda n: st.integers(min_value=0, max_value=4).map(lambda places: Decimal(n).scaleb(-places)))


def pint_answer(number: Decimal, unit: str, target: str) -> Decimal:
    """What pint itself answers: a pint Quantity converted on every call, the reference for the cached factors."""
    ureg = registry()
    return Decimal(ureg.Quantity(number, ureg.parse_units(unit)).to(target).magnitude)


@given(numbers, st.sampled_from(MASS_UNITS))
def test_mass_conversion_is_pints_own(number: Decimal, unit: str) -> None:
    converted = parse_positive(f"{number} {unit}", "kg", "weight", "a mass")
    expected = pint_answer(number, unit, "kg")
    assert converted == expected
    assert str(converted) == str(expected)  # the same digits and exponent, not only the same value


@given(numbers, st.sampled_from(LENGTH_UNITS))
def test_length_conversion_is_pints_own(number: Decimal, unit: str) -> None:
    assert str(parse_positive(f"{number}{unit}", "cm", "height", "a length")) == str(pint_answer(number, unit, "cm"))


def test_pound_by_definition() -> None:
    # 1 lb = 0.45359237 kg exactly: 158 × 0.45359237 = 71.66759446, 0.7 × 0.45359237 = 0.317514659,
    # together 71.985109119 kg; 72000 g / 1000 = 72 kg.
    assert parse_weight("158.7 lb") == Decimal("71.985109119")
    assert parse_weight("72000 g") == Decimal("72")


@pytest.mark.parametrize(("text", "message"), [
    ("70 cm", "weight '70 cm' is not a mass"),
    ("70 parsec", "weight '70 parsec': unknown unit 'parsec'"),
])
def test_unit_errors_are_worded_as_before(text: str, message: str) -> None:
    for _ in range(2):  # the second time answers from the cache and must say the same
        with pytest.raises(InputError, match=message):
            parse_weight(text)
