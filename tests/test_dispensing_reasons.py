"""What dispensing tells the pharmacist: the exact words of every vial, pump and product reason, and
the ProductCheck and warnings a dispensed plan carries (core.dispensing, no I/O).

The reasons are the plan's "why" lines: a pharmacist reads "capped by --max-rate" or "0.9 g opened
but not given" and acts on it, so each is checked word for word against a case worked by hand.

72.35 kg (the spec's worked case): 144.7 g a course, days of 72.4 and 72.3 g (R4); in the baseline
course the first 30 g in hospital, 42.4 g at home (R6). Nanogam's vials (1, 2.5, 5, 10 and 20 g) make
only multiples of 0.5 g, so 42.4 g opens 42.5 g (0.1 g over), 72.4 g opens 72.5 g (0.1 g) and 72.3 g
opens 72.5 g (0.2 g): 0.1 + 0.2 in the baseline course, 0.1 + 0.2 in each later one, 0.9 g in all.
Pump: 0.6, 1.2 and 2.4 mL/kg/h × 72.35 kg = 43.41, 86.82 and 173.64 mL/h, rounded down to
43.4, 86.8 and 173.6 mL/h.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.core.dispensing import dispense_plan, dispense_segment, dosing_weight, to_units, unverified_warning
from ivig_dose.core.model import AtRiskCap, Reason, Segment
from ivig_dose.core.pump import RateLimit
from ivig_dose.files.catalogue import load_catalogue

from .helpers import NANOGAM_UNVERIFIED, plan_for

CATALOGUE = tomllib.loads((Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "products.toml")
                          .read_text(encoding="utf-8"))["products"]
NANOGAM = load_catalogue(None).get("nanogam")
PRIVIGEN = load_catalogue(None).get("privigen")
PUMP = ("every bag starts the ramp again: 0.6, 1.2, 2.4 mL/kg/h × the course's dosing weight, rounded down to "
        "0.1 mL/h, 30 min a step, the last until the bag is empty; total time rounded up to the minute")
UNVERIFIED_PRODUCT = ("pump rates from the study product's catalogue entry, NOT verified against the current "
                      "label")


def dispensing_reasons(plan) -> list[Reason]:
    return [r for r in plan.reasons if r.rule in ("product", "pump", "vials")]


def test_the_protocols_own_unverified_product():
    plan = dispense_plan(plan_for("72.35"), NANOGAM)
    assert dispensing_reasons(plan) == [
        Reason("product", "vials and pump rates from catalogue entry 'nanogam', NOT verified against the current "
               f"label; source: {CATALOGUE['nanogam']['source']}", UNVERIFIED_PRODUCT),
        Reason("pump", PUMP, PUMP),
        Reason("vials", "least waste, then fewest vials, for each bag; 0.9 g opened but not given over the "
               "protocol", ""),
    ]
    assert plan.warnings[-1] == NANOGAM_UNVERIFIED
    check = plan.dispensed_with
    assert (check.id, check.name, check.verified, check.source) == (
        "nanogam", "Nanogam", False, CATALOGUE["nanogam"]["source"])
    assert (check.max_rate, check.chosen, check.indication, check.at_risk) == (None, False, None, None)
    assert check.catalogue.startswith("built-in ")


def test_another_product_of_the_same_strength_says_so_and_a_verified_one_carries_no_warning():
    site = replace(NANOGAM, id="site-ivig", name="Site IVIg", verified=True, source="our pharmacy's label check")
    plan = dispense_plan(plan_for("70"), site, chosen=True)
    assert dispensing_reasons(plan)[:2] == [
        Reason("product", "Site IVIg (site-ivig) in place of the protocol's own product, at the same 100 mg/mL, "
               "so the volumes are unchanged", ""),
        Reason("product", "vials and pump rates from catalogue entry 'site-ivig', verified against the label; "
               "source: our pharmacy's label check",
               "pump rates from the study product's catalogue entry, verified against the label"),
    ]
    # 70 kg: 30 + 40 + 70 g, 70 + 70 g twice, every one a whole number of vials: nothing over
    assert dispensing_reasons(plan)[-1].text == ("least waste, then fewest vials, for each bag; 0 g opened but "
                                                 "not given over the protocol")
    assert not any("NOT verified" in w for w in plan.warnings)
    assert plan.product.name == "Site IVIg" and plan.product.concentration_mg_per_ml == 100
    # R5 names the product the bags hold (the volumes are the same: so is the concentration)
    assert [r.text for r in plan.reasons if r.rule == "R5"] == ["volume = dose × 10 mL/g (Site IVIg 100 mg/mL)"]
    assert plan.dispensed_with.chosen is True
    assert unverified_warning(site, "anything") == []


def test_the_placebo_arm_opens_no_vial_and_keeps_its_product():
    plan = dispense_plan(plan_for("72.35", arm="placebo"), NANOGAM)
    assert dispensing_reasons(plan)[-1] == Reason(
        "vials", "placebo arm: no IVIg vials; each bag is NaCl 0.9% of the volume shown, run with the IVIg pump "
        "program", "")
    assert plan.product.name == "NaCl 0.9%"
    bags = [s for c in plan.courses for d in c.days for s in d.segments]
    assert all(s.dispense.vials == () and s.dispense.waste_g == 0 for s in bags)
    # R8: the IVIg plan's volumes, so the IVIg pump program: the first bag, 300 mL at 43.4 mL/h first
    assert bags[0].volume_ml == 300 and bags[0].dispense.pump.steps[0].rate_ml_per_h == Decimal("43.4")


@pytest.mark.parametrize(("limit", "typed", "said"), [
    # 100 mL/h is under the third step (173.6 mL/h); every bag (the smallest holds 300 mL) gets past the
    # first two steps (21.7 + 43.4 = 65.1 mL in an hour), so all 7 bags are held to 100 mL/h
    (RateLimit(ml_per_h=Decimal(100)), "100", "--max-rate 100 mL/h: 7 bag(s) run slower than the product's "
     "rate table"),
    (RateLimit(ml_per_kg_h=Decimal("4.8")), "4.8 mL/kg/h", "--max-rate 4.8 mL/kg/h: no bag reaches it"),
    # 173.6 mL/h is the third step itself: reaching the limit is not running slower than the table
    (RateLimit(ml_per_h=Decimal("173.6")), "173.6", "--max-rate 173.6 mL/h: no bag reaches it"),
])
def test_max_rate_says_how_many_bags_it_holds_back(limit, typed, said):
    plan = dispense_plan(plan_for("72.35"), NANOGAM, limit, max_rate=typed)
    assert dispensing_reasons(plan)[2] == Reason("pump", said, said)
    assert plan.dispensed_with.max_rate == typed


def test_a_patient_at_risk_is_told_the_cap_and_the_labels_advice():
    cap = AtRiskCap(("renal", "thrombosis"), "1.8 mL/kg/h", "the label's dosing section")
    # 1.8 mL/kg/h × 72.35 kg = 130.23, rounded down to 130.2 mL/h: under the third step, so every bag is held
    plan = dispense_plan(plan_for("72.35"), NANOGAM, RateLimit(ml_per_kg_h=Decimal("1.8")), at_risk=cap)
    who = "patient at risk of thrombosis and renal dysfunction"
    capped = (f"{who}: pump capped at 1.8 mL/kg/h, 7 bag(s) run slower than the product's rate table; why: the "
              "label's dosing section")
    care = (f"{who}: the labels ask for the minimum dose practicable and adequate hydration before the infusion; "
            "the dose here is the protocol's, for the prescriber to confirm")
    assert dispensing_reasons(plan)[2:4] == [Reason("pump", capped, capped), Reason("pump", care, care)]
    assert plan.dispensed_with.at_risk == cap
    steps = plan.courses[0].days[0].segments[0].dispense.pump.steps
    assert [s.rate_ml_per_h for s in steps] == [Decimal("43.4"), Decimal("86.8"), Decimal("130.2")]


def test_at_risk_but_under_every_step():
    cap = AtRiskCap(("thrombosis",), "9 mL/kg/h", "a generous label")
    plan = dispense_plan(plan_for("70"), NANOGAM, RateLimit(ml_per_kg_h=Decimal(9)), at_risk=cap)
    held = "patient at risk of thrombosis: pump capped at 9 mL/kg/h, no bag reaches it; why: a generous label"
    assert dispensing_reasons(plan)[2] == Reason("pump", held, held)


def test_an_indications_rate_table_is_named_with_its_source():
    cidp = PRIVIGEN.for_indication("cidp")
    plan = dispense_plan(plan_for("70"), cidp)
    source = CATALOGUE["privigen"]["indications"]["cidp"]["source"]
    said = f"pump rate table for cidp: {source}"
    assert Reason("pump", said, said) in plan.reasons
    ramp = ("every bag starts the ramp again: 0.3, 0.6, 1.2, 2.4, 4.8 mL/kg/h × the course's dosing weight, rounded "
            "down to 0.1 mL/h, 30 min a step, the last until the bag is empty; total time rounded up to the minute")
    assert Reason("pump", ramp, ramp) in plan.reasons
    assert plan.dispensed_with.indication == "cidp"


def test_a_course_weighed_again_is_pumped_for_its_weight_and_vials_follow_each_dose():
    # 72.35 kg, week 4 weighed 60 kg: 120 g over 2 days of 60 g (R9); 0.6 × 60 = 36 mL/h first.
    plan = dispense_plan(plan_for("72.35", course_weights=(("week 4", Decimal(60)),)), NANOGAM)
    week4 = plan.courses[1]
    assert dosing_weight(week4) == 60
    first = week4.days[0].segments[0]
    assert [s.rate_ml_per_h for s in first.dispense.pump.steps] == [36, 72, 144]
    assert first.dispense.vials[0].grams == 20 and first.dispense.waste_g == 0
    baseline_home = plan.courses[0].days[0].segments[1]
    assert baseline_home.dose_g == Decimal("42.4")
    # 42.5 g: 2 × 20 g + 2.5 g; 0.1 g over, 1 mL of it at 100 mg/mL
    assert [(v.grams, v.count, v.volume_ml) for v in baseline_home.dispense.vials] == [
        (Decimal(20), 2, Decimal(200)), (Decimal("2.5"), 1, Decimal(25))]
    assert (baseline_home.dispense.waste_g, baseline_home.dispense.waste_ml) == (Decimal("0.1"), Decimal(1))


def test_a_dose_is_covered_to_the_next_tenth_of_a_gram():
    assert [to_units(Decimal(x)) for x in ("0", "0.1", "0.11", "72.31", "72.3")] == [0, 1, 2, 724, 723]


def test_one_segment_dispensed_alone():
    bag = Segment("home", Decimal("72.3"), Decimal("723"))
    done = dispense_segment(bag, Decimal("72.35"), NANOGAM, RateLimit(ml_per_h=Decimal(50)))
    # 72.5 g: 3 × 20 + 10 + 2.5 g; 0.2 g over
    assert [(v.grams, v.count) for v in done.vials] == [(Decimal(20), 3), (Decimal(10), 1), (Decimal("2.5"), 1)]
    assert done.waste_g == Decimal("0.2") and done.waste_ml == Decimal(2)
    # 43.4 mL/h, then 86.8 capped at 50: the cap holds from the second step on
    assert [s.rate_ml_per_h for s in done.pump.steps] == [Decimal("43.4"), Decimal(50)]
    assert done.pump.capped


def test_the_pump_runs_on_the_dosing_weight_not_the_actual_one():
    # 100 kg, 5 ft 10 in, male, adjusted: dosed on 83.8 kg (R1); Nanogam's 0.6, 1.2, 2.4 mL/kg/h × 83.8 kg
    # = 50.28, 100.56, 201.12, rounded down to 50.2, 100.5 and 201.1 mL/h (on 100 kg: 60, 120, 240)
    import ivig_dose

    plan = ivig_dose.plan("100", start="2027-01-04", height="5 ft 10 in", sex="male", dosing_weight="adjusted")
    course = plan.courses[0]
    assert course.dosed_on_kg == Decimal("83.8")
    pump = course.days[0].segments[0].dispense.pump
    assert [s.rate_ml_per_h for s in pump.steps] == [Decimal("50.2"), Decimal("100.5"), Decimal("201.1")]
