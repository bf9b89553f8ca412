"""One value of an order set against the expected plan's value for it, and how it is named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from ivig_dose.core.field_words import key_words
from ivig_dose.core.messages import N_, Message, message, neutral
from ivig_dose.core.model import HOME, HOSPITAL
from ivig_dose.core.order_facts import WEIGHT_AS_TYPED_KG, Node, Value
from ivig_dose.core.records import frozen
from ivig_dose.core.terms import Term, said_course

UNITS = {"dose_g": "g", "volume_ml": "mL", "weight_kg": "kg", WEIGHT_AS_TYPED_KG: "kg",
         "concentration_mg_per_ml": "mg/mL", "date": "date", "start": "date"}
#: the unit of an attribute, by the ending of its key (a fact's, or the last key of a leaf's path).
ENDINGS = (("dose_g", "g"), ("volume_ml", "mL"), ("weight_kg", "kg"), ("rate_ml_per_h", "mL/h"),
           ("_minutes", "min"), ("pump_min", "min"), ("waste_g", "g"), ("waste_ml", "mL"), ("grams", "g"),
           ("minutes", "min"), ("duration_min", "min"))
#: the rule name of a pump program's facts, as the plan's "why" block names it.
PUMP = "pump"
#: a bag's setting in a field's name, said in the reader's language (the key stays in JSON as English).
SETTING_WORDS = {HOSPITAL: N_("hospital"), HOME: N_("home")}


@frozen
class Comparison:
    """One value of the order set against the protocol's value for it."""

    field: str
    ordered: Value | bool | None
    expected: Value | bool | None
    unit: str
    rule: str
    matches: bool
    note: str = ""
    row: int | None = None
    #: what stands for a side that is None when "none" would mislead: "no day 3 in the order"...
    absent_ordered: str = ""
    #: ... "no day 3 in the plan", "not written by the tool".
    absent_expected: str = ""
    #: the key compared, as the order writes it (``dose_g``, ``pump.steps[0].volume_ml``), for the
    #: core to tell kinds of discrepancy apart and the reader's words for its values; not shown.
    key: str = ""
    #: the field in words (:func:`field_label`), as people read it; ``field`` is the contract's name.
    label: str = ""

    @property
    def difference(self) -> Decimal | int | None:
        """ordered - expected: an amount in ``unit``, a count, or days between two dates."""
        ordered, expected = self.ordered, self.expected
        if isinstance(ordered, date) and isinstance(expected, date):
            return (ordered - expected).days
        if isinstance(ordered, Decimal | int) and isinstance(expected, Decimal | int):
            if isinstance(ordered, bool) or isinstance(expected, bool):
                return None
            return ordered - expected
        return None

    @property
    def relative(self) -> Decimal | None:
        """The difference as a fraction of the expected amount (None where it is no amount)."""
        difference, expected = self.difference, self.expected
        if difference is None or self.unit == "date" or not isinstance(expected, Decimal) or not expected:
            return None
        return abs(Decimal(difference) / expected)


@lru_cache(maxsize=4096)
def field_name(node: Node, attr: str = "") -> str:
    """``baseline day 1 hospital dose_g``: the node, then the key, as verify's JSON names a value
    (a contract: its English never changes)."""
    words: list[str] = [str(node[0])] if node else []
    if len(node) > 1:
        words.append(message(N_("day {day}"), day=str(node[1])))
    words += [message(SETTING_WORDS[part]) if part in SETTING_WORDS else str(part) for part in node[2:]]
    return _spaced([*words, attr] if attr else words)


def field_label(node: Node, attr: str = "") -> str:
    """``baseline day 1 hospital volume`` (``uitgangskuur dag 1 ziekenhuis volume``): where a value
    sits and what it is, in the words a person reads; the course as its protocol names it (a
    :class:`~ivig_dose.core.terms.Term`), else as a schedule would."""
    if not node:
        return _label(None, (), attr)
    course = _course(node[0])
    # a course's names are part of the key: two protocols may say one "baseline" two ways
    names = (tuple(course.names.items()), course.said) if isinstance(course, Term) else None
    return _label((course, names), node[1:], attr)


@lru_cache(maxsize=4096)
def _label(course: tuple[str, object] | None, rest: Node, attr: str) -> str:
    words: list[str] = [course[0]] if course is not None else []
    if rest:
        words.append(message(N_("day {day}"), day=str(rest[0])))
    words += [message(SETTING_WORDS[part]) if part in SETTING_WORDS else str(part) for part in rest[1:]]
    return _spaced([*words, key_words(attr)] if attr else words)


def _course(name: str | int) -> str:
    """A course as a reader reads it: as its protocol names it, else as a schedule would."""
    return said_course(name) if isinstance(name, str) else str(name)


def _spaced(parts: list[str]) -> Message:
    return neutral(" ".join(f"{{p{index}}}" for index in range(len(parts))),
                   **{f"p{index}": part for index, part in enumerate(parts)})


@lru_cache(maxsize=256)
def unit_of(attr: str) -> str:
    key = attr.rsplit(".", 1)[-1]
    for ending, unit in ENDINGS:
        if key.endswith(ending):
            return unit
    return UNITS.get(key, "")


def absent_from(node: Node, in_plan: bool) -> str:
    """``no day 3 in the plan``: a course, day or bag one side lacks, said as such rather than "none"."""
    if len(node) == 1:
        template = N_("no course {course} in the plan") if in_plan else N_("no course {course} in the order")
        return message(template, course=_course(node[0]))
    if len(node) == 2:
        template = N_("no day {day} in the plan") if in_plan else N_("no day {day} in the order")
        return message(template, day=str(node[1]))
    setting = message(SETTING_WORDS[str(node[2])]) if node[2] in SETTING_WORDS else str(node[2])
    template = N_("no {setting} bag that day in the plan") if in_plan else N_("no {setting} bag that day in the order")
    return message(template, setting=setting)
