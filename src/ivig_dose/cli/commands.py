"""The subcommands of ``ivig-dose``: where each lives, its one-line summary, and a group that
builds a command only when it is named.

Each subcommand lives in its own module under :mod:`ivig_dose.cli`, listed in :data:`COMMANDS`
and imported only when that command is named, and each imports its heavy libraries (rich,
pint) only when it runs, so ``--help`` and a plain ``plan --weight 70`` start fast however
many commands there are.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperCommand, TyperGroup

from ivig_dose.cli.language import add_lang_option

#: Every subcommand, in the order ``--help`` lists them: its name and where it lives, as
#: "module:attribute" naming a command function or a Typer app of subcommands. Building a
#: command costs its module's imports and typer's reading of its signature; done only for
#: the command that runs, one command's cost never lands on another. Add a command here,
#: and its summary to :data:`SUMMARIES`.
COMMANDS: dict[str, str] = {
    "plan": "ivig_dose.cli.plan:plan",
    "screen": "ivig_dose.cli.screen:screen",
    "order": "ivig_dose.cli.order:order",
    "labels": "ivig_dose.cli.labels:labels",
    "calendar": "ivig_dose.cli.calendar:calendar",
    "rates": "ivig_dose.cli.rates:rates",
    "verify": "ivig_dose.cli.verify:verify",
    "batch": "ivig_dose.cli.batch:batch",
    "protocol": "ivig_dose.cli.protocol:app",
    "products": "ivig_dose.cli.products:app",
    "record": "ivig_dose.cli.record:app",
}

#: The first paragraph of each command's own help, which ``ivig-dose --help`` shortens to the
#: one line it lists. Knowing it here lets the list be printed without importing and building
#: all the commands, which would cost ``--help`` as much as every command's start-up together.
#: tests/test_help_summaries.py holds each against the built command's help, so the two
#: cannot drift; a command missing here is built to list it, correct but slower.
SUMMARIES: dict[str, str] = {
    "plan": "Plan every course of the protocol for one patient, and say why each number is what it is.",
    "screen": "Screen a patient against the trial's criteria. Exit status: 0 eligible, 1 not eligible, "
              "2 bad input, 3 undecided (answers missing, none failing).",
    "order": "Write the order sheet to prepare, double-check and sign: every bag, caps, warnings, sign-off.",
    "labels": "Write a label for every bag: patient, product, volume, course, day, date, setting, batch, expiry.",
    "calendar": "Write an .ics file with one event per bag; re-importing an updated plan updates the same events.",
    "rates": "Print the pump program for one bag: rate steps, minutes per step, total time.",
    "verify": "Check an order (or one bag at the bedside) against the protocol, value by value.",
    "batch": "Plan every patient of a CSV list (patient_id, weight, start; optional arm, days, week4_weight, "
             "week8_weight, height, sex, dosing_weight, pregnant, risk, age), or with --verify check every order "
             "of a file.",
    "protocol": "List, show and check protocols and the sources of their numbers.",
    "products": "List, show and check product catalogues and the sources of their numbers.",
    "record": "Record what was given at the bedside: each bag's start, rates, pauses, reactions and stop; the time "
              "left after a slow-down; the vials and lots that went into each bag, and a recall by lot; check, "
              "export and merge the record.",
}


class PendingCommand(TyperCommand):
    """Stands in for a command of :data:`COMMANDS` until it is named; then it is built for real.

    Being in the group's command table keeps everything that lists commands (``--help``,
    "Did you mean 'plan'?") exactly as if every command had been built up front. With its
    summary as ``help`` it can stand in for the command in the ``--help`` list as well.
    """

    def __init__(self, name: str, target: str, summary: str | None = None) -> None:
        super().__init__(name, help=summary, rich_markup_mode=None)
        self.target = target

    def load(self) -> Command:
        """Imports the module and has typer build the command, as ``app.command``/``add_typer`` would."""
        module_name, _, attribute = self.target.partition(":")
        found = getattr(importlib.import_module(module_name), attribute)
        holder = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
        if isinstance(found, typer.Typer):
            holder.add_typer(found, name=self.name)
        else:
            holder.command(self.name)(found)
        command: Command = typer.main.get_group(holder).commands[str(self.name)]
        add_lang_option(command)
        return command


class CommandTable(TyperGroup):
    """The group of :data:`COMMANDS`: each stands in its table as a :class:`PendingCommand` until
    it is named, and ``--help`` lists them from :data:`SUMMARIES` without building one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: True while ``--help`` lists the commands: a summary is all it needs of each.
        self.listing = False
        for name, target in COMMANDS.items():
            self.commands.setdefault(name, PendingCommand(name, target, SUMMARIES.get(name)))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, PendingCommand) and not (self.listing and command.help is not None):
            command = self.commands[cmd_name] = command.load()
        return command

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        self.listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.listing = False
