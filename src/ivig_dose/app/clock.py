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

#: the last SOURCE_DATE_EPOCH accepted: 2999-12-31 23:59:59 UTC, the last day a plan may hold.
MAX_EPOCH = 32503679999


def now() -> datetime:
    """Now, in local time; or ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now().astimezone()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > MAX_EPOCH:
        raise InputError(message(N_("SOURCE_DATE_EPOCH {epoch!r} is not a time; accepted: whole seconds since 1970 "
                                    "up to {max} (the end of 2999), e.g. 1798848000"), epoch=epoch[:20],
                                 max=MAX_EPOCH))
    return datetime.fromtimestamp(int(text), tz=UTC)


def today() -> date:
    """The day plans are made on: the date of :func:`now`."""
    return now().date()
