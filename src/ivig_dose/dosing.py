"""The dosing core: rules R1-R9 of the spec, from plain values to a frozen :class:`Plan`.

Amounts are counted in whole *steps* of the protocol's dose step (0.1 g for TIMEISMUSCLE),
so every sum is integer arithmetic and a plan can never drift by a rounding error. No I/O,
no printing, no units library: the shells parse and render, this module only decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal

from ivig_dose.errors import InputError
from ivig_dose.formatting import amount, grams, kilograms, millilitres
from ivig_dose.model import (
    ARMS,
    HOME,
    HOSPITAL,
    PLACEBO,
    Course,
    InfusionDay,
    Plan,
    PlanRequest,
    Product,
    Reason,
    Segment,
)
from ivig_dose.protocol import CourseSpec, Protocol


@dataclass(frozen=True)
class CourseDose:
    """A course's dose in whole steps, and how it came about (for the "why" block)."""

    steps: int
    uncapped_steps: int
    exact_g: Decimal

    @property
    def capped(self) -> bool:
        return self.uncapped_steps > self.steps


def to_steps(grams_: Decimal, protocol: Protocol) -> int:
    """Whole dose steps in an amount that the protocol guarantees is a multiple of the step."""
    return int(grams_ / protocol.dose_step)


def to_grams(steps: int, protocol: Protocol) -> Decimal:
    return steps * protocol.dose_step


def course_dose(weight_kg: Decimal, protocol: Protocol) -> CourseDose:
    """R2: dose per kg times weight, capped, rounded down to a whole step (never above the order)."""
    exact = weight_kg * protocol.dose_per_kg
    uncapped = int((exact / protocol.dose_step).to_integral_value(rounding=ROUND_FLOOR))
    return CourseDose(
        steps=min(uncapped, to_steps(protocol.course_cap, protocol)),
        uncapped_steps=uncapped,
        exact_g=exact,
    )


def smallest_days(course_steps: int, protocol: Protocol) -> int:
    """R3 default: the fewest days (at least the minimum) that keep each day within the cap."""
    daily = to_steps(protocol.daily_cap, protocol)
    return max(protocol.min_days, -(-course_steps // daily))


def check_days(days: int, course_steps: int, protocol: Protocol) -> None:
    """R3: a requested day count must be in range and keep every day within the daily cap."""
    smallest = smallest_days(course_steps, protocol)
    low, high = protocol.min_days, protocol.max_days
    if not low <= days <= high:
        raise InputError(
            f"--days {days} is outside the protocol's range; accepted: {low} to {high} "
            f"(the smallest that works for this weight is {smallest})"
        )
    largest_day = to_grams(-(-course_steps // days), protocol)
    if days < smallest:
        raise InputError(
            f"--days {days} would give {grams(largest_day)}/day, over the "
            f"{grams(protocol.daily_cap)}/day cap (R3); the smallest number of days that works "
            f"is {smallest}"
        )


def split_days(course_steps: int, days: int) -> list[int]:
    """R4: parts that differ by at most one step, the larger parts first; they sum exactly."""
    base, extra = divmod(course_steps, days)
    return [base + 1 if i < extra else base for i in range(days)]


def split_settings(daily_steps: list[int], hospital_steps: int) -> list[list[tuple[str, int]]]:
    """R6: the first ``hospital_steps`` of the course (in order of giving) in hospital, the rest home.

    Each day becomes its hospital part then its home part; a part of zero is left out.
    """
    remaining = hospital_steps
    split = []
    for steps in daily_steps:
        in_hospital = min(steps, remaining)
        remaining -= in_hospital
        parts = [(HOSPITAL, in_hospital), (HOME, steps - in_hospital)]
        split.append([(setting, n) for setting, n in parts if n > 0])
    return split


def check_weight(weight_kg: Decimal, protocol: Protocol, label: str = "weight") -> None:
    """R1: refuse weights no adult has; the bounds are protocol data."""
    low, high = protocol.value("min_weight"), protocol.value("max_weight")
    if not weight_kg.is_finite() or not low <= weight_kg <= high:
        raise InputError(
            f"{label} {kilograms(weight_kg)} is outside the plausible adult range; "
            f"accepted: {amount(low)} to {amount(high)} kg"
        )


def weight_warnings(weight_kg: Decimal, protocol: Protocol, label: str = "weight") -> list[str]:
    """R1: possible but unusual weights are planned, with a warning to check them."""
    below, above = protocol.value("warn_below_weight"), protocol.value("warn_above_weight")
    if weight_kg < below:
        return [f"{label} {kilograms(weight_kg)} is below {amount(below)} kg: unusual for an adult; check it"]
    if weight_kg > above:
        return [f"{label} {kilograms(weight_kg)} is above {amount(above)} kg: unusual; check it"]
    return []


def course_weights(request: PlanRequest, protocol: Protocol) -> dict[str, Decimal]:
    """R9: each course's dosing weight, by protocol course name; the baseline weight by default."""
    measured: dict[str, Decimal] = {}
    first = protocol.courses[0].name
    for name, weight in request.course_weights:
        course = protocol.course_named(name)
        if course.name == first:
            raise InputError(f"course weight for {course.name!r}: give the {first} weight with --weight")
        if course.name in measured:
            raise InputError(f"course weight for {course.name!r} is given twice; give it once")
        check_weight(weight, protocol, label=f"{course.name} weight")
        measured[course.name] = weight
    return measured


def build_course(
    spec: CourseSpec,
    weight_kg: Decimal,
    weight_measured: bool,
    request: PlanRequest,
    protocol: Protocol,
) -> tuple[Course, CourseDose]:
    dose = course_dose(weight_kg, protocol)
    days = request.days if request.days is not None else smallest_days(dose.steps, protocol)
    check_days(days, dose.steps, protocol)
    hospital_steps = to_steps(protocol.hospital_portion, protocol) if spec.hospital else 0
    ml_per_g = protocol.product.ml_per_g
    start = request.start + timedelta(days=spec.offset_days)
    infusion_days = []
    for index, parts in enumerate(split_settings(split_days(dose.steps, days), hospital_steps)):
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
    )
    return course, dose


def build_plan(request: PlanRequest, protocol: Protocol) -> Plan:
    """The whole protocol for one patient: R1-R9 applied, reasons and warnings attached."""
    if request.arm not in ARMS:
        raise InputError(f"unknown arm {request.arm!r}; accepted: {', '.join(ARMS)}")
    check_weight(request.weight_kg, protocol)
    measured = course_weights(request, protocol)
    warnings = weight_warnings(request.weight_kg, protocol)
    for name, weight in measured.items():
        warnings += weight_warnings(weight, protocol, label=f"{name} weight")
    built = [
        build_course(spec, measured.get(spec.name, request.weight_kg), spec.name in measured,
                     request, protocol)
        for spec in protocol.courses
    ]
    courses = tuple(course for course, _ in built)
    reasons = explain(request, protocol, built)
    plan = Plan(
        protocol_id=protocol.id,
        protocol_name=protocol.name,
        arm=request.arm,
        product=Product(protocol.product.name, protocol.product.concentration_mg_per_ml),
        weight_kg=request.weight_kg,
        courses=courses,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
    )
    return as_placebo(plan, protocol) if request.arm == PLACEBO else plan


def as_placebo(plan: Plan, protocol: Protocol) -> Plan:
    """R8: the same bags, days and settings as the IVIg plan, holding NaCl 0.9 % and 0 g IgG."""
    zero = Decimal(0)

    def day_without_igg(day: InfusionDay) -> InfusionDay:
        return replace(day, segments=tuple(replace(s, dose_g=zero) for s in day.segments))

    courses = tuple(
        replace(c, days=tuple(day_without_igg(d) for d in c.days)) for c in plan.courses
    )
    reason = Reason(
        rule=protocol.placebo.rule,
        text=(f"placebo arm: {protocol.placebo.name} in the volumes, days and settings that the IVIg plan "
              "below gives for this weight; IgG dose 0 g"),
        blinded_text="",
    )
    return replace(
        plan,
        product=Product(protocol.placebo.name, None),
        courses=courses,
        reasons=(reason, *plan.reasons),
    )


def explain(
    request: PlanRequest, protocol: Protocol, built: list[tuple[Course, CourseDose]]
) -> list[Reason]:
    """The "why" block: every rule and cap that shaped the numbers, once each."""
    reasons: list[Reason] = []
    same_weight = len({course.weight_kg for course, _ in built}) == 1
    for course, dose in built[:1] if same_weight else built:
        reasons += _course_reasons(None if same_weight else course.name, course, dose, request, protocol)
    product = protocol.product
    reasons.append(Reason(
        product.rule,
        f"volume = dose × {amount(product.ml_per_g)} mL/g ({product.name} "
        f"{amount(product.concentration_mg_per_ml)} mg/mL)",
        "volumes are the same in both arms",
    ))
    reasons += _setting_reasons([course for course, _ in built], protocol)
    first = built[0][0]
    weeks = ", ".join(str(course.week) for course, _ in built)
    dates = (f"courses at weeks {weeks} counted from {first.start.isoformat()}; "
             "infusion days are consecutive")
    reasons.append(Reason("R7", dates, dates))
    reused = [course.name for course, _ in built[1:] if not course.weight_measured]
    if reused:
        text = f"{' and '.join(reused)} dosed on the baseline weight, {kilograms(first.weight_kg)}"
        reasons.append(Reason("R9", text, text))
    for course, _ in built[1:]:
        if course.weight_measured:
            text = f"{course.name} dosed on {kilograms(course.weight_kg)}, measured for that course"
            reasons.append(Reason("R9", text, text, course.name))
    return reasons


def _course_reasons(
    name: str | None, course: Course, dose: CourseDose, request: PlanRequest, protocol: Protocol
) -> list[Reason]:
    """R2-R4 for one course (``name`` None: the same for every course)."""
    who = name or "each course"
    per_kg = f"{amount(protocol.dose_per_kg)} g/kg × {kilograms(course.weight_kg)}"
    given = to_grams(dose.steps, protocol)
    if dose.capped:
        text = f"{per_kg} = {grams(dose.exact_g)}, capped at the {grams(protocol.course_cap)} course maximum"
        blinded = "capped at the protocol's course maximum"
    elif given != dose.exact_g:
        text = f"{per_kg} = {grams(dose.exact_g)}, rounded down to {grams(given)}"
        blinded = f"{per_kg}, rounded down"
    else:
        text = f"{per_kg} = {grams(given)}"
        blinded = per_kg
    n = len(course.days)
    cap = f"{grams(protocol.daily_cap)}/day"
    if request.days is not None:
        days_text, days_blind = f"{n} days, as requested; each day within {cap}", f"{n} days, as requested"
    elif n > protocol.min_days:
        days_text = f"{n} days needed to stay within {cap}"
        days_blind = f"{n} days needed to stay within the daily maximum"
    else:
        days_text = f"{n} days, the fewest the protocol allows; each day within {cap}"
        days_blind = f"{n} days, the fewest the protocol allows"
    reasons = [
        Reason(protocol.params["course_cap"].rule, f"{who}: {text}", f"{who}: {blinded}", name),
        Reason(protocol.params["daily_cap"].rule, f"{who}: {days_text}", f"{who}: {days_blind}", name),
    ]
    doses = [d.dose_g for d in course.days]
    if len(set(doses)) > 1:
        parts = " + ".join(amount(d) for d in doses)
        reasons.append(Reason(
            "R4",
            f"{who}: split as equally as {grams(protocol.dose_step)} steps allow, larger days first: "
            f"{parts} g",
            f"{who}: split as equally as possible, larger days first",
            name,
        ))
    return reasons


def _setting_reasons(courses: list[Course], protocol: Protocol) -> list[Reason]:
    """R6: where each course is given, with the hospital days named."""
    rule = protocol.params["hospital_portion"].rule
    reasons = []
    at_home = []
    for course in courses:
        hospital = [(d.day, s) for d in course.days for s in d.segments if s.setting == HOSPITAL]
        if not hospital:
            at_home.append(course.name)
            continue
        first_day, last_day = hospital[0][0], hospital[-1][0]
        span = f"day {first_day}" if first_day == last_day else f"days {first_day}–{last_day}"
        dose = sum((s.dose_g for _, s in hospital), Decimal(0))
        volume = sum((s.volume_ml for _, s in hospital), Decimal(0))
        reasons.append(Reason(
            rule,
            f"the first {grams(dose)} of the {course.name} course in hospital "
            f"({span}), the rest at home",
            f"the first {millilitres(volume)} of the {course.name} course in hospital ({span}), "
            "the rest at home",
            course.name,
        ))
    if at_home:
        text = f"{' and '.join(at_home)} given entirely at home"
        reasons.append(Reason(rule, text, text))
    return reasons
