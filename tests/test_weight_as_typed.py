"""Weights as typed: a weight given in another unit is shown as typed with its kg
beside it, rounded for reading only (``183.9 lb (83.42 kg)``), wherever a person reads it; JSON
keeps the exact kg and adds ``weight_as_typed``; no dose is ever computed from the rounded kg.

Hand arithmetic (1 lb = 0.45359237 kg exactly):
- 183.9 lb × 0.45359237 = 83.415636843 kg, shown 83.42 kg; 2 g/kg × 83.415636843 = 166.831273686 g,
  rounded down to 166.8 g (R2).
- 100.3 lb × 0.45359237 = 45.495314711 kg, shown 45.5 kg (45.50 to 0.01 kg, no trailing zero);
  2 g/kg × 45.495314711 = 90.990629422 g, rounded down to 90.9 g. Dosed on the shown 45.5 kg it
  would be 91 g: the display rounding must not reach the dose.
- 200 lb × 0.45359237 = 90.718474 kg, shown 90.72 kg; 2 × 90.718474 = 181.436948 g, over the
  180 g course cap (R2): 180 g.
- 35000 g = 35 kg: below the 40 kg warning bound.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.main import app
from ivig_dose.core.weight_shown import weight_text
from tests.documents import pdf_text

runner = CliRunner()
START = ["--start", "2027-01-04"]


def run(*args: str, columns: int = 200):
    return runner.invoke(app, list(args), env={"COLUMNS": str(columns)})


@pytest.mark.parametrize(("kg", "typed", "shown"), [
    (Decimal("83.415636843"), "183.9 lb", "183.9 lb (83.42 kg)"),
    (Decimal("45.495314711"), "100.3 lb", "100.3 lb (45.5 kg)"),
    (Decimal("72"), "72000 g", "72000 g (72 kg)"),
    # a half rounds up, as people round: 72.125 kg is 72.13 kg (not the 72.12 of rounding half to even)
    (Decimal("72.125"), "72125 g", "72125 g (72.13 kg)"),
    (Decimal("72.35"), None, "72.35 kg"),
    (Decimal("72.5"), "72.5 kg", "72.5 kg"),  # a document's text for a weight typed in kg
])
def test_weight_text(kg, typed, shown):
    assert weight_text(kg, typed) == shown


@pytest.mark.parametrize(("typed", "shown"), [
    ("183.9 lb", "183.9 lb (83.42 kg)"),
    ("183.90 LBS", "183.9 lb (83.42 kg)"),  # the number as ISMP writes it, the unit's symbol
    ("183,9 lb", "183.9 lb (83.42 kg)"),  # a decimal comma is read, and shown with a point like every number
    ("183.9 pound", "183.9 lb (83.42 kg)"),
    ("72000 g", "72000 g (72 kg)"),
    ("72.35", "72.35 kg"),
    ("72,5", "72.5 kg"),  # kg typed with a comma: the exact kg, written as every number is written
    ("72.50 kg", "72.5 kg"),
    ("72 kilogram", "72 kg"),
])
def test_the_table_shows_the_weight_as_typed(typed, shown):
    result = run("plan", "--weight", typed, *START)
    assert result.exit_code == 0, result.stderr
    assert f"Weight: {shown}\n" in result.stdout
    assert f"actual body weight {shown} (the protocol's default)" in result.stdout


def test_the_display_rounding_never_reaches_the_dose():
    # 100.3 lb is 45.495314711 kg, shown 45.5 kg: 2 g/kg gives 90.9 g, not the 91 g of 45.5 kg
    result = run("plan", "--weight", "100.3 lb", *START, "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["weight_kg"] == 45.495314711
    assert doc["weight_as_typed"] == "100.3 lb"
    assert doc["course_dose_g"] == 90.9
    # R4: 909 tenths over 2 days, larger first: 45.5 + 45.4 g
    assert [day["dose_g"] for day in doc["courses"][0]["days"]] == [45.5, 45.4]
    table = run("plan", "--weight", "100.3 lb", *START).stdout
    assert "Weight: 100.3 lb (45.5 kg)" in table
    assert "2 g/kg × ≈45.5 kg = ≈90.99 g, rounded down to 90.9 g" in table


def test_183_9_lb_is_dosed_on_its_exact_kg():
    plan = ivig_dose.plan("183.9 lb", start="2027-01-04")
    assert plan.weight_kg == Decimal("83.415636843")
    assert plan.weight_text == "183.9 lb (83.42 kg)"
    assert plan.course_dose_g == Decimal("166.8")


def test_json_keeps_the_exact_kg_and_adds_the_text_for_every_course():
    result = run("plan", "--weight", "183.9 lb", *START, "--course-weight", "week4=200 lb", "-f", "json")
    doc = json.loads(result.stdout)
    assert (doc["weight_kg"], doc["weight_as_typed"]) == (83.415636843, "183.9 lb")
    courses = {c["name"]: c for c in doc["courses"]}
    assert (courses["week 4"]["weight_kg"], courses["week 4"]["weight_as_typed"]) == (90.718474, "200 lb")
    assert courses["week 4"]["dose_g"] == 180  # 181.436948 g, capped (R2)
    assert courses["week 8"]["weight_as_typed"] == "183.9 lb"
    kg = json.loads(run("plan", "--weight", "72,5", *START, "-f", "json").stdout)
    assert (kg["weight_kg"], kg["weight_as_typed"]) == (72.5, "72.5 kg")


def test_course_weights_are_shown_as_typed_in_the_why_block():
    out = run("plan", "--weight", "183.9 lb", *START, "--course-weight", "week4=200 lb").stdout
    assert "R9: week 4 dosed on 200 lb (90.72 kg), measured for that course" in out
    assert "R9: week 8 dosed on the baseline weight, 183.9 lb (83.42 kg)" in out
    assert "R1: week 4: dosing weight: actual body weight 200 lb (90.72 kg)" in out


def test_the_stacked_layout_shows_it_and_keeps_it_on_one_line():
    out = run("plan", "--weight", "183.9 lb", *START, columns=50).stdout
    assert "Dose 30 g · Volume 300 mL" in out  # the stacked layout
    assert "Weight: 183.9 lb (83.42 kg)" in out
    assert max(len(line) for line in out.splitlines()) <= 50
    # the why lines break around it, never inside it
    assert "      183.9 lb (83.42 kg) (the protocol's default)\n" in out
    assert "weight, 183.9 lb (83.42 kg)\n" in out
    assert not [line for line in out.splitlines() if line.endswith(" lb") or line.strip().startswith("(83.42")]


def test_csv_appends_the_weight_as_typed():
    rows = list(csv.DictReader(io.StringIO(run("plan", "-w", "183.9 lb", *START, "-f", "csv").stdout)))
    assert {(r["weight_kg"], r["weight_as_typed"]) for r in rows} == {("83.415636843", "183.9 lb")}
    rows = list(csv.DictReader(io.StringIO(run("plan", "-w", "72.35", *START, "-f", "csv").stdout)))
    assert {r["weight_as_typed"] for r in rows} == {"72.35 kg"}


def test_fhir_stays_in_kg_and_names_the_weight_as_typed():
    bundle = json.loads(run("plan", "-w", "183.9 lb", *START, "-f", "fhir", "--patient-id", "P1").stdout)
    (weight,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert weight["valueQuantity"] == {"value": 83.415636843, "unit": "kg", "system": "http://unitsofmeasure.org",
                                       "code": "kg"}
    assert weight["note"] == [{"text": "baseline weight (183.9 lb), as the plan was given it"}]


def test_warnings_and_errors_name_the_weight_as_typed():
    low = run("plan", "-w", "35000 g", *START)
    assert "weight 35000 g (35 kg) is below 40 kg" in low.stderr
    refused = run("plan", "-w", "900 lb", *START)  # 408.2331330 kg
    assert refused.exit_code == 2
    assert "weight 900 lb (408.23 kg) is outside the plausible adult range" in refused.stderr


def test_batch_gives_the_same_text_as_plan(tmp_path):
    patients = tmp_path / "patients.csv"
    patients.write_text("patient_id,weight,start,week4_weight\nP1,183.9 lb,2027-01-04,200 lb\n"
                        "P2,35000 g,2027-01-04,\n", encoding="utf-8")
    result = run("batch", str(patients), "-f", "jsonl")
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    alone = json.loads(run("plan", "-w", "183.9 lb", *START, "--course-weight", "week4=200 lb", "-f", "json").stdout)
    assert first.pop("patient_id") == "P1"
    assert first == alone
    assert second["weight_as_typed"] == "35000 g"
    assert "row 3, patient_id P2: weight 35000 g (35 kg) is below 40 kg" in result.stderr


def test_order_sheet_shows_the_weight_as_typed(tmp_path):
    out = tmp_path / "order.pdf"
    result = run("order", "-w", "183.9 lb", *START, "--course-weight", "week4=200 lb", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "Weight 183.9 lb (83.42 kg)" in text
    assert "Dosing weight 183.9 lb (83.42 kg) (actual body weight, R1)" in text
    assert "dosed on 200 lb (90.72 kg)" in text
    assert "dosed on 183.9 lb (83.42 kg)" in text


def test_rates_shows_the_weight_as_typed():
    out = run("rates", "-w", "183.9 lb", "--volume", "500mL").stdout
    assert "Dosing weight: 183.9 lb (83.42 kg)" in out
    doc = json.loads(run("rates", "-w", "183.9 lb", "--volume", "500mL", "-f", "json").stdout)
    assert (doc["weight_kg"], doc["weight_as_typed"]) == (83.415636843, "183.9 lb")


def test_verify_shows_the_order_and_the_checker_weights_as_typed(tmp_path):
    order = tmp_path / "order.json"
    order.write_text(run("plan", "-w", "183.9 lb", *START, "--course-weight", "week4=200 lb", "-f", "json").stdout,
                     encoding="utf-8")
    read_back = run("verify", str(order))
    assert read_back.exit_code == 0, read_back.stdout
    assert "weight: 183.9 lb (83.42 kg) (from the order: confirm it)" in read_back.stdout
    assert "week 4 weight: 200 lb (90.72 kg) (from the order: confirm it)" in read_back.stdout
    given = run("verify", str(order), "--weight", "183.9 lb", "--course-weight", "week4=200lb")
    assert given.exit_code == 0, given.stdout
    assert "weight: 183.9 lb (83.42 kg) (given)" in given.stdout
    # week4 is week 4: listed once, as given, not also as held to --weight
    assert "week 4 weight: 200 lb (90.72 kg) (given)" in given.stdout
    assert "week 4 weight: 183.9 lb" not in given.stdout
    assert "week 8 weight: 183.9 lb (83.42 kg) (given: --weight)" in given.stdout


def test_verify_csv_reads_the_weight_as_typed(tmp_path):
    order = tmp_path / "order.csv"
    order.write_text(run("plan", "-w", "183.9 lb", *START, "-f", "csv").stdout, encoding="utf-8")
    read_back = run("verify", str(order))
    assert read_back.exit_code == 0, read_back.stdout
    assert "weight: 183.9 lb (83.42 kg) (from the order: confirm it)" in read_back.stdout


def test_an_order_that_shows_another_weight_than_it_doses_does_not_match(tmp_path):
    made = run("plan", "-w", "183.9 lb", *START, "-f", "json").stdout
    order = tmp_path / "order.json"
    order.write_text(made.replace('"weight_as_typed": "183.9 lb"', '"weight_as_typed": "184.9 lb"'), encoding="utf-8")
    result = run("verify", str(order), "-f", "json")
    assert result.exit_code == 1
    found = {d["field"]: d for d in json.loads(result.stdout)["discrepancies"]}
    # 184.9 lb × 0.45359237 = 83.869229213 kg, against the 83.415636843 kg it is dosed on
    assert found["weight_as_typed_kg"]["ordered"] == 83.869229213
    assert found["weight_as_typed_kg"]["expected"] == 83.415636843
    bad = tmp_path / "bad.json"
    bad.write_text(made.replace('"weight_as_typed": "183.9 lb"', '"weight_as_typed": "183.9 mL"'), encoding="utf-8")
    refused = run("verify", str(bad))
    assert refused.exit_code == 2
    assert "weight_as_typed '183.9 mL' is not a mass" in refused.stderr
