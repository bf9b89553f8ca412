"""The order sheet, rendered from real plan documents and read back with pypdf."""

from __future__ import annotations

import re
from dataclasses import replace

from ivig_dose.render.order_pdf import render_order
from tests.documents import PROVENANCE, document, pdf_text
from tests.helpers import plan_for


def words(text: str) -> str:
    """Text with every run of whitespace as one space, so table line breaks do not matter."""
    return " ".join(text.split())


def order_text(doc, provenance=PROVENANCE) -> str:
    return words(pdf_text(render_order(doc, provenance)))


def test_every_bag_of_the_70_kg_plan_is_on_the_sheet():
    text = order_text(document(plan_for("70")))
    # worked case: baseline day 1 = 30 g / 300 mL hospital + 40 g / 400 mL home; day 2 70 g / 700 mL home.
    assert "2027-01-04 1 of 2 hospital 30 g 300 mL" in text
    assert "2027-01-04 1 of 2 home 40 g 400 mL" in text
    assert "2027-01-05 2 of 2 home 70 g 700 mL" in text
    # weeks 4 and 8 (+28 and +56 days): 70 g / 700 mL at home each day.
    for day in ("2027-02-01 1 of 2", "2027-02-02 2 of 2", "2027-03-01 1 of 2", "2027-03-02 2 of 2"):
        assert f"{day} home 70 g 700 mL" in text
    # 3 courses × 140 g = 420 g in 4200 mL.
    assert "Protocol total over 3 courses: 420 g in 4200 mL" in text
    assert "Arm ivig" in text
    assert "Patient TIM-001" in text


def test_72_35_kg_heading_numbers():
    text = order_text(document(plan_for("72.35")))
    # 2 × 72.35 = 144.7 g, split 72.4 + 72.3 g; day 1 = 30 g hospital + 42.4 g home.
    assert "Weight 72.35 kg" in text
    assert "Dosing weight 72.35 kg (actual body weight, R1)" in text
    assert "2027-01-04 1 of 2 home 42.4 g 424 mL" in text
    assert "Total 144.7 g 1447 mL" in text


def test_vials_and_pump_are_printed_when_the_plan_has_them():
    text = order_text(document(plan_for("70"), dispense=True))
    # hospital bag 30 g / 300 mL: 3 vials of 10 g; pump 30 min at 60 mL/h, then 270 mL at 240 mL/h
    # = 67.5 min; 97.5 min in all -> "1 h 38 min".
    assert ("2027-01-04 1 of 2 hospital 30 g 300 mL 3 × 10 g (100 mL) 60 mL/h for 30 min (30 mL) "
            "240 mL/h for 67.5 min (270 mL) 1 h 38 min") in text
    # baseline pick list 3 + 4 + 7 = 14 vials; 97.5 + 122.5 + 197.5 = 417.5 min -> 6 h 58 min.
    assert "Vials to pick for the baseline course: 14 × 10 g (100 mL)" in text
    assert "Total 140 g 1400 mL 6 h 58 min" in text
    assert "not computed" not in text


def test_waste_is_printed():
    # 72.35 kg, home bag of 42.4 g: 5 vials of 10 g = 50 g, waste 7.6 g (76 mL) under the test's rule.
    text = order_text(document(plan_for("72.35"), dispense=True))
    assert "5 × 10 g (100 mL) waste 7.6 g (76 mL)" in text


def test_missing_vials_and_pump_are_said_not_computed():
    text = order_text(document(plan_for("70")))
    assert "Vials and pump program: not computed in this plan" in text
    # each of the 7 bags: vials, pump program and time not computed.
    assert text.count("not computed not computed not computed") == 7


def test_footer_traces_the_sheet():
    doc = document(plan_for("70"))
    text = order_text(doc)
    assert (f"ivig-dose 9.9.9 · protocol timeismuscle {doc['protocol_version']} · catalogue: none (no vials "
            f"picked) · generated 2027-01-02 08:30 +0000 · input digest {doc['input_digest']}") in text
    assert re.search(r"page 1 of \d", text)


def test_rules_warnings_and_sign_off():
    text = order_text(document(plan_for("100")))
    assert "R2: each course: 2 g/kg × 100 kg = 200 g, capped at the 180 g course maximum" in text
    assert "Warnings • none" in text
    assert text.count("Name Signature Date/time") == 2
    assert "Prepared by (pharmacist)" in text and "Independent double check" in text


def test_warnings_are_printed():
    text = order_text(document(plan_for("160")))
    assert "weight 160 kg is above 150 kg: unusual; check it" in text


def test_unicode_renders_as_text():
    doc = document(plan_for("70"))
    doc["product"]["name"] = "Nanogam®"
    doc["warnings"] = ["weight ≥ 150 kg ≤ 300 kg"]
    text = order_text(doc)
    assert "Nanogam® 100 mg/mL" in text
    assert "weight ≥ 150 kg ≤ 300 kg" in text


def test_unverified_product_is_flagged():
    doc = document(plan_for("70"))
    doc["product_verified"] = False
    assert "not verified against the label" in order_text(doc)


def test_dosing_weight_basis_from_the_plan_is_shown():
    from decimal import Decimal

    from ivig_dose.core.dosing import build_plan
    from ivig_dose.core.model import PlanRequest
    from tests.helpers import PROTOCOL, START

    request = PlanRequest(weight_kg=Decimal(100), start=START, height_cm=Decimal("177.8"), sex="male",
                          dosing_weight="adjusted")
    # 177.8 cm = 70 in: IBW = 50 + 2.3 × 10 = 73 kg; adjusted = 73 + 0.4 × (100 − 73) = 83.8 kg.
    doc = document(build_plan(request, PROTOCOL))
    assert "Dosing weight 83.8 kg (adjusted body weight, R1; chosen with --dosing-weight)" in order_text(doc)


def test_no_patient_id_leaves_a_field_to_fill_in():
    text = order_text(document(plan_for("70")), replace(PROVENANCE, patient_id=None))
    assert "Patient ____" in text


def test_blinded_sheet_hides_arm_doses_and_vials():
    text = order_text(document(plan_for("70"), blinded=True, dispense=True))
    assert "Study medication (IVIg or placebo)" in text
    assert "Arm" not in text
    assert not re.search(r"\d g\b", text.split("Rules applied")[0].replace("10 g/kg", ""))
    assert "× 10 g" not in text
    # the volumes and the pump program stay: 30 min at 60 mL/h before the rest.
    assert "2027-01-04 1 of 2 hospital 300 mL 60 mL/h for 30 min (30 mL)" in text


def test_blinded_sheets_of_both_arms_are_identical():
    for weight in ("70", "45", "80.3", "100"):
        ivig = render_order(document(plan_for(weight), blinded=True, dispense=True), PROVENANCE)
        placebo = render_order(document(plan_for(weight, arm="placebo"), blinded=True, dispense=True), PROVENANCE)
        assert ivig == placebo, weight


def test_unblinded_sheets_of_the_arms_differ():
    assert render_order(document(plan_for("70")), PROVENANCE) != render_order(
        document(plan_for("70", arm="placebo")), PROVENANCE)
