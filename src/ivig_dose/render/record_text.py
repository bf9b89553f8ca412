"""The bedside record for people: what a write recorded, a patient's bags as given, the time left.

Plain lines wrapped to the terminal (no table library: ``record show`` writes each bag as it is
read from the file, so a long record is never held whole). Times are the clock where each entry
was written. A blinded order's record holds no arm, product or dose, so none is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from ivig_dose.core.messages import N_
from ivig_dose.core.record import (
    AMEND,
    ORDER,
    PAUSE,
    PREPARE,
    RATE,
    REACTION,
    RESUME,
    START,
    STOP,
    Checked,
    kind_word,
)
from ivig_dose.core.record_bag import NOT_STARTED, PAUSED, BagRecord, Event, Events, OrderRecord, clock
from ivig_dose.core.record_order import Bag, CourseTotal, Registered, Written, cap_warning
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import setting_word

if TYPE_CHECKING:
    from ivig_dose.app.record_lots import Prepared, Recalled
    from ivig_dose.core.preparation import Preparation, Vial
    from ivig_dose.core.remaining import Remaining


def rate(value: Decimal, tr: Translator) -> str:
    return f"{tr.number(value)} mL/h"


def volume(value: Decimal, grams: Decimal | None, tr: Translator) -> str:
    """``300 mL``, or ``300 mL (30 g)`` when the order is not blinded."""
    text = tr.millilitres(value)
    return text if grams is None else f"{text} ({tr.grams(grams)})"


def bag_name(bag: Bag, count: int, tr: Translator) -> str:
    """``bag 1 of 6 (baseline day 1, hospital, planned 2027-01-04)``: as the label names it."""
    return tr(N_("bag {bag} of {count} ({course} day {day}, {setting}, planned {date})"), bag=bag.number, count=count,
              course=bag.course, day=bag.day, setting=setting_word(bag.setting, tr), date=bag.date.isoformat())


def event_text(event: Event, tr: Translator = ENGLISH) -> str:
    """What an event says, without its time: ``rate 84 mL/h``, ``pause: chills``."""
    kind, given = event.kind, event.rate
    if kind in (START, RATE, RESUME) and given is not None:
        template = {START: N_("start at {rate}"), RATE: N_("rate {rate}"), RESUME: N_("resume at {rate}")}[kind]
        text = tr(template, rate=rate(given, tr))
        override = event.text("override")
        return text if override is None else tr(N_("{text}, above the program: {override}"), text=text,
                                                override=override)
    if kind == PAUSE:
        return tr(N_("pause: {reason}"), reason=event.text("reason") or "")
    if kind == STOP:
        return tr(N_("stop: {infused} infused"), infused=tr.millilitres(event.infused or Decimal(0)))
    if kind == REACTION:
        return tr(N_("reaction grade {grade}: {symptoms}; action: {action}"), grade=event.grade or 0,
                  symptoms=event.text("symptoms") or "", action=event.text("action") or "")
    return kind


def written_text(written: Written, tr: Translator = ENGLISH) -> str:
    """The one line a write prints: what was recorded, for whom, and the entry's id."""
    entry = written.stored.entry
    count = len(written.order.bags)
    if entry.kind == ORDER:
        template = (N_("the order of patient {patient} was registered before, as entry {entry}; nothing was written")
                    if written.already
                    else N_("registered the order of patient {patient}: {count} bags; entry {entry}"))
        return tr(template, patient=entry.patient, count=count, entry=entry.short)
    if entry.kind == AMEND:
        target = written.corrects
        what = target.entry.kind if target is not None else ""
        return tr(N_("corrected entry {target} ({kind}) of patient {patient}: {reason}; entry {entry}"),
                  target=str(entry.data.get("corrects", ""))[:8], kind=tr.say(kind_word(what)), patient=entry.patient,
                  reason=str(entry.data.get("reason", "")), entry=entry.short)
    assert written.bag is not None
    if entry.kind == PREPARE:
        from ivig_dose.core.preparation import preparation_of  # not on a bedside write's path

        prep = preparation_of(written.stored.seq, entry.uuid, entry.patient, entry.bag, entry.by, entry.at,
                              entry.zone, entry.data)
        return tr(N_("prepared {bag} of patient {patient}: {preparation} (by {by}); entry {entry}"),
                  bag=bag_name(written.bag, count, tr), patient=entry.patient,
                  preparation=preparation_text(prep, written.bag, tr), by=entry.by, entry=entry.short)
    event = Event(entry.uuid, written.stored.seq, entry.kind, entry.at, entry.zone, entry.by, entry.data)
    return tr(N_("recorded for patient {patient}, {bag}: {time} {event} (by {by}); entry {entry}"),
              bag=bag_name(written.bag, count, tr), patient=entry.patient, event=event_text(event, tr),
              time=event.clock, by=entry.by, entry=entry.short)


def prepared_text(prepared: Prepared, tr: Translator = ENGLISH) -> str:
    """What ``record prepare`` prints: the preparation, and where a new lot restarts the titration."""
    lines = [written_text(prepared.written, tr)]
    bag = prepared.written.bag
    assert bag is not None
    for start in prepared.starts:
        lines.append("  " + tr(N_("lot {lot} starts at {infused} infused: the titration starts again at {rate}"),
                               lot=start.lot, infused=tr.millilitres(start.infused_ml), rate=rate(bag.rates[0], tr)))
    return "\n".join(lines)


def _product_of(prep: Preparation, tr: Translator) -> str:
    concentration = prep.concentration_mg_per_ml
    return prep.product if concentration is None else f"{prep.product} {tr.number(concentration)} mg/mL"


def _vial_amount(vials: list[Vial], tr: Translator) -> str:
    """``2 × 20 g``, or ``1 × 500 mL`` for the placebo's containers: vials of one lot, largest first."""
    counts: dict[tuple[Decimal, str], int] = {}
    for vial in vials:
        key = (vial.size_g, "g") if vial.size_g is not None else (vial.volume_ml, "mL")
        counts[key] = counts.get(key, 0) + 1
    return " + ".join(tr(N_("{count} × {size}"), count=count, size=f"{tr.number(size)} {unit}")
                      for (size, unit), count in sorted(counts.items(), reverse=True))


def preparation_text(prep: Preparation, bag: Bag, tr: Translator = ENGLISH) -> str:
    """``Nanogam 100 mg/mL; lot AB1234: 1 × 20 g, expires 2027-12-31; lot CD5678 from 200 mL: ...``:
    each lot in the order its vials run, and where a lot after the first starts (the titration with it)."""
    from ivig_dose.core.preparation import lot_starts

    starts = {start.lot: start for start in lot_starts(prep.vials, bag.volume_ml)}
    parts = [_product_of(prep, tr)]
    for lot in prep.lots:
        vials = [vial for vial in prep.vials if vial.lot == lot]
        expiries = ", ".join(dict.fromkeys(vial.expiry.isoformat() for vial in vials))
        start = starts.get(lot)
        text = tr(N_("lot {lot}: {vials}, expires {expiry}"), lot=lot, vials=_vial_amount(vials, tr),
                  expiry=expiries)
        if start is not None:
            text = tr(N_("lot {lot} from {infused} (the titration starts again): {vials}, expires {expiry}"),
                      lot=lot, infused=tr.millilitres(start.infused_ml), vials=_vial_amount(vials, tr),
                      expiry=expiries)
        parts.append(text)
    if prep.unchecked:
        parts.append(tr(N_("GTIN not checked")))
    return "; ".join(parts)


def check_text(checked: Checked, path: str, tr: Translator = ENGLISH) -> str:
    """``record check``'s verdict: every entry intact, or the first that is not."""
    chain = checked.chain
    if chain.problem is not None:
        return tr(N_("{path}: FAILS at entry {seq}: {problem}"), path=path, seq=chain.problem.seq,
                  problem=tr.say(chain.problem.said))
    if checked.missing_triggers:
        return tr(N_("{path}: FAILS: the triggers that keep the record append-only were removed ({triggers})"),
                  path=path, triggers=", ".join(checked.missing_triggers))
    if checked.index_problem is not None:
        return tr(N_("{path}: FAILS: {problem}"), path=path, problem=tr.say(checked.index_problem))
    return tr(N_("{path}: {count} entries intact; last hash {head}"), path=path, count=chain.count, head=chain.head)


class _Lines:
    """Writes lines wrapped to the width, later lines of one item indented."""

    def __init__(self, out: TextIO) -> None:
        from ivig_dose.render.terminal import width_for

        self.out = out
        self.width = width_for(out)

    def say(self, text: str = "", indent: str = "", hanging: str = "    ") -> None:
        from ivig_dose.render.terminal import wrapped

        self.out.write((wrapped(text, self.width, indent, indent + hanging) if text else "") + "\n")


def render_record_table(orders: Iterable[OrderRecord], out: TextIO, tr: Translator = ENGLISH) -> None:
    """Each order: a heading, each bag as given (its events in order of time), then each course
    ordered against given and the bags not given yet."""
    lines = _Lines(out)
    for number, record in enumerate(orders):
        if number:
            lines.say()
        _order_heading(record, lines, tr)
        given: dict[int, Decimal] = {}
        waiting = []
        for bag_record in record.bags:
            _bag_block(record, bag_record, lines, tr)
            if bag_record.state.infused is not None:
                given[bag_record.bag.number] = bag_record.state.infused
            if bag_record.state.status == NOT_STARTED:
                waiting.append(str(bag_record.bag.number))
        lines.say()
        for total in record.order.totals(given):
            lines.say(_total_text(total, tr))
            for warning in cap_warning(total):
                lines.say(tr(N_("warning: {warning}"), warning=tr.say(warning)), "  ")
        if waiting:
            lines.say(tr(N_("Not given yet: bags {bags}"), bags=", ".join(waiting)))


def _order_heading(record: OrderRecord, lines: _Lines, tr: Translator) -> None:
    order, entry = record.order, record.stored.entry
    product = _product(order, tr)
    lines.say(tr(N_("Patient {patient} · {protocol}, version {version} · {product} · order entry {entry}, "
                    "registered {time} by {by}"), patient=record.patient, protocol=order.protocol,
                 version=order.protocol_version, product=product, entry=entry.short,
                 time=clock(entry.at, entry.zone), by=entry.by))
    if record.voided:
        lines.say(tr(N_("VOIDED: this order was voided with record amend; its bags are shown as recorded")), "  ")


def _product(order: Registered, tr: Translator) -> str:
    from ivig_dose.core.blinding import BLINDED_PRODUCT

    if order.product is None:
        return tr(BLINDED_PRODUCT)
    concentration = order.product.concentration_mg_per_ml
    return order.product.name if concentration is None else f"{order.product.name} {tr.number(concentration)} mg/mL"


def _bag_block(order_record: OrderRecord, record: BagRecord, lines: _Lines, tr: Translator) -> None:
    bag, state, order = record.bag, record.state, order_record.order
    from ivig_dose.render.terminal import whole

    program = whole(" → ".join(tr.number(r) for r in bag.rates) + " mL/h")  # a program read apart misleads
    name = bag_name(bag, len(order.bags), tr)
    text = tr(N_("{bag}: {volume}, program {program}"), bag=name[:1].upper() + name[1:],
              volume=volume(bag.volume_ml, bag.dose_g, tr), program=program)
    if order_record.blinded_trial:
        text = tr(N_("{text}, kit {kit}"), text=text, kit=bag_kit(order_record, bag))
    lines.say(text)
    for prep in record.preparations:
        mark = tr(N_("VOID")) + " " if prep.voided else ""
        lines.say(tr(N_("{mark}{time}  prepared: {preparation}  ({by}, entry {entry})"), mark=mark,
                     time=clock(prep.at, prep.zone), preparation=preparation_text(prep, bag, tr), by=prep.by,
                     entry=prep.short), "    ", "      ")
    for event in record.events.active:
        _event_line(event, lines, tr, "")
    for event in record.events.voided:
        _event_line(event, lines, tr, tr(N_("VOID")) + " ")
    lines.say(_state_text(order, record, tr), "  ")
    if state.problem is not None:
        lines.say(tr(N_("does not add up: {problem}"), problem=tr.say(state.problem)), "  ")


def _event_line(event: Event, lines: _Lines, tr: Translator, mark: str) -> None:
    lines.say(tr(N_("{mark}{time}  {event}  ({by}, entry {entry})"), mark=mark, time=event.clock,
                 event=event_text(event, tr), by=event.by, entry=event.short), "    ", "      ")
    for correction in event.corrections:
        lines.say(tr(N_("corrected by {by} at {time}: {reason} (entry {entry})"), by=correction.by,
                     time=clock(correction.recorded, event.zone), reason=correction.reason,
                     entry=correction.uuid[:8]), "      ", "  ")


def _state_text(order: Registered, record: BagRecord, tr: Translator) -> str:
    state, bag = record.state, record.bag
    if state.status == NOT_STARTED:
        return tr(N_("not given"))
    people = ", ".join(dict.fromkeys(event.by for event in state.events))
    assert state.started is not None
    current = rate(state.rate or Decimal(0), tr)
    if state.paused is not None:
        return tr(N_("paused since {since}, after running at {rate} (started {start}); by {people}"),
                  since=state.paused.clock, rate=current, start=state.started.clock, people=people)
    if state.stopped is None:
        return tr(N_("running at {rate} since {since} (started {start}); by {people}"), rate=current,
                  since=state.runs[-1].begin.clock, start=state.started.clock, people=people)
    infused = state.infused or Decimal(0)
    return tr(N_("given {given} of {volume}, {start} to {stop}; by {people}"),
              given=volume(infused, order.grams(infused), tr), volume=tr.millilitres(bag.volume_ml),
              start=state.started.clock, stop=state.stopped.clock, people=people)


def _total_text(total: CourseTotal, tr: Translator) -> str:
    given = volume(total.given_ml, total.given_g, tr)
    ordered = volume(total.ordered_ml, total.ordered_g, tr)
    text = tr(N_("Course {course}: given {given} of {ordered} ordered ({done} of {bags} bags)"), course=total.name,
              given=given, ordered=ordered, done=total.bags_given, bags=total.bags)
    if total.cap_g is not None:
        return tr(N_("{text}; course cap {cap}"), text=text, cap=tr.grams(total.cap_g))
    return text


def render_remaining_table(left: Remaining, patient: str, out: TextIO, tr: Translator = ENGLISH) -> None:
    """The volume and time left of one bag, and the program that runs it from here."""
    lines = _Lines(out)
    bag = left.bag
    lines.say(tr(N_("Patient {patient}, {bag}: {volume}"), patient=patient, bag=_short_bag(bag, tr),
                 volume=tr.millilitres(bag.volume_ml)))
    source = tr(N_("the pump's figure")) if left.from_pump else tr(N_("from the recorded rates and times"))
    lines.say(tr(N_("Infused: {infused} ({source}); left: {left}"), infused=tr.millilitres(left.infused_ml),
                 source=source, left=tr.millilitres(left.volume_left_ml)))
    if left.emptied:
        lines.say(tr(N_("By the recorded rates the bag is empty: record its stop, or give --infused from the pump")))
    if left.status == NOT_STARTED:
        lines.say(tr(N_("Not started: the whole program, as if started at {time}"), time=_at(left)))
    elif left.status == PAUSED:
        lines.say(tr(N_("Paused: counted as if resumed at {time} at {rate}"), time=_at(left),
                     rate=rate(left.rate, tr)))
    else:
        since = left.rate_since.astimezone(left.at.tzinfo) if left.rate_since is not None else left.at
        lines.say(tr(N_("Running at {rate} since {time}"), rate=rate(left.rate, tr), time=since.strftime("%H:%M")))
    restarts = {restart.step: restart for restart in left.restarts}
    for index, (step, end) in enumerate(zip(left.program.steps, left.step_ends, strict=True)):
        restart = restarts.get(index)
        if restart is not None:
            lines.say(tr(N_("new lot {lot} at {infused} infused: the titration starts again at {rate}"),
                         lot=restart.lot, infused=tr.millilitres(restart.infused_ml), rate=rate(bag.rates[0], tr)),
                      "  ")
        lines.say(tr(N_("{rate} for {minutes} min ({volume}), until {end}"), rate=rate(step.rate_ml_per_h, tr),
                     minutes=tr.number(step.minutes), volume=tr.millilitres(step.volume_ml),
                     end=end.strftime("%H:%M")), "  ")
    lines.say(tr(N_("Time left: {duration}; ends at {end}"), duration=tr.duration(left.minutes_left),
                 end=left.ends_at.strftime("%Y-%m-%d %H:%M")))


def bag_kit(record: OrderRecord, bag: Bag) -> str:
    from ivig_dose.core.blinding import kit_id

    return kit_id(record.patient, record.order.protocol, bag.course, bag.day, bag.setting)


def render_recall_table(lot: str, found: list[Recalled], out: TextIO, tr: Translator = ENGLISH) -> None:
    """``record lot``: each bag prepared with the lot, its vials of it, and what was given of it."""
    lines = _Lines(out)
    if not found:
        lines.say(tr(N_("Lot {lot}: no bag in this record was prepared with it"), lot=lot))
        return
    lines.say(tr(N_("Lot {lot}: number of bags {count}"), lot=lot, count=len(found)))
    for recalled in found:
        prep, place = recalled.preparation, recalled.preparation.place
        text = tr(N_("Patient {patient}, bag {bag} ({course} day {day}, {setting}, planned {date})"),
                  patient=place.patient, bag=prep.bag, course=place.course, day=place.day,
                  setting=setting_word(place.setting, tr), date=prep.planned.isoformat())
        if recalled.kit is not None:
            text = tr(N_("{text}, kit {kit}"), text=text, kit=recalled.kit)
        lines.say(text)
        vials = [vial for vial in prep.vials if vial.lot.strip().upper() == lot]
        expiries = ", ".join(dict.fromkeys(vial.expiry.isoformat() for vial in vials))
        mark = tr(N_("VOID")) + " " if prep.voided else ""
        lines.say(tr(N_("{mark}prepared {time} by {by} (entry {entry}): {product}, {vials} of this lot, expires "
                        "{expiry}"), mark=mark, time=clock(prep.at, prep.zone), by=prep.by, entry=prep.short,
                     product=_product_of(prep, tr), vials=_vial_amount(vials, tr), expiry=expiries), "  ")
        given = [each for each in recalled.given if each.state.status != NOT_STARTED]
        for each in given:
            record = BagRecord(each.bag, Events((), ()), each.state)
            lines.say(_state_text(each.order, record, tr), "  ")
        if not given:
            lines.say(tr(N_("not given")), "  ")


def _short_bag(bag: Bag, tr: Translator) -> str:
    return tr(N_("bag {bag} ({course} day {day}, {setting})"), bag=bag.number, course=bag.course, day=bag.day,
              setting=setting_word(bag.setting, tr))


def _at(left: Remaining) -> str:
    return left.at.strftime("%Y-%m-%d %H:%M")
