"""The "why" block of a plan: every rule and cap that shaped its numbers, said once each.

Each reason is a message in two forms, plain and blinded (volumes and words, never a dose), so
the two arms of a blinded plan print the same text. The numbers are decided in
:mod:`ivig_dose.core.dosing`; this module only says how they came about.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.course_dose import CourseDose, to_grams
from ivig_dose.core.dosing_weight import DosingWeight
from ivig_dose.core.messages import N_, AndList, Joined, Message, Quantity, message
from ivig_dose.core.model import HOSPITAL, Course, PlanRequest, Reason
from ivig_dose.core.rule_ids import COURSE_WEIGHT, SCHEDULE, SPLIT, rule_ids

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Protocol

#: a course as built, with its dose in steps and the dosing weight it was computed from.
Built = tuple[Course, CourseDose, DosingWeight]


def explain(request: PlanRequest, protocol: Protocol, built: list[Built]) -> list[Reason]:
    """The "why" block: every rule and cap that shaped the numbers, once each."""
    reasons = _dosing_weight_reasons(built, protocol)
    same_weight = len({course.dosed_on_kg for course, _, _ in built}) == 1
    for course, dose, _ in built[:1] if same_weight else built:
        reasons += _course_reasons(None if same_weight else course.name, course, dose, request, protocol)
    product = protocol.product
    reasons.append(Reason(product.rule, volume_reason(product.name, product.concentration_mg_per_ml), SAME_VOLUMES))
    reasons += _setting_reasons([course for course, _, _ in built], protocol)
    reasons.append(_dates_reason([course for course, _, _ in built]))
    reasons += _course_weight_reasons([course for course, _, _ in built])
    return reasons


def volume_reason(product: str, concentration_mg_per_ml: Decimal) -> Message:
    """R5: how a dose becomes a volume, naming the product whose concentration it is."""
    return message(N_("volume = dose × {ml_per_g} mL/g ({product} {concentration} mg/mL)"),
                   ml_per_g=Decimal(1000) / concentration_mg_per_ml, product=product,
                   concentration=concentration_mg_per_ml)


def _dosing_weight_reasons(built: list[Built], protocol: Protocol) -> list[Reason]:
    """R1: which weight each dose was computed from, and why; once when it holds for every course."""
    rule = rule_ids(protocol).dosing_weight
    whys = [(course.name, dosing.why) for course, _, dosing in built]
    if len({why for _, why in whys}) == 1:
        text = message(N_("dosing weight: {why}"), why=whys[0][1])
        return [Reason(rule, text, text)]
    about = N_("{course}: dosing weight: {why}")
    return [Reason(rule, message(about, course=name, why=why), message(about, course=name, why=why), name)
            for name, why in whys]


def _dates_reason(courses: list[Course]) -> Reason:
    """R7: when the courses fall, counted from the first course's start."""
    first = courses[0].start
    if len(courses) == 1:
        text = message(N_("one course, from {start}; infusion days are consecutive"), start=first)
    else:
        weeks = Joined(tuple(course.week for course in courses), ", ")
        text = message(N_("courses at weeks {weeks} counted from {start}; infusion days are consecutive"),
                       weeks=weeks, start=first)
    return Reason(SCHEDULE, text, text)


def _course_weight_reasons(courses: list[Course]) -> list[Reason]:
    """R9: which courses reuse the first course's weight, and which were weighed for themselves."""
    first = courses[0]
    reasons = []
    reused = [course.name for course in courses[1:] if not course.weight_measured]
    if reused:
        which = (message(N_("every course after {first}"), first=first.name)
                 if len(reused) == len(courses) - 1 > 2 else AndList(tuple(reused)))
        text = message(N_("{which} dosed on the {first} weight, {weight}"), which=which, first=first.name,
                       weight=first.weight_text)
        reasons.append(Reason(COURSE_WEIGHT, text, text))
    for course in courses[1:]:
        if course.weight_measured:
            text = message(N_("{course} dosed on {weight}, measured for that course"), course=course.name,
                           weight=course.weight_text)
            reasons.append(Reason(COURSE_WEIGHT, text, text, course.name))
    return reasons


def _dose_text(dose: CourseDose, course: Course, protocol: Protocol) -> tuple[Message, Message]:
    """R2 said plainly and blinded: dose per kg × dosing weight, and any rounding or cap."""
    weight = Quantity(course.dosed_on_kg, "kg", places=2)
    given = to_grams(dose.steps, protocol)
    per_kg = protocol.dose_per_kg
    def capped() -> Message:
        return message(N_(", capped at the {cap} course maximum"), cap=Quantity(protocol.course_cap or 0, "g"))

    if dose.daily is not None:
        daily = dose.daily
        per_day = to_grams(daily.steps, protocol)
        adjusted = ""
        if daily.capped:
            adjusted = message(N_(", capped at the {cap} daily maximum"), cap=Quantity(protocol.daily_cap or 0, "g"))
        elif per_day != daily.exact_g:
            adjusted = message(N_(", rounded down to {dose}"), dose=Quantity(per_day, "g"))
        text = message(
            N_("{per_kg} g/kg/day × {weight} = {exact}{adjusted} a day × {days} days = {total}{capped}"),
            per_kg=per_kg, weight=weight, exact=Quantity(daily.exact_g, "g", places=2), adjusted=adjusted,
            days=len(course.days), total=Quantity(to_grams(dose.uncapped_steps, protocol), "g"),
            capped=capped() if dose.capped else "")
        blinded = message(N_("{per_kg} g/kg/day × {weight} a day{capped}"), per_kg=per_kg, weight=weight,
                          capped=message(N_(", capped at the protocol's course maximum")) if dose.capped else "")
        return text, blinded
    dosed = message(N_("{per_kg} g/kg × {weight}"), per_kg=per_kg, weight=weight)
    exact = Quantity(dose.exact_g, "g", places=2)
    if dose.capped:
        return (message(N_("{dose} = {exact}{capped}"), dose=dosed, exact=exact, capped=capped()),
                message(N_("capped at the protocol's course maximum")))
    if given != dose.exact_g:
        return (message(N_("{dose} = {exact}, rounded down to {given}"), dose=dosed, exact=exact,
                        given=Quantity(given, "g")),
                message(N_("{dose}, rounded down"), dose=dosed))
    return message(N_("{dose} = {given}"), dose=dosed, given=Quantity(given, "g")), dosed


def _days_text(n: int, request: PlanRequest, protocol: Protocol) -> tuple[Message, Message]:
    """R3 said plainly and blinded: why the course has ``n`` days."""
    cap = protocol.daily_cap
    within = message(N_("; each day within {cap}/day"), cap=Quantity(cap, "g")) if cap is not None else ""
    if request.days is not None:
        return (message(N_("{n} days, as requested{within}"), n=n, within=within),
                message(N_("{n} days, as requested"), n=n))
    if protocol.default_days is not None:
        return (message(N_("{n} days, the protocol's default{within}"), n=n, within=within),
                message(N_("{n} days, the protocol's default"), n=n))
    if n > protocol.min_days and cap is not None:
        return (message(N_("{n} days needed to stay within {cap}/day"), n=n, cap=Quantity(cap, "g")),
                message(N_("{n} days needed to stay within the daily maximum"), n=n))
    return (message(N_("{n} days, the fewest the protocol allows{within}"), n=n, within=within),
            message(N_("{n} days, the fewest the protocol allows"), n=n))


def _who(name: str | None, protocol: Protocol) -> str:
    """Whom a course's reasons speak of: the named course, else every course (or the only one)."""
    if name is not None:
        return name
    return EACH_COURSE if len(protocol.courses) > 1 else THE_COURSE


def _course_reasons(
    name: str | None, course: Course, dose: CourseDose, request: PlanRequest, protocol: Protocol
) -> list[Reason]:
    """R2-R4 for one course (``name`` None: the same for every course)."""
    who = _who(name, protocol)
    dose_text, dose_blinded = _dose_text(dose, course, protocol)
    days_text, days_blinded = _days_text(len(course.days), request, protocol)
    rules = rule_ids(protocol)
    dose_rule, days_rule = rules.dose, rules.days
    about = N_("{who}: {text}")
    reasons = [
        Reason(dose_rule, message(about, who=who, text=dose_text), message(about, who=who, text=dose_blinded), name),
        Reason(days_rule, message(about, who=who, text=days_text), message(about, who=who, text=days_blinded), name),
    ]
    doses = [to_grams(steps, protocol) for steps in dose.rules_days]
    if len(set(doses)) > 1:
        reasons.append(Reason(
            SPLIT,
            message(N_("{who}: split as equally as {step} steps allow, larger days first: {parts} g"), who=who,
                    step=Quantity(protocol.dose_step, "g"), parts=Joined(tuple(doses), " + ")),
            message(N_("{who}: split as equally as possible, larger days first"), who=who),
            name,
        ))
    return reasons + _rounding_reasons(who, name, dose, protocol)


def _change(before: int, after: int, unit: str, per_step: Decimal) -> Message:
    """``36 g to 40 g (+4 g, +11.1 %)``: a rounded amount, before and after."""
    diff = (after - before) * per_step
    percent = (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"))
    return message(N_("{before} to {after} ({diff}, {percent})"), before=Quantity(before * per_step, unit),
                   after=Quantity(after * per_step, unit), diff=Quantity(diff, unit, signed=True),
                   percent=Quantity(percent, "%", signed=True))


def _rounding_reasons(who: str, name: str | None, dose: CourseDose, protocol: Protocol) -> list[Reason]:
    """``--round``: every day that changed, in g and % (blinded: in mL and %), and the course."""
    if dose.rounding is None:
        return []
    rule = "round"
    changes = [(i + 1, a, b) for i, (a, b) in enumerate(zip(dose.rules_days, dose.given_days, strict=True))
               if a != b]
    if not changes:
        text = message(N_("{who}: every day is already {rounding}; no day changed"), who=who, rounding=dose.rounding)
        return [Reason(rule, text, text, name)]
    ml_per_step = protocol.dose_step * protocol.product.ml_per_g
    step = protocol.dose_step
    day = N_("day {day} {change}")
    days_g = Joined(tuple(message(day, day=d, change=_change(a, b, "g", step)) for d, a, b in changes), "; ")
    days_ml = Joined(tuple(message(day, day=d, change=_change(a, b, "mL", ml_per_step)) for d, a, b in changes),
                     "; ")
    total_before, total_after = sum(dose.rules_days), sum(dose.given_days)
    caps: list[Message] = []
    if protocol.daily_cap is not None:
        caps.append(message(N_("{cap}/day"), cap=Quantity(protocol.daily_cap, "g")))
    if protocol.course_cap is not None:
        caps.append(message(N_("{cap} a course"), cap=Quantity(protocol.course_cap, "g")))
    within = Joined((*caps, message(N_("the rules' dose + 10 %"))), ", ")
    return [Reason(
        rule,
        message(N_("{who}: rounded to {rounding}, within {within}: {days}; course {course}"), who=who,
                rounding=dose.rounding, within=within, days=days_g,
                course=_change(total_before, total_after, "g", step)),
        message(N_("{who}: volumes rounded ({rounding}): {days}; course {course}"), who=who, rounding=dose.rounding,
                days=days_ml, course=_change(total_before, total_after, "mL", ml_per_step)),
        name,
    )]


def _setting_reasons(courses: list[Course], protocol: Protocol) -> list[Reason]:
    """R6: where each course is given, with the hospital days named."""
    rule = rule_ids(protocol).setting
    reasons = []
    elsewhere = []
    rest = protocol.rest_setting
    for course in courses:
        hospital = [(d.day, s) for d in course.days for s in d.segments if s.setting == HOSPITAL]
        if rest == HOSPITAL or not hospital:
            elsewhere.append(course.name)
            continue
        first_day, last_day = hospital[0][0], hospital[-1][0]
        span = (message(N_("day {day}"), day=first_day) if first_day == last_day
                else message(N_("days {first}–{last}"), first=first_day, last=last_day))
        dose = sum((s.dose_g for _, s in hospital), Decimal(0))
        volume = sum((s.volume_ml for _, s in hospital), Decimal(0))
        first = N_("the first {amount} of the {course} course in hospital ({span}), the rest {rest}")
        reasons.append(Reason(
            rule,
            message(first, amount=Quantity(dose, "g"), course=course.name, span=span, rest=_at(rest)),
            message(first, amount=Quantity(volume, "mL"), course=course.name, span=span, rest=_at(rest)),
            course.name,
        ))
    if elsewhere:
        which = message(N_("every course")) if len(elsewhere) == len(courses) > 2 else AndList(tuple(elsewhere))
        text = message(N_("{which} given entirely {where}"), which=which, where=_at(rest))
        reasons.append(Reason(rule, text, text))
    return reasons


def _at(setting: str) -> Message:
    """``in hospital``, ``at home``."""
    return IN_HOSPITAL if setting == HOSPITAL else AT_HOME


#: words of the "why" block made once, not for every plan.
IN_HOSPITAL, AT_HOME = message(N_("in hospital")), message(N_("at home"))
EACH_COURSE, THE_COURSE = message(N_("each course")), message(N_("the course"))
SAME_VOLUMES = message(N_("volumes are the same in both arms"))
