"""The dosing core: rules R1-R9 of the spec, from plain values to a frozen :class:`Plan`.

Amounts are counted in whole *steps* of the protocol's dose step (0.1 g for TIMEISMUSCLE),
so every sum is integer arithmetic and a plan can never drift by a rounding error. No I/O,
no printing, no units library: the shells parse and render, this module only decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING

from ivig_dose.core.amounts import amount, approximate, grams, kilograms, millilitres
from ivig_dose.core.dosing_weight import MALE, SEXES, Body, DosingWeight, dosing_weight
from ivig_dose.core.errors import InputError
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

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding


@dataclass(frozen=True)
class CourseDose:
    """A course's dose in whole steps, and how it came about (for the "why" block)."""

    steps: int
    uncapped_steps: int
    exact_g: Decimal
    #: per-day protocols: each day's dose from the weight (exact, and in steps after the daily cap).
    daily: CourseDose | None = None
    #: the days as the rules split them (R4), before any ``--round``.
    rules_days: tuple[int, ...] = ()
    #: the days as given, after ``--round``; equal to ``rules_days`` without it.
    given_days: tuple[int, ...] = ()
    #: how the days were rounded ("whole vials", "multiples of 5 g"), or None.
    rounding: str | None = None

    @property
    def capped(self) -> bool:
        return self.uncapped_steps > self.steps


def to_steps(grams_: Decimal, protocol: Protocol) -> int:
    """Whole dose steps in an amount that the protocol guarantees is a multiple of the step."""
    return int(grams_ / protocol.dose_step)


def to_grams(steps: int, protocol: Protocol) -> Decimal:
    return steps * protocol.dose_step


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


def check_days(days: int, course_steps: int, protocol: Protocol, label: str | None = None) -> None:
    """R3: a day count must be in range and keep every day within the daily cap."""
    what = label or f"--days {days}"
    smallest = smallest_days(course_steps, protocol)
    low, high = protocol.min_days, protocol.max_days
    if smallest > high:
        raise InputError(
            f"a course of {grams(to_grams(course_steps, protocol))} would need {smallest} days to stay within "
            f"{grams(protocol.daily_cap or 0)}/day, more than the protocol's {high}; accepted: a weight this "
            "protocol can plan, or another protocol"
        )
    if not low <= days <= high:
        raise InputError(
            f"{what} is outside the protocol's range; accepted: {low} to {high} "
            f"(the smallest that works for this weight is {smallest})"
        )
    largest_day = to_grams(-(-course_steps // days), protocol)
    if days < smallest:
        raise InputError(
            f"{what} would give {grams(largest_day)}/day, over the "
            f"{grams(protocol.daily_cap or 0)}/day cap (R3); the smallest number of days that works "
            f"is {smallest}"
        )


def choose_days(requested: int | None, course_steps: int, protocol: Protocol) -> int:
    """R3: the requested days, else the protocol's fixed default, else the fewest within the cap."""
    if requested is not None:
        check_days(requested, course_steps, protocol)
        return requested
    fixed = protocol.default_days
    if fixed is None:
        days = smallest_days(course_steps, protocol)
        check_days(days, course_steps, protocol, label=f"{days} days")
        return days
    check_days(fixed, course_steps, protocol, label=f"the protocol's default of {fixed} days")
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
            raise InputError(f"--round: {grams(size)} is not a whole number of "
                             f"{grams(step)} steps; accepted: amounts such as 5 g")
    limits = DayLimits(_cap_steps(protocol.daily_cap, protocol), _cap_steps(protocol.course_cap, protocol))
    sizes = tuple(to_steps(size, protocol) for size in rounding.sizes_g)
    return round_days(daily_steps, sizes, limits, rounding.label)


def _cap_steps(cap: Decimal | None, protocol: Protocol) -> int:
    """A cap in steps; a protocol without that cap limits nothing."""
    from ivig_dose.core.rounding import NO_CAP

    return NO_CAP if cap is None else to_steps(cap, protocol)


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


def check_body(request: PlanRequest, protocol: Protocol) -> Body:
    """The height, sex and pregnancy as the dosing weight needs them, checked (R1)."""
    if request.sex is not None and request.sex not in SEXES:
        raise InputError(f"sex {request.sex!r} is not known; accepted: {', '.join(SEXES)}")
    if request.pregnant and request.sex == MALE:
        raise InputError("--pregnant contradicts --sex male; accepted: --sex female, or no --pregnant")
    height = request.height_cm
    if height is not None:
        rules = protocol.weight_rules
        low, high = rules.value("min_height"), rules.value("max_height")
        if not low <= height <= high:
            raise InputError(
                f"height {approximate(height)} cm is outside the plausible adult range; "
                f"accepted: {amount(low)} to {amount(high)} cm"
            )
    return Body(height_cm=height, sex=request.sex, pregnant=request.pregnant, age_years=request.age_years)


def build_course(
    spec: CourseSpec,
    weight_kg: Decimal,
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
    )
    return course, dose


def build_plan(request: PlanRequest, protocol: Protocol) -> Plan:
    """The whole protocol for one patient: R1-R9 applied, reasons and warnings attached."""
    check_arm(request, protocol)
    return for_arm(ivig_plan(request, protocol), request, protocol)


def check_arm(request: PlanRequest, protocol: Protocol) -> None:
    if request.arm not in ARMS:
        raise InputError(f"unknown arm {request.arm!r}; accepted: {', '.join(ARMS)}")
    if request.arm == PLACEBO and protocol.placebo is None:
        raise InputError(f"--arm placebo: protocol {protocol.id!r} has no placebo arm; accepted: ivig")


def for_arm(plan: Plan, request: PlanRequest, protocol: Protocol) -> Plan:
    """The plan of ``request``'s arm from the IVIg plan of the same inputs (R8): the arm is the
    only input the IVIg plan does not read."""
    return as_placebo(plan, protocol) if request.arm == PLACEBO else plan


def ivig_plan(request: PlanRequest, protocol: Protocol) -> Plan:
    """R1-R7 and R9 for the request's inputs: the IVIg arm's numbers, labelled with the request's
    arm (checked by :func:`check_arm`; :func:`for_arm` turns them into the placebo's)."""
    check_weight(request.weight_kg, protocol)
    body = check_body(request, protocol)
    measured = course_weights(request, protocol)
    warnings = weight_warnings(request.weight_kg, protocol)
    for name, weight in measured.items():
        warnings += weight_warnings(weight, protocol, label=f"{name} weight")
    if not protocol.verified:
        warnings.append(
            f"protocol {protocol.id!r} is not verified against a label: check every value against its "
            f"source ('ivig-dose protocol show {protocol.id}') before use"
        )
    policy = protocol.weight_policy
    built = []
    for spec in protocol.courses:
        actual = measured.get(spec.name, request.weight_kg)
        dosing = dosing_weight(actual, body, policy, request.dosing_weight)
        built.append((*build_course(spec, actual, spec.name in measured, dosing, request, protocol), dosing))
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
        text=(f"placebo arm: {placebo.name} in the volumes, days and settings that the IVIg plan "
              "below gives for this weight; IgG dose 0 g"),
        blinded_text="",
    )
    return replace(
        plan,
        product=PlanProduct(placebo.name, None),
        courses=courses,
        reasons=(reason, *plan.reasons),
    )


Built = tuple[Course, CourseDose, DosingWeight]


def explain(request: PlanRequest, protocol: Protocol, built: list[Built]) -> list[Reason]:
    """The "why" block: every rule and cap that shaped the numbers, once each."""
    reasons = _dosing_weight_reasons(built, protocol)
    same_weight = len({course.dosed_on_kg for course, _, _ in built}) == 1
    for course, dose, _ in built[:1] if same_weight else built:
        reasons += _course_reasons(None if same_weight else course.name, course, dose, request, protocol)
    product = protocol.product
    reasons.append(Reason(
        product.rule,
        f"volume = dose × {amount(product.ml_per_g)} mL/g ({product.name} "
        f"{amount(product.concentration_mg_per_ml)} mg/mL)",
        "volumes are the same in both arms",
    ))
    reasons += _setting_reasons([course for course, _, _ in built], protocol)
    reasons.append(_dates_reason([course for course, _, _ in built]))
    reasons += _course_weight_reasons([course for course, _, _ in built])
    return reasons


def _dosing_weight_reasons(built: list[Built], protocol: Protocol) -> list[Reason]:
    """R1: which weight each dose was computed from, and why; once when it holds for every course."""
    rule = protocol.options["dosing_weight_basis"].rule
    whys = [(course.name, dosing.why) for course, _, dosing in built]
    if len({why for _, why in whys}) == 1:
        text = f"dosing weight: {whys[0][1]}"
        return [Reason(rule, text, text)]
    return [Reason(rule, f"{name}: dosing weight: {why}", f"{name}: dosing weight: {why}", name)
            for name, why in whys]


def _dates_reason(courses: list[Course]) -> Reason:
    """R7: when the courses fall, counted from the first course's start."""
    first = courses[0].start.isoformat()
    if len(courses) == 1:
        text = f"one course, from {first}; infusion days are consecutive"
    else:
        weeks = ", ".join(str(course.week) for course in courses)
        text = f"courses at weeks {weeks} counted from {first}; infusion days are consecutive"
    return Reason("R7", text, text)


def _course_weight_reasons(courses: list[Course]) -> list[Reason]:
    """R9: which courses reuse the first course's weight, and which were weighed for themselves."""
    first = courses[0]
    reasons = []
    reused = [course.name for course in courses[1:] if not course.weight_measured]
    if reused:
        which = f"every course after {first.name}" if len(reused) == len(courses) - 1 > 2 else _names(reused)
        text = f"{which} dosed on the {first.name} weight, {kilograms(first.weight_kg)}"
        reasons.append(Reason("R9", text, text))
    for course in courses[1:]:
        if course.weight_measured:
            text = f"{course.name} dosed on {kilograms(course.weight_kg)}, measured for that course"
            reasons.append(Reason("R9", text, text, course.name))
    return reasons


def _names(names: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _dose_text(dose: CourseDose, course: Course, protocol: Protocol) -> tuple[str, str]:
    """R2 said plainly and blinded: dose per kg × dosing weight, and any rounding or cap."""
    weight = f"{approximate(course.dosed_on_kg)} kg"
    given = to_grams(dose.steps, protocol)
    cap = protocol.course_cap
    capped = f", capped at the {grams(cap or 0)} course maximum"
    if dose.daily is not None:
        daily = dose.daily
        per_day = to_grams(daily.steps, protocol)
        text = f"{amount(protocol.dose_per_kg)} g/kg/day × {weight} = {approximate(daily.exact_g)} g"
        if daily.capped:
            text += f", capped at the {grams(protocol.daily_cap or 0)} daily maximum"
        elif per_day != daily.exact_g:
            text += f", rounded down to {grams(per_day)}"
        text += f" a day × {len(course.days)} days = {grams(to_grams(dose.uncapped_steps, protocol))}"
        text += capped if dose.capped else ""
        blinded = f"{amount(protocol.dose_per_kg)} g/kg/day × {weight} a day"
        return text, blinded + (", capped at the protocol's course maximum" if dose.capped else "")
    per_kg = f"{amount(protocol.dose_per_kg)} g/kg × {weight}"
    if dose.capped:
        return f"{per_kg} = {approximate(dose.exact_g)} g{capped}", "capped at the protocol's course maximum"
    if given != dose.exact_g:
        return f"{per_kg} = {approximate(dose.exact_g)} g, rounded down to {grams(given)}", f"{per_kg}, rounded down"
    return f"{per_kg} = {grams(given)}", per_kg


def _days_text(n: int, request: PlanRequest, protocol: Protocol) -> tuple[str, str]:
    """R3 said plainly and blinded: why the course has ``n`` days."""
    cap = protocol.daily_cap
    within = f"; each day within {grams(cap)}/day" if cap is not None else ""
    if request.days is not None:
        return f"{n} days, as requested{within}", f"{n} days, as requested"
    if protocol.default_days is not None:
        return f"{n} days, the protocol's default{within}", f"{n} days, the protocol's default"
    if n > protocol.min_days and cap is not None:
        return (f"{n} days needed to stay within {grams(cap)}/day",
                f"{n} days needed to stay within the daily maximum")
    return f"{n} days, the fewest the protocol allows{within}", f"{n} days, the fewest the protocol allows"


def _course_reasons(
    name: str | None, course: Course, dose: CourseDose, request: PlanRequest, protocol: Protocol
) -> list[Reason]:
    """R2-R4 for one course (``name`` None: the same for every course)."""
    who = name or ("each course" if len(protocol.courses) > 1 else "the course")
    dose_text, dose_blinded = _dose_text(dose, course, protocol)
    days_text, days_blinded = _days_text(len(course.days), request, protocol)
    dose_rule = protocol.params.get("course_cap", protocol.params["dose_per_kg"]).rule
    days_rule = protocol.params["daily_cap"].rule if "daily_cap" in protocol.params else \
        protocol.options["default_days"].rule
    reasons = [
        Reason(dose_rule, f"{who}: {dose_text}", f"{who}: {dose_blinded}", name),
        Reason(days_rule, f"{who}: {days_text}", f"{who}: {days_blinded}", name),
    ]
    doses = [to_grams(steps, protocol) for steps in dose.rules_days]
    if len(set(doses)) > 1:
        parts = " + ".join(amount(d) for d in doses)
        reasons.append(Reason(
            "R4",
            f"{who}: split as equally as {grams(protocol.dose_step)} steps allow, larger days first: "
            f"{parts} g",
            f"{who}: split as equally as possible, larger days first",
            name,
        ))
    return reasons + _rounding_reasons(who, name, dose, protocol)


def _rounding_reasons(who: str, name: str | None, dose: CourseDose, protocol: Protocol) -> list[Reason]:
    """``--round``: every day that changed, in g and % (blinded: in mL and %), and the course."""
    if dose.rounding is None:
        return []
    rule = "round"
    changes = [(i + 1, a, b) for i, (a, b) in enumerate(zip(dose.rules_days, dose.given_days, strict=True))
               if a != b]
    if not changes:
        text = f"{who}: every day is already {dose.rounding}; no day changed"
        return [Reason(rule, text, text, name)]
    ml_per_step = protocol.dose_step * protocol.product.ml_per_g

    def change(before: int, after: int, unit: str, per_step: Decimal) -> str:
        diff = (after - before) * per_step
        percent = (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"))
        sign = "+" if diff > 0 else ""
        return (f"{amount(before * per_step)} {unit} to {amount(after * per_step)} {unit} "
                f"({sign}{amount(diff)} {unit}, {sign}{amount(percent)} %)")

    step = protocol.dose_step
    days_g = "; ".join(f"day {d} {change(a, b, 'g', step)}" for d, a, b in changes)
    days_ml = "; ".join(f"day {d} {change(a, b, 'mL', ml_per_step)}" for d, a, b in changes)
    total_before, total_after = sum(dose.rules_days), sum(dose.given_days)
    caps = [f"{grams(cap)}{per}" for cap, per in ((protocol.daily_cap, "/day"), (protocol.course_cap, " a course"))
            if cap is not None]
    within = ", ".join([*caps, "the rules' dose + 10 %"])
    return [Reason(
        rule,
        f"{who}: rounded to {dose.rounding}, within {within}: {days_g}; "
        f"course {change(total_before, total_after, 'g', step)}",
        f"{who}: volumes rounded ({dose.rounding}): {days_ml}; "
        f"course {change(total_before, total_after, 'mL', ml_per_step)}",
        name,
    )]


def _setting_reasons(courses: list[Course], protocol: Protocol) -> list[Reason]:
    """R6: where each course is given, with the hospital days named."""
    portion = protocol.params.get("hospital_portion")
    rule = portion.rule if portion is not None else protocol.options["rest_setting"].rule
    reasons = []
    elsewhere = []
    rest = protocol.rest_setting
    for course in courses:
        hospital = [(d.day, s) for d in course.days for s in d.segments if s.setting == HOSPITAL]
        if rest == HOSPITAL or not hospital:
            elsewhere.append(course.name)
            continue
        first_day, last_day = hospital[0][0], hospital[-1][0]
        span = f"day {first_day}" if first_day == last_day else f"days {first_day}–{last_day}"
        dose = sum((s.dose_g for _, s in hospital), Decimal(0))
        volume = sum((s.volume_ml for _, s in hospital), Decimal(0))
        reasons.append(Reason(
            rule,
            f"the first {grams(dose)} of the {course.name} course in hospital "
            f"({span}), the rest {_at(rest)}",
            f"the first {millilitres(volume)} of the {course.name} course in hospital ({span}), "
            f"the rest {_at(rest)}",
            course.name,
        ))
    if elsewhere:
        which = "every course" if len(elsewhere) == len(courses) > 2 else _names(elsewhere)
        text = f"{which} given entirely {_at(rest)}"
        reasons.append(Reason(rule, text, text))
    return reasons


def _at(setting: str) -> str:
    return "in hospital" if setting == HOSPITAL else f"at {setting}"
