"""The dosing core: rules R1-R9 of the spec, from plain values to a frozen :class:`Plan`.

Amounts are counted in whole *steps* of the protocol's dose step (0.1 g for TIMEISMUSCLE),
so every sum is integer arithmetic and a plan can never drift by a rounding error. No I/O,
no printing, no units library: the shells parse and render, this module only decides.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING

from ivig_dose.core.course_dose import CourseDose, to_grams, to_steps
from ivig_dose.core.digest import content_fingerprint
from ivig_dose.core.dosing_weight import MALE, SEXES, Body, DosingWeight, dosing_weight
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Quantity, message
from ivig_dose.core.model import (
    ARMS,
    HOME,
    HOSPITAL,
    PLACEBO,
    Course,
    InfusionDay,
    Plan,
    PlanProduct,
    PlanRequest,
    Reason,
    Segment,
)
from ivig_dose.core.protocol import CourseSpec, Protocol
from ivig_dose.core.reasons import explain
from ivig_dose.core.weight_shown import WEIGHT, course_weight_label, weight_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from ivig_dose.core.rounding import Rounding


def capped_dose(weight_kg: Decimal, cap: Decimal | None, protocol: Protocol) -> CourseDose:
    """Dose per kg times weight, rounded down to a whole step and capped (never above the order).

    Computed rounding towards floor throughout, so a dosing weight with many digits (an ideal
    weight from a height in cm) cannot be rounded up across a step.
    """
    with localcontext() as ctx:
        ctx.rounding = ROUND_FLOOR
        exact = weight_kg * protocol.dose_per_kg
        uncapped = int((exact / protocol.dose_step).to_integral_value(rounding=ROUND_FLOOR))
    limit = uncapped if cap is None else min(uncapped, to_steps(cap, protocol))
    return CourseDose(steps=limit, uncapped_steps=uncapped, exact_g=exact)


def course_dose(weight_kg: Decimal, protocol: Protocol) -> CourseDose:
    """R2 for a per-course protocol: the course dose from the dosing weight, capped."""
    return capped_dose(weight_kg, protocol.course_cap, protocol)


def per_day_course(weight_kg: Decimal, days: int, protocol: Protocol) -> CourseDose:
    """R2 for a per-day protocol (g/kg/day): each day rounded down and capped, the course their sum, capped."""
    daily = capped_dose(weight_kg, protocol.daily_cap, protocol)
    total = daily.steps * days
    cap = protocol.course_cap
    steps = total if cap is None else min(total, to_steps(cap, protocol))
    return CourseDose(steps=steps, uncapped_steps=total, exact_g=daily.exact_g * days, daily=daily)


def smallest_days(course_steps: int, protocol: Protocol) -> int:
    """R3 default: the fewest days (at least the minimum) that keep each day within the cap."""
    cap = protocol.daily_cap
    if cap is None or protocol.dose_per_day:
        return protocol.min_days
    return max(protocol.min_days, -(-course_steps // to_steps(cap, protocol)))


def check_days(days: int, course_steps: int, protocol: Protocol, label: Callable[[], str] | None = None) -> None:
    """R3: a day count must be in range and keep every day within the daily cap. ``label`` names the
    count in a refusal (made only then: a plan checks a count for every course)."""
    def what() -> str:
        return label() if label is not None else f"--days {days}"

    smallest = smallest_days(course_steps, protocol)
    low, high = protocol.min_days, protocol.max_days
    daily_cap = Quantity(protocol.daily_cap or 0, "g")
    if smallest > high:
        raise InputError(message(
            N_("a course of {dose} would need {days} days to stay within {cap}/day, more than the protocol's "
               "{high}; accepted: a weight this protocol can plan, or another protocol"),
            dose=Quantity(to_grams(course_steps, protocol), "g"), days=smallest, cap=daily_cap, high=high))
    if not low <= days <= high:
        raise InputError(message(
            N_("{what} is outside the protocol's range; accepted: {low} to {high} (the smallest that works for "
               "this weight is {smallest})"), what=what(), low=low, high=high, smallest=smallest))
    largest_day = to_grams(-(-course_steps // days), protocol)
    if days < smallest:
        raise InputError(message(
            N_("{what} would give {dose}/day, over the {cap}/day cap (R3); the smallest number of days that "
               "works is {smallest}"), what=what(), dose=Quantity(largest_day, "g"), cap=daily_cap,
            smallest=smallest))


def choose_days(requested: int | None, course_steps: int, protocol: Protocol) -> int:
    """R3: the requested days, else the protocol's fixed default, else the fewest within the cap."""
    if requested is not None:
        check_days(requested, course_steps, protocol)
        return requested
    fixed = protocol.default_days
    if fixed is None:
        days = smallest_days(course_steps, protocol)
        check_days(days, course_steps, protocol)  # refuses only a smallest count over the maximum, with its own words
        return days
    check_days(fixed, course_steps, protocol,
               label=lambda: message(N_("the protocol's default of {n} days"), n=fixed))
    return fixed


def split_days(course_steps: int, days: int) -> list[int]:
    """R4: parts that differ by at most one step, the larger parts first; they sum exactly."""
    base, extra = divmod(course_steps, days)
    return [base + 1 if i < extra else base for i in range(days)]


def split_settings(
    daily_steps: list[int], hospital_steps: int, rest: str = HOME
) -> list[list[tuple[str, int]]]:
    """R6: the first ``hospital_steps`` of the course (in order of giving) in hospital, the rest in ``rest``.

    Each day becomes its hospital part then its other part; a part of zero is left out, and
    two parts in the same setting are one.
    """
    remaining = hospital_steps
    split = []
    for steps in daily_steps:
        in_hospital = min(steps, remaining)
        remaining -= in_hospital
        parts = [(HOSPITAL, in_hospital), (rest, steps - in_hospital)]
        if rest == HOSPITAL:
            parts = [(HOSPITAL, steps)]
        split.append([(setting, n) for setting, n in parts if n > 0])
    return split


def round_daily(daily_steps: list[int], rounding: Rounding | None, protocol: Protocol) -> list[int]:
    """``--round``: each day to the nearest dispensable amount, within the daily cap, the course
    cap and the rules' dose + 10 %; segments (R6) and volumes (R5) follow from the rounded days."""
    if rounding is None:
        return daily_steps
    from ivig_dose.core.rounding import DayLimits, round_days  # only with --round: off a plain plan's start-up

    step = protocol.dose_step
    for size in rounding.sizes_g:
        if size <= 0 or size % step:
            raise InputError(message(N_("--round: {size} is not a whole number of {step} steps; accepted: amounts "
                                        "such as 5 g"), size=Quantity(size, "g"), step=Quantity(step, "g")))
    limits = DayLimits(_cap_steps(protocol.daily_cap, protocol), _cap_steps(protocol.course_cap, protocol))
    sizes = tuple(to_steps(size, protocol) for size in rounding.sizes_g)
    return round_days(daily_steps, sizes, limits, rounding.label)


def _cap_steps(cap: Decimal | None, protocol: Protocol) -> int:
    """A cap in steps; a protocol without that cap limits nothing."""
    from ivig_dose.core.rounding import NO_CAP

    return NO_CAP if cap is None else to_steps(cap, protocol)


def check_weight(weight_kg: Decimal, protocol: Protocol, label: str = WEIGHT, typed: str | None = None) -> None:
    """R1: refuse weights no adult has; the bounds are protocol data. ``typed``: the weight as
    typed in another unit, so the message names what the person typed."""
    low, high = protocol.value("min_weight"), protocol.value("max_weight")
    if not weight_kg.is_finite() or not low <= weight_kg <= high:
        # a weight that is no number (NaN, Infinity) has no digits to write: its own spelling
        shown = weight_text(weight_kg, typed) if weight_kg.is_finite() else f"{weight_kg} kg"
        raise InputError(message(
            N_("{label} {weight} is outside the plausible adult range; accepted: {low} to {high} kg"),
            label=label, weight=shown, low=low, high=high))


def weight_warnings(weight_kg: Decimal, protocol: Protocol, label: str = WEIGHT,
                    typed: str | None = None) -> list[str]:
    """R1: possible but unusual weights are planned, with a warning to check them."""
    below, above = protocol.value("warn_below_weight"), protocol.value("warn_above_weight")
    if weight_kg < below:
        return [message(N_("{label} {weight} is below {limit} kg: unusual for an adult; check it"),
                        label=label, weight=weight_text(weight_kg, typed), limit=below)]
    if weight_kg > above:
        return [message(N_("{label} {weight} is above {limit} kg: unusual; check it"),
                        label=label, weight=weight_text(weight_kg, typed), limit=above)]
    return []


def course_weights(request: PlanRequest, protocol: Protocol) -> dict[str, tuple[Decimal, str | None]]:
    """R9: the weights measured for later courses, by protocol course name, each in kg and as
    typed in another unit (None: typed in kg)."""
    measured: dict[str, tuple[Decimal, str | None]] = {}
    typed = dict(request.course_weights_as_typed)
    first = protocol.courses[0].name
    for name, weight in request.course_weights:
        course = protocol.course_named(name)
        if course.name == first:
            raise InputError(message(N_("course weight for {course!r}: give the {first} weight with --weight"),
                                     course=course.name, first=first))
        if course.name in measured:
            raise InputError(message(N_("course weight for {course!r} is given twice; give it once"),
                                     course=course.name))
        check_weight(weight, protocol, label=course_weight_label(course.name), typed=typed.get(name))
        measured[course.name] = (weight, typed.get(name))
    return measured


def check_body(request: PlanRequest, protocol: Protocol) -> Body:
    """The height, sex and pregnancy as the dosing weight needs them, checked (R1)."""
    if request.sex is not None and request.sex not in SEXES:
        raise InputError(message(N_("sex {sex!r} is not known; accepted: {known}"),
                                 sex=request.sex, known=", ".join(SEXES)))
    if request.pregnant and request.sex == MALE:
        raise InputError(message(N_("--pregnant contradicts --sex male; accepted: --sex female, or no --pregnant")))
    height = request.height_cm
    if height is not None:
        rules = protocol.weight_rules
        low, high = rules.value("min_height"), rules.value("max_height")
        if not low <= height <= high:
            raise InputError(message(
                N_("height {height} is outside the plausible adult range; accepted: {low} to {high} cm"),
                height=Quantity(height, "cm", places=2), low=low, high=high))
    return Body(height_cm=height, sex=request.sex, pregnant=request.pregnant, age_years=request.age_years)


def build_course(
    spec: CourseSpec,
    weight_kg: Decimal,
    weight_as_typed: str | None,
    weight_measured: bool,
    dosing: DosingWeight,
    request: PlanRequest,
    protocol: Protocol,
) -> tuple[Course, CourseDose]:
    if protocol.dose_per_day:
        days = choose_days(request.days, 0, protocol)
        dose = per_day_course(dosing.kg, days, protocol)
    else:
        dose = course_dose(dosing.kg, protocol)
        days = choose_days(request.days, dose.steps, protocol)
    portion = protocol.hospital_portion
    hospital_steps = to_steps(portion, protocol) if spec.hospital and portion is not None else 0
    ml_per_g = protocol.product.ml_per_g
    start = request.start + timedelta(days=spec.offset_days)
    rules_days = split_days(dose.steps, days)
    given_days = round_daily(rules_days, request.rounding, protocol)
    dose = replace(dose, rules_days=tuple(rules_days), given_days=tuple(given_days),
                   rounding=request.rounding.label if request.rounding else None)
    infusion_days = []
    split = split_settings(given_days, hospital_steps, protocol.rest_setting)
    for index, parts in enumerate(split):
        segments = []
        for setting, steps in parts:
            dose_g = to_grams(steps, protocol)
            segments.append(Segment(setting=setting, dose_g=dose_g, volume_ml=dose_g * ml_per_g))
        infusion_days.append(
            InfusionDay(day=index + 1, date=start + timedelta(days=index), segments=tuple(segments))
        )
    course = Course(
        name=spec.name,
        week=spec.week,
        start=start,
        weight_kg=weight_kg,
        weight_measured=weight_measured,
        days=tuple(infusion_days),
        dosing_weight_kg=dosing.kg,
        dosing_weight_basis=dosing.basis,
        weight_as_typed=weight_as_typed,
    )
    return course, dose


def build_plan(request: PlanRequest, protocol: Protocol) -> Plan:
    """The whole protocol for one patient: R1-R9 applied, reasons and warnings attached."""
    check_arm(request, protocol)
    return for_arm(ivig_plan(request, protocol), request, protocol)


def check_arm(request: PlanRequest, protocol: Protocol) -> None:
    if request.arm not in ARMS:
        raise InputError(message(N_("unknown arm {arm!r}; accepted: {known}"), arm=request.arm, known=", ".join(ARMS)))
    if request.arm == PLACEBO and protocol.placebo is None:
        raise InputError(message(N_("--arm placebo: protocol {protocol!r} has no placebo arm; accepted: ivig"),
                                 protocol=protocol.id))


def for_arm(plan: Plan, request: PlanRequest, protocol: Protocol) -> Plan:
    """The plan of ``request``'s arm from the IVIg plan of the same inputs (R8): the arm is the
    only input the IVIg plan does not read."""
    return as_placebo(plan, protocol) if request.arm == PLACEBO else plan


#: the warning of every plan of an unverified protocol; a patient list says it once, knowing it by
#: this template (a translation or a reworded English cannot hide it).
UNVERIFIED_PROTOCOL = N_("protocol {protocol!r} is not verified against a label: check every value against its "
                         "source ('ivig-dose protocol show {id}') before use")


def ivig_plan(request: PlanRequest, protocol: Protocol) -> Plan:
    """R1-R7 and R9 for the request's inputs: the IVIg arm's numbers, labelled with the request's
    arm (checked by :func:`check_arm`; :func:`for_arm` turns them into the placebo's)."""
    check_weight(request.weight_kg, protocol, typed=request.weight_as_typed)
    body = check_body(request, protocol)
    measured = course_weights(request, protocol)
    warnings = weight_warnings(request.weight_kg, protocol, typed=request.weight_as_typed)
    for name, (weight, typed) in measured.items():
        warnings += weight_warnings(weight, protocol, label=course_weight_label(name), typed=typed)
    if not protocol.verified:
        warnings.append(message(UNVERIFIED_PROTOCOL, protocol=protocol.id, id=protocol.id))
    policy = protocol.weight_policy
    built = []
    for spec in protocol.courses:
        actual, typed = measured.get(spec.name, (request.weight_kg, request.weight_as_typed))
        dosing = dosing_weight(actual, body, policy, request.dosing_weight, weight_text(actual, typed))
        course = build_course(spec, actual, typed, spec.name in measured, dosing, request, protocol)
        built.append((*course, dosing))
    courses = tuple(course for course, _, _ in built)
    reasons = explain(request, protocol, built)
    return Plan(
        protocol_id=protocol.id,
        protocol_name=protocol.name,
        arm=request.arm,
        product=PlanProduct(protocol.product.name, protocol.product.concentration_mg_per_ml),
        weight_kg=request.weight_kg,
        courses=courses,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        request=request,
        protocol_version=protocol.version,
        protocol_content=content_fingerprint(protocol),
    )


def as_placebo(plan: Plan, protocol: Protocol) -> Plan:
    """R8: the same bags, days and settings as the IVIg plan, holding NaCl 0.9 % and 0 g IgG.
    Made before dispensing: a bag has no vials or pump program yet."""
    placebo = protocol.placebo
    assert placebo is not None, "build_plan refuses the placebo arm of a protocol without one"
    zero = Decimal(0)

    def day_without_igg(day: InfusionDay) -> InfusionDay:
        bags = tuple(Segment(s.setting, zero, s.volume_ml) for s in day.segments)
        return InfusionDay(day.day, day.date, bags)

    courses = tuple(
        replace(c, days=tuple(day_without_igg(d) for d in c.days)) for c in plan.courses
    )
    reason = Reason(
        rule=placebo.rule,
        text=message(N_("placebo arm: {placebo} in the volumes, days and settings that the IVIg plan below gives "
                        "for this weight; IgG dose 0 g"), placebo=placebo.name),
        blinded_text="",
    )
    return replace(
        plan,
        product=PlanProduct(placebo.name, None),
        courses=courses,
        reasons=(reason, *plan.reasons),
    )
