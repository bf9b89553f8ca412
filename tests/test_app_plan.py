"""The use case every command shares (app/plan.py): a run's setup, its product and pump limit, a patient
at risk, and one patient's plan, with every refusal said exactly as the command prints it.

Every path (plan, order, labels, calendar, batch, verify, the API) goes through these functions, so a
wrong default or a lost limit here is wrong everywhere at once.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.app.plan import (
    Dispensing,
    at_risk_limit,
    choose_product,
    dispensing_for,
    dispensing_of,
    plan_patient,
    setup,
)
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import AtRiskCap
from ivig_dose.core.pump import NO_LIMIT, RateLimit
from ivig_dose.files.catalogue import load_catalogue
from ivig_dose.files.protocols import load_protocol, parse_protocol
from ivig_dose.parse.plan_inputs import PlanInputs

from .protocol_text import MINIMAL

DATA = Path(__file__).parent.parent / "src" / "ivig_dose" / "data"
CATALOGUE = tomllib.loads((DATA / "products.toml").read_text(encoding="utf-8"))["products"]
TIM = load_protocol("timeismuscle")
#: a protocol that names no catalogue product
BARE = parse_protocol(MINIMAL, "bare")
OCTAGAM = load_catalogue(None).get("octagam-10")
PRIVIGEN = load_catalogue(None).get("privigen")


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as raised:
        call(*args, **kwargs)
    return raised.value.message


@pytest.mark.parametrize(("option", "kwargs"), [
    ("--protocol", {"protocol": " "}), ("--products", {"products": ""}), ("--product", {"product": "  "}),
    ("--round", {"round_to": ""}), ("--max-rate", {"max_rate": " "}),
])
def test_an_empty_option_is_refused_by_name(option, kwargs):
    assert refused(setup, **kwargs) == f"{option} is empty; give a value, or leave the option out for the default"


def test_the_default_run_is_the_protocols_product_its_rounding_and_no_limit():
    run = setup()
    assert run.protocol.id == "timeismuscle"
    assert run.product is not None and run.product.id == "nanogam"
    # Nanogam's label gives no at-risk number and no --max-rate was given: nothing to hold a patient at risk to
    assert run.dispensing == Dispensing(run.product, NO_LIMIT, None, False, None)
    assert run.rounding is None


def test_a_chosen_product_is_said_to_be_chosen_and_keeps_the_max_rate_as_typed():
    run = setup(product="privigen", max_rate="4.8 mL/kg/h")
    assert run.dispensing is not None
    assert (run.dispensing.product.id, run.dispensing.chosen, run.dispensing.max_rate) == (
        "privigen", True, "4.8 mL/kg/h")
    assert run.dispensing.limit == RateLimit(ml_per_kg_h=Decimal("4.8"))
    # privigen's label gives no at-risk number: --max-rate is what a patient at risk is held to
    assert run.dispensing.at_risk == (RateLimit(ml_per_kg_h=Decimal("4.8")),
                                      f"--max-rate 4.8 mL/kg/h, as the label gives no number: "
                                      f"{CATALOGUE['privigen']['at_risk']['source']}")


def test_products_without_a_product_needs_one_when_the_protocol_names_none():
    assert choose_product(None, None, BARE) is None
    assert refused(choose_product, "site.toml", None, BARE) == (
        "--products needs --product ID: the protocol names no catalogue product")


def test_a_product_of_another_strength_is_refused(tmp_path):
    catalogue = tmp_path / "weak.toml"
    catalogue.write_text('[products.weak]\nname = "Weak"\nconcentration = "50 mg/mL"\npresentations = ["5 g"]\n'
                         'rate_steps = ["1 mL/kg/h"]\nstep_minutes = 30\nsource = "t"\nverified = false\n',
                         encoding="utf-8")
    assert refused(choose_product, str(catalogue), "weak", TIM) == (
        "--product 'weak' is 50 mg/mL but protocol 'timeismuscle' doses Nanogam 100 mg/mL (R5); accepted: a product "
        "of 100 mg/mL")
    assert choose_product(str(catalogue), "weak", None).id == "weak"


def test_an_indication_needs_a_product():
    assert refused(dispensing_for, None, None, None, BARE, "pi") == (
        "--indication needs a product with rate tables: give --product ID")
    assert dispensing_for(None, None, None, BARE) is None
    # --max-rate is read even then, and refused: no product, no rate table to cap
    assert refused(dispensing_for, None, None, "100", BARE) == (
        "--max-rate needs a product with a rate table: give --product ID")


def test_the_protocols_indication_holds_for_its_own_product_only(tmp_path):
    text = (DATA / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
    text = text.replace('catalogue_id = "nanogam"', 'catalogue_id = "privigen"\nindication = "itp"')
    path = tmp_path / "itp.toml"
    path.write_text(text, encoding="utf-8")
    protocol = load_protocol(str(path))
    own = dispensing_for(None, None, None, protocol)
    assert own is not None and own.product.indication == "itp" and own.chosen is False
    other = dispensing_for(None, "gamunex-c", None, protocol)
    assert other is not None and other.product.indication is None and other.chosen is True
    # the protocol's own product named with --product still takes the protocol's indication
    named = dispensing_for(None, "privigen", None, protocol)
    assert named is not None and named.product.indication == "itp" and named.chosen is True


def test_the_at_risk_limit_is_the_labels_or_the_lower_of_it_and_max_rate():
    label = CATALOGUE["octagam-10"]["at_risk"]["source"]
    assert at_risk_limit(OCTAGAM, NO_LIMIT, None) == (RateLimit(ml_per_kg_h=Decimal("1.8")), label)
    # --max-rate 1.2 mL/kg/h is lower than the label's 1.8: both kinds are kept, each the lower
    tighter = at_risk_limit(OCTAGAM, RateLimit(ml_per_h=Decimal(100), ml_per_kg_h=Decimal("1.2")), "x")
    assert tighter == (RateLimit(ml_per_h=Decimal(100), ml_per_kg_h=Decimal("1.2")), label)
    assert at_risk_limit(OCTAGAM, RateLimit(ml_per_kg_h=Decimal(3)), "3")[0] == RateLimit(ml_per_kg_h=Decimal("1.8"))
    # a label with no number and no --max-rate: nothing is known to hold the pump to
    assert at_risk_limit(PRIVIGEN, NO_LIMIT, None) is None


def test_an_entry_without_an_at_risk_text_says_so():
    from dataclasses import replace

    silent = replace(PRIVIGEN, at_risk=None)
    assert at_risk_limit(silent, RateLimit(ml_per_h=Decimal(90)), "90") == (
        RateLimit(ml_per_h=Decimal(90)),
        "--max-rate 90, as the label gives no number: catalogue entry 'privigen' gives no at-risk limit")


def test_a_patient_at_risk_is_held_to_the_at_risk_limit():
    run = setup(product="octagam-10", max_rate="300")
    dispensing, cap = dispensing_of(run.dispensing, ("thrombosis",))
    assert dispensing is not None and dispensing.limit == RateLimit(ml_per_h=Decimal(300), ml_per_kg_h=Decimal("1.8"))
    assert cap == AtRiskCap(("thrombosis",), "300 mL/h and 1.8 mL/kg/h", CATALOGUE["octagam-10"]["at_risk"]["source"])
    assert dispensing_of(run.dispensing, ()) == (run.dispensing, None)


def test_a_patient_at_risk_is_refused_where_nothing_can_hold_the_pump():
    assert refused(dispensing_of, None, ("thrombosis",)) == (
        "--risk thrombosis needs a product with a rate table to cap the pump: give --product ID")
    run = setup(product="privigen")
    assert refused(dispensing_of, run.dispensing, ("thrombosis", "renal")) == (
        "--risk thrombosis and renal: the label of Privigen (privigen) gives no at-risk rate; it says to 'administer "
        "at the minimum dose and infusion rate practicable'; accepted: --max-rate with the rate you prescribe for "
        "this patient (e.g. 2.4 mL/kg/h or 100 mL/h)")


def test_a_start_not_given_counts_from_today_and_says_so_first():
    plan = plan_patient(PlanInputs(weight="70"), setup(), today=date(2027, 3, 1))
    assert plan.courses[0].start == date(2027, 3, 1)
    assert plan.warnings[0] == "no --start given: courses count from today, 2027-03-01"
    given = plan_patient(PlanInputs(weight="70", start="2027-01-04"), setup(), today=date(2027, 3, 1))
    assert not any("no --start" in w for w in given.warnings)
    assert given.courses[0].start == date(2027, 1, 4)


def test_no_product_is_chosen_without_a_protocol_or_an_id():
    assert choose_product(None, None, None) is None


def test_the_plan_says_whether_the_product_was_chosen():
    import ivig_dose

    assert ivig_dose.plan("70", start="2027-01-04").dispensed_with.chosen is False
    assert ivig_dose.plan("70", start="2027-01-04", product="privigen").dispensed_with.chosen is True
