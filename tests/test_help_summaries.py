"""``ivig-dose --help`` lists the commands from cli.commands.SUMMARIES instead of building every command
(which costs start-up time); these tests keep that list exactly what typer would print from the
commands themselves."""

from __future__ import annotations

import pytest
import typer.main
from typer._click import Command, Context

from ivig_dose.cli.commands import COMMANDS, SUMMARIES, PendingCommand
from ivig_dose.cli.main import OneLineErrors, app
from ivig_dose.cli.main import main as cli_main


def built(name: str) -> Command:
    return PendingCommand(name, COMMANDS[name]).load()


def test_every_command_has_a_summary_and_every_summary_a_command() -> None:
    # A command without one would still be listed correctly, by building it, but would bring
    # back the cost of importing it on every --help.
    assert list(SUMMARIES) == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_summary_is_the_first_paragraph_of_the_command_help(name: str) -> None:
    help_text = built(name).help or ""
    assert SUMMARIES[name].split() == help_text.split("\n\n")[0].split()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_line_is_the_command_own_at_every_width(name: str) -> None:
    # click cuts the line to fit the terminal; a narrow one cuts earlier, so try every limit.
    stand_in = PendingCommand(name, COMMANDS[name], SUMMARIES[name])
    command = built(name)
    for limit in range(10, 200):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), limit
    assert (stand_in.hidden, stand_in.deprecated) == (command.hidden, command.deprecated)


def group() -> OneLineErrors:
    found = typer.main.get_group(app)
    assert isinstance(found, OneLineErrors)
    return found


def help_of(group: OneLineErrors) -> str:
    with Context(group, info_name="ivig-dose") as ctx:
        return group.get_help(ctx)


def test_help_lists_without_building_a_command() -> None:
    listing = group()
    assert "plan      Plan every course of the protocol" in help_of(listing)
    assert all(isinstance(listing.commands[name], PendingCommand) for name in COMMANDS)


def test_a_named_command_is_built() -> None:
    # The counterpart of the test above: outside the --help list a stand-in never runs.
    listing = group()
    with Context(listing, info_name="ivig-dose") as ctx:
        assert not isinstance(listing.get_command(ctx, "rates"), PendingCommand)


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_help_is_the_same_as_with_every_command_built(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    listed = help_of(group())
    full = group()
    for name in COMMANDS:
        full.commands[name] = built(name)
    assert "plan" in listed
    assert listed == help_of(full)


def test_a_command_missing_from_the_summaries_is_built_to_be_listed(monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import ivig_dose.cli.commands as cli

    monkeypatch.setattr(cli, "SUMMARIES", {k: v for k, v in SUMMARIES.items() if k != "rates"})
    with pytest.raises(SystemExit) as exit_:
        monkeypatch.setattr("sys.argv", ["ivig-dose", "--help"])
        cli_main()
    assert exit_.value.code == 0
    assert "rates     Print the pump program for one bag" in capsys.readouterr().out
