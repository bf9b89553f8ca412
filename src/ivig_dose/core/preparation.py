"""What went into a bag: its vials, each with its lot and expiry, checked against the order as it is prepared.

A plasma product must be traceable to every patient who had a batch of it (Directive 2001/83/EC
Art. 102(e)), so the pharmacy records, per bag, the vials it opened: each one's lot and expiry,
and, when it was scanned, its GTIN and serial from the pack's GS1 DataMatrix. The vials must be
the bag's pick list (the sizes and counts of the verified order), of the order's product, not
expired on the day the bag is planned, and of one brand for all the bags of one day (Ontario's
IVIG infusion guideline: do not mix brands at one visit).

A GTIN says which product and vial size a pack is only when the catalogue lists it, with its
source; otherwise the size is typed in front of the scan and the GTIN is recorded unchecked, and
every output says so. Vials are taken to run in the order they were given; where the lot changes
part way through a bag the titration starts again from the first rate (many ward procedures ask
it: a new lot may react differently), which :func:`lot_starts` gives the volumes of. No I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, Message, Quantity, message
from ivig_dose.core.record import AMEND, PREPARE, Entry, Json, Stored, decimal_text
from ivig_dose.core.records import frozen
from ivig_dose.core.terms import said_course

if TYPE_CHECKING:
    from ivig_dose.core.products import Catalogue, CatalogueProduct
    from ivig_dose.core.record_order import Bag, Registered

#: the source of the brand rule, as the refusal names it.
BRAND_RULE = "Ontario IVIG infusion guideline (ORBCoN): do not mix brands at one visit"


@frozen
class VialScan:
    """One vial as the pharmacy gave it: scanned (GTIN, lot, expiry, serial) or typed (size, lot, expiry)."""

    #: what was given, for the messages that name it.
    text: str
    lot: str
    #: the last day the vial may be used (a month's expiry is its last day, as is GS1's day 00).
    expiry: date
    #: the vial's IgG, typed in front of a scan or in SIZE/LOT/EXPIRY; None when not typed.
    size_g: Decimal | None = None
    #: a placebo container's volume, typed in front; None when not typed.
    volume_ml: Decimal | None = None
    #: the GTIN in 14 digits, its check digit checked; None for a typed vial.
    gtin: str | None = None
    serial: str | None = None
    #: the GS1 company prefix of the GTIN, when the GS1 prefix tables say how long it is.
    company: str | None = None


@frozen
class Vial:
    """A vial as the record keeps it, after the checks."""

    lot: str
    expiry: date
    #: what of the bag it holds, in mL: its IgG over the concentration, or a container's volume.
    volume_ml: Decimal
    #: IgG in the vial; None for a placebo container.
    size_g: Decimal | None = None
    gtin: str | None = None
    serial: str | None = None
    #: the catalogue entry whose GTIN table lists the GTIN; None when the GTIN was not checked.
    listed: str | None = None
    company: str | None = None

    def data(self) -> dict[str, Json]:
        found: dict[str, Json] = {"lot": self.lot, "expiry": self.expiry.isoformat(),
                                  "volume_ml": decimal_text(self.volume_ml)}
        for key, value in (("size_g", None if self.size_g is None else decimal_text(self.size_g)),
                           ("gtin", self.gtin), ("serial", self.serial), ("listed", self.listed),
                           ("company", self.company)):
            if value is not None:
                found[key] = value
        return found


def vial_of(data: Mapping[str, Json]) -> Vial:
    def text(key: str) -> str | None:
        value = data.get(key)
        return None if value is None else str(value)

    size = text("size_g")
    return Vial(str(data["lot"]), date.fromisoformat(str(data["expiry"])), Decimal(str(data["volume_ml"])),
                None if size is None else Decimal(size), text("gtin"), text("serial"), text("listed"),
                text("company"))


@frozen
class Place:
    """A bag as the labels place it, the same in a blinded and an unblinded order of one plan: what a
    nurse's administration and a pharmacy's preparation are joined by."""

    patient: str
    protocol: str
    course: str
    day: int
    setting: str

    @classmethod
    def of(cls, patient: str, order: Registered, bag: Bag) -> Place:
        return cls(patient, order.protocol, bag.course, bag.day, bag.setting)

    def data(self) -> dict[str, Json]:
        return {"protocol": self.protocol, "course": self.course, "day": self.day, "setting": self.setting}


def place_of(patient: str, data: Mapping[str, Json]) -> Place:
    day = data.get("day")
    return Place(patient, str(data.get("protocol")), said_course(str(data.get("course"))),
                 day if isinstance(day, int) else 0, str(data.get("setting")))


@frozen
class Preparation:
    """A bag's preparation as recorded: who, when, the product and the vials in the order they run."""

    uuid: str
    seq: int
    by: str
    at: str
    zone: str
    place: Place
    #: the bag's number in the order it was prepared against, and that order's digest.
    bag: int
    order: str
    #: the day the bag is planned for: the brand rule holds for the bags of one day.
    planned: date
    product: str
    concentration_mg_per_ml: Decimal | None
    vials: tuple[Vial, ...]
    voided: bool = False

    @property
    def short(self) -> str:
        return self.uuid[:8]

    @property
    def lots(self) -> tuple[str, ...]:
        """Each lot once, in the order its vials run."""
        return tuple(dict.fromkeys(vial.lot for vial in self.vials))

    @property
    def unchecked(self) -> bool:
        """True when a vial's GTIN was scanned but no catalogue entry lists it."""
        return any(vial.gtin is not None and vial.listed is None for vial in self.vials)


def preparation_data(order: Registered, bag: Bag, place: Place, vials: Sequence[Vial]) -> dict[str, Json]:
    """A prepare entry's fields: the order and bag it was checked against, the product, the vials."""
    product = order.product
    assert product is not None
    found: dict[str, Json] = {"order": order.digest, "place": place.data(), "date": bag.date.isoformat(),
                              "product": product.name, "vials": [vial.data() for vial in vials]}
    if product.concentration_mg_per_ml is not None:
        found["concentration_mg_per_ml"] = decimal_text(product.concentration_mg_per_ml)
    return found


def preparation_of(seq: int, uuid: str, patient: str, bag: int | None, by: str, at: str, zone: str,
                   data: Mapping[str, Json], voided: bool = False) -> Preparation:
    place = data.get("place")
    vials = data.get("vials")
    concentration = data.get("concentration_mg_per_ml")
    return Preparation(
        uuid, seq, by, at, zone, place_of(patient, place if isinstance(place, dict) else {}), bag or 0,
        str(data.get("order")), date.fromisoformat(str(data.get("date"))), str(data.get("product")),
        None if concentration is None else Decimal(str(concentration)),
        tuple(vial_of(v) for v in (vials if isinstance(vials, list) else []) if isinstance(v, dict)), voided)


# ---- the checks --------------------------------------------------------------------------------------


def _vial_name(number: int, scan: VialScan) -> str:
    return message(N_("vial {number} ({text})"), number=number, text=scan.text)


def checked_vials(order: Registered, bag: Bag, scans: Sequence[VialScan], catalogue: Catalogue,
                  product: CatalogueProduct | None) -> tuple[Vial, ...]:
    """The vials of ``scans`` as the record keeps them, or an InputError naming the first that may
    not go into ``bag``: expired by its planned date, of another product or concentration, of a size
    the catalogue gives otherwise, or vials that are not the bag's pick list.

    ``product`` is the order's entry in ``catalogue`` (None when the catalogue has none)."""
    if not scans:
        raise InputError(message(N_("no --vial given; accepted: one --vial for each vial of the bag's pick list")))
    vials = tuple(_checked_vial(number, scan, order, bag, catalogue, product)
                  for number, scan in enumerate(scans, 1))
    _same_pack_twice(scans)
    if order.product is not None and order.product.concentration_mg_per_ml is None:
        _holds_the_bag(bag, vials)
    else:
        _is_the_pick_list(bag, vials)
    return vials


def _checked_vial(number: int, scan: VialScan, order: Registered, bag: Bag, catalogue: Catalogue,
                  product: CatalogueProduct | None) -> Vial:
    ordered = order.product
    assert ordered is not None
    name = _vial_name(number, scan)
    if scan.expiry < bag.date:
        raise InputError(message(N_("{vial}: lot {lot} expires {expiry}, before bag {bag} is given on {date}; "
                                    "accepted: a vial that keeps until the day the bag is planned"),
                                 vial=name, lot=scan.lot, expiry=scan.expiry, bag=bag.number, date=bag.date))
    concentration = ordered.concentration_mg_per_ml
    listed = catalogue.by_gtin(scan.gtin) if scan.gtin is not None else None
    if concentration is None:  # the placebo: a container of NaCl, given by its volume
        if listed is not None or scan.size_g is not None:
            raise InputError(message(N_("{vial} is a vial of IgG, but bag {bag} is {product}; accepted: its "
                                        "containers, the volume in front (500 mL/...)"), vial=name, bag=bag.number,
                                     product=ordered.name))
        if scan.volume_ml is None:
            raise InputError(message(N_("{vial} gives no volume; accepted: the container's volume in front, as in "
                                        "500 mL/LOT/2027-12"), vial=name))
        return Vial(scan.lot, scan.expiry, scan.volume_ml, None, scan.gtin, scan.serial, None, scan.company)
    if scan.volume_ml is not None:
        raise InputError(message(N_("{vial} gives a volume, but a vial of {product} is given by its IgG; accepted: "
                                    "its size in front, as in 20 g/..."), vial=name, product=ordered.name))
    size, listed_id = _size(name, scan, ordered.name, concentration, listed, product)
    return Vial(scan.lot, scan.expiry, size * 1000 / concentration, size, scan.gtin, scan.serial, listed_id,
                scan.company)


def _size(name: str, scan: VialScan, ordered: str, concentration: Decimal,
          listed: tuple[CatalogueProduct, Decimal] | None,
          product: CatalogueProduct | None) -> tuple[Decimal, str | None]:
    """The vial's size, from the catalogue's GTIN table when it lists the GTIN, else as typed; and
    the entry that lists it."""
    gtin = scan.gtin or ""
    if listed is not None:
        other, size = listed
        if other.concentration_mg_per_ml != concentration:
            raise InputError(message(N_("{vial}: GTIN {gtin} is {product} {concentration} mg/mL in the catalogue, "
                                        "another concentration than the order's {ordered} ({wanted} mg/mL); "
                                        "accepted: vials of {ordered}"), vial=name, gtin=gtin,
                                     product=other.name, concentration=other.concentration_mg_per_ml,
                                     ordered=ordered, wanted=concentration))
        if product is None or other.id != product.id:
            raise InputError(message(N_("{vial}: GTIN {gtin} is {product} in the catalogue, another product than the "
                                        "order's {ordered}; accepted: vials of {ordered}"), vial=name, gtin=gtin,
                                     product=other.name, ordered=ordered))
        if scan.size_g is not None and scan.size_g != size:
            raise InputError(message(N_("{vial}: GTIN {gtin} is a vial of {size} in the catalogue, not the {typed} "
                                        "typed in front; accepted: the size on the pack, or the scan alone"),
                                     vial=name, gtin=gtin, size=Quantity(size, "g"),
                                     typed=Quantity(scan.size_g, "g")))
        return size, other.id
    if scan.gtin is not None and product is not None and product.gtins:
        raise InputError(message(N_("{vial}: GTIN {gtin} is not one of {product}'s in the catalogue ({listed}); "
                                    "accepted: a vial of {product}"), vial=name, gtin=gtin, product=ordered,
                                 listed=Joined(tuple(gtin for gtin, _ in product.gtins), ", ")))
    if scan.size_g is None:
        raise InputError(message(N_("{vial}: the catalogue lists no GTIN for {product}, so the scan cannot say the "
                                    "vial's size; accepted: the size in front, as in \"20 g/(01)...\""), vial=name,
                                 product=ordered))
    return scan.size_g, None


def _same_pack_twice(scans: Sequence[VialScan]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for number, scan in enumerate(scans, 1):
        if scan.gtin is None or scan.serial is None:
            continue
        first = seen.setdefault((scan.gtin, scan.serial), number)
        if first != number:
            raise InputError(message(N_("vial {number} is the same pack as vial {first} (GTIN {gtin}, serial "
                                        "{serial}); accepted: each vial scanned once"), number=number, first=first,
                                     gtin=scan.gtin, serial=scan.serial))


def pick_list_text(counts: Iterable[tuple[Decimal, int]]) -> Joined:
    """``1 × 20 g + 1 × 10 g``, largest first."""
    from ivig_dose.core.order_facts import vial_count  # with the plan model: not on a bedside write's path

    return Joined(tuple(vial_count(count, size) for size, count in sorted(counts, reverse=True) if count), " + ")


def _is_the_pick_list(bag: Bag, vials: Sequence[Vial]) -> None:
    if bag.vials is None:
        raise InputError(message(N_("the order of bag {bag} was registered without its pick list (by an older "
                                    "ivig-dose); accepted: the order registered again, after voiding it"),
                                 bag=bag.number))
    given = Counter(vial.size_g for vial in vials if vial.size_g is not None)
    if given != Counter(dict(bag.vials)):
        raise InputError(message(N_("the vials given for bag {bag} are {given}; its pick list is {wanted}; accepted: "
                                    "exactly the pick list, one --vial a vial"), bag=bag.number,
                                 given=pick_list_text(given.items()), wanted=pick_list_text(bag.vials)))


def _holds_the_bag(bag: Bag, vials: Sequence[Vial]) -> None:
    held = sum((vial.volume_ml for vial in vials), Decimal(0))
    if held < bag.volume_ml:
        raise InputError(message(N_("the containers given for bag {bag} hold {held}, less than its {volume}; "
                                    "accepted: containers that hold the bag's volume"), bag=bag.number,
                                 held=Quantity(held, "mL"), volume=Quantity(bag.volume_ml, "mL")))


def two_brands(first: Vial, second: Vial) -> bool:
    """True when two vials are known to be of different brands: by their catalogue entries when both
    GTINs are listed, else by their GS1 company prefixes when both are known."""
    if first.listed is not None and second.listed is not None:
        return first.listed != second.listed
    return first.company is not None and second.company is not None and first.company != second.company


def one_brand(bag: Bag, vials: Sequence[Vial], same_day: Iterable[Preparation]) -> None:
    """Refuses vials of two brands for the bags of one day: among ``vials`` and those of the other
    bags prepared for the same planned date."""
    others = [(prep, vial) for prep in same_day for vial in prep.vials]
    for index, vial in enumerate(vials):
        for number, other in enumerate(vials[:index], 1):
            if two_brands(vial, other):
                raise InputError(_two_brands(index + 1, vial, message(N_("vial {number}"), number=number), other))
        for prep, other in others:
            if two_brands(vial, other):
                where = message(N_("a vial of bag {bag} (entry {entry})"), bag=prep.bag, entry=prep.short)
                raise InputError(_two_brands(index + 1, vial, where, other))


def _two_brands(number: int, vial: Vial, where: str, other: Vial) -> Message:
    return message(N_("vial {number} (GTIN {gtin}) is of another brand than {other} (GTIN {other_gtin}) on the same "
                      "day; accepted: one brand for all the bags of a day ({rule})"), number=number,
                   gtin=vial.gtin or "", other=where, other_gtin=other.gtin or "", rule=BRAND_RULE)


def unchecked_warnings(vials: Sequence[Vial]) -> list[Message]:
    """A scanned GTIN no catalogue entry lists is recorded, and said: its size was typed, not checked."""
    unchecked = [vial.gtin for vial in vials if vial.gtin is not None and vial.listed is None]
    if not unchecked:
        return []
    return [message(N_("GTIN {gtins} not checked: the catalogue lists no GTIN for this product, so each vial's size "
                       "is the one typed in front"), gtins=Joined(tuple(dict.fromkeys(unchecked)), ", "))]


@frozen
class LotStart:
    """A lot that starts part way through a bag: the volume infused when its first vial starts."""

    infused_ml: Decimal
    lot: str


def lot_starts(vials: Sequence[Vial], bag_volume_ml: Decimal) -> tuple[LotStart, ...]:
    """Where a new lot starts in a bag whose vials run in the order given; a lot that would start
    only after the bag's volume (the last vial's waste) does not."""
    starts, infused, previous = [], Decimal(0), None
    for vial in vials:
        if previous is not None and vial.lot != previous and infused < bag_volume_ml:
            starts.append(LotStart(infused, vial.lot))
        previous, infused = vial.lot, infused + vial.volume_ml
    return tuple(starts)


def preparations(rows: Iterable[Stored]) -> list[Preparation]:
    """A patient's preparations as they stand, in storage order: each voided when a correction voids it
    (a preparation is corrected only by voiding it and preparing the bag again)."""
    found: list[tuple[int, Entry]] = []
    voids: set[str] = set()
    for row in rows:
        entry = row.entry
        if entry.kind == PREPARE:
            found.append((row.seq, entry))
        elif entry.kind == AMEND and entry.data.get("void"):
            voids.add(str(entry.data.get("corrects")))
    return [preparation_of(seq, e.uuid, e.patient, e.bag, e.by, e.at, e.zone, e.data, e.uuid in voids)
            for seq, e in found]


def vial_at(vials: Sequence[Vial], infused_ml: Decimal) -> Vial:
    """The vial running when ``infused_ml`` of the bag has gone in (vials run in the order given)."""
    start = Decimal(0)
    for vial in vials:
        if infused_ml < start + vial.volume_ml:
            return vial
        start += vial.volume_ml
    return vials[-1]


def standing(preparations: Iterable[Preparation]) -> Preparation | None:
    """The preparation a bag was given from: the last one not voided."""
    found = [prep for prep in preparations if not prep.voided]
    return found[-1] if found else None
