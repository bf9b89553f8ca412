"""One bag in, its pump program out: ``rates`` at the bedside.

A bag is taken through the steps ``plan`` takes a patient's bags through, not through a copy of
them: the run's :func:`~ivig_dose.app.plan.setup` (protocol, product and its indication's rate
table, the protocol's concentration check, the pump limit), the at-risk hold of
:func:`~ivig_dose.app.plan.dispensing_of`, the weight and risks read by
:func:`~ivig_dose.parse.plan_inputs.parse_request`, and the pump program of
:func:`~ivig_dose.core.dispensing.bag_pump`. So a bag of a plan gets the program the plan shows,
and ``rates`` refuses what ``plan`` refuses. A bag larger than any the protocol gives
(:func:`~ivig_dose.core.dispensing.check_bag`) is refused as a typo.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from ivig_dose.core.dispensing import BagProgram


def bag_volume(dose: str | None, volume: str | None, ml_per_g: Decimal) -> tuple[Decimal | None, Decimal]:
    """(dose in g or None, volume in mL) from exactly one of ``--dose`` and ``--volume``."""
    from ivig_dose.parse.units import parse_positive

    if (dose is None) == (volume is None):
        raise InputError(message(N_("give one of --dose (e.g. 70g) or --volume (e.g. 700mL); accepted: exactly one "
                                    "of them")))
    if dose is not None:
        grams_ = parse_positive(dose, "g", "--dose", message(N_("an IgG amount such as 70g or 70 g (a bare number is "
                                                                "g)")))
        return grams_, grams_ * ml_per_g
    assert volume is not None
    return None, parse_positive(volume, "mL", "--volume", message(N_("a volume such as 700mL (a bare number is mL)")))


def bag_program(weight: str, dose: str | None = None, volume: str | None = None, *,
                protocol: str = DEFAULT_PROTOCOL, products: str | None = None, product: str | None = None,
                max_rate: str | None = None, indication: str | None = None,
                risks: tuple[str, ...] | str | None = None) -> BagProgram:
    """The pump program of one bag, from the options as typed."""
    from datetime import date

    from ivig_dose.app.plan import dispensing_of, setup
    from ivig_dose.core.dispensing import PUMP_STEPS, BagProgram, bag_pump, check_bag, unverified_warning
    from ivig_dose.core.dosing import check_weight, weight_warnings
    from ivig_dose.parse.plan_inputs import PlanInputs, parse_request

    run = setup(protocol, products, product, None, max_rate, indication)
    if run.dispensing is None:
        raise InputError(message(N_("protocol {protocol!r} names no catalogue product; give --product ID"),
                                 protocol=run.protocol.id))
    # the start is no input of a pump program: today stands in for it, and is said nowhere
    request, _ = parse_request(PlanInputs(weight=weight, risk=risks), run.rounding, date.today())
    dispensing, at_risk = dispensing_of(run.dispensing, request.risks)
    assert dispensing is not None
    chosen, weight_kg, typed = dispensing.product, request.weight_kg, request.weight_as_typed
    check_weight(weight_kg, run.protocol, typed=typed)
    grams_, volume_ml = bag_volume(dose, volume, chosen.ml_per_g)
    check_bag(grams_, volume_ml, weight_kg, run.protocol, chosen)
    program = bag_pump(volume_ml, weight_kg, chosen, dispensing.limit)
    warnings = weight_warnings(weight_kg, run.protocol, typed=typed) + unverified_warning(chosen, PUMP_STEPS)
    return BagProgram(chosen, weight_kg, grams_, volume_ml, max_rate, tuple(warnings), program, at_risk, typed)
