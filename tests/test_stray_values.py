"""A value that follows no option of its own is named, with what to type instead: click
said only "unexpected extra argument(s) (kg)", or for `plan 70` that --weight was missing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()


def error_of(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines  # one line, never a traceback
    return lines[0]


@pytest.mark.parametrize(("args", "said"), [
    (("plan", "--weight", "70", "kg"), "'70 kg' is two words: quote it, --weight \"70 kg\", or write 70kg"),
    (("plan", "-w", "70", "kg", "--start", "2027-01-04"),
     "'70 kg' is two words: quote it, -w \"70 kg\", or write 70kg"),
    (("plan", "--weight=70", "kg"), "'70 kg' is two words: quote it, --weight \"70 kg\", or write 70kg"),
    (("order", "--weight", "158.7", "lb", "-o", "x.pdf"),
     "'158.7 lb' is two words: quote it, --weight \"158.7 lb\", or write 158.7lb"),
    (("rates", "--weight", "70", "--max-rate", "300", "mL/h"),
     "'300 mL/h' is two words: quote it, --max-rate \"300 mL/h\", or write 300mL/h"),
    (("plan", "--weight", "70", "--height", "5", "ft", "10", "in"),
     "'5 ft 10 in' is 4 words: quote it, --height \"5 ft 10 in\""),
    (("plan", "--weight", "70", "--start", "4", "Jan", "2027"), "'4 Jan 2027' is 3 words: quote it, --start \"4 Jan "
     "2027\""),
])
def test_a_value_the_shell_split_in_two_is_named_with_how_to_write_it(args, said):
    assert error_of(*args) == f"ivig-dose: error: {said}"


@pytest.mark.parametrize(("args", "written"), [
    (("--course-weight", "week4", "68"), "--course-weight 'week4 68': a course and its weight are one value joined "
     "by '=': write --course-weight week4=68, e.g. week4=68kg"),
    (("--course-weight", "week4", "68", "kg"), "--course-weight 'week4 68 kg': a course and its weight are one value "
     "joined by '=': write --course-weight week4=68kg, e.g. week4=68kg"),
    (("--course-weight", "week 4", "150", "lb"), "--course-weight 'week 4 150 lb': a course and its weight are one "
     "value joined by '=': write --course-weight \"week 4=150lb\", e.g. week4=68kg"),
])
def test_a_course_weight_without_its_equals_sign_is_shown_joined(args, written):
    assert error_of("plan", "--weight", "70", *args) == f"ivig-dose: error: {written}"


def test_a_stray_value_is_named():
    # `plan 70`: click said "Missing option '--weight'", and nothing of the 70
    assert error_of("plan", "70") == ("ivig-dose: error: '70' follows no option: a weight is given as --weight 70 "
                                      "(see 'ivig-dose plan --help')")
    assert error_of("labels", "--blinded", "72.5", "-o", "x.pdf") == (
        "ivig-dose: error: '72.5' follows no option: a weight is given as --weight 72.5 (see 'ivig-dose labels "
        "--help')")
    # a command with an argument of its own: what is past it is the stray
    assert error_of("protocol", "show", "timeismuscle", "extra") == (
        "ivig-dose: error: 'extra' follows no option: every value follows the option it is for (see 'ivig-dose "
        "protocol show --help')")


def test_what_is_no_stray_value_is_still_said_by_click():
    assert error_of("plan", "--weight", "70", "--frob", "3").startswith("ivig-dose: error: No such option: --frob")
    assert error_of("plan") == "ivig-dose: error: Missing option '--weight' / '-w'. (see 'ivig-dose plan --help')"
    # after "--" every word is an argument, as the user asked
    assert "unexpected extra argument" in error_of("plan", "--weight", "70", "--", "kg")
    # a negative number is a value, not an option
    assert error_of("plan", "--blinded", "-5") == (
        "ivig-dose: error: '-5' follows no option: a weight is given as --weight -5 (see 'ivig-dose plan --help')")
    # after a whole number, a choice or the language, a word is a value of its own, not more of theirs
    for option, value in (("--days", "3"), ("--arm", "ivig"), ("--lang", "en")):
        assert error_of("plan", "--weight", "70", option, value, "days") == (
            "ivig-dose: error: 'days' follows no option: every value follows the option it is for (see 'ivig-dose "
            "plan --help')")


def test_the_stray_value_is_said_in_dutch():
    assert error_of("--lang", "nl", "plan", "--weight", "70", "kg") == (
        "ivig-dose: fout: '70 kg' bestaat uit twee woorden: zet het tussen aanhalingstekens, --weight \"70 kg\", of "
        "schrijf 70kg")
    assert error_of("plan", "--lang", "nl", "70") == (
        "ivig-dose: fout: '70' hoort bij geen optie: een gewicht geeft u op als --weight 70 (zie 'ivig-dose plan "
        "--help')")
