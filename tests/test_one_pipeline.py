"""Every command's bags come from the one pipeline of app/plan.py: plan, rates, batch, the order
sheet and the Python API, given the same inputs, give the same volumes and pump steps; and
``rates`` refuses what ``plan`` refuses, and a bag no plan of the protocol could hold."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import Plan
from tests.documents import pdf_text

runner = CliRunner()
#: 80.3 kg at risk of renal dysfunction, on Octagam 10 %: a patient whose pump the label caps.
OPTIONS = ("--product", "octagam-10", "--risk", "renal")
PATIENT = ("--weight", "80.3", "--start", "2027-01-04", *OPTIONS)
#: Octagam 10 % runs 0.6, 1.2, then 2.4 mL/kg/h; the renal at-risk cap is 1.8 mL/kg/h. Each × 80.3 kg,
#: rounded down to 0.1 mL/h: 48.18 -> 48.1, 96.36 -> 96.3, and the cap 144.54 -> 144.5 (not 2.4 × 80.3 = 192.7).
RATES = [Decimal("48.1"), Decimal("96.3"), Decimal("144.5")]

Bag = tuple[Decimal, Decimal, tuple[tuple[Decimal, Decimal, Decimal], ...]]


def ok(*args: str, stdin: str | None = None):
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.stderr
    return result


def number(value: object) -> Decimal:
    return Decimal(str(value))


def bags_of_document(document: dict) -> list[Bag]:
    """(dose g, volume mL, pump steps (rate, minutes, volume)) of every bag, in plan order."""
    return [(number(s["dose_g"]), number(s["volume_ml"]),
             tuple((number(p["rate_ml_per_h"]), number(p["minutes"]), number(p["volume_ml"]))
                   for p in s["pump"]["steps"]))
            for course in document["courses"] for day in course["days"] for s in day["segments"]]


def bags_of_plan(plan: Plan) -> list[Bag]:
    bags = []
    for course in plan.courses:
        for day in course.days:
            for segment in day.segments:
                assert segment.dispense is not None
                steps = tuple((s.rate_ml_per_h, s.minutes, s.volume_ml) for s in segment.dispense.pump.steps)
                bags.append((segment.dose_g, segment.volume_ml, steps))
    return bags


def test_plan_rates_batch_order_and_the_api_give_the_same_bags(tmp_path: Path) -> None:
    planned = bags_of_document(json.loads(ok("plan", *PATIENT, "-f", "json").stdout))
    # 80.3 kg: 160.6 g a course over 3 days (R2, R3), baseline 30 g in hospital then 23.6 g at home
    # (53.6 g on day 1), so 4 bags, then 3 in each later course
    assert len(planned) == 10 and planned[0][:2] == (Decimal(30), Decimal(300))
    assert {tuple(step[0] for step in bag[2]) for bag in planned} == {tuple(RATES)}

    api = ivig_dose.plan("80.3", "2027-01-04", product="octagam-10", risk=["renal"])
    assert bags_of_plan(api) == planned

    patients = tmp_path / "patients.csv"
    patients.write_text("patient_id,weight,start,risk\nP1,80.3,2027-01-04,renal\n", encoding="utf-8")
    out = tmp_path / "plans.jsonl"
    ok("batch", str(patients), "--product", "octagam-10", "-o", str(out))
    assert bags_of_document(json.loads(out.read_text(encoding="utf-8"))) == planned
    by_api = tmp_path / "by-api.jsonl"
    report = ivig_dose.batch(str(patients), str(by_api), product="octagam-10")
    assert (report.done, report.bad) == (1, 0)
    assert by_api.read_bytes() == out.read_bytes()

    for dose, volume, steps in set(planned):
        by_dose = json.loads(ok("rates", "--weight", "80.3", "--dose", f"{dose}g", *OPTIONS, "-f", "json").stdout)
        by_volume = json.loads(ok("rates", "--weight", "80.3", "--volume", f"{volume}mL", *OPTIONS,
                                  "-f", "json").stdout)
        for document in (by_dose, by_volume):
            assert number(document["volume_ml"]) == volume
            assert tuple((number(p["rate_ml_per_h"]), number(p["minutes"]), number(p["volume_ml"]))
                         for p in document["pump"]["steps"]) == steps
        bag = ivig_dose.rates("80.3", dose=f"{dose} g", product="octagam-10", risk=["renal"])
        assert tuple((s.rate_ml_per_h, s.minutes, s.volume_ml) for s in bag.program.steps) == steps

    sheet = tmp_path / "order.pdf"
    ok("order", *PATIENT, "-o", str(sheet))
    text = " ".join(pdf_text(sheet.read_bytes()).split())
    for _, volume, steps in planned:
        assert f"{volume} mL" in text
        for rate, minutes, step_volume in steps:
            assert f"{rate} mL/h for {minutes} min ({step_volume} mL)" in text


def one_line_refusal(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def weak_catalogue(tmp_path: Path) -> str:
    catalogue = tmp_path / "weak.toml"
    catalogue.write_text('[products.weak]\nname = "Weak"\nconcentration = "50 mg/mL"\npresentations = ["5 g"]\n'
                         'rate_steps = ["1 mL/kg/h"]\nstep_minutes = 30\nsource = "t"\nverified = false\n',
                         encoding="utf-8")
    return str(catalogue)


def test_rates_refuses_a_product_of_another_strength_as_plan_does(weak_catalogue: str) -> None:
    chosen = ("--products", weak_catalogue, "--product", "weak")
    by_plan = one_line_refusal("plan", "--weight", "70", "--start", "2027-01-04", *chosen)
    assert "'weak' is 50 mg/mL but protocol 'timeismuscle' doses Nanogam 100 mg/mL" in by_plan
    assert one_line_refusal("rates", "--weight", "70", "--dose", "70g", *chosen) == by_plan
    assert one_line_refusal("rates", "--weight", "70", "--volume", "700mL", *chosen) == by_plan
    with pytest.raises(InputError):
        ivig_dose.rates("70", dose="70g", products=weak_catalogue, product="weak")


@pytest.mark.parametrize(("args", "said"), [
    # "70 kg" of IgG is 70000 g; TIMEISMUSCLE's daily cap is 80 g (R3), so no bag holds more
    (("--dose", "70 kg"), "--dose 70000 g is more than one bag holds: at most 80 g, the daily cap of protocol "
                          "'timeismuscle'; accepted: above 0 g up to 80 g"),
    # 80 g at 100 mg/mL is 800 mL
    (("--volume", "801mL"), "--volume 801 mL is more than one bag holds: at most 800 mL (80 g at 100 mg/mL), the "
                            "daily cap of protocol 'timeismuscle'; accepted: above 0 mL up to 800 mL"),
    # no cap at all: 0.4 g/kg a day × 70 kg = 28 g, and up to 10 % more by rounding = 30.8 g
    (("--dose", "30.9g", "--protocol", "standard-5-day", "--product", "octagam-10"),
     "at most 30.8 g, 0.4 g/kg of 70 kg in protocol 'standard-5-day', and up to 10 % more by rounding; accepted: "
     "above 0 g up to 30.8 g"),
])
def test_rates_refuses_a_bag_larger_than_the_protocol_gives(args: tuple[str, ...], said: str) -> None:
    assert re.sub(r"^ivig-dose: error: ", "", one_line_refusal("rates", "--weight", "70", *args)).endswith(said)


@pytest.mark.parametrize("args", [("--dose", "80g"), ("--volume", "800mL"),
                                  ("--dose", "30.8g", "--protocol", "standard-5-day", "--product", "octagam-10")])
def test_the_largest_bag_the_protocol_gives_is_accepted(args: tuple[str, ...]) -> None:
    ok("rates", "--weight", "70", *args)


def test_the_batch_api_reports_its_rows_and_its_progress(tmp_path: Path) -> None:
    patients = tmp_path / "patients.csv"
    rows = [f"P{i},{40 + i % 100},2027-01-04" for i in range(1500)] + ["P-bad,abc,2027-01-04"]
    patients.write_text("\n".join(["patient_id,weight,start", *rows]) + "\n", encoding="utf-8")
    heard: list[tuple[int, int]] = []
    report = ivig_dose.batch(str(patients), str(tmp_path / "plans.csv"), errors=str(tmp_path / "errors.csv"),
                             progress=lambda read, size: heard.append((read, size)))
    assert (report.done, report.bad) == (1500, 1)
    size = patients.stat().st_size
    assert len(heard) == 1 and 0 < heard[0][0] <= size and heard[0][1] == size  # after 1,024 rows
    assert "P-bad" in (tmp_path / "errors.csv").read_text(encoding="utf-8")
    with pytest.raises(InputError):
        ivig_dose.batch(str(tmp_path / "missing.csv"), str(tmp_path / "plans.csv"))


def test_without_a_daily_cap_the_course_cap_bounds_a_bag() -> None:
    from decimal import Decimal

    from ivig_dose.core.dispensing import largest_bag
    from ivig_dose.files.protocols import parse_protocol

    from .protocol_text import MINIMAL

    capped = parse_protocol(MINIMAL + '\n[params.course_cap]\nvalue = "50"\nunit = "g"\nrule = "R2"\nsource = "test"\n',
                            "capped")
    assert largest_bag(capped, Decimal(70)) == (Decimal(50), "the course cap of protocol 'mini'")
