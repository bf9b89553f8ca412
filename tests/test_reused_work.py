"""The code that reuses work between bags, plans and patients must never hand one the other's numbers.

Issue 15 made four plausible mistakes in copies of this code (A, B, C, F), and each passed every
test of the day. Each test below fails on one of them; B's code, the IVIg plan shared between the
two arms, is gone (it gained under 10 % on any benchmark case).
"""

from __future__ import annotations

import json
from dataclasses import replace

from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()


def batch_jsonl(tmp_path, header: str, rows: list[str]) -> tuple[list[dict], str]:
    path = tmp_path / "patients.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    done = runner.invoke(app, ["batch", str(path), "-f", "jsonl"])
    assert done.exit_code == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_a_patients_who_differ_only_in_height_get_their_own_plans(tmp_path):
    # Mutant A: the shared-plan key without height_cm. Devine, men: 50 kg + 2.3 kg per inch over 60 in;
    # adjusted = ideal + 0.4 × (actual − ideal).
    # 5 ft 10 in = 70 in: ideal 73 kg, adjusted 73 + 0.4 × 27 = 83.8 kg, course 2 × 83.8 = 167.6 g.
    # 6 ft 4 in = 76 in: ideal 86.8 kg, adjusted 86.8 + 0.4 × 13.2 = 92.08 kg, 184.16 g, capped at 180 g (R2).
    header = "patient_id,weight,start,height,sex,dosing_weight"
    for order in ([("S", "5 ft 10 in"), ("T", "6 ft 4 in")], [("T", "6 ft 4 in"), ("S", "5 ft 10 in")]):
        plans, _ = batch_jsonl(tmp_path, header, [f"{pid},100,2027-01-04,{h},male,adjusted" for pid, h in order])
        doses = {p["patient_id"]: p["course_dose_g"] for p in plans}
        assert doses == {"S": 167.6, "T": 180}


def test_c_a_warning_that_quotes_a_date_is_the_patients_own_in_batch(tmp_path, monkeypatch):
    # Mutant C: a plan warning that quotes the start date. batch shares a plan made at a placeholder
    # start; its stderr must still carry each patient's own date, as `plan` prints it.
    from ivig_dose.core import dosing

    real = dosing.build_plan

    def with_dated_warning(request, protocol):
        plan = real(request, protocol)
        return replace(plan, warnings=(*plan.warnings, f"first infusion on {plan.courses[0].days[0].date}"))

    monkeypatch.setattr(dosing, "build_plan", with_dated_warning)
    _, stderr = batch_jsonl(tmp_path, "patient_id,weight,start", ["P1,70,2027-01-04", "P2,70,2027-02-08"])
    assert "row 2, patient_id P1: first infusion on 2027-01-04" in stderr
    assert "row 3, patient_id P2: first infusion on 2027-02-08" in stderr
    assert "1000-" not in stderr  # the placeholder start never leaks


def test_f_a_bag_of_the_same_volume_is_pumped_for_its_courses_weight():
    # Mutant F: the per-plan bag memo without the weight. 100 kg: 180 g (capped) over 3 days of 60 g =
    # 600 mL bags; week 4 weighed 95 kg: 190 g capped to 180 g, the same 600 mL bags. Nanogam's steps
    # 0.6, 1.2, 2.4 mL/kg/h: 60, 120, 240 mL/h at 100 kg; 57, 114, 228 mL/h at 95 kg.
    import ivig_dose

    plan = ivig_dose.plan("100", start="2027-01-04", course_weights={"week4": "95kg"})
    rates = {c.name: [s.rate_ml_per_h for s in c.days[1].segments[-1].dispense.pump.steps] for c in plan.courses}
    assert rates["baseline"] == rates["week 8"] == [60, 120, 240]
    assert rates["week 4"] == [57, 114, 228]


def test_f_in_json_each_bag_entry_is_its_own_bags():
    # render/plan_json writes one entry per Dispense object (bags of a course share one): a wrong key there
    # would print the 100 kg pump rates for the week-4 bags weighed at 95 kg (see the test above)
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    document = plan_document(ivig_dose.plan("100", start="2027-01-04", course_weights={"week4": "95kg"}))
    rates = {course["name"]: [step["rate_ml_per_h"] for step in course["days"][1]["segments"][-1]["pump"]["steps"]]
             for course in document["courses"]}
    assert rates == {"baseline": [60, 120, 240], "week 4": [57, 114, 228], "week 8": [60, 120, 240]}
