"""The vial picker: least waste, then fewest vials, exactly; checked by hand and against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.vials import pick_vials

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
