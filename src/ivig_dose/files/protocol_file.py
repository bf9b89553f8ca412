"""Reading a protocol file: its parsed TOML tables checked key by key into a frozen
:class:`~ivig_dose.core.protocol.Protocol`.

Reading collects every problem of a file before it refuses it, so ``protocol check`` can name
them all at once: each key read on its own (:mod:`ivig_dose.files.protocol_reader`, which holds
the schema), then the values checked against each other (:mod:`ivig_dose.files.protocol_checks`).
:mod:`ivig_dose.files.protocols` finds the text and parses the TOML.
"""

from __future__ import annotations

from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, message
from ivig_dose.core.protocol import PARAMS, Param, Protocol, WeightRules
from ivig_dose.files.protocol_checks import check_consistency, check_no_empty_day, check_waits
from ivig_dose.files.protocol_reader import DAY_PARAMS, REQUIRED_TOP_TEXT, TOP_KEYS, WEIGHT_RULE_PARAMS, ProtocolReader


class ProtocolError(InputError):
    """A protocol file that cannot be used; ``problems`` names each thing wrong with it."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        super().__init__(message(N_("protocol {origin}: {problems}"), origin=origin,
                                 problems=Joined(tuple(problems), "; ")))
        self.origin = origin
        self.problems = problems


def build_protocol(raw: dict[str, Any], origin: str, weight_rules: WeightRules) -> Protocol:
    """Checks a protocol's parsed TOML tables and builds it; raises :class:`ProtocolError` naming
    every problem. Pure: :mod:`ivig_dose.files.protocols` finds and reads the file."""
    reader = ProtocolReader()
    reader.unknown(raw, TOP_KEYS, "")
    texts = {key: reader.text_at(raw, key, "") for key in REQUIRED_TOP_TEXT}
    verified = reader.flag_at(raw, "verified", "", default=False)
    params = reader.params(reader.table_at(raw, "params"))
    options = reader.options(reader.table_at(raw, "options"))
    courses, schedule = reader.courses(raw.get("courses"))
    product = reader.product(reader.table_at(raw, "product"))
    placebo = reader.placebo(raw["placebo"]) if "placebo" in raw else None
    holidays = reader.holidays(raw["holidays"]) if "holidays" in raw else None
    check_consistency(reader, params, options, courses)
    check_no_empty_day(reader, params, weight_rules)
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return Protocol(
        id=texts["id"], name=texts["name"], version=texts["version"], source=texts["source"],
        verified=verified, params=params, unset=reader.unset, options=options, courses=courses,
        schedule_source=schedule, product=product, placebo=placebo, weight_rules=weight_rules, holidays=holidays,
    )


def build_weight_rules(raw: dict[str, Any], origin: str) -> WeightRules:
    """The Devine formula and the default adjusted-weight factor, each with its source."""
    reader = ProtocolReader()
    table = reader.table_at(raw, "params")
    params = {key: p for key in WEIGHT_RULE_PARAMS if (p := reader.param(table, key, None)) is not None}
    source = reader.text_at(raw, "source", "")
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return WeightRules(source=source, params=params)


def build_day_defaults(raw: dict[str, Any], origin: str) -> dict[str, Param]:
    """The waits between the bags of a day when a protocol does not set them, each with its source."""
    reader = ProtocolReader()
    table = reader.table_at(raw, "params")
    reader.unknown(table, DAY_PARAMS, "params")
    params = {key: p for key in DAY_PARAMS if (p := reader.param(table, key, PARAMS[key])) is not None}
    check_waits(reader, params)
    if reader.problems:
        raise ProtocolError(origin, reader.problems)
    return params
