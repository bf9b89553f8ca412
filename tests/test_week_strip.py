"""The weeks 0–8 strip under the plan table."""

from __future__ import annotations

import io

from ivig_dose.render.plan_table import render_table
from ivig_dose.render.week_strip import week_strip
from tests.helpers import plan_for

EMPTY = "·······"


def test_70_kg_strip():
    # days 0-1 of weeks 0, 4 and 8; day 0 hospital then home (B), the rest home (h).
    heading, numbers, strip, legend = week_strip(plan_for("70"))
    assert heading.replace("\u00a0", " ") == "Weeks 0–8 at a glance (from Mon 2027-01-04):"  # the date kept whole
    assert numbers.split() == ["Week", *map(str, range(9))]
    assert strip.split() == ["Bh·····", EMPTY, EMPTY, EMPTY, "hh·····", EMPTY, EMPTY, EMPTY, "hh·····"]
    assert "B hospital then home" in legend


def test_45_kg_over_5_days_runs_the_hospital_into_day_2():
    # day 1: 18 g hospital only (H); day 2: 12 g hospital + 6 g home (B); days 3-5 home.
    strip = week_strip(plan_for("45", days=5))[2].split()
    assert strip[0] == "HBhhh··"
    assert strip[4] == strip[8] == "hhhhh··"


def test_week_numbers_sit_above_their_week():
    _, numbers, strip, _ = week_strip(plan_for("70"))
    for week in range(9):
        column = numbers.index(f"{week}", 6 + week * 8 - 1 if week else 0)
        assert column == 6 + week * 8
        assert strip[column] in "BHh·"


def test_strip_is_in_the_table_and_blinded_table_alike():
    for arm in ("ivig", "placebo"):
        out = io.StringIO()
        render_table(plan_for("70", arm=arm), out, blinded=True)
        assert "Bh····· ······· ······· ······· hh·····" in out.getvalue()
