"""The parts of a plan document (:func:`~ivig_dose.render.plan_json.plan_document`) as people read
them on paper: bags, doses, vials, pump programs and durations.

The printed outputs are drawn from the JSON document, not from the Plan, so that paper, calendar
and JSON can never disagree. Vials and pump programs are only in the document when the plan
computed them; where they are missing these functions say so (:data:`NOT_COMPUTED`) and never
fill in a number of their own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ivig_dose.core.amounts import amount, approximate, duration, grams, millilitres, weight_text

NOT_COMPUTED = "not computed"
Document = Mapping[str, Any]


def exact(value: Decimal | int | float | str) -> Decimal:
    """A JSON number back as the exact decimal it was written from (53.6 stays 53.6)."""
    return Decimal(str(value))


@dataclass(frozen=True)
class Bag:
    """One segment of one infusion day: one bag, one label, one calendar event."""

    course: Document
    day: Document
    segment: Document
    #: 1-based position among all bags of the plan, and their number.
    number: int
    count: int

    @property
    def day_label(self) -> str:
        return f"day {self.day['day']} of {len(self.course['days'])}"

    @property
    def volume(self) -> str:
        return millilitres(exact(self.segment["volume_ml"]))

    def dose(self, document: Document) -> str | None:
        """The dose to print, or None: hidden when blinded, meaningless for a product without IgG."""
        if self.segment["dose_g"] is None or document["product"]["concentration_mg_per_ml"] is None:
            return None
        return grams(exact(self.segment["dose_g"]))


def bags(document: Document) -> Iterator[Bag]:
    """Every bag of the plan, in order of giving."""
    found = [(c, d, s) for c in document["courses"] for d in c["days"] for s in d["segments"]]
    for number, (course, day, segment) in enumerate(found, start=1):
        yield Bag(course, day, segment, number, len(found))


def dose_text(value: int | float | None) -> str:
    return "hidden (blinded)" if value is None else grams(exact(value))


def _vial(count: int | float | str, grams_: Decimal | int | float | str,
          volume_ml: Decimal | int | float | str) -> str:
    return f"{count} × {grams(exact(grams_))} ({millilitres(exact(volume_ml))})"


def vial_items(segment: Document) -> list[str] | None:
    """One item per vial size, ``2 × 10 g (100 mL)``; None when the plan picked no vials."""
    vials = segment.get("vials")
    if vials is None:
        return None
    return [_vial(v["count"], v["grams"], v["volume_ml"]) for v in vials]


def waste_text(segment: Document) -> str | None:
    """``waste 0.4 g (4 mL)``, or None when nothing is left over."""
    waste = segment.get("waste_g")
    if waste is None or exact(waste) <= 0:
        return None
    waste_ml = segment.get("waste_ml")
    volume = f" ({millilitres(exact(waste_ml))})" if waste_ml is not None else ""
    return f"waste {grams(exact(waste))}{volume}"


def vials_text(segment: Document) -> str:
    """``2 × 10 g (100 mL) + 1 × 5 g (50 mL)``; the waste, when any, on a line of its own."""
    items = vial_items(segment)
    if items is None:
        return NOT_COMPUTED
    waste = waste_text(segment)
    return (" + ".join(items) or "none") + ("" if waste is None else f"\n{waste}")


def pick_items(course: Document) -> list[str] | None:
    """The vials of a whole course summed by size, largest first; None if any bag lacks them."""
    segments = [s for d in course["days"] for s in d["segments"]]
    if any(s.get("vials") is None for s in segments):
        return None
    counts: dict[tuple[Decimal, Decimal], int] = {}
    for segment in segments:
        for vial in segment["vials"]:
            size = (exact(vial["grams"]), exact(vial["volume_ml"]))
            counts[size] = counts.get(size, 0) + int(vial["count"])
    return [_vial(n, g, ml) for (g, ml), n in sorted(counts.items(), reverse=True)]


def pick_list(course: Document) -> str:
    """The vials of a whole course summed by size, or NOT_COMPUTED if any bag lacks them."""
    items = pick_items(course)
    return NOT_COMPUTED if items is None else " + ".join(items) or "none"


def pump_steps(segment: Document) -> list[str] | None:
    """One text per pump step, ``30 mL/h for 30 min (15 mL)``; None without a pump program."""
    pump = segment.get("pump")
    if pump is None:
        return None
    return [
        f"{amount(exact(s['rate_ml_per_h']))} mL/h for {amount(exact(s['minutes']))} min "
        f"({millilitres(exact(s['volume_ml']))})"
        for s in pump["steps"]
    ]


def pump_text(segment: Document) -> str:
    """One line per pump step: ``30 mL/h for 30 min (15 mL)``."""
    steps = pump_steps(segment)
    return NOT_COMPUTED if steps is None else "\n".join(steps)


def duration_minutes(segment: Document) -> Decimal | None:
    pump = segment.get("pump")
    return None if pump is None else exact(pump["duration_min"])


def duration_text(minutes: Decimal | None) -> str:
    """The run time as :func:`~ivig_dose.core.amounts.duration` spells it, or that none was computed."""
    return NOT_COMPUTED if minutes is None else duration(minutes)


def weight_shown(place: Document) -> str:
    """A plan's or a course's weight as people read it: ``183.9 lb (83.42 kg)`` when typed in
    another unit (the document's ``weight_as_typed``), else ``72.35 kg``."""
    return weight_text(exact(place["weight_kg"]), place.get("weight_as_typed"))


def dosed_on(place: Document) -> str:
    """The weight a plan's or a course's doses were computed from: its weight as people read it,
    or an ideal or adjusted weight (to 0.01 kg, ``≈`` when rounded: the exact one is in the JSON)."""
    dosing = exact(place.get("dosing_weight_kg", place["weight_kg"]))
    return weight_shown(place) if dosing == exact(place["weight_kg"]) else f"{approximate(dosing)} kg"


def dosing_weight_text(document: Document) -> str:
    """The weight the doses were computed from, with its basis when the plan says it."""
    basis = document.get("dosing_weight_basis") or "actual"
    chosen = "; chosen with --dosing-weight" if document.get("dosing_weight_override") else ""
    return f"{dosed_on(document)} ({basis} body weight, R1{chosen})"


def course_weights_text(course: Document) -> str:
    """What a course's heading says it was dosed on: its weight, or an ideal or adjusted weight and
    the weight it comes from (``dosed on ≈73.18 kg (ideal; weight 100 kg)``), so a pharmacist
    checking 2 g/kg by hand multiplies the right number."""
    shown = dosed_on(course)
    if shown == weight_shown(course):
        return f"dosed on {shown}"
    return f"dosed on {shown} ({course.get('dosing_weight_basis') or 'dosing weight'}; weight {weight_shown(course)})"


def product_name(document: Document) -> str:
    """Name and concentration; the name alone for the placebo or the blinded study medication."""
    product = document["product"]
    concentration = product["concentration_mg_per_ml"]
    return str(product["name"]) if concentration is None else f"{product['name']} {amount(exact(concentration))} mg/mL"


def product_text(document: Document) -> str:
    """The product with a verification notice when the plan says its facts are unverified."""
    text = product_name(document)
    if document.get("product_verified") is False:
        text += " (product facts not verified against the label: check them)"
    return text
