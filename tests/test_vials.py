"""The vial picker: least waste, then fewest vials, exactly; checked by hand and against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.vials import fewest_vials, pick_vials

# Sizes are in units of 0.1 g: 10 = 1 g, 25 = 2.5 g, 200 = 20 g.
NANOGAM = (10, 25, 50, 100, 200)


def test_greedy_would_be_wrong():
    # 6 from vials of 1, 3 and 4: greedy takes 4 + 1 + 1 (3 vials); 3 + 3 is also exact with 2 vials.
    pick = pick_vials(6, (1, 3, 4))
    assert pick.counts == ((3, 2),)
    assert (pick.waste, pick.vials) == (0, 2)


def test_least_waste_before_fewest_vials():
    # 11 from vials of 5 and 12: one 12 wastes 1; 5 + 5 + 5 = 15 wastes 4. Least waste wins: one 12.
    pick = pick_vials(11, (5, 12))
    assert pick.counts == ((12, 1),)
    assert pick.waste == 1


def test_70_g_of_nanogam():
    # 70 g = 3 × 20 g + 1 × 10 g: no waste, 4 vials (fewer is impossible: 3 vials hold at most 60 g).
    pick = pick_vials(700, NANOGAM)
    assert pick.counts == ((200, 3), (100, 1))
    assert (pick.waste, pick.vials) == (0, 4)


def test_23_6_g_wastes_0_4_g():
    # every amount the sizes make is a multiple of 0.5 g, so 23.6 g needs 24 g: 20 + 4 × 1 wastes 0.4 g;
    # 24 g in fewer vials: 20 + 2.5 + 1 = 23.5 is short, 10 + 10 + 2.5 + ... never reaches 24 in < 5.
    pick = pick_vials(236, NANOGAM)
    assert pick.total == 240
    assert pick.waste == 4
    assert pick.vials == 5


def test_no_dose_opens_no_vial():
    # the placebo arm: 0 g IgG.
    pick = pick_vials(0, NANOGAM)
    assert pick.counts == ()
    assert (pick.total, pick.waste, pick.vials) == (0, 0, 0)


def brute_force(dose: int, sizes: tuple[int, ...]) -> tuple[int, int]:
    """(waste, vials) of the best pick, trying every count of every size up to dose + smallest size."""
    ceiling = dose + min(sizes) - 1
    best = None
    ranges = [range(ceiling // size + 1) for size in sizes]
    for counts in itertools.product(*ranges):
        total = sum(c * s for c, s in zip(counts, sizes, strict=True))
        if dose <= total <= ceiling:
            candidate = (total - dose, sum(counts))
            best = candidate if best is None or candidate < best else best
    assert best is not None
    return best


@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=4, unique=True).map(tuple),
    dose=st.integers(0, 70),
)
def test_optimal_against_brute_force(sizes, dose):
    pick = pick_vials(dose, sizes)
    assert all(size in sizes and count > 0 for size, count in pick.counts)
    assert pick.total >= dose
    assert (pick.waste, pick.vials) == brute_force(dose, sizes)


def test_among_equally_good_picks_the_larger_vials_are_taken():
    # 11 g from vials of 1, 2, 5 and 7 g: no two vials make 11 g (7 + 5 = 12, 7 + 2 = 9, 5 + 5 = 10), three
    # do, exactly, in two ways: 7 + 2 + 2 and 5 + 5 + 1. The larger vial first: 7 + 2 + 2, every time.
    pick = pick_vials(110, (10, 20, 50, 70))
    assert pick.counts == ((70, 1), (20, 2))
    assert (pick.waste, pick.vials) == (0, 3)


def test_tables_are_built_in_whole_blocks_that_reach_the_limit():
    # fewest_vials(sizes, limit) answers every total from 0 to limit, in blocks of 1,024 units, so that
    # nearby doses share one table: limit 1,023 fits one block (0..1,023); limit 1,024 needs a second.
    lengths = [len(fewest_vials((10,), limit)) for limit in (0, 1022, 1023, 1024, 2047, 2048)]
    assert lengths == [1024, 1024, 1024, 2048, 2048, 3072]
    # 102.4 g and 102.5 g of Nanogam lie on either side of the first block's end
    assert pick_vials(1024, NANOGAM).total == 1025
    assert pick_vials(1025, NANOGAM).counts == ((200, 5), (25, 1))


@pytest.mark.parametrize(("dose", "sizes", "message"), [
    (10, (), "vial sizes must be positive, not []"),
    (10, (0, 10), "vial sizes must be positive, not [0, 10]"),
    (10, (10, -5), "vial sizes must be positive, not [10, -5]"),
    (-1, (10,), "dose must not be negative, not -1"),
])
def test_a_pick_that_cannot_be_made_says_why(dose, sizes, message):
    with pytest.raises(ValueError) as raised:
        pick_vials(dose, sizes)
    assert str(raised.value) == message
