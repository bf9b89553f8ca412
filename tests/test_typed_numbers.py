"""Numbers and words as people type them: a decimal comma where it cannot be a
thousands separator, kilograms in any common spelling, the arm in any case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.weight import parse_weight
from tests.test_cli_verify import run


@pytest.mark.parametrize(("typed", "kg"), [
    ("72,5", "72.5"), ("72,55", "72.55"), ("72,5 kg", "72.5"), (" 72,5kg ", "72.5"),
    # 158.7 lb × 0.45359237 kg/lb = 71.985109119 kg
    ("158,7 lb", "71.985109119"),
    ("72 KG", "72"), ("72 Kg", "72"), ("72kgs", "72"), ("72 kgs", "72"), ("160 LBS", "72.5747792"),
])
def test_typed_weights(typed: str, kg: str) -> None:
    assert parse_weight(typed) == Decimal(kg)


@pytest.mark.parametrize("typed", ["1,450", "1,450 g", "1,450,000 g", "72,5,5", "72.5,5"])
def test_a_comma_that_may_separate_thousands_is_refused(typed: str) -> None:
    with pytest.raises(InputError, match=r"weight '.*'"):
        parse_weight(typed)


def test_units_stay_case_sensitive_where_case_means_another_unit() -> None:
    # mg is a milligram (72,000,000 mg = 72 kg); Mg (a megagram) is not read as mg
    assert parse_weight("72000000 mg") == Decimal("72")
    with pytest.raises(InputError, match="unknown unit 'Mg'"):
        parse_weight("72 Mg")


@pytest.mark.parametrize("arm", ["IVIG", "Ivig", "PLACEBO", "Placebo"])
def test_the_arm_in_any_case(arm: str) -> None:
    result = run("plan", "--weight", "70", "--start", "2027-01-04", "--arm", arm, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert f'"arm": "{arm.lower()}"' in result.stdout


def test_amounts_are_written_without_exponent_and_approximations_round_half_up():
    from decimal import Decimal

    from ivig_dose.core.amounts import amount, approximate

    assert [amount(Decimal(x)) for x in ("0.0000001", "1E+2", "70.0", "0.50")] == ["0.0000001", "100", "70", "0.5"]
    # a half rounds up, as people do: 0.125 is ≈0.13 and 2.675 ≈2.68 (banker's rounding would give 0.12, 2.68)
    assert [approximate(Decimal(x)) for x in ("0.125", "2.675", "2.665", "1.5")] == ["≈0.13", "≈2.68", "≈2.67", "1.5"]
    assert approximate(Decimal("28.46"), 1) == "≈28.5"
