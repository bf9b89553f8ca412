"""verify of a plan's own order holds when the dosing weight is not a finite decimal (a path
test found it): an ideal weight from a height in inches is a 28-digit Decimal, which JSON can
only carry as the nearest double and CSV writes in full."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
# Devine, women: 45.5 kg + 2.3 kg per inch over 60 in. 1.78 m = 178 / 2.54 = 70.0787... in, so the
# ideal weight is 45.5 + 2.3 × 10.0787... = 68.6811... kg, and a course 2 × 68.68... = 137.36 g,
# rounded down to 137.3 g (R2), over 2 days of 68.7 + 68.6 g (R4).
PLAN = ["-w", "80", "--height", "1.78m", "--sex", "female", "--dosing-weight", "ideal", "--start", "2027-01-04"]


def test_json_and_csv_orders_of_an_ideal_weight_match(tmp_path):
    for fmt in ("json", "csv"):
        planned = runner.invoke(app, ["plan", *PLAN, "-f", fmt])
        assert planned.exit_code == 0, planned.stderr
        assert ("137.3" if fmt == "json" else ",68.6,") in planned.stdout
        order = tmp_path / f"order.{fmt}"
        order.write_text(planned.stdout, encoding="utf-8")
        checked = runner.invoke(app, ["verify", str(order), "--height", "1.78m", "--sex", "female",
                                      "--dosing-weight", "ideal"])
        assert checked.exit_code == 0, checked.stdout + checked.stderr


def test_a_different_dosing_weight_is_still_a_discrepancy(tmp_path):
    planned = runner.invoke(app, ["plan", *PLAN, "-f", "json"])
    order = tmp_path / "order.json"
    order.write_text(planned.stdout.replace("68.68110236220473", "68.68110236220479"), encoding="utf-8")
    checked = runner.invoke(app, ["verify", str(order), "--height", "1.78m", "--sex", "female"])
    assert checked.exit_code == 1
    assert "\ndosing weight (R1)\n" in checked.stdout


# A basis chosen with --dosing-weight that the baseline course cannot use (found through the path
# test): women 165 cm = 64.96 in, Devine 45.5 + 2.3 × 4.96... = 56.909... kg.
# At 50 kg that ideal weight is above the actual one, so the baseline is dosed on 50 kg (actual,
# 2 × 50 = 100 g); week 4 at 70 kg is dosed on 56.909... kg: 2 × 56.909... = 113.818... → 113.8 g.
CHOSEN = ["-w", "50", "--course-weight", "week4=70", "--height", "165", "--sex", "female",
          "--dosing-weight", "ideal", "--start", "2027-01-04"]


def _order(tmp_path, fmt: str, extra: tuple[str, ...] = ()) -> str:
    planned = runner.invoke(app, ["plan", *CHOSEN, "-f", fmt, *extra])
    assert planned.exit_code == 0, planned.stderr
    order = tmp_path / f"order.{fmt}"
    order.write_text(planned.stdout, encoding="utf-8")
    return str(order)


def test_the_chosen_basis_is_read_back_when_the_baseline_could_not_use_it(tmp_path):
    import json

    order = _order(tmp_path, "json")
    document = json.loads(Path(order).read_text(encoding="utf-8"))
    assert document["dosing_weight_basis"] == "actual"          # what the baseline was dosed on
    assert document["dosing_weight_override_basis"] == "ideal"  # what the prescriber chose
    assert [c["dose_g"] for c in document["courses"]] == [100, 113.8, 100]
    for fhir in (False, True):
        path = _order(tmp_path, "fhir", ("--patient-id", "TIM-001")) if fhir else order
        checked = runner.invoke(app, ["verify", path, "--height", "165", "--sex", "female"])
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        assert "dosing weight: ideal" in " ".join(checked.stdout.split())


def test_a_plan_on_the_protocols_basis_names_no_chosen_basis(tmp_path):
    planned = runner.invoke(app, ["plan", "-w", "70", "--start", "2027-01-04", "-f", "json"])
    assert '"dosing_weight_override_basis": null' in planned.stdout


def test_an_order_that_changes_the_chosen_basis_differs(tmp_path):
    order = _order(tmp_path, "json")
    text = Path(order).read_text(encoding="utf-8").replace('"dosing_weight_override_basis": "ideal"',
                                                           '"dosing_weight_override_basis": "adjusted"')
    Path(order).write_text(text, encoding="utf-8")
    checked = runner.invoke(app, ["verify", order, "--height", "165", "--sex", "female", "--dosing-weight", "ideal"])
    assert checked.exit_code == 1
    assert "dosing weight basis chosen by the prescriber " in checked.stdout


def test_an_order_on_a_chosen_basis_asks_for_the_facts_that_decide_it(tmp_path):
    # 38 kg, pregnant, --dosing-weight ideal: every course is dosed on the actual 38 kg (R1), and
    # the order says ideal was chosen but not why it was not used; verify asks, in one line
    planned = runner.invoke(app, ["plan", "-w", "38", "--pregnant", "--dosing-weight", "ideal",
                                  "--start", "2027-01-04", "-f", "json"])
    order = tmp_path / "order.json"
    order.write_text(planned.stdout, encoding="utf-8")
    asked = runner.invoke(app, ["verify", str(order)])
    assert asked.exit_code == 2
    assert asked.stderr.count("\n") == 1 and "--dosing-weight ideal" in asked.stderr
    assert "--pregnant" in asked.stderr and "--height" in asked.stderr
    told = runner.invoke(app, ["verify", str(order), "--pregnant"])
    assert told.exit_code == 0, told.stdout + told.stderr
    # a height and sex give the same doses: an ideal weight of 45.5 + 2.3 × (64.96 − 60) = 56.9 kg is
    # above the actual 38 kg, so every course is dosed on 38 kg again; but the order was not made from
    # them, and its "why" and input digest say so
    also = runner.invoke(app, ["verify", str(order), "--height", "165", "--sex", "female", "-f", "json"])
    assert also.exit_code == 1, also.stdout + also.stderr
    assert [d["field"] for d in json.loads(also.stdout)["discrepancies"]] == ["why[0].text", "input_digest"]
