"""The "why" block, word for word: every rule and cap that shaped a plan's numbers, plainly and blinded.

These lines are what a pharmacist checks a plan against ("capped by R2"), and the blinded ones are
what a blinded trial may show; a wrong number or a missing cap in them misleads as much as a wrong
dose. Each case is one of the spec's worked cases (shared/spec/timeismuscle-rules.md) or one worked
by hand beside it. The vial, pump and product reasons are in tests/test_dispensing_reasons.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import ivig_dose
from ivig_dose.core.dosing import build_plan
from ivig_dose.core.model import PlanRequest
from ivig_dose.files.protocols import load_protocol

from .helpers import NANOGAM_UNVERIFIED, plan_for

START = "2027-01-04"
DEFAULT_BASIS = "(the protocol's default)"
VOLUME = ("R5", "volume = dose × 10 mL/g (Nanogam 100 mg/mL)", "volumes are the same in both arms", None)
HOSPITAL_DAY_1 = ("R6", "the first 30 g of the baseline course in hospital (day 1), the rest at home",
                  "the first 300 mL of the baseline course in hospital (day 1), the rest at home", "baseline")
LATER_AT_HOME = ("R6", "week 4 and week 8 given entirely at home", "week 4 and week 8 given entirely at home", None)
DATES = ("R7", "courses at weeks 0, 4, 8 counted from 2027-01-04; infusion days are consecutive",
         "courses at weeks 0, 4, 8 counted from 2027-01-04; infusion days are consecutive", None)


def same(rule: str, text: str, course: str | None = None) -> tuple[str, str, str, str | None]:
    """A reason said the same way blinded (it gives no gram and no arm away)."""
    return (rule, text, text, course)


def actual(kg: str, course: str | None = None) -> tuple[str, str, str, str | None]:
    who = f"{course}: " if course else ""
    return same("R1", f"{who}dosing weight: actual body weight {kg} kg {DEFAULT_BASIS}", course)


def reused(kg: str) -> tuple[str, str, str, str | None]:
    return same("R9", f"week 4 and week 8 dosed on the baseline weight, {kg} kg")


def why(plan) -> list[tuple[str, str, str, str | None]]:
    return [(r.rule, r.text, r.blinded_text, r.course) for r in plan.reasons
            if r.rule not in ("product", "pump", "vials")]


def test_70_kg():
    # R2: 2 × 70 = 140 g, under the 180 g cap; R3: 140 / 80 = 1.75, so 2 days, the minimum; 70 g a day
    # splits evenly, so no R4 line; R6: the first 30 g on day 1.
    assert why(plan_for("70")) == [
        actual("70"),
        ("R2", "each course: 2 g/kg × 70 kg = 140 g", "each course: 2 g/kg × 70 kg", None),
        ("R3", "each course: 2 days, the fewest the protocol allows; each day within 80 g/day",
         "each course: 2 days, the fewest the protocol allows", None),
        VOLUME, HOSPITAL_DAY_1, LATER_AT_HOME, DATES, reused("70"),
    ]


def test_100_kg_capped_by_r2():
    # R2: 2 × 100 = 200 g, capped at 180 g; R3: 180 / 80 = 2.25, so 3 days of 60 g, more than the minimum.
    # Blinded, the grams and the weight are not said.
    assert why(plan_for("100"))[1:3] == [
        ("R2", "each course: 2 g/kg × 100 kg = 200 g, capped at the 180 g course maximum",
         "each course: capped at the protocol's course maximum", None),
        ("R3", "each course: 3 days needed to stay within 80 g/day",
         "each course: 3 days needed to stay within the daily maximum", None),
    ]


def test_80_3_kg_split_unevenly():
    # 2 × 80.3 = 160.6 g over 3 days: 1606 tenths = 3 × 535 + 1, so 53.6 + 53.5 + 53.5 g (R4).
    assert why(plan_for("80.3"))[1:4] == [
        ("R2", "each course: 2 g/kg × 80.3 kg = 160.6 g", "each course: 2 g/kg × 80.3 kg", None),
        ("R3", "each course: 3 days needed to stay within 80 g/day",
         "each course: 3 days needed to stay within the daily maximum", None),
        ("R4", "each course: split as equally as 0.1 g steps allow, larger days first: 53.6 + 53.5 + 53.5 g",
         "each course: split as equally as possible, larger days first", None),
    ]


def test_45_kg_over_5_days_runs_the_hospital_portion_into_day_2():
    # 90 g over 5 requested days, 18 g a day: the first 30 g are day 1's 18 g and 12 g of day 2.
    assert why(plan_for("45", days=5))[2:5] == [
        ("R3", "each course: 5 days, as requested; each day within 80 g/day", "each course: 5 days, as requested",
         None),
        VOLUME,
        ("R6", "the first 30 g of the baseline course in hospital (days 1–2), the rest at home",
         "the first 300 mL of the baseline course in hospital (days 1–2), the rest at home", "baseline"),
    ]


def test_a_course_weighed_again_is_explained_course_by_course():
    # week 4 weighed 68 kg: 2 × 68 = 136 g; baseline and week 8 stay on 70 kg (R9).
    plan = plan_for("70", course_weights=(("week 4", Decimal(68)),))
    two_days = ("2 days, the fewest the protocol allows; each day within 80 g/day", "2 days, the fewest the protocol "
                "allows")
    assert why(plan) == [
        actual("70", "baseline"), actual("68", "week 4"), actual("70", "week 8"),
        ("R2", "baseline: 2 g/kg × 70 kg = 140 g", "baseline: 2 g/kg × 70 kg", "baseline"),
        ("R3", f"baseline: {two_days[0]}", f"baseline: {two_days[1]}", "baseline"),
        ("R2", "week 4: 2 g/kg × 68 kg = 136 g", "week 4: 2 g/kg × 68 kg", "week 4"),
        ("R3", f"week 4: {two_days[0]}", f"week 4: {two_days[1]}", "week 4"),
        ("R2", "week 8: 2 g/kg × 70 kg = 140 g", "week 8: 2 g/kg × 70 kg", "week 8"),
        ("R3", f"week 8: {two_days[0]}", f"week 8: {two_days[1]}", "week 8"),
        VOLUME, HOSPITAL_DAY_1, LATER_AT_HOME, DATES,
        same("R9", "week 8 dosed on the baseline weight, 70 kg"),
        same("R9", "week 4 dosed on 68 kg, measured for that course", "week 4"),
    ]


def test_unusual_weights_are_planned_with_a_warning_each():
    # 150 kg is capped (300 g > 180 g); week 4 weighed 39 kg (78 g) is below the 40 kg warning, week 8 at
    # 151 kg above the 150 kg one (302 g, capped).
    plan = plan_for("150", course_weights=(("week 4", Decimal(39)), ("week 8", Decimal(151))))
    assert plan.warnings == ("week 4 weight 39 kg is below 40 kg: unusual for an adult; check it",
                             "week 8 weight 151 kg is above 150 kg: unusual; check it")
    assert why(plan)[-2:] == [same("R9", "week 4 dosed on 39 kg, measured for that course", "week 4"),
                              same("R9", "week 8 dosed on 151 kg, measured for that course", "week 8")]
    assert ("R2", "week 8: 2 g/kg × 151 kg = 302 g, capped at the 180 g course maximum",
            "week 8: capped at the protocol's course maximum", "week 8") in why(plan)
    assert plan_for("38").warnings == ("weight 38 kg is below 40 kg: unusual for an adult; check it",)
    assert plan_for("40").warnings == plan_for("150").warnings == ()


def test_a_rounded_plan_says_what_each_day_became():
    # 72.35 kg: 144.7 g = 72.4 + 72.3 g; to multiples of 5 g each day is 70 g: 72.4 → 70 is −2.4 g,
    # −2.4 / 72.4 = −3.3 %; 72.3 → 70 is −2.3 g, −3.2 %; the course 144.7 → 140 is −4.7 g, −3.2 %.
    # Blinded in mL at 10 mL/g: 724 → 700 mL, 723 → 700 mL, 1447 → 1400 mL.
    plan = ivig_dose.plan("72.35", start=START, round_to="5g")
    assert why(plan)[3:5] == [
        ("R4", "each course: split as equally as 0.1 g steps allow, larger days first: 72.4 + 72.3 g",
         "each course: split as equally as possible, larger days first", None),
        ("round", "each course: rounded to multiples of 5 g, within 80 g/day, 180 g a course, the rules' dose + "
         "10 %: day 1 72.4 g to 70 g (-2.4 g, -3.3 %); day 2 72.3 g to 70 g (-2.3 g, -3.2 %); course 144.7 g to "
         "140 g (-4.7 g, -3.2 %)",
         "each course: volumes rounded (multiples of 5 g): day 1 724 mL to 700 mL (-24 mL, -3.3 %); day 2 723 mL to "
         "700 mL (-23 mL, -3.2 %); course 1447 mL to 1400 mL (-47 mL, -3.2 %)", None),
    ]


def test_rounding_up_is_signed_and_a_day_already_round_is_said():
    # 71.6 kg: 143.2 g = 71.6 + 71.6 g; to 5 g each day becomes 70 g (71.6 is nearer 70 than 75): −1.6 g,
    # −1.6 / 71.6 = −2.2 %. 73.9 kg: 147.8 g = 73.9 + 73.9 g, each to 75 g: +1.1 g, +1.1 / 73.9 = +1.5 %,
    # course 147.8 → 150 g, +2.2 g, +1.5 %. 70 kg: 70 g days are multiples of 5 g already.
    up = why(ivig_dose.plan("73.9", start=START, round_to="5g"))[3]
    assert up[1].endswith("day 1 73.9 g to 75 g (+1.1 g, +1.5 %); day 2 73.9 g to 75 g (+1.1 g, +1.5 %); "
                          "course 147.8 g to 150 g (+2.2 g, +1.5 %)")
    assert up[2].endswith("course 1478 mL to 1500 mL (+22 mL, +1.5 %)")
    down = why(ivig_dose.plan("71.6", start=START, round_to="5g"))[3]
    assert down[1].endswith("day 1 71.6 g to 70 g (-1.6 g, -2.2 %); day 2 71.6 g to 70 g (-1.6 g, -2.2 %); "
                            "course 143.2 g to 140 g (-3.2 g, -2.2 %)")
    already = "each course: every day is already multiples of 5 g; no day changed"
    assert why(ivig_dose.plan("70", start=START, round_to="5g"))[3] == same("round", already)


def test_the_placebo_arm_says_first_what_its_bags_hold():
    plan = plan_for("80.3", arm="placebo")
    assert why(plan)[0] == ("R8", "placebo arm: NaCl 0.9% in the volumes, days and settings that the IVIg plan below "
                            "gives for this weight; IgG dose 0 g", "", None)
    assert why(plan)[1:] == why(plan_for("80.3"))


def test_an_adjusted_dosing_weight_shows_its_arithmetic():
    # Devine, men: 50 kg + 2.3 kg per inch over 60 in; 5 ft 10 in = 70 in: 50 + 2.3 × 10 = 73 kg.
    # Adjusted: 73 + 0.4 × (100 − 73) = 83.8 kg; 2 × 83.8 = 167.6 g = 3 days of 55.9 + 55.9 + 55.8 g.
    plan = ivig_dose.plan("100", start=START, height="5 ft 10 in", sex="male", dosing_weight="adjusted")
    basis = ("dosing weight: adjusted body weight 83.8 kg: ideal (Devine, male, 70 in) = 50 + 2.3 × 10 = 73 kg; "
             "adjusted = 73 + 0.4 × (100 − 73) = 83.8 kg (--dosing-weight adjusted, overriding the protocol's actual)")
    assert why(plan)[:4] == [
        same("R1", basis),
        ("R2", "each course: 2 g/kg × 83.8 kg = 167.6 g", "each course: 2 g/kg × 83.8 kg", None),
        ("R3", "each course: 3 days needed to stay within 80 g/day",
         "each course: 3 days needed to stay within the daily maximum", None),
        ("R4", "each course: split as equally as 0.1 g steps allow, larger days first: 55.9 + 55.9 + 55.8 g",
         "each course: split as equally as possible, larger days first", None),
    ]
    # R9 still names the weight the patient has, not the dosing weight
    assert why(plan)[-1] == reused("100")


def test_pregnancy_keeps_the_actual_weight_and_says_so():
    plan = ivig_dose.plan("100", start=START, height="5 ft 10 in", sex="female", dosing_weight="ideal",
                          pregnant=True)
    assert why(plan)[0] == same("R1", "dosing weight: pregnant: actual body weight 100 kg, not the ideal weight "
                                "(--dosing-weight ideal, overriding the protocol's actual)")
    assert plan.course_dose_g == 180  # 2 × 100 = 200 g, capped (R2)


def test_a_per_day_protocol_with_a_fixed_default():
    # standard-5-day: 0.4 g/kg/day × 70 kg = 28 g a day, 5 days (its default) = 140 g; one course, in hospital.
    plan = ivig_dose.plan("70", start=START, protocol="standard-5-day")
    assert why(plan) == [
        actual("70"),
        ("R2", "the course: 0.4 g/kg/day × 70 kg = 28 g a day × 5 days = 140 g",
         "the course: 0.4 g/kg/day × 70 kg a day", None),
        same("R3", "the course: 5 days, the protocol's default"),
        ("R5", "volume = dose × 10 mL/g (Octagam 10% 100 mg/mL)", "volumes are the same in both arms", None),
        same("R6", "baseline given entirely in hospital"),
        same("R7", "one course, from 2027-01-04; infusion days are consecutive"),
    ]
    assert plan.warnings[0] == ("protocol 'standard-5-day' is not verified against a label: check every value "
                                "against its source ('ivig-dose protocol show standard-5-day') before use")


def test_a_per_day_dose_rounded_down_and_capped():
    # 0.4 g/kg/day × 72.35 kg = 28.94 g, rounded down to 28.9 g a day; × 5 days = 144.5 g.
    rounded = why(ivig_dose.plan("72.35", start=START, protocol="standard-5-day"))[1]
    assert rounded == ("R2", "the course: 0.4 g/kg/day × 72.35 kg = 28.94 g, rounded down to 28.9 g a day × 5 days "
                       "= 144.5 g", "the course: 0.4 g/kg/day × 72.35 kg a day", None)


def test_ten_courses_all_in_hospital():
    # octagam-dermatomyositis: 2 g/kg a course (no cap), 10 courses every 4 weeks, all in hospital.
    plan = ivig_dose.plan("70", start=START, protocol="octagam-dermatomyositis")
    weeks = ", ".join(str(4 * i) for i in range(10))
    assert why(plan)[2:] == [
        same("R3", "each course: 2 days, the fewest the protocol allows"),
        ("R5", "volume = dose × 10 mL/g (Octagam 10% 100 mg/mL)", "volumes are the same in both arms", None),
        same("R6", "every course given entirely in hospital"),
        same("R7", f"courses at weeks {weeks} counted from 2027-01-04; infusion days are consecutive"),
        same("R9", "every course after baseline dosed on the baseline weight, 70 kg"),
    ]


def test_a_course_dose_exactly_on_a_step_is_not_said_to_be_rounded():
    # 2 × 72.37 = 144.74 g, rounded down to 144.7 g; 2 × 72.35 = 144.7 g exactly.
    assert why(plan_for("72.37"))[1] == ("R2", "each course: 2 g/kg × 72.37 kg = 144.74 g, rounded down to 144.7 g",
                                         "each course: 2 g/kg × 72.37 kg, rounded down", None)
    assert why(plan_for("72.35"))[1][1] == "each course: 2 g/kg × 72.35 kg = 144.7 g"


def test_the_unverified_product_warning_is_the_last_a_default_plan_carries():
    assert ivig_dose.plan("70", start=START).warnings == (NANOGAM_UNVERIFIED,)


@pytest.mark.parametrize(("weight", "days", "message"), [
    # 100 kg: 180 g; over 2 days 90 g a day > 80 g (R3); the smallest N is ceil(180 / 80) = 3.
    ("100", 2, "--days 2 would give 90 g/day, over the 80 g/day cap (R3); the smallest number of days that works "
     "is 3"),
    ("70", 6, "--days 6 is outside the protocol's range; accepted: 2 to 5 (the smallest that works for this weight "
     "is 2)"),
    ("70", 1, "--days 1 is outside the protocol's range; accepted: 2 to 5 (the smallest that works for this weight "
     "is 2)"),
])
def test_days_that_cannot_be_given_name_what_can(weight, days, message):
    with pytest.raises(ivig_dose_errors()) as raised:
        plan_for(weight, days=days)
    assert raised.value.message == message


@pytest.mark.parametrize(("weight", "message"), [
    # the protocol's min_weight and max_weight: 20 and 300 kg
    ("19.99", "weight 19.99 kg is outside the plausible adult range; accepted: 20 to 300 kg"),
    ("300.01", "weight 300.01 kg is outside the plausible adult range; accepted: 20 to 300 kg"),
])
def test_a_weight_no_adult_has_is_refused(weight, message):
    with pytest.raises(ivig_dose_errors()) as raised:
        plan_for(weight)
    assert raised.value.message == message


def test_the_weight_bounds_themselves_are_planned():
    assert plan_for("20").course_dose_g == 40 and plan_for("300").course_dose_g == 180


def ivig_dose_errors() -> type[Exception]:
    from ivig_dose.core.errors import InputError

    return InputError


def test_a_course_weight_for_the_first_course_or_twice_is_refused():
    protocol = load_protocol("timeismuscle")
    request = PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), course_weights=(("baseline", Decimal(70)),))
    with pytest.raises(ivig_dose_errors()) as raised:
        build_plan(request, protocol)
    assert raised.value.message == "course weight for 'baseline': give the baseline weight with --weight"
    twice = PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4),
                        course_weights=(("week 4", Decimal(70)), ("week4", Decimal(71))))
    with pytest.raises(ivig_dose_errors()) as raised:
        build_plan(twice, protocol)
    assert raised.value.message == "course weight for 'week 4' is given twice; give it once"


def per_day_protocol():
    """The minimal test protocol dosed per day: 0.4 g/kg/day, at most 30 g a day and 80 g a course, 1 to 3 days."""
    from ivig_dose.files.protocols import parse_protocol

    from .protocol_text import replaced, with_extra

    text = replaced('value = "1"\nunit = "g/kg"', 'value = "0.4"\nunit = "g/kg/day"')
    return parse_protocol(with_extra(
        '[params.daily_cap]\nvalue = "30"\nunit = "g"\nrule = "R3"\nsource = "t"\n'
        '[params.course_cap]\nvalue = "80"\nunit = "g"\nrule = "R2"\nsource = "t"', text), "t")


@pytest.mark.parametrize(("weight", "dose", "said", "blinded"), [
    # 0.4 × 100 = 40 g a day, capped at 30 g; × 3 days = 90 g, capped at the 80 g course cap
    ("100", Decimal(80), "the course: 0.4 g/kg/day × 100 kg = 40 g, capped at the 30 g daily maximum a day × 3 days = "
     "90 g, capped at the 80 g course maximum",
     "the course: 0.4 g/kg/day × 100 kg a day, capped at the protocol's course maximum"),
    # 0.4 × 70 = 28 g a day × 3 = 84 g, capped at 80 g
    ("70", Decimal(80), "the course: 0.4 g/kg/day × 70 kg = 28 g a day × 3 days = 84 g, capped at the 80 g course "
     "maximum", "the course: 0.4 g/kg/day × 70 kg a day, capped at the protocol's course maximum"),
    # 0.4 × 60 = 24 g a day × 3 = 72 g: under both caps
    ("60", Decimal(72), "the course: 0.4 g/kg/day × 60 kg = 24 g a day × 3 days = 72 g",
     "the course: 0.4 g/kg/day × 60 kg a day"),
])
def test_a_per_day_dose_under_a_daily_and_a_course_cap(weight, dose, said, blinded):
    plan = build_plan(PlanRequest(weight_kg=Decimal(weight), start=date(2027, 1, 4), days=3), per_day_protocol())
    assert plan.course_dose_g == dose
    assert why(plan)[1] == ("R2", said, blinded, None)


def test_the_reasons_of_one_course_are_its_own_and_those_of_every_course():
    # week 4 weighed 68 kg: its R1, R2, R3 and R9 lines are its own; the R5, R6 (later courses), R7 lines hold
    # for every course; the baseline's own lines (R1-R3, its hospital R6) are not week 4's
    plan = plan_for("70", course_weights=(("week 4", Decimal(68)),))
    courses = {r.course for r in plan.reasons_for("week 4")}
    assert courses == {None, "week 4"}
    assert [r.text for r in plan.reasons_for("week 4") if r.course == "week 4"] == [
        "week 4: dosing weight: actual body weight 68 kg (the protocol's default)",
        "week 4: 2 g/kg × 68 kg = 136 g",
        "week 4: 2 days, the fewest the protocol allows; each day within 80 g/day",
        "week 4 dosed on 68 kg, measured for that course",
    ]
    assert len(plan.reasons_for("week 4")) == len([r for r in plan.reasons if r.course in (None, "week 4")])


def test_the_days_line_cites_the_daily_cap_or_else_the_default_days_option(tmp_path):
    from .test_verification_comparisons import labelled

    for name, rule in (("timeismuscle", "params.daily_cap"), ("octagam-dermatomyositis", "options.default_days")):
        plan = ivig_dose.plan("70", start=START, protocol=str(labelled(name, tmp_path)))
        assert [r.rule for r in plan.reasons if "days" in r.text and r.text.startswith("each course")] == [rule]


def scheduled(tmp_path, count: int):
    """TIMEISMUSCLE with ``count`` courses every 4 weeks, only the first in hospital."""
    text = (Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "protocols" / "timeismuscle.toml").read_text(
        encoding="utf-8")
    head = text.split("[[courses]]", 1)[0]
    path = tmp_path / f"every-4-weeks-{count}.toml"
    path.write_text(head + f'[courses]\nevery_weeks = 4\ncount = {count}\nhospital = "first"\nsource = "t"\n',
                    encoding="utf-8")
    return str(path)


def test_two_courses_are_each_course_and_four_are_every_course_after_the_first(tmp_path):
    two = ivig_dose.plan("70", start=START, protocol=scheduled(tmp_path, 2))
    assert why(two)[1][1] == "each course: 2 g/kg × 70 kg = 140 g"
    assert why(two)[-1] == same("R9", "week 4 dosed on the baseline weight, 70 kg")
    four = ivig_dose.plan("70", start=START, protocol=scheduled(tmp_path, 4))
    assert why(four)[-1] == same("R9", "every course after baseline dosed on the baseline weight, 70 kg")
    # 4 courses, three of them later, given entirely at home: named, not "every course"
    assert same("R6", "week 4, week 8 and week 12 given entirely at home") in why(four)


def test_the_courses_that_reuse_the_first_weight_are_named_when_one_was_weighed():
    plan = ivig_dose.plan("70", start=START, protocol="octagam-dermatomyositis", course_weights={"week4": "68"})
    weeks = ", ".join(f"week {4 * i}" for i in range(2, 9))
    assert same("R9", f"{weeks} and week 36 dosed on the baseline weight, 70 kg") in why(plan)


def protocol_file(tmp_path, name: str, change) -> str:
    """A built-in protocol with ``change`` made to its text, as a file."""
    path = tmp_path / f"{name}-changed.toml"
    text = (Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "protocols" / f"{name}.toml").read_text(
        encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    return str(path)


def test_the_settings_line_cites_the_hospital_portion_or_else_the_rest_setting(tmp_path):
    from .test_verification_comparisons import labelled

    for name, rule in (("timeismuscle", "params.hospital_portion"),
                       ("octagam-dermatomyositis", "options.rest_setting")):
        plan = ivig_dose.plan("70", start=START, protocol=str(labelled(name, tmp_path)))
        assert {r.rule for r in plan.reasons if "given entirely" in r.text or "in hospital (day" in r.text} == {rule}


@pytest.mark.parametrize(("count", "said"), [
    (2, "baseline and week 4 given entirely in hospital"), (3, "every course given entirely in hospital")])
def test_two_courses_in_hospital_are_named_three_are_every_course(tmp_path, count, said):
    path = protocol_file(tmp_path, "octagam-dermatomyositis", lambda t: t.replace("count = 10", f"count = {count}"))
    assert same("R6", said) in why(ivig_dose.plan("70", start=START, protocol=path))


def test_a_split_and_a_rounding_of_a_course_weighed_again_are_that_courses():
    # 80.3 kg, week 4 weighed 81.3 kg: 162.6 g = 54.2 + 54.2 + 54.2 (even); baseline 160.6 g = 53.6 + 53.5 + 53.5
    plan = ivig_dose.plan("80.3", start=START, course_weights={"week4": "81.3"}, round_to="5g")
    split = [r for r in plan.reasons if r.rule == "R4"]
    assert [(r.course, r.text) for r in split] == [
        ("baseline", "baseline: split as equally as 0.1 g steps allow, larger days first: 53.6 + 53.5 + 53.5 g"),
        ("week 8", "week 8: split as equally as 0.1 g steps allow, larger days first: 53.6 + 53.5 + 53.5 g")]
    rounded = [r for r in plan.reasons if r.rule == "round"]
    assert [r.course for r in rounded] == ["baseline", "week 4", "week 8"]
    # week 4: 54.2 g a day to 55 g (+0.8 g, +1.5 %)
    assert rounded[1].text.startswith("week 4: rounded to multiples of 5 g, within 80 g/day, 180 g a course, the "
                                      "rules' dose + 10 %: day 1 54.2 g to 55 g (+0.8 g, +1.5 %)")


def test_a_rounding_up_by_less_than_a_gram_is_signed():
    # 80.3 kg to whole grams: 53.6 g to 54 g is +0.4 g (+0.7 %); 53.5 g to 53 g (a tie goes down) is -0.5 g
    plan = ivig_dose.plan("80.3", start=START, round_to="1g")
    text = next(r.text for r in plan.reasons if r.rule == "round")
    assert "day 1 53.6 g to 54 g (+0.4 g, +0.7 %); day 2 53.5 g to 53 g (-0.5 g, -0.9 %)" in text
    assert text.endswith("course 160.6 g to 160 g (-0.6 g, -0.4 %)")


def test_a_course_rounded_up_and_down_to_the_same_total_is_unsigned(tmp_path):
    # 0.2 g/kg × 72.5 kg = 14.5 g over 2 days: 7.3 + 7.2 g; to half grams 7.5 g (+0.2) and 7 g (-0.2): 14.5 g again
    from .protocol_text import MINIMAL, replaced

    path = tmp_path / "low.toml"
    path.write_text(replaced('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "0.2"', MINIMAL),
                    encoding="utf-8")
    plan = ivig_dose.plan("72.5", start=START, protocol=str(path), days=2, round_to="0.5g")
    text = next(r.text for r in plan.reasons if r.rule == "round")
    assert text.endswith("day 1 7.3 g to 7.5 g (+0.2 g, +2.7 %); day 2 7.2 g to 7 g (-0.2 g, -2.8 %); course 14.5 g "
                         "to 14.5 g (0 g, 0 %)")


def test_an_arm_sex_or_pregnancy_the_protocol_cannot_take_is_refused_by_name():
    from ivig_dose.core.errors import InputError

    protocol = load_protocol("timeismuscle")
    for request, said in (
        (PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), arm="active"),
         "unknown arm 'active'; accepted: ivig, placebo"),
        (PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), sex="m"),
         "sex 'm' is not known; accepted: female, male"),
        (PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), sex="male", pregnant=True),
         "--pregnant contradicts --sex male; accepted: --sex female, or no --pregnant"),
        (PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), course_weights=(("week 4", Decimal(10)),)),
         "week 4 weight 10 kg is outside the plausible adult range; accepted: 20 to 300 kg"),
    ):
        with pytest.raises(InputError) as raised:
            build_plan(request, protocol)
        assert raised.value.message == said


def test_the_heights_the_formula_takes_are_100_to_250_cm():
    protocol = load_protocol("timeismuscle")
    for height in (Decimal(100), Decimal(250)):
        request = PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), height_cm=height, sex="male")
        assert build_plan(request, protocol).course_dose_g == 140


def test_a_course_that_needs_more_days_than_the_protocol_has_is_refused(tmp_path):
    # 1 g/kg × 70 kg = 70 g within 10 g a day needs 7 days; the protocol allows at most 3
    from ivig_dose.core.errors import InputError

    from .protocol_text import with_extra

    path = tmp_path / "slow.toml"
    path.write_text(with_extra('[params.daily_cap]\nvalue = "10"\nunit = "g"\nrule = "R3"\nsource = "t"'),
                    encoding="utf-8")
    with pytest.raises(InputError) as raised:
        ivig_dose.plan("70", start=START, protocol=str(path))
    assert raised.value.message == ("a course of 70 g would need 7 days to stay within 10 g/day, more than the "
                                    "protocol's 3; accepted: a weight this protocol can plan, or another protocol")


def test_a_protocols_fixed_default_that_a_weight_cannot_take_says_so(tmp_path):
    from ivig_dose.core.errors import InputError

    path = protocol_file(tmp_path, "timeismuscle", lambda t: t.replace(
        '[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "2"'))
    assert ivig_dose.plan("70", start=START, protocol=path).days_per_course == 2
    # 100 kg: 180 g over 2 days is 90 g a day, over the 80 g cap
    with pytest.raises(InputError) as raised:
        ivig_dose.plan("100", start=START, protocol=path)
    assert raised.value.message == ("the protocol's default of 2 days would give 90 g/day, over the 80 g/day cap (R3); "
                                    "the smallest number of days that works is 3")


def test_the_plan_names_its_protocol():
    import tomllib

    data = tomllib.loads((Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "protocols" /
                          "timeismuscle.toml").read_text(encoding="utf-8"))
    plan = plan_for("70")
    assert (plan.protocol_id, plan.protocol_name, plan.protocol_version) == ("timeismuscle", data["name"],
                                                                             data["version"])


def test_a_rounding_of_no_size_is_refused():
    from ivig_dose.core.errors import InputError
    from ivig_dose.core.rounding import Rounding

    request = PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), rounding=Rounding("nothing", (Decimal(0),)))
    with pytest.raises(InputError) as raised:
        build_plan(request, load_protocol("timeismuscle"))
    assert raised.value.message == "--round: 0 g is not a whole number of 0.1 g steps; accepted: amounts such as 5 g"


def test_a_tenth_of_a_gram_at_home_is_still_a_bag():
    # 30.1 kg: 60.2 g over 2 days of 30.1 g; the first 30 g in hospital leaves 0.1 g of day 1 at home (R6)
    plan = plan_for("30.1")
    assert [(s.setting, s.dose_g) for s in plan.courses[0].days[0].segments] == [("hospital", Decimal(30)),
                                                                                  ("home", Decimal("0.1"))]


def test_a_course_already_round_says_so_as_that_courses_line():
    # 70 kg: days of 70 g, already multiples of 5 g; week 4 weighed 72.35 kg: 72.4 + 72.3 g, rounded
    plan = ivig_dose.plan("70", start=START, round_to="5g", course_weights={"week4": "72.35"})
    rounded = [(r.course, r.text) for r in plan.reasons if r.rule == "round"]
    assert rounded[0] == ("baseline", "baseline: every day is already multiples of 5 g; no day changed")
    assert rounded[1][0] == "week 4" and rounded[2] == ("week 8", "week 8: every day is already multiples of 5 g; "
                                                                  "no day changed")
