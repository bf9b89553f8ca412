"""Typed reads from a parsed FHIR Bundle: each names the JSON path and what is accepted when the
value is wrong, and marks the path it read, so the values read into facts are told from the rest.

Numbers arrive as exact decimals (the JSON is parsed with ``parse_float=Decimal``); units must
be UCUM and are converted exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

UCUM = "http://unitsofmeasure.org"
#: UCUM codes accepted for each kind of amount, with the factor to the unit the facts are in.
GRAMS = {"g": Decimal(1), "mg": Decimal("0.001")}
MILLILITRES = {"mL": Decimal(1), "L": Decimal(1000)}
KILOGRAMS = {"kg": Decimal(1), "g": Decimal("0.001")}
MINUTES = {"min": Decimal(1), "h": Decimal(60)}
RATES = {"mL/h": Decimal(1), "mL/min": Decimal(60)}
MG_PER_ML = {("mg", "mL"): Decimal(1), ("g", "mL"): Decimal(1000), ("mg", "L"): Decimal("0.001"),
             ("g", "L"): Decimal(1)}
#: an extension's parts by their url: the value, and the path it is at.
Parts = dict[str, tuple[Any, str]]
Resources = dict[str, tuple[dict[str, Any], str]]


def items(value: Any) -> list[Any]:
    """A JSON list, or nothing: for optional lists, whose wrong type leaves nothing to read."""
    return value if isinstance(value, list) else []


def fields(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class FhirReads:
    """Typed reads; ``read`` collects the path of every value read into a fact."""

    def __init__(self, where: str, read: set[str]) -> None:
        self.where = where
        self.read = read

    def fail(self, path: str, what: str) -> InputError:
        return InputError(message(N_("{where}: {path}: {problem}"), where=self.where, path=path, problem=what))

    def object(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, message(N_("missing, or not a JSON object")))
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, message(N_("missing, or not a JSON list")))
        return value

    def extension(self, extensions: Any, url: str, path: str, required: bool) -> Parts:
        """A complex extension's parts by their url: {"course": ("baseline", path), ...}."""
        found = [(index, e) for index, e in enumerate(items(extensions)) if fields(e).get("url") == url]
        if not found:
            if required:
                raise self.fail(path, message(N_("no {url} extension (course, day, setting); accepted: a bundle as "
                                                 "'ivig-dose plan -f fhir' writes it"), url=url))
            return {}
        index, extension = found[0]
        parts: Parts = {}
        for number, part in enumerate(items(extension.get("extension"))):
            if isinstance(part, dict) and isinstance(part.get("url"), str):
                values = [(k, v) for k, v in part.items() if k.startswith("value")]
                key, value = values[0] if values else ("value", None)
                parts[part["url"]] = (value, f"{path}[{index}].extension[{number}].{key}")
        return parts

    def resolve(self, reference: dict[str, Any], path: str, resources: Resources,
                kind: str | None) -> tuple[dict[str, Any], str]:
        target = reference.get("reference")
        if not isinstance(target, str) or target not in resources:
            raise self.fail(f"{path}.reference", message(N_("{target} is not a resource of this bundle; accepted: "
                                                            "the fullUrl of one of its entries"), target=repr(target)))
        resource, where = resources[target]
        if kind is not None and resource.get("resourceType") != kind:
            raise self.fail(f"{path}.reference", message(N_("{target!r} is a {found}, not a {kind}"), target=target,
                                                         found=str(resource.get("resourceType")), kind=kind))
        return resource, where

    def text(self, parts: Parts, key: str, path: str) -> str:
        value, at = parts.get(key, (None, f"{path}.{key}"))
        if not isinstance(value, str) or not value.strip():
            raise self.fail(at, message(N_("{value} is missing or not a text"), value=repr(value)))
        self.read.add(at)
        return value.strip()

    def whole(self, parts: Parts, key: str, path: str) -> int:
        value, at = parts.get(key, (None, f"{path}.{key}"))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(at, message(N_("{value} is not a whole number; accepted: e.g. 1"), value=repr(value)))
        self.read.add(at)
        return value

    def number(self, value: Any, path: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.fail(path, message(N_("{value} is not a number; accepted: a JSON number such as 53.6"),
                                          value=repr(value)))
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number < 0:
            raise self.fail(path, message(N_("{value} must be a number not below 0"), value=repr(value)))
        self.read.add(path)
        return number

    def unit(self, quantity: Any, path: str) -> str:
        """The UCUM code of a Quantity (its ``code``, else its ``unit``); another system is refused."""
        found = self.object(quantity, path)
        system = found.get("system")
        if system is not None and system != UCUM:
            raise self.fail(f"{path}.system", message(N_("{system}; accepted: UCUM ({ucum})"), system=repr(system),
                                                      ucum=UCUM))
        key = "code" if "code" in found else "unit"
        unit = found.get(key)
        if not isinstance(unit, str):
            raise self.fail(f"{path}.code", message(N_("no unit; accepted: a UCUM code such as g or mL")))
        self.read.add(f"{path}.{key}")
        return unit

    def agrees(self, quantity: dict[str, Any], path: str) -> None:
        """A person reads a Quantity's unit, a system its code: a bundle where they differ says two things."""
        if "unit" in quantity and "code" in quantity:
            if quantity["unit"] != quantity["code"]:
                raise self.fail(f"{path}.unit", message(N_("{unit} but code {code}; accepted: a unit that is its "
                                                           "code"), unit=repr(quantity["unit"]),
                                                        code=repr(quantity["code"])))
            self.read.add(f"{path}.unit")

    def quantity(self, quantity: Any, path: str, units: dict[str, Decimal], what: str) -> Decimal:
        unit = self.unit(quantity, path)
        if unit not in units:
            raise self.fail(f"{path}.code", message(N_("{unit!r} is not {what}; accepted: {known}"), unit=unit,
                                                    what=what, known=", ".join(units)))
        self.agrees(quantity, path)
        return self.number(quantity.get("value"), f"{path}.value") * units[unit]

    def ratio(self, strength: Any, path: str) -> Decimal:
        found = self.object(strength, path)
        numerator, denominator = f"{path}.numerator", f"{path}.denominator"
        units = (self.unit(found.get("numerator"), numerator), self.unit(found.get("denominator"), denominator))
        if units not in MG_PER_ML:
            raise self.fail(path, message(N_("{unit} is not a concentration; accepted: mg/mL, g/mL, g/L, mg/L"),
                                          unit=f"{units[0]}/{units[1]}"))
        self.agrees(found["numerator"], numerator)
        self.agrees(found["denominator"], denominator)
        per = self.number(found["denominator"].get("value"), f"{denominator}.value")
        if per == 0:
            raise self.fail(f"{denominator}.value", message(N_("0; accepted: a positive amount, e.g. 1")))
        return self.number(found["numerator"].get("value"), f"{numerator}.value") / per * MG_PER_ML[units]

    def date(self, value: Any, path: str) -> date:
        """A FHIR date or dateTime; a dateTime gives its own calendar date."""
        if isinstance(value, str):
            try:
                found = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
            except ValueError:
                pass
            else:
                if len(value) == 10:  # a time of day the tool never writes is compared as written
                    self.read.add(path)
                return found
        raise self.fail(path, message(N_("{value} is not a FHIR date; accepted: e.g. 2027-01-04 or "
                                         "2027-01-04T09:00:00+01:00"), value=repr(value)))
