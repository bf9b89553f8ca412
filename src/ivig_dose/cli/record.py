"""``ivig-dose record``: the bedside administration record, in an SQLite file.

Each subcommand reads its options, calls one use case of the record (:mod:`ivig_dose.app.record`
names their modules) and prints what it recorded or read. A write prints one line (and its
warnings on stderr); a refusal is one line on stderr, exit status 2, and nothing is written.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import Command, Context
from typer.core import TyperGroup

from ivig_dose.cli.commands import PendingCommand
from ivig_dose.core.errors import ExitStatus, InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.app.record_events import EventInput
    from ivig_dose.core.record_order import Written

#: every subcommand, in the order ``record --help`` lists them, as "module:function".
SUBCOMMANDS = {"order": "ivig_dose.cli.record_order:order", "prepare": "ivig_dose.cli.record_lots:prepare"} | {
    name: f"ivig_dose.cli.record:{name}" for name in ("start", "rate", "pause", "resume", "stop", "reaction",
                                                      "remaining", "show")} | {
    "lot": "ivig_dose.cli.record_lots:lot"} | {
    name: f"ivig_dose.cli.record:{name}" for name in ("amend", "check", "export", "merge")}


class RecordCommands(TyperGroup):
    """The record's subcommands, each built only when it is named (as ``ivig-dose`` builds its own):
    a nurse's ``record rate`` does not pay for ``record order``'s plan options and their imports."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, target in SUBCOMMANDS.items():
            self.commands.setdefault(name, PendingCommand(name, target))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, PendingCommand):
            command = self.commands[cmd_name] = command.load()
        return command


app = typer.Typer(
    cls=RecordCommands,
    help="Record what was given at the bedside: each bag's start, rates, pauses, reactions and stop; the time left "
         "after a slow-down; the vials and lots that went into each bag, and a recall by lot; check, export and "
         "merge the record.\n\n"
         "The record is an SQLite file: --db PATH, else IVIG_DOSE_DB, else records.sqlite3 in the user's data "
         "folder. Nothing in it is ever changed or removed: a correction (record amend) is a new entry.",
    no_args_is_help=True)

Db = Annotated[str | None, typer.Option(
    "--db", envvar="IVIG_DOSE_DB", show_envvar=False,
    help="The record file. Default: IVIG_DOSE_DB, else records.sqlite3 in the user's data folder.")]
Patient = Annotated[str, typer.Option("--patient-id", help="The patient's or study number.")]
BagNumber = Annotated[int, typer.Option("--bag", help="The bag's number, as its label prints it (bag 3 of 16).")]
By = Annotated[str, typer.Option("--by", help="Initials (or staff code) of who did it.")]
At = Annotated[str | None, typer.Option(
    "--at", help="When, as the clock read: 2027-01-04 09:05, or 09:05 for today. Default: now.")]
Override = Annotated[str | None, typer.Option(
    "--override", help="Why a rate above the bag's program is recorded anyway.")]
PatientFilter = Annotated[str | None, typer.Option("--patient-id", help="Only this patient. Default: every patient.")]
Unblinded = Annotated[bool, typer.Option(
    "--unblinded", help="For the pharmacy: show a blinded trial's orders as the pharmacy registered them, with "
                        "their product, grams and lots. Default: a blinded order shows none of them.")]


def format_option(*formats: Format) -> Any:
    """``--format``/``-f`` as every command declares it (cli.options.format_option, which would bring
    the plan options and the plan model along)."""
    from typer._types import TyperChoice

    return typer.Option("--format", "-f", click_type=TyperChoice(formats), help="Output format.")


def db_path(db: str | None, write: bool) -> str:
    """``--db`` (or IVIG_DOSE_DB) as given, else the user's data folder, made when a write needs it."""
    from ivig_dose.files.record_store import default_path, make_default_folder

    if db is not None:
        if not db.strip():
            raise InputError(message(N_("--db is empty; give a record file, or leave it out for the default")))
        return db
    path = default_path()
    if write:
        make_default_folder(path)
    return path


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def said_written(written: Written) -> None:
    from ivig_dose.cli.language import current, warn
    from ivig_dose.render.record_text import written_text

    say(written_text(written, current()))
    warn(written.warnings)


def _write(typed: EventInput, db: str | None) -> None:
    from ivig_dose.app.record_events import write_event

    said_written(write_event(db_path(db, write=True), typed))


def start(patient_id: Patient, bag: BagNumber, by: By, at: At = None, db: Db = None) -> None:
    """Start a bag, at its program's first rate."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("start", patient_id, bag, by, at), db)


def rate(
    patient_id: Patient, bag: BagNumber, by: By,
    rate: Annotated[str, typer.Option("--rate", help="The new rate, e.g. 144 mL/h (a bare number is mL/h).")],
    at: At = None, override: Override = None, db: Db = None,
) -> None:
    """Change a running bag's rate; above its program only with --override REASON."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("rate", patient_id, bag, by, at, rate=rate, override=override), db)


def pause(
    patient_id: Patient, bag: BagNumber, by: By,
    reason: Annotated[str, typer.Option("--reason", help="Why, e.g. chills, a reaction.")],
    at: At = None, db: Db = None,
) -> None:
    """Pause a running bag (for a reaction, an occluded line, a break)."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("pause", patient_id, bag, by, at, reason=reason), db)


def resume(
    patient_id: Patient, bag: BagNumber, by: By,
    rate: Annotated[str, typer.Option("--rate", help="The rate it runs at again, e.g. 60 mL/h.")],
    at: At = None, override: Override = None, db: Db = None,
) -> None:
    """Resume a paused bag at the rate given (after a reaction, a lower one)."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("resume", patient_id, bag, by, at, rate=rate, override=override), db)


def stop(
    patient_id: Patient, bag: BagNumber, by: By,
    infused: Annotated[str, typer.Option("--infused", help="The volume infused the pump shows, e.g. 360 mL.")],
    at: At = None, db: Db = None,
) -> None:
    """Stop a bag, with the volume infused the pump shows."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("stop", patient_id, bag, by, at, infused=infused), db)


def reaction(
    patient_id: Patient, bag: BagNumber, by: By,
    grade: Annotated[int, typer.Option("--grade", help="CTCAE grade: 1 mild, 2 moderate, 3 severe, 4 "
                                                       "life-threatening, 5 death.")],
    symptoms: Annotated[str, typer.Option("--symptoms", help="What was seen, e.g. chills, headache.")],
    action: Annotated[str, typer.Option("--action", help="What was done, e.g. paused, paracetamol 1 g.")],
    at: At = None, db: Db = None,
) -> None:
    """Record a reaction to a bag: its grade, symptoms and what was done."""
    from ivig_dose.app.record_events import EventInput

    _write(EventInput("reaction", patient_id, bag, by, at, grade=grade, symptoms=symptoms, action=action), db)


def remaining(
    patient_id: Patient, bag: BagNumber,
    infused: Annotated[str | None, typer.Option(
        "--infused", help="The volume infused the pump shows now. Default: from the recorded rates and times.")]
    = None,
    at: At = None, db: Db = None,
    fmt: Annotated[Format, format_option(Format.table, Format.json)] = Format.table,
) -> None:
    """Volume and time left of a bag, its program continued from the current rate, and when it ends."""
    from ivig_dose.app.record_events import bag_remaining

    left = bag_remaining(db_path(db, write=False), patient_id, bag, infused, at)
    if fmt is Format.json:
        from ivig_dose.render.record_json import render_remaining_json

        sys.stdout.write(render_remaining_json(left, patient_id.strip()))
    else:
        from ivig_dose.cli.language import current
        from ivig_dose.render.record_text import render_remaining_table

        render_remaining_table(left, patient_id.strip(), sys.stdout, current())


def show(
    patient_id: PatientFilter = None, db: Db = None,
    fmt: Annotated[Format, format_option(Format.table, Format.json, Format.csv)] = Format.table,
    unblinded: Unblinded = False,
) -> None:
    """Each bag ordered against given, with its rates, pauses, reactions, lots and who; each course's total."""
    from ivig_dose.app.record_read import read_orders

    orders = read_orders(db_path(db, write=False), patient_id, unblinded)
    if fmt is Format.json:
        from ivig_dose.render.record_json import render_record_json

        render_record_json(orders, sys.stdout)
    elif fmt is Format.csv:
        from ivig_dose.render.record_csv import render_record_csv

        render_record_csv(orders, sys.stdout)
    else:
        from ivig_dose.cli.language import current
        from ivig_dose.render.record_text import render_record_table

        render_record_table(orders, sys.stdout, current())


def amend(
    entry: Annotated[str, typer.Argument(metavar="ENTRY", help="The entry's id as show prints it (8 characters).")],
    by: By,
    reason: Annotated[str, typer.Option("--reason", help="Why it is corrected.")],
    void: Annotated[bool, typer.Option("--void", help="Strike the entry out: recorded in error.")] = False,
    at: Annotated[str | None, typer.Option("--at", help="The corrected time.")] = None,
    rate: Annotated[str | None, typer.Option("--rate", help="The corrected rate.")] = None,
    infused: Annotated[str | None, typer.Option("--infused", help="The corrected volume infused.")] = None,
    pause_reason: Annotated[str | None, typer.Option("--pause-reason", help="The corrected reason of a pause.")]
    = None,
    override: Override = None,
    grade: Annotated[int | None, typer.Option("--grade", help="The corrected grade of a reaction.")] = None,
    symptoms: Annotated[str | None, typer.Option("--symptoms", help="The corrected symptoms.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="The corrected action.")] = None,
    db: Db = None,
) -> None:
    """Correct an entry with a new one that names it, as a struck-through line on paper."""
    from ivig_dose.app.record_amend import Correction
    from ivig_dose.app.record_amend import amend as amend_entry

    said_written(amend_entry(db_path(db, write=True), Correction(
        entry, by, reason, void, at, rate, infused, pause_reason, override, grade, symptoms, action)))


def check(db: Db = None) -> int:
    """Check every entry against its hash and the chain; exit 1 naming the first that fails."""
    from ivig_dose.app.record_read import check as check_record
    from ivig_dose.cli.language import current
    from ivig_dose.render.record_text import check_text

    path = db_path(db, write=False)
    checked = check_record(path)
    say(check_text(checked, path, current()))
    return int(ExitStatus.OK if checked.ok else ExitStatus.NOT_OK)


def export(
    fmt: Annotated[Format, format_option(Format.jsonl, Format.csv, Format.fhir)],
    patient_id: PatientFilter = None, db: Db = None,
    ndjson: Annotated[bool, typer.Option("--ndjson", help="With -f fhir: one resource a line instead of a "
                                                          "Bundle.")] = False,
    unblinded: Unblinded = False,
) -> None:
    """Write the record: every entry (jsonl, csv), or FHIR R4 MedicationAdministrations (fhir), with lots."""
    path = db_path(db, write=False)
    if fmt is Format.fhir:
        from ivig_dose.app.record import now_here
        from ivig_dose.app.record_read import read_orders
        from ivig_dose.render.record_fhir import render_fhir_bundle, render_fhir_ndjson

        orders = read_orders(path, patient_id, unblinded)
        if ndjson:
            render_fhir_ndjson(orders, sys.stdout)
        else:
            render_fhir_bundle(orders, sys.stdout, now_here().isoformat())
        return
    from ivig_dose.app.record_read import entries

    exported = entries(path, patient_id, unblinded)
    if fmt is Format.csv:
        from ivig_dose.render.record_csv import render_entries_csv

        render_entries_csv(exported.rows, sys.stdout)
    else:
        from ivig_dose.render.record_json import render_entries_jsonl

        render_entries_jsonl(exported.rows, sys.stdout)
    if exported.left_out:
        from ivig_dose.cli.language import current

        sys.stderr.write(current()(N_("ivig-dose: {count} entries of blinded orders left out (the pharmacy's order, "
                                      "preparations and lots); --unblinded writes them"),
                                   count=exported.left_out) + "\n")


def merge(
    other: Annotated[str, typer.Argument(metavar="OTHER", help="The record file to bring in, e.g. a nurse's.")],
    db: Db = None,
) -> None:
    """Bring another record's entries into this one; entries already here are skipped, so a second merge adds
    nothing."""
    from ivig_dose.app.record_merge import merge as merge_records
    from ivig_dose.cli.language import current

    path = db_path(db, write=True)
    merged = merge_records(path, other)
    say(current()(N_("merged {other} into {path}: {added} entries added, {present} already here"), other=other,
                  path=path, added=merged.added, present=merged.present))
