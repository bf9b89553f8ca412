"""The ``rates`` use case in the process (``ivig_dose.rates``): one bag's pump program from the
options as typed, worked by hand for 70 kg (Nanogam's steps 0.6, 1.2, 2.4 mL/kg/h: 42, 84, 168 mL/h)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.app.rates import bag_program, bag_volume
from ivig_dose.core.errors import InputError

from .protocol_text import MINIMAL

D = Decimal


def steps(program) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in program.program.steps]


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_a_pump_limit_caps_the_program_and_is_kept_as_typed():
    # 30 g of 100 mg/mL is 300 mL: 21 mL at 42 and 42 mL at 84 (30 min each), then 237 mL at the
    # limit of 100 mL/h instead of 168: 237 / 100 h = 142.2 min
    program = bag_program("70", dose="30g", max_rate="100")
    assert steps(program) == [(D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(100), D("142.2"), D(237))]
    assert (program.max_rate, program.dose_g, program.volume_ml) == ("100", D(30), D(300))


def test_an_indication_chooses_its_rate_table():
    # Octagam 10 %'s dermatomyositis table stops at 2.4 mL/kg/h (168 mL/h at 70 kg); its default table
    # goes on to 336 mL/h. 70 g is 700 mL: 21 + 42 mL, then 637 mL at 168 mL/h = 227.5 min
    program = bag_program("70", dose="70g", product="octagam-10", indication="dermatomyositis")
    assert steps(program) == [(D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D("227.5"), D(637))]
    assert steps(bag_program("70", dose="70g", product="octagam-10"))[-1][0] == D(504)


def test_a_weight_typed_in_pounds_is_said_as_typed_in_its_warning_and_its_refusal():
    warned = bag_program("500 lb", dose="30g")
    assert warned.weight_as_typed == "500 lb"
    assert "weight 500 lb (226.8 kg) is above 150 kg: unusual; check it" in warned.warnings
    assert refused(bag_program, "700 lb", dose="30g") == (
        "weight 700 lb (317.51 kg) is outside the plausible adult range; accepted: 20 to 300 kg")


def test_a_protocol_that_names_no_product_needs_one(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert refused(bag_program, "70", dose="30g", protocol=str(path)) == (
        "protocol 'mini' names no catalogue product; give --product ID")


@pytest.mark.parametrize(("dose", "volume", "said"), [
    (None, None, "give one of --dose (e.g. 70g) or --volume (e.g. 700mL); accepted: exactly one of them"),
    ("30g", "300", "give one of --dose (e.g. 70g) or --volume (e.g. 700mL); accepted: exactly one of them"),
    ("abc", None, "--dose 'abc' is not a number with a unit; accepted: an IgG amount such as 70g or 70 g (a bare "
     "number is g)"),
    (None, "abc", "--volume 'abc' is not a number with a unit; accepted: a volume such as 700mL (a bare number is "
     "mL)"),
    (None, "3 g", "--volume '3 g' is not convertible to mL; accepted: a volume such as 700mL (a bare number is mL)"),
])
def test_a_bag_is_one_dose_or_one_volume_and_each_refusal_is_said_whole(dose, volume, said):
    assert refused(bag_volume, dose, volume, D(10)) == said


def test_a_bag_volume_is_read_in_millilitres_or_worked_out_from_the_dose():
    assert bag_volume(None, "2 L", D(10)) == (None, D(2000))
    assert bag_volume("30 g", None, D(10)) == (D(30), D(300))
