"""Names from data files that people may read in their own language (a protocol's courses).

Apart from :mod:`ivig_dose.core.messages`, which every command imports at start-up: only the
commands that read a protocol need this one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivig_dose.core.messages import Message

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
