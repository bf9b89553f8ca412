"""Nothing written to the record is lost: concurrent writers and writers killed mid-write, with real
processes on a real SQLite file.

Each writer is a Python process that writes entries one command's way (its own connection and
transaction per entry, as ``ivig-dose record reaction`` does) and prints an entry's id only once
it is committed: what it printed is what it was told was recorded.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.record_helpers import environment, plan_file, run

pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the installed command cannot kill a mutant")

#: writes ``count`` reactions (forever when 0) to bag 1 of ``patient``, printing each id once committed.
WRITER = """
import sys
from ivig_dose.app.record_events import EventInput, write_event
db, patient, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0
while count == 0 or n < count:
    n += 1
    written = write_event(db, EventInput("reaction", patient, 1, "W", "2026-11-02 10:00", grade=1,
                                         symptoms=f"flush {n}", action="none"))
    sys.stdout.write(written.stored.entry.uuid + "\\n")
    sys.stdout.flush()
"""


def record_with(tmp_path: Path, patients: list[str]) -> Path:
    db = tmp_path / "record.sqlite3"
    order = plan_file(tmp_path)
    for patient in patients:
        for args in (("order", str(order), "--by", "PH", "--at", "2026-11-01 16:00"),
                     ("start", "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05")):
            done = run("record", *args, "--patient-id", patient, "--db", str(db))
            assert done.returncode == 0, done.stderr
    return db


def uuids(db: Path) -> list[str]:
    done = run("record", "export", "-f", "csv", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return [line.split(",")[1] for line in done.stdout.splitlines()[1:]]


def test_eight_processes_writing_25_entries_each_at_once_lose_none(tmp_path: Path):
    patients = [f"P{n}" for n in range(8)]
    db = record_with(tmp_path, patients)
    before = len(uuids(db))
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), patient, "25"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=environment()) for patient in patients]
    acknowledged = []
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        acknowledged += out.split()
    assert len(acknowledged) == 8 * 25
    held = uuids(db)
    assert len(held) == before + 8 * 25 and set(acknowledged) <= set(held)
    check = run("record", "check", "--db", str(db))
    assert check.returncode == 0 and f"{before + 200} entries intact" in check.stdout


def test_kill_9_in_a_loop_of_writes_leaves_a_record_that_checks_with_every_acknowledged_entry(tmp_path: Path):
    db = record_with(tmp_path, ["P1"])
    acknowledged: list[str] = []
    chance = random.Random(27)
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "P1", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, env=environment())
        time.sleep(0.4 + chance.random() * 0.6)  # start-up takes most of the first 0.4 s
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL
        acknowledged += out.split()
    assert acknowledged, "no writer got as far as one entry: the kills came too early to test anything"
    check = run("record", "check", "--db", str(db))
    assert check.returncode == 0, check.stdout
    held = uuids(db)
    assert set(acknowledged) <= set(held)
    # a write killed before its commit left nothing: every entry held is whole and chained (checked above)
    assert len(held) >= 2 + len(acknowledged)
