"""The plain values a plan is made of: frozen dataclasses, exact decimals, no units objects.

Totals are properties summed from the parts, never stored beside them, so a plan cannot
disagree with itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.records import frozen
from ivig_dose.core.weight_shown import weight_text

if TYPE_CHECKING:
    from ivig_dose.core.pump import PumpProgram
    from ivig_dose.core.rounding import Rounding

#: the name and version of the plan's JSON contract, which ``verify`` reads back.
PLAN_SCHEMA = "ivig-dose/plan/v1"
HOSPITAL = "hospital"
HOME = "home"
IVIG = "ivig"
PLACEBO = "placebo"
ARMS = (IVIG, PLACEBO)


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


@frozen
class Reason:
    """A rule that shaped the numbers, said twice: plainly, and without grams or arm (blinded)."""

    rule: str
    text: str
    blinded_text: str
    #: the course it speaks of, or None when it holds for the whole plan.
    course: str | None = None


@frozen
class VialCount:
    """Vials of one size to open for a bag."""

    grams: Decimal
    volume_ml: Decimal
    count: int


@frozen
class Dispense:
    """What the pharmacy opens for a bag and how the pump runs it.

    The placebo arm opens no vial (its bags are NaCl 0.9 %) but runs the same pump program.
    """

    vials: tuple[VialCount, ...]
    waste_g: Decimal
    waste_ml: Decimal
    pump: PumpProgram

    @property
    def vial_count(self) -> int:
        """Vials opened for the bag, of every size."""
        return sum(vial.count for vial in self.vials)


@frozen
class Segment:
    """The part of one day's infusion given in one setting; prepared as its own bag."""

    setting: str
    dose_g: Decimal
    volume_ml: Decimal
    #: vials and pump program; None until a product from the catalogue is applied.
    dispense: Dispense | None = None


@frozen
class InfusionDay:
    """One calendar day of a course: its bags in the order they are given, hospital part first (R6)."""

    day: int
    date: date
    segments: tuple[Segment, ...]

    @property
    def dose_g(self) -> Decimal:
        return _total(s.dose_g for s in self.segments)

    @property
    def volume_ml(self) -> Decimal:
        return _total(s.volume_ml for s in self.segments)


@frozen
class Course:
    """One course as this patient gets it, dosed on the weight that holds for it (R9)."""

    name: str
    week: int
    start: date
    weight_kg: Decimal
    #: True when the weight was measured for this course (R9), False when the baseline weight is reused.
    weight_measured: bool
    days: tuple[InfusionDay, ...]
    #: the weight the dose was computed from (R1): the actual weight unless an ideal or adjusted
    #: weight was chosen; None means the actual weight.
    dosing_weight_kg: Decimal | None = None
    dosing_weight_basis: str = "actual"
    #: the weight as typed in a unit other than kg (``183.9 lb``), for display only; None: typed in kg.
    weight_as_typed: str | None = None

    @property
    def weight_text(self) -> str:
        """The weight as people read it: ``183.9 lb (83.42 kg)``, or ``72.35 kg``."""
        return weight_text(self.weight_kg, self.weight_as_typed)

    @property
    def dosed_on_kg(self) -> Decimal:
        return self.weight_kg if self.dosing_weight_kg is None else self.dosing_weight_kg

    @property
    def dose_g(self) -> Decimal:
        return _total(d.dose_g for d in self.days)

    @property
    def volume_ml(self) -> Decimal:
        return _total(d.volume_ml for d in self.days)

    @property
    def dispense(self) -> tuple[tuple[Decimal, int], ...]:
        """Vials of each size for the whole course, largest first, so the pharmacy picks it at once.

        The one place a course's vials are summed: the plan table, the JSON document's
        ``dispense`` (and from it the order sheet's pick list) and verification read this."""
        counts: dict[Decimal, int] = {}
        for day in self.days:
            for segment in day.segments:
                for vial in segment.dispense.vials if segment.dispense else ():
                    counts[vial.grams] = counts.get(vial.grams, 0) + vial.count
        return tuple(sorted(counts.items(), reverse=True))

    @property
    def waste_g(self) -> Decimal:
        """IgG left over in opened vials over the whole course (0 before dispensing)."""
        return _total(s.dispense.waste_g for d in self.days for s in d.segments if s.dispense is not None)


@frozen
class PlanProduct:
    """What is in the bag, as the plan shows it; the placebo has no IgG concentration."""

    name: str
    concentration_mg_per_ml: Decimal | None


@frozen
class PlanRequest:
    """Everything a user decides, already parsed into plain values."""

    weight_kg: Decimal
    start: date
    arm: str = IVIG
    days: int | None = None
    #: weights measured for later courses (R9), by course name as the protocol spells it.
    course_weights: tuple[tuple[str, Decimal], ...] = ()
    #: height in cm and sex, for an ideal or adjusted dosing weight (R1); pregnancy keeps the actual weight.
    height_cm: Decimal | None = None
    sex: str | None = None
    pregnant: bool = False
    #: the prescriber's dosing-weight basis (actual, ideal, adjusted); None: the protocol's default.
    dosing_weight: str | None = None
    #: round each day to whole vials or a multiple (``--round``); None keeps the exact doses.
    rounding: Rounding | None = None
    #: what the patient is at risk of (``--risk``: thrombosis, renal), sorted; () none.
    risks: tuple[str, ...] = ()
    #: age in whole or part years (``--age``); under 18 the actual weight is used (R1). None: not given.
    age_years: Decimal | None = None
    #: the weights as typed in a unit other than kg (``183.9 lb``), for display only and never dosed
    #: on: the baseline's (None: typed in kg), and later courses' by their name in ``course_weights``.
    weight_as_typed: str | None = None
    course_weights_as_typed: tuple[tuple[str, str], ...] = ()


@frozen
class ProductCheck:
    """Which catalogue product drives the vials and the pump, and whether its label was checked."""

    id: str
    name: str
    verified: bool
    source: str
    #: the ``--max-rate`` limit as the user gave it, or None.
    max_rate: str | None = None
    #: the catalogue it came from and its version, e.g. "built-in 2026-11-25".
    catalogue: str = ""
    #: True when ``--product`` chose it; False when it is the protocol's default.
    chosen: bool = False
    #: the indication whose rate table the pump runs (``--indication`` or the protocol's); None: the entry's own.
    indication: str | None = None
    #: the patient's risks, and the label's at-risk limit the pump was held to (e.g. "1.8 mL/kg/h") with
    #: its source; None when the patient is not at risk.
    at_risk: AtRiskCap | None = None
    #: a fingerprint of every value of the catalogue entry as parsed (core.digest).
    content: str = ""


@frozen
class AtRiskCap:
    """Why the pump of a patient at risk runs as it does: the risks, the limit and its source."""

    risks: tuple[str, ...]
    #: the limit applied, as ``RateLimit.describe`` says it.
    limit: str
    #: the label's words and where they come from (or that the label gives no number and --max-rate was given).
    source: str


@frozen
class Plan:
    """Everything one patient is given under a protocol, with the reasons and warnings that
    explain its numbers, so every output can be drawn from it without deciding anything."""

    protocol_id: str
    protocol_name: str
    arm: str
    product: PlanProduct
    weight_kg: Decimal
    courses: tuple[Course, ...]
    #: the inputs the plan was made from, kept so output can be traced back (input digest).
    request: PlanRequest
    #: the protocol file's version, so printed output can name the exact rules it was made by.
    protocol_version: str
    reasons: tuple[Reason, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    #: the catalogue product behind vials and pump programs; None when none was applied.
    dispensed_with: ProductCheck | None = None
    #: a fingerprint of every value of the protocol as parsed (core.digest), so that the input
    #: digest tells apart two protocols that share an id and a version.
    protocol_content: str = ""

    @property
    def weight_as_typed(self) -> str | None:
        """The baseline weight as typed in a unit other than kg; None when typed in kg."""
        return self.request.weight_as_typed

    @property
    def weight_text(self) -> str:
        """The baseline weight as people read it: ``183.9 lb (83.42 kg)``, or ``72.35 kg``."""
        return weight_text(self.weight_kg, self.request.weight_as_typed)

    @property
    def dosing_weight_override(self) -> bool:
        """True when the prescriber chose the dosing-weight basis (--dosing-weight), not the protocol."""
        return self.request.dosing_weight is not None

    @property
    def dosing_weight_override_basis(self) -> str | None:
        """The basis the prescriber chose (--dosing-weight), None for the protocol's. An order must
        carry it: a course may be dosed on the actual weight whatever was chosen (a pregnancy, an
        ideal weight above the actual one), so the courses' bases cannot tell it back."""
        return self.request.dosing_weight

    def reasons_for(self, course: str) -> tuple[Reason, ...]:
        """The reasons that speak of one course: its own and those that hold for every course."""
        return tuple(r for r in self.reasons if r.course in (None, course))

    @property
    def course_dose_g(self) -> Decimal:
        """The baseline course's dose, as the JSON contract's top-level key describes it."""
        return self.courses[0].dose_g

    @property
    def dosing_weight_kg(self) -> Decimal:
        """The first course's dosing weight, as the JSON's top-level key describes it."""
        return self.courses[0].dosed_on_kg

    @property
    def dosing_weight_basis(self) -> str:
        return self.courses[0].dosing_weight_basis

    @property
    def days_per_course(self) -> int:
        return len(self.courses[0].days)

    @property
    def total_dose_g(self) -> Decimal:
        return _total(c.dose_g for c in self.courses)

    @property
    def total_volume_ml(self) -> Decimal:
        return _total(c.volume_ml for c in self.courses)
