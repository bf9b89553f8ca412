"""Protocols are data: a TOML file per regimen, read into a frozen :class:`Protocol`.

The dosing core never holds a protocol number as a literal; it asks the protocol. Each
parameter keeps its unit, the rule it feeds and its source, so ``protocol show`` and the
"why" block of a plan can say where every number comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ivig_dose.datafiles import BUILT_IN_PACKAGE as BUILT_IN_PACKAGE  # re-exported: older imports name it here
from ivig_dose.datafiles import built_in, find_text, parse_toml
from ivig_dose.errors import InputError

DEFAULT_PROTOCOL = "timeismuscle"

#: the parameters every protocol file must give, with the unit each must be written in.
REQUIRED_PARAMS: dict[str, str] = {
    "dose_per_kg": "g/kg",
    "course_cap": "g",
    "daily_cap": "g",
    "dose_step": "g",
    "min_days": "days",
    "max_days": "days",
    "hospital_portion": "g",
    "min_weight": "kg",
    "max_weight": "kg",
    "warn_below_weight": "kg",
    "warn_above_weight": "kg",
}


@dataclass(frozen=True)
class Param:
    """One protocol number with its unit, the rule it feeds and where it comes from."""

    key: str
    value: Decimal
    unit: str
    rule: str
    source: str


@dataclass(frozen=True)
class CourseSpec:
    """A course of the protocol: its name, its week (counted from the baseline start)."""

    name: str
    week: int
    hospital: bool
    source: str

    @property
    def offset_days(self) -> int:
        return self.week * 7


@dataclass(frozen=True)
class Product:
    """The medicine a protocol gives, as far as dosing needs it."""

    name: str
    concentration_mg_per_ml: Decimal
    rule: str
    source: str

    @property
    def ml_per_g(self) -> Decimal:
        """Millilitres that hold one gram: 1000 mg/g divided by the concentration."""
        return Decimal(1000) / self.concentration_mg_per_ml


@dataclass(frozen=True)
class Placebo:
    name: str
    rule: str
    source: str


@dataclass(frozen=True)
class Protocol:
    """A whole regimen: every number the dosing core needs, each traceable to a source."""

    id: str
    name: str
    version: str
    source: str
    params: dict[str, Param]
    courses: tuple[CourseSpec, ...]
    product: Product
    placebo: Placebo

    def value(self, key: str) -> Decimal:
        return self.params[key].value

    @property
    def dose_per_kg(self) -> Decimal:
        return self.value("dose_per_kg")

    @property
    def course_cap(self) -> Decimal:
        return self.value("course_cap")

    @property
    def daily_cap(self) -> Decimal:
        return self.value("daily_cap")

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
    def hospital_portion(self) -> Decimal:
        return self.value("hospital_portion")

    def course_named(self, name: str) -> CourseSpec:
        """Finds a course by name, forgiving case and spaces ("week4" is "week 4")."""
        wanted = _course_key(name)
        for course in self.courses:
            if _course_key(course.name) == wanted:
                return course
        names = ", ".join(c.name for c in self.courses)
        raise InputError(f"unknown course {name!r}; accepted: {names}")


def _course_key(name: str) -> str:
    return "".join(name.lower().split())


def built_in_names() -> list[str]:
    """The names of the protocols shipped inside the package."""
    return built_in()


def load_protocol(name_or_path: str = DEFAULT_PROTOCOL) -> Protocol:
    """Loads a built-in protocol by name, or a protocol file by path."""
    text, origin = find_text(name_or_path, "protocol")
    return parse_protocol(text, origin)


def parse_protocol(text: str, origin: str) -> Protocol:
    """Builds and checks a protocol from TOML text; every problem names ``origin`` and the key."""
    raw = parse_toml(text, "protocol", origin)
    reader = _Reader(origin)
    params = {key: reader.param(raw, key, unit) for key, unit in REQUIRED_PARAMS.items()}
    protocol = Protocol(
        id=reader.text(raw, "id"),
        name=reader.text(raw, "name"),
        version=reader.text(raw, "version"),
        source=reader.text(raw, "source"),
        params=params,
        courses=tuple(reader.course(c, i) for i, c in enumerate(reader.table_list(raw, "courses"))),
        product=reader.product(reader.table(raw, "product")),
        placebo=reader.placebo(reader.table(raw, "placebo")),
    )
    _check_consistency(protocol, origin)
    return protocol


def _check_consistency(p: Protocol, origin: str) -> None:
    """Refuses protocols whose numbers contradict each other, before any patient is planned."""
    problems = []
    if not p.min_days >= 1 or p.max_days < p.min_days:
        problems.append("min_days must be at least 1 and not above max_days")
    if p.daily_cap * p.max_days < p.course_cap:
        problems.append("course_cap cannot be given within max_days at daily_cap")
    if not p.courses:
        problems.append("there must be at least one [[courses]] entry")
    if len({_course_key(c.name) for c in p.courses}) != len(p.courses):
        problems.append("course names must be unique")
    step = p.dose_step
    if step <= 0:
        problems.append("dose_step must be above 0")
    elif any(p.value(k) % step for k in ("course_cap", "daily_cap", "hospital_portion")):
        problems.append("course_cap, daily_cap and hospital_portion must be whole dose_steps")
    if p.value("min_weight") >= p.value("max_weight"):
        problems.append("min_weight must be below max_weight")
    if problems:
        raise InputError(f"protocol {origin}: " + "; ".join(problems))


class _Reader:
    """Reads typed values out of the raw TOML, naming the file and key in every error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, what: str) -> InputError:
        return InputError(f"protocol {self.origin}: {where}: {what}")

    def table(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "missing table")
        return value

    def table_list(self, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"missing [[{key}]] entries")
        return value

    def text(self, raw: dict[str, Any], key: str, where: str = "") -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where or key, f"missing text {key!r}" if where else "missing text")
        return value

    def number(self, raw: dict[str, Any], key: str, where: str) -> Decimal:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise self.fail(where, f"{key!r} must be a number written as a string, e.g. \"2\"")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(where, f"{key!r} is not a number: {value!r}") from exc
        if not number.is_finite() or number < 0:
            raise self.fail(where, f"{key!r} must be a finite number not below 0, not {value!r}")
        return number

    def param(self, raw: dict[str, Any], key: str, unit: str) -> Param:
        where = f"params.{key}"
        entry = self.table(raw, "params").get(key)
        if not isinstance(entry, dict):
            raise self.fail(where, "missing parameter")
        if entry.get("unit") != unit:
            raise self.fail(where, f"unit must be {unit!r}, not {entry.get('unit')!r}")
        return Param(
            key=key,
            value=self.number(entry, "value", where),
            unit=unit,
            rule=self.text(entry, "rule", where),
            source=self.text(entry, "source", where),
        )

    def course(self, entry: dict[str, Any], index: int) -> CourseSpec:
        where = f"courses[{index}]"
        week = entry.get("week")
        if isinstance(week, bool) or not isinstance(week, int) or week < 0:
            raise self.fail(where, f"'week' must be a whole number of weeks, not {week!r}")
        hospital = entry.get("hospital", False)
        if not isinstance(hospital, bool):
            raise self.fail(where, f"'hospital' must be true or false, not {hospital!r}")
        return CourseSpec(
            name=self.text(entry, "name", where),
            week=week,
            hospital=hospital,
            source=self.text(entry, "source", where),
        )

    def product(self, entry: dict[str, Any]) -> Product:
        concentration = self.number(entry, "concentration_mg_per_ml", "product")
        if concentration <= 0:
            raise self.fail("product", "'concentration_mg_per_ml' must be above 0")
        return Product(
            name=self.text(entry, "name", "product"),
            concentration_mg_per_ml=concentration,
            rule=self.text(entry, "rule", "product"),
            source=self.text(entry, "source", "product"),
        )

    def placebo(self, entry: dict[str, Any]) -> Placebo:
        return Placebo(
            name=self.text(entry, "name", "placebo"),
            rule=self.text(entry, "rule", "placebo"),
            source=self.text(entry, "source", "placebo"),
        )
