"""Reading a product catalogue file (``data/products.toml``, or a site's own with ``--products``)
into the frozen :class:`~ivig_dose.core.products.Catalogue`.

Every problem is refused with the file, the product and the key named.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.products import BUILT_IN, SIZE_STEP, WHAT, Catalogue, CatalogueProduct
from ivig_dose.files.package_data import package_text, parse_toml

REQUIRED_KEYS = ("name", "concentration", "presentations", "rate_steps", "step_minutes", "source", "verified")
_HEADER = re.compile(r"^\s*\[\s*products\s*\.\s*(?P<id>[^\]\s]+)\s*\]", re.MULTILINE)


def load_catalogue(path: str | None = None) -> Catalogue:
    """The shipped catalogue, or a site's own file when ``path`` is given."""
    if path is None:
        return parse_catalogue(package_text("data/products.toml"), BUILT_IN)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read {WHAT} {path!r}: {reason}") from exc
    return parse_catalogue(text, path)


def parse_catalogue(text: str, origin: str) -> Catalogue:
    """Builds and checks a catalogue from TOML text; every problem names ``origin``, product and key.

    A run reads its catalogue once (:func:`ivig_dose.app.plan.setup`), whatever the number of patients.
    """
    _refuse_duplicate_ids(text, origin)
    raw = parse_toml(text, WHAT, origin)
    entries = raw.get("products")
    if not isinstance(entries, dict) or not entries:
        raise InputError(f"{WHAT} {origin}: no [products.ID] tables; accepted: one table per product")
    version = raw.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise InputError(f"{WHAT} {origin}: 'version' must be text such as \"2026-11-25\"")
    label = " ".join(part for part in ("built-in" if origin == BUILT_IN else origin, version) if part)
    products = tuple(replace(_EntryReader(origin, pid).product(entry), catalogue=label)
                     for pid, entry in entries.items())
    return Catalogue(origin=origin, products=products)


def _refuse_duplicate_ids(text: str, origin: str) -> None:
    """TOML refuses a repeated table too, but this says which product, and ids differing in case."""
    seen: dict[str, str] = {}
    for match in _HEADER.finditer(text):
        product_id = match["id"].strip('"')
        key = product_id.lower()
        if key in seen:
            raise InputError(
                f"{WHAT} {origin}: product {product_id!r}: id given twice (also as {seen[key]!r}); "
                "accepted: each product id once"
            )
        seen[key] = product_id


class _EntryReader:
    """Reads one ``[products.ID]`` table, naming the file, the product and the key in every error."""

    def __init__(self, origin: str, product_id: str) -> None:
        self.origin = f"{WHAT} {origin}"
        self.id = product_id

    def fail(self, key: str, what: str) -> InputError:
        return InputError(f"{self.origin}: product {self.id!r}: {key!r} {what}")

    def product(self, entry: Any) -> CatalogueProduct:
        if not isinstance(entry, dict):
            raise InputError(f"{self.origin}: product {self.id!r}: not a table; accepted: [products.{self.id}]")
        missing = [key for key in REQUIRED_KEYS if key not in entry]
        if missing:
            raise self.fail(missing[0], "is missing; every product needs " + ", ".join(REQUIRED_KEYS))
        concentration = self.concentration(entry["concentration"])
        return CatalogueProduct(
            id=self.id,
            name=self.text(entry, "name"),
            concentration_mg_per_ml=concentration,
            presentations=self.presentations(entry["presentations"]),
            rate_steps=self.rate_steps(entry["rate_steps"], concentration),
            step_minutes=self.step_minutes(entry["step_minutes"]),
            source=self.text(entry, "source"),
            verified=self.flag(entry, "verified"),
        )

    def text(self, entry: dict[str, Any], key: str) -> str:
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be non-empty text")
        return " ".join(value.split())

    def flag(self, entry: dict[str, Any], key: str) -> bool:
        value = entry[key]
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {value!r}")
        return value

    def quantities(self, value: Any, key: str) -> list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(key, 'must be a non-empty list of quantities written as text, e.g. ["5 g"]')
        return value

    def concentration(self, value: Any) -> Decimal:
        from ivig_dose.parse.units import parse_positive

        if not isinstance(value, str):
            raise self.fail("concentration", 'must be text such as "100 mg/mL"')
        return parse_positive(value, "mg/mL", self.where("concentration"), "a concentration such as 100 mg/mL")

    def presentations(self, value: Any) -> tuple[Decimal, ...]:
        from ivig_dose.parse.units import parse_positive

        sizes = []
        for text in self.quantities(value, "presentations"):
            size = parse_positive(text, "g", self.where("presentations"), "a positive mass such as 5 g")
            if size % SIZE_STEP:
                raise self.fail("presentations", f"{text!r} is not a whole number of {SIZE_STEP} g")
            sizes.append(size)
        if len(set(sizes)) != len(sizes):
            raise self.fail("presentations", "lists a vial size twice")
        return tuple(sorted(sizes))

    def rate_steps(self, value: Any, mg_per_ml: Decimal) -> tuple[Decimal, ...]:
        from ivig_dose.parse.units import parse_rate_per_kg

        return tuple(
            parse_rate_per_kg(text, mg_per_ml, self.where("rate_steps"))
            for text in self.quantities(value, "rate_steps")
        )

    def step_minutes(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail("step_minutes", f"must be a whole number of minutes above 0, not {value!r}")
        return value

    def where(self, key: str) -> str:
        return f"{self.origin}: product {self.id!r}: {key!r}"
