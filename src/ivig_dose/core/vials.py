"""Which vials to open for a dose: the least waste first, then the fewest vials, found exactly.

Greedy picking (largest vial first) is wrong for many size sets: for 6 g from vials of 1, 3 and
4 g it opens 4 + 1 + 1 where 3 + 3 does. So the picker solves the problem exactly by dynamic
programming over whole units (tenths of a gram): the fewest vials that make each total exactly,
then the smallest total at or above the dose that any vials make. That total is below
dose + smallest vial (whole smallest vials alone get there) and no more than the smallest vial
that covers the dose alone, so the table is never larger than twice the dose.
Integers only; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ivig_dose.core.records import frozen

#: "cannot be made from these vials"
UNREACHABLE = 1 << 62
#: tables are built in blocks of this many units so that nearby doses share one table.
_BLOCK = 1024


@frozen
class VialPick:
    """Vials to open: (size, count) pairs, largest size first, every count above 0; all in units."""

    counts: tuple[tuple[int, int], ...]
    dose: int

    @property
    def total(self) -> int:
        return sum(size * count for size, count in self.counts)

    @property
    def waste(self) -> int:
        return self.total - self.dose

    @property
    def vials(self) -> int:
        return sum(count for _, count in self.counts)


def fewest_vials(sizes: Sequence[int], limit: int) -> tuple[int, ...]:
    """``table[t]``: the fewest vials whose contents add up to exactly ``t`` units (UNREACHABLE if none)."""
    blocks = -(-(limit + 1) // _BLOCK)
    return _table(tuple(sorted(set(sizes))), blocks * _BLOCK)


@cache
def _table(sizes: tuple[int, ...], length: int) -> tuple[int, ...]:
    fewest = [UNREACHABLE] * length
    fewest[0] = 0
    for total in range(1, length):
        best = UNREACHABLE
        for size in sizes:
            if size <= total and fewest[total - size] + 1 < best:
                best = fewest[total - size] + 1
        fewest[total] = best
    return tuple(fewest)


def pick_vials(dose: int, sizes: tuple[int, ...]) -> VialPick:
    """The vials covering ``dose`` units with the least waste, then the fewest vials.

    Among equally good picks the one with the larger vials is taken, so the answer is the same
    every time. A dose of 0 (the placebo arm's IgG) opens no vial.
    """
    if not sizes or min(sizes) <= 0:
        raise ValueError(f"vial sizes must be positive, not {list(sizes)}")
    if dose < 0:
        raise ValueError(f"dose must not be negative, not {dose}")
    if dose == 0:
        return VialPick(counts=(), dose=0)
    smallest = min(sizes)
    if smallest >= dose:  # one smallest vial covers it; any other pick opens at least as much
        return VialPick(counts=((smallest, 1),), dose=dose)
    # the best total is at most dose + smallest - 1 (smallest vials alone get there) and at most the
    # smallest vial that covers the dose alone: so the search is bounded by the dose, never by how
    # large a vial a catalogue lists (a catalogue's 10,000,000 g vial would otherwise size the table)
    ceiling = min([dose + smallest - 1, *(size for size in sizes if size >= dose)])
    usable = tuple(size for size in sizes if size <= ceiling)
    table = fewest_vials(usable, ceiling)
    total = next(t for t in range(dose, ceiling + 1) if table[t] < UNREACHABLE)
    return VialPick(counts=_vials_making(total, usable, table), dose=dose)


def _vials_making(total: int, sizes: Sequence[int], table: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Walks the table back from ``total``, taking the largest vial that keeps the count optimal."""
    counts: dict[int, int] = {}
    largest_first = sorted(set(sizes), reverse=True)
    while total:
        size = next(s for s in largest_first if s <= total and table[total - s] == table[total] - 1)
        counts[size] = counts.get(size, 0) + 1
        total -= size
    return tuple(sorted(counts.items(), reverse=True))
