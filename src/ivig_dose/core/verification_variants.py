"""The expected plans a double check tries, and which one it keeps.

Unless ``--days`` was given the expected plan is tried with the default day count and with the
order's own one when the protocol allows it, and with each rounding the order may have been made
with; the application plans each (the core decides which, the application plans them), and the
first that matches, else the closest, is kept: so a legitimate choice of days is not reported as
dozens of wrong doses, and is named in a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from itertools import combinations
from typing import TYPE_CHECKING

from ivig_dose.core.amounts import amount
from ivig_dose.core.digest import canonical_inputs, input_digest, inputs_digest
from ivig_dose.core.messages import N_, message, neutral
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.core.order_facts import OrderFacts
from ivig_dose.core.protocol import Protocol
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.verification import Verification

#: the roundings an order may have been made with, each named by its option: ("", None) is exact.
Roundings = tuple[tuple[str, "Rounding | None"], ...]


@frozen
class Variant:
    """One expected plan to try: its request, and the options that make it ("" for none)."""

    options: str
    request: PlanRequest


def variants(request: PlanRequest, order: OrderFacts, protocol: Protocol, roundings: Roundings) -> list[Variant]:
    """Each rounding with the request's day count (``--days`` as given, else the default), then
    with the order's own day count when every course has the same one and the protocol allows it."""
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
    return [Variant(_options(day_label, round_label), replace(request, days=n, rounding=rounding))
            for day_label, n in days for round_label, rounding in roundings]


#: the most later courses whose combinations are tried against an order's digest (2 ** 12 hashes).
MAX_WEIGHED = 12


def weighed_again(plan: Plan, order: OrderFacts, candidates: tuple[tuple[str, Decimal, str | None], ...],
                  variant: Variant) -> Variant | None:
    """The variant with those of the ``candidates`` (later courses written with the baseline weight)
    that were weighed again at it (R9): the combination whose input digest is the order's. Nothing
    else in an order tells a course weighed again at the same weight from one not weighed, and the
    digest does without planning each combination; None when no combination is named."""
    digest = order.document.digest if order.document is not None else None
    if digest is None or not candidates or len(candidates) > MAX_WEIGHED:
        return None
    inputs = canonical_inputs(plan, order.blinded)
    measured = dict(inputs["course_weights_kg"])  # type: ignore[call-overload]
    for size in range(1, len(candidates) + 1):
        for courses in combinations(candidates, size):
            named = {**measured, **{name: amount(kg) for name, kg, _ in courses}}
            if inputs_digest({**inputs, "course_weights_kg": named}) == digest:
                return weighed_variant(variant, courses)
    return None


def weighed_variant(variant: Variant, courses: tuple[tuple[str, Decimal, str | None], ...]) -> Variant:
    """The variant with ``courses`` weighed again at the weight they are written with. An order
    without a digest tells it only when every later course was (a plan CSV's rules then lose the
    baseline's R9), so that is the one such order is also tried with, kept only if it matches."""
    weights = tuple((name, kg) for name, kg, _ in courses)
    typed = tuple((name, text) for name, _, text in courses if text is not None)
    label = " ".join(f"--course-weight '{name}={amount(kg)} kg'" for name, kg in weights)
    request = variant.request
    return Variant(_options(variant.options, label),
                   replace(request, course_weights=request.course_weights + weights,
                           course_weights_as_typed=request.course_weights_as_typed + typed))


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


def closest(found: Iterable[Verification]) -> Verification | None:
    """The first that matches, else the one with the fewest discrepancies (the first of equals)."""
    best: Verification | None = None
    for verification in found:
        if verification.matches:
            return verification
        if best is None or len(verification.discrepancies) < len(best.discrepancies):
            best = verification
    return best


def made_with(verification: Verification) -> Verification:
    """The kept verification, with a note naming the options its expected plan was made with."""
    if not verification.options:
        return verification
    note = message(N_("expected plan made with {options}"), options=verification.options)
    return replace(verification, notes=(*verification.notes, note))
