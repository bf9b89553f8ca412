"""A verified order as the record keeps it: its bags, numbered as on the labels, each with its ramp.

The record needs an order's bags to check what is written against them, long after the order
file and the catalogue it was dispensed with may have changed. So registering an order stores,
per bag, everything the checks and the remaining-time arithmetic need: its place (course, day,
setting, planned date), its volume, its dose when the order is not blinded, and its ramp (the
pump's rates in order, already held to the product's and the at-risk limits, and the minutes a
step runs). A blinded order stores no arm, product or dose: the record cannot show what it
does not hold. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Quantity, message
from ivig_dose.core.pump import PumpProgram, program_from_rates
from ivig_dose.core.record import Json, Stored, canonical, decimal_text, sha256
from ivig_dose.core.records import frozen
from ivig_dose.core.terms import said_course

if TYPE_CHECKING:
    from ivig_dose.core.order_facts import Node, OrderFacts, Value


@frozen
class Bag:
    """One bag of a registered order: what it holds and the program it runs."""

    number: int
    #: as the order names it, said in the reader's language (:func:`~ivig_dose.core.terms.said_course`).
    course: str
    day: int
    setting: str
    date: date
    volume_ml: Decimal
    #: IgG in the bag; None for a blinded order.
    dose_g: Decimal | None
    #: the pump's rates in the order they are run, in mL/h; the last is the highest the bag may run.
    rates: tuple[Decimal, ...]
    step_minutes: int
    #: the pick list: (vial size in g, count), largest first; () for a placebo bag (no vial), None for
    #: a blinded order (a vial size is an amount of IgG).
    vials: tuple[tuple[Decimal, int], ...] | None = None

    @property
    def top_rate(self) -> Decimal:
        """The highest rate of the bag's program: the product's last step, or the at-risk limit."""
        return self.rates[-1]

    def program(self) -> PumpProgram:
        """The bag's pump program from the start, as the label prints it."""
        return program_from_rates(self.volume_ml, [(rate, False) for rate in self.rates], self.step_minutes)

    def data(self) -> dict[str, Json]:
        found: dict[str, Json] = {
            "number": self.number, "course": self.course, "day": self.day, "setting": self.setting,
            "date": self.date.isoformat(), "volume_ml": decimal_text(self.volume_ml),
            "rates": [decimal_text(rate) for rate in self.rates], "step_minutes": self.step_minutes}
        if self.dose_g is not None:
            found["dose_g"] = decimal_text(self.dose_g)
        if self.vials is not None:
            found["vials"] = [{"grams": decimal_text(size), "count": count} for size, count in self.vials]
        return found

    def place(self) -> dict[str, Json]:
        """What a blinded and an unblinded order of one plan share about the bag: its place, date and volume."""
        return {"number": self.number, "course": self.course, "day": self.day, "setting": self.setting,
                "date": self.date.isoformat(), "volume_ml": decimal_text(self.volume_ml)}


def bag_of(data: Mapping[str, Json]) -> Bag:
    dose, vials = data.get("dose_g"), data.get("vials")
    return Bag(_int(data["number"]), said_course(str(data["course"])), _int(data["day"]), str(data["setting"]),
               date.fromisoformat(str(data["date"])), Decimal(str(data["volume_ml"])),
               None if dose is None else Decimal(str(dose)),
               tuple(Decimal(str(rate)) for rate in _list(data["rates"])), _int(data["step_minutes"]),
               None if vials is None else tuple((Decimal(str(v["grams"])), _int(v["count"]))
                                                for v in _list(vials) if isinstance(v, dict)))


def _int(value: Json) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r}")
    return value


def _list(value: Json) -> list[Json]:
    if not isinstance(value, list):
        raise ValueError(f"not a list: {value!r}")
    return value


@frozen
class CourseTotal:
    """A course as ordered and as given so far, and its cap; doses None when blinded."""

    name: str
    ordered_ml: Decimal
    ordered_g: Decimal | None
    given_ml: Decimal
    given_g: Decimal | None
    cap_ml: Decimal | None
    cap_g: Decimal | None
    bags_given: int
    bags: int

    @property
    def over_cap(self) -> bool:
        return self.cap_ml is not None and self.given_ml > self.cap_ml


@frozen
class OrderedProduct:
    """What the order gives, when it is not blinded."""

    arm: str
    name: str
    #: mg of IgG per mL; None for the placebo (no IgG).
    concentration_mg_per_ml: Decimal | None


@frozen
class Registered:
    """An order as registered: the protocol it follows, its product unless blinded, its bags."""

    protocol: str
    protocol_version: str
    blinded: bool
    product: OrderedProduct | None
    #: the protocol's course cap (None when blinded), and the volume that holds it: the volume
    #: compares in both arms alike.
    course_cap_g: Decimal | None
    course_cap_ml: Decimal | None
    bags: tuple[Bag, ...]
    #: the catalogue entry the order was dispensed with, when it is not blinded and gives IVIg: where
    #: a preparation looks its GTINs up. Not part of the order's identity.
    catalogue_id: str | None = None

    @cached_property
    def digest(self) -> str:
        """The order's own identity: equal orders registered in two records are one order after a merge."""
        return sha256(canonical(self.identity()))

    @cached_property
    def plan_digest(self) -> str:
        """The plan's identity: what a blinded and an unblinded registration of one plan share (the
        protocol, and each bag's place, date and volume), so a nurse's blinded order and the
        pharmacy's unblinded one are two views of one order."""
        return sha256(canonical({"protocol": self.protocol, "protocol_version": self.protocol_version,
                                 "bags": [bag.place() for bag in self.bags]}))

    def identity(self) -> dict[str, Json]:
        found: dict[str, Json] = {"protocol": self.protocol, "protocol_version": self.protocol_version,
                                  "blinded": self.blinded, "bags": [bag.data() for bag in self.bags]}
        if self.product is not None:
            found["arm"] = self.product.arm
            found["product"] = self.product.name
            concentration = self.product.concentration_mg_per_ml
            found["concentration_mg_per_ml"] = None if concentration is None else decimal_text(concentration)
        return found

    def data(self) -> dict[str, Json]:
        found = {"digest": self.digest, **self.identity()}
        if self.course_cap_ml is not None:
            found["course_cap_ml"] = decimal_text(self.course_cap_ml)
        if self.course_cap_g is not None:
            found["course_cap_g"] = decimal_text(self.course_cap_g)
        if self.catalogue_id is not None:
            found["catalogue_id"] = self.catalogue_id
        return found

    def bag(self, number: int, patient: str) -> Bag:
        """Bag ``number`` (from 1); a number the order does not have is refused."""
        if not 1 <= number <= len(self.bags):
            raise InputError(message(N_("bag {bag} is not in the order of patient {patient}; accepted: bag 1 to "
                                        "{count}"), bag=number, patient=patient, count=len(self.bags)))
        return self.bags[number - 1]

    def totals(self, given: Mapping[int, Decimal]) -> tuple[CourseTotal, ...]:
        """Each course, in order of giving, ordered against given: ``given`` is the pump's volume of
        each bag stopped so far, by bag number."""
        names: dict[str, list[Bag]] = {}
        for bag in self.bags:
            names.setdefault(bag.course, []).append(bag)
        totals = []
        for name, bags in names.items():
            volume = sum((given.get(b.number, Decimal(0)) for b in bags), Decimal(0))
            doses = [b.dose_g for b in bags]
            ordered_g = None if None in doses else sum((d or Decimal(0) for d in doses), Decimal(0))
            totals.append(CourseTotal(name, sum((b.volume_ml for b in bags), Decimal(0)), ordered_g, volume,
                                      self.grams(volume), self.course_cap_ml, self.course_cap_g,
                                      sum(1 for b in bags if b.number in given), len(bags)))
        return tuple(totals)

    def grams(self, volume_ml: Decimal) -> Decimal | None:
        """The IgG in ``volume_ml`` of this order's product: 0 for the placebo, None when blinded."""
        if self.product is None:
            return None
        concentration = self.product.concentration_mg_per_ml
        return Decimal(0) if concentration is None else volume_ml * concentration / 1000


@frozen
class View:
    """One registration of an order in a record: its entry, the order as registered, voided or not."""

    stored: Stored
    order: Registered
    voided: bool


@frozen
class OrderViews:
    """One order of a patient, as each record registered it: the nurse's blinded order and the
    pharmacy's unblinded one of the same plan (their digests differ, their plan digest does not)
    are two views of it, and a bag's entries written against either are the bag's."""

    views: tuple[View, ...]

    @property
    def digests(self) -> frozenset[str]:
        return frozenset(view.order.digest for view in self.views)

    @property
    def voided(self) -> bool:
        """Voided when every view of it is."""
        return all(view.voided for view in self.views)

    @property
    def blinded(self) -> bool:
        """Blinded when any view is: a trial's order shows no arm, product or lot unless asked."""
        return any(view.order.blinded for view in self.views)

    def view(self, unblinded: bool = False) -> View:
        """The view to show: a blinded one unless ``unblinded`` asks for the pharmacy's; standing
        views before voided ones."""
        standing = [view for view in self.views if not view.voided] or list(self.views)
        wanted = [view for view in standing if view.order.blinded != unblinded]
        return (wanted or standing)[0]

    def open_view(self) -> View | None:
        """The unblinded view, which a preparation is checked against; None when the record holds none."""
        return next((view for view in self.view_order() if not view.order.blinded), None)

    def view_order(self) -> list[View]:
        return sorted(self.views, key=lambda view: view.voided)


def grouped(views: Iterable[View]) -> list[OrderViews]:
    """Views of one plan together, in the order each plan was first registered."""
    found: dict[str, list[View]] = {}
    for view in views:
        found.setdefault(view.order.plan_digest, []).append(view)
    return [OrderViews(tuple(group)) for group in found.values()]


def registered_of(data: Mapping[str, Json]) -> Registered:
    """An order entry's data back as the order it registered."""
    product = None
    if "arm" in data:
        concentration = data.get("concentration_mg_per_ml")
        product = OrderedProduct(str(data["arm"]), str(data["product"]),
                                 None if concentration is None else Decimal(str(concentration)))
    cap_g, cap_ml, catalogue_id = data.get("course_cap_g"), data.get("course_cap_ml"), data.get("catalogue_id")
    return Registered(str(data["protocol"]), str(data["protocol_version"]), bool(data["blinded"]), product,
                      None if cap_g is None else Decimal(str(cap_g)), None if cap_ml is None else Decimal(str(cap_ml)),
                      tuple(bag_of(bag) for bag in _list(data["bags"]) if isinstance(bag, dict)),
                      None if catalogue_id is None else str(catalogue_id))


#: the ramp of a dosing weight: the pump's rates in mL/h, held to every limit that applies.
Ramp = Callable[[Decimal], Sequence[Decimal]]


def ordered_bags(order: OrderFacts, ramp: Ramp, step_minutes: int) -> tuple[Bag, ...]:
    """Every bag (segment) of an order, numbered in the order it lists them as the labels number
    them, each with its ramp for its course's dosing weight.

    A bag's date, weight and dose may be stated on the bag or above it (a JSON order states the
    date on the day, the dosing weight on the course), so each is looked for upward from the bag.
    """
    facts = order.values()

    def stated(node: Node, attr: str) -> Value | None:
        for depth in range(len(node), -1, -1):
            fact = facts.get((node[:depth], attr))
            if fact is not None:
                return fact.value
        return None

    bags: list[Bag] = []
    for node, _ in order.nodes:
        if len(node) != 3:
            continue
        # a day's or course's volume and dose are not the bag's: those two only on the bag itself
        when, weight = stated(node, "date"), stated(node, "dosing_weight_kg")
        volume, dose = (facts[node, attr].value if (node, attr) in facts else None for attr in ("volume_ml", "dose_g"))
        if not isinstance(when, date) or not isinstance(volume, Decimal) or not isinstance(weight, Decimal):
            raise InputError(message(N_("the order does not state the date, volume and dosing weight of its bag "
                                        "{course} day {day} {setting}; accepted: an order written by ivig-dose plan"),
                                     course=str(node[0]), day=str(node[1]), setting=str(node[2])))
        course = said_course(node[0]) if isinstance(node[0], str) else str(node[0])
        bags.append(Bag(len(bags) + 1, course, int(node[1]), str(node[2]), when, volume,
                        dose if isinstance(dose, Decimal) and not order.blinded else None, tuple(ramp(weight)),
                        step_minutes))
    if not bags:
        raise InputError(message(N_("the order lists no bag; accepted: an order written by ivig-dose plan")))
    return tuple(bags)


def cap_warning(total: CourseTotal) -> list[Message]:
    """A course given past its cap is written (it happened) and said."""
    if not total.over_cap:
        return []
    assert total.cap_ml is not None  # over_cap holds only against a cap
    # blinded (no grams), or a placebo (0 g of IgG): the cap that was passed is its volume
    if not total.given_g or total.cap_g is None:
        return [message(N_("course {course}: {given} given, more than the volume of the course cap ({cap})"),
                        course=total.name, given=Quantity(total.given_ml, "mL"), cap=Quantity(total.cap_ml, "mL"))]
    return [message(N_("course {course}: {given} ({grams}) given, more than the course cap of {cap}"),
                    course=total.name, given=Quantity(total.given_ml, "mL"), grams=Quantity(total.given_g, "g"),
                    cap=Quantity(total.cap_g, "g"))]


@frozen
class Written:
    """An entry just written, and what to say about it."""

    stored: Stored
    order: Registered
    bag: Bag | None = None
    warnings: tuple[str, ...] = ()
    #: True when the order was registered before: nothing was written, ``stored`` is that entry.
    already: bool = False
    #: for a correction: the entry it corrects.
    corrects: Stored | None = None
