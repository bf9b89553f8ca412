"""``ivig-dose calendar``: one iCalendar event per bag, for the nurse (icalendar, loaded only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ivig_dose.cli.options import OutputPath, PatientId, PlanOptions, with_plan_options
from ivig_dose.cli.outputs import Renderer, write_from_plan
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.parse.clock import parse_clock, parse_reminders, parse_zone

if TYPE_CHECKING:
    from ivig_dose.render.provenance import Provenance


@with_plan_options
def calendar(
    options: PlanOptions,
    output: OutputPath,
    patient_id: PatientId = None,
    start_time: Annotated[str, typer.Option(
        "--time", help="When the first bag of each infusion day starts, 24-hour HH:MM.")] = "09:00",
    tz: Annotated[str, typer.Option("--tz", help="IANA time zone of --time.")] = "Europe/Amsterdam",
    remind: Annotated[list[str] | None, typer.Option(
        "--remind", help="A reminder this long before each bag, e.g. 1d, 2h, 30min; repeat for more.")] = None,
) -> None:
    """Write an .ics file with one event per bag; re-importing an updated plan updates the same events."""
    if not patient_id or not patient_id.strip():
        raise InputError(message(N_("calendar needs --patient-id: each event's UID is made from it, so that "
                                    "importing another patient's plan cannot overwrite this patient's events; "
                                    "accepted: a study number, e.g. TIM-001")))
    clock, zone, reminders = parse_clock(start_time), parse_zone(tz), parse_reminders(remind or [])

    def renderer() -> Renderer:
        from ivig_dose.app.calendar import day_rules, lay_out_plan
        from ivig_dose.cli.language import current, warn
        from ivig_dose.render.calendar_ics import render_calendar

        rules = day_rules(options.protocol)

        def render(document: dict[str, Any], provenance: Provenance) -> bytes:
            layout = lay_out_plan(document, clock, zone, rules)
            warn(layout.warnings)
            return render_calendar(document, provenance, layout, reminders, current())

        return render

    write_from_plan(options, output, patient_id.strip(), renderer)
