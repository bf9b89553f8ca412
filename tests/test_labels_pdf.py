"""Bag labels: one per segment, read back with pypdf."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from ivig_dose.render.labels_pdf import render_labels
from tests.documents import PROVENANCE, document
from tests.helpers import plan_for


def label_pages(content: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]


def test_one_label_per_bag_in_order():
    # 45 kg over 5 days: baseline day 1 hospital 18 g; day 2 hospital 12 g + home 6 g; days 3-5 home 18 g
    # -> 6 baseline bags, then 5 + 5 home bags in weeks 4 and 8 = 16 labels, 8 a page -> 2 pages.
    pages = label_pages(render_labels(document(plan_for("45", days=5)), PROVENANCE))
    assert len(pages) == 2
    text = " ".join(pages)
    assert text.count("Patient: TIM-001") == 16
    assert "bag 16 of 16" in text and "bag 17" not in text
    # each with its setting, the weight it was dosed on, and its date's weekday (2027-01-04 is a Monday)
    assert "180 mL (18 g) Setting: HOSPITAL · dosing weight 45 kg baseline course · day 1 of 5 · Mon 2027-01-04" in text
    assert "120 mL (12 g) Setting: HOSPITAL · dosing weight 45 kg baseline course · day 2 of 5 · Tue 2027-01-05" in text
    assert "60 mL (6 g) Setting: HOME · dosing weight 45 kg baseline course · day 2 of 5 · Tue 2027-01-05" in text
    # week 8 starts 56 days after 2027-01-04: Monday 2027-03-01; day 5 is Friday 2027-03-05.
    assert "180 mL (18 g) Setting: HOME · dosing weight 45 kg week 8 course · day 5 of 5 · Fri 2027-03-05" in text
    assert text.count("Batch: ") == 16 and text.count("Expiry: ") == 16
    # the product and the route on every label
    assert text.count("Nanogam 100 mg/mL · intravenous (IV)") == 16


def test_placebo_labels_name_the_placebo_and_no_dose():
    text = " ".join(label_pages(render_labels(document(plan_for("70", arm="placebo")), PROVENANCE)))
    # the placebo bags hold the IVIg plan's volumes: 300 mL hospital + 400 mL home on day 1.
    assert "NaCl 0.9% · intravenous (IV) 300 mL Setting: HOSPITAL" in text
    assert "(0 g)" not in text


def test_blinded_labels_are_identical_for_both_arms():
    for weight in ("70", "45", "100"):
        ivig = render_labels(document(plan_for(weight), blinded=True), PROVENANCE)
        placebo = render_labels(document(plan_for(weight, arm="placebo"), blinded=True), PROVENANCE)
        assert ivig == placebo
    text = " ".join(label_pages(ivig))
    # 100 kg: 60 g = 600 mL a day
    assert "Study medication (IVIg or placebo) · intravenous (IV) 600 mL Setting: HOME · dosing weight 100 kg" in text
    assert " g)" not in text


def test_labels_without_patient_id_leave_a_field():
    text = " ".join(label_pages(render_labels(document(plan_for("70")), replace(PROVENANCE, patient_id=None))))
    assert text.count("Patient: ____") == 7


def real_label_pages(weight: str, patient_id: str = "TIM-001", blinded: bool = False, **kwargs) -> list[str]:
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan(weight, "2027-01-04", **kwargs)
    return label_pages(render_labels(plan_document(plan, blinded), replace(PROVENANCE, patient_id=patient_id)))


def test_labels_carry_the_bags_pump_program():
    # 83.4 kg, Nanogam steps 0.6/1.2/2.4 mL/kg/h: 50.04 -> 50 mL/h, 100.08 -> 100 mL/h, 200.16 -> 200.1 mL/h;
    # hospital bag 300 mL: 25 + 50 mL in the first hour, 225 mL at 200.1 mL/h = 67.5 min; 127.5 -> 2 h 8 min.
    text = " ".join(real_label_pages("83.4"))
    assert ("300 mL (30 g) Setting: HOSPITAL · dosing weight 83.4 kg baseline course · day 1 of 3 · Mon 2027-01-04 "
            "Pump: 50 mL/h for 30 min (25 mL) → 100 mL/h for 30 min (50 mL) → 200.1 mL/h for 67.5 min (225 mL) · run "
            "time 2 h 8 min") in text


def test_blinded_labels_carry_the_same_pump_program_for_both_arms():
    ivig = real_label_pages("70", blinded=True)
    assert real_label_pages("70", blinded=True, arm="placebo") == ivig
    # 70 kg: 42 / 84 / 168 mL/h; the 300 mL hospital bag: 21 + 42 mL, then 237 mL at 168 mL/h = 84.7 min.
    assert "Pump: 42 mL/h for 30 min (21 mL) → 84 mL/h for 30 min (42 mL) → 168 mL/h for 84.7 min (237 mL)" in ivig[0]


def test_labels_without_a_pump_program_say_so():
    text = " ".join(label_pages(render_labels(document(plan_for("70")), PROVENANCE)))
    assert text.count("Pump program: not computed in this plan") == 7


def test_a_long_patient_id_is_printed_whole():
    long_id = "TIMEISMUSCLE-NL-AMSTERDAM-UMC-SITE-04-PATIENT-0001"  # 50 characters; was cut at about 32
    for weight, product in (("70", None), ("150", "octagam-10")):
        pages = real_label_pages(weight, long_id, product=product)
        text = "".join("".join(page.split()) for page in pages)
        bags = pages[0].count("Batch:") + sum(p.count("Batch:") for p in pages[1:])
        assert text.count(f"Patient:{long_id}") == bags


def test_a_patient_id_too_long_for_two_lines_is_refused():
    from ivig_dose.core.errors import InputError

    with pytest.raises(InputError, match="too long to print whole on a bag label"):
        real_label_pages("70", "W" * 120)


def test_a_patient_id_the_font_cannot_draw_is_refused_not_dropped():
    from ivig_dose.core.errors import InputError

    with pytest.raises(InputError, match="cannot draw"):
        real_label_pages("70", "患者-001")
    with pytest.raises(InputError, match="control character"):
        real_label_pages("70", "TIM-001\nArm placebo")


def sizes_of(content: bytes, starts: tuple[str, ...]) -> dict[str, set[float]]:
    """The font sizes the text starting with each of ``starts`` is printed in, over every label."""
    found: dict[str, set[float]] = {start: set() for start in starts}
    for page in PdfReader(io.BytesIO(content)).pages:
        def seen(text, cm, tm, font, size):
            for start in starts:
                if text.startswith(start):
                    found[start].add(round(size * tm[0], 2))

        page.extract_text(visitor_text=seen)
    return found


@pytest.mark.parametrize(("weight", "product", "patient_id"), [
    ("70", None, "TIM-001"), ("38", "octagam-10", "TIM-001"),
    ("150", "octagam-10", "TIMEISMUSCLE-NL-AMSTERDAM-UMC-SITE-04-PATIENT-0001"),
])
def test_the_pump_program_is_never_smaller_than_the_blanks_beside_it(weight, product, patient_id):
    # the pump program was once printed in about 7 pt, under the 10 pt blanks
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan(weight, "2027-01-04", product=product)
    found = sizes_of(render_labels(plan_document(plan), replace(PROVENANCE, patient_id=patient_id)),
                     ("Pump:", "Batch:", "Prepared by:"))
    pump, blanks = found["Pump:"], found["Batch:"] | found["Prepared by:"]
    assert pump and blanks
    assert min(pump) >= max(blanks), found
    assert min(pump) >= 9  # 38 kg on Octagam 10 %: five rate steps, still at the blanks' 9 pt or above


def test_every_label_names_the_route_and_the_dosing_weight():
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    # 100 kg, 177.8 cm (70 in), male, adjusted: IBW 50 + 2.3 × 10 = 73 kg; 73 + 0.4 × 27 = 83.8 kg
    plan = ivig_dose.plan("100", "2027-01-04", height="177.8", sex="male", dosing_weight="adjusted")
    text = " ".join(label_pages(render_labels(plan_document(plan), PROVENANCE)))
    bags = text.count("Batch:")
    # 83.8 × 2 = 167.6 g a course over 3 days (80 g a day at most): baseline day 1 in two bags (30 g in
    # hospital, the rest at home), then one bag a day: 4 + 3 + 3
    assert bags == 10
    assert text.count("· intravenous (IV)") == bags
    assert text.count("dosing weight 83.8 kg") == bags
