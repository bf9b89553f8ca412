"""``--tolerance`` is a share of the expected (protocol) value, never of the ordered one; its edges.

The worked example of docs/verify.md: 72 kg, baseline day 1 at home is 72 − 30 = 42 g, 420 mL
(R2, R6, R5). 5 % of the expected 420 mL is 21 mL.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core.tolerance import Tolerance

runner = CliRunner()
HOME_BAG = ["verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--setting", "home"]


def status(volume: str, tolerance: str) -> int:
    return runner.invoke(app, [*HOME_BAG, "--volume", volume, "--tolerance", tolerance]).exit_code


@pytest.mark.parametrize(("volume", "expected"), [
    ("441mL", 0),    # +21 mL: 5 % of 420 mL, the edge itself
    ("441.1mL", 1),  # just past it
    ("399mL", 0),    # -21 mL
    ("398.9mL", 1),
    ("442mL", 1),    # 5 % of the ordered 442 mL (22.1 mL) would pass it: the share is of the expected
])
def test_five_percent_is_of_the_expected_value(volume: str, expected: int) -> None:
    assert status(volume, "5%") == expected


@pytest.mark.parametrize(("volume", "tolerance", "expected"), [
    ("425mL", "5 mL", 0), ("425.1mL", "5 mL", 1),    # an amount: 420 ± 5 mL
    ("425mL", "0.5 g", 0), ("425.1mL", "0.5 g", 1),  # 0.5 g is 5 mL at 10 mL/g
    ("462mL", "10%", 0), ("462.1mL", "10%", 1),      # the largest share: 42 mL
    ("420.1mL", "0", 1),                             # exact
])
def test_an_amount_and_the_largest_share_at_their_edges(volume: str, tolerance: str, expected: int) -> None:
    assert status(volume, tolerance) == expected


def test_an_amount_never_passes_more_than_a_tenth_of_the_expected_value() -> None:
    # 1 g (10 mL) on a 30 mL bag would be a third of it; a tenth, 3 mL, is the most it passes
    tolerance = Tolerance(grams=Decimal(1), millilitres=Decimal(10))
    assert tolerance.allows("mL", Decimal(33), Decimal(30))
    assert not tolerance.allows("mL", Decimal("33.1"), Decimal(30))
    assert tolerance.allows("mL", Decimal(27), Decimal(30))


def test_the_share_is_taken_of_the_expected_side_for_doses_too() -> None:
    # 5 % of an expected 40 g is 2 g: 42 g passes, 42.1 g does not (though 5 % of 42.1 g is 2.105 g);
    # 5 % of an expected 44 g is 2.2 g: 41.8 g passes, 41.7 g does not (5 % of 41.7 g is only 2.085 g)
    five = Tolerance(percent=Decimal(5))
    assert five.allows("g", Decimal(42), Decimal(40))
    assert not five.allows("g", Decimal("42.1"), Decimal(40))
    assert five.allows("g", Decimal("41.8"), Decimal(44))
    assert not five.allows("g", Decimal("41.7"), Decimal(44))  # 2.3 g off: over 2.2 g


def test_a_match_within_tolerance_says_so_with_the_largest_difference() -> None:
    said = " ".join(runner.invoke(app, [*HOME_BAG, "--volume", "441mL", "--tolerance", "5%"]).stdout.split())
    assert said.startswith("MATCH within tolerance: all 1 values compared are within 5% of the protocol's; the "
                           "largest difference is +21 mL (+5%) (baseline day 1 home volume).")
    assert "agree with the protocol" not in said


@pytest.mark.parametrize("text", ["1.5 g", "20 mL"])
def test_a_tolerance_above_one_gram_or_its_volume_is_said_whole(text):
    from decimal import Decimal

    from ivig_dose.core.errors import InputError
    from ivig_dose.parse.tolerance import parse_tolerance

    # 20 mL of 100 mg/mL is 2 g
    with pytest.raises(InputError) as caught:
        parse_tolerance(text, Decimal(10))
    assert str(caught.value) == (
        f"--tolerance {text!r} is more than 1 g of IgG (or its volume); accepted: 0 (exact), a percentage up to 10% "
        "such as 1%, or an amount up to 1 g (or its volume) such as 0.5 g or 5 mL")
