"""The product catalogue: the shipped file, unit conversion, and clear errors for bad files."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.files.catalogue import load_catalogue, parse_catalogue
from ivig_dose.files.protocols import load_protocol

GOOD = """
[products.test-10]
name = "Test 10%"
concentration = "100 mg/mL"
presentations = ["5 g", "2.5 g", "10 g"]
rate_steps = ["1 mg/kg/min", "0.02 mL/kg/min", "2.4 mL/kg/h"]
step_minutes = 30
source = "made up for a test"
verified = true
"""


def entry(**changes: str) -> str:
    """GOOD with some lines replaced (key = new TOML value) or removed (key = "")."""
    lines = []
    for line in GOOD.strip().splitlines():
        key = line.split("=")[0].strip()
        if key in changes:
            if changes[key]:
                lines.append(f"{key} = {changes[key]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_rates_in_any_unit_become_ml_per_kg_per_h():
    # 1 mg/kg/min ÷ 100 mg/mL = 0.01 mL/kg/min = 0.6 mL/kg/h; 0.02 mL/kg/min × 60 = 1.2 mL/kg/h.
    product = parse_catalogue(GOOD, "test").get("test-10")
    assert product.rate_steps == (Decimal("0.6"), Decimal("1.2"), Decimal("2.4"))
    assert product.presentations == (Decimal("2.5"), Decimal("5"), Decimal("10"))
    assert product.volume_ml(Decimal("2.5")) == Decimal(25)


def test_a_mass_rate_uses_the_products_own_concentration():
    # at 50 mg/mL, 1 mg/kg/min is 0.02 mL/kg/min = 1.2 mL/kg/h.
    product = parse_catalogue(entry(concentration='"50 mg/mL"'), "test").get("test-10")
    assert product.rate_steps[0] == Decimal("1.2")


def test_ids_are_found_regardless_of_case():
    assert parse_catalogue(GOOD, "test").get("TEST-10").id == "test-10"


def test_the_shipped_catalogue():
    catalogue = load_catalogue()
    ids = [p.id for p in catalogue.products]
    assert {"nanogam", "octagam-10", "privigen", "gamunex-c"} <= set(ids)
    for product in catalogue.products:
        assert product.source
        assert product.rate_steps == tuple(sorted(product.rate_steps))
    # the trial gives only Nanogam's concentration; its vials and rates are not from a label we read.
    nanogam = catalogue.get("nanogam")
    assert nanogam.concentration_mg_per_ml == Decimal(100)
    assert nanogam.verified is False


def test_octagam_table_is_the_labels():
    # US PI Table 1: 1, 2, 4, 8, 12 mg/kg/min = 0.6, 1.2, 2.4, 4.8, 7.2 mL/kg/h at 100 mg/mL, 30 min a step.
    octagam = load_catalogue().get("octagam-10")
    assert octagam.rate_steps == tuple(Decimal(r) for r in ("0.6", "1.2", "2.4", "4.8", "7.2"))
    assert octagam.step_minutes == 30


def test_the_protocol_names_its_default_product():
    assert load_protocol("timeismuscle").product.catalogue_id == "nanogam"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry(rate_steps=""), r"catalogue test: product 'test-10': 'rate_steps' is missing"),
        (entry(rate_steps='["5 mg"]'), r"'rate_steps' '5 mg' is not a rate per kg"),
        (entry(rate_steps='["100 mL/h"]'), r"'rate_steps' '100 mL/h' is not a rate per kg"),
        (entry(rate_steps='["0.6"]'), r"'rate_steps' '0.6' has no unit"),
        (entry(presentations='["0 g"]'), r"'presentations' '0 g' must be above 0"),
        (entry(presentations='["-5 g"]'), r"'presentations' '-5 g' must be above 0"),
        (entry(presentations='["5 mL"]'), r"'presentations' '5 mL' is not convertible to g"),
        (entry(presentations='["2.55 g"]'), r"'presentations' '2.55 g' is not a whole number of 0.1 g"),
        (entry(presentations='["5 g", "5000 mg"]'), r"'presentations' lists a vial size twice"),
        (entry(presentations="[]"), r"'presentations' must be a non-empty list"),
        (entry(concentration='"100 g"'), r"'concentration' '100 g' is not convertible to mg/mL"),
        (entry(step_minutes="0"), r"'step_minutes' must be a whole number of minutes above 0"),
        (entry(verified='"yes"'), r"'verified' must be true or false"),
        (GOOD + GOOD.replace("test-10", "TEST-10"), r"product 'TEST-10': id given twice"),
        (GOOD + GOOD, r"product 'test-10': id given twice"),
        ("[products]\n", r"no \[products.ID\] tables"),
        ("products = [", r"not valid TOML"),
    ],
)
def test_malformed_catalogues_name_file_product_and_key(text, message):
    with pytest.raises(InputError, match=message) as error:
        parse_catalogue(text, "test")
    assert error.value.message.startswith("product catalogue test:")


def test_unknown_product_lists_the_ids():
    with pytest.raises(InputError, match=r"unknown product 'nope'.*accepted: test-10"):
        parse_catalogue(GOOD, "test").get("nope")


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"cannot read product catalogue"):
        load_catalogue(str(tmp_path / "missing.toml"))


def test_the_shipped_catalogue_loads_without_pint():
    # `plan --weight 70` must stay fast: the shipped file is written in the units held inside.
    code = ("import sys; from ivig_dose.files.catalogue import load_catalogue; load_catalogue(); "
            "print('pint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_catalogue_version_must_be_text():
    with pytest.raises(InputError, match=r"product catalogue test: 'version' must be text"):
        parse_catalogue("version = 3\n" + GOOD, "test")


def test_each_number_has_its_own_source_else_the_entrys():
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "products.toml")
                         .read_text(encoding="utf-8"))["products"]
    octagam = load_catalogue(None).get("octagam-10")
    assert octagam.source_of("presentations") == data["octagam-10"]["sources"]["presentations"]
    assert octagam.source_of("rate_steps") == data["octagam-10"]["sources"]["rate_steps"]
    # a number the entry gives no source of its own for: the entry's source stands for it
    assert "at_risk" not in data["octagam-10"]["sources"]
    assert octagam.source_of("at_risk") == data["octagam-10"]["source"]
    # with an indication, the rate steps are that indication's table, and so is their source;
    # every other number keeps its own
    pi = load_catalogue(None).get("privigen").for_indication("pi")
    assert pi.source_of("rate_steps") == data["privigen"]["indications"]["pi"]["source"]
    assert pi.source_of("presentations") == data["privigen"]["sources"]["presentations"]
    assert load_catalogue(None).get("privigen").source_of("rate_steps") == data["privigen"]["sources"]["rate_steps"]


def test_a_stopped_write_carries_its_signal():
    from ivig_dose.core.errors import Terminated

    stopped = Terminated(15, "SIGTERM")
    assert (stopped.signum, stopped.name, str(stopped)) == (15, "SIGTERM", "SIGTERM")


def test_an_indications_table_brings_its_own_step_time():
    from dataclasses import replace

    from ivig_dose.core.products import RateTable

    product = load_catalogue(None).get("privigen")
    slow = RateTable((Decimal("0.3"), Decimal("0.6")), 45, "a 45-minute table")
    with_table = replace(product, indications=(*product.indications, ("slow", slow)))
    chosen = with_table.for_indication("Slow ")
    assert (chosen.rate_steps, chosen.step_minutes, chosen.indication) == (slow.rate_steps, 45, "slow")
    assert chosen.source_of("rate_steps") == "a 45-minute table"


def test_an_unknown_product_names_every_id_of_the_catalogue():
    import tomllib
    from pathlib import Path

    ids = ", ".join(tomllib.loads((Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "products.toml")
                                  .read_text(encoding="utf-8"))["products"])
    with pytest.raises(InputError) as raised:
        load_catalogue(None).get("nanogram")
    assert raised.value.message == f"unknown product 'nanogram' in product catalogue (built-in); accepted: {ids}"
