"""One order of a many-order file, read or refused, with where it starts."""

from __future__ import annotations

from ivig_dose.core.errors import InputError
from ivig_dose.core.order_facts import OrderFacts
from ivig_dose.core.records import frozen


@frozen
class OrderResult:
    """One order read from a file, or why it could not be read, with where it starts."""

    #: the CSV row, JSON Lines line or list position where the order starts.
    row: int
    patient_id: str | None
    order: OrderFacts | InputError
