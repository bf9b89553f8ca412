"""`verify` holds every number of an order: every
course to --weight, each bag's volume to its own dose, vials and pump programs, the protocol, and a
tolerance that cannot pass anything.

Expected values are hand arithmetic from the spec's rules, written beside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
START = ["--start", "2027-01-04"]


def run(*args: str):
    return runner.invoke(app, list(args))


def order_file(tmp_path: Path, *plan_args: str, fmt: str = "json", change: Any = None) -> str:
    result = run("plan", *plan_args, *START, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if change is not None:
        document = json.loads(text)
        change(document)
        text = json.dumps(document)
    path = tmp_path / f"order.{fmt}"
    path.write_text(text)
    return str(path)


def discrepancies(*args: str) -> list[dict[str, Any]]:
    result = run("verify", *args, "-f", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    return json.loads(result.stdout)["discrepancies"]


def fields(found: list[dict[str, Any]]) -> set[str]:
    return {d["field"] for d in found}


def test_weight_holds_every_course(tmp_path: Path) -> None:
    order = order_file(tmp_path, "--weight", "83.4")
    found = discrepancies(order, "--weight", "38.4")
    # 38.4 kg: 2 g/kg × 38.4 = 76.8 g a course, for week 4 and week 8 as for the baseline (R9)
    for course in ("baseline", "week 4", "week 8"):
        wrong = next(d for d in found if d["field"] == f"{course} dose_g")
        assert (wrong["ordered"], wrong["expected"]) == (166.8, 76.8)
        assert f"{course} weight_kg" in fields(found)


def test_course_weight_names_another_weight_for_its_course(tmp_path: Path) -> None:
    order = order_file(tmp_path, "--weight", "83.4")
    found = discrepancies(order, "--weight", "83.4", "--course-weight", "week8=80kg")
    # week 8 on 80 kg: 2 × 80 = 160 g; baseline and week 4 stay on 83.4 kg and match
    wrong = next(d for d in found if d["field"] == "week 8 dose_g")
    assert (wrong["ordered"], wrong["expected"]) == (166.8, 160)
    assert not any(d["field"].startswith(("baseline", "week 4")) for d in found)


def test_a_bag_whose_volume_is_not_its_dose_fails_within_any_tolerance(tmp_path: Path) -> None:
    # 72 kg: 144 g over 2 days of 72 g; baseline day 1: 30 g in hospital, 42 g (420 mL) at home (R6)
    def dose_off(document: dict[str, Any]) -> None:
        document["courses"][0]["days"][0]["segments"][1]["dose_g"] = 42.4  # 0.95 % over 42 g
        document["courses"][0]["days"][0]["dose_g"] = 72.4
        document["courses"][0]["dose_g"] = 144.4
        document.pop("total_dose_g")

    order = order_file(tmp_path, "--weight", "72", change=dose_off)
    found = discrepancies(order, "--tolerance", "1%")
    # 42.4 g × 10 mL/g = 424 mL, but the bag holds 420 mL: not one bag, whatever the tolerance
    bag = next(d for d in found if d["field"] == "baseline day 1 home volume_ml = dose × 10 mL/g")
    assert (bag["ordered"], bag["expected"], bag["rule"]) == (420, 424, "R5")
    assert "baseline day 1 home dose_g" not in fields(found)  # the dose alone is within 1 %


def test_the_order_own_plan_still_matches_within_a_tolerance(tmp_path: Path) -> None:
    order = order_file(tmp_path, "--weight", "72")
    assert run("verify", order, "--tolerance", "1%").exit_code == 0


def test_a_pump_running_twice_as_fast_does_not_match(tmp_path: Path) -> None:
    def twice(document: dict[str, Any]) -> None:
        for course in document["courses"]:
            for day in course["days"]:
                for segment in day["segments"]:
                    for step in segment["pump"]["steps"]:
                        step["rate_ml_per_h"] *= 2

    order = order_file(tmp_path, "--weight", "70", change=twice)
    found = discrepancies(order)
    # 70 kg, Nanogam steps 0.6 mL/kg/h first: 42 mL/h, here 84 mL/h
    first = next(d for d in found if d["field"] == "baseline day 1 hospital pump_step_1_rate_ml_per_h")
    assert (first["ordered"], first["expected"], first["rule"]) == (84, 42, "pump")


def test_other_vials_do_not_match(tmp_path: Path) -> None:
    def six_fives(document: dict[str, Any]) -> None:
        # 70 kg baseline day 1 hospital: 30 g, picked as 1 × 20 g + 1 × 10 g
        document["courses"][0]["days"][0]["segments"][0]["vials"] = [{"grams": 5, "volume_ml": 50, "count": 6}]

    order = order_file(tmp_path, "--weight", "70", change=six_fives)
    found = discrepancies(order)
    vials = next(d for d in found if d["field"] == "baseline day 1 hospital vials")
    assert (vials["ordered"], vials["expected"]) == ("6 × 5 g", "1 × 20 g + 1 × 10 g")


def test_a_csv_order_pump_is_compared(tmp_path: Path) -> None:
    order = Path(order_file(tmp_path, "--weight", "70", fmt="csv"))
    assert run("verify", str(order)).exit_code == 0
    order.write_text(order.read_text().replace("42 mL/h for 30 min", "84 mL/h for 30 min", 1))
    assert "baseline day 1 hospital pump_step_1_rate_ml_per_h" in fields(discrepancies(str(order)))


def test_an_order_of_another_protocol_is_not_a_match(tmp_path: Path) -> None:
    def other(document: dict[str, Any]) -> None:
        document["protocol"] = "standard-5-day"

    order = order_file(tmp_path, "--weight", "70", change=other)
    found = discrepancies(order)
    protocol = next(d for d in found if d["field"] == "protocol")
    assert (protocol["ordered"], protocol["expected"]) == ("standard-5-day", "timeismuscle")


@pytest.mark.parametrize("tolerance", ["99.9%", "11%", "1000 g", "2 g", "20 mL"])
def test_a_tolerance_has_a_sane_maximum(tolerance: str) -> None:
    result = run("verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--volume", "1mL",
                 "--tolerance", tolerance)
    assert result.exit_code == 2
    assert "--tolerance" in result.stderr


def test_the_largest_tolerance_still_refuses_a_1_ml_bag() -> None:
    # 72 kg baseline day 1: 72 g, 720 mL; 10 % of it is 72 mL, and 1 mL is 719 mL short
    for tolerance in ("10%", "1 g"):
        result = run("verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--volume", "1mL",
                     "--tolerance", tolerance)
        assert result.exit_code == 1, result.stdout
