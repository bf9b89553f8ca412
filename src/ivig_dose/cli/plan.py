"""``ivig-dose plan``: a body weight in, the whole protocol's plan out (table, JSON, CSV or FHIR)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ivig_dose.cli.options import PlanOptions, format_option, with_plan_options
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.core.model import Plan

PLAN_FORMATS = (Format.table, Format.json, Format.csv, Format.fhir)


def write_plan(plan: Plan, fmt: Format, blinded: bool, patient_id: str | None = None) -> None:
    from ivig_dose.cli.language import current, warn

    warn(plan.warnings)
    if fmt is Format.json:
        from ivig_dose.render.plan_json import render_json

        sys.stdout.write(render_json(plan, blinded))
    elif fmt is Format.csv:
        from ivig_dose.render.plan_csv import render_csv

        sys.stdout.write(render_csv(plan, blinded))
    elif fmt is Format.fhir:
        from ivig_dose.cli.outputs import generated_at
        from ivig_dose.render.plan_fhir import render_fhir

        assert patient_id is not None
        sys.stdout.write(render_fhir(plan, blinded, patient_id, generated_at()))
    else:
        from ivig_dose.render.plan_table import render_table

        render_table(plan, sys.stdout, blinded, current())


def checked_patient_id(patient_id: str | None, fmt: Format) -> str | None:
    """The id a FHIR order needs as its subject (FHIR requires one); refused where nothing shows it."""
    given = patient_id.strip() if patient_id is not None else None
    if fmt is Format.fhir and not given:
        raise InputError(message(N_("-f fhir needs --patient-id: every FHIR MedicationRequest names its patient "
                                    "(subject); accepted: a study or hospital number, e.g. TIM-001")))
    if fmt is not Format.fhir and patient_id is not None:
        raise InputError(message(N_("--patient-id is written only by -f fhir, not by -f {format}; leave it out, or use "
                                    "-f fhir"), format=fmt.value))
    if given is not None:
        from ivig_dose.parse.text import check_id

        check_id(given, "--patient-id")
    return given


@with_plan_options
def plan(
    options: PlanOptions,
    fmt: Annotated[Format, format_option(*PLAN_FORMATS)] = Format.table,
    patient_id: Annotated[str | None, typer.Option(
        "--patient-id", help="With -f fhir: the patient's identifier, the orders' subject. "
                             "Not part of the input digest.")] = None,
) -> None:
    """Plan every course of the protocol for one patient, and say why each number is what it is."""
    subject = checked_patient_id(patient_id, fmt)
    write_plan(options.plan(), fmt, options.blinded, subject)
