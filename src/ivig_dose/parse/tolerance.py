"""``--tolerance`` as typed (``1%``, ``0.5 g``, ``5 mL``) into a :class:`~ivig_dose.core.tolerance.Tolerance`."""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Quantity, message, neutral
from ivig_dose.core.tolerance import GRAMS, MILLILITRES, Tolerance
from ivig_dose.parse.units import convert, split_number

#: the most a tolerance may allow. An order rounded by another system is off by a rounding
#: step (0.1 to 1 g); a dose 10 % off is another dose (``--round`` itself stays within 10 % of
#: the day's dose), and ``99.9%`` would pass a 1 mL bag for 400 mL. Ours, not the trial's.
MAX_PERCENT = Decimal(10)
MAX_GRAMS = Decimal(1)
ACCEPTED = message(N_("0 (exact), a percentage up to {percent} such as 1%, or an amount up to {grams} (or its "
                      "volume) such as 0.5 g or 5 mL"), percent=neutral("{n}%", n=MAX_PERCENT),
                   grams=Quantity(MAX_GRAMS, "g"))


def parse_tolerance(text: str, ml_per_g: Decimal) -> Tolerance:
    """``1%``, ``0.5 g`` or ``5 mL``; ``ml_per_g`` turns an amount of one kind into the other."""
    stripped = text.strip()
    if stripped.endswith("%"):
        number, unit = split_number(stripped[:-1], "--tolerance", ACCEPTED)
        if unit or number < 0 or number > MAX_PERCENT:
            raise InputError(message(N_("--tolerance {text!r} is not a percentage from 0 to {percent}; accepted: "
                                        "{accepted}"), text=text, percent=MAX_PERCENT, accepted=ACCEPTED))
        return Tolerance(percent=number)
    number, unit = split_number(stripped, "--tolerance", ACCEPTED)
    if number < 0:
        raise InputError(message(N_("--tolerance {text!r} must not be below 0; accepted: {accepted}"), text=text,
                                 accepted=ACCEPTED))
    if number == 0 and not unit:
        return Tolerance()
    if unit == GRAMS:
        return _bounded(text, Tolerance(grams=number, millilitres=number * ml_per_g))
    if unit.lower() == "ml":
        return _bounded(text, Tolerance(grams=number / ml_per_g, millilitres=number))
    if not unit:
        raise InputError(message(N_("--tolerance {text!r} needs a unit (% , g or mL); accepted: {accepted}"),
                                 text=text, accepted=ACCEPTED))
    for target in (GRAMS, MILLILITRES):
        try:
            value = convert(number, unit, target, "--tolerance", ACCEPTED, stripped)
        except InputError:
            continue
        return parse_tolerance(f"{value} {target}", ml_per_g)
    raise InputError(message(N_("--tolerance {text!r} is neither a mass nor a volume; accepted: {accepted}"),
                             text=text, accepted=ACCEPTED))


def _bounded(text: str, tolerance: Tolerance) -> Tolerance:
    if tolerance.grams > MAX_GRAMS:
        raise InputError(message(N_("--tolerance {text!r} is more than {grams} of IgG (or its volume); accepted: "
                                    "{accepted}"), text=text, grams=Quantity(MAX_GRAMS, "g"), accepted=ACCEPTED))
    return tolerance
