"""Sizing the plan table's columns to their content (a start-up saving) must draw exactly
what rich's own layout draws, at every terminal width: the same widths where the table fits, and
the same stacked blocks where it does not (rich would drop columns)."""

from __future__ import annotations

import io
import os
import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

import ivig_dose
from ivig_dose.core.model import IVIG, PLACEBO
from ivig_dose.render.plan_table import render_table
from tests.helpers import plan_for

#: bold on and off, which the terminal output carries around the header and the totals.
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    """Output that says it is a terminal, so the table is drawn for the width in COLUMNS."""

    def isatty(self) -> bool:
        return True


def drawn(plan_args: tuple[str, str, bool, bool], width: int) -> str:
    weight, arm, dispensed, blinded = plan_args
    plan = ivig_dose.plan(weight, "2027-01-04", arm=arm) if dispensed else plan_for(weight, arm=arm)
    out = Terminal()
    with mock.patch.dict(os.environ, {"COLUMNS": str(width)}):
        render_table(plan, out, blinded)
    return out.getvalue()


plans = st.tuples(
    st.decimals(min_value=30, max_value=200, places=1).map(str),
    st.sampled_from([IVIG, PLACEBO]),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=60)
@given(plan_args=plans, width=st.integers(min_value=20, max_value=160))
def test_columns_sized_to_content_draw_what_rich_would(plan_args: tuple[str, str, bool, bool], width: int) -> None:
    sized = drawn(plan_args, width)
    with mock.patch("ivig_dose.render.plan_table._fit_to_content"):  # rich measures every cell itself
        measured = drawn(plan_args, width)
    assert sized == measured


def test_the_widths_around_where_the_table_stops_fitting() -> None:
    # 70 kg with the catalogue product: columns of 14 (baseline total), 14 (Mon 2027-01-04), 6
    # (2 days), 8 (hospital), 5 (140 g), 7 (1400 mL), 5 (Vials), 10 (4 h 48 min), 7 gaps of 3: 69 + 21 = 90.
    plan_args = ("70", IVIG, True, False)
    for width in (89, 90, 91):
        sized = drawn(plan_args, width)
        with mock.patch("ivig_dose.render.plan_table._fit_to_content"):
            assert sized == drawn(plan_args, width)
    lines = ANSI_STYLE.sub("", drawn(plan_args, 90)).splitlines()
    assert max(len(line) for line in lines if "│" in line) == 90  # the table itself fits, exactly
    assert "│ Mon 2027-01-04 │" in drawn(plan_args, 90)
    # one column less and the table would lose columns: the plan is stacked, one block per bag
    assert "│" not in drawn(plan_args, 89)
    assert "Dose 30 g · Volume 300 mL" in drawn(plan_args, 89)
    assert "baseline · day 1 · Mon 2027-01-04 · hospital" in drawn(plan_args, 89)
