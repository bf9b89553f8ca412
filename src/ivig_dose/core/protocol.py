"""Protocols are data: a regimen's numbers, choices, courses and product, in a frozen :class:`Protocol`.

The dosing core never holds a protocol number as a literal; it asks the protocol. Each
parameter keeps its unit, the rule it feeds and its source, so ``protocol show`` and the
"why" block of a plan can say where every number comes from. Reading and checking a
protocol file is :mod:`ivig_dose.files.protocol_file`'s.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.dosing_weight import IdealWeightFormula, WeightPolicy
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen

#: dose per kg per course, or per kg per day (each day the same, the course their sum).
PER_COURSE = "g/kg"
PER_DAY = "g/kg/day"
SMALLEST = "smallest"


@frozen
class ParamSpec:
    """What a protocol file may write for one parameter, so a bad file is refused by name."""

    units: tuple[str, ...]
    required: bool = True
    whole: bool = False
    #: a value of 0 is refused (a cap, a step or a factor of 0 makes no plan).
    positive: bool = False


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
    # the nurse's day (ivig-dose calendar); left out, data/infusion_day.toml's defaults apply
    "observation_after_first": ParamSpec(("min",), required=False),
    "home_gap": ParamSpec(("min",), required=False),
}
#: the parameters a protocol may leave to a general default with its own source (data files).
DEFAULTED = frozenset({"adjusted_weight_factor", "observation_after_first", "home_gap"})

#: options a protocol may leave out, with the value that then applies.
OPTIONAL_OPTIONS: dict[str, str] = {"rounding": "none"}


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
class Holidays:
    """The public holidays a protocol lists: a hospital day on one of them is warned about
    (:mod:`ivig_dose.core.calendar_days`), as a weekend day is, because a ward may be closed."""

    #: each listed day once, in order (a tuple, as every value of a protocol is one way written).
    dates: tuple[date, ...]
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
    #: the public holidays the protocol lists ([holidays]); None when it lists none.
    holidays: Holidays | None = None

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
        wanted = course_key(name)
        for course in self.courses:
            if course_key(course.name) == wanted:
                return course
        names = ", ".join(c.name for c in self.courses)
        raise InputError(message(N_("unknown course {course!r}; accepted: {known}"), course=name, known=names))


def course_key(name: str) -> str:
    """A course name as compared: case and spaces do not count ("week4" is "week 4")."""
    return "".join(name.lower().split())
