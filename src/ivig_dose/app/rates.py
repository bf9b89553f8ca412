"""One bag in, its pump program out: ``rates`` at the bedside.

Given the patient's weight and the bag (its dose, or only its volume for a nurse who sees the
blinded bag), the program is the one :func:`~ivig_dose.core.pump.pump_program` gives ``plan``
for the same bag, with the same product, limits and warnings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

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


def bag_program(weight: str, dose: str | None, volume: str | None, product: str | None, products: str | None,
                max_rate: str | None, protocol: str, indication: str | None = None,
                risks: tuple[str, ...] = ()) -> BagProgram:
    """The pump program of one bag, from the options as typed, held to the at-risk limit as ``plan``
    holds it (:func:`~ivig_dose.app.plan.dispensing_of`)."""
    from ivig_dose.app.plan import Dispensing, at_risk_limit, choose_product, dispensing_of
    from ivig_dose.core.dispensing import BagProgram, unverified_warning
    from ivig_dose.core.dosing import check_weight, weight_warnings
    from ivig_dose.core.pump import pump_program
    from ivig_dose.files.protocols import load_protocol
    from ivig_dose.parse.dispensing_options import parse_max_rate
    from ivig_dose.parse.weight import read_weight

    rules = load_protocol(protocol)
    chosen = choose_product(products, product or rules.product.catalogue_id, None)
    if chosen is None:
        raise InputError(message(N_("protocol {protocol!r} names no catalogue product; give --product ID"),
                                 protocol=rules.id))
    if indication is None and chosen.id == rules.product.catalogue_id:
        indication = rules.product.indication
    chosen = chosen.for_indication(indication)
    limit = parse_max_rate(max_rate, chosen)
    dispensing, at_risk = dispensing_of(
        Dispensing(chosen, limit, max_rate, product is not None, at_risk_limit(chosen, limit, max_rate)), risks)
    assert dispensing is not None
    limit = dispensing.limit
    weight_kg, typed = read_weight(weight)
    check_weight(weight_kg, rules, typed=typed)
    grams_, volume_ml = bag_volume(dose, volume, chosen.ml_per_g)
    program = pump_program(volume_ml, weight_kg, chosen.rate_steps, chosen.step_minutes, limit)
    warnings = weight_warnings(weight_kg, rules, typed=typed) + unverified_warning(chosen,
                                                                                  message(N_("pump rate steps")))
    return BagProgram(chosen, weight_kg, grams_, volume_ml, max_rate, tuple(warnings), program, at_risk, typed)
