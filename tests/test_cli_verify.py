"""`ivig-dose verify` through the CLI: exit statuses, both order formats, bedside, JSON output, bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
START = ["--start", "2027-01-04"]
BEDSIDE_72 = ["verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--setting", "home"]


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def planned(*args: str) -> str:
    result = run("plan", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("options", [["--weight", "70"], ["--weight", "80.3", "--days", "4", "--arm", "placebo"],
                                     ["--weight", "100", "--course-weight", "week8=96kg", "--blinded"]])
def test_plan_file_round_trip_matches(tmp_path, fmt, options):
    order = tmp_path / f"order.{fmt}"
    order.write_text(planned(*options, *START, "--format", fmt), encoding="utf-8")
    result = run("verify", str(order))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "MATCH" in result.stdout


def test_order_from_stdin():
    result = run("verify", "-", stdin=planned("--weight", "70", *START, "-f", "json"))
    assert result.exit_code == 0, result.stderr


def test_mismatch_exits_1_with_every_discrepancy_in_json(tmp_path):
    document = json.loads(planned("--weight", "70", *START, "-f", "json"))
    # 70 kg, baseline day 2: 70 g, 700 mL; the order says 72 g.
    document["courses"][0]["days"][1]["dose_g"] = 72
    order = tmp_path / "order.json"
    order.write_text(json.dumps(document), encoding="utf-8")
    result = run("verify", str(order), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["match"] is False
    assert report["discrepancies"] == [{
        "field": "baseline day 2 dose_g", "ordered": 72, "expected": 70, "difference": 2, "unit": "g",
        "rule": "R4", "note": "days as equal as 0.1 g steps allow, larger days first",
    }]


def test_mismatch_table_names_field_rule_and_difference():
    result = run(*BEDSIDE_72, "--volume", "424mL")
    # 72 kg: 144 g over 2 days; day 1 home = 72 - 30 = 42 g = 420 mL (R5, R6)
    assert result.exit_code == 1
    assert result.stdout.startswith("DOES NOT MATCH: 1 of 1 values")  # the verdict first
    line = next(x for x in result.stdout.splitlines() if "424 mL" in x)
    # the field in words; verify's JSON names it by its keys ("baseline day 1 home volume_ml")
    assert all(part in line for part in ("baseline day 1 home volume ", "424 mL", "420 mL", "+4 mL", "R5"))
    assert "volume_ml" not in result.stdout
    assert "DIFFERS" not in result.stdout  # every value with its status only with --all
    every = run(*BEDSIDE_72, "--volume", "424mL", "--all")
    line = next(x for x in every.stdout.splitlines() if "DIFFERS" in x)
    assert all(part in line for part in ("baseline day 1 home volume ", "424 mL", "420 mL", "+4 mL", "R5"))


def test_bedside_match_exits_0():
    result = run(*BEDSIDE_72, "--volume", "420 mL", "--dose", "42g")
    assert result.exit_code == 0, result.stdout
    assert "MATCH: all 2 values" in result.stdout


def test_bedside_accepts_week4_and_a_tolerance():
    # week 4, day 2 of 72 kg: 72 g, 720 mL; 725 mL is within 1 % (7.2 mL), not within 0.5 %
    args = ["verify", "--weight", "72", "--course", "week4", "--day", "2", "--volume", "725"]
    assert run(*args).exit_code == 1
    assert run(*args, "--tolerance", "1%").exit_code == 0
    assert run(*args, "--tolerance", "0.5%").exit_code == 1


@pytest.mark.parametrize(("args", "words"), [
    (["verify"], "give an order file"),
    (["verify", "--weight", "70", "--course", "baseline", "--day", "1"], "--volume or --dose"),
    (["verify", "--course", "baseline", "--day", "1", "--volume", "400"], "--weight"),
    ([*BEDSIDE_72[:-2], "--course", "week 12", "--volume", "1"], "unknown course"),
    ([*BEDSIDE_72[:-1], "garden", "--volume", "400"], "--setting 'garden'"),
    ([*BEDSIDE_72, "--volume", "4 kg"], "is not"),
    ([*BEDSIDE_72, "--volume", "400", "--tolerance", "lots"], "--tolerance"),
    (["verify", "order.json", "--course", "baseline"], "not both"),
    (["verify", "does-not-exist.json"], "cannot read"),
])
def test_bad_input_is_one_line_and_exit_2(args, words):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ivig-dose: error: ")
    assert words in result.stderr


@pytest.mark.parametrize(("text", "words"), [
    ("{not json", "not valid JSON"),
    ('{"courses": []}', "courses is empty"),
    ('{"schema": "something/else", "courses": []}', "schema"),
    ('{"courses": [{"name": "baseline", "days": [{"day": 1, "date": "2027-01-04", "segments": '
     '[{"setting": "home", "dose_g": -1, "volume_ml": 1}]}]}]}', "not below 0"),
    ('{"courses": [{"name": "baseline", "days": [{"day": 1, "date": "2027-01-04", "segments": '
     '[{"setting": "home", "volume_ml": 1}]}]}]}', "dose_g: missing"),
    ("course,day,setting\nbaseline,1,home\n", "missing column(s)"),
    ("[]", "list of orders"),
])
def test_bad_order_files_exit_2(tmp_path, text, words):
    order = tmp_path / "order.txt"
    order.write_text(text, encoding="utf-8")
    result = run("verify", str(order), "--weight", "70")
    assert result.exit_code == 2, result.stdout
    assert words in result.stderr


def test_csv_with_several_patients_points_to_batch(tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text("patient_id,course,week,date,day,setting,weight_kg,dose_g,volume_ml\n"
                      "A,baseline,0,2027-01-04,1,home,70,70,700\nB,baseline,0,2027-01-04,1,home,70,70,700\n")
    result = run("verify", str(orders))
    assert result.exit_code == 2
    assert "batch --verify" in result.stderr


def test_plan_options_pass_through(tmp_path):
    """An order made with --round vials or an adjusted dosing weight verifies with the same options."""
    rounded = tmp_path / "rounded.json"
    rounded.write_text(planned("--weight", "72.35", *START, "--round", "vials", "-f", "json"))
    assert run("verify", str(rounded)).exit_code == 0
    assert run("verify", str(rounded), "--round", "none").exit_code == 1
    adjusted = tmp_path / "adjusted.csv"
    body = ["--height", "5 ft 10 in", "--sex", "male", "--dosing-weight", "adjusted"]
    adjusted.write_text(planned("--weight", "100", *START, *body, "-f", "csv"))
    assert run("verify", str(adjusted), *body).exit_code == 0
    # the CSV does not say how the 83.8 kg dosing weight came about: on actual weight it differs
    result = run("verify", str(adjusted), "-f", "json")
    assert result.exit_code == 1
    fields = {d["field"] for d in json.loads(result.stdout)["discrepancies"]}
    assert "baseline day 1 hospital dosing_weight_kg" in fields


def test_a_bad_row_of_an_order_csv_is_named_once(tmp_path):
    order = tmp_path / "order.csv"
    order.write_text("course,week,date,day,setting,weight_kg,dose_g,volume_ml\n"
                     "baseline,0,2027-01-04,1,hospital,abc,30,300\n", encoding="utf-8")
    from typer.testing import CliRunner

    from ivig_dose.cli.main import app

    done = CliRunner().invoke(app, ["verify", str(order)])
    assert done.exit_code == 2
    assert done.stderr == (f"ivig-dose: error: {order}: row 2: weight_kg 'abc' is not a number with a unit; "
                           "accepted: a weight such as 72.35\n")
