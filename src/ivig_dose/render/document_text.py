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

from ivig_dose.core.amounts import amount, duration, grams, kilograms, millilitres

NOT_COMPUTED = "not computed"
Document = Mapping[str, Any]


def exact(value: int | float | str) -> Decimal:
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


def vials_text(segment: Document) -> str:
    """``2 × 10 g (100 mL) + 1 × 5 g (50 mL)``; the waste, when any, on a line of its own."""
    vials = segment.get("vials")
    if vials is None:
        return NOT_COMPUTED
    picked = " + ".join(
        f"{v['count']} × {grams(exact(v['grams']))} ({millilitres(exact(v['volume_ml']))})" for v in vials
    )
    waste = segment.get("waste_g")
    if waste is not None and exact(waste) > 0:
        waste_ml = segment.get("waste_ml")
        volume = f" ({millilitres(exact(waste_ml))})" if waste_ml is not None else ""
        picked += f"\nwaste {grams(exact(waste))}{volume}"
    return picked or "none"


def pick_list(course: Document) -> str:
    """The vials of a whole course summed by size, or NOT_COMPUTED if any bag lacks them."""
    segments = [s for d in course["days"] for s in d["segments"]]
    if any(s.get("vials") is None for s in segments):
        return NOT_COMPUTED
    counts: dict[tuple[Decimal, Decimal], int] = {}
    for segment in segments:
        for vial in segment["vials"]:
            size = (exact(vial["grams"]), exact(vial["volume_ml"]))
            counts[size] = counts.get(size, 0) + int(vial["count"])
    return " + ".join(
        f"{n} × {grams(g)} ({millilitres(ml)})" for (g, ml), n in sorted(counts.items(), reverse=True)
    ) or "none"


def pump_text(segment: Document) -> str:
    """One line per pump step: ``30 mL/h for 30 min (15 mL)``."""
    pump = segment.get("pump")
    if pump is None:
        return NOT_COMPUTED
    return "\n".join(
        f"{amount(exact(s['rate_ml_per_h']))} mL/h for {amount(exact(s['minutes']))} min "
        f"({millilitres(exact(s['volume_ml']))})"
        for s in pump["steps"]
    )


def duration_minutes(segment: Document) -> Decimal | None:
    pump = segment.get("pump")
    return None if pump is None else exact(pump["duration_min"])


def duration_text(minutes: Decimal | None) -> str:
    """The run time as :func:`~ivig_dose.core.amounts.duration` spells it, or that none was computed."""
    return NOT_COMPUTED if minutes is None else duration(minutes)


def course_duration(course: Document) -> Decimal | None:
    """The pump time of a whole course, or None if any bag has no pump program."""
    times = [duration_minutes(s) for d in course["days"] for s in d["segments"]]
    if any(t is None for t in times):
        return None
    return sum((t for t in times if t is not None), Decimal(0))


def dosing_weight_text(document: Document) -> str:
    """The weight the doses were computed from, with its basis when the plan says it."""
    weight = kilograms(exact(document.get("dosing_weight_kg", document["weight_kg"])))
    basis = document.get("dosing_weight_basis") or "actual"
    chosen = "; chosen with --dosing-weight" if document.get("dosing_weight_override") else ""
    return f"{weight} ({basis} body weight, R1{chosen})"


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
