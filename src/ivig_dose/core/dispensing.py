"""From a plan to what is dispensed and how it runs: vials and a pump program for every bag.

Each segment is its own bag, so each gets its own vials (least waste, then fewest vials) and its
own pump program, which starts the ramp afresh and is dosed on the course's weight. The placebo
arm's bags hold no IgG, so they open no vial, but their volumes are the IVIg plan's (R8) and so
their pump programs are the same: the arm cannot be read off the pump. No I/O.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from ivig_dose.core.digest import content_fingerprint
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, Message, Quantity, message
from ivig_dose.core.model import (
    IVIG,
    PLACEBO,
    AtRiskCap,
    Course,
    Dispense,
    InfusionDay,
    Plan,
    PlanProduct,
    ProductCheck,
    Reason,
    Segment,
    VialCount,
)
from ivig_dose.core.products import SIZE_STEP, CatalogueProduct, risk_text
from ivig_dose.core.pump import NO_LIMIT, RATE_STEP, PumpProgram, RateLimit, pump_program
from ivig_dose.core.reasons import volume_reason
from ivig_dose.core.records import frozen
from ivig_dose.core.vials import pick_vials

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Protocol

UNVERIFIED = message(N_("NOT verified against the current label"))
VERIFIED = message(N_("verified against the label"))
#: what the warning of an unverified entry says is unverified, for a plan's vials and pumps.
VIALS_AND_PUMPS = message(N_("vial sizes and pump rate steps"))
#: what it says is unverified for a bag's pump program alone (``rates``).
PUMP_STEPS = message(N_("pump rate steps"))
#: reason ids of dispensing: they explain vials and pumps, not the doses and volumes themselves.
DISPENSE_RULES = frozenset({"product", "pump", "vials"})


def dosing_weight(course: Course) -> Decimal:
    """The weight the pump rates are multiplied by: the course's dosing weight (R1, R9)."""
    return course.dosed_on_kg


def to_units(value: Decimal) -> int:
    """Tenths of a gram, rounded up: vials must cover the whole dose."""
    return int((value / SIZE_STEP).to_integral_value(rounding=ROUND_CEILING))


@lru_cache(maxsize=16)
def unit_sizes(presentations: tuple[Decimal, ...]) -> tuple[int, ...]:
    """A product's vial sizes in units, worked out once for all its bags."""
    return tuple(to_units(size) for size in presentations)


def pick_list(dose_g: Decimal, presentations: tuple[Decimal, ...]) -> tuple[tuple[Decimal, int], ...]:
    """The vials to open for a bag's dose, as (size in g, count), largest first: the one pick every
    output and the record's preparation check share."""
    pick = pick_vials(to_units(dose_g), unit_sizes(presentations))
    return tuple((size * SIZE_STEP, count) for size, count in pick.counts)


def dispense_segment(segment: Segment, weight_kg: Decimal, product: CatalogueProduct,
                     limit: RateLimit = NO_LIMIT) -> Dispense:
    picked = pick_list(segment.dose_g, product.presentations)
    vials = tuple(VialCount(grams=size, volume_ml=product.volume_ml(size), count=count) for size, count in picked)
    waste_g = sum((size * count for size, count in picked), Decimal(0)) - segment.dose_g
    pump = bag_pump(segment.volume_ml, weight_kg, product, limit)
    return Dispense(vials=vials, waste_g=waste_g, waste_ml=product.volume_ml(waste_g), pump=pump)


def bag_pump(volume_ml: Decimal, weight_kg: Decimal, product: CatalogueProduct, limit: RateLimit = NO_LIMIT
             ) -> PumpProgram:
    """The pump program of one bag: a plan's bags and ``rates`` both get theirs here."""
    return pump_program(volume_ml, weight_kg, product.rate_steps, product.step_minutes, limit)


def largest_bag(protocol: Protocol, weight_kg: Decimal) -> tuple[Decimal, Message]:
    """The most IgG in grams one bag of the protocol holds for this dosing weight, and why.

    A bag is a day's dose or part of one, so the daily cap bounds it, else the course cap; a
    protocol with neither gives at most its dose per kg of this weight (a day's, or a course's),
    which rounding (``--round``) may raise by at most its 10 %.
    """
    if protocol.daily_cap is not None:
        return protocol.daily_cap, message(N_("the daily cap of protocol {protocol!r}"), protocol=protocol.id)
    if protocol.course_cap is not None:
        return protocol.course_cap, message(N_("the course cap of protocol {protocol!r}"), protocol=protocol.id)
    from ivig_dose.core.rounding import MAX_OVER

    most = protocol.dose_per_kg * weight_kg * (1 + MAX_OVER)
    return most, message(N_("{dose_per_kg} g/kg of {weight} in protocol {protocol!r}, and up to {over} % more by "
                            "rounding"),
                         dose_per_kg=protocol.dose_per_kg, weight=Quantity(weight_kg, "kg"), protocol=protocol.id,
                         over=MAX_OVER * 100)


def check_bag(dose_g: Decimal | None, volume_ml: Decimal, weight_kg: Decimal, protocol: Protocol,
              product: CatalogueProduct) -> None:
    """Refuses a bag no plan of the protocol could hold (``--dose "70 kg"`` read as 70000 g): a
    typo, whose pump program would run for days."""
    most_g, why = largest_bag(protocol, weight_kg)
    if dose_g is not None and dose_g > most_g:
        raise InputError(message(N_("--dose {dose} is more than one bag holds: at most {most}, {why}; accepted: above "
                                    "0 g up to {most}"), dose=Quantity(dose_g, "g"), most=Quantity(most_g, "g"),
                                 why=why))
    most_ml = product.volume_ml(most_g)
    if volume_ml > most_ml:
        raise InputError(message(N_("--volume {volume} is more than one bag holds: at most {most} ({grams} at "
                                    "{concentration} mg/mL), {why}; accepted: above 0 mL up to {most}"),
                                 volume=Quantity(volume_ml, "mL"), most=Quantity(most_ml, "mL"),
                                 grams=Quantity(most_g, "g"), concentration=product.concentration_mg_per_ml, why=why))


def dispense_plan(plan: Plan, product: CatalogueProduct, limit: RateLimit = NO_LIMIT,
                  max_rate: str | None = None, chosen: bool = False, at_risk: AtRiskCap | None = None) -> Plan:
    """The plan with vials and a pump program on every segment, and the reasons and warnings they bring.

    ``at_risk`` says the patient is at risk and why ``limit`` holds the label's at-risk limit."""
    # a course repeats its bags (equal days, the same day in every course): each is worked out once
    bags: dict[tuple[str, Decimal, Decimal, Decimal], Segment] = {}

    def with_dispense(segment: Segment, weight_kg: Decimal) -> Segment:
        key = (segment.setting, segment.dose_g, segment.volume_ml, weight_kg)
        if key not in bags:
            dispense = dispense_segment(segment, weight_kg, product, limit)
            bags[key] = Segment(segment.setting, segment.dose_g, segment.volume_ml, dispense)
        return bags[key]

    def dispensed_course(course: Course) -> Course:
        weight_kg = dosing_weight(course)
        days = tuple(InfusionDay(day.day, day.date, tuple(with_dispense(s, weight_kg) for s in day.segments))
                     for day in course.days)
        return replace(course, days=days)

    courses = tuple(dispensed_course(course) for course in plan.courses)
    check = ProductCheck(id=product.id, name=product.name, verified=product.verified, source=product.source,
                         max_rate=max_rate, catalogue=product.catalogue, chosen=chosen,
                         indication=product.indication, at_risk=at_risk, content=content_fingerprint(product))
    warnings = [*plan.warnings, *unverified_warning(product, VIALS_AND_PUMPS)]
    new_product = plan.product
    if plan.arm == IVIG:
        new_product = PlanProduct(product.name, product.concentration_mg_per_ml)
    return replace(
        plan,
        courses=courses,
        dispensed_with=check,
        product=new_product,
        reasons=(*_product_named(plan.reasons, plan.product, new_product),
                 *_reasons(plan, courses, product, limit, at_risk)),
        warnings=tuple(warnings),
    )


def _product_named(reasons: tuple[Reason, ...], protocol: PlanProduct, given: PlanProduct) -> tuple[Reason, ...]:
    """R5 names the product the bags hold: an order for Octagam must not say its volumes are
    Nanogam's. The volumes are the same (the concentration is), so only the name changes."""
    if given == protocol or protocol.concentration_mg_per_ml is None:
        return reasons
    said = volume_reason(protocol.name, protocol.concentration_mg_per_ml)
    named = volume_reason(given.name, protocol.concentration_mg_per_ml)
    return tuple(replace(reason, text=named) if reason.text == said else reason for reason in reasons)


#: the warning of every output that depends on an unverified catalogue entry (see UNVERIFIED_PROTOCOL).
UNVERIFIED_PRODUCT = N_("product catalogue entry {id!r}: {what} are {unverified}; check them against the label "
                        "before use")


def unverified_warning(product: CatalogueProduct, what: Message) -> list[str]:
    """The warning every output that depends on an unverified catalogue entry carries."""
    if product.verified:
        return []
    return [message(UNVERIFIED_PRODUCT, id=product.id, what=what, unverified=UNVERIFIED)]


def blinded_warning(warning: str) -> str:
    """A plan's warning as blinded output says it: of an unverified entry only the pump rate
    steps, which that output shows (it shows no vials); any other warning as it is."""
    if isinstance(warning, Message) and warning.template == UNVERIFIED_PRODUCT and \
            warning.params.get("what") == VIALS_AND_PUMPS:
        return message(UNVERIFIED_PRODUCT, **{**warning.params, "what": PUMP_STEPS})
    return warning


def _reasons(plan: Plan, courses: tuple[Course, ...], product: CatalogueProduct, limit: RateLimit,
             at_risk: AtRiskCap | None = None) -> list[Reason]:
    """Why the vials and pumps are what they are: ``plan`` as the protocol made it, ``courses`` dispensed."""
    protocol_product = plan.product.name
    reasons = []
    if plan.arm == IVIG and product.name != protocol_product:
        # the product given is the one named: an order for one product names no other
        text = message(N_("{product} ({id}) in place of the protocol's own product, at the same {concentration} "
                          "mg/mL, so the volumes are unchanged"), product=product.name, id=product.id,
                       concentration=product.concentration_mg_per_ml)
        reasons.append(Reason("product", text, ""))
    label = VERIFIED if product.verified else UNVERIFIED
    reasons.append(Reason(
        "product",
        message(N_("vials and pump rates from catalogue entry {id!r}, {verified}; source: {source}"), id=product.id,
                verified=label, source=product.source),
        message(N_("pump rates from the study product's catalogue entry, {verified}"), verified=label),
    ))
    if product.indication is not None:
        text = message(N_("pump rate table for {indication}: {source}"), indication=product.indication,
                       source=product.source_of("rate_steps"))
        reasons.append(Reason("pump", text, text))
    pump = message(N_("every bag starts the ramp again: {rates} mL/kg/h × the course's dosing weight, rounded down to "
                      "{step}, {minutes} min a step, the last until the bag is empty; total time rounded up to the "
                      "minute"), rates=Joined(product.rate_steps, ", "), step=Quantity(RATE_STEP, "mL/h"),
                   minutes=product.step_minutes)
    reasons.append(Reason("pump", pump, pump))
    capped = sum(1 for c in courses for d in c.days for s in d.segments
                 if s.dispense is not None and s.dispense.pump.capped)
    if at_risk is not None:
        reasons += _at_risk_reasons(at_risk, capped)
    elif limit != NO_LIMIT:
        text = message(N_("--max-rate {limit}: {held}"), limit=limit.describe(), held=_held(capped))
        reasons.append(Reason("pump", text, text))
    if plan.arm == PLACEBO:
        reasons.append(Reason("vials", message(N_("placebo arm: no IVIg vials; each bag is {placebo} of the volume "
                                                  "shown, run with the IVIg pump program"), placebo=plan.product.name),
                              ""))
    else:
        waste = sum((s.dispense.waste_g for c in courses for d in c.days for s in d.segments
                     if s.dispense is not None), Decimal(0))
        reasons.append(Reason("vials", message(N_("least waste, then fewest vials, for each bag; {waste} opened but "
                                                  "not given over the protocol"), waste=Quantity(waste, "g")), ""))
    return reasons


def _held(capped: int) -> Message:
    """How many bags a pump cap slows."""
    if capped:
        return message(N_("{n} bag(s) run slower than the product's rate table"), n=capped)
    return message(N_("no bag reaches it"))


def _at_risk_reasons(at_risk: AtRiskCap, capped: int) -> list[Reason]:
    """Why an at-risk patient's pump is capped, and what the label asks besides the rate."""
    who = message(N_("patient at risk of {risks}"), risks=risk_text(at_risk.risks))
    cap = message(N_("{who}: pump capped at {limit}, {held}; why: {source}"), who=who, limit=at_risk.limit,
                  held=_held(capped), source=at_risk.source)
    care = message(N_("{who}: the labels ask for the minimum dose practicable and adequate hydration before the "
                      "infusion; the dose here is the protocol's, for the prescriber to confirm"), who=who)
    return [Reason("pump", cap, cap), Reason("pump", care, care)]


@frozen
class BagProgram:
    """A bag's pump program with everything that shaped it."""

    product: CatalogueProduct
    weight_kg: Decimal
    #: IgG in the bag; None when only the volume was given.
    dose_g: Decimal | None
    volume_ml: Decimal
    #: --max-rate as typed, or None.
    max_rate: str | None
    warnings: tuple[str, ...]
    program: PumpProgram
    #: the at-risk limit the program was held to, and why; None when the patient is not at risk.
    at_risk: AtRiskCap | None = None
    #: the weight as typed in another unit than kg (``183.9 lb``), for display only.
    weight_as_typed: str | None = None
