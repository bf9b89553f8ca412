"""verify of a plan's own order holds when the dosing weight is not a finite decimal (issue 15's
path test found it): an ideal weight from a height in inches is a 28-digit Decimal, which JSON can
only carry as the nearest double and CSV writes in full."""

from __future__ import annotations

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
    assert "dosing_weight_kg" in checked.stdout
