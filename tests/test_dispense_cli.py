"""Vials, pump programs, ``--round``, ``--max-rate`` and ``rates`` through the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.render.plan_csv import COLUMNS

runner = CliRunner()
BASE = ["plan", "--weight", "70", "--start", "2027-01-04"]
VERIFIED_CATALOGUE = """
[products.checked]
name = "Nanogam"
concentration = "100 mg/mL"
presentations = ["5 g", "10 g", "20 g"]
rate_steps = ["0.6 mL/kg/h", "1.2 mL/kg/h", "2.4 mL/kg/h", "4.8 mL/kg/h", "7.2 mL/kg/h"]
step_minutes = 30
source = "a test catalogue"
verified = true

[products.weak]
name = "Weak 5%"
concentration = "50 mg/mL"
presentations = ["5 g"]
rate_steps = ["1 mg/kg/min"]
step_minutes = 30
source = "a test catalogue"
verified = false
"""


def run(*args: str):
    return runner.invoke(app, list(args))


def plan_json(*extra: str) -> dict:
    result = run(*BASE, "-f", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "products.toml"
    path.write_text(VERIFIED_CATALOGUE, encoding="utf-8")
    return str(path)


def test_json_segments_carry_vials_waste_and_pump(catalogue):
    doc = plan_json("--products", catalogue, "--product", "checked")
    day2 = doc["courses"][0]["days"][1]["segments"][0]
    # 70 g = 3 × 20 g + 1 × 10 g, no waste.
    assert day2["vials"] == [{"grams": 20, "volume_ml": 200, "count": 3}, {"grams": 10, "volume_ml": 100, "count": 1}]
    assert (day2["waste_g"], day2["waste_ml"]) == (0, 0)
    # the worked example: 42, 84, 168, 336, 504 mL/h; 166 min (see test_pump for the arithmetic).
    assert [s["rate_ml_per_h"] for s in day2["pump"]["steps"]] == [42, 84, 168, 336, 504]
    assert day2["pump"]["steps"][0] == {"rate_ml_per_h": 42, "minutes": 30, "volume_ml": 21, "capped": False}
    assert day2["pump"]["duration_min"] == 166
    # baseline: day 1 30 g (20 + 10) + 40 g (2 × 20), day 2 70 g (3 × 20 + 10): 6 × 20 g, 2 × 10 g.
    assert doc["courses"][0]["dispense"] == [{"grams": 20, "count": 6}, {"grams": 10, "count": 2}]
    assert doc["product_verified"] is True
    assert doc["warnings"] == []


def test_an_unverified_product_says_so_everywhere():
    doc = plan_json()
    assert doc["product_verified"] is False
    assert any("NOT verified" in w for w in doc["warnings"])
    table = run(*BASE)
    assert "NOT verified against the current label" in table.stdout
    assert "NOT verified" in table.stderr
    rates = run("rates", "--weight", "70", "--dose", "70g")
    assert "NOT verified" in rates.stdout and "NOT verified" in rates.stderr


def test_product_name_follows_the_chosen_product():
    doc = plan_json("--product", "octagam-10")
    assert doc["product"]["name"] == "Octagam 10%"
    assert any(why["text"].startswith("Octagam 10% (octagam-10) in place of the protocol's own product")
               for why in doc["why"])
    # R5 names the product the bags hold, and no reason names the protocol's Nanogam any more
    assert {"rule": "R5", "text": "volume = dose × 10 mL/g (Octagam 10% 100 mg/mL)"} in doc["why"]
    assert not any("Nanogam" in why["text"] for why in doc["why"])


def test_a_product_of_another_concentration_is_refused(catalogue):
    result = run(*BASE, "--products", catalogue, "--product", "weak")
    assert result.exit_code == 2
    assert result.stderr.startswith("ivig-dose: error: --product 'weak' is 50 mg/mL but protocol")
    assert len(result.stderr.strip().splitlines()) == 1


def test_csv_keeps_the_old_columns_in_place_and_appends():
    assert COLUMNS[:10] == ("course", "week", "date", "day", "setting", "weight_kg", "dose_g", "volume_ml",
                            "product", "rules")
    rows = list(csv.DictReader(io.StringIO(run(*BASE, "-f", "csv").stdout)))
    # day 2 of the default product (Nanogam; steps 0.6, 1.2, 2.4 mL/kg/h): 42, 84, 168 mL/h;
    # 21 + 42 = 63 mL in 60 min; 637 mL at 168 mL/h = 227.5 min; 287.5 -> 288 min.
    day2 = rows[2]
    assert day2["vials"] == "3 × 20 g + 1 × 10 g"
    assert day2["pump_min"] == "288"
    assert day2["pump_steps"] == "42 mL/h for 30 min → 84 mL/h for 30 min → 168 mL/h for 227.5 min"
    assert "pump" not in day2["rules"]


def test_max_rate_is_applied_and_said(catalogue):
    doc = plan_json("--products", catalogue, "--product", "checked", "--max-rate", "200 mL/h")
    pump = doc["courses"][0]["days"][1]["segments"][0]["pump"]
    assert [s["rate_ml_per_h"] for s in pump["steps"]] == [42, 84, 168, 200]
    assert pump["capped"] is True
    assert doc["max_rate"] == "200 mL/h"
    assert any(why["rule"] == "pump" and "--max-rate 200 mL/h" in why["text"] for why in doc["why"])


def test_round_5g_recomputes_segments_and_totals():
    # 80.3 kg: 53.6, 53.5, 53.5 g -> 55 g each (see test_rounding); baseline 165 g, 1650 mL.
    doc = json.loads(run("plan", "--weight", "80.3", "--round", "5g", "-f", "json").stdout)
    baseline = doc["courses"][0]
    assert [d["dose_g"] for d in baseline["days"]] == [55, 55, 55]
    assert (baseline["dose_g"], baseline["volume_ml"]) == (165, 1650)
    assert [s["dose_g"] for s in baseline["days"][0]["segments"]] == [30, 25]
    assert doc["total_dose_g"] == 495


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_blinded_arms_are_byte_identical_with_vials_and_pumps(fmt):
    args = ["plan", "--weight", "80.3", "--start", "2027-01-04", "--round", "vials", "--max-rate", "150",
            "--blinded", "-f", fmt]
    ivig, placebo = run(*args, "--arm", "ivig"), run(*args, "--arm", "placebo")
    assert ivig.exit_code == placebo.exit_code == 0
    assert ivig.stdout == placebo.stdout
    assert ivig.stderr == placebo.stderr
    # and no amount in grams (a vial size, a dose) shows through; "2 g/kg" is the protocol's rule
    assert re.search(r"\d g\b(?!/)", ivig.stdout) is None


def test_blinded_json_hides_vials_but_shows_the_pump():
    doc = plan_json("--blinded")
    segment = doc["courses"][0]["days"][0]["segments"][0]
    assert segment["vials"] is None and segment["waste_g"] is None and segment["waste_ml"] is None
    assert segment["pump"]["duration_min"] > 0
    assert doc["courses"][0]["dispense"] is None


def test_placebo_runs_the_ivig_pump_program_and_opens_no_vials():
    ivig, placebo = plan_json(), plan_json("--arm", "placebo")
    pumps = [[s["pump"] for d in c["days"] for s in d["segments"]] for c in ivig["courses"]]
    assert pumps == [[s["pump"] for d in c["days"] for s in d["segments"]] for c in placebo["courses"]]
    assert all(s["vials"] == [] for c in placebo["courses"] for d in c["days"] for s in d["segments"])
    assert placebo["courses"][0]["dispense"] == []
    assert "Vials to pick: none" in run(*BASE, "--arm", "placebo").stdout


def test_rates_prints_the_worked_example(catalogue):
    result = run("rates", "--weight", "70", "--dose", "70g", "--products", catalogue, "--product", "checked",
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [s["rate_ml_per_h"] for s in doc["pump"]["steps"]] == [42, 84, 168, 336, 504]
    assert doc["pump"]["duration_min"] == 166
    assert (doc["dose_g"], doc["volume_ml"], doc["product_verified"]) == (70, 700, True)
    table = run("rates", "--weight", "70", "--dose", "70g", "--products", catalogue, "--product", "checked")
    assert "504 mL/h" in table.stdout
    assert "Total: 2 h 46 min, 700 mL" in table.stdout  # 165.9 min, rounded up to 166 = 2 h 46 min


def test_rates_from_a_volume_alone():
    # a nurse with a blinded bag knows the volume only: 700 mL gives the same program as 70 g.
    by_volume = run("rates", "--weight", "70", "--volume", "700 mL", "-f", "json")
    by_dose = run("rates", "--weight", "70", "--dose", "70 g", "-f", "json")
    assert json.loads(by_volume.stdout)["pump"] == json.loads(by_dose.stdout)["pump"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--weight", "70", "--round", "2.55g"], "--round: 2.55 g is not a whole number of 0.1 g steps"),
        (["plan", "--weight", "70", "--round", "five"], "--round 'five' is not a number with a unit"),
        (["plan", "--weight", "70", "--product", "nope"], "unknown product 'nope'"),
        (["plan", "--weight", "70", "--max-rate", "5 mg"], "--max-rate '5 mg' is not a pump rate"),
        (["plan", "--weight", "70", "--products", "/nonexistent.toml"], "cannot read product catalogue"),
        (["rates", "--weight", "70"], "give one of --dose"),
        (["rates", "--weight", "70", "--dose", "70 mL"], "--dose '70 mL' is not convertible to g"),
        (["rates", "--weight", "7", "--dose", "7g"], "outside the plausible adult range"),
    ],
)
def test_bad_options_give_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_plan_with_a_bare_kg_weight_does_not_import_pint():
    code = ("import sys; from ivig_dose.cli.main import app; "
            "app(['plan', '--weight', '70', '--start', '2027-01-04', '-f', 'json'], standalone_mode=False); "
            "print('pint' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_pump_rates_use_the_dosing_weight():
    # Devine ideal weight of a 70-inch man: 50 + 2.3 × 10 = 73 kg (the published worked example);
    # Nanogam steps 0.6, 1.2, 2.4 mL/kg/h × 73 kg = 43.8, 87.6, 175.2 mL/h.
    doc = json.loads(run("plan", "-w", "100", "--height", "70in", "--sex", "male", "--dosing-weight", "ideal",
                         "-f", "json").stdout)
    pump = doc["courses"][0]["days"][0]["segments"][0]["pump"]
    assert [s["rate_ml_per_h"] for s in pump["steps"]] == [43.8, 87.6, 175.2]


def test_other_protocols_name_their_catalogue_product():
    # octagam-dermatomyositis -> octagam-10-dm: 1, 2, 4 mg/kg/min = 0.6, 1.2, 2.4 mL/kg/h × 70 kg.
    doc = json.loads(run("plan", "-w", "70", "--protocol", "octagam-dermatomyositis", "-f", "json").stdout)
    pump = doc["courses"][0]["days"][0]["segments"][0]["pump"]
    assert [s["rate_ml_per_h"] for s in pump["steps"]] == [42, 84, 168]
    assert doc["product"]["name"] == "Octagam 10%"


def test_dispensing_inputs_change_the_digest_but_never_unblind():
    base = plan_json()["input_digest"]
    others = [plan_json(*extra)["input_digest"] for extra in (
        ["--product", "octagam-10"], ["--round", "vials"], ["--round", "5g"], ["--max-rate", "150"])]
    assert len({base, *others}) == 5
    blinded = [plan_json("--round", "vials", "--max-rate", "150", "--blinded", "--arm", arm)["input_digest"]
               for arm in ("ivig", "placebo")]
    assert blinded[0] == blinded[1]


def test_json_names_the_catalogue_and_its_version(catalogue):
    assert plan_json()["catalogue_version"] == "built-in 2026-12-02"
    assert plan_json("--products", catalogue, "--product", "checked")["catalogue_version"] == catalogue
