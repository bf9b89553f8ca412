"""Words a renderer shows for values the data keeps as keys: a setting (``hospital``), a rule id
(``pump``), a dosing-weight basis (``adjusted``). JSON, CSV and FHIR keep the keys; people read
them in their language (``ziekenhuis``, ``pomp``, ``aangepast``)."""

from __future__ import annotations

from datetime import date

from ivig_dose.core.messages import N_
from ivig_dose.render.translator import Translator

#: keyed by core.model's HOSPITAL and HOME written out (tests/test_record_core.py holds them equal):
#: ``record``'s commands say a setting without loading the plan model and its dataclasses.
SETTING_WORDS = {"hospital": N_("hospital"), "home": N_("home")}
#: the rule ids that are words, not numbers (R1 ... R9 read the same in every language).
RULE_WORDS = {"product": N_("product"), "pump": N_("pump"), "vials": N_("vials"), "round": N_("round"),
              "protocol": N_("protocol")}
#: the days of the week, Monday first (``date.weekday()``), in the messages' English.
WEEKDAY_WORDS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
                 N_("Sunday"))
#: a study arm as people read it: the plan's key ``ivig`` is the medicine IVIg.
ARM_WORDS = {"ivig": N_("IVIg"), "placebo": N_("placebo")}
BASIS_WORDS = {"actual": N_("actual"), "ideal": N_("ideal"), "adjusted": N_("adjusted")}


def setting_word(setting: str, tr: Translator) -> str:
    """``hospital``, ``home`` as the reader says them; a setting the data does not know stays as it is."""
    word = SETTING_WORDS.get(setting)
    return tr(word) if word is not None else setting


def rule_name(rule: str, tr: Translator) -> str:
    """``R4`` as it is; ``pump`` as the reader says it."""
    word = RULE_WORDS.get(rule)
    return tr(word) if word is not None else rule


def arm_word(arm: str, tr: Translator) -> str:
    """``IVIg``, ``placebo``; an arm the data does not know stays as it is."""
    word = ARM_WORDS.get(arm)
    return tr(word) if word is not None else arm


def basis_word(basis: str, tr: Translator) -> str:
    word = BASIS_WORDS.get(basis)
    return tr(word) if word is not None else basis


def weekday_word(day: date, tr: Translator) -> str:
    """``Monday``, ``maandag``: a date's weekday as the reader says it."""
    return tr(WEEKDAY_WORDS[day.weekday()])
