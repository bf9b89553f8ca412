"""How the dispensing parts of a plan document read on paper; numbers checked by hand."""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    bags,
    duration_text,
    pick_list,
    pump_text,
    vials_text,
)
from tests.documents import document
from tests.helpers import plan_for


def test_vials_and_waste():
    segment = {"vials": [{"grams": 10, "volume_ml": 100, "count": 4}, {"grams": 2.5, "volume_ml": 25, "count": 1}],
               "waste_g": 0.1, "waste_ml": 1}
    assert vials_text(segment) == "4 × 10 g (100 mL) + 1 × 2.5 g (25 mL)\nwaste 0.1 g (1 mL)"


def test_no_waste_line_when_nothing_is_left():
    assert vials_text({"vials": [{"grams": 5, "volume_ml": 50, "count": 2}], "waste_g": 0}) == "2 × 5 g (50 mL)"


def test_missing_parts_are_said_not_computed():
    assert vials_text({}) == NOT_COMPUTED
    assert pump_text({}) == NOT_COMPUTED
    assert duration_text(None) == NOT_COMPUTED


def test_pump_steps():
    segment = {"pump": {"steps": [{"rate_ml_per_h": 60, "minutes": 30, "volume_ml": 30},
                                  {"rate_ml_per_h": 240, "minutes": 67.5, "volume_ml": 270}],
                        "duration_min": 97.5}}
    assert pump_text(segment) == "60 mL/h for 30 min (30 mL)\n240 mL/h for 67.5 min (270 mL)"


def test_duration_rounds_up_to_whole_minutes():
    assert duration_text(Decimal("97.5")) == "1 h 38 min"  # 97.5 -> 98 min = 1 h 38 min
    assert duration_text(Decimal("45")) == "45 min"
    assert duration_text(Decimal("120")) == "2 h 0 min"


def test_every_output_spells_a_duration_one_way():
    # the terminal table and rates used to write "166 min (2 h 46 min)", the sheet "2 h 46 min"
    from ivig_dose.core.amounts import duration

    assert duration(166) == duration_text(Decimal(166)) == "2 h 46 min"  # 166 = 2 × 60 + 46
    assert duration(Decimal("59.01")) == "1 h 0 min"  # 59.01 -> 60 min
    assert duration(0) == "0 min"


def test_course_pick_list_is_the_course_s_own_with_the_bags_vial_volumes():
    # 70 kg baseline: bags of 30 g, 40 g, 70 g -> 3 + 4 + 7 = 14 vials of 10 g (100 mL each).
    course = document(plan_for("70"), dispense=True)["courses"][0]
    course["dispense"] = [{"grams": 10, "count": 14}]
    assert pick_list(course) == "14 × 10 g (100 mL)"


def test_pick_list_is_not_computed_without_the_course_s_pick_list():
    course = document(plan_for("70"), dispense=True)["courses"][0]
    course["dispense"] = None
    assert pick_list(course) == NOT_COMPUTED


def test_bags_are_numbered_in_order_of_giving():
    # 70 kg: baseline 3 bags (hospital+home on day 1, home day 2), weeks 4 and 8 two each -> 7.
    found = list(bags(document(plan_for("70"))))
    assert [b.number for b in found] == list(range(1, 8))
    assert {b.count for b in found} == {7}
    assert [(b.day["date"], b.segment["setting"]) for b in found[:3]] == [
        ("2027-01-04", "hospital"), ("2027-01-04", "home"), ("2027-01-05", "home")]
