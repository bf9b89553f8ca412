"""One reader for a patient's typed inputs, whichever path they come by."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.plan_inputs import CourseWeight, PlanInputs, parse_days, parse_request, split_course_weights

TODAY = date(2027, 1, 4)


def test_a_start_not_given_counts_from_today_and_says_so():
    request, defaulted = parse_request(PlanInputs(weight="70"), None, TODAY)
    assert (request.start, defaulted) == (TODAY, True)
    request, defaulted = parse_request(PlanInputs(weight="70", start="2027-02-01"), None, TODAY)
    assert (request.start, defaulted) == (date(2027, 2, 1), False)


def test_a_row_and_the_options_read_alike():
    # 158.7 lb × 0.45359237 kg/lb = 71.985109119 kg exactly; 5 ft 10 in = 70 in × 2.54 = 177.8 cm
    as_options = PlanInputs(weight="158.7 lb", start="2027-01-04", arm="placebo", days=3,
                            course_weights=split_course_weights(["week4=68kg"]), height="5 ft 10 in",
                            sex="male", dosing_weight="adjusted", pregnant=False)
    as_row = PlanInputs(weight="158.7 lb", start="2027-01-04", arm="Placebo ", days="3",
                        course_weights=(CourseWeight("week4", "68kg", "week4_weight"),), height="5 ft 10 in",
                        sex="MALE", dosing_weight="Adjusted", pregnant="no")
    first, _ = parse_request(as_options, None, TODAY)
    second, _ = parse_request(as_row, None, TODAY)
    assert first == second
    assert first.weight_kg == Decimal("71.985109119") and first.height_cm == Decimal("177.8")
    assert first.course_weights == (("week4", Decimal(68)),)


def test_empty_cells_are_the_defaults():
    request, _ = parse_request(PlanInputs(weight="70", start="2027-01-04", arm="", days="", height="", sex="",
                                          dosing_weight="", pregnant=""), None, TODAY)
    assert (request.arm, request.days, request.height_cm, request.sex, request.dosing_weight, request.pregnant) == (
        "ivig", None, None, None, None, False)


@pytest.mark.parametrize("text", ["²", "①", "٣", "3.0", "-3", "three"])
def test_days_are_ascii_digits_only(text):
    # "²".isdigit() and "٣".isdigit() are True, but int("²") raises: a traceback, not a message
    with pytest.raises(InputError, match=r"is not a whole number of days"):
        parse_days(text)


def test_days_as_typed():
    assert (parse_days("3"), parse_days(" 5 "), parse_days(4), parse_days(None)) == (3, 5, 4, None)


def test_a_course_weight_option_names_its_course():
    with pytest.raises(InputError, match=r"--course-weight 'week4' is not COURSE=WEIGHT"):
        split_course_weights(["week4"])
    with pytest.raises(InputError, match=r"week4 weight"):
        parse_request(PlanInputs(weight="70", course_weights=split_course_weights(["week4=heavy"])), None, TODAY)


def test_a_weight_column_of_no_course_names_every_column_a_list_may_have():
    from ivig_dose.core.errors import InputError
    from ivig_dose.files.protocols import load_protocol
    from ivig_dose.parse.patient_rows import course_of

    # timeismuscle's courses are baseline, week 4 and week 8: the later two have weight columns
    with pytest.raises(InputError) as caught:
        course_of("week5_weight", "p.csv", load_protocol("timeismuscle"))
    assert str(caught.value) == (
        "p.csv: column 'week5_weight' names no course of the protocol; accepted: patient_id, weight, start, arm, days, "
        "height, sex, dosing_weight, pregnant, risk, age, week4_weight, week8_weight")
