"""Reading a product catalogue file (``data/products.toml``, or a site's own with ``--products``)
into the frozen :class:`~ivig_dose.core.products.Catalogue`.

Every problem is refused with the file, the product and the key named. Reading collects every
problem of a file before it refuses it, so ``products check`` can name them all at once; an
unknown key is a problem (a misspelt ``at_risk`` would otherwise silently mean "no limit"), and
so are rate steps that go down (a label's steps rise to the maximum rate; a list that goes down
is a slip of the pen that would run the pump wrong).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, Quantity, message, neutral, said
from ivig_dose.core.products import (
    BUILT_IN,
    MAX_SIZES,
    MAX_VIAL_G,
    SIZE_STEP,
    WHAT,
    AtRisk,
    Catalogue,
    CatalogueProduct,
    RateTable,
)
from ivig_dose.files.package_data import package_text, parse_toml
from ivig_dose.files.parsed_files import parsed
from ivig_dose.parse.typed_reader import TypedReader, dotted_place

REQUIRED_KEYS = ("name", "concentration", "presentations", "rate_steps", "step_minutes", "source", "verified")
OPTIONAL_KEYS = ("indications", "at_risk", "sources", "gtins")
INDICATION_KEYS = ("rate_steps", "step_minutes", "source")
AT_RISK_KEYS = ("max_rate", "source")
#: the numbers of an entry that ``sources`` may give a source for, one each.
SOURCE_KEYS = ("concentration", "presentations", "rate_steps", "step_minutes")
#: an at-risk ``max_rate`` of "none": the label gives no number.
NO_NUMBER = "none"


class CatalogueError(InputError):
    """A catalogue file that cannot be used; ``problems`` names each thing wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(said(Joined(tuple(problems), "; ")))
        self.problems = problems
_HEADER = re.compile(r"^\s*\[\s*products\s*\.\s*(?P<id>[^\]\s]+)\s*\]", re.MULTILINE)


def load_catalogue(path: str | None = None) -> Catalogue:
    """The shipped catalogue, or a site's own file when ``path`` is given: read each time, parsed
    once per text (:mod:`ivig_dose.files.parsed_files`)."""
    catalogue: Catalogue = parsed(parse_catalogue, catalogue_text(path), BUILT_IN if path is None else path)
    return catalogue


def catalogue_text(path: str | None = None) -> str:
    """The shipped catalogue's text, or a site file's; an unreadable file is one error line."""
    if path is None:
        return package_text("data/products.toml")
    from ivig_dose.files.inputs import read_text_file

    return read_text_file(path, WHAT)


def parse_catalogue(text: str, origin: str) -> Catalogue:
    """Builds and checks a catalogue from TOML text; every problem names ``origin``, product and key.

    Always parses: :func:`load_catalogue` is the reader that remembers.
    """
    _refuse_duplicate_ids(text, origin)
    raw = parse_toml(text, WHAT, origin)
    entries = raw.get("products")
    if not isinstance(entries, dict) or not entries:
        raise InputError(message(N_("product catalogue {origin}: no [products.ID] tables; accepted: one table per "
                                    "product"), origin=origin))
    version = raw.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise InputError(message(N_("product catalogue {origin}: 'version' must be text such as \"2026-11-25\""),
                                 origin=origin))
    # a message, so a reader in another language reads "built-in" in it; JSON keeps the English
    where = message(N_("built-in")) if origin == BUILT_IN else origin
    label = neutral("{where} {version}", where=where, version=version) if version else where
    problems: list[str] = []
    products = []
    for pid, entry in entries.items():
        reader = _EntryReader(origin, pid)
        product = reader.product(entry)
        problems += reader.problems
        if product is not None:
            products.append(replace(product, catalogue=label))
    unknown = [key for key in raw if key not in ("products", "version")]
    problems += [message(N_("product catalogue {origin}: unknown key {key!r}; accepted: version, products"),
                         origin=origin, key=key) for key in unknown]
    problems += _gtins_twice(products, origin)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(origin=origin, products=tuple(products))


def _gtins_twice(products: list[CatalogueProduct], origin: str) -> list[str]:
    """A GTIN is one pack of one product: a GTIN listed for two entries would make a scan say either."""
    seen: dict[str, str] = {}
    problems: list[str] = []
    for product in products:
        for gtin, _ in product.gtins:
            first = seen.setdefault(gtin, product.id)
            if first != product.id:
                problems.append(message(N_("product catalogue {origin}: GTIN {gtin} is listed for {first!r} and "
                                           "{other!r}; accepted: each GTIN for one product"), origin=origin,
                                        gtin=gtin, first=first, other=product.id))
    return problems


def catalogue_problems(text: str, origin: str) -> list[str]:
    """Every problem of a catalogue's text, or an empty list when it can be used (``products check``)."""
    try:
        parse_catalogue(text, origin)
    except CatalogueError as exc:
        return exc.problems
    except InputError as exc:  # a TOML syntax error, an id given twice: the file's one problem
        return [exc.said]
    return []


def _refuse_duplicate_ids(text: str, origin: str) -> None:
    """TOML refuses a repeated table too, but this says which product, and ids differing in case."""
    seen: dict[str, str] = {}
    for match in _HEADER.finditer(text):
        product_id = match["id"].strip('"')
        key = product_id.lower()
        if key in seen:
            raise InputError(message(N_("product catalogue {origin}: product {id!r}: id given twice (also as "
                                        "{other!r}); accepted: each product id once"), origin=origin, id=product_id,
                                     other=seen[key]))
        seen[key] = product_id


class _EntryReader(TypedReader):
    """Reads one ``[products.ID]`` table, naming the file, the product and the key in every problem."""

    def __init__(self, origin: str, product_id: str) -> None:
        super().__init__(self.line, dotted_place)
        self.origin = origin
        self.id = product_id

    def line(self, key: str, what: str) -> str:
        return message(N_("product catalogue {origin}: product {id!r}: {key!r} {problem}"), origin=self.origin,
                       id=self.id, key=key, problem=what)

    def where(self, key: str) -> str:
        return message(N_("product catalogue {origin}: product {id!r}: {key!r}"), origin=self.origin, id=self.id,
                       key=key)

    def product(self, entry: Any) -> CatalogueProduct | None:
        if not isinstance(entry, dict):
            self.problems.append(message(N_("product catalogue {origin}: product {id!r}: not a table; accepted: "
                                            "[products.{id}]"), origin=self.origin, id=self.id))
            return None
        self.unknown(entry, REQUIRED_KEYS + OPTIONAL_KEYS, "", N_("is not a key of a product; accepted: {known}"))
        missing = [key for key in REQUIRED_KEYS if key not in entry]
        if missing:
            self.problem(missing[0], message(N_("is missing; every product needs {keys}"),
                                             keys=", ".join(REQUIRED_KEYS)))
            return None
        concentration = self.concentration(entry["concentration"])
        name, source = self.one_line(entry, "name"), self.one_line(entry, "source")
        presentations = self.presentations(entry["presentations"])
        steps = self.rate_steps(entry["rate_steps"], concentration, "rate_steps")
        minutes = self.step_minutes(entry["step_minutes"], "step_minutes")
        verified = self.flag(entry["verified"], "verified")
        indications = self.indications(entry.get("indications", {}), concentration, minutes)
        at_risk = self.at_risk(entry["at_risk"], concentration) if "at_risk" in entry else None
        sources = self.sources(entry.get("sources", {}))
        gtins = self.gtins(entry["gtins"], presentations) if "gtins" in entry else ((), None)
        if (concentration is None or name is None or source is None or presentations is None or steps is None
                or minutes is None or verified is None or indications is None or sources is None
                or self.problems):
            return None
        return CatalogueProduct(
            id=self.id, name=name, concentration_mg_per_ml=concentration, presentations=presentations,
            rate_steps=steps, step_minutes=minutes, source=source, verified=verified,
            indications=indications, at_risk=at_risk, sources=sources, gtins=gtins[0], gtin_source=gtins[1],
        )

    def one_line(self, entry: dict[str, Any], key: str, where: str = "") -> str | None:
        """Text as one line (a TOML multi-line string's breaks and indents are layout, not content)."""
        text = self.text(entry.get(key), dotted_place(where, key),
                         missing=N_("is missing: every number needs its source"), wrong=N_("must be non-empty text"))
        return None if text is None else " ".join(text.split())

    def quantities(self, value: Any, key: str) -> list[str] | None:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(key, message(N_('must be a non-empty list of quantities written as text, e.g. ["5 g"]')))
            return None
        return value

    def known_table(self, value: Any, key: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        table = self.table(value, key, missing=N_("must be a table"))
        if table is not None:
            self.unknown(table, keys, key, N_("is not a known key; accepted: {known}"))
        return table

    def concentration(self, value: Any) -> Decimal | None:
        from ivig_dose.parse.units import parse_positive

        if not isinstance(value, str):
            self.problem("concentration", message(N_('must be text such as "100 mg/mL"')))
            return None
        return self.attempt(lambda: parse_positive(
            value, "mg/mL", self.where("concentration"), message(N_("a concentration such as 100 mg/mL"))))

    def presentations(self, value: Any) -> tuple[Decimal, ...] | None:
        from ivig_dose.parse.units import parse_positive

        texts = self.quantities(value, "presentations")
        if texts is None:
            return None
        sizes = []
        for text in texts:
            size = self.attempt(lambda text=text: parse_positive(  # type: ignore[misc]
                text, "g", self.where("presentations"), message(N_("a positive mass such as 5 g"))))
            if size is None:
                continue
            if size % SIZE_STEP:
                self.problem("presentations", message(N_("{text!r} is not a whole number of {step}"), text=text,
                                                      step=Quantity(SIZE_STEP, "g")))
            elif size > MAX_VIAL_G:
                self.problem("presentations", message(N_("{text!r} is above {max}, too large a vial to search (the "
                                                         "largest IVIg vial holds 40 g); accepted: vials up to {max}"),
                                                      text=text, max=Quantity(MAX_VIAL_G, "g")))
            sizes.append(size)
        if len(set(sizes)) != len(sizes):
            self.problem("presentations", message(N_("lists a vial size twice")))
        if len(sizes) > MAX_SIZES:
            self.problem("presentations", message(N_("lists {count} sizes, too many to search; accepted: at most "
                                                     "{max}"), count=len(sizes), max=MAX_SIZES))
        return tuple(sorted(sizes)) if len(sizes) == len(texts) else None

    def rate_steps(self, value: Any, mg_per_ml: Decimal | None, key: str) -> tuple[Decimal, ...] | None:
        from ivig_dose.parse.units import parse_rate_per_kg

        texts = self.quantities(value, key)
        if texts is None or mg_per_ml is None:
            return None
        steps = [self.attempt(lambda text=text: parse_rate_per_kg(  # type: ignore[misc]
            text, mg_per_ml, self.where(key))) for text in texts]
        if any(step is None for step in steps):
            return None
        rates = tuple(step for step in steps if step is not None)
        for (before, after), (text_before, text_after) in zip(pairwise(rates), pairwise(texts), strict=True):
            if after < before:
                self.problem(key, message(N_("go down from {before!r} to {after!r}; accepted: steps that rise (or "
                                             "stay), the first rate first and the maximum last"), before=text_before,
                                          after=text_after))
        return rates

    def step_minutes(self, value: Any, key: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(key, message(N_("must be a whole number of minutes above 0, not {value}"), value=repr(value)))
            return None
        return value

    def indications(self, value: Any, mg_per_ml: Decimal | None,
                    minutes: int | None) -> tuple[tuple[str, RateTable], ...] | None:
        """``[products.ID.indications.NAME]`` tables; each one's step time defaults to the entry's."""
        if not isinstance(value, dict):
            self.problem("indications", message(N_("must be a table of [products.ID.indications.NAME] tables")))
            return None
        tables = []
        for name, entry in value.items():
            key = f"indications.{name}"
            table = self.known_table(entry, key, INDICATION_KEYS)
            if table is None:
                continue
            if "rate_steps" not in table:
                self.problem(key, message(N_("has no rate_steps; accepted: rate_steps, step_minutes, source")))
                continue
            steps = self.rate_steps(table["rate_steps"], mg_per_ml, f"{key}.rate_steps")
            own = self.step_minutes(table["step_minutes"], f"{key}.step_minutes") if "step_minutes" in table \
                else minutes
            source = self.one_line(table, "source", key)
            if steps is not None and own is not None and source is not None:
                tables.append((name.strip().lower(), RateTable(steps, own, source)))
        return tuple(tables)

    def at_risk(self, value: Any, mg_per_ml: Decimal | None) -> AtRisk | None:
        """``at_risk = {max_rate = "1.8 mL/kg/h", source = "..."}``; "none" where the label gives no number."""
        table = self.known_table(value, "at_risk", AT_RISK_KEYS)
        if table is None:
            return None
        source = self.one_line(table, "source", "at_risk")
        rate = table.get("max_rate")
        if not isinstance(rate, str):
            self.problem("at_risk.max_rate", message(N_('must be a rate per kg as text ("1.8 mL/kg/h") or "none"')))
            return None
        limit = None
        if rate.strip().lower() != NO_NUMBER:
            from ivig_dose.parse.units import parse_rate_per_kg

            if mg_per_ml is None:
                return None
            limit = self.attempt(lambda: parse_rate_per_kg(
                rate, mg_per_ml, self.where("at_risk.max_rate"),
                message(N_('a rate per kg such as "1.8 mL/kg/h", or "none"'))))
            if limit is None:
                return None
        return None if source is None else AtRisk(limit, source)

    def gtins(self, value: Any, presentations: tuple[Decimal, ...] | None
              ) -> tuple[tuple[tuple[str, Decimal], ...], str | None]:
        """``gtins = { "20 g" = "08712345678906", source = "..." }``: each vial size's GTIN (or a list
        of them: an old and a new pack), and where they were read."""
        from ivig_dose.parse.gs1 import parse_gtin
        from ivig_dose.parse.units import parse_positive

        table = self.table(value, "gtins", wrong=N_("must be a table of vial sizes and GTINs with its source"))
        if table is None:
            return (), None
        source = self.one_line(table, "source", "gtins")
        found: list[tuple[str, Decimal]] = []
        for key, listed in table.items():
            if key == "source":
                continue
            size = self.attempt(lambda key=key: parse_positive(  # type: ignore[misc]
                key, "g", self.where("gtins"), message(N_("a vial size such as \"20 g\""))))
            if size is None:
                continue
            if presentations is not None and size not in presentations:
                self.problem(f"gtins.{key}", message(N_("is not one of the entry's presentations")))
                continue
            texts = listed if isinstance(listed, list) else [listed]
            if not texts or not all(isinstance(text, str) for text in texts):
                self.problem(f"gtins.{key}", message(N_('must be a GTIN as text, or a list of them, e.g. '
                                                        '"08712345678906"')))
                continue
            place = self.where(f"gtins.{key}")
            for text in texts:
                gtin = self.attempt(lambda text=text, place=place: parse_gtin(text, place))  # type: ignore[misc]
                if gtin is None:
                    continue
                if gtin in (known for known, _ in found):
                    self.problem(f"gtins.{key}", message(N_("lists GTIN {gtin} twice"), gtin=gtin))
                found.append((gtin, size))
        if not found:
            self.problem("gtins", message(N_("lists no GTIN; accepted: \"SIZE\" = \"GTIN\" for a vial size")))
        return tuple(found), source

    def sources(self, value: Any) -> tuple[tuple[str, str], ...] | None:
        table = self.known_table(value, "sources", SOURCE_KEYS)
        if table is None:
            return None
        texts = [(key, self.one_line(table, key, "sources")) for key in table if key in SOURCE_KEYS]
        return tuple((key, text) for key, text in texts if text is not None)

