"""The calendar in Dutch: titles, descriptions, places and reminders as the nurse reads
them, the same events as in English (so re-importing in the other language updates them), and a
blinded calendar that is the same for both arms.

Hand arithmetic: 72.35 kg → 144.7 g a course, day 1 split into 30 g in hospital and 42.4 g at home.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
PLAN = ["calendar", "--weight", "72.35", "--start", "2027-01-04", "--patient-id", "TIM-001", "--remind", "1d"]


def make(tmp_path: Path, *args: str, name: str = "plan.ics") -> tuple[bytes, str]:
    target = tmp_path / name
    result = runner.invoke(app, [*PLAN, *args, "-o", str(target)], env={"SOURCE_DATE_EPOCH": "1798848000"})
    assert result.exit_code == 0, result.stderr
    return target.read_bytes(), result.stderr


def events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def test_the_calendar_reads_dutch(tmp_path: Path) -> None:
    content, _ = make(tmp_path, "--lang", "nl")
    first, second = events(content)[:2]
    assert str(first["summary"]) == "TIM-001: Nanogam uitgangskuur dag 1/2, maandag · ziekenhuis · 30 g in 300 mL"
    assert str(second["summary"]) == "TIM-001: Nanogam uitgangskuur dag 1/2, maandag · thuis · 42,4 g in 424 mL"
    assert str(second["location"]) == "Thuis"
    assert second["summary"].params["LANGUAGE"] == "nl"
    description = str(second["description"])
    assert "Kuur: uitgangskuur (week 0), dag 1 van 2, maandag 4 januari 2027" in description
    assert "Dosis: 42,4 g" in description and "Pompschema: 43,4 mL/h gedurende 30 min" in description
    assert [str(a["description"]) for a in second.walk("VALARM")] == [f"Herinnering: {second['summary']}"]


def test_the_same_events_in_every_language(tmp_path: Path) -> None:
    # a nurse who imports the Dutch calendar over the English one gets the same events updated
    english, _ = make(tmp_path, name="en.ics")
    dutch, _ = make(tmp_path, "--lang", "nl", name="nl.ics")
    fields = ("uid", "dtstart", "dtend", "sequence")
    assert [[e[f].to_ical() for f in fields] for e in events(dutch)] == \
        [[e[f].to_ical() for f in fields] for e in events(english)]


def test_a_bag_past_midnight_is_a_dutch_warning(tmp_path: Path) -> None:
    content, stderr = make(tmp_path, "--time", "21:00", "--lang", "nl")
    # 21:00 + 2 h 22 min (30 g) = 23:22, + 60 min observation + 120 min to go home = 02:22,
    # + 3 h 5 min (42.4 g) = 05:27
    assert ("ivig-dose: waarschuwing: de zak voor thuis van de uitgangskuur, dag 1 van 2 (2027-01-04), zou eindigen "
            "om 2027-01-05 05:27") in " ".join(stderr.split())
    assert "Waarschuwing: de zak voor thuis" in str(events(content)[1]["description"])


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_blinded_calendar_is_the_same_for_both_arms(tmp_path: Path, lang: str) -> None:
    ivig, _ = make(tmp_path, "--blinded", "--lang", lang, name="ivig.ics")
    placebo, _ = make(tmp_path, "--blinded", "--arm", "placebo", "--lang", lang, name="placebo.ics")
    assert ivig == placebo
