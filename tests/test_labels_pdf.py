"""Bag labels: one per segment, read back with pypdf."""

from __future__ import annotations

import io
from dataclasses import replace

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
    assert "180 mL (18 g) baseline course · day 1 of 5 · 2027-01-04 Setting: HOSPITAL" in text
    assert "120 mL (12 g) baseline course · day 2 of 5 · 2027-01-05 Setting: HOSPITAL" in text
    assert "60 mL (6 g) baseline course · day 2 of 5 · 2027-01-05 Setting: HOME" in text
    # week 8 starts 56 days after 2027-01-04: 2027-03-01; day 5 is 2027-03-05.
    assert "180 mL (18 g) week 8 course · day 5 of 5 · 2027-03-05 Setting: HOME" in text
    assert text.count("Batch: ") == 16 and text.count("Expiry: ") == 16
    assert "Nanogam 100 mg/mL" in text


def test_placebo_labels_name_the_placebo_and_no_dose():
    text = " ".join(label_pages(render_labels(document(plan_for("70", arm="placebo")), PROVENANCE)))
    # the placebo bags hold the IVIg plan's volumes: 300 mL hospital + 400 mL home on day 1.
    assert "NaCl 0.9% 300 mL baseline course · day 1 of 2" in text
    assert "(0 g)" not in text


def test_blinded_labels_are_identical_for_both_arms():
    for weight in ("70", "45", "100"):
        ivig = render_labels(document(plan_for(weight), blinded=True), PROVENANCE)
        placebo = render_labels(document(plan_for(weight, arm="placebo"), blinded=True), PROVENANCE)
        assert ivig == placebo
    text = " ".join(label_pages(ivig))
    assert "Study medication (IVIg or placebo) 600 mL baseline" in text  # 100 kg: 60 g = 600 mL a day
    assert " g)" not in text


def test_labels_without_patient_id_leave_a_field():
    text = " ".join(label_pages(render_labels(document(plan_for("70")), replace(PROVENANCE, patient_id=None))))
    assert text.count("Patient: ____") == 7
