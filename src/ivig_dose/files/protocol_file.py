"""Reading a protocol file: its parsed TOML tables checked key by key into a frozen
:class:`~ivig_dose.core.protocol.Protocol`.

The schema (documented key by key in docs/protocol-schema.md) is strict: an unknown key is a
problem, because a misspelt optional cap (``daily_capp``) would otherwise silently mean "no
cap". Reading collects every problem of a file before it refuses it, so ``protocol check``
can name them all at once. :mod:`ivig_dose.files.protocols` finds the text and parses the TOML.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from ivig_dose.core.dosing_weight import BASES
from ivig_dose.core.errors import InputError
from ivig_dose.core.languages import LANGUAGES
from ivig_dose.core.messages import N_, Joined, Quantity, message
from ivig_dose.core.model import HOME, HOSPITAL
from ivig_dose.core.protocol import (
    OPTIONAL_OPTIONS,
    PARAMS,
    PER_COURSE,
    PER_DAY,
    SMALLEST,
    CourseSpec,
    Holidays,
    Option,
    Param,
    ParamSpec,
    Placebo,
    Protocol,
    ProtocolProduct,
    Unset,
    WeightRules,
    course_key,
)
from ivig_dose.core.terms import Term, schedule_course
from ivig_dose.parse.typed_reader import TypedReader, toml_place

#: the value of an optional parameter that is deliberately not set ("no daily cap"), with a source.
NONE = "none"

#: bounds that keep a protocol's plan small (docs/limits.md): a plan holds every course's every day,
#: so a count of 10**9 would exhaust memory before any check of the plan could run.
MAX_COURSES = 25
MAX_WEEK = 520
MAX_DAYS = 31
#: infusion days in all (courses × max_days). The order sheet costs about 20 ms a course and 5 ms
#: a bag, the labels 5 ms a bag: 25 courses and 125 days keep every command within about two
#: seconds (docs/limits.md), where 100 courses of 31 days took ``order`` 13.5 s.
MAX_INFUSION_DAYS = 125
#: the most significant digits a protocol number may have (Decimal computes with 28).
MAX_DIGITS = 12
MAX_MAGNITUDE = Decimal(10) ** 6
#: the most public holidays a protocol may list: a country's days for the next decades.
MAX_HOLIDAYS = 1000

#: every option (a choice written as text) and the values it accepts; all but OPTIONAL_OPTIONS are required.
OPTIONS: dict[str, tuple[str, ...]] = {
    "default_days": (SMALLEST, "<a whole number of days>"),
    "rest_setting": (HOME, HOSPITAL),
    "dosing_weight_basis": BASES,
    "rounding": ("none", "vials", "<an amount in grams, e.g. 5 g>"),
}
_GRAMS = re.compile(r"\d+(\.\d+)?\s*g")
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")

TOP_KEYS = ("id", "name", "version", "source", "verified", "params", "options", "courses", "product", "placebo",
            "holidays")
REQUIRED_TOP_TEXT = ("id", "name", "version", "source")
PARAM_KEYS = ("value", "unit", "rule", "source")
OPTION_KEYS = ("value", "rule", "source")
COURSE_KEYS = ("name", "names", "week", "hospital", "source")
SCHEDULE_KEYS = ("every_weeks", "count", "hospital", "source")
SCHEDULE_HOSPITAL = ("first", "all", "none")
#: [product] and [placebo] must have these; further keys are left to the modules that read them.
PRODUCT_KEYS = ("name", "concentration_mg_per_ml", "rule", "source", "catalogue_id", "indication")
PLACEBO_KEYS = ("name", "rule", "source")
HOLIDAY_KEYS = ("dates", "source")
#: the waits of the nurse's day that data/infusion_day.toml gives when a protocol does not.
DAY_PARAMS = ("observation_after_first", "home_gap")
#: the longest wait between two bags of a day.
MAX_WAIT_MIN = 720
WEIGHT_RULE_PARAMS = ("ibw_male_base", "ibw_female_base", "ibw_kg_per_inch", "ibw_base_height", "cm_per_inch",
                      "adjusted_weight_factor", "min_height", "max_height", "adult_age")


class ProtocolError(InputError):
    """A protocol file that cannot be used; ``problems`` names each thing wrong with it."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        super().__init__(message(N_("protocol {origin}: {problems}"), origin=origin,
                                 problems=Joined(tuple(problems), "; ")))
        self.origin = origin
        self.problems = problems


def build_protocol(raw: dict[str, Any], origin: str, weight_rules: WeightRules) -> Protocol:
    """Checks a protocol's parsed TOML tables and builds it; raises :class:`ProtocolError` naming
    every problem. Pure: :mod:`ivig_dose.files.protocols` finds and reads the file."""
    reader = _Reader()
    reader.unknown(raw, TOP_KEYS, "")
    texts = {key: reader.text_at(raw, key, "") for key in REQUIRED_TOP_TEXT}
    verified = reader.flag_at(raw, "verified", "", default=False)
    params = reader.params(reader.table_at(raw, "params"))
    options = reader.options(reader.table_at(raw, "options"))
    courses, schedule = reader.courses(raw.get("courses"))
    product = reader.product(reader.table_at(raw, "product"))
    placebo = reader.placebo(raw["placebo"]) if "placebo" in raw else None
    holidays = reader.holidays(raw["holidays"]) if "holidays" in raw else None
    _check_consistency(reader, params, options, courses)
    _check_no_empty_day(reader, params, weight_rules)
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return Protocol(
        id=texts["id"], name=texts["name"], version=texts["version"], source=texts["source"],
        verified=verified, params=params, unset=reader.unset, options=options, courses=courses,
        schedule_source=schedule, product=product, placebo=placebo, weight_rules=weight_rules, holidays=holidays,
    )


def build_weight_rules(raw: dict[str, Any], origin: str) -> WeightRules:
    """The Devine formula and the default adjusted-weight factor, each with its source."""
    reader = _Reader()
    table = reader.table_at(raw, "params")
    params = {key: p for key in WEIGHT_RULE_PARAMS if (p := reader.param(table, key, None)) is not None}
    source = reader.text_at(raw, "source", "")
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return WeightRules(source=source, params=params)


def build_day_defaults(raw: dict[str, Any], origin: str) -> dict[str, Param]:
    """The waits between the bags of a day when a protocol does not set them, each with its source."""
    reader = _Reader()
    table = reader.table_at(raw, "params")
    reader.unknown(table, DAY_PARAMS, "params")
    params = {key: p for key in DAY_PARAMS if (p := reader.param(table, key, PARAMS[key])) is not None}
    _check_waits(reader, params)
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return params


def _check_waits(reader: _Reader, params: dict[str, Param]) -> None:
    """A wait is whole minutes, at most half a day: a longer one would push the home bag past midnight."""
    for key in DAY_PARAMS:
        wait = params.get(key)
        if wait is not None and (wait.value != wait.value.to_integral_value() or wait.value > MAX_WAIT_MIN):
            reader.problem(f"params.{key}", message(N_("must be whole minutes from 0 to {max}, not {value}"),
                                                    max=MAX_WAIT_MIN, value=repr(str(wait.value))))


def _check_consistency(
    reader: _Reader, params: dict[str, Param], options: dict[str, Option], courses: tuple[CourseSpec, ...]
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
    _check_waits(reader, params)


def _check_no_empty_day(reader: _Reader, params: dict[str, Param], weight_rules: WeightRules) -> None:
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


def _check_weights(reader: _Reader, params: dict[str, Param]) -> None:
    order = ("min_weight", "warn_below_weight", "warn_above_weight", "max_weight")
    if all(k in params for k in order):
        values = [params[k].value for k in order]
        if not values[0] < values[1] <= values[2] < values[3]:
            reader.problem("params", message(N_("weights must be ordered min_weight < warn_below_weight <= "
                                                "warn_above_weight < max_weight")))


def _check_settings(
    reader: _Reader, params: dict[str, Param], options: dict[str, Option], courses: tuple[CourseSpec, ...]
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


class _Reader(TypedReader):
    """Reads typed values out of the raw TOML, noting each problem with where it is, and reading on.

    A value with a problem reads as a harmless stand-in ("" for text, {} for a table) so that
    reading goes on to find the file's other problems; a protocol with any is never built."""

    def __init__(self) -> None:
        super().__init__()
        self.unset: dict[str, Unset] = {}

    def table_at(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        return self.table(raw.get(key), key) or {}

    def text_at(self, raw: dict[str, Any], key: str, where: str) -> str:
        return self.text(raw.get(key), toml_place(where, key)) or ""

    def flag_at(self, raw: dict[str, Any], key: str, where: str, default: bool) -> bool:
        flag = self.flag(raw.get(key, default), toml_place(where, key))
        return default if flag is None else flag

    def whole_at(self, raw: dict[str, Any], key: str, where: str, low: int, high: int = MAX_WEEK) -> int | None:
        return self.whole(raw.get(key), toml_place(where, key), low, high)

    def number(self, raw: dict[str, Any], key: str, where: str, *, whole: bool = False,
               positive: bool = False) -> Decimal | None:
        value = raw.get(key)
        at = toml_place(where, key)
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.problem(at, message(N_("must be a number written as a string, e.g. \"2\"")))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(at, message(N_("is not a number: {value}"), value=repr(value)))
            return None
        if not number.is_finite() or number < 0:
            self.problem(at, message(N_("must be a finite number not below 0, not {value}"), value=repr(value)))
            return None
        if number >= MAX_MAGNITUDE or len(number.normalize().as_tuple().digits) > MAX_DIGITS:
            self.problem(at, message(N_("must be below {max} with at most {digits} digits, not {value}"),
                                     max=MAX_MAGNITUDE, digits=MAX_DIGITS, value=repr(value)))
            return None
        if whole and number > MAX_DAYS:
            self.problem(at, message(N_("must be at most {days} days, not {value}"), days=MAX_DAYS,
                                     value=repr(value)))
            return None
        if positive and number == 0:
            self.problem(at, message(N_("must be above 0")))
            return None
        if whole and number != number.to_integral_value():
            self.problem(at, message(N_("must be a whole number, not {value}"), value=repr(value)))
            return None
        return number

    def param(self, table: dict[str, Any], key: str, spec: ParamSpec | None) -> Param | None:
        where = f"params.{key}"
        entry = table.get(key)
        if entry is None:
            if spec is None or spec.required:
                self.problem(where, message(N_("missing parameter")))
            return None
        if not isinstance(entry, dict):
            self.problem(where, message(N_("must be a table with value, unit, rule and source")))
            return None
        self.unknown(entry, PARAM_KEYS, where)
        unit = entry.get("unit")
        if spec is not None and unit not in spec.units:
            self.problem(toml_place(where, "unit"), message(N_("must be {units}, not {unit}"),
                                                       units=" or ".join(map(repr, spec.units)), unit=repr(unit)))
        rule, source = self.text_at(entry, "rule", where), self.text_at(entry, "source", where)
        if spec is not None and not spec.required and entry.get("value") == NONE:
            self.unset[key] = Unset(key=key, unit=str(unit), rule=rule, source=source)
            return None
        number = self.number(entry, "value", where, whole=spec is not None and spec.whole,
                             positive=spec is not None and spec.positive)
        if number is None or not isinstance(unit, str):
            return None
        return Param(key=key, value=number, unit=unit, rule=rule, source=source)

    def params(self, table: dict[str, Any]) -> dict[str, Param]:
        self.unknown(table, PARAMS, "params")
        read = {key: self.param(table, key, spec) for key, spec in PARAMS.items()}
        return {key: p for key, p in read.items() if p is not None}

    def options(self, table: dict[str, Any]) -> dict[str, Option]:
        self.unknown(table, OPTIONS, "options")
        options = {}
        for key, accepted in OPTIONS.items():
            where = f"options.{key}"
            entry = table.get(key)
            if entry is None and key in OPTIONAL_OPTIONS:
                continue
            if not isinstance(entry, dict):
                self.problem(where, message(N_("missing option")) if entry is None
                             else message(N_("must be a table with value, rule, source")))
                continue
            self.unknown(entry, OPTION_KEYS, where)
            value = entry.get("value")
            if not _option_ok(key, value, accepted):
                self.problem(toml_place(where, "value"), message(N_("{value} is not accepted; accepted: {known}"),
                                                            value=repr(value), known=", ".join(accepted)))
                continue
            assert isinstance(value, str)
            options[key] = Option(key, value, self.text_at(entry, "rule", where), self.text_at(entry, "source", where))
        return options

    def courses(self, raw: Any) -> tuple[tuple[CourseSpec, ...], str]:
        if isinstance(raw, dict):
            return self.schedule(raw), "schedule"
        if not isinstance(raw, list) or not raw or not all(isinstance(c, dict) for c in raw):
            self.problem("courses", message(N_("missing: give [[courses]] entries or a [courses] schedule")))
            return (), "listed"
        if len(raw) > MAX_COURSES:
            self.problem("courses", message(N_("{count} courses; accepted: at most {max}"), count=len(raw),
                                            max=MAX_COURSES))
            return (), "listed"
        courses = tuple(c for i, entry in enumerate(raw) if (c := self.course(entry, i)) is not None)
        self.course_order(courses)
        return courses, "listed"

    def course(self, entry: dict[str, Any], index: int) -> CourseSpec | None:
        where = f"courses[{index}]"
        self.unknown(entry, COURSE_KEYS, where)
        week = self.whole_at(entry, "week", where, 0)
        hospital = self.flag_at(entry, "hospital", where, default=False)
        name, source = self.text_at(entry, "name", where), self.text_at(entry, "source", where)
        names = self.course_names(entry["names"], f"{where}.names") if "names" in entry else {}
        return None if week is None else CourseSpec(name=Term(name, names), week=week, hospital=hospital,
                                                    source=source)

    def course_names(self, raw: Any, where: str) -> dict[str, str]:
        """The course's name in other languages, ``{ nl = "uitgangskuur" }``; English is its ``name``."""
        table = self.table(raw, where) or {}
        others = [code for code in LANGUAGES if code != "en"]
        self.unknown(table, others, where)
        return {code: text for code in others if code in table
                and (text := self.text(table[code], toml_place(where, code))) is not None}

    def course_order(self, courses: tuple[CourseSpec, ...]) -> None:
        weeks = [c.week for c in courses]
        if weeks and weeks[0] != 0:
            self.problem("courses[0].week", message(N_("the first course must be at week 0")))
        if any(b <= a for a, b in pairwise(weeks)):
            self.problem("courses", message(N_("weeks must increase from one course to the next")))
        if len({course_key(c.name) for c in courses}) != len(courses):
            self.problem("courses", message(N_("course names must be unique")))

    def schedule(self, raw: dict[str, Any]) -> tuple[CourseSpec, ...]:
        """``every_weeks`` × ``count`` courses named "baseline", "week 4", "week 8", ..."""
        self.unknown(raw, SCHEDULE_KEYS, "courses")
        count = self.whole_at(raw, "count", "courses", 1, MAX_COURSES)
        every = self.whole_at(raw, "every_weeks", "courses", 1) if "every_weeks" in raw or count != 1 else 0
        hospital = raw.get("hospital", "none")
        if hospital not in SCHEDULE_HOSPITAL:
            self.problem("courses.hospital", message(N_("{value} is not accepted; accepted: {known}"),
                                                     value=repr(hospital), known=", ".join(SCHEDULE_HOSPITAL)))
        source = self.text_at(raw, "source", "courses")
        if count is None or every is None:
            return ()
        if (count - 1) * every > MAX_WEEK:
            self.problem("courses", message(N_("the last course would be at week {week}; accepted: at most week "
                                               "{max}"), week=(count - 1) * every, max=MAX_WEEK))
            return ()
        return tuple(
            CourseSpec(
                name=schedule_course(i * every),
                week=i * every,
                hospital=hospital == "all" or (hospital == "first" and i == 0),
                source=source,
            )
            for i in range(count)
        )

    def product(self, entry: dict[str, Any]) -> ProtocolProduct:
        concentration = self.number(entry, "concentration_mg_per_ml", "product", positive=True)
        return ProtocolProduct(
            name=self.text_at(entry, "name", "product"),
            concentration_mg_per_ml=concentration or Decimal(1),
            rule=self.text_at(entry, "rule", "product"),
            source=self.text_at(entry, "source", "product"),
            catalogue_id=self.text_at(entry, "catalogue_id", "product") if "catalogue_id" in entry else None,
            indication=self.text_at(entry, "indication", "product") if "indication" in entry else None,
        )

    def placebo(self, entry: Any) -> Placebo | None:
        if not isinstance(entry, dict):
            self.problem("placebo", message(N_("must be a table with name, rule and source")))
            return None
        return Placebo(
            name=self.text_at(entry, "name", "placebo"),
            rule=self.text_at(entry, "rule", "placebo"),
            source=self.text_at(entry, "source", "placebo"),
        )

    def holidays(self, entry: Any) -> Holidays | None:
        """``[holidays]``: ISO dates (``"2027-04-27"`` or a TOML date) and where they come from."""
        if not isinstance(entry, dict):
            self.problem("holidays", message(N_("must be a table with dates and source")))
            return None
        self.unknown(entry, HOLIDAY_KEYS, "holidays")
        source = self.text_at(entry, "source", "holidays")
        listed = entry.get("dates")
        if not isinstance(listed, list):
            self.problem("holidays.dates", message(N_("must be a list of dates, e.g. [\"2027-04-27\"]")))
            return None
        if len(listed) > MAX_HOLIDAYS:
            self.problem("holidays.dates", message(N_("{count} dates; accepted: at most {max}"), count=len(listed),
                                                   max=MAX_HOLIDAYS))
            return None
        dates = [_holiday(value) for value in listed]
        for index, (value, day) in enumerate(zip(listed, dates, strict=True)):
            if day is None:
                self.problem(f"holidays.dates[{index}]", message(N_("{value} is not a date; accepted: an ISO date "
                                                                    "such as \"2027-04-27\""), value=repr(value)))
        return Holidays(tuple(sorted({d for d in dates if d is not None})), source)


def _holiday(value: Any) -> date | None:
    """A listed holiday: a TOML date, or its ISO text; None when it is neither."""
    if isinstance(value, date):
        return None if isinstance(value, datetime) else value  # a date-time is not a day
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:  # 2027-02-30
        return None


def _option_ok(key: str, value: Any, accepted: tuple[str, ...]) -> bool:
    if not isinstance(value, str):
        return False
    if key == "default_days" and value != SMALLEST:
        return value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DAYS
    if key == "rounding" and value not in accepted:
        return _GRAMS.fullmatch(value) is not None and Decimal(value.rstrip("g ")) > 0
    return value in accepted
