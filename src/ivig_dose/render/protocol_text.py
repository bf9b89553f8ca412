"""A protocol as plain text: every parameter and choice with its unit, rule and source.

Optional parameters a protocol leaves out are named as absent ("course_cap: none"), so a
reader sees that a missing cap is a decision of the file, not an oversight of this program; one
that has a general default (the waits of the calendar's day) is shown with that default and its
source. Keys, units and choices are written as the file writes them (they are what a reader
types into a protocol file, as an option's name is); the rest is said in the reader's language.
The sources are the file's own words and stay as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivig_dose.core.messages import N_
from ivig_dose.core.model import HOSPITAL
from ivig_dose.core.protocol import PARAMS, Param, Protocol
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import setting_word

NO_DEFAULTS: Mapping[str, Param] = {}
#: the units that are words; the others (g, kg, min, kg/m2) are symbols in every language.
UNIT_WORDS = {"days": N_("days"), "fraction": N_("fraction")}


def unit_word(unit: str, tr: Translator = ENGLISH) -> str:
    word = UNIT_WORDS.get(unit)
    return unit if word is None else tr(word)


def source_line(source: str, tr: Translator = ENGLISH) -> str:
    """The indented line under a number that says where it comes from."""
    return "      " + tr(N_("source: {source}"), source=source)


def _param_lines(param: Param, tr: Translator = ENGLISH) -> list[str]:
    return [f"  {param.key} = {tr.number(param.value)} {unit_word(param.unit, tr)}  [{param.rule}]",
            source_line(param.source, tr)]


def _course_line(protocol: Protocol, index: int, tr: Translator = ENGLISH) -> str:
    course = protocol.courses[index]
    rest = setting_word(protocol.rest_setting, tr)
    if protocol.rest_setting == HOSPITAL:
        where = tr(N_("first part in hospital, the rest in hospital")) if course.hospital \
            else tr(N_("given in hospital"))
    else:
        where = tr(N_("first part in hospital, the rest at {setting}"), setting=rest) if course.hospital \
            else tr(N_("given at {setting}"), setting=rest)
    name = tr.say(course.name)
    shown = name if name == course.name else f"{name} ({course.name})"
    return "  " + tr(N_("{course}: week {week} (day {day}), {where}"), course=shown, week=course.week,
                     day=course.offset_days, where=where)


def render_protocol(protocol: Protocol, defaults: Mapping[str, Param] = NO_DEFAULTS,
                    tr: Translator = ENGLISH) -> str:
    """``protocol show``; ``defaults`` are the general values of the parameters the protocol may leave out."""
    verified = tr(N_("yes")) if protocol.verified else tr(N_("NO: check every value against its source before use"))
    lines = [
        f"{protocol.name}",
        tr(N_("id: {id}   version: {version}"), id=protocol.id, version=protocol.version),
        tr(N_("source: {source}"), source=protocol.source),
        tr(N_("verified against its sources: {verified}"), verified=verified),
        "",
        tr(N_("Parameters:")),
    ]
    for key in PARAMS:
        param = protocol.params.get(key)
        unset = protocol.unset.get(key)
        if param is not None:
            lines += _param_lines(param, tr)
        elif unset is not None:
            lines += [f"  {key} = none  [{unset.rule}]", source_line(unset.source, tr)]
        elif key in defaults:
            general = defaults[key]
            lines += [f"  {key} = {tr.number(general.value)} {unit_word(general.unit, tr)}  [{general.rule}]  "
                      + tr(N_("(not set by this protocol: ivig-dose's default)")), source_line(general.source, tr)]
        elif key != "adjusted_weight_factor":
            lines.append(f"  {key}: none " + tr(N_("(not set by this protocol)")))
    lines += ["", tr(N_("Choices:"))]
    for option in protocol.options.values():
        lines.append(f"  {option.key} = {option.value}  [{option.rule}]")
        lines.append(source_line(option.source, tr))
    lines += ["", tr(N_("Dosing weight (used when the basis is ideal or adjusted):"))]
    lines += _param_lines(protocol.adjusted_factor, tr)
    rules = protocol.weight_rules
    for key in ("ibw_male_base", "ibw_female_base", "ibw_kg_per_inch", "ibw_base_height", "cm_per_inch"):
        lines += _param_lines(rules.params[key], tr)
    product = protocol.product
    lines += [
        "",
        tr(N_("Product: {product} {concentration} mg/mL  [{rule}]"), product=product.name,
           concentration=product.concentration_mg_per_ml, rule=product.rule),
        source_line(product.source, tr),
    ]
    placebo = protocol.placebo
    if placebo is None:
        lines.append(tr(N_("Placebo: none (not a placebo-controlled protocol)")))
    else:
        lines += [tr(N_("Placebo: {name}  [{rule}]"), name=placebo.name, rule=placebo.rule),
                  source_line(placebo.source, tr)]
    lines += ["", tr(N_("Courses:"))]
    for index, course in enumerate(protocol.courses):
        lines.append(_course_line(protocol, index, tr))
        if protocol.schedule_source == "listed":
            lines.append(source_line(course.source, tr))
    if protocol.schedule_source != "listed":
        lines.append(source_line(protocol.courses[0].source, tr))
    holidays = protocol.holidays
    if holidays is not None:
        listed = ", ".join(day.isoformat() for day in holidays.dates) or tr(N_("none"))
        lines += ["", tr(N_("Public holidays (a hospital day on one is warned about): {dates}"), dates=listed),
                  source_line(holidays.source, tr)]
    return "\n".join(lines) + "\n"


def protocol_line(name: str, protocol: Protocol, tr: Translator = ENGLISH) -> str:
    """One line of ``protocol list``: the name, whether verified against its sources, the title."""
    verified = tr(N_("verified")) if protocol.verified else tr(N_("unverified"))
    return f"{name}\t{verified}\t{protocol.name}"
