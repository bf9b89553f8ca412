"""Protocols are data: the tables of a TOML file per regimen, checked into a frozen :class:`Protocol`.

The dosing core never holds a protocol number as a literal; it asks the protocol. Each
parameter keeps its unit, the rule it feeds and its source, so ``protocol show`` and the
"why" block of a plan can say where every number comes from.

The schema (documented key by key in docs/protocol-schema.md) is strict: an unknown key is a
problem, because a misspelt optional cap (``daily_capp``) would otherwise silently mean "no
cap". Reading collects every problem of a file before it refuses it, so ``protocol check``
can name them all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from ivig_dose.core.dosing_weight import BASES, IdealWeightFormula, WeightPolicy
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, message, neutral
from ivig_dose.core.model import HOME, HOSPITAL
from ivig_dose.core.records import frozen

DEFAULT_PROTOCOL = "timeismuscle"

#: dose per kg per course, or per kg per day (each day the same, the course their sum).
PER_COURSE = "g/kg"
PER_DAY = "g/kg/day"
SMALLEST = "smallest"
#: the value of an optional parameter that is deliberately not set ("no daily cap"), with a source.
NONE = "none"


@frozen
class ParamSpec:
    """What a protocol file may write for one parameter, so a bad file is refused by name."""

    units: tuple[str, ...]
    required: bool = True
    whole: bool = False
    #: a value of 0 is refused (a cap, a step or a factor of 0 makes no plan).
    positive: bool = False


#: bounds that keep a protocol's plan small (docs/limits.md): a plan holds every course's every day,
#: so a count of 10**9 would exhaust memory before any check of the plan could run.
MAX_COURSES = 100
MAX_WEEK = 520
MAX_DAYS = 31
#: the most significant digits a protocol number may have (Decimal computes with 28).
MAX_DIGITS = 12
MAX_MAGNITUDE = Decimal(10) ** 6

#: every parameter a protocol file may give; optional ones mean "none" when absent.
PARAMS: dict[str, ParamSpec] = {
    "dose_per_kg": ParamSpec((PER_COURSE, PER_DAY), positive=True),
    "course_cap": ParamSpec(("g",), required=False, positive=True),
    "daily_cap": ParamSpec(("g",), required=False, positive=True),
    "dose_step": ParamSpec(("g",), positive=True),
    "min_days": ParamSpec(("days",), whole=True, positive=True),
    "max_days": ParamSpec(("days",), whole=True, positive=True),
    "hospital_portion": ParamSpec(("g",), required=False, positive=True),
    "min_weight": ParamSpec(("kg",), positive=True),
    "max_weight": ParamSpec(("kg",), positive=True),
    "warn_below_weight": ParamSpec(("kg",), positive=True),
    "warn_above_weight": ParamSpec(("kg",), positive=True),
    "adjusted_weight_factor": ParamSpec(("fraction",), required=False),
    "bmi_threshold": ParamSpec(("kg/m2",), required=False, positive=True),
}

#: every option (a choice written as text) and the values it accepts; all but OPTIONAL_OPTIONS are required.
OPTIONS: dict[str, tuple[str, ...]] = {
    "default_days": (SMALLEST, "<a whole number of days>"),
    "rest_setting": (HOME, HOSPITAL),
    "dosing_weight_basis": BASES,
    "rounding": ("none", "vials", "<an amount in grams, e.g. 5 g>"),
}
#: options a protocol may leave out, with the value that then applies.
OPTIONAL_OPTIONS: dict[str, str] = {"rounding": "none"}
_GRAMS = re.compile(r"\d+(\.\d+)?\s*g")

TOP_KEYS = ("id", "name", "version", "source", "verified", "params", "options", "courses", "product", "placebo")
REQUIRED_TOP_TEXT = ("id", "name", "version", "source")
PARAM_KEYS = ("value", "unit", "rule", "source")
OPTION_KEYS = ("value", "rule", "source")
COURSE_KEYS = ("name", "week", "hospital", "source")
SCHEDULE_KEYS = ("every_weeks", "count", "hospital", "source")
SCHEDULE_HOSPITAL = ("first", "all", "none")
#: [product] and [placebo] must have these; further keys are left to the modules that read them.
PRODUCT_KEYS = ("name", "concentration_mg_per_ml", "rule", "source", "catalogue_id", "indication")
PLACEBO_KEYS = ("name", "rule", "source")
WEIGHT_RULE_PARAMS = ("ibw_male_base", "ibw_female_base", "ibw_kg_per_inch", "ibw_base_height", "cm_per_inch",
                      "adjusted_weight_factor", "min_height", "max_height", "adult_age")


class ProtocolError(InputError):
    """A protocol file that cannot be used; ``problems`` names each thing wrong with it."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        super().__init__(message(N_("protocol {origin}: {problems}"), origin=origin,
                                 problems=Joined(tuple(problems), "; ")))
        self.origin = origin
        self.problems = problems


@frozen
class Param:
    """One protocol number with its unit, the rule it feeds and where it comes from."""

    key: str
    value: Decimal
    unit: str
    rule: str
    source: str


@frozen
class Unset:
    """An optional parameter a protocol sets to "none" on purpose, with the source that says so."""

    key: str
    unit: str
    rule: str
    source: str


@frozen
class Option:
    """One protocol choice written as text (``smallest``, ``home``, ``adjusted``), with its source."""

    key: str
    value: str
    rule: str
    source: str


@frozen
class CourseSpec:
    """A course of the protocol: its name, its week (counted from the first course's start)."""

    name: str
    week: int
    hospital: bool
    source: str

    @property
    def offset_days(self) -> int:
        return self.week * 7


@frozen
class ProtocolProduct:
    """The medicine a protocol gives, as far as dosing needs it."""

    name: str
    concentration_mg_per_ml: Decimal
    rule: str
    source: str
    #: the product catalogue entry that gives vials and pump rates by default; None if the protocol names none.
    catalogue_id: str | None = None
    #: the indication whose rate table of that entry applies (``--indication``); None: the entry's own table.
    indication: str | None = None

    @property
    def ml_per_g(self) -> Decimal:
        """Millilitres that hold one gram: 1000 mg/g divided by the concentration."""
        return Decimal(1000) / self.concentration_mg_per_ml


@frozen
class Placebo:
    """What the placebo arm infuses instead of IgG (R8), and where that comes from."""

    name: str
    rule: str
    source: str


@frozen
class WeightRules:
    """The dosing-weight facts that hold for every protocol (data/dosing_weight.toml)."""

    source: str
    params: dict[str, Param]

    def value(self, key: str) -> Decimal:
        return self.params[key].value

    @property
    def formula(self) -> IdealWeightFormula:
        return IdealWeightFormula(
            male_base_kg=self.value("ibw_male_base"),
            female_base_kg=self.value("ibw_female_base"),
            kg_per_inch=self.value("ibw_kg_per_inch"),
            base_height_in=self.value("ibw_base_height"),
            cm_per_inch=self.value("cm_per_inch"),
        )


@frozen
class Protocol:
    """A whole regimen: every number the dosing core needs, each traceable to a source."""

    id: str
    name: str
    version: str
    source: str
    #: False until every value has been checked against the label or protocol it cites.
    verified: bool
    params: dict[str, Param]
    #: optional parameters written as "none" (no cap) with their source; absent ones are simply not set.
    unset: dict[str, Unset]
    options: dict[str, Option]
    courses: tuple[CourseSpec, ...]
    #: how the courses were given: "listed" ([[courses]]) or "every N weeks × count" ([courses]).
    schedule_source: str
    product: ProtocolProduct
    placebo: Placebo | None
    weight_rules: WeightRules

    def value(self, key: str) -> Decimal:
        return self.params[key].value

    def optional(self, key: str) -> Decimal | None:
        """An optional parameter's value, or None when the protocol does not set it (no cap)."""
        param = self.params.get(key)
        return None if param is None else param.value

    def option(self, key: str) -> str:
        if key not in self.options and key in OPTIONAL_OPTIONS:
            return OPTIONAL_OPTIONS[key]
        return self.options[key].value

    @property
    def rounding(self) -> str | None:
        """The protocol's default for ``--round`` (vials, or an amount such as 5 g); None: exact doses."""
        value = self.option("rounding")
        return None if value == "none" else value

    @property
    def dose_per_kg(self) -> Decimal:
        return self.value("dose_per_kg")

    @property
    def dose_per_day(self) -> bool:
        """True when the dose is per kg per day (each day the same) rather than per course."""
        return self.params["dose_per_kg"].unit == PER_DAY

    @property
    def course_cap(self) -> Decimal | None:
        return self.optional("course_cap")

    @property
    def daily_cap(self) -> Decimal | None:
        return self.optional("daily_cap")

    @property
    def dose_step(self) -> Decimal:
        return self.value("dose_step")

    @property
    def min_days(self) -> int:
        return int(self.value("min_days"))

    @property
    def max_days(self) -> int:
        return int(self.value("max_days"))

    @property
    def default_days(self) -> int | None:
        """The protocol's fixed default day count, or None for "the fewest within the daily cap"."""
        value = self.option("default_days")
        return None if value == SMALLEST else int(value)

    @property
    def hospital_portion(self) -> Decimal | None:
        return self.optional("hospital_portion")

    @property
    def rest_setting(self) -> str:
        """Where the doses beyond the hospital portion are given."""
        return self.option("rest_setting")

    @property
    def weight_policy(self) -> WeightPolicy:
        return WeightPolicy(
            basis=self.option("dosing_weight_basis"),
            bmi_threshold=self.optional("bmi_threshold"),
            adjusted_factor=self.adjusted_factor.value,
            formula=self.weight_rules.formula,
            adult_age=self.weight_rules.params["adult_age"],
        )

    @property
    def adjusted_factor(self) -> Param:
        """The protocol's adjusted-weight factor, or the general default with its own source."""
        return self.params.get("adjusted_weight_factor") or self.weight_rules.params["adjusted_weight_factor"]

    def course_named(self, name: str) -> CourseSpec:
        """Finds a course by name, forgiving case and spaces ("week4" is "week 4")."""
        wanted = _course_key(name)
        for course in self.courses:
            if _course_key(course.name) == wanted:
                return course
        names = ", ".join(c.name for c in self.courses)
        raise InputError(message(N_("unknown course {course!r}; accepted: {known}"), course=name, known=names))


def _course_key(name: str) -> str:
    return "".join(name.lower().split())


def build_protocol(raw: dict[str, Any], origin: str, weight_rules: WeightRules) -> Protocol:
    """Checks a protocol's parsed TOML tables and builds it; raises :class:`ProtocolError` naming
    every problem. Pure: :mod:`ivig_dose.files.protocols` finds and reads the file."""
    reader = _Reader()
    reader.unknown(raw, TOP_KEYS, "")
    texts = {key: reader.text(raw, key, "") for key in REQUIRED_TOP_TEXT}
    verified = reader.flag(raw, "verified", "", default=False)
    params = reader.params(reader.table(raw, "params"))
    options = reader.options(reader.table(raw, "options"))
    courses, schedule = reader.courses(raw.get("courses"))
    product = reader.product(reader.table(raw, "product"))
    placebo = reader.placebo(raw["placebo"]) if "placebo" in raw else None
    _check_consistency(reader, params, options, courses)
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return Protocol(
        id=texts["id"], name=texts["name"], version=texts["version"], source=texts["source"],
        verified=verified, params=params, unset=reader.unset, options=options, courses=courses,
        schedule_source=schedule, product=product, placebo=placebo, weight_rules=weight_rules,
    )


def build_weight_rules(raw: dict[str, Any], origin: str) -> WeightRules:
    """The Devine formula and the default adjusted-weight factor, each with its source."""
    reader = _Reader()
    table = reader.table(raw, "params")
    params = {key: p for key in WEIGHT_RULE_PARAMS if (p := reader.param(table, key, None)) is not None}
    source = reader.text(raw, "source", "")
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return WeightRules(source=source, params=params)


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
    default = options.get("default_days")
    if default is not None and default.value != SMALLEST and have("min_days", "max_days") and not (
        value("min_days") <= int(default.value) <= value("max_days")
    ):
        reader.problem("options.default_days", message(N_("must be within min_days to max_days")))
    if (have("daily_cap", "course_cap", "max_days") and params["dose_per_kg"].unit == PER_COURSE
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


class _Reader:
    """Reads typed values out of the raw TOML, noting each problem with where it is, and reading on."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.unset: dict[str, Unset] = {}

    def problem(self, where: str, what: str) -> None:
        self.problems.append(neutral("{where}: {what}", where=where, what=what))

    def unknown(self, raw: dict[str, Any], known: Iterable[str], where: str) -> None:
        allowed = tuple(known)
        for key in raw:
            if key not in allowed:
                self.problem(_join(where, key), message(N_("unknown key; accepted: {known}"),
                                                        known=", ".join(allowed)))

    def table(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(key)
        if not isinstance(value, dict):
            self.problem(key, message(N_("missing table")) if value is None else message(N_("must be a table")))
            return {}
        return value

    def text(self, raw: dict[str, Any], key: str, where: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(_join(where, key), message(N_("missing text")) if value is None
                         else message(N_("must be text, not {value}"), value=repr(value)))
            return ""
        return value

    def flag(self, raw: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(where, key), message(N_("must be true or false, not {value}"), value=repr(value)))
            return default
        return value

    def whole(self, raw: dict[str, Any], key: str, where: str, low: int, high: int = MAX_WEEK) -> int | None:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(_join(where, key), message(N_("must be a whole number from {low} to {high}, not {value}"),
                                                    low=low, high=high, value=repr(value)))
            return None
        return value

    def number(self, raw: dict[str, Any], key: str, where: str, spec: ParamSpec | None) -> Decimal | None:
        value = raw.get(key)
        at = _join(where, key)
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
        if spec is not None and spec.whole and number > MAX_DAYS:
            self.problem(at, message(N_("must be at most {days} days, not {value}"), days=MAX_DAYS,
                                     value=repr(value)))
            return None
        if spec is not None and spec.positive and number == 0:
            self.problem(at, message(N_("must be above 0")))
            return None
        if spec is not None and spec.whole and number != number.to_integral_value():
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
            self.problem(_join(where, "unit"), message(N_("must be {units}, not {unit}"),
                                                       units=" or ".join(map(repr, spec.units)), unit=repr(unit)))
        rule, source = self.text(entry, "rule", where), self.text(entry, "source", where)
        if spec is not None and not spec.required and entry.get("value") == NONE:
            self.unset[key] = Unset(key=key, unit=str(unit), rule=rule, source=source)
            return None
        number = self.number(entry, "value", where, spec)
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
                self.problem(_join(where, "value"), message(N_("{value} is not accepted; accepted: {known}"),
                                                            value=repr(value), known=", ".join(accepted)))
                continue
            assert isinstance(value, str)
            options[key] = Option(key, value, self.text(entry, "rule", where), self.text(entry, "source", where))
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
        week = self.whole(entry, "week", where, 0)
        hospital = self.flag(entry, "hospital", where, default=False)
        name, source = self.text(entry, "name", where), self.text(entry, "source", where)
        return None if week is None else CourseSpec(name=name, week=week, hospital=hospital, source=source)

    def course_order(self, courses: tuple[CourseSpec, ...]) -> None:
        weeks = [c.week for c in courses]
        if weeks and weeks[0] != 0:
            self.problem("courses[0].week", message(N_("the first course must be at week 0")))
        if any(b <= a for a, b in pairwise(weeks)):
            self.problem("courses", message(N_("weeks must increase from one course to the next")))
        if len({_course_key(c.name) for c in courses}) != len(courses):
            self.problem("courses", message(N_("course names must be unique")))

    def schedule(self, raw: dict[str, Any]) -> tuple[CourseSpec, ...]:
        """``every_weeks`` × ``count`` courses named "baseline", "week 4", "week 8", ..."""
        self.unknown(raw, SCHEDULE_KEYS, "courses")
        count = self.whole(raw, "count", "courses", 1, MAX_COURSES)
        every = self.whole(raw, "every_weeks", "courses", 1) if "every_weeks" in raw or count != 1 else 0
        hospital = raw.get("hospital", "none")
        if hospital not in SCHEDULE_HOSPITAL:
            self.problem("courses.hospital", message(N_("{value} is not accepted; accepted: {known}"),
                                                     value=repr(hospital), known=", ".join(SCHEDULE_HOSPITAL)))
        source = self.text(raw, "source", "courses")
        if count is None or every is None:
            return ()
        if (count - 1) * every > MAX_WEEK:
            self.problem("courses", message(N_("the last course would be at week {week}; accepted: at most week "
                                               "{max}"), week=(count - 1) * every, max=MAX_WEEK))
            return ()
        return tuple(
            CourseSpec(
                name="baseline" if i == 0 else f"week {i * every}",
                week=i * every,
                hospital=hospital == "all" or (hospital == "first" and i == 0),
                source=source,
            )
            for i in range(count)
        )

    def product(self, entry: dict[str, Any]) -> ProtocolProduct:
        concentration = self.number(entry, "concentration_mg_per_ml", "product", ParamSpec(("mg/mL",), positive=True))
        return ProtocolProduct(
            name=self.text(entry, "name", "product"),
            concentration_mg_per_ml=concentration or Decimal(1),
            rule=self.text(entry, "rule", "product"),
            source=self.text(entry, "source", "product"),
            catalogue_id=self.text(entry, "catalogue_id", "product") if "catalogue_id" in entry else None,
            indication=self.text(entry, "indication", "product") if "indication" in entry else None,
        )

    def placebo(self, entry: Any) -> Placebo | None:
        if not isinstance(entry, dict):
            self.problem("placebo", message(N_("must be a table with name, rule and source")))
            return None
        return Placebo(
            name=self.text(entry, "name", "placebo"),
            rule=self.text(entry, "rule", "placebo"),
            source=self.text(entry, "source", "placebo"),
        )


def _option_ok(key: str, value: Any, accepted: tuple[str, ...]) -> bool:
    if not isinstance(value, str):
        return False
    if key == "default_days" and value != SMALLEST:
        return value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DAYS
    if key == "rounding" and value not in accepted:
        return _GRAMS.fullmatch(value) is not None and Decimal(value.rstrip("g ")) > 0
    return value in accepted


def _join(where: str, key: str) -> str:
    return f"{where}.{_key(key)}" if where else _key(key)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    """A key as TOML would have it written: bare if it can be, else quoted, so that a key with no
    name (``"" = 1``) or with a dot or space in it can still be found in the file."""
    if _BARE_KEY.fullmatch(key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'

