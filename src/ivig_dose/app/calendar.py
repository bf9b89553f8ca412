"""The use case of ``calendar``: a plan document laid out as the nurse's days.

The protocol says how long the patient is watched after the first infusion and how long a home
bag waits after the hospital bag of the same day; a protocol that does not say gets the general
defaults of ``data/infusion_day.toml`` (each with its source), and one that writes ``"none"``
gets no wait. The core lays the bags out (:mod:`ivig_dose.core.infusion_day`); the renderer
writes what it laid out.
"""

from __future__ import annotations

from datetime import date, time, tzinfo
from typing import TYPE_CHECKING

from ivig_dose.core.infusion_day import HOME_GAP, OBSERVATION, BagTime, DayLayout, DayRules, lay_out

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Param, Protocol
    from ivig_dose.render.document_text import Document


def day_rules(protocol_name: str) -> DayRules:
    """The waits of the protocol named as ``--protocol`` names it (read once per run)."""
    from ivig_dose.files.protocols import load_protocol

    return rules_of(load_protocol(protocol_name))


def rules_of(protocol: Protocol) -> DayRules:
    """The protocol's waits, else the general defaults; "none" or 0 minutes is no wait."""
    from ivig_dose.files.protocols import day_defaults

    def wait(key: str) -> Param | None:
        if key in protocol.unset:
            return None
        param = protocol.params.get(key) or day_defaults()[key]
        return param if param.value > 0 else None

    return DayRules(observation=wait(OBSERVATION), home_gap=wait(HOME_GAP))


def bag_times(document: Document) -> list[BagTime]:
    """What the layout needs of each bag of the plan document, in order of giving."""
    from ivig_dose.render.document_text import bags, duration_minutes

    return [BagTime(course=bag.course["name"], day=int(bag.day["day"]), days=len(bag.course["days"]),
                    date=date.fromisoformat(bag.day["date"]), setting=str(bag.segment["setting"]),
                    minutes=duration_minutes(bag.segment))
            for bag in bags(document)]


def lay_out_plan(document: Document, clock: time, zone: tzinfo, rules: DayRules) -> DayLayout:
    """Every bag of the plan document in the nurse's day, with the warnings that gives rise to."""
    return lay_out(bag_times(document), clock, zone, rules)
