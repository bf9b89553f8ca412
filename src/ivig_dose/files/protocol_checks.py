"""A protocol's values checked against each other, once each has been read on its own.

A protocol whose numbers contradict each other (a course cap that cannot be given within its
days, a weight range upside down, a dose that leaves a day with 0 g) is refused before any
patient is planned with it; each contradiction is one problem naming the key to change.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from ivig_dose.core.messages import N_, Quantity, message
from ivig_dose.core.model import HOSPITAL
from ivig_dose.core.protocol import PER_COURSE, PER_DAY, SMALLEST, CourseSpec, Option, Param, WeightRules
from ivig_dose.files.protocol_reader import DAY_PARAMS, ProtocolReader

#: infusion days in all (courses × max_days). The order sheet costs about 20 ms a course and 5 ms
#: a bag, the labels 5 ms a bag: 25 courses and 125 days keep every command within about two
#: seconds (docs/limits.md), where 100 courses of 31 days took ``order`` 13.5 s.
MAX_INFUSION_DAYS = 125
#: the longest wait between two bags of a day.
MAX_WAIT_MIN = 720


def check_waits(reader: ProtocolReader, params: dict[str, Param]) -> None:
    """A wait is whole minutes, at most half a day: a longer one would push the home bag past midnight."""
    for key in DAY_PARAMS:
        wait = params.get(key)
        if wait is not None and (wait.value != wait.value.to_integral_value() or wait.value > MAX_WAIT_MIN):
            reader.problem(f"params.{key}", message(N_("must be whole minutes from 0 to {max}, not {value}"),
                                                    max=MAX_WAIT_MIN, value=repr(str(wait.value))))


def check_consistency(
    reader: ProtocolReader, params: dict[str, Param], options: dict[str, Option], courses: tuple[CourseSpec, ...]
) -> None:
    """Refuses protocols whose numbers contradict each other, before any patient is planned."""
    def have(*keys: str) -> bool:
        return all(k in params for k in keys)

    def value(key: str) -> Decimal:
        return params[key].value

    if have("min_days", "max_days") and value("max_days") < value("min_days"):
        reader.problem("params.max_days", message(N_("must not be below min_days")))
    if have("max_days") and len(courses) * value("max_days") > MAX_INFUSION_DAYS:
        reader.problem("params.max_days", message(
            N_("{courses} courses of up to {days} days are {total} infusion days; accepted: at most {limit} in all"),
            courses=len(courses), days=value("max_days"), total=len(courses) * value("max_days"),
            limit=MAX_INFUSION_DAYS))
    default = options.get("default_days")
    if default is not None and default.value != SMALLEST and have("min_days", "max_days") and not (
        value("min_days") <= int(default.value) <= value("max_days")
    ):
        reader.problem("options.default_days", message(N_("must be within min_days to max_days")))
    if (have("dose_per_kg", "daily_cap", "course_cap", "max_days") and params["dose_per_kg"].unit == PER_COURSE
            and value("daily_cap") * value("max_days") < value("course_cap")):
        reader.problem("params.course_cap", message(N_("cannot be given within max_days at daily_cap")))
    if have("dose_step"):
        step = value("dose_step")
        for key in ("course_cap", "daily_cap", "hospital_portion"):
            if have(key) and value(key) % step:
                reader.problem(f"params.{key}", message(N_("must be a whole number of dose_steps")))
    _check_weights(reader, params)
    if have("adjusted_weight_factor") and value("adjusted_weight_factor") >= 1:
        reader.problem("params.adjusted_weight_factor", message(N_("must be below 1 (1 would be the actual weight)")))
    _check_settings(reader, params, options, courses)
    check_waits(reader, params)


def check_no_empty_day(reader: ProtocolReader, params: dict[str, Param], weight_rules: WeightRules) -> None:
    """Refuses a protocol that can plan a day of 0 g (a day with no bag, which no one can give or
    check): its dose on the lightest dosing weight it accepts (its lowest weight, or an ideal
    weight below it), rounded down to whole steps and capped, must give every one of its most days
    at least one step."""
    if not all(key in params for key in ("dose_per_kg", "dose_step", "min_weight", "max_days")):
        return
    bases = [weight_rules.value(key) for key in ("ibw_male_base", "ibw_female_base") if key in weight_rules.params]
    lightest = min(params["min_weight"].value, *bases)
    step, days = params["dose_step"].value, int(params["max_days"].value)
    per_day = params["dose_per_kg"].unit == PER_DAY
    steps = int((lightest * params["dose_per_kg"].value / step).to_integral_value(rounding=ROUND_FLOOR))
    cap = params.get("daily_cap" if per_day else "course_cap")
    if cap is not None:
        steps = min(steps, int(cap.value / step))
    course_cap = params.get("course_cap")
    course_steps = steps * days if per_day else steps
    if course_cap is not None and per_day:
        course_steps = min(course_steps, int(course_cap.value / step))
    if steps < 1 or course_steps < days:
        reader.problem("params.dose_per_kg", message(
            N_("gives a course of {dose} at {weight}, the lightest dosing weight it accepts: less than {step} a "
               "day over {days} days, so a day of 0 g; accepted: a dose that gives every day at least {step}"),
            dose=Quantity(course_steps * step, "g"), weight=Quantity(lightest, "kg"), step=Quantity(step, "g"),
            days=days))


def _check_weights(reader: ProtocolReader, params: dict[str, Param]) -> None:
    order = ("min_weight", "warn_below_weight", "warn_above_weight", "max_weight")
    if all(k in params for k in order):
        values = [params[k].value for k in order]
        if not values[0] < values[1] <= values[2] < values[3]:
            reader.problem("params", message(N_("weights must be ordered min_weight < warn_below_weight <= "
                                                "warn_above_weight < max_weight")))


def _check_settings(
    reader: ProtocolReader, params: dict[str, Param], options: dict[str, Option], courses: tuple[CourseSpec, ...]
) -> None:
    has_portion = "hospital_portion" in params
    rest = options.get("rest_setting")
    if has_portion and rest is not None and rest.value == HOSPITAL:
        reader.problem("params.hospital_portion", message(N_("has no effect when options.rest_setting is hospital; "
                                                             "remove one")))
    if has_portion and courses and not any(c.hospital for c in courses):
        reader.problem("params.hospital_portion", message(N_("is given but no course has hospital = true")))
    if not has_portion and any(c.hospital for c in courses):
        reader.problem("courses", message(N_("a course has hospital = true but params.hospital_portion is not given")))
