"""The shell: --protocol, the protocol commands, and the dosing-weight options, with their exit statuses."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from tests.protocol_text import MINIMAL, replaced

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_protocol_list_names_every_built_in():
    result = run("protocol", "list")
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert names == ["octagam-dermatomyositis", "standard-5-day", "timeismuscle"]


def test_protocol_show_gives_sources_of_absent_caps():
    result = run("protocol", "show", "octagam-dermatomyositis")
    assert result.exit_code == 0
    assert "daily_cap = none  [R3]" in result.stdout
    assert "no maximum in grams per day is stated" in result.stdout
    assert "verified against its sources: NO" in result.stdout


def test_protocol_check_valid_file_exits_0(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = run("protocol", "check", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"{path}: ok\n"


def test_protocol_check_lists_every_problem_and_exits_2(tmp_path):
    path = tmp_path / "bad.toml"
    text = replaced('version = "1"\n', "")
    text = replaced('[options.rest_setting]\nvalue = "home"', '[options.rest_setting]\nvalue = "garden"', text)
    path.write_text(text, encoding="utf-8")
    result = run("protocol", "check", str(path))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}: version: missing text",
        f"{path}: options.rest_setting.value: 'garden' is not accepted; accepted: home, hospital",
    ]
    assert result.stderr.count("\n") == 1 and "has 2 problems" in result.stderr


def test_protocol_check_unreadable_file_exits_2(tmp_path):
    result = run("protocol", "check", str(tmp_path / "missing.toml"))
    assert result.exit_code == 2
    assert result.stderr.startswith("ivig-dose: error: cannot read protocol file")


def test_plan_with_protocol_file(tmp_path):
    # MINIMAL: 1 g/kg, 1-3 days, no caps -> 70 kg: 70 g on the fewest days, 1.
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = run("plan", "--weight", "70", "--start", "2027-01-04", "--protocol", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["protocol"], doc["course_dose_g"], doc["days_per_course"]) == ("mini", 70, 1)


def test_plan_unknown_protocol_is_one_line():
    result = run("plan", "--weight", "70", "--protocol", "nope")
    assert result.exit_code == 2
    assert "unknown protocol 'nope'; accepted: octagam-dermatomyositis, standard-5-day, timeismuscle" in result.stderr


def test_plan_adjusted_weight_from_the_command_line():
    # 5 ft 10 in = 70 in: ideal 73 kg; adjusted 73 + 0.4 × 27 = 83.8 kg; 2 × 83.8 = 167.6 g.
    result = run("plan", "--weight", "100", "--start", "2027-01-04", "--height", "5 ft 10 in", "--sex", "male",
                 "--dosing-weight", "adjusted", "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["dosing_weight_kg"], doc["dosing_weight_basis"], doc["course_dose_g"]) == (83.8, "adjusted", 167.6)
    assert doc["weight_kg"] == 100


def test_plan_table_shows_dosing_weight_and_override():
    result = run("plan", "--weight", "100", "--start", "2027-01-04", "--height", "177.8 cm", "--sex", "male",
                 "--dosing-weight", "ideal")
    assert result.exit_code == 0, result.stderr
    assert "Dosing weight: 73 kg (ideal; chosen with --dosing-weight" in result.stdout
    assert "R1: dosing weight: ideal body weight 73 kg" in result.stdout
    assert "overriding the protocol's actual" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--dosing-weight", "adjusted"), "needs the height and sex"),
    (("--height", "70 kg", "--sex", "male", "--dosing-weight", "ideal"), "height '70 kg' is not a length"),
    (("--sex", "other"), "Invalid value for '--sex'"),
    (("--dosing-weight", "lean"), "Invalid value for '--dosing-weight'"),
])
def test_dosing_weight_input_errors_are_one_line(args, message):
    result = run("plan", "--weight", "100", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
