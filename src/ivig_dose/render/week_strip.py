"""The whole protocol as one strip of days (weeks 0–8 for TIMEISMUSCLE), so the shape of the
treatment is visible at a glance: which days have an infusion and where it is given.

One character per day from the baseline start, a space between weeks. It shows settings and
days only, which are the same in both arms, so blinded plans print it unchanged.
"""

from __future__ import annotations

from datetime import date

from ivig_dose.core.model import HOME, HOSPITAL, Plan

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


#: weeks per line: 6 + 9 × 8 = 78 characters, inside an 80-column terminal.
WEEKS_PER_LINE = 9
#: a week's seven days and the space before the next week.
_WEEK_WIDTH = 8
#: the "Week  " label in front of each line.
_LABEL_WIDTH = 6


def weeks_per_line(width: int | None) -> int:
    """As many whole weeks as fit ``width`` (at most nine, at least one): a week is never split."""
    if width is None:
        return WEEKS_PER_LINE
    return max(1, min(WEEKS_PER_LINE, (width - _LABEL_WIDTH + 1) // _WEEK_WIDTH))


def week_strip(plan: Plan, width: int | None = None) -> list[str]:
    """A heading, then week numbers over the strip (nine weeks a line, fewer when ``width`` is
    narrower than 78), then the legend.

    Weeks run until the last infusion day, so a ten-course protocol wraps instead of running
    off the screen.
    """
    per_line = weeks_per_line(width)
    first = plan.courses[0].start
    marks = day_marks(plan)
    weeks = (max(marks) - first).days // 7 + 1

    def week_marks(week: int) -> str:
        return "".join(marks.get(date.fromordinal(first.toordinal() + week * 7 + d), NONE) for d in range(7))

    lines = [f"Weeks 0–{weeks - 1} at a glance (from {first.isoformat()}):"]
    for start in range(0, weeks, per_line):
        chunk = range(start, min(start + per_line, weeks))
        lines.append("Week  " + "".join(f"{week:<8}" for week in chunk).rstrip())
        lines.append("      " + " ".join(week_marks(week) for week in chunk))
    return [*lines, f"      {LEGEND}"]
