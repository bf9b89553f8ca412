"""The whole protocol as one strip of days (weeks 0–8 for TIMEISMUSCLE), so the shape of the
treatment is visible at a glance: which days have an infusion and where it is given.

One character per day from the baseline start, a space between weeks. It shows settings and
days only, which are the same in both arms, so blinded plans print it unchanged.
"""

from __future__ import annotations

from datetime import date

from ivig_dose.core.messages import N_
from ivig_dose.core.model import HOME, HOSPITAL, Plan
from ivig_dose.render.terminal import whole
from ivig_dose.render.translator import ENGLISH, Translator

# Translators: one letter each, for a day in hospital, at home, and in hospital then at home (the
# week strip under the plan); choose letters that differ at a glance (Dutch: Z, t, B).
NONE, HOSPITAL_ONLY, HOME_ONLY, BOTH = "·", N_("H"), N_("h"), N_("B")
LEGEND = N_("{hospital} hospital, {home} home, {both} hospital then home, {none} no infusion")


def day_marks(plan: Plan, tr: Translator = ENGLISH) -> dict[date, str]:
    both, hospital, home = tr(BOTH), tr(HOSPITAL_ONLY), tr(HOME_ONLY)
    marks = {}
    for course in plan.courses:
        for day in course.days:
            settings = {s.setting for s in day.segments}
            if settings == {HOSPITAL, HOME}:
                marks[day.date] = both
            elif settings == {HOSPITAL}:
                marks[day.date] = hospital
            else:
                marks[day.date] = home
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


def week_strip(plan: Plan, width: int | None = None, tr: Translator = ENGLISH) -> list[str]:
    """A heading, then week numbers over the strip (nine weeks a line, fewer when ``width`` is
    narrower than 78), then the legend.

    Weeks run until the last infusion day, so a ten-course protocol wraps instead of running
    off the screen.
    """
    per_line = weeks_per_line(width)
    first = plan.courses[0].start
    marks = day_marks(plan, tr)
    weeks = (max(marks) - first).days // 7 + 1

    def week_marks(week: int) -> str:
        return "".join(marks.get(date.fromordinal(first.toordinal() + week * 7 + d), NONE) for d in range(7))

    # a long date is one phrase: wrapping (render.terminal) never parts "4" from "januari 2027"
    since = whole(tr.dated(first) if tr.english else tr.long_date(first))
    lines = [tr(N_("Weeks 0–{last} at a glance (from {start}):"), last=weeks - 1, start=since)]
    # Translators: the label in front of the week numbers, at most 6 characters with its spaces.
    word = tr(N_("Week"))
    label = f"{word:<{_LABEL_WIDTH}}"[:_LABEL_WIDTH]
    for start in range(0, weeks, per_line):
        chunk = range(start, min(start + per_line, weeks))
        lines.append(label + "".join(f"{week:<8}" for week in chunk).rstrip())
        lines.append("      " + " ".join(week_marks(week) for week in chunk))
    legend = tr(LEGEND, hospital=tr(HOSPITAL_ONLY), home=tr(HOME_ONLY), both=tr(BOTH), none=NONE)
    return [*lines, f"      {legend}"]
