"""The product catalogue: which vials exist and how fast a pump may run, per product, as data.

Vial sizes and rate tables are facts from product labels, not from the trial text, so they live
in a TOML file (``data/products.toml``, or a site's own with ``--products``) where each entry names
its source and says whether it was checked against the current label. Everything is parsed and
checked here, once, into frozen values in exact units (g, mg/mL, mL/kg/h); a bad file is refused
with the file, the product and the key named (:mod:`ivig_dose.files.catalogue`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, AndList, message, said
from ivig_dose.core.records import frozen

WHAT = message(N_("product catalogue"))
BUILT_IN = "(built-in)"
#: vial sizes are counted in tenths of a gram, the dose step, so the vial picker can work in integers.
SIZE_STEP = Decimal("0.1")
#: The exact vial picker (core/vials.py) builds a table up to the dose plus the smallest vial, in
#: SIZE_STEP units, and walks every size for each entry of it. The largest IVIg vial on the market
#: holds 40 g and a product comes in about six sizes; a larger vial or a longer list is a typo that
#: would make every plan slow, so a catalogue is refused past these bounds.
MAX_VIAL_G = Decimal(200)
MAX_SIZES = 12
#: the patients every IVIg label's boxed warning singles out (``--risk``).
RISKS = ("thrombosis", "renal")
#: how the risks are said: the labels' "renal dysfunction", not the option's short "renal".
RISK_WORDS = {"thrombosis": N_("thrombosis"), "renal": N_("renal dysfunction")}


def risk_text(risks: tuple[str, ...] | list[str]) -> str:
    """ "thrombosis and renal dysfunction" for ``("renal", "thrombosis")``, in the labels' order."""
    return said(AndList(tuple(message(RISK_WORDS[r]) for r in RISKS if r in risks)))


#: the boxed warning's words for them (Privigen and Gamunex-C US prescribing information; the same
#: class wording on every IVIg label): quoted when a label gives no number to cap the pump at.
AT_RISK_WORDS = "administer at the minimum dose and infusion rate practicable"


@frozen
class RateTable:
    """One indication's pump table: the steps (first rate ... maximum) and where they come from."""

    rate_steps: tuple[Decimal, ...]
    step_minutes: int
    source: str


@frozen
class AtRisk:
    """What the label says for patients at risk of thrombosis or renal dysfunction."""

    #: the most the pump may run, in mL/kg/h; None where the label gives no number.
    max_ml_per_kg_h: Decimal | None
    source: str


@frozen
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
    #: per-indication rate tables, by indication name (``--indication``); () when the entry has one table.
    indications: tuple[tuple[str, RateTable], ...] = ()
    #: the indication whose table ``rate_steps`` holds; None for the entry's own table.
    indication: str | None = None
    #: the at-risk limit of the label; None when the entry says nothing about it.
    at_risk: AtRisk | None = None
    #: where each number comes from, by key (concentration, presentations, rate_steps, step_minutes).
    sources: tuple[tuple[str, str], ...] = ()
    #: the GTINs (14 digits, as a pack's GS1 DataMatrix carries them) of each vial size, and where
    #: they come from; () when the entry lists none, and then a scanned vial's size cannot be checked.
    gtins: tuple[tuple[str, Decimal], ...] = ()
    gtin_source: str | None = None

    def source_of(self, key: str) -> str:
        """The source of one number: its own when the entry gives one, else the entry's."""
        if key == "rate_steps" and self.indication is not None:
            return dict(self.indications)[self.indication].source
        return dict(self.sources).get(key, self.source)

    def for_indication(self, indication: str | None) -> CatalogueProduct:
        """The entry with the rate table of ``indication``; None keeps the entry's own table.

        An indication the entry does not know is refused, naming the ones it does: a wrong table
        would run the pump faster than that indication's label allows (Privigen: ITP at most
        4 mg/kg/min, PI and CIDP 8).
        """
        if indication is None:
            return self
        wanted = indication.strip().lower()
        tables = dict(self.indications)
        if wanted not in tables:
            known = ", ".join(tables) if tables else message(N_("none (it has one rate table for every use)"))
            raise InputError(message(N_("--indication {indication!r} is not known to product {id!r}; accepted: "
                                        "{known}"), indication=indication, id=self.id, known=known))
        table = tables[wanted]
        return replace(self, rate_steps=table.rate_steps, step_minutes=table.step_minutes, indication=wanted)

    @property
    def ml_per_g(self) -> Decimal:
        return Decimal(1000) / self.concentration_mg_per_ml

    def volume_ml(self, grams: Decimal) -> Decimal:
        return grams * self.ml_per_g


@frozen
class Catalogue:
    """The products a plan may be dispensed with, and the file they came from for error messages."""

    #: the file's path, or "(built-in)".
    origin: str
    products: tuple[CatalogueProduct, ...]

    def by_gtin(self, gtin: str) -> tuple[CatalogueProduct, Decimal] | None:
        """The product and vial size whose GTIN table lists ``gtin``; None when no entry lists it."""
        for product in self.products:
            for listed, size in product.gtins:
                if listed == gtin:
                    return product, size
        return None

    def get(self, product_id: str) -> CatalogueProduct:
        wanted = product_id.strip().lower()
        for product in self.products:
            if product.id.lower() == wanted:
                return product
        ids = ", ".join(p.id for p in self.products)
        raise InputError(message(N_("unknown product {product!r} in product catalogue {origin}; accepted: {known}"),
                                 product=product_id, origin=self.origin, known=ids))
