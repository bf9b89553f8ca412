"""The one clock of a run: the generation time printed on files, and the day plans are made on.

``SOURCE_DATE_EPOCH`` (whole seconds since 1970, UTC), when set, stands for "now" everywhere: the
files' generation time, the start a plan takes when none is given, and the day a start is
said to be in the past. So a reproducible build of a document is reproducible whole, and a
plan's warnings do not change as the calendar moves on.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

#: the last SOURCE_DATE_EPOCH accepted: 2088-01-19 03:14:07 UTC, the last generation time a calendar's
#: SEQUENCE (seconds since 2020-01-01) can count in RFC 5545's 32-bit INTEGER; one limit for every output.
MAX_EPOCH = 3725320447


def now() -> datetime:
    """Now, in local time; or ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now().astimezone()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > MAX_EPOCH:
        raise InputError(message(N_("SOURCE_DATE_EPOCH {epoch!r} is not a time ivig-dose can write; accepted: whole "
                                    "seconds since 1970 up to {max} (2088-01-19, as far as a calendar's SEQUENCE "
                                    "counts in RFC 5545), e.g. 1798848000"), epoch=epoch[:20], max=MAX_EPOCH))
    return datetime.fromtimestamp(int(text), tz=UTC)


def today() -> date:
    """The day plans are made on: the date of :func:`now`."""
    return now().date()
