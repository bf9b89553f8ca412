"""A vial as the pharmacy gives it: the GS1 DataMatrix of its pack, read with biip, or typed by hand.

Every EU medicine pack carries a GS1 DataMatrix with its GTIN (AI 01), expiry (17), lot (10) and
serial (21) (Regulation (EU) 2016/161 Art. 4-5); a barcode scanner types it as an element string
with FNC1 sent as ASCII 29 (the group separator), and the human-readable form writes each AI in
parentheses. Both are parsed by biip (a kept library, not by hand): it knows every AI's format,
checks the GTIN's check digit and reads GS1's two-digit years and day 00 (the month's last day).
Where the catalogue lists no GTIN for a product, the vial's size goes in front, ``20 g/(01)...``;
without a scanner a vial is typed ``SIZE/LOT/EXPIRY``. biip is imported only here, and only when
a vial or a GTIN is read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.preparation import VialScan
from ivig_dose.parse.text import check_text

if TYPE_CHECKING:
    from biip.gs1_messages import GS1Message

OPTION = "--vial"
ACCEPTED = message(N_("the pack's GS1 DataMatrix as a scanner types it, or with parentheses as in "
                      "(01)GTIN(17)YYMMDD(10)LOT(21)SERIAL, with the size in front when the catalogue lists no GTIN "
                      "(20 g/(01)...); or SIZE/LOT/EXPIRY typed, as in 20 g/AB1234/2027-12"))
#: what a medicine pack's code holds (Regulation (EU) 2016/161 Art. 4): the GTIN, expiry, lot and
#: serial, and the national reimbursement numbers some countries add (AI 710 to 716).
GTIN, EXPIRY, LOT, SERIAL = "01", "17", "10", "21"
NATIONAL = ("710", "711", "712", "713", "714", "715", "716")
REQUIRED = {GTIN: N_("(01) GTIN"), EXPIRY: N_("(17) expiry"), LOT: N_("(10) lot")}
#: a lot is at most 20 characters in GS1 (AI 10: X..20); a typed one is held to the same.
MAX_LOT = 20
#: a size (``20 g``) or, for the placebo's containers, a volume (``500 mL``) before the first ``/``.
_IN_FRONT = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(g|mL|ml)\s*/(.*)", re.ASCII | re.DOTALL)
#: ``LOT/2027-12`` or ``LOT/2027-12-31`` after the size: a typed vial.
_TYPED = re.compile(r"(.+)/\s*(\d{4})-(\d{2})(?:-(\d{2}))?\s*", re.ASCII | re.DOTALL)
_GTIN = re.compile(r"\d{8}|\d{12,14}", re.ASCII)


def parse_gtin(text: str, what: str) -> str:
    """A GTIN (8, 12, 13 or 14 digits, its check digit right) in the 14 digits a DataMatrix carries it."""
    from biip import ParseError
    from biip.gtin import Gtin

    value = text.strip()
    if not _GTIN.fullmatch(value):
        raise InputError(message(N_("{what} {text!r} is not a GTIN; accepted: its 8, 12, 13 or 14 digits"),
                                 what=what, text=text))
    try:
        return Gtin.parse(value).as_gtin_14()
    except ParseError as exc:
        raise InputError(_check_digit(what, value)) from exc


def _check_digit(what: str, gtin: str) -> str:
    from biip.checksums import gs1_standard_check_digit

    return message(N_("{what} GTIN {gtin} fails its check digit (it should end in {digit}); accepted: the digits as "
                      "the pack prints them"), what=what, gtin=gtin, digit=gs1_standard_check_digit(gtin[:-1]))


def parse_vial(text: str) -> VialScan:
    """One ``--vial``: a scan, a scan with the size in front, or ``SIZE/LOT/EXPIRY``."""
    shown = text.strip()
    front = _IN_FRONT.fullmatch(text)
    size = volume = None
    rest = text
    if front is not None:
        amount = Decimal(front[1].replace(",", "."))
        if amount <= 0:
            raise InputError(message(N_("{option} {text!r}: the size in front must be above 0; accepted: {accepted}"),
                                     option=OPTION, text=shown, accepted=ACCEPTED))
        size, volume = (amount, None) if front[2] == "g" else (None, amount)
        rest = front[3]
    typed = _TYPED.fullmatch(rest)
    if typed is not None and "\x1d" not in rest and not rest.lstrip().startswith(("(", "]")):
        if front is None:
            raise InputError(message(N_("{option} {text!r} gives no size; accepted: {accepted}"), option=OPTION,
                                     text=shown, accepted=ACCEPTED))
        return VialScan(shown, _typed_lot(typed[1], shown), _typed_expiry(typed, shown), size, volume)
    return _scanned(shown, rest, size, volume)


def _typed_lot(lot: str, shown: str) -> str:
    value = check_text(lot.strip(), f"{OPTION} {shown!r}: the lot", MAX_LOT)
    if not value:
        raise InputError(message(N_("{option} {text!r} gives no lot; accepted: {accepted}"), option=OPTION,
                                 text=shown, accepted=ACCEPTED))
    return value


def _typed_expiry(typed: re.Match[str], shown: str) -> date:
    """``2027-12`` is the month's last day; ``2027-12-15`` that day."""
    year, month, day = int(typed[2]), int(typed[3]), typed[4]
    try:
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, int(day))
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise InputError(message(N_("{option} {text!r}: the expiry is not a date; accepted: a month such as 2027-12 "
                                    "or a day such as 2027-12-31"), option=OPTION, text=shown)) from exc


def _scanned(shown: str, rest: str, size: Decimal | None, volume: Decimal | None) -> VialScan:
    found = _message(shown, rest)
    values: dict[str, Any] = {}
    for element in found.element_strings:
        ai = element.ai.ai
        if ai not in (GTIN, EXPIRY, LOT, SERIAL, *NATIONAL):
            raise InputError(message(N_("{option} {text!r}: ({ai}) {title} is not on a medicine pack's code; "
                                        "accepted: (01) GTIN, (17) expiry, (10) lot, (21) serial"), option=OPTION,
                                     text=shown, ai=ai, title=element.ai.data_title))
        if ai in values:
            raise InputError(message(N_("{option} {text!r} gives ({ai}) twice; accepted: {accepted}"), option=OPTION,
                                     text=shown, ai=ai, accepted=ACCEPTED))
        values[ai] = element
    missing = [REQUIRED[ai] for ai in REQUIRED if ai not in values]
    if missing:
        raise InputError(message(N_("{option} {text!r} has no {what}; accepted: {accepted}"), option=OPTION,
                                 text=shown, what=message(missing[0]), accepted=ACCEPTED))
    gtin = values[GTIN].gtin
    if gtin is None:
        raise InputError(_check_digit(f"{OPTION} {shown!r}:", values[GTIN].value))
    expiry = values[EXPIRY].date
    assert expiry is not None  # biip refuses an AI 17 that is not a date
    company = gtin.company_prefix
    serial = values[SERIAL].value if SERIAL in values else None
    return VialScan(shown, values[LOT].value, expiry, size, volume, gtin.as_gtin_14(), serial,
                    None if company is None else company.value)


def _message(shown: str, value: str) -> GS1Message:
    """The element strings of a scan; a string biip cannot read is refused naming the part it stops at."""
    from biip import ParseError
    from biip.gs1_messages import GS1Message
    from biip.symbology import SymbologyIdentifier

    value = value.strip()
    try:
        if value.startswith("]"):  # a scanner set to send the symbology identifier: ]d2 for a DataMatrix
            value = value[len(SymbologyIdentifier.extract(value)):]
        if value.startswith("("):
            return GS1Message.parse_hri(value)
        return GS1Message.parse(value)
    except ParseError as exc:
        raise InputError(_unreadable(shown, value, str(exc))) from exc


def _unreadable(shown: str, value: str, reason: str) -> str:
    """Why biip could not read ``value``: the first AI it does not know, or the first value that
    does not fit its AI, found by reading the parts biip read one by one; else biip's own words."""
    from biip import ParseError
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier
    from biip.gs1_element_strings import GS1ElementString

    parts: list[tuple[str, str]]
    if value.startswith("("):  # (AI)value pairs, as biip splits them, to say which one it stopped at
        parts = [(ai, ai + data) for ai, data in re.findall(r"\((\d+)\)([^(]*)", "".join(value.split()))]
    else:
        parts = []
        rest = value
        while rest:
            try:
                element = GS1ElementString.extract(rest)
            except ParseError:
                parts.append(("", rest))
                break
            parts.append((element.ai.ai, rest[:len(element)]))
            rest = rest[len(element):].lstrip("\x1d")
    for ai, part in parts:
        try:
            known = GS1ApplicationIdentifier.extract(part)
        except ParseError:
            known = None
        if known is None or (ai and known.ai != ai):
            if ai:
                return message(N_("{option} {text!r}: ({ai}) is not a GS1 application identifier; accepted: "
                                  "{accepted}"), option=OPTION, text=shown, ai=ai, accepted=ACCEPTED)
            return message(N_("{option} {text!r}: {start!r} does not begin with a GS1 application identifier; "
                              "accepted: {accepted}"), option=OPTION, text=shown, start=part[:4], accepted=ACCEPTED)
        try:
            GS1ElementString.parse(part) if ai else GS1ElementString.extract(part)
        except ParseError:
            return message(N_("{option} {text!r}: the ({ai}) {title} at {value!r} is not valid; accepted: {accepted}"),
                           option=OPTION, text=shown, value=part[len(known.ai):].split("\x1d")[0], ai=known.ai,
                           title=known.data_title, accepted=ACCEPTED)
    return message(N_("{option} {text!r} is not a GS1 element string ({reason}); accepted: {accepted}"),
                   option=OPTION, text=shown, reason=reason, accepted=ACCEPTED)
