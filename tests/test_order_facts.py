"""What an order states, as facts (core/order_facts): the pump program and vials of a bag as the
readers of order files and the expected plan both write them, each with the row it came from."""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.order_facts import Fact, FactSheet, add_pump, vials_text

BAG = ("baseline", 1, "home")


def test_a_pump_program_is_its_steps_rates_minutes_and_total_each_from_its_row():
    # 70 kg on Nanogam: 42 mL/h for 30 min, 84 mL/h for 30 min, then 168 mL/h to the end of a 400 mL bag
    sheet = FactSheet()
    add_pump(sheet, BAG, [(Decimal(42), Decimal(30)), (Decimal(84), Decimal(30)), (Decimal(168), Decimal("105.7"))],
             Decimal(166), row=5)
    assert sheet.facts == [
        Fact(BAG, "pump_steps", 3, 5),
        Fact(BAG, "pump_step_1_rate_ml_per_h", Decimal(42), 5), Fact(BAG, "pump_step_1_minutes", Decimal(30), 5),
        Fact(BAG, "pump_step_2_rate_ml_per_h", Decimal(84), 5), Fact(BAG, "pump_step_2_minutes", Decimal(30), 5),
        Fact(BAG, "pump_step_3_rate_ml_per_h", Decimal(168), 5),
        Fact(BAG, "pump_step_3_minutes", Decimal("105.7"), 5),
        Fact(BAG, "pump_min", Decimal(166), 5),
    ]


def test_a_total_the_order_does_not_state_is_not_a_fact():
    sheet = FactSheet()
    add_pump(sheet, BAG, [(Decimal(42), Decimal(30))], None)
    assert sheet.facts == [Fact(BAG, "pump_steps", 1), Fact(BAG, "pump_step_1_rate_ml_per_h", Decimal(42)),
                           Fact(BAG, "pump_step_1_minutes", Decimal(30))]


def test_vials_of_one_size_are_added_up_largest_first():
    # 2 × 20 g listed apart from 1 × 20 g is 3 × 20 g; a size of none is left out; no vial at all is "none"
    listed = [(Decimal(10), 1), (Decimal(20), 2), (Decimal("2.5"), 0), (Decimal(20), 1)]
    assert vials_text(listed) == "3 × 20 g + 1 × 10 g"
    assert vials_text([(Decimal("2.5"), 1), (Decimal(20), 1)]) == "1 × 20 g + 1 × 2.5 g"
    assert vials_text([]) == "none"
