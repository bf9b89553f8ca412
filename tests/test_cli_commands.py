"""Commands are built only when named (to start fast), yet every listing of them reads as before."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import typer

from ivig_dose.cli.commands import COMMANDS


def ivig_dose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ivig_dose", *args], capture_output=True, text=True, check=False)


def summary_start(target: str) -> str:
    """The first words of a command's own help: its docstring, or a Typer app's ``help``."""
    module_name, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module_name), attribute)
    text = found.info.help if isinstance(found, typer.Typer) else inspect.getdoc(found)
    return " ".join(str(text).split()[:4])


def test_help_lists_every_command_in_order_with_its_summary() -> None:
    result = ivig_dose("--help")
    assert result.returncode == 0
    listed = [line.split(maxsplit=1) for line in result.stdout.split("Commands:\n", 1)[1].splitlines() if line.strip()]
    assert [name for name, _ in listed] == list(COMMANDS)
    for (_, summary), target in zip(listed, COMMANDS.values(), strict=True):
        assert summary.startswith(summary_start(target))


def test_a_mistyped_command_is_still_matched_to_the_right_one() -> None:
    result = ivig_dose("plna", "--weight", "70")
    assert result.returncode == 2
    assert result.stderr == "ivig-dose: error: No such command 'plna'. Did you mean 'plan'? (see 'ivig-dose --help')\n"


def test_a_group_of_subcommands_is_built_when_named() -> None:
    result = ivig_dose("protocol", "list")
    assert result.returncode == 0
    assert "timeismuscle" in [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert "show " in ivig_dose("protocol", "--help").stdout


def test_a_subcommand_option_error_names_the_subcommand() -> None:
    result = ivig_dose("plan")
    assert result.returncode == 2
    assert result.stderr == "ivig-dose: error: Missing option '--weight' / '-w'. (see 'ivig-dose plan --help')\n"
