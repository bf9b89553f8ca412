"""The plan table prints names exactly as the protocol and the catalogue give them."""

from __future__ import annotations

import io
from dataclasses import replace

import ivig_dose
from ivig_dose.core.blinding import visible_reasons
from ivig_dose.core.model import Plan
from ivig_dose.render.plan_table import render_table
from ivig_dose.render.terminal import FALLBACK_WIDTH
from tests.helpers import plan_for


def rendered(plan: Plan) -> str:
    out = io.StringIO()
    render_table(plan, out)
    return out.getvalue()


def with_first_course_named(plan: Plan, name: str) -> Plan:
    first, *rest = plan.courses
    return replace(plan, courses=(replace(first, name=name), *rest))


def test_brackets_and_colons_in_a_name_are_not_markup_or_emoji() -> None:
    # rich would read "[bold]" as a style and drop it, and ":ok:" as an emoji code.
    text = rendered(with_first_course_named(plan_for("70"), "[bold]B:ok:"))
    assert "[bold]B:ok: total" in text
    assert "\N{SQUARED OK}" not in text


def test_reasons_are_wrapped_to_the_width_and_whole_when_piped() -> None:
    # Each reason is wrapped to the width (a 677-character line was once printed) and loses no
    # word: the wrapped lines of a reason, joined, are the reason.
    plan = ivig_dose.plan("70", "2027-01-04")  # with the catalogue product, whose reasons are long
    text = rendered(plan)
    lines = text.splitlines()
    assert max(map(len, lines)) <= FALLBACK_WIDTH
    why = " ".join(line.strip() for line in lines[lines.index("Why these numbers:") + 1:])
    # the start R7 counts from is said with its weekday, as every date a person reads (a Monday)
    reasons = [f"{rule}: {text.replace('2027-01-04', 'Mon 2027-01-04')}"
               for rule, text in visible_reasons(plan, blinded=False)]
    assert any(len(reason) > FALLBACK_WIDTH for reason in reasons)
    assert why == " ".join(reasons)
    assert "counted from Mon 2027-01-04" in why
