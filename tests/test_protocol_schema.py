"""The protocol file schema: every key documented, every problem named, optional caps optional."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.files import protocol_reader as schema
from ivig_dose.files.protocol_file import ProtocolError
from ivig_dose.files.protocols import built_in_names, load_protocol, parse_protocol, protocol_problems
from tests.protocol_text import MINIMAL, replaced, with_extra

DOC = Path(__file__).resolve().parents[1] / "docs" / "protocol-schema.md"


def documented_keys(heading: str) -> set[str]:
    """The backticked names in the first column of the table under ``## heading``."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))


@pytest.mark.parametrize(("heading", "keys"), [
    ("Top level", schema.TOP_KEYS),
    ("Parameter entries: `[params.NAME]`", schema.PARAM_KEYS),
    ("Parameters", tuple(schema.PARAMS)),
    ("Option entries: `[options.NAME]`", schema.OPTION_KEYS),
    ("Options", tuple(schema.OPTIONS)),
    ("Courses as a list: `[[courses]]`", schema.COURSE_KEYS),
    ("Courses as a schedule: `[courses]`", schema.SCHEDULE_KEYS),
    ("Product: `[product]`", schema.PRODUCT_KEYS),
    ("Placebo: `[placebo]`", schema.PLACEBO_KEYS),
    ("Public holidays: `[holidays]`", schema.HOLIDAY_KEYS),
])
def test_every_schema_key_is_documented_and_no_other(heading, keys):
    assert documented_keys(heading) == set(keys)


def test_documented_units_are_the_accepted_units():
    text = DOC.read_text(encoding="utf-8")
    for key, spec in schema.PARAMS.items():
        row = re.search(rf"^\| `{key}` \| (.*?) \|", text, flags=re.MULTILINE)
        assert row is not None, key
        assert set(re.findall(r"`([^`]+)`", row[1])) == set(spec.units), key


@pytest.mark.parametrize("name", built_in_names())
def test_built_in_protocols_have_no_problem(name):
    text = (Path(schema.__file__).parents[1] / "data" / "protocols" / f"{name}.toml").read_text(encoding="utf-8")
    assert protocol_problems(text, name) == []


def test_minimal_protocol_is_valid_with_no_caps():
    protocol = parse_protocol(MINIMAL, "test")
    assert protocol.course_cap is None
    assert protocol.daily_cap is None
    assert protocol.hospital_portion is None
    assert protocol.placebo is None
    assert [(c.name, c.week, c.hospital) for c in protocol.courses] == [("baseline", 0, False)]


def test_check_names_every_problem_not_just_the_first():
    text = replaced('version = "1"\n', 'colour = "red"\n')                              # unknown + missing version
    text = replaced('[params.dose_step]\nvalue = "0.1"', '[params.dose_step]\nvalue = "0"', text)  # step 0
    text = replaced('[options.rest_setting]\nvalue = "home"', '[options.rest_setting]\nvalue = "garden"', text)
    text = with_extra('[params.daily_capp]\nvalue = "80"', text)                          # misspelt cap
    problems = protocol_problems(text, "t")
    expected = ["colour: unknown key", "version: missing text", "params.dose_step.value: must be above 0",
                "options.rest_setting.value: 'garden' is not accepted", "params.daily_capp: unknown key"]
    for wanted in expected:
        assert any(p.startswith(wanted) for p in problems), (wanted, problems)
    assert len(problems) == len(expected)


def test_a_misspelt_key_inside_a_parameter_is_refused():
    text = replaced('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalu = "1"')
    problems = protocol_problems(text, "t")
    assert any(p.startswith("params.dose_per_kg.valu: unknown key") for p in problems)
    assert any(p.startswith("params.dose_per_kg.value: must be a number") for p in problems)


def test_wrong_unit_is_named_with_the_accepted_ones():
    text = replaced('unit = "g/kg"', 'unit = "mg/kg"')
    assert protocol_problems(text, "t") == ["params.dose_per_kg.unit: must be 'g/kg' or 'g/kg/day', not 'mg/kg'"]


def test_optional_cap_written_as_none_keeps_its_source():
    protocol = parse_protocol(
        with_extra('[params.daily_cap]\nvalue = "none"\nunit = "g"\nrule = "R3"\nsource = "label: none"'), "t")
    assert protocol.daily_cap is None
    assert protocol.unset["daily_cap"].source == "label: none"


def test_none_is_refused_for_a_required_parameter():
    text = replaced('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "none"')
    assert any(p.startswith("params.dose_per_kg.value: is not a number") for p in protocol_problems(text, "t"))


@pytest.mark.parametrize(("change", "problem"), [
    (('value = "3"\nunit = "days"', 'value = "0"\nunit = "days"'), "params.max_days.value: must be above 0"),
    (('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "4"'),
     "options.default_days: must be within min_days to max_days"),
    (('[params.warn_above_weight]\nvalue = "150"', '[params.warn_above_weight]\nvalue = "350"'),
     "params: weights must be ordered"),
    (('count = 1\n', 'count = 3\n'), "courses.every_weeks: must be a whole number from 1 to 520, not None"),
    (('count = 1\n', 'count = 2\nevery_weeks = 4\nhospital = "first"\n'),
     "courses: a course has hospital = true but params.hospital_portion is not given"),
])
def test_contradictions_are_named(change, problem):
    problems = protocol_problems(replaced(*change), "t")
    assert any(p.startswith(problem) for p in problems), problems


def test_hospital_portion_with_everything_in_hospital_is_a_contradiction():
    text = replaced('count = 1\n', 'count = 1\nhospital = "first"\n')
    text = replaced('[options.rest_setting]\nvalue = "home"', '[options.rest_setting]\nvalue = "hospital"', text)
    text = with_extra('[params.hospital_portion]\nvalue = "30"\nunit = "g"\nrule = "R6"\nsource = "t"', text)
    assert protocol_problems(text, "t") == [
        "params.hospital_portion: has no effect when options.rest_setting is hospital; remove one"]


def test_course_cap_out_of_reach_of_daily_cap_is_refused():
    # 3 days × 50 g = 150 g < the 180 g course cap: the cap could never be given.
    text = with_extra('[params.daily_cap]\nvalue = "50"\nunit = "g"\nrule = "R3"\nsource = "t"\n'
                      '[params.course_cap]\nvalue = "180"\nunit = "g"\nrule = "R2"\nsource = "t"')
    assert protocol_problems(text, "t") == ["params.course_cap: cannot be given within max_days at daily_cap"]


def test_schedule_names_courses_by_week():
    text = replaced('count = 1\n', 'count = 4\nevery_weeks = 3\n')
    protocol = parse_protocol(text, "t")
    assert [(c.name, c.week, c.offset_days) for c in protocol.courses] == [
        ("baseline", 0, 0), ("week 3", 3, 21), ("week 6", 6, 42), ("week 9", 9, 63)]


def test_listed_courses_must_start_at_week_0_and_increase():
    listed = '[[courses]]\nname = "a"\nweek = 2\nsource = "t"\n[[courses]]\nname = "A"\nweek = 1\nsource = "t"\n'
    text = replaced('[courses]\ncount = 1\nsource = "test"\n', listed)
    problems = protocol_problems(text, "t")
    assert "courses[0].week: the first course must be at week 0" in problems
    assert "courses: weeks must increase from one course to the next" in problems
    assert "courses: course names must be unique" in problems


def test_invalid_toml_is_one_problem():
    assert protocol_problems("x = [", "t")[0].startswith("not valid TOML")


def test_load_protocol_error_is_one_line_naming_all_problems(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(replaced('version = "1"\n', ''), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_protocol(str(path))
    assert caught.value.problems == ["version: missing text"]
    assert "\n" not in caught.value.message


def test_adjusted_factor_defaults_to_the_data_file_and_can_be_set():
    assert parse_protocol(MINIMAL, "t").adjusted_factor.value == Decimal("0.4")
    text = with_extra('[params.adjusted_weight_factor]\nvalue = "0.5"\nunit = "fraction"\nrule = "R1"\nsource = "t"')
    assert parse_protocol(text, "t").adjusted_factor.value == Decimal("0.5")
    text = with_extra('[params.adjusted_weight_factor]\nvalue = "1"\nunit = "fraction"\nrule = "R1"\nsource = "t"')
    assert protocol_problems(text, "t") == [
        "params.adjusted_weight_factor: must be below 1 (1 would be the actual weight)"]


# --- a [courses] schedule: every problem said exactly, the bounds to the week ------------------------

SCHEDULE = '[courses]\ncount = 1\nsource = "test"\n'


def scheduled(lines: str) -> str:
    return replaced(SCHEDULE, f"[courses]\n{lines}\n")


@pytest.mark.parametrize(("lines", "problems"), [
    ('count = 3\nevery_weeks = 4\nhospital = "some"\nsource = "s"',
     ["courses.hospital: 'some' is not accepted; accepted: first, all, none"]),
    ('count = 0\nevery_weeks = 4\nsource = "s"', ["courses.count: must be a whole number from 1 to 25, not 0"]),
    ('count = 26\nevery_weeks = 1\nsource = "s"', ["courses.count: must be a whole number from 1 to 25, not 26"]),
    ('count = 2\nevery_weeks = 4\ncolour = "red"\nsource = "s"',
     ["courses.colour: unknown key; accepted: every_weeks, count, hospital, source"]),
    ('count = 2\nevery_weeks = 4', ["courses.source: missing text"]),
    # 3 courses every 261 weeks: the last at week 2 × 261 = 522, past 520
    ('count = 3\nevery_weeks = 261\nsource = "s"',
     ["courses: the last course would be at week 522; accepted: at most week 520"]),
    # 25 courses every 22 weeks: the last at week 24 × 22 = 528, past 520
    ('count = 25\nevery_weeks = 22\nsource = "s"',
     ["courses: the last course would be at week 528; accepted: at most week 520"]),
])
def test_schedule_problems_are_named_exactly(lines, problems):
    assert protocol_problems(scheduled(lines), "t") == problems


def test_a_schedule_may_end_at_week_520_exactly():
    protocol = parse_protocol(scheduled('count = 2\nevery_weeks = 520\nsource = "s"'), "t")
    assert [(c.name, c.week) for c in protocol.courses] == [("baseline", 0), ("week 520", 520)]
    # 21 courses every 26 weeks: the last at week 20 × 26 = 520
    protocol = parse_protocol(scheduled('count = 21\nevery_weeks = 26\nsource = "s"'), "t")
    assert protocol.courses[-1].week == 520


@pytest.mark.parametrize(("hospital", "expected"), [
    ("first", [True, False, False]), ("all", [True, True, True]), ("none", [False, False, False]),
])
def test_a_schedule_says_which_courses_are_in_hospital_and_carries_its_source(hospital, expected):
    portion = '[params.hospital_portion]\nvalue = "30"\nunit = "g"\nrule = "R6"\nsource = "t"'
    text = scheduled(f'count = 3\nevery_weeks = 4\nhospital = "{hospital}"\nsource = "the schedule\'s source"')
    protocol = parse_protocol(with_extra(portion, text) if hospital != "none" else text, "t")
    assert [c.hospital for c in protocol.courses] == expected
    assert {c.source for c in protocol.courses} == {"the schedule's source"}
    assert protocol.schedule_source == "schedule"


def test_holidays_are_read_as_dates_with_their_source():
    from datetime import date

    text = with_extra('[holidays]\ndates = ["2027-04-27", 2027-05-06]\nsource = "the ward\'s list"')
    holidays = parse_protocol(text, "t").holidays
    assert holidays is not None
    assert holidays.dates == (date(2027, 4, 27), date(2027, 5, 6))
    assert holidays.source == "the ward's list"
    assert parse_protocol(MINIMAL, "t").holidays is None


@pytest.mark.parametrize(("lines", "problems"), [
    ('dates = ["2027-02-30", "27-04-2027", 5, 2027-04-27T10:00:00]\nsource = "s"',
     ["holidays.dates[0]: '2027-02-30' is not a date; accepted: an ISO date such as \"2027-04-27\"",
      "holidays.dates[1]: '27-04-2027' is not a date; accepted: an ISO date such as \"2027-04-27\"",
      "holidays.dates[2]: 5 is not a date; accepted: an ISO date such as \"2027-04-27\"",
      "holidays.dates[3]: datetime.datetime(2027, 4, 27, 10, 0) is not a date; accepted: an ISO date such as "
      "\"2027-04-27\""]),
    ('dates = "2027-04-27"\nsource = "s"', ['holidays.dates: must be a list of dates, e.g. ["2027-04-27"]']),
    ('dates = ["2027-04-27"]', ["holidays.source: missing text"]),
    ('dates = ["2027-04-27"]\nsource = "s"\nnames = ["King\'s Day"]',
     ["holidays.names: unknown key; accepted: dates, source"]),
    ("dates = [" + ", ".join(['"2027-04-27"'] * 1001) + ']\nsource = "s"',
     ["holidays.dates: 1001 dates; accepted: at most 1000"]),
])
def test_holiday_problems_are_named_exactly(lines, problems):
    assert protocol_problems(with_extra(f"[holidays]\n{lines}"), "t") == problems


def test_holidays_must_be_a_table():
    assert protocol_problems("holidays = 3\n" + MINIMAL, "t") == ["holidays: must be a table with dates and source"]


def test_a_protocol_error_names_its_file_and_every_problem_on_one_line():
    error = ProtocolError("site.toml", ["version: missing text", "params.dose_step.value: must be above 0"])
    assert error.message == "protocol site.toml: version: missing text; params.dose_step.value: must be above 0"
    assert (error.origin, error.problems) == ("site.toml", ["version: missing text",
                                                            "params.dose_step.value: must be above 0"])


# --- every problem a protocol file can have, said exactly ---------------------------------------------

def without_the_schedule(text: str) -> str:
    return text.replace('[courses]\ncount = 1\nsource = "test"\n', '')


PARAM = '[params.{key}]\nvalue = "{value}"\nunit = "{unit}"\nrule = "R"\nsource = "t"'


@pytest.mark.parametrize(("change", "problems"), [
    # the top level
    (("id = \"mini\"\n", "id = 7\n"), ["id: must be text, not 7"]),
    (("name = \"Minimal test protocol\"\n", "name = \"  \"\n"), ["name: must be text, not '  '"]),
    (("source = \"test\"\n\n[params.dose_per_kg]", "verified = \"yes\"\nsource = \"test\"\n\n[params.dose_per_kg]"),
     ["verified: must be true or false, not 'yes'"]),
    (("[product]\n", "[producs]\n"),
     ["producs: unknown key; accepted: id, name, version, source, verified, params, options, courses, product, "
      "placebo, holidays", "product: missing table",
      'product.concentration_mg_per_ml: must be a number written as a string, e.g. "2"', "product.name: missing text",
      "product.rule: missing text", "product.source: missing text"]),
    # a parameter
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = true'),
     ['params.dose_per_kg.value: must be a number written as a string, e.g. "2"']),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "one"'),
     ["params.dose_per_kg.value: is not a number: 'one'"]),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "-1"'),
     ["params.dose_per_kg.value: must be a finite number not below 0, not '-1'"]),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "Infinity"'),
     ["params.dose_per_kg.value: must be a finite number not below 0, not 'Infinity'"]),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "1000000"'),
     ["params.dose_per_kg.value: must be below 1000000 with at most 12 digits, not '1000000'"]),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "1.000000000001"'),
     ["params.dose_per_kg.value: must be below 1000000 with at most 12 digits, not '1.000000000001'"]),
    (('value = "3"\nunit = "days"', 'value = "32"\nunit = "days"'), ["params.max_days.value: must be at most 31 days, "
                                                                     "not '32'"]),
    (('value = "3"\nunit = "days"', 'value = "2.5"\nunit = "days"'), ["params.max_days.value: must be a whole number, "
                                                                      "not '2.5'"]),
    (('[params.dose_step]\nvalue = "0.1"\nunit = "g"\nrule = "R2"\nsource = "test"\n', ''),
     ["params.dose_step: missing parameter"]),
    (('[params.dose_step]\nvalue = "0.1"\nunit = "g"\nrule = "R2"\nsource = "test"\n', '[params]\ndose_step = 3\n'),
     ["params.dose_step: must be a table with value, unit, rule and source"]),
    (('[params.dose_step]\nvalue = "0.1"\nunit = "g"\nrule = "R2"\nsource = "test"\n',
      '[params.dose_step]\nvalue = "0.1"\nunit = "g"\nsource = "test"\n'), ["params.dose_step.rule: missing text"]),
    # an option
    (('[options.rest_setting]\nvalue = "home"\nrule = "R6"\nsource = "test"\n', ''),
     ["options.rest_setting: missing option"]),
    (('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "32"'),
     ["options.default_days.value: '32' is not accepted; accepted: smallest, <a whole number of days>"]),
    (('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "²"'),
     ["options.default_days.value: '²' is not accepted; accepted: smallest, <a whole number of days>"]),
    (('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = 2'),
     ["options.default_days.value: 2 is not accepted; accepted: smallest, <a whole number of days>"]),
    # the product and the placebo
    (('concentration_mg_per_ml = "100"', 'concentration_mg_per_ml = "0"'),
     ["product.concentration_mg_per_ml: must be above 0"]),
    (('[product]\nname = "TestGam"', '[placebo]\nname = "NaCl"\nrule = "R8"\n\n[product]\nname = "TestGam"'),
     ["placebo.source: missing text"]),
    (('id = "mini"\n', 'placebo = "NaCl"\nid = "mini"\n'),
     ["placebo: must be a table with name, rule and source"]),
    # courses
    (('id = "mini"\n', 'courses = 3\nid = "mini"\n'),
     ["courses: missing: give [[courses]] entries or a [courses] schedule"]),
    (('[courses]\ncount = 1\nsource = "test"\n',
      "".join(f'[[courses]]\nname = "c{i}"\nweek = {i}\nsource = "t"\n' for i in range(26))),
     ["courses: 26 courses; accepted: at most 25"]),
    (('[courses]\ncount = 1\nsource = "test"\n', '[[courses]]\nname = "a"\nweek = 0\nsource = "t"\nhospital = 1\n'),
     ["courses[0].hospital: must be true or false, not 1"]),
    (('[courses]\ncount = 1\nsource = "test"\n', '[[courses]]\nname = "a"\nweek = 0\nsource = "t"\ncolour = "red"\n'),
     ["courses[0].colour: unknown key; accepted: name, names, week, hospital, source"]),
    (('[courses]\ncount = 1\nsource = "test"\n',
      '[[courses]]\nname = "a"\nweek = 0\nsource = "t"\n[[courses]]\nname = "b"\nweek = 0\nsource = "t"\n'),
     ["courses: weeks must increase from one course to the next"]),
    (('[courses]\ncount = 1\nsource = "test"\n',
      '[[courses]]\nname = "a"\nweek = 0\nsource = "t"\n[[courses]]\nname = "b"\nweek = true\nsource = "t"\n'),
     ["courses[1].week: must be a whole number from 0 to 520, not True"]),
])
def test_every_problem_is_named_exactly(change, problems):
    text = replaced(*change)
    if change[1].startswith("courses = "):  # a top-level courses key instead of the [courses] table
        text = without_the_schedule(text)
    assert protocol_problems(text, "t") == problems


@pytest.mark.parametrize(("extra", "problems"), [
    # 3 days × 50 g = 150 g cannot reach a 180 g course cap
    ("\n".join([PARAM.format(key="daily_cap", value="50", unit="g"), PARAM.format(key="course_cap", value="180",
                                                                                 unit="g")]),
     ["params.course_cap: cannot be given within max_days at daily_cap"]),
    # caps and the hospital portion must be whole dose steps of 0.1 g
    (PARAM.format(key="course_cap", value="180.05", unit="g"), ["params.course_cap: must be a whole number of "
                                                                "dose_steps"]),
    (PARAM.format(key="daily_cap", value="80.05", unit="g"),
     ["params.daily_cap: must be a whole number of dose_steps"]),
    (PARAM.format(key="hospital_portion", value="30.05", unit="g"),
     ["params.hospital_portion: must be a whole number of dose_steps",
      "params.hospital_portion: is given but no course has hospital = true"]),
    (PARAM.format(key="adjusted_weight_factor", value="1.2", unit="fraction"),
     ["params.adjusted_weight_factor: must be below 1 (1 would be the actual weight)"]),
    (PARAM.format(key="bmi_threshold", value="30", unit="kg"),
     ["params.bmi_threshold.unit: must be 'kg/m2', not 'kg'"]),
])
def test_every_contradiction_is_named_exactly(extra, problems):
    assert protocol_problems(with_extra(extra), "t") == problems


@pytest.mark.parametrize(("values", "ok"), [
    # min_weight < warn_below_weight <= warn_above_weight < max_weight
    (("20", "40", "40", "300"), True), (("40", "40", "150", "300"), False), (("20", "40", "300", "300"), False),
    (("20", "150", "40", "300"), False),
])
def test_weights_must_be_ordered(values, ok):
    text = MINIMAL
    for key, value in zip(("min_weight", "warn_below_weight", "warn_above_weight", "max_weight"), values, strict=True):
        old = next(line for line in text.split(f"[params.{key}]\n", 1)[1].splitlines() if line.startswith("value"))
        text = replaced(f"[params.{key}]\n{old}", f'[params.{key}]\nvalue = "{value}"', text)
    assert protocol_problems(text, "t") == ([] if ok else [
        "params: weights must be ordered min_weight < warn_below_weight <= warn_above_weight < max_weight"])


def test_min_days_above_max_days_and_a_default_outside_them():
    text = replaced('value = "1"\nunit = "days"', 'value = "4"\nunit = "days"')
    assert protocol_problems(text, "t") == ["params.max_days: must not be below min_days"]
    text = replaced('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "3"')
    assert protocol_problems(text, "t") == []
    assert parse_protocol(text, "t").default_days == 3


def test_a_rounding_default_is_read_as_an_amount_or_vials():
    for value, expected in (("5 g", "5 g"), ("vials", "vials"), ("none", None), ("2.5g", "2.5g")):
        text = with_extra(f'[options.rounding]\nvalue = "{value}"\nrule = "R2"\nsource = "t"')
        assert parse_protocol(text, "t").rounding == expected
    for value in ("0 g", "5 kg", "g", "-5 g"):
        text = with_extra(f'[options.rounding]\nvalue = "{value}"\nrule = "R2"\nsource = "t"')
        assert protocol_problems(text, "t") == [
            f"options.rounding.value: '{value}' is not accepted; accepted: none, vials, <an amount in grams, e.g. 5 g>"]


@pytest.mark.parametrize(("change", "problems"), [
    # a missing bound is one problem, not a crash in the checks that compare it
    (('[params.min_days]\nvalue = "1"\nunit = "days"\nrule = "R3"\nsource = "test"\n', ''),
     ["params.min_days: missing parameter"]),
    (('[params.max_days]\nvalue = "3"\nunit = "days"\nrule = "R3"\nsource = "test"\n',
      '[params.daily_cap]\nvalue = "50"\nunit = "g"\nrule = "R3"\nsource = "t"\n'
      '[params.course_cap]\nvalue = "180"\nunit = "g"\nrule = "R2"\nsource = "t"\n'),
     ["params.max_days: missing parameter"]),
    # more than one bad option: every one is named
    (('[options.rest_setting]\nvalue = "home"', '[options.rest_setting]\nvalue = "garden"'),
     ["options.rest_setting.value: 'garden' is not accepted; accepted: home, hospital"]),
    (('[options.default_days]\nvalue = "smallest"\nrule = "R3"\nsource = "test"\n', '[options]\ndefault_days = 3\n'),
     ["options.default_days: must be a table with value, rule, source"]),
    (('[options.rest_setting]\nvalue = "home"\nrule = "R6"\nsource = "test"\n',
      '[options.rest_setting]\nvalue = "home"\nsource = "test"\ncolour = "red"\n'),
     ["options.rest_setting.colour: unknown key; accepted: value, rule, source",
      "options.rest_setting.rule: missing text"]),
    (('[params.dose_step]\nvalue = "0.1"\nunit = "g"\nrule = "R2"\nsource = "test"\n',
      '[params.dose_step]\nvalue = "0.1"\nunit = "g"\nrule = "R2"\n'), ["params.dose_step.source: missing text"]),
    (('[product]\nname = "TestGam"', '[placebo]\nsource = "s"\n\n[product]\nname = "TestGam"'),
     ["placebo.name: missing text", "placebo.rule: missing text"]),
    (('[product]\nname = "TestGam"', '[product]\ncatalogue_id = ""\nindication = " "\nname = "TestGam"'),
     ["product.catalogue_id: must be text, not ''", "product.indication: must be text, not ' '"]),
    (('id = "mini"\n', 'courses = []\nid = "mini"\n'),
     ["courses: missing: give [[courses]] entries or a [courses] schedule"]),
    (('id = "mini"\n', 'courses = [1, 2]\nid = "mini"\n'),
     ["courses: missing: give [[courses]] entries or a [courses] schedule"]),
    (('id = "mini"\n', 'courses = "weekly"\nid = "mini"\n'),
     ["courses: missing: give [[courses]] entries or a [courses] schedule"]),
    (('[courses]\ncount = 1\nsource = "test"\n', '[[courses]]\nweek = 0\n'),
     ["courses[0].name: missing text", "courses[0].source: missing text"]),
    (('[courses]\ncount = 1\nsource = "test"\n', '[courses]\ncount = 1\nevery_weeks = 0\nsource = "test"\n'),
     ["courses.every_weeks: must be a whole number from 1 to 520, not 0"]),
    (('id = "mini"\n', 'id = "mini"\nparams = 3\n'), ["params: must be a table"]),
])
def test_more_problems_named_exactly(change, problems):
    text = replaced(*change)
    if change[1].startswith("courses = "):  # a top-level courses key instead of the [courses] table
        text = without_the_schedule(text)
    if "garden" in change[1]:
        text = replaced('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "40"', text)
        problems = ["options.default_days.value: '40' is not accepted; accepted: smallest, <a whole number of days>",
                    *problems]
    if change[1] == 'id = "mini"\nparams = 3\n':
        text = text.replace("[params.", "[unused.")
        assert protocol_problems(text, "t")[:2] == ["unused: unknown key; accepted: id, name, version, source, "
                                                     "verified, params, options, courses, product, placebo, "
                                                     "holidays",
                                                     "params: must be a table"]
        return
    assert protocol_problems(text, "t") == problems


def test_an_unknown_option_is_named_under_options():
    text = with_extra('[options.colour]\nvalue = "red"\nrule = "R"\nsource = "t"')
    assert protocol_problems(text, "t") == [
        "options.colour: unknown key; accepted: default_days, rest_setting, dosing_weight_basis, rounding"]


@pytest.mark.parametrize(("change", "check"), [
    # the bounds themselves are accepted: 31 days, 12 digits, 25 courses, a default of 1 day
    (('value = "3"\nunit = "days"', 'value = "31"\nunit = "days"'), lambda p: p.max_days == 31),
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "1.00000000001"'),
     lambda p: p.dose_per_kg == Decimal("1.00000000001")),
    (('[courses]\ncount = 1\nsource = "test"\n',
      "".join(f'[[courses]]\nname = "c{i}"\nweek = {i}\nsource = "s{i}"\n' for i in range(25))),
     lambda p: len(p.courses) == 25 and p.courses[7].source == "s7" and p.schedule_source == "listed"),
    (('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "1"'),
     lambda p: p.default_days == 1),
    # 60 g a day × 3 days is exactly the 180 g course cap: it can be given
    (('[params.dose_step]', '[params.daily_cap]\nvalue = "60"\nunit = "g"\nrule = "R3"\nsource = "t"\n'
      '[params.course_cap]\nvalue = "180"\nunit = "g"\nrule = "R2"\nsource = "t"\n\n[params.dose_step]'),
     lambda p: (p.daily_cap, p.course_cap) == (60, 180)),
])
def test_the_bounds_themselves_are_accepted(change, check):
    assert check(parse_protocol(replaced(*change), "t"))


@pytest.mark.parametrize(("default", "problems"), [
    ("31", ["options.default_days: must be within min_days to max_days"]),
    ("0", ["options.default_days.value: '0' is not accepted; accepted: smallest, <a whole number of days>"]),
])
def test_a_default_day_count_is_a_whole_number_of_1_to_31_within_the_protocols_days(default, problems):
    text = replaced('[options.default_days]\nvalue = "smallest"', f'[options.default_days]\nvalue = "{default}"')
    assert protocol_problems(text, "t") == problems


def test_a_rounding_default_of_half_a_gram_is_an_amount():
    text = with_extra('[options.rounding]\nvalue = "0.5 g"\nrule = "R2"\nsource = "t"')
    assert parse_protocol(text, "t").rounding == "0.5 g"


def test_a_parsed_protocol_keeps_its_texts_and_names():
    protocol = parse_protocol(with_extra('[params.daily_cap]\nvalue = "none"\nunit = "g"\nrule = "R3"\nsource = "n"'),
                              "t")
    assert (protocol.id, protocol.name, protocol.version, protocol.source) == ("mini", "Minimal test protocol", "1",
                                                                             "test")
    assert protocol.verified is False  # a protocol that does not say so is not verified
    assert protocol.options["rest_setting"].key == "rest_setting"
    unset = protocol.unset["daily_cap"]
    assert (unset.key, unset.unit, unset.rule, unset.source) == ("daily_cap", "g", "R3", "n")
    assert protocol.courses[0].source == "test" and protocol.schedule_source == "schedule"


def test_a_course_not_in_the_protocol_names_the_ones_that_are():
    from ivig_dose.core.errors import InputError

    with pytest.raises(InputError) as raised:
        load_protocol("timeismuscle").course_named("week 5")
    assert raised.value.message == "unknown course 'week 5'; accepted: baseline, week 4, week 8"
    assert load_protocol("timeismuscle").course_named(" Week 4 ").name == "week 4"


def test_a_protocol_file_with_problems_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(replaced('version = "1"\n', ''), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_protocol(str(path))
    assert caught.value.message == f"protocol {path}: version: missing text"
    assert caught.value.origin == str(path)


def test_the_weight_rules_file_and_its_problems():
    import tomllib

    from ivig_dose.files.protocol_file import build_weight_rules
    from ivig_dose.files.protocols import weight_rules

    data = tomllib.loads((Path(schema.__file__).parents[1] / "data" / "dosing_weight.toml").read_text(encoding="utf-8"))
    assert weight_rules().source == data["source"]
    with pytest.raises(ProtocolError) as caught:
        build_weight_rules({"params": {}}, "w.toml")
    assert caught.value.origin == "w.toml"
    assert caught.value.problems == [f"params.{key}: missing parameter" for key in schema.WEIGHT_RULE_PARAMS] + [
        "source: missing text"]


@pytest.mark.parametrize("missing", ["min_days", "max_days"])
def test_a_fixed_default_with_a_missing_bound_is_one_problem(missing):
    text = replaced('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "2"')
    value = "1" if missing == "min_days" else "3"
    text = replaced(f'[params.{missing}]\nvalue = "{value}"\nunit = "days"\nrule = "R3"\nsource = "test"\n', "", text)
    assert protocol_problems(text, "t") == [f"params.{missing}: missing parameter"]


def test_every_missing_option_is_named_and_an_options_source_under_its_name():
    text = replaced('[options.rest_setting]\nvalue = "home"\nrule = "R6"\nsource = "test"\n', "")
    text = replaced('[options.dosing_weight_basis]\nvalue = "actual"\nrule = "R1"\nsource = "test"\n', "", text)
    assert protocol_problems(text, "t") == ["options.rest_setting: missing option",
                                            "options.dosing_weight_basis: missing option"]
    text = replaced('[options.rest_setting]\nvalue = "home"\nrule = "R6"\nsource = "test"\n',
                    '[options.rest_setting]\nvalue = "home"\nrule = "R6"\n')
    assert protocol_problems(text, "t") == ["options.rest_setting.source: missing text"]


@pytest.mark.parametrize(("change", "course"), [
    # 1 g/kg × 20 kg (the lightest weight the minimal protocol accepts) = 20 g; a dose that rounds to
    # 0.2 g over the 3 days it allows leaves a day of 0 g: 0.01 g/kg × 20 kg = 0.2 g
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "0.01"'), "0.2 g"),
    # a dose that rounds down to nothing: 0.004 g/kg × 20 kg = 0.08 g, under one 0.1 g step
    (('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "0.004"'), "0 g"),
])
def test_a_protocol_that_can_plan_a_day_of_0_g_is_refused_in_one_line(change, course):
    problems = protocol_problems(replaced(*change), "t")
    assert problems == [f"params.dose_per_kg: gives a course of {course} at 20 kg, the lightest dosing weight it "
                        "accepts: less than 0.1 g a day over 3 days, so a day of 0 g; accepted: a dose that gives "
                        "every day at least 0.1 g"]


def test_a_per_day_protocol_whose_course_cap_leaves_a_day_empty_is_refused():
    # 0.4 g/kg/day is 8 g a day at 20 kg; a 0.2 g course cap over 3 days leaves the third day 0 g
    text = replaced('[params.dose_per_kg]\nvalue = "1"\nunit = "g/kg"', '[params.dose_per_kg]\nvalue = "0.4"\n'
                    'unit = "g/kg/day"')
    text = with_extra('[params.course_cap]\nvalue = "0.2"\nunit = "g"\nrule = "R2"\nsource = "t"', text)
    problems = protocol_problems(text, "t")
    assert any(p.startswith("params.dose_per_kg: gives a course of 0.2 g at 20 kg") for p in problems), problems


def test_the_smallest_dose_that_fills_every_day_is_accepted():
    # 0.015 g/kg × 20 kg = 0.3 g: one 0.1 g step on each of the 3 days
    assert protocol_problems(replaced('[params.dose_per_kg]\nvalue = "1"', '[params.dose_per_kg]\nvalue = "0.015"'),
                             "t") == []
