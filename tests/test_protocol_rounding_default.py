"""A protocol may name its default rounding (issue 7); --round overrides it, --round none turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core import protocol as schema
from ivig_dose.core.errors import InputError
from ivig_dose.core.protocol import parse_protocol

BUILT_IN = (Path(schema.__file__).parents[1] / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
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
