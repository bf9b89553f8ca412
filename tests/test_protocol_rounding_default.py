"""A protocol may name its default rounding; --round overrides it, --round none turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.files import protocol_file as schema
from ivig_dose.files.protocols import parse_protocol

BUILT_IN = (Path(schema.__file__).parents[1] / "data" / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
ROUND_5G = BUILT_IN + '\n[options.rounding]\nvalue = "5 g"\nrule = "R2"\nsource = "test: a site rounds to 5 g"\n'
runner = CliRunner()


def daily_doses(*args: str) -> list[float]:
    result = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "json", *args])
    assert result.exit_code == 0, result.stderr
    return [d["dose_g"] for d in json.loads(result.stdout)["courses"][0]["days"]]


def test_left_out_means_exact_doses():
    assert parse_protocol(BUILT_IN, origin="test").rounding is None


def test_amount_is_read_and_bad_values_are_named():
    assert parse_protocol(ROUND_5G, origin="test").rounding == "5 g"
    with pytest.raises(InputError, match=r"options.rounding.value: 'often' is not accepted"):
        parse_protocol(ROUND_5G.replace('value = "5 g"', 'value = "often"'), origin="test")
    with pytest.raises(InputError, match=r"options.rounding.value: '0 g' is not accepted"):
        parse_protocol(ROUND_5G.replace('value = "5 g"', 'value = "0 g"'), origin="test")


def test_the_protocol_default_applies_and_round_none_overrides_it(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(ROUND_5G, encoding="utf-8")
    # 2 × 72.35 = 144.7 g over 2 days: 72.4 + 72.3 g exact; to the nearest 5 g each day is 70 g
    # (72.4 is 2.4 from 70 and 2.6 from 75).
    assert daily_doses("--protocol", str(path)) == [70, 70]
    assert daily_doses("--protocol", str(path), "--round", "none") == [72.4, 72.3]
    assert daily_doses() == [72.4, 72.3]


# --- every path applies it alike -------------------------------------------------------------------
# 72.35 kg: 2 × 72.35 = 144.7 g a course over 2 days; exact 72.4 + 72.3 g; to the nearest 5 g
# each day is 70 g (72.4 is 2.4 from 70 and 2.6 from 75), so a course is 140 g and the three
# courses 420 g in 4200 mL (70 g × 10 mL/g = 700 mL a day).
ROUNDED_DAYS = [70, 70]


def course_days(document: dict) -> list[list[float]]:
    return [[day["dose_g"] for day in course["days"]] for course in document["courses"]]


def test_plan_batch_verify_order_and_the_api_agree_on_a_protocol_default(tmp_path):
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    protocol = tmp_path / "site.toml"
    protocol.write_text(ROUND_5G, encoding="utf-8")
    common = ["--protocol", str(protocol)]

    planned = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "json", *common])
    assert planned.exit_code == 0, planned.stderr
    plan_json = json.loads(planned.stdout)
    assert course_days(plan_json) == [ROUNDED_DAYS] * 3
    assert plan_json["total_dose_g"] == 420 and plan_json["total_volume_ml"] == 4200

    # batch: one row of the same inputs
    patients = tmp_path / "patients.csv"
    patients.write_text("patient_id,weight,start\nP1,72.35,2027-01-04\n", encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(patients), "-f", "jsonl", *common])
    assert batched.exit_code == 0, batched.stderr
    batch_json = json.loads(batched.stdout.splitlines()[0])
    assert course_days(batch_json) == course_days(plan_json)
    assert {k: v for k, v in batch_json.items() if k != "patient_id"} == plan_json

    # the Python API
    api_json = json.loads(json.dumps(plan_document(
        ivig_dose.plan("72.35", start="2027-01-04", protocol=str(protocol))), default=str))
    assert course_days(api_json) == course_days(plan_json)
    assert api_json["input_digest"] == plan_json["input_digest"]

    # verify of plan's own order is a match, alone and in a batch
    order = tmp_path / "order.json"
    order.write_text(planned.stdout, encoding="utf-8")
    verified = runner.invoke(app, ["verify", str(order), *common])
    assert verified.exit_code == 0, verified.stdout
    orders = tmp_path / "orders.jsonl"
    orders.write_text(batched.stdout, encoding="utf-8")
    checked = runner.invoke(app, ["batch", "--verify", str(orders), "-f", "jsonl", *common])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout.splitlines()[0])["match"] is True
    # and an order with the exact doses is not what this protocol prescribes unless --round none says so
    exact = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "json", "--round", "none",
                                *common])
    order.write_text(exact.stdout, encoding="utf-8")
    assert runner.invoke(app, ["verify", str(order), *common, "--round", "5g"]).exit_code == 1
    accepted = runner.invoke(app, ["verify", str(order), *common])
    assert accepted.exit_code == 0 and "--round none" in accepted.stdout

    # the order sheet prints the same days
    sheet = tmp_path / "order.pdf"
    ordered = runner.invoke(app, ["order", "-w", "72.35", "--start", "2027-01-04", "-o", str(sheet), *common])
    assert ordered.exit_code == 0, ordered.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    # the sheet is made from the same inputs (its digest) and says why each day is 70 g
    assert f"input digest {plan_json['input_digest']}" in text
    assert "day 1 72.4 g to 70 g" in text and "course 144.7 g to 140 g" in text
