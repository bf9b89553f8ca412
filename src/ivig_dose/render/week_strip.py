"""The whole protocol as one strip of days (weeks 0–8 for TIMEISMUSCLE), so the shape of the
treatment is visible at a glance: which days have an infusion and where it is given.

One character per day from the baseline start, a space between weeks. It shows settings and
days only, which are the same in both arms, so blinded plans print it unchanged.
"""

from __future__ import annotations

from datetime import date

from ivig_dose.model import HOME, HOSPITAL, Plan

NONE, HOSPITAL_ONLY, HOME_ONLY, BOTH = "·", "H", "h", "B"
LEGEND = f"{HOSPITAL_ONLY} hospital, {HOME_ONLY} home, {BOTH} hospital then home, {NONE} no infusion"


def day_marks(plan: Plan) -> dict[date, str]:
    marks = {}
    for course in plan.courses:
        for day in course.days:
            settings = {s.setting for s in day.segments}
            if settings == {HOSPITAL, HOME}:
                marks[day.date] = BOTH
            elif settings == {HOSPITAL}:
                marks[day.date] = HOSPITAL_ONLY
            else:
                marks[day.date] = HOME_ONLY
    return marks


def week_strip(plan: Plan) -> list[str]:
    """A heading, the week numbers, the strip, the legend. Weeks run until the last infusion day."""
    first = plan.courses[0].start
    marks = day_marks(plan)
    weeks = (max(marks) - first).days // 7 + 1
    strip = " ".join(
        "".join(marks.get(date.fromordinal(first.toordinal() + week * 7 + d), NONE) for d in range(7))
        for week in range(weeks)
    )
    numbers = "".join(f"{week:<8}" for week in range(weeks)).rstrip()
    heading = f"Weeks 0–{weeks - 1} at a glance (from {first.isoformat()}):"
    return [heading, f"Week  {numbers}", f"      {strip}", f"      {LEGEND}"]
