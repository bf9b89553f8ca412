"""Names from data files that people may read in their own language (a protocol's courses).

Apart from :mod:`ivig_dose.core.messages`, which every command imports at start-up: only the
commands that read a protocol, or a record's courses, need this one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ivig_dose.core.messages import N_, Message, message

#: a term without names of its own; never changed.
_NO_NAMES: Mapping[str, str] = {}


class Term(str):
    """A name a data file gives, such as a protocol's course (``baseline``), that people may read
    in their own language: the name as it is in English and in every file for machines (JSON, CSV,
    FHIR, the calendar's UIDs); in another language the file's own name in it (``names = { nl =
    "uitgangskuur" }``), else the message it was made from (the courses of a ``[courses]``
    schedule), else the name as it is.
    """

    #: the file's names by language code.
    names: Mapping[str, str]
    #: what says the name in a language the file gives no name in; None: the name itself.
    said: Message | None

    def __new__(cls, text: str, names: Mapping[str, str] = _NO_NAMES, said: Message | None = None) -> Term:
        made = super().__new__(cls, text)
        made.names = names
        made.said = said
        return made

    def __reduce__(self) -> tuple[type[Term], tuple[str, Mapping[str, str], Message | None]]:
        return Term, (str(self), self.names, self.said)


# Translators: the names of the courses of a [courses] schedule ("baseline", "week 4", ...) as a
# reader reads them; the English is the name itself, so these texts are never shown in English.
BASELINE = N_("course name: baseline")
WEEK_COURSE = N_("course name: week {week}")
#: a course a [courses] schedule names after its week (every course but the first).
_WEEK = re.compile(r"week (\d+)")


def schedule_course(week: int) -> Term:
    """The course a ``[courses]`` schedule gives at ``week``: "baseline" at week 0, else "week 4"."""
    if week == 0:
        return Term("baseline", said=message(BASELINE))
    return Term(f"week {week}", said=message(WEEK_COURSE, week=week))


def said_course(name: str) -> str:
    """A course name kept without its protocol (a record's bag, an order's course the protocol lacks)
    as readers read it: named as a ``[courses]`` schedule names its courses ("baseline", "week 4"),
    which every built-in protocol's own names agree with; any other name as it is. A Term stays
    the Term it is: its protocol named it."""
    if isinstance(name, Term):
        return name
    if name == "baseline":
        return schedule_course(0)
    found = _WEEK.fullmatch(name)
    return schedule_course(int(found[1])) if found is not None and int(found[1]) else name
