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


def test_an_order_of_bags_implies_its_day_course_and_total_sums_with_their_rows():
    from ivig_dose.core.order_facts import OrderFacts, derive

    # a CSV order of 70 kg's baseline course (rows 2-4) and one week 4 day (row 5): day 1 = 30 g in
    # hospital + 40 g at home, day 2 = 70 g at home; week 4 day 1 = 70 g
    bags = [(("baseline", 1, "hospital"), 30, 2), (("baseline", 1, "home"), 40, 3), (("baseline", 2, "home"), 70, 4),
            (("week 4", 1, "home"), 70, 5)]
    facts = tuple(fact for node, grams, row in bags for fact in (
        Fact(node, "dose_g", Decimal(grams), row), Fact(node, "volume_ml", Decimal(grams * 10), row)))
    nodes = (((("baseline",), 2)), (("baseline", 1), 2), (("baseline", 1, "hospital"), 2), (("baseline", 1, "home"), 3),
             (("baseline", 2), 4), (("baseline", 2, "home"), 4), (("week 4",), 5), (("week 4", 1), 5),
             (("week 4", 1, "home"), 5))
    order = derive(OrderFacts(facts, nodes, "TIM-001", 9))
    assert (order.patient_id, order.row, order.nodes) == ("TIM-001", 9, nodes)
    assert order.facts[:len(facts)] == facts
    assert order.facts[len(facts):] == (
        Fact(("baseline", 1), "dose_g", Decimal(70), 2, True),
        Fact(("baseline", 1), "volume_ml", Decimal(700), 2, True),
        Fact(("baseline", 2), "dose_g", Decimal(70), 4, True),
        Fact(("baseline", 2), "volume_ml", Decimal(700), 4, True),
        Fact(("baseline",), "dose_g", Decimal(140), 2, True), Fact(("baseline",), "volume_ml", Decimal(1400), 2, True),
        Fact(("baseline",), "days", 2, 2, True),
        Fact(("baseline",), "hospital_dose_g", Decimal(30), 2, True),
        Fact(("baseline",), "hospital_volume_ml", Decimal(300), 2, True),
        Fact(("week 4", 1), "dose_g", Decimal(70), 5, True), Fact(("week 4", 1), "volume_ml", Decimal(700), 5, True),
        Fact(("week 4",), "dose_g", Decimal(70), 5, True), Fact(("week 4",), "volume_ml", Decimal(700), 5, True),
        Fact(("week 4",), "days", 1, 5, True),
        # no bag of week 4 is in hospital: its hospital part is 0
        Fact(("week 4",), "hospital_dose_g", Decimal(0), 5, True),
        Fact(("week 4",), "hospital_volume_ml", Decimal(0), 5, True),
        Fact((), "total_dose_g", Decimal(210), None, True), Fact((), "total_volume_ml", Decimal(2100), None, True),
    )


def test_a_value_the_order_states_is_kept_and_a_sum_with_an_unknown_part_is_left_out():
    from ivig_dose.core.order_facts import OrderFacts, derive

    # day 1 states its own total (71 g, wrongly); the blinded bag of day 2 states no dose
    facts = (Fact(("baseline", 1), "dose_g", Decimal(71), 2), Fact(("baseline", 1, "home"), "dose_g", Decimal(70), 2),
             Fact(("baseline", 2, "home"), "volume_ml", Decimal(700), 3))
    nodes = ((("baseline",), 2), (("baseline", 1), 2), (("baseline", 1, "home"), 2), (("baseline", 2), 3),
             (("baseline", 2, "home"), 3))
    added = {(f.node, f.attr): f.value for f in derive(OrderFacts(facts, nodes)).facts if f.derived}
    assert (("baseline", 1), "dose_g") not in added  # stated: never replaced by the sum of its bags
    assert (("baseline", 2), "dose_g") not in added and (("baseline",), "dose_g") not in added
    assert (((), "total_dose_g") not in added) and added[(("baseline",), "days")] == 2
    assert added[(("baseline", 2), "volume_ml")] == Decimal(700)
    assert (("baseline",), "volume_ml") not in added  # day 1's volume is unknown
    assert derive(OrderFacts((), ())).facts == ()


def test_a_blinded_order_states_no_dose_no_arm_and_no_concentration():
    from ivig_dose.core.order_facts import plan_facts

    from .helpers import plan_for

    plan = plan_for("70")
    blinded = plan_facts(plan, blinded=True).facts
    attrs = {f.attr for f in blinded}
    assert not attrs & {"dose_g", "course_dose_g", "total_dose_g", "arm", "concentration_mg_per_ml"}
    # only the hospital part of the courses given entirely at home is stated: 0 g, the same in both arms
    assert {(f.node, f.value) for f in blinded if f.attr == "hospital_dose_g"} == {(("week 4",), 0), (("week 8",), 0)}
    assert {"volume_ml", "date", "days"} <= attrs
    plain = {f.attr for f in plan_facts(plan).facts}
    assert {"dose_g", "course_dose_g", "total_dose_g", "hospital_dose_g", "arm", "concentration_mg_per_ml"} <= plain


def test_whether_the_prescriber_chose_the_basis_is_a_yes_or_no_fact():
    import ivig_dose
    from ivig_dose.core.order_facts import plan_facts

    def override(plan) -> object:
        return plan_facts(plan).values()[((), "dosing_weight_override")].value

    assert override(ivig_dose.plan("70", start="2027-01-04")) == "no"
    assert override(ivig_dose.plan("70", start="2027-01-04", dosing_weight="actual")) == "yes"


def test_a_sheet_opens_each_part_once_and_builds_the_order_with_its_id_and_row():
    sheet = FactSheet()
    assert sheet.open(("baseline",), 3) is True
    assert sheet.open(("baseline",), 9) is False  # the same course again: refused, its first row kept
    sheet.add(("baseline",), "dose_g", Decimal(140), 3)
    sheet.add(("baseline",), "volume_ml", None, 3)  # not stated: no fact
    order = sheet.build("TIM-001", 12)
    assert (order.patient_id, order.row, order.nodes) == ("TIM-001", 12, ((("baseline",), 3),))
    assert order.facts == (Fact(("baseline",), "dose_g", Decimal(140), 3),)


def test_a_day_without_bags_sums_to_nothing_given():
    from ivig_dose.core.order_facts import OrderFacts, derive

    facts = (Fact(("baseline", 1, "home"), "dose_g", Decimal(70), 2),)
    nodes = ((("baseline",), 2), (("baseline", 1), 2), (("baseline", 1, "home"), 2), (("baseline", 2), 3))
    added = {(f.node, f.attr): f.value for f in derive(OrderFacts(facts, nodes)).facts if f.derived}
    # day 2 holds no bag: 0 g that day, and the course is day 1's 70 g
    assert added[(("baseline", 2), "dose_g")] == 0 and added[(("baseline",), "dose_g")] == 70
    assert added[(("baseline",), "hospital_dose_g")] == 0 and added[(("baseline",), "days")] == 2


def test_the_hospital_portion_is_summed_over_every_day_it_spans():
    # 45 kg over 5 days: 18 g a day; the first 30 g in hospital is day 1 (18 g) and 12 g of day 2 (R6)
    from ivig_dose.core.order_facts import derive, plan_facts
    from tests.helpers import plan_for

    facts = derive(plan_facts(plan_for("45", days=5))).values()
    assert facts[(("baseline",), "hospital_dose_g")].value == Decimal(30)  # 18 + 12, not day 1's 18 alone
    assert facts[(("baseline",), "hospital_volume_ml")].value == Decimal(300)


def test_an_order_that_gives_day_2s_hospital_part_at_home_is_caught_by_the_courses_hospital_portion():
    # the same 45 kg order with day 2's 12 g moved home: only 18 g in hospital where R6 asks 30 g
    from ivig_dose.parse.order_json import order_from_document
    from ivig_dose.render.plan_json import plan_document
    from tests.helpers import order_for, verified

    document = plan_document(order_for("45", days=5))
    day_2 = document["courses"][0]["days"][1]
    hospital, home = day_2["segments"]
    assert (hospital["setting"], hospital["dose_g"], home["dose_g"]) == ("hospital", 12, 6)
    day_2["segments"] = [{**home, "dose_g": 18, "volume_ml": 180}]
    found = {c.field: c for c in verified(order_from_document(document, "order.json")).discrepancies}
    portion = found["baseline hospital_dose_g"]
    assert (portion.ordered, portion.expected, portion.rule) == (Decimal(18), Decimal(30), "R6")
