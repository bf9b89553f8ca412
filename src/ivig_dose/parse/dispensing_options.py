"""The ``--round`` and ``--max-rate`` options as typed, read against the chosen catalogue product.

Shared by every command that plans and by ``rates``, so each option means the same everywhere
and is refused with the same one-line error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Quantity, message
from ivig_dose.core.products import CatalogueProduct
from ivig_dose.core.pump import NO_LIMIT, RateLimit

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding

ROUND_ACCEPTED = message(N_("vials (whole vials of the product), none, or an amount such as 5g"))
MAX_RATE_ACCEPTED = message(N_("a pump rate such as 300 mL/h (a bare number is mL/h), 4.8 mL/kg/h or 3.3 mg/kg/min"))
VIALS = "vials"
NO_ROUNDING = ("none", "off", "exact")


def parse_rounding(text: str | None, product: CatalogueProduct | None) -> Rounding | None:
    """``--round vials`` or ``--round 5g`` as one kind of rounding; None keeps the exact doses."""
    if text is None or text.strip().lower() in NO_ROUNDING:
        return None
    from ivig_dose.core.rounding import Rounding  # only with --round: off a plain plan's start-up

    if text.strip().lower() == VIALS:
        if product is None:
            raise InputError(message(N_("--round vials needs a product: give --product ID; accepted: {accepted}"),
                                     accepted=ROUND_ACCEPTED))
        return Rounding(label=message(N_("whole vials")), sizes_g=product.presentations)
    from ivig_dose.parse.units import parse_positive, split_number

    if not split_number(text, "--round", ROUND_ACCEPTED)[1]:
        raise InputError(message(N_("--round {text!r} has no unit; accepted: {accepted}"), text=text.strip(),
                                 accepted=ROUND_ACCEPTED))
    size = parse_positive(text, "g", "--round", ROUND_ACCEPTED)
    return Rounding(label=message(N_("multiples of {size}"), size=Quantity(size, "g")), sizes_g=(size,))


def parse_max_rate(text: str | None, product: CatalogueProduct | None) -> RateLimit:
    """``--max-rate``: an absolute pump rate, or one per kg of dosing weight."""
    if text is None:
        return NO_LIMIT
    if product is None:
        raise InputError(message(N_("--max-rate needs a product with a rate table: give --product ID")))
    from ivig_dose.parse.units import parse_rate_limit

    per_hour, per_kg = parse_rate_limit(text, product.concentration_mg_per_ml, "--max-rate", MAX_RATE_ACCEPTED)
    return RateLimit(ml_per_h=per_hour, ml_per_kg_h=per_kg)
