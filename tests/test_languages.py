"""Which language a run speaks: ``--lang`` on every command, else LC_ALL, LC_MESSAGES
and LANG as POSIX orders them, else English; an unknown ``--lang`` is one error line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.commands import COMMANDS, PendingCommand
from ivig_dose.cli.language import OPTION, from_environment, given
from ivig_dose.cli.main import app
from ivig_dose.core.languages import LANGUAGES

runner = CliRunner()
PLAN = ["plan", "--weight", "70", "--start", "2027-01-04"]


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "nl_BE@euro"}, "nl"),
    ({"LANG": "nl"}, "nl"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # no catalogue: the fallback, not an error
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, "en"),  # LC_ALL binds first
    ({"LC_ALL": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
    ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),  # LC_MESSAGES before LANG
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}, "nl"),  # empty is unset (POSIX)
    ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),  # the first set one decides, alone
])
def test_the_locale_variables_choose_as_posix_orders_them(environ: dict[str, str], lang: str) -> None:
    assert from_environment(environ) == lang


@pytest.mark.parametrize(("args", "code"), [
    (["plan", "--lang", "nl"], "nl"), (["plan", "--lang=nl"], "nl"), (["plan", "--lang", "nl", "--lang", "en"], "en"),
    (["plan"], None), (["plan", "--", "--lang", "nl"], None),
])
def test_the_last_lang_on_the_command_line_counts(args: list[str], code: str | None) -> None:
    assert given(args) == code


def test_an_unknown_language_is_one_line_naming_those_there_are() -> None:
    result = runner.invoke(app, [*PLAN, "--lang", "de"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "'de'" in lines[0]
    assert all(code in lines[0] for code in LANGUAGES)


def test_a_locale_without_a_catalogue_is_english_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    result = runner.invoke(app, PLAN)
    assert result.exit_code == 0, result.stderr
    assert "Why these numbers:" in result.stdout


def test_the_environment_speaks_dutch_when_no_lang_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    dutch = runner.invoke(app, [*PLAN, "--arm", "nothing"])
    english = runner.invoke(app, [*PLAN, "--arm", "nothing", "--lang", "en"])  # --lang beats the environment
    assert dutch.exit_code == english.exit_code == 2
    assert dutch.stderr == runner.invoke(app, [*PLAN, "--arm", "nothing", "--lang", "nl"]).stderr
    assert dutch.stderr.startswith("ivig-dose: fout: ")
    assert english.stderr.startswith("ivig-dose: error: ")


def every_command() -> list[list[str]]:
    """Every command and subcommand, as the words that name it."""
    found = []
    for name, target in COMMANDS.items():
        command = PendingCommand(name, target).load()
        subcommands = getattr(command, "commands", {})
        found += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return found


@pytest.mark.parametrize("words", every_command(), ids=" ".join)
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_command_takes_lang(words: list[str], lang: str) -> None:
    result = runner.invoke(app, [*words, OPTION, lang, "--help"])
    assert result.exit_code == 0, result.stderr
    assert OPTION in result.stdout


@pytest.mark.parametrize(("args", "english", "dutch"), [
    (["plan", "--wieght", "70"], "No such option: --wieght", "onbekende optie: --wieght"),
    (["plan"], "Missing option '--weight' / '-w'.", "optie '--weight' / '-w' ontbreekt."),
    (["plan", "--weight", "70", "--arm", "x"], "Invalid value for '--arm': 'x' is not one of 'ivig', 'placebo'.",
     "ongeldige waarde voor '--arm': 'x' is geen geldige keuze uit 'ivig', 'placebo'."),
    (["plan", "--weight", "70", "--days", "two"], "'two' is not a valid int.", "'two' is geen heel getal."),
    # after "--" a word is an argument, which plan takes none of (a word that follows a value is
    # said by ivig-dose itself: tests/test_stray_values.py)
    (["plan", "--weight", "70", "--", "extra"], "Got unexpected extra argument(s) (extra)",
     "onverwacht(e) extra argument(en) (extra)"),
    (["plna"], "No such command 'plna'. Did you mean 'plan'?", "onbekend commando 'plna'. Bedoelde u 'plan'?"),
])
def test_click_usage_errors_are_said_in_the_language_too(args: list[str], english: str, dutch: str) -> None:
    # click writes these in English from its own parts; English stays exactly as click says it
    said_in_english = runner.invoke(app, args)
    said_in_dutch = runner.invoke(app, ["--lang", "nl", *args])
    assert said_in_english.exit_code == said_in_dutch.exit_code == 2
    assert english in said_in_english.stderr
    assert dutch in said_in_dutch.stderr and said_in_dutch.stderr.startswith("ivig-dose: fout: ")
    assert len(said_in_dutch.stderr.splitlines()) == 1
