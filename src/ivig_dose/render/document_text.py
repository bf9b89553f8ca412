"""The parts of a plan document (:func:`~ivig_dose.render.plan_json.plan_document`) as people read
them on paper: bags, doses, vials, pump programs and durations.

The printed outputs are drawn from the JSON document, not from the Plan, so that paper, calendar
and JSON can never disagree. Vials and pump programs are only in the document when the plan
computed them; where they are missing these functions say so (:data:`NOT_COMPUTED`) and never
fill in a number of their own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ivig_dose.core.messages import N_
from ivig_dose.core.records import frozen
from ivig_dose.core.weight_shown import weight_text
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import basis_word

NOT_COMPUTED = N_("not computed")
#: how every bag is given, on the order sheet and on every label: intravenous immunoglobulin (the
#: seed: "Intravenous Immunoglobulins"), and the placebo bags of a blinded trial run the same way.
ROUTE = N_("intravenous (IV)")
Document = Mapping[str, Any]


def exact(value: Decimal | int | float | str) -> Decimal:
    """A JSON number back as the exact decimal it was written from (53.6 stays 53.6)."""
    return Decimal(str(value))


@frozen
class Bag:
    """One segment of one infusion day: one bag, one label, one calendar event."""

    course: Document
    day: Document
    segment: Document
    #: 1-based position among all bags of the plan, and their number.
    number: int
    count: int

    def day_label(self, tr: Translator = ENGLISH) -> str:
        """``day 1 of 2``."""
        return tr(N_("day {day} of {days}"), day=self.day["day"], days=len(self.course["days"]))

    def volume(self, tr: Translator = ENGLISH) -> str:
        return tr.millilitres(exact(self.segment["volume_ml"]))

    def dose(self, document: Document, tr: Translator = ENGLISH) -> str | None:
        """The dose to print, or None: hidden when blinded, meaningless for a product without IgG."""
        if self.segment["dose_g"] is None or document["product"]["concentration_mg_per_ml"] is None:
            return None
        return tr.grams(exact(self.segment["dose_g"]))


def bags(document: Document) -> Iterator[Bag]:
    """Every bag of the plan, in order of giving."""
    found = [(c, d, s) for c in document["courses"] for d in c["days"] for s in d["segments"]]
    for number, (course, day, segment) in enumerate(found, start=1):
        yield Bag(course, day, segment, number, len(found))


def dose_text(value: int | float | None, tr: Translator = ENGLISH) -> str:
    return tr(N_("hidden (blinded)")) if value is None else tr.grams(exact(value))


def _vial(count: int | float | str, grams_: Decimal | int | float | str,
          volume_ml: Decimal | int | float | str, tr: Translator = ENGLISH) -> str:
    return f"{count} × {tr.grams(exact(grams_))} ({tr.millilitres(exact(volume_ml))})"


def vial_items(segment: Document, tr: Translator = ENGLISH) -> list[str] | None:
    """One item per vial size, ``2 × 10 g (100 mL)``; None when the plan picked no vials."""
    vials = segment.get("vials")
    if vials is None:
        return None
    return [_vial(v["count"], v["grams"], v["volume_ml"], tr) for v in vials]


def waste_text(segment: Document, tr: Translator = ENGLISH) -> str | None:
    """``waste 0.4 g (4 mL)``, or None when nothing is left over."""
    waste = segment.get("waste_g")
    if waste is None or exact(waste) <= 0:
        return None
    waste_ml = segment.get("waste_ml")
    if waste_ml is None:
        return tr(N_("waste {grams}"), grams=tr.grams(exact(waste)))
    return tr(N_("waste {grams} ({millilitres})"), grams=tr.grams(exact(waste)),
              millilitres=tr.millilitres(exact(waste_ml)))


def none_text(tr: Translator = ENGLISH) -> str:
    """What a list of vials says when there are none (the placebo arm)."""
    return tr(N_("none"))


def vials_text(segment: Document, tr: Translator = ENGLISH) -> str:
    """``2 × 10 g (100 mL) + 1 × 5 g (50 mL)``; the waste, when any, on a line of its own."""
    items = vial_items(segment, tr)
    if items is None:
        return tr(NOT_COMPUTED)
    waste = waste_text(segment, tr)
    return (" + ".join(items) or none_text(tr)) + ("" if waste is None else f"\n{waste}")


def pick_items(course: Document, tr: Translator = ENGLISH) -> list[str] | None:
    """The vials of a whole course by size, largest first, as the plan summed them (the course's
    ``dispense``), each with its volume from the bags; None when the course has no pick list
    (not dispensed, or blinded)."""
    picked = course.get("dispense")
    if picked is None:
        return None
    volumes = {exact(v["grams"]): exact(v["volume_ml"])
               for d in course["days"] for s in d["segments"] for v in s.get("vials") or ()}
    return [_vial(p["count"], exact(p["grams"]), volumes[exact(p["grams"])], tr) for p in picked]


def pick_list(course: Document, tr: Translator = ENGLISH) -> str:
    """The vials of a whole course summed by size, or NOT_COMPUTED if any bag lacks them."""
    items = pick_items(course, tr)
    return tr(NOT_COMPUTED) if items is None else " + ".join(items) or none_text(tr)


def pump_steps(segment: Document, tr: Translator = ENGLISH) -> list[str] | None:
    """One text per pump step, ``30 mL/h for 30 min (15 mL)``; None without a pump program."""
    pump = segment.get("pump")
    if pump is None:
        return None
    return [
        # Translators: a pump step on the order sheet, the labels and the calendar; keep mL/h.
        tr(N_("{rate} mL/h for {minutes} min ({volume})"), rate=tr.number(exact(s["rate_ml_per_h"])),
           minutes=tr.number(exact(s["minutes"])), volume=tr.millilitres(exact(s["volume_ml"])))
        for s in pump["steps"]
    ]


def pump_text(segment: Document, tr: Translator = ENGLISH) -> str:
    """One line per pump step: ``30 mL/h for 30 min (15 mL)``."""
    steps = pump_steps(segment, tr)
    return tr(NOT_COMPUTED) if steps is None else "\n".join(steps)


def duration_minutes(segment: Document) -> Decimal | None:
    pump = segment.get("pump")
    return None if pump is None else exact(pump["duration_min"])


def duration_text(minutes: Decimal | None, tr: Translator = ENGLISH) -> str:
    """The run time as :func:`~ivig_dose.core.amounts.duration` spells it, or that none was computed."""
    return tr(NOT_COMPUTED) if minutes is None else tr.duration(minutes)


def weight_shown(place: Document, tr: Translator = ENGLISH) -> str:
    """A plan's or a course's weight as people read it: ``183.9 lb (83.42 kg)`` when typed in
    another unit (the document's ``weight_as_typed``), else ``72.35 kg``."""
    return tr.say(weight_text(exact(place["weight_kg"]), place.get("weight_as_typed")))


def dosed_on(place: Document, tr: Translator = ENGLISH) -> str:
    """The weight a plan's or a course's doses were computed from: its weight as people read it,
    or an ideal or adjusted weight (to 0.01 kg, ``≈`` when rounded: the exact one is in the JSON)."""
    dosing = exact(place.get("dosing_weight_kg", place["weight_kg"]))
    return weight_shown(place, tr) if dosing == exact(place["weight_kg"]) else f"{tr.approximate(dosing)} kg"


def dosing_weight_text(document: Document, tr: Translator = ENGLISH) -> str:
    """The weight the doses were computed from, with its basis when the plan says it."""
    weight = dosed_on(document, tr)
    basis = basis_word(document.get("dosing_weight_basis") or "actual", tr)
    if document.get("dosing_weight_override"):
        return tr(N_("{weight} ({basis} body weight, R1; chosen with --dosing-weight)"), weight=weight, basis=basis)
    return tr(N_("{weight} ({basis} body weight, R1)"), weight=weight, basis=basis)


def course_weights_text(course: Document, tr: Translator = ENGLISH) -> str:
    """What a course's heading says it was dosed on: its weight, or an ideal or adjusted weight and
    the weight it comes from (``dosed on ≈73.18 kg (ideal; weight 100 kg)``), so a pharmacist
    checking 2 g/kg by hand multiplies the right number."""
    shown = dosed_on(course, tr)
    weight = weight_shown(course, tr)
    if shown == weight:
        return tr(N_("dosed on {weight}"), weight=shown)
    basis = course.get("dosing_weight_basis")
    return tr(N_("dosed on {dosing} ({basis}; weight {weight})"), dosing=shown,
              basis=basis_word(basis, tr) if basis else tr(N_("dosing weight")), weight=weight)


def product_name(document: Document, tr: Translator = ENGLISH) -> str:
    """Name and concentration; the name alone for the placebo or the blinded study medication."""
    product = document["product"]
    concentration = product["concentration_mg_per_ml"]
    if concentration is None:
        return tr.say(product["name"])
    return f"{tr.say(product['name'])} {tr.number(exact(concentration))} mg/mL"


def product_text(document: Document, tr: Translator = ENGLISH) -> str:
    """The product with a verification notice when the plan says its facts are unverified; a
    blinded plan shows no vials, so its notice is of the pump rates alone."""
    text = product_name(document, tr)
    if document.get("product_verified") is not False:
        return text
    if document["blinded"]:
        return tr(N_("{product}; pump rates not verified against the label: check them"), product=text)
    return text + tr(N_(" (product facts not verified against the label: check them)"))


def weekday_date(text: str, tr: Translator = ENGLISH) -> str:
    """A document's ISO date with its weekday, as a person reads it on paper: ``Mon 2027-01-04``;
    in Dutch the long form (:func:`long_date`), which names the weekday too."""
    from datetime import date

    day = date.fromisoformat(text)
    return tr.dated(day) if tr.english else tr.long_date(day)


def long_date(text: str, tr: Translator = ENGLISH) -> str:
    """A document's ISO date as a person reads it on paper: ISO in English (as it always was),
    ``maandag 4 januari 2027`` in Dutch, where a numeric date could be read day-first or month-first."""
    from datetime import date

    return text if tr.english else tr.long_date(date.fromisoformat(text))
