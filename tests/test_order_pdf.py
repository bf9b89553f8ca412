"""The order sheet, rendered from real plan documents and read back with pypdf."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

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
    assert "Arm IVIg" in text
    assert "Patient TIM-001" in text


def test_72_35_kg_heading_numbers():
    text = order_text(document(plan_for("72.35")))
    # 2 × 72.35 = 144.7 g, split 72.4 + 72.3 g; day 1 = 30 g hospital + 42.4 g home.
    assert "Weight 72.35 kg" in text
    assert "Dosing weight 72.35 kg (actual body weight, R1)" in text
    assert "2027-01-04 1 of 2 home 42.4 g 424 mL" in text
    assert "Course total 144.7 g 1447 mL" in text


def test_vials_and_pump_are_printed_when_the_plan_has_them():
    text = order_text(document(plan_for("70"), dispense=True))
    # hospital bag 30 g / 300 mL: 3 vials of 10 g; pump 30 min at 60 mL/h, then 270 mL at 240 mL/h
    # = 67.5 min; 97.5 min in all -> "1 h 38 min".
    assert ("2027-01-04 1 of 2 hospital 30 g 300 mL 3 × 10 g (100 mL) 60 mL/h for 30 min (30 mL) "
            "240 mL/h for 67.5 min (270 mL) 1 h 38 min") in text
    # baseline pick list 3 + 4 + 7 = 14 vials; the run times of its bags are not summed
    # (97.5 + 122.5 + 197.5 = 417.5 min -> 6 h 58 min would be no time anyone needs).
    assert "Vials to pick for the baseline course: 14 × 10 g (100 mL)" in text
    assert "Course total 140 g 1400 mL Vials to pick" in text
    assert "6 h 58 min" not in text
    assert "not computed" not in text


def test_waste_is_printed():
    # 72.35 kg, home bag of 42.4 g: 5 vials of 10 g = 50 g, waste 7.6 g (76 mL) under the test's rule.
    text = order_text(document(plan_for("72.35"), dispense=True))
    assert "5 × 10 g (100 mL) waste 7.6 g (76 mL)" in text


def test_missing_vials_and_pump_are_said_not_computed():
    text = order_text(document(plan_for("70")))
    assert "Vials, pump programs and run times: not computed in this plan" in text
    # each of the 7 bags: vials, pump program and time not computed.
    assert text.count("not computed not computed not computed") == 7
    assert "Blinded" not in text


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
    # the prescriber's box (this sheet is the prescription in many hospitals), then the pharmacist's
    # and the double checker's
    assert ("Prescribed by (physician) Name Registration no. Signature Date Prepared by (pharmacist) Name "
            "Signature Date/time Independent double check Name Signature Date/time") in text


def test_the_route_is_on_the_sheet():
    assert "Route intravenous (IV)" in order_text(document(plan_for("70")))


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
    text = order_text(doc)
    assert "Dosing weight 83.8 kg (adjusted body weight, R1; chosen with --dosing-weight)" in text
    # each course heading names the weight its dose comes from (2 g/kg × 83.8 kg = 167.6 g), not the 100 kg
    # (a course that runs on to another page says it again there, "(continued)")
    headings = re.findall(r"dosed on 83\.8 kg \(adjusted; weight 100 kg\)(?! \(continued\))", text)
    assert len(headings) == 3
    assert "dosed on 100 kg" not in text


def test_an_inexact_ideal_weight_is_shown_to_10_g_not_to_16_digits():
    from decimal import Decimal

    from ivig_dose.core.dosing import build_plan
    from ivig_dose.core.model import PlanRequest
    from tests.helpers import PROTOCOL, START

    request = PlanRequest(weight_kg=Decimal(100), start=START, height_cm=Decimal(178), sex="male",
                          dosing_weight="ideal")
    # 178 cm = 70.0787... in: IBW = 50 + 2.3 × 10.0787... = 73.1811... kg, shown ≈73.18 kg
    text = order_text(document(build_plan(request, PROTOCOL)))
    assert "Dosing weight ≈73.18 kg (ideal body weight, R1; chosen with --dosing-weight)" in text
    assert len(re.findall(r"dosed on ≈73\.18 kg \(ideal; weight 100 kg\)(?! \(continued\))", text)) == 3
    assert "73.181" not in text


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
    # and the sheet says so, without claiming anything shown is "not computed".
    assert ("Blinded order: the arm, the doses and the vials are not shown, because they would tell the arm. "
            "Shown are the dates, settings and volumes, pump programs and run times, which are the same for "
            "both arms.") in text
    assert "not computed" not in text


def test_blinded_sheet_without_pump_programs_says_which_part_is_missing():
    text = order_text(document(plan_for("70"), blinded=True))
    assert "Shown are the dates, settings and volumes, which are the same for both arms" in text
    assert "Pump programs and run times: not computed in this plan" in text
    assert "Vials, pump" not in text  # the vials are hidden by blinding, not missing


def test_blinded_sheets_of_both_arms_are_identical():
    for weight in ("70", "45", "80.3", "100"):
        ivig = render_order(document(plan_for(weight), blinded=True, dispense=True), PROVENANCE)
        placebo = render_order(document(plan_for(weight, arm="placebo"), blinded=True, dispense=True), PROVENANCE)
        assert ivig == placebo, weight


def test_unblinded_sheets_of_the_arms_differ():
    assert render_order(document(plan_for("70")), PROVENANCE) != render_order(
        document(plan_for("70", arm="placebo")), PROVENANCE)


# --- every page stands alone: real plans, with the built-in catalogue's vials and pumps ---

def real_pages(weight: str, days: int | None = None, blinded: bool = False, **kwargs) -> list[str]:
    """The pages of the order sheet of a real plan, as pypdf reads them (line breaks kept)."""
    import io

    from pypdf import PdfReader

    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan(weight, "2027-01-04", days=days, **kwargs)
    content = render_order(plan_document(plan, blinded), PROVENANCE)
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def page_of(pages: list[str], text: str) -> int:
    found = [n for n, page in enumerate(pages) if text in words(page)]
    assert len(found) == 1, (text, found)
    return found[0]


CASES = [("83.4", None), ("72.35", None), ("120", 5), ("45", 5), ("70", None), ("150", 5)]


@pytest.mark.parametrize(("weight", "days"), CASES)
def test_every_page_has_a_header_with_patient_protocol_digest_and_page_count(weight, days):
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    digest = plan_document(ivig_dose.plan(weight, "2027-01-04", days=days))["input_digest"]
    pages = real_pages(weight, days)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        first_line = words(page.splitlines()[0])
        assert first_line == (f"Patient TIM-001 · TIMEISMUSCLE (add-on IVIg in early myositis), version 2026-11-25 · "
                              f"input digest {digest} page {number} of {len(pages)}")


def bag_rows(page: str) -> list[str]:
    """The bags a page's tables hold, as ``2027-01-04 1 of 2 hospital`` (the weekday above the date)."""
    return re.findall(r"\d{4}-\d\d-\d\d \d+ of \d+ (?:hospital|home)", words(page))


@pytest.mark.parametrize(("weight", "days"), CASES)
def test_a_course_runs_on_to_the_next_page_with_its_heading_and_column_headings(weight, days):
    import ivig_dose

    pages = real_pages(weight, days)
    plan = ivig_dose.plan(weight, "2027-01-04", days=days)
    columns = "Date Day Setting Dose Volume Vials to pick Pump program Run time"
    for course in plan.courses:
        heading = (f"{course.name} course · week {course.week} · from {weekday(course.start)} "
                   f"{course.start.isoformat()} · {len(course.days)} days · dosed on")
        rows = [f"{day.date.isoformat()} {day.day} of {len(course.days)} {segment.setting}"
                for day in course.days for segment in day.segments]
        found = [(n, row) for n, page in enumerate(pages) for row in bag_rows(page) if row in rows]
        # every bag once, in order
        assert [row for _, row in found] == rows
        holding = sorted({n for n, _ in found})
        assert holding == list(range(holding[0], holding[-1] + 1))
        first = words(pages[holding[0]])
        # the heading is followed by the column headings and the first bag on its page
        assert re.search(re.escape(heading) + r" [\d.]+ kg " + columns + r" \w{3} " + re.escape(rows[0]), first)
        for n in holding[1:]:
            # a page it runs on to says so, and repeats the column headings before the bags
            assert re.search(re.escape(heading) + r" [\d.]+ kg \(continued\) " + columns, words(pages[n]))
        # the total stands with the last bag, and the vials to pick with the total
        last = words(pages[holding[-1]])
        assert rows[-1] in last and f"Course total {amount(course.dose_g)} g" in last
        assert f"Vials to pick for the {course.name} course" in last


def weekday(day) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]


def amount(value) -> str:
    from ivig_dose.core.amounts import amount as written

    return written(value)


def test_120_kg_over_5_days_fills_page_1_rather_than_moving_the_next_course_whole():
    # page 1 was once 45 % blank because the week 4 course moved whole to page 2. 120 kg over
    # 5 days: 180 g a course (R2 cap), 36 g a day; baseline day 1 = 30 g hospital + 6 g home.
    pages = real_pages("120", 5)
    assert "week 4 course · week 4 · from Mon 2027-02-01" in words(pages[0])
    assert "2027-02-01 1 of 5 home 36 g 360 mL" in words(pages[0])
    assert "week 4 course · week 4 · from Mon 2027-02-01 · 5 days · dosed on 120 kg (continued)" in words(pages[1])


def page_fill(content: bytes) -> list[float]:
    """How far down each page's body its text reaches, as a share of the body (0: empty, 1: full):
    the body runs from the header's rule to where the line for initials and the footer begin."""
    import io

    from pypdf import PdfReader

    points = 72 / 25.4
    top, bottom = 841.89 - 20 * points, 27 * points  # the header's rule at about 20 mm; BOTTOM_MARGIN 27 mm
    fills = []
    for page in PdfReader(io.BytesIO(content)).pages:
        heights = []

        def seen(text, cm, tm, font, size, heights=heights):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and bottom < y < top:
                heights.append(y)

        page.extract_text(visitor_text=seen)
        fills.append((top - min(heights)) / (top - bottom) if heights else 0.0)
    return fills


def real_order(weight: str, days: int | None = None, blinded: bool = False, **kwargs) -> bytes:
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    return render_order(plan_document(ivig_dose.plan(weight, "2027-01-04", days=days, **kwargs), blinded), PROVENANCE)


@pytest.mark.parametrize(("weight", "days", "kwargs"), [
    *((w, d, {}) for w, d in CASES), ("72", None, {"blinded": True}), ("120", 5, {"blinded": True}),
    ("72", None, {"risk": ("thrombosis",), "product": "octagam-10"}), ("38", 5, {}), ("300", None, {}),
])
def test_no_page_but_the_last_is_mostly_empty(weight, days, kwargs):
    fills = page_fill(real_order(weight, days, **kwargs))
    assert len(fills) >= 2
    assert all(fill >= 0.5 for fill in fills[:-1]), fills


def test_the_blinded_orders_last_page_is_not_three_quarters_empty():
    # the 72 kg blinded order's last page was once 75 % empty
    fills = page_fill(real_order("72", blinded=True))
    assert fills[-1] > 0.3, fills


def test_72_35_kg_no_page_opens_with_a_lone_total():
    # a page must not open with a lone "Total | 144.7 g | 1447 mL" row, apart from its course.
    pages = real_pages("72.35")
    for page in pages:
        body = words("\n".join(page.splitlines()[1:]))  # after the header line
        assert not body.startswith("Course total") and not body.startswith("Total")
        assert not re.search(r"\(continued\) Date Day Setting Dose Volume Vials to pick Pump program Run time "
                             r"Course total", words(page))
    # 2 × 72.35 = 144.7 g = 1447 mL per course: each total stands with its course's last bag.
    for name, last in (("baseline", "2027-01-05 2 of 2"), ("week 4", "2027-02-02 2 of 2"),
                       ("week 8", "2027-03-02 2 of 2")):
        page = words(pages[page_of(pages, f"Vials to pick for the {name} course")])
        assert last in page
        assert f"Course total 144.7 g 1447 mL Vials to pick for the {name} course" in page


def test_course_total_stands_on_one_line_across_the_date_day_and_setting_columns():
    # "Course" / "total" once wrapped in the 16 mm date column
    lines = "\n".join(real_pages("72.35")).splitlines()
    assert lines.count("Course total 144.7 g 1447 mL") == 3
    assert "Course" not in lines and "total" not in lines


@pytest.mark.parametrize(("weight", "days"), CASES)
def test_sign_off_never_stands_alone(weight, days):
    # the sign-off boxes never fill a page alone.
    pages = real_pages(weight, days)
    last = words(pages[-1])
    assert "Prescribed by (physician) Name Registration no." in last
    assert "Prepared by (pharmacist) Name" in last and "Independent double check Name" in last
    assert "Warnings •" in last
    assert "Protocol total over 3 courses" in last


@pytest.mark.parametrize(("weight", "days", "kwargs"), [
    *((w, d, {}) for w, d in CASES), ("72", None, {"blinded": True}),
])
def test_every_page_with_bags_has_a_line_for_the_initials_of_all_who_sign(weight, days, kwargs):
    import io

    from pypdf import PdfReader

    initials = "Initials for the bags on this page: prescriber pharmacist double check"
    pages = [words(page.extract_text()) for page in PdfReader(io.BytesIO(real_order(weight, days, **kwargs))).pages]
    with_bags = [page for page in pages if re.search(r"\d{4}-\d\d-\d\d \d+ of \d+ (?:hospital|home)", page)]
    assert with_bags
    for page in pages:
        assert (initials in page) == (page in with_bags)


@pytest.mark.parametrize(("weight", "days"), [*CASES, ("38", 5), ("300", None)])
def test_vial_items_and_pump_steps_never_break_inside(weight, days):
    import ivig_dose

    text = "\n".join(real_pages(weight, days))
    item = r"\d+ × [\d.]+ g \(\d+ mL\)"
    step = r"[\d.]+ mL/h for [\d.]+ min \([\d.]+ mL\)"
    for pattern in (item, step, r"\d+ of \d+", r"(?:\d+ h )?\d+ min\b", r"\w{3} \d{4}-\d\d-\d\d"):
        whole_lines = len(re.findall(pattern, text))
        across_lines = len(re.findall(pattern, " ".join(text.split())))
        if pattern.startswith(r"\w{3}"):  # in a table the date stands under its weekday, elsewhere beside it
            whole_lines += len(re.findall(r"^\w{3}\n\d{4}-\d\d-\d\d", text, re.MULTILINE))
        assert whole_lines == across_lines, pattern
    assert re.search(r"^\(\d+ mL\)$", text, re.MULTILINE) is None
    # each bag's run time once: as many run times in the table as bags in the plan.
    plan = ivig_dose.plan(weight, "2027-01-04", days=days)
    bags = sum(len(d.segments) for c in plan.courses for d in c.days)
    tables = words(text).split("Rules applied")[0]
    run_times = re.findall(r"(?<!for )(?<![\d.])(?:\d+ h )?\d+ min\b", tables)
    assert len(run_times) == bags


def test_83_4_kg_vials_cell_breaks_only_between_items():
    # 55.6 g = 2 × 20 g + 1 × 10 g + 1 × 5 g + 1 × 1 g = 56 g (waste 0.4 g); never broken as "+ 1 /" "× 1 g (10 mL)".
    lines = "\n".join(real_pages("83.4")).splitlines()
    assert "2 × 20 g (200 mL) + 1 × 10 g (100 mL)" in lines
    assert "+ 1 × 5 g (50 mL) + 1 × 1 g (10 mL)" in lines
    assert "200.1 mL/h for 144.3 min (481 mL)" in lines  # 83.4 × 2.4 = 200.16 -> 200.1 mL/h
    assert "10 h 53 min" not in " ".join(lines)  # the old sum of run times across days


def test_a_course_longer_than_a_page_repeats_its_heading_and_columns():
    doc = document(plan_for("45", days=5), dispense=True)
    course = doc["courses"][0]
    course["days"] = [dict(day, day=n) for n, day in enumerate(course["days"] * 6, start=1)]
    import io

    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_order(doc, PROVENANCE))).pages]
    with_rows = [words(p) for p in pages if " of 30 " in words(p)]
    assert len(with_rows) >= 2
    assert "baseline course · week 0 · from Mon 2027-01-04 · 30 days" in with_rows[0]
    for page in with_rows[1:]:
        assert "baseline course · week 0 · from Mon 2027-01-04 · 30 days · dosed on 45 kg (continued)" in page
        assert "Date Day Setting Dose Volume Vials to pick Pump program Run time" in page


def test_rules_that_run_on_to_the_next_page_say_so():
    pages = real_pages("120", 5)
    holding = [n for n, page in enumerate(pages) if "R1: dosing weight" in words(page)]
    later = [n for n, page in enumerate(pages) if "vials: least waste" in words(page)]
    if holding != later:  # the rules were split: the page they go on on says which list it is
        assert "Rules applied (continued)" in words(pages[later[0]])


# --- one product named, one voice: what the sheet says of the product, the route, the rules ---

def test_the_rules_name_the_chosen_product_and_no_other():
    text = "\n".join(real_pages("72", risk=("thrombosis",), product="octagam-10"))
    flat = words(text)
    assert "R5: volume = dose × 10 mL/g (Octagam 10% 100 mg/mL)" in flat
    assert "Product Octagam 10% 100 mg/mL" in flat
    assert "Nanogam" not in text
    assert "product: product:" not in flat
    assert "product: Octagam 10% (octagam-10) in place of the protocol's own product, at the same 100 mg/mL" in flat
    # "Octagam 10 %" of the label's words is never split from its "%" or from "Octagam"
    assert not re.search(r"10\n%|Octagam\n10", text)
    assert "Octagam 10 % dosing and administration" in flat


def test_no_markdown_is_printed():
    # the dermatomyositis entry's source quotes a command as `octagam-10 --indication dermatomyositis`
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan("70", "2027-01-04", protocol="octagam-dermatomyositis", product="octagam-10-dm")
    assert any("`" in reason.text for reason in plan.reasons)
    text = pdf_text(render_order(plan_document(plan), PROVENANCE))
    assert "`" not in text
    assert "also octagam-10 --indication dermatomyositis" in words(text)


def test_the_blinded_product_line_warns_of_the_pump_rates_it_shows_and_of_no_vials():
    text = words("\n".join(real_pages("72", blinded=True)))
    assert ("Product Study medication (IVIg or placebo); pump rates not verified against the label: check them "
            "Route intravenous (IV)") in text
    assert ") (" not in text.split("Route")[0]
    assert "vial sizes" not in text
    assert ("product catalogue entry 'nanogam': pump rate steps are NOT verified against the current label; check "
            "them against the label before use") in text


def test_every_date_on_the_sheet_names_its_weekday():
    text = words("\n".join(real_pages("72.35")))
    # 2027-01-04 is a Monday; the courses start on Mondays (4 and 8 weeks later), day 2 is a Tuesday
    assert "Start Mon 2027-01-04" in text
    assert "from Mon 2027-02-01" in text and "from Mon 2027-03-01" in text
    assert "Tue 2027-03-02 2 of 2 home 72.3 g 723 mL" in text
    assert "counted from Mon 2027-01-04" in text  # R7
    assert not re.search(r"(?<!Mon )(?<!Tue )\b2027-0[1-3]-0[1-5]\b", text.split("ivig-dose 9.9.9")[0])


def test_a_weekend_hospital_day_is_among_the_warnings_signed_for():
    from ivig_dose.app.plan import plan_patient, setup
    from ivig_dose.parse.plan_inputs import PlanInputs
    from ivig_dose.render.plan_json import plan_document

    # 2027-01-09 is a Saturday: the baseline's hospital day
    plan = plan_patient(PlanInputs(weight="70", start="2027-01-09"), setup(), today=date(2027, 1, 2))
    warnings = words(pdf_text(render_order(plan_document(plan), PROVENANCE))).split("Warnings")[-1]
    assert ("hospital day(s) on a weekend: Sat 2027-01-09; check that the ward gives infusions then, or choose "
            "another start") in warnings
    assert "Prescribed by (physician)" in warnings


def test_a_patient_id_with_a_newline_cannot_forge_a_line():
    from ivig_dose.core.errors import InputError

    for forged in ("TIM-001\nArm placebo", "TIM-001\rArm placebo", "TIM-001\u2028Arm placebo", "TIM\x1b[2J"):
        with pytest.raises(InputError, match="control character"):
            render_order(document(plan_for("70")), replace(PROVENANCE, patient_id=forged))


def test_a_patient_id_the_font_cannot_draw_is_refused_not_dropped():
    from ivig_dose.core.errors import InputError

    with pytest.raises(InputError, match=r"cannot draw: '患' \(U\+60A3\), '者' \(U\+8005\)"):
        render_order(document(plan_for("70")), replace(PROVENANCE, patient_id="患者-001"))
    # accented Latin, Greek and Cyrillic are in the font and print as typed.
    text = order_text(document(plan_for("70")), replace(PROVENANCE, patient_id="Ærø-Ωμ-Жж-001"))
    assert "Patient Ærø-Ωμ-Жж-001" in text


def test_a_header_on_two_lines_stands_clear_of_the_page_below_it():
    # a protocol name long enough to take the header onto a second line: the rule under the header
    # used to be drawn through that second line
    import io

    from pypdf import PdfReader

    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan("70", "2027-01-04", protocol="octagam-dermatomyositis", product="octagam-10-dm")
    for page in PdfReader(io.BytesIO(render_order(plan_document(plan), PROVENANCE))).pages:
        found: list[tuple[float, str]] = []

        def seen(text, cm, tm, font, size, found=found):
            if text.strip():
                found.append((round(tm[5] * cm[3] + cm[5], 1), text.strip()))

        page.extract_text(visitor_text=seen)
        top, second = sorted({y for y, _ in found}, reverse=True)[:2]
        assert any(text.startswith("Patient TIM-001 · Octagam 10% in adult") for y, text in found if y == top)
        assert any("input digest" in text for y, text in found if y == second)  # the header's second line
        # the rule is the highest line drawn across the page (fpdf2 writes "x1 y1 m x2 y2 l S")
        lines = re.findall(rb"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", page.get_contents().get_data())
        rule = max(float(y1) for _, y1, _, y2 in lines if y1 == y2)
        assert rule < second - 1, (rule, second)  # below the second line's baseline, clear of its descenders
