"""Pump rates typed with their units: a volume rate, an IgG mass rate through the product's
concentration (100 mg/mL here), per kg of body weight or not; and what is no pump rate at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.units import parse_rate_limit, parse_rate_per_kg

D = Decimal


@pytest.mark.parametrize(("text", "limit"), [
    ("100 mL/h", (D(100), None)),
    ("6 mL/min", (D(360), None)),  # 6 x 60
    ("500 mg/h", (D(5), None)),  # 500 mg/h of IgG at 100 mg/mL is 5 mL/h
    ("2 (mg)/h", (D("0.02"), None)),  # a mass in parentheses is still a mass
    ("1 mg/kg/min", (None, D("0.6"))),  # 1 / 100 = 0.01 mL/kg/min, x 60
])
def test_a_rate_limit_is_read_as_millilitres_an_hour_or_per_kg(text, limit):
    assert parse_rate_limit(text, D(100), "--max-rate", "A") == limit


@pytest.mark.parametrize("text", [
    "2 1/min",  # the dimension of mg/kg/min, with no mass in it
    "2 mL/mL/h",  # a volume over a volume: no IgG to divide by its concentration
    "2 (mg/kg)/h",  # a first part it cannot read alone is never taken for a mass
    "5 m/s",
])
def test_a_unit_that_is_no_pump_rate_is_refused(text):
    with pytest.raises(InputError) as caught:
        parse_rate_limit(text, D(100), "--max-rate", "A")
    assert str(caught.value) == f"--max-rate {text!r} is not a pump rate; accepted: A"


def test_an_unknown_unit_is_named_with_the_option_and_what_is_accepted():
    with pytest.raises(InputError) as caught:
        parse_rate_limit(" 3 xyz/h ", D(100), "--max-rate", "A")
    assert str(caught.value) == "--max-rate '3 xyz/h': unknown unit 'xyz/h'; accepted: A"
    with pytest.raises(InputError) as caught:
        parse_rate_per_kg("3 xyz/kg/h", D(100), "rate_steps", "B")
    assert str(caught.value) == "rate_steps '3 xyz/kg/h': unknown unit 'xyz/kg/h'; accepted: B"
