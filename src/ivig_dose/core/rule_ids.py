"""Which rule id names each kind of fact, as the protocol file names them.

A protocol file says which rule each of its numbers feeds (``[params.daily_cap] rule = "R3"``),
so the "why" block of a plan and the discrepancies of ``verify`` must name a dose, a day count
or a hospital portion by the same id. This is the one place that reads those ids: dosing and
verification both ask it, so the two can never name one fact two ways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Protocol

#: the placebo rule's id when a protocol has no placebo arm (the spec's).
PLACEBO_RULE = "R8"
#: the spec's rules that no protocol number feeds: how a course splits into days, when courses
#: fall, and which weight a later course is dosed on.
SPLIT, SCHEDULE, COURSE_WEIGHT = "R4", "R7", "R9"


@frozen
class RuleIds:
    """The rule each kind of fact follows."""

    weight: str
    dosing_weight: str
    #: the course dose: the course cap's rule when there is one (it is the last word), else the dose per kg's.
    dose: str
    #: the day count: the daily cap's rule when there is one, else the default day count's.
    days: str
    #: where a bag is given: the hospital portion's rule, else the rest setting's.
    setting: str
    volume: str
    placebo: str
    split: str = SPLIT
    schedule: str = SCHEDULE
    course_weight: str = COURSE_WEIGHT


def rule_ids(protocol: Protocol) -> RuleIds:
    params, options = protocol.params, protocol.options
    portion = params.get("hospital_portion")
    return RuleIds(
        weight=params["min_weight"].rule,
        dosing_weight=options["dosing_weight_basis"].rule,
        dose=params.get("course_cap", params["dose_per_kg"]).rule,
        days=params["daily_cap"].rule if "daily_cap" in params else options["default_days"].rule,
        setting=portion.rule if portion is not None else options["rest_setting"].rule,
        volume=protocol.product.rule,
        placebo=protocol.placebo.rule if protocol.placebo is not None else PLACEBO_RULE,
    )
