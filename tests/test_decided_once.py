"""Decisions made in one place: each test below fails when a second copy of a decision drifts.

Every path that shows or uses one of these decisions is run on the same inputs, and the answer
is compared with a value worked out by hand, so a renderer or a command that decided again
(and differently) is caught, not just a change to the one place.
"""

from __future__ import annotations

import inspect
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.commands import COMMANDS, PendingCommand
from ivig_dose.cli.main import app
from ivig_dose.core import amounts
from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import Quantity, message
from ivig_dose.core.model import Plan
from ivig_dose.files.protocols import built_in_names
from ivig_dose.render.document_text import pick_list
from ivig_dose.render.plan_json import plan_document
from ivig_dose.render.translations import translator
from ivig_dose.render.translator import ENGLISH

runner = CliRunner()


def dispensed_plan(weight: str) -> Plan:
    """The plan ``ivig-dose plan -w WEIGHT --start 2027-01-04`` makes, vials and pumps included."""
    return ivig_dose.plan(weight, start="2027-01-04")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- the default protocol -----------------------------------------------------------------------

def test_the_default_protocol_is_a_built_in_one():
    assert DEFAULT_PROTOCOL == "timeismuscle"
    assert DEFAULT_PROTOCOL in built_in_names()


@pytest.mark.parametrize("name", ["plan", "order", "labels", "calendar", "verify", "rates", "screen", "batch"])
def test_every_command_defaults_to_the_one_default_protocol(name):
    command = PendingCommand(name, COMMANDS[name]).load()
    [protocol] = [p for p in command.params if p.name == "protocol"]
    assert protocol.default == DEFAULT_PROTOCOL


def test_protocol_show_and_the_api_default_to_the_one_default_protocol():
    group = PendingCommand("protocol", COMMANDS["protocol"]).load()
    show = group.commands["show"]  # type: ignore[attr-defined]
    assert [p.default for p in show.params if p.name == "name"] == [DEFAULT_PROTOCOL]
    assert inspect.signature(ivig_dose.plan).parameters["protocol"].default == DEFAULT_PROTOCOL


# --- a course weight's name in messages ---------------------------------------------------------

EXPECTED_BAD_COURSE_WEIGHT = ("week4 weight 'heavy' is not a number with a unit; accepted: a positive mass such as "
                              "72, 72 kg, 72000 g or 158.7 lb (a bare number is kg)")


def test_a_bad_course_weight_is_named_alike_by_the_command_and_the_api():
    status, _, stderr = run("plan", "-w", "70", "--start", "2027-01-04", "--course-weight", "week4=heavy")
    assert status == 2
    assert stderr == f"ivig-dose: error: {EXPECTED_BAD_COURSE_WEIGHT}\n"
    with pytest.raises(InputError) as caught:
        ivig_dose.plan("70", start="2027-01-04", course_weights={"week4": "heavy"})
    assert caught.value.message == EXPECTED_BAD_COURSE_WEIGHT


def test_a_course_weight_outside_the_range_is_named_by_the_protocol_s_course():
    # 400 kg is above TIMEISMUSCLE's max_weight of 300 kg; "week4" is the protocol's "week 4"
    status, _, stderr = run("plan", "-w", "70", "--start", "2027-01-04", "--course-weight", "week4=400kg")
    assert status == 2
    assert stderr == ("ivig-dose: error: week 4 weight 400 kg is outside the plausible adult range; "
                      "accepted: 20 to 300 kg\n")


# --- vials and waste of a course ----------------------------------------------------------------

def test_a_course_s_vials_and_waste_are_the_same_in_the_model_the_table_and_the_order_sheet():
    # 72.35 kg: 2 g/kg = 144.7 g in 2 days, 72.4 g + 72.3 g; day 1 is 30 g in hospital and 42.4 g at
    # home. Nanogam vials of 20, 10, 5 and 2.5 g: 30 = 20 + 10 (no waste); 42.4 = 2 × 20 + 2.5
    # (0.1 g waste); 72.3 = 3 × 20 + 10 + 2.5 (0.2 g waste). The course: 6 × 20, 2 × 10, 2 × 2.5 g,
    # waste 0.3 g.
    plan = dispensed_plan("72.35")
    course = plan.courses[0]
    assert course.dispense == ((Decimal(20), 6), (Decimal(10), 2), (Decimal("2.5"), 2))
    assert course.waste_g == Decimal("0.3")
    _, table, _ = run("plan", "-w", "72.35", "--start", "2027-01-04")
    assert "  baseline course: 6 × 20 g + 2 × 10 g + 2 × 2.5 g; waste 0.3 g\n" in table
    sheet_course = plan_document(plan)["courses"][0]
    assert pick_list(sheet_course) == "6 × 20 g (200 mL) + 2 × 10 g (100 mL) + 2 × 2.5 g (25 mL)"


def test_a_bag_s_vial_count_is_the_sum_of_its_vials():
    # 72.35 kg, day 2: 72.3 g = 3 × 20 + 1 × 10 + 1 × 2.5 g, 5 vials
    plan = dispensed_plan("72.35")
    dispense = plan.courses[0].days[1].segments[0].dispense
    assert dispense is not None and dispense.vial_count == 5


# --- risks, read once ---------------------------------------------------------------------------

def test_rates_reads_risks_as_plan_does():
    # repeated and in any order, the risks are the same two, sorted, in rates as in plan
    status, out, _ = run("rates", "-w", "70", "--dose", "70g", "--product", "octagam-10", "--risk", "thrombosis",
                         "--risk", "renal", "--risk", "thrombosis", "-f", "json")
    assert status == 0
    assert json.loads(out)["at_risk"]["risks"] == ["renal", "thrombosis"]
    status, out, _ = run("plan", "-w", "70", "--start", "2027-01-04", "--product", "octagam-10", "--risk",
                         "thrombosis", "--risk", "renal", "--risk", "thrombosis", "-f", "json")
    assert status == 0
    assert json.loads(out)["at_risk"]["risks"] == ["renal", "thrombosis"]


# --- units beside numbers -----------------------------------------------------------------------

def test_units_are_written_alike_by_the_core_and_the_translators():
    assert (amounts.grams(Decimal("0.50")), amounts.millilitres(1400), amounts.kilograms(Decimal("72.350"))) == (
        "0.5 g", "1400 mL", "72.35 kg")
    assert (ENGLISH.grams(Decimal("0.50")), ENGLISH.millilitres(1400), ENGLISH.kilograms(Decimal("72.350"))) == (
        "0.5 g", "1400 mL", "72.35 kg")
    dutch = translator("nl")
    assert (dutch.grams(Decimal("0.50")), dutch.millilitres(1400), dutch.kilograms(Decimal("72.350"))) == (
        "0,5 g", "1400 mL", "72,35 kg")


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_a_quantity_in_a_message_is_written_as_the_amount_functions_write_it(value):
    for unit, write, say in (("g", amounts.grams, ENGLISH.grams), ("mL", amounts.millilitres, ENGLISH.millilitres),
                             ("kg", amounts.kilograms, ENGLISH.kilograms)):
        assert message("{v}", v=Quantity(value, unit)) == write(value) == say(value)
