"""R8 for every weight: the placebo plan is the IVIg plan's bags, days and dates with 0 g IgG."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import plan_for

#: 20.0 to 300.0 kg in 0.01 kg steps: the protocol's accepted range (R1).
weights = st.integers(min_value=2000, max_value=30000).map(lambda hundredths: Decimal(hundredths) / 100)


def bags(plan):
    return [(c.name, d.day, d.date, s.setting, s.volume_ml) for c in plan.courses for d in c.days for s in d.segments]


@given(weights)
def test_placebo_has_the_ivig_bags_and_no_igg(weight: Decimal) -> None:
    ivig, placebo = plan_for(weight), plan_for(weight, arm="placebo")
    assert bags(placebo) == bags(ivig)
    assert {s.dose_g for c in placebo.courses for d in c.days for s in d.segments} == {Decimal(0)}
    assert [c.weight_kg for c in placebo.courses] == [c.weight_kg for c in ivig.courses]
    assert placebo.product.concentration_mg_per_ml is None
    assert placebo.reasons[0].rule == "R8"
    assert placebo.reasons[1:] == ivig.reasons


def test_the_product_as_each_arm_and_blinded_output_show_it():
    from ivig_dose.core.blinding import BLINDED_PRODUCT, product_label
    from tests.helpers import plan_for

    assert product_label(plan_for("70"), False) == "Nanogam 100 mg/mL"
    # NaCl 0.9 % has no IgG concentration to show (R8)
    assert product_label(plan_for("70", arm="placebo"), False) == "NaCl 0.9%"
    assert product_label(plan_for("70", arm="placebo"), True) == product_label(plan_for("70"), True) == BLINDED_PRODUCT
