"""input_digest: the same inputs give the same digest, any changed input a different one, and a
blinded digest cannot tell the arms apart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.digest import input_digest
from ivig_dose.render.plan_json import plan_document
from tests.helpers import plan_for


def test_json_carries_the_digest_of_its_own_plan():
    plan = plan_for("70")
    assert plan_document(plan)["input_digest"] == input_digest(plan)
    assert plan_document(plan, blinded=True)["input_digest"] == input_digest(plan, blinded=True)


def test_digest_is_short_hex():
    digest = input_digest(plan_for("70"))
    assert len(digest) == 12
    int(digest, 16)


def test_same_weight_in_other_units_gives_the_same_digest():
    # 70 kg and 70000 g parse to the same Decimal kg, so the inputs are the same.
    assert input_digest(plan_for("70")) == input_digest(plan_for(Decimal("70000") / 1000))


def test_every_input_changes_the_digest():
    base = input_digest(plan_for("70"))
    others = [
        plan_for("70.1"),
        plan_for("70", days=3),
        plan_for("70", arm="placebo"),
        plan_for("70", course_weights=(("week4", Decimal("68")),)),
    ]
    digests = {base, *(input_digest(p) for p in others)}
    assert len(digests) == 5


def test_days_as_given_count_even_when_the_plan_is_the_same():
    # 70 kg defaults to 2 days; --days 2 gives the same plan but was a different input.
    assert input_digest(plan_for("70")) != input_digest(plan_for("70", days=2))


def test_protocol_version_counts():
    from dataclasses import replace

    plan = plan_for("70")
    assert input_digest(plan) != input_digest(replace(plan, protocol_version="2099-01-01"))


@given(st.decimals(min_value=20, max_value=300, places=2))
def test_blinded_digest_is_the_same_for_both_arms(weight):
    ivig, placebo = plan_for(weight), plan_for(weight, arm="placebo")
    assert input_digest(ivig, blinded=True) == input_digest(placebo, blinded=True)
    assert input_digest(ivig) != input_digest(placebo)


# The digest is printed on paper to trace a sheet back to its inputs, so what goes into it is a
# contract (DIGEST_SCHEME is bumped when it changes): the canonical text is held here key by key.
def sha12(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:12]


def fingerprints_named(text: str) -> str:
    """The canonical text with each content fingerprint (16 hex digits) written as FP: the fingerprints
    are held by the tests of content below, the shape of the text here."""
    import re

    return re.sub(r'"(protocol|product)_content":"[0-9a-f]{16}"', r'"\1_content":"FP"', text)


def test_the_canonical_inputs_of_a_plain_plan():
    import ivig_dose
    from ivig_dose.core.digest import canonical_text, input_digest

    plan = ivig_dose.plan("70", start="2027-01-04")
    text = ('{"age_years":null,"arm":"ivig","course_weights_kg":{},"days":null,"dispensing":{"catalogue":'
            '"built-in 2026-12-02","indication":null,"max_rate":null,"product":"nanogam","product_content":"FP",'
            '"round":null},"dosing_weight":null,"height_cm":null,"pregnant":false,"protocol":"timeismuscle",'
            '"protocol_content":"FP","protocol_version":"2026-11-25","risks":[],"scheme":4,"sex":null,'
            '"start":"2027-01-04","weight_kg":"70"}')
    assert fingerprints_named(canonical_text(plan)) == text
    assert input_digest(plan) == sha12(canonical_text(plan))


def test_the_canonical_inputs_hold_every_input_that_decides_a_number():
    import ivig_dose
    from ivig_dose.core.digest import canonical_text

    plan = ivig_dose.plan("100", start="2027-01-04", course_weights={"week4": "95"}, height="5 ft 10 in", sex="male",
                          dosing_weight="adjusted", age="45", risk=["thrombosis"], product="octagam-10",
                          max_rate="300", round_to="5g", days=3)
    # 5 ft 10 in = 70 × 2.54 = 177.8 cm
    text = ('{"age_years":"45","arm":"ivig","course_weights_kg":{"week 4":"95"},"days":3,"dispensing":{"catalogue":'
            '"built-in 2026-12-02","indication":null,"max_rate":"300","product":"octagam-10","product_content":"FP",'
            '"round":["multiples of 5 g",["5"]]},"dosing_weight":"adjusted","height_cm":"177.8","pregnant":false,'
            '"protocol":"timeismuscle","protocol_content":"FP","protocol_version":"2026-11-25","risks":["thrombosis"],'
            '"scheme":4,"sex":"male","start":"2027-01-04","weight_kg":"100"}')
    assert fingerprints_named(canonical_text(plan)) == text
    assert fingerprints_named(canonical_text(plan, blinded=True)) == text.replace('"arm":"ivig"', '"arm":null')
    pregnant = ivig_dose.plan("70", start="2027-01-04", protocol="standard-5-day", pregnant=True, sex="female")
    assert '"pregnant":true' in canonical_text(pregnant) and '"sex":"female"' in canonical_text(pregnant)


def test_a_protocol_without_a_product_has_dispensing_inputs_only_when_rounded(tmp_path):
    import ivig_dose
    from ivig_dose.core.digest import canonical_inputs

    from .protocol_text import MINIMAL

    path = tmp_path / "bare.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert canonical_inputs(ivig_dose.plan("70", start="2027-01-04", protocol=str(path)), False)["dispensing"] is None
    rounded = ivig_dose.plan("70", start="2027-01-04", protocol=str(path), round_to="5g")
    assert canonical_inputs(rounded, False)["dispensing"] == {
        "product": None, "catalogue": None, "max_rate": None, "indication": None, "round": ["multiples of 5 g", ["5"]],
        "product_content": None}
    indicated = ivig_dose.plan("70", start="2027-01-04", product="privigen", indication="cidp")
    assert canonical_inputs(indicated, False)["dispensing"]["indication"] == "cidp"


# --- the protocol's and the catalogue's content ---------------------------------------------------

BUILT_IN = Path(__file__).parent.parent / "src" / "ivig_dose" / "data"
TIMEISMUSCLE = (BUILT_IN / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
PRODUCTS = (BUILT_IN / "products.toml").read_text(encoding="utf-8")


def digest_with(tmp_path: Path, protocol: str = TIMEISMUSCLE, products: str | None = None, **options: str) -> str:
    import ivig_dose
    from ivig_dose.core.digest import input_digest

    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(protocol, encoding="utf-8")
    catalogue = None
    if products is not None:
        catalogue = tmp_path / f"c{len(list(tmp_path.iterdir()))}.toml"
        catalogue.write_text(products, encoding="utf-8")
    plan = ivig_dose.plan("70", start="2027-01-04", protocol=str(path),
                          products=None if catalogue is None else str(catalogue),
                          product="nanogam" if catalogue is not None else None, **options)
    return input_digest(plan)


def test_a_protocol_that_reuses_the_id_and_version_with_other_values_has_another_digest(tmp_path):
    # the case: the built-in id and version, 3 g/kg instead of 2 (180 g a course instead of 140 g)
    same = digest_with(tmp_path)
    assert digest_with(tmp_path) == same
    three = TIMEISMUSCLE.replace('value = "2"\nunit = "g/kg"', 'value = "3"\nunit = "g/kg"')
    assert three != TIMEISMUSCLE
    assert digest_with(tmp_path, three) != same


@pytest.mark.parametrize(("old", "new"), [
    ('value = "180"', 'value = "181"'),
    ('value = "80"', 'value = "79"'),
    ('value = "30"\nunit = "g"', 'value = "35"\nunit = "g"'),
    ('value = "smallest"', 'value = "3"'),
    ('name = "week 8"\nnames = { nl = "kuur week 8" }\nweek = 8',
     'name = "week 9"\nnames = { nl = "kuur week 9" }\nweek = 9'),
    ('names = { nl = "kuur week 8" }', 'names = { nl = "kuur week acht" }'),
    ('name = "Nanogam"', 'name = "Nanogam 10%"'),
    ('source = "Trial registration', 'source = "Trial  registration'),
])
def test_any_value_of_the_protocol_changes_the_digest(tmp_path, old, new):
    assert old in TIMEISMUSCLE
    assert digest_with(tmp_path, TIMEISMUSCLE.replace(old, new, 1)) != digest_with(tmp_path)


def test_comments_spacing_and_order_change_no_digest(tmp_path):
    # the same values written otherwise: a comment, blank lines, 2.0 for 2, tables in another order
    reordered = TIMEISMUSCLE.replace('value = "2"\nunit = "g/kg"', 'value = "2.0"\nunit = "g/kg"')
    first, rest = reordered.split("[params.course_cap]", 1)
    params, after = rest.split("[options.default_days]", 1)
    reordered = "# a site's copy\n\n" + first + "[options.default_days]" + after + "\n[params.course_cap]" + params
    assert digest_with(tmp_path, reordered) == digest_with(tmp_path)


@pytest.mark.parametrize(("old", "new"), [
    ('step_minutes = 30', 'step_minutes = 31'),
    ('"20 g"]', '"25 g"]'),
    ('"1.2 mL/kg/h"', '"1.3 mL/kg/h"'),
    ('verified = false', 'verified = true'),
])
def test_any_value_of_the_catalogue_product_changes_the_digest(tmp_path, old, new):
    entry = PRODUCTS.split("[products.nanogam]", 1)[1].split("[products.", 1)[0]
    assert old in entry
    changed = PRODUCTS.replace(entry, entry.replace(old, new, 1), 1)
    assert digest_with(tmp_path, products=changed) != digest_with(tmp_path, products=PRODUCTS)
