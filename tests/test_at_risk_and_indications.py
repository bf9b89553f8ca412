"""Issue 18: label rate caps for patients at risk (--risk), per-indication rate tables
(--indication) and --age, on every path a plan is made.

Expected pump rates are worked by hand: a rate per kg × the dosing weight, rounded down to 0.1 mL/h.
Octagam 10 %'s at-risk limit is the lower of the label's two figures, 0.03 mL/kg/min = 1.8 mL/kg/h
(3.3 mg/kg/min would be 1.98 mL/kg/h).
"""

from __future__ import annotations

import json
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.app.plan import plan_patient, setup
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.files.package_data import package_text
from ivig_dose.parse.plan_inputs import PlanInputs
from tests.documents import PROVENANCE, pdf_text

runner = CliRunner()
BASE = ["plan", "--weight", "70", "--start", "2027-01-04"]


def plan_json(*extra: str) -> dict:
    result = runner.invoke(app, [*BASE, "-f", "json", *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def pump_rates(document: dict) -> set[tuple[float, ...]]:
    """Each bag's rate steps in mL/h, as a set of programs."""
    return {tuple(step["rate_ml_per_h"] for step in segment["pump"]["steps"])
            for course in document["courses"] for day in course["days"] for segment in day["segments"]}


def refused(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    return result.stderr


# --- --risk -----------------------------------------------------------------------------------------

def test_octagam_dermatomyositis_schedule_is_held_to_the_at_risk_limit():
    document = plan_json("--product", "octagam-10-dm", "--risk", "thrombosis")
    # 0.6, 1.2 mL/kg/h × 70 kg = 42, 84 mL/h; the 2.4 step (168) is held to 1.8 × 70 = 126 mL/h.
    assert pump_rates(document) == {(42, 84, 126)}
    assert document["at_risk"]["risks"] == ["thrombosis"]
    assert document["at_risk"]["max_rate"] == "1.8 mL/kg/h"
    assert "3.3 mg/kg/min (0.03 mL/kg/min)" in document["at_risk"]["source"]
    why = " ".join(w["text"] for w in document["why"])
    assert "patient at risk of thrombosis: pump capped at 1.8 mL/kg/h, 7 bag(s)" in why
    assert "hydration" in why


def test_without_risk_the_same_schedule_climbs_to_4_mg_per_kg_per_min():
    document = plan_json("--product", "octagam-10-dm")
    assert pump_rates(document) == {(42, 84, 168)}  # 2.4 mL/kg/h × 70 kg
    assert document["at_risk"] is None


def test_a_lower_max_rate_still_holds_beside_the_at_risk_limit():
    # --max-rate 100 mL/h is below 126 mL/h: both limits hold, so the lower one does.
    document = plan_json("--product", "octagam-10", "--risk", "renal", "--max-rate", "100")
    assert pump_rates(document) == {(42, 84, 100)}
    # a higher --max-rate does not lift the label's limit
    document = plan_json("--product", "octagam-10", "--risk", "renal", "--max-rate", "300")
    assert pump_rates(document) == {(42, 84, 126)}


@pytest.mark.parametrize("product", ["privigen", "gamunex-c", "nanogam"])
def test_a_label_without_a_number_needs_a_max_rate(product):
    message = refused(*BASE, "--product", product, "--risk", "thrombosis")
    assert "minimum dose and infusion rate practicable" in message
    assert "--max-rate" in message


def test_with_a_max_rate_a_label_without_a_number_is_planned_and_says_why():
    document = plan_json("--product", "privigen", "--risk", "thrombosis", "--risk", "renal",
                         "--max-rate", "1.2 mL/kg/h")
    # Privigen PI/CIDP: 0.3, 0.6 × 70 = 21, 42 mL/h; then held to 1.2 × 70 = 84 mL/h.
    assert pump_rates(document) == {(21, 42, 84)}
    assert document["at_risk"]["risks"] == ["renal", "thrombosis"]
    assert document["at_risk"]["source"].startswith("--max-rate 1.2 mL/kg/h, as the label gives no number")
    why = " ".join(w["text"] for w in document["why"])
    assert "patient at risk of thrombosis and renal dysfunction: pump capped at 1.2 mL/kg/h" in why


def test_an_unknown_risk_is_refused():
    assert "--risk" in refused(*BASE, "--risk", "bleeding")


def test_risk_is_part_of_the_input_digest():
    assert plan_json("--product", "octagam-10")["input_digest"] != \
        plan_json("--product", "octagam-10", "--risk", "renal")["input_digest"]


def test_placebo_arm_runs_the_same_capped_pump():
    ivig = plan_json("--product", "octagam-10-dm", "--risk", "renal")
    placebo = plan_json("--product", "octagam-10-dm", "--risk", "renal", "--arm", "placebo")
    assert pump_rates(ivig) == pump_rates(placebo) == {(42, 84, 126)}


def test_rates_holds_the_bag_to_the_at_risk_limit():
    result = runner.invoke(app, ["rates", "--weight", "70", "--volume", "700mL", "--product", "octagam-10",
                                 "--risk", "thrombosis", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [s["rate_ml_per_h"] for s in document["pump"]["steps"]] == [42, 84, 126]
    assert document["at_risk"]["max_rate"] == "1.8 mL/kg/h"
    message = refused("rates", "--weight", "70", "--volume", "700mL", "--product", "privigen", "--risk", "renal")
    assert "infusion rate practicable" in message


def test_the_python_api_takes_risk_indication_and_age():
    plan = ivig_dose.plan("70", start="2027-01-04", product="octagam-10-dm", risk=["renal"])
    assert plan.dispensed_with is not None and plan.dispensed_with.at_risk is not None
    rates = {s.rate_ml_per_h for c in plan.courses for d in c.days for seg in d.segments
             if seg.dispense for s in seg.dispense.pump.steps}
    assert max(rates) == Decimal(126)
    with pytest.raises(InputError, match="infusion rate practicable"):
        ivig_dose.plan("70", start="2027-01-04", product="privigen", risk=["renal"])
    itp = ivig_dose.plan("70", start="2027-01-04", product="privigen", indication="itp")
    assert itp.dispensed_with is not None and itp.dispensed_with.indication == "itp"


def test_order_sheet_reminds_of_hydration_for_a_patient_at_risk():
    from ivig_dose.render.order_pdf import render_order

    plan = plan_patient(PlanInputs(weight="70", start="2027-01-04", risk=("thrombosis",)),
                        setup(product="octagam-10"))
    from ivig_dose.render.plan_json import plan_document

    text = " ".join(pdf_text(render_order(plan_document(plan), PROVENANCE)).split())
    assert "Patient at risk of thrombosis: ensure adequate hydration before each infusion" in text
    assert "Pump capped at 1.8 mL/kg/h" in text


@settings(max_examples=60, deadline=None)
@given(
    weight=st.decimals(min_value=20, max_value=300, places=1),
    days=st.integers(min_value=2, max_value=5),
    product=st.sampled_from(["octagam-10", "octagam-10-dm"]),
    arm=st.sampled_from(["ivig", "placebo"]),
    round_to=st.sampled_from([None, "vials"]),
)
def test_with_risk_no_pump_step_ever_exceeds_the_at_risk_limit(weight, days, product, arm, round_to):
    run = setup(product=product, round_to=round_to)
    try:
        plan = plan_patient(PlanInputs(weight=str(weight), start="2027-01-04", days=days, arm=arm,
                                       risk=("renal",)), run)
    except InputError:
        return  # e.g. more days than a light patient's course allows at 0.1 g a day: refused, not planned
    for course in plan.courses:
        # the cap by hand: 1.8 mL/kg/h × the course's dosing weight, rounded down to 0.1 mL/h
        cap = (Decimal("1.8") * course.dosed_on_kg / Decimal("0.1")).to_integral_value(ROUND_FLOOR) / 10
        for day in course.days:
            for segment in day.segments:
                assert segment.dispense is not None
                assert all(step.rate_ml_per_h <= cap for step in segment.dispense.pump.steps)
                assert segment.dispense.pump.volume_ml == segment.volume_ml


# --- --indication --------------------------------------------------------------------------------------

def test_privigen_itp_tops_at_4_mg_per_kg_per_min():
    # ITP: 0.3, 0.6, 1.2, 2.4 mL/kg/h × 70 kg = 21, 42, 84, 168 mL/h; PI and CIDP go on to 4.8 (336).
    assert pump_rates(plan_json("--product", "privigen", "--indication", "itp")) == {(21, 42, 84, 168)}
    for indication in ("pi", "cidp"):
        assert pump_rates(plan_json("--product", "privigen", "--indication", indication)) == \
            {(21, 42, 84, 168, 336)}


def test_gamunex_cidp_starts_at_2_mg_per_kg_per_min():
    document = plan_json("--product", "gamunex-c", "--indication", "CIDP")
    assert pump_rates(document) == {(84, 168, 336)}  # 1.2, 2.4, 4.8 mL/kg/h × 70 kg
    assert document["indication"] == "cidp"


def test_an_unknown_indication_lists_the_known_ones():
    assert "accepted: pi, cidp, itp" in refused(*BASE, "--product", "privigen", "--indication", "gbs")
    assert "accepted: none" in refused(*BASE, "--product", "nanogam", "--indication", "pi")


def test_a_protocol_names_its_own_indication(tmp_path: Path):
    text = package_text("data/protocols/standard-5-day.toml").replace(
        'catalogue_id = "octagam-10"', 'catalogue_id = "privigen"\nindication = "itp"')
    protocol = tmp_path / "itp.toml"
    protocol.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", "--weight", "70", "--start", "2027-01-04", "--protocol", str(protocol),
                                 "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert pump_rates(json.loads(result.stdout)) == {(21, 42, 84, 168)}
    # --indication overrides the protocol's
    result = runner.invoke(app, ["plan", "--weight", "70", "--start", "2027-01-04", "--protocol", str(protocol),
                                 "--indication", "pi", "-f", "json"])
    assert pump_rates(json.loads(result.stdout)) == {(21, 42, 84, 168, 336)}


# --- --age ------------------------------------------------------------------------------------------

ADJUSTED = ["plan", "--weight", "100", "--height", "5 ft 10 in", "--sex", "male", "--dosing-weight", "adjusted",
            "--start", "2027-01-04", "--protocol", "standard-5-day", "-f", "json"]


def test_under_18_the_actual_weight_is_used_whatever_the_basis():
    # adult: ideal 50 + 2.3 × 10 = 73 kg, adjusted 73 + 0.4 × 27 = 83.8 kg; 0.4 g/kg × 83.8 = 33.5 g a day
    adult = json.loads(runner.invoke(app, [*ADJUSTED, "--age", "18"]).stdout)
    assert adult["dosing_weight_kg"] == 83.8
    assert adult["courses"][0]["days"][0]["dose_g"] == 33.5
    # 17 years: actual 100 kg; 0.4 × 100 = 40 g a day
    child = json.loads(runner.invoke(app, [*ADJUSTED, "--age", "17"]).stdout)
    assert child["dosing_weight_kg"] == 100
    assert child["courses"][0]["days"][0]["dose_g"] == 40
    why = next(w["text"] for w in child["why"] if w["rule"] == "R1")
    assert "age 17 years is under 18" in why and "Lifeblood" in why


@pytest.mark.parametrize("age", ["-1", "150", "seventeen", "1e400", "NaN"])
def test_an_impossible_age_is_refused(age):
    assert f"age {age!r}" in refused(*BASE, "--age", age)


def test_verify_takes_the_age_an_order_was_dosed_with(tmp_path: Path):
    order = tmp_path / "order.json"
    order.write_text(runner.invoke(app, [*ADJUSTED, "--age", "16"]).stdout, encoding="utf-8")
    base = ["verify", str(order), "--protocol", "standard-5-day", "--height", "5 ft 10 in", "--sex", "male",
            "--dosing-weight", "adjusted"]
    assert runner.invoke(app, [*base, "--age", "16"]).exit_code == 0
    assert runner.invoke(app, base).exit_code == 1  # as an adult, 33.5 g a day was expected


# --- batch ----------------------------------------------------------------------------------------------

def test_batch_reads_a_risk_and_an_age_column(tmp_path: Path):
    rows = tmp_path / "patients.csv"
    rows.write_text("patient_id,weight,start,risk,age\n"
                    "A,70,2027-01-04,thrombosis+renal,40\n"
                    "B,70,2027-01-04,,40\n"
                    "C,70,2027-01-04,bleeding,40\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(rows), "--product", "octagam-10-dm", "-f", "jsonl"])
    assert result.exit_code == 1  # row C is bad
    plans = {d["patient_id"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert pump_rates(plans["A"]) == {(42, 84, 126)}
    assert plans["A"]["at_risk"]["risks"] == ["renal", "thrombosis"]
    assert pump_rates(plans["B"]) == {(42, 84, 168)}
    assert "row 4, patient_id C: risk 'bleeding' is not known" in result.stderr


def test_batch_refuses_an_at_risk_row_where_the_label_gives_no_number(tmp_path: Path):
    rows = tmp_path / "patients.csv"
    rows.write_text("patient_id,weight,start,risk\nA,70,2027-01-04,renal\nB,70,2027-01-04,\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(rows), "--product", "privigen", "-f", "jsonl"])
    assert result.exit_code == 1
    assert [json.loads(line)["patient_id"] for line in result.stdout.splitlines()] == ["B"]
    assert "row 2, patient_id A: --risk renal" in result.stderr and "infusion rate practicable" in result.stderr


# --- data -----------------------------------------------------------------------------------------------

def test_standard_5_day_cites_the_smpc_wording_on_weight():
    result = runner.invoke(app, ["protocol", "show", "standard-5-day"])
    assert "'may require adjustment in underweight or overweight patients'" in " ".join(result.stdout.split())
