"""The expected plans a double check tries, and which one it keeps.

Unless ``--days`` was given the expected plan is tried with the default day count and with the
order's own one when the protocol allows it, and with each rounding the order may have been made
with; the application plans each (the core decides which, the application plans them), and the
first that matches, else the closest, is kept: so a legitimate choice of days is not reported as
dozens of wrong doses, and is named in a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from ivig_dose.core.amounts import amount
from ivig_dose.core.digest import input_digest
from ivig_dose.core.messages import N_, message, neutral
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.core.order_facts import OrderFacts
from ivig_dose.core.protocol import Protocol

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.verification import Verification

T = TypeVar("T")
#: the roundings an order may have been made with, each named by its option: ("", None) is exact.
Roundings = tuple[tuple[str, "Rounding | None"], ...]


@dataclass(frozen=True)
class Variant:
    """One expected plan to try: its request, and the options that make it ("" for none)."""

    options: str
    request: PlanRequest
    #: kept only when it matches: a guess (a course weighed again) that explains nothing otherwise.
    only_a_match: bool = False


def variants(request: PlanRequest, order: OrderFacts, protocol: Protocol, roundings: Roundings,
             weighed: tuple[tuple[str, Decimal, str | None], ...] = ()) -> list[Variant]:
    """Each rounding with the request's day count (``--days`` as given, else the default), then
    with the order's own day count when every course has the same one and the protocol allows it;
    then each of those with the ``weighed`` courses weighed again at the baseline weight (R9)."""
    days: list[tuple[str, int | None]] = [(f"--days {request.days}" if request.days else "", request.days)]
    if request.days is None:
        counts = {f.value for f in order.facts if f.attr == "days" and len(f.node) == 1}
        stated = order.first("days_per_course")
        if stated is not None:
            counts.add(stated.value)
        if len(counts) == 1:
            (count,) = counts
            if isinstance(count, int) and protocol.min_days <= count <= protocol.max_days:
                days.append((message(N_("--days {count} (as the order has it)"), count=count), count))
    tried = [Variant(_options(day_label, round_label), replace(request, days=n, rounding=rounding))
             for day_label, n in days for round_label, rounding in roundings]
    if not weighed:
        return tried
    found = list(tried)
    for courses in _subsets(weighed):
        weights = tuple((name, kg) for name, kg, _ in courses)
        typed = tuple((name, text) for name, _, text in courses if text is not None)
        label = " ".join(f"--course-weight '{name}={amount(kg)} kg'" for name, kg in weights)
        found += [Variant(_options(v.options, label),
                          replace(v.request, course_weights=v.request.course_weights + weights,
                                  course_weights_as_typed=v.request.course_weights_as_typed + typed), True)
                  for v in tried]
    return found


#: the most later courses whose every combination is tried as weighed again; beyond, each alone and all.
MAX_WEIGHED = 4


def _subsets(courses: tuple[T, ...]) -> list[tuple[T, ...]]:
    """Every non-empty combination of ``courses``, fewest first; of many, each alone and all of them."""
    if len(courses) > MAX_WEIGHED:
        return [*((course,) for course in courses), courses]
    return [tuple(c for bit, c in enumerate(courses) if mask >> bit & 1)
            for mask in sorted(range(1, 2 ** len(courses)), key=lambda m: (bin(m).count("1"), m))]


def _options(days: str, rounding: str) -> str:
    """``--days 4 (as the order has it) --round none``: a message when a part is one, so the note
    that names them is said in the reader's language."""
    if days and rounding:
        return neutral("{days} {rounding}", days=days, rounding=rounding)
    return days or rounding


def made_from(plan: Plan, order: OrderFacts) -> bool:
    """True when the order's input digest is this plan's: the order was made from exactly its
    inputs, so no other variant need be tried (each differs from it in its digest at least)."""
    digest = order.document.digest if order.document is not None else None
    return digest is not None and digest == input_digest(plan, order.blinded)


#: the values a course weighed again at the baseline weight changes: the input digest, the "why"
#: and warnings (FHIR notes), the weight's Observation and what points to it, the weight as typed.
WEIGHED_AGAIN_CHANGES = ("input_digest", "inputDigest", "why[", "warnings[", "note[", "Observation[",
                         "supportingInformation", "weight_as_typed")


def closest(found: Iterable[tuple[Variant, Verification]]) -> Verification | None:
    """The first that matches, else the one with the fewest discrepancies (the first of equals).

    A guess (:attr:`Variant.only_a_match`) is tried only while the closest plan so far differs in
    nothing the guess could change: a wrong dose is never explained by a course weighed again."""
    best: Verification | None = None
    for variant, verification in found:
        if verification.matches:
            return verification
        if variant.only_a_match:
            if best is not None and not _weighing_could_explain(best):
                return best
        elif best is None or len(verification.discrepancies) < len(best.discrepancies):
            best = verification
    return best


def _weighing_could_explain(verification: Verification) -> bool:
    return all(any(word in c.key for word in WEIGHED_AGAIN_CHANGES) for c in verification.discrepancies)


def made_with(verification: Verification) -> Verification:
    """The kept verification, with a note naming the options its expected plan was made with."""
    if not verification.options:
        return verification
    note = message(N_("expected plan made with {options}"), options=verification.options)
    return replace(verification, notes=(*verification.notes, note))
