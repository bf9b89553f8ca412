"""The words verify's text output names an order's values by: ``dose`` for ``dose_g``, in either
language; JSON keeps the keys (tests/test_cli_verify.py, tests/test_dutch_everywhere.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core.comparison import field_label
from ivig_dose.core.field_words import key_words
from ivig_dose.core.terms import said_course
from ivig_dose.parse.order_leaves import plan_leaves
from ivig_dose.render.translations import translator
from ivig_dose.render.translator import ENGLISH

runner = CliRunner()
DUTCH = translator("nl")


@pytest.mark.parametrize(("key", "english", "dutch"), [
    ("dose_g", "dose", "dosis"),
    ("hospital_volume_ml", "hospital volume", "ziekenhuisvolume"),
    ("pump_step_2_rate_ml_per_h", "pump step 2 rate", "pompstap 2 snelheid"),  # a fact of the pump program
    ("pump.steps[1].rate_ml_per_h", "pump step 2 rate", "pompstap 2 snelheid"),  # the same, as the JSON writes it
    ("pump.steps[0].minutes", "pump step 1 duration", "pompstap 1 duur"),
    ("why[3].text", "text of reason 4", "tekst van toelichting 4"),
    ("warnings[0]", "warning 1", "waarschuwing 1"),
    ("dispense[2].count", "vials to dispense, line 3: count", "te verstrekken flacons, regel 3: aantal"),
    ("pump_min", "run time", "looptijd"),
    ("waste_ml", "waste volume", "restantvolume"),
    # a key that is not the tool's own (a FHIR element, another system's column) stays as written
    ("dosageInstruction[0].text", "dosageInstruction[0].text", "dosageInstruction[0].text"),
    ("ward", "ward", "ward"),
])
def test_a_key_in_words(key, english, dutch):
    assert (ENGLISH.say(key_words(key)), DUTCH.say(key_words(key))) == (english, dutch)


def test_a_field_is_where_it_sits_then_what_it_is():
    node = (said_course("baseline"), 1, "hospital")
    assert ENGLISH.say(field_label(node, "volume_ml")) == "baseline day 1 hospital volume"
    assert DUTCH.say(field_label(node, "volume_ml")) == "uitgangskuur dag 1 ziekenhuis volume"
    # an order writes its courses as plain names: said as a schedule says them
    assert DUTCH.say(field_label(("week 4", 2, "home"), "dose_g")) == "kuur week 4 dag 2 thuis dosis"
    assert DUTCH.say(field_label((), "total_dose_g")) == "totale dosis"


@pytest.mark.parametrize("options", [
    [], ["--risk", "thrombosis", "--max-rate", "100"], ["--blinded"], ["--arm", "placebo"],
    ["--product", "octagam-10", "--risk", "thrombosis"], ["--height", "165", "--sex", "female", "--dosing-weight",
                                                          "adjusted"],
    ["--course-weight", "week4=160lb"], ["--product", "privigen", "--indication", "cidp"],
])
def test_every_value_a_plan_writes_has_words(options):
    # whatever the plan, no key of its JSON reaches a reader as it is written
    made = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "json", *options])
    assert made.exit_code == 0, made.stderr
    leaves = plan_leaves(json.loads(made.stdout)).build("json").leaves
    # a key as written holds "_", "." or "[": words hold none
    assert {leaf.attr for leaf in leaves if set("_.[") & set(ENGLISH.say(key_words(leaf.attr)))} == set()


def test_every_column_of_a_plan_csv_has_words():
    made = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "csv"])
    columns = made.stdout.splitlines()[0].split(",")
    assert [c for c in columns if "_" in ENGLISH.say(key_words(c))] == []
