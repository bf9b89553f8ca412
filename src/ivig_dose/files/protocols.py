"""Protocol files: the built-in ones by name, or a file by path, read and handed to the core.

:func:`~ivig_dose.files.protocol_file.build_protocol` checks the tables; this module finds the
text and parses the TOML.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.protocol import Param, Protocol, WeightRules
from ivig_dose.files.package_data import built_in, find_text, package_file, parse_toml
from ivig_dose.files.parsed_files import parsed
from ivig_dose.files.protocol_file import ProtocolError, build_day_defaults, build_protocol, build_weight_rules

PROTOCOL = message(N_("protocol"))

WEIGHT_RULES_FILE = "data/dosing_weight.toml"
DAY_DEFAULTS_FILE = "data/infusion_day.toml"


def built_in_names() -> list[str]:
    """The names of the protocols shipped inside the package."""
    return built_in()


def load_protocol(name_or_path: str = DEFAULT_PROTOCOL) -> Protocol:
    """Loads a built-in protocol by name, or a protocol file by path: read each time, parsed once
    per text (:mod:`ivig_dose.files.parsed_files`)."""
    text, origin = find_text(name_or_path, PROTOCOL)
    protocol: Protocol = parsed(parse_protocol, text, origin)
    return protocol


def protocol_problems(text: str, origin: str) -> list[str]:
    """Every problem of a protocol's text, or an empty list when it can be used."""
    try:
        parse_protocol(text, origin)
    except ProtocolError as exc:
        return exc.problems
    return []


def parse_protocol(text: str, origin: str) -> Protocol:
    """Builds and checks a protocol from TOML text; raises :class:`ProtocolError` naming every problem.

    Always parses: :func:`load_protocol` is the reader that remembers.
    """
    return build_protocol(_toml(text, origin), origin, weight_rules())


def _toml(text: str, origin: str) -> dict[str, Any]:
    """The parsed TOML; a syntax error is the file's one problem, so ``protocol check`` lists it too."""
    try:
        return parse_toml(text, PROTOCOL, origin)
    except InputError as exc:
        raise ProtocolError(origin, [exc.message.removeprefix(f"protocol {origin}: ")]) from exc


@cache
def weight_rules() -> WeightRules:
    """The Devine formula and the default adjusted-weight factor, each with its source."""
    text = package_file(WEIGHT_RULES_FILE).read_text("utf-8")
    return build_weight_rules(_toml(text, WEIGHT_RULES_FILE), WEIGHT_RULES_FILE)


@cache
def day_defaults() -> dict[str, Param]:
    """The waits between the bags of a day when a protocol does not set them (only the calendar
    lays out a day, so only it reads this file)."""
    text = package_file(DAY_DEFAULTS_FILE).read_text("utf-8")
    return build_day_defaults(_toml(text, DAY_DEFAULTS_FILE), DAY_DEFAULTS_FILE)
