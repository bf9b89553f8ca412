"""The product catalogue: which vials exist and how fast a pump may run, per product, as data.

Vial sizes and rate tables are facts from product labels, not from the trial text, so they live
in a TOML file (``data/products.toml``, or a site's own with ``--products``) where each entry names
its source and says whether it was checked against the current label. Everything is parsed and
checked here, once, into frozen values in exact units (g, mg/mL, mL/kg/h); a bad file is refused
with the file, the product and the key named (:mod:`ivig_dose.files.catalogue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ivig_dose.core.errors import InputError

WHAT = "product catalogue"
BUILT_IN = "(built-in)"
#: vial sizes are counted in tenths of a gram, the dose step, so the vial picker can work in integers.
SIZE_STEP = Decimal("0.1")


@dataclass(frozen=True)
class CatalogueProduct:
    """One product as the pharmacy and the pump need it."""

    id: str
    name: str
    concentration_mg_per_ml: Decimal
    #: IgG per vial in g, smallest first.
    presentations: tuple[Decimal, ...]
    #: pump rates per kg of dosing weight, in mL/kg/h, in the order they run.
    rate_steps: tuple[Decimal, ...]
    step_minutes: int
    source: str
    verified: bool
    #: which catalogue it came from, with its version: "built-in 2026-11-25", or a file's path.
    catalogue: str = BUILT_IN

    @property
    def ml_per_g(self) -> Decimal:
        return Decimal(1000) / self.concentration_mg_per_ml

    def volume_ml(self, grams: Decimal) -> Decimal:
        return grams * self.ml_per_g


@dataclass(frozen=True)
class Catalogue:
    """The products a plan may be dispensed with, and the file they came from for error messages."""

    #: the file's path, or "(built-in)".
    origin: str
    products: tuple[CatalogueProduct, ...]

    def get(self, product_id: str) -> CatalogueProduct:
        wanted = product_id.strip().lower()
        for product in self.products:
            if product.id.lower() == wanted:
                return product
        ids = ", ".join(p.id for p in self.products)
        raise InputError(f"unknown product {product_id!r} in {WHAT} {self.origin}; accepted: {ids}")
