"""``ivig-dose record`` end to end, as a nurse and a pharmacist run it: real processes, real SQLite files.

Expected figures are worked by hand next to each check, from the 70 kg order (42, 84, 168 mL/h,
30 minutes a step; a 300 mL hospital bag first).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration

from tests.record_helpers import START, environment, plan_file, run, snapshot

pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the installed command cannot kill a mutant")
P = ("--patient-id", "TIM-001")


@pytest.fixture(scope="module")
def order(tmp_path_factory) -> Path:
    return plan_file(tmp_path_factory.mktemp("order"))


def ok(*args: str, **env: str) -> str:
    done = run(*args, **env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def refused(*args: str, status: int = 2) -> str:
    """The one line a refusal prints; the command must print nothing else."""
    done = run(*args)
    assert done.returncode == status, (done.stdout, done.stderr)
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr


def registered(tmp_path: Path, order: Path) -> list[str]:
    db = ["--db", str(tmp_path / "record.sqlite3")]
    ok("record", "order", str(order), *P, "--by", "PH", "--at", "2026-11-01 16:00", *db)
    return db


def entries(db: list[str]) -> list[dict]:
    return [json.loads(line) for line in ok("record", "export", "-f", "jsonl", *db).splitlines()]


def test_the_worked_example_end_to_end(tmp_path: Path, order: Path):
    db = ["--db", str(tmp_path / "record.sqlite3")]
    said = ok("record", "order", str(order), *P, "--by", "PH", "--at", "2026-11-01 16:00", *db)
    assert re.fullmatch(r"verified: all \d+ values of the order agree with the protocol\n"
                        r"registered the order of patient TIM-001: 7 bags; entry [0-9a-f]{8}\n", said)

    def bag1(command: str, *args: str) -> str:
        return ok("record", command, *P, "--bag", "1", "--by", "AB", *args, *db)

    assert "start at 42 mL/h (by AB)" in bag1("start", "--at", "2026-11-02 09:05")
    bag1("rate", "--rate", "84 mL/h", "--at", "2026-11-02 09:35")
    bag1("rate", "--rate", "168", "--at", "2026-11-02 10:05")
    bag1("pause", "--reason", "chills, headache", "--at", "2026-11-02 10:20")
    bag1("reaction", "--grade", "2", "--symptoms", "chills, headache", "--action", "paused; paracetamol 1 g",
         "--at", "2026-11-02 10:20")
    bag1("resume", "--rate", "84 mL/h", "--at", "2026-11-02 10:50")
    # 21 + 42 + 42 mL before the pause, 14 mL since 10:50: 119 mL in, 181 mL left; 20 more min at 84 (28 mL),
    # 153 mL at 168 mL/h = 54.64 min: 75 min, ending 12:15
    left = json.loads(ok("record", "remaining", *P, "--bag", "1", "--at", "2026-11-02 11:00", "-f", "json", *db))
    assert (left["volume_infused_ml"], left["volume_left_ml"], left["minutes_left"], left["ends_at"]) == (
        119, 181, 75, "2026-11-02T12:15:00+01:00")
    table = ok("record", "remaining", *P, "--bag", "1", "--at", "2026-11-02 11:00", *db)
    assert "Time left: 1 h 15 min; ends at 2026-11-02 12:15" in table
    # the last step ends when the bag does, not a minute before it
    assert "168 mL/h for 54.7 min (153 mL), until 12:15" in table
    bag1("stop", "--infused", "300 mL", "--at", "2026-11-02 12:16")
    shown = ok("record", "show", *P, *db)
    assert "given 300 mL (30 g) of 300 mL, 2026-11-02 09:05 to 2026-11-02 12:16; by AB" in shown
    assert "Course baseline: given 300 mL (30 g) of 1400 mL (140 g) ordered (1 of 3 bags); course cap 180 g" in shown
    assert "Not given yet: bags 2, 3, 4, 5, 6, 7" in shown
    bundle = json.loads(ok("record", "export", "-f", "fhir", *db))
    Bundle.model_validate(bundle)
    administrations = [e["resource"] for e in bundle["entry"]]
    for resource in administrations:
        MedicationAdministration.model_validate(resource)
    # one per run: 42, 84, 168 (paused), 84 (stopped empty); doses 21, 42, 42, then the rest of the pump's 300
    assert [(a["dosage"]["rateQuantity"]["value"], a["dosage"]["dose"]["value"], a["status"])
            for a in administrations] == [(42, 21, "completed"), (84, 42, "completed"), (168, 42, "completed"),
                                          (84, 195, "completed")]
    assert administrations[0]["effectivePeriod"] == {"start": "2026-11-02T09:05:00+01:00",
                                                     "end": "2026-11-02T09:35:00+01:00"}
    assert any("reaction grade 2" in n["text"] for n in administrations[2]["note"])
    assert ok("record", "check", *db).startswith(f"{db[1]}: 8 entries intact; last hash ")


def test_an_administration_points_at_the_bag_request_plan_f_fhir_made(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    ok("record", "start", *P, "--bag", "2", "--by", "AB", "--at", "2026-11-02 13:00", *db)
    plan = json.loads(ok("plan", "--weight", "70", "--start", START, "-f", "fhir", *P))
    requests = [e["fullUrl"] for e in plan["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]
    lines = ok("record", "export", "-f", "fhir", "--ndjson", *db).splitlines()
    (administration,) = [json.loads(line) for line in lines]
    MedicationAdministration.model_validate(administration)
    assert administration["request"]["reference"] == requests[1]  # the second bag of the plan
    assert administration["status"] == "in-progress" and "dose" not in administration["dosage"]


def test_a_fhir_order_names_its_patient(tmp_path: Path):
    bundle = tmp_path / "order.fhir.json"
    bundle.write_text(ok("plan", "--weight", "70", "--start", START, "-f", "fhir", "--patient-id", "TIM-002"))
    db = ["--db", str(tmp_path / "r.sqlite3")]
    assert "order of patient TIM-002" in ok("record", "order", str(bundle), "--by", "PH", "--at", "2026-11-01 16:00",
                                           *db)
    assert "is not the order's patient TIM-002" in refused("record", "order", str(bundle), "--patient-id", "X",
                                                           "--by", "PH", *db)


def test_an_order_that_does_not_match_is_refused_and_nothing_written(tmp_path: Path, order: Path):
    wrong = json.loads(order.read_text())
    wrong["courses"][0]["days"][0]["segments"][0]["volume_ml"] = 310
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong))
    db = tmp_path / "r.sqlite3"
    done = run("record", "order", str(path), *P, "--by", "PH", "--db", str(db))
    assert done.returncode == 1
    assert "the order does not match the protocol: nothing was registered" in done.stderr
    assert "310 mL" in done.stdout
    assert not db.exists() or entries(["--db", str(db)]) == []


def test_registering_the_same_order_twice_writes_nothing_and_another_needs_the_first_voided(tmp_path: Path,
                                                                                          order: Path):
    db = registered(tmp_path, order)
    again = ok("record", "order", str(order), *P, "--by", "PH", *db)
    assert "was registered before, as entry" in again and len(entries(db)) == 1
    other = plan_file(tmp_path, "other.json", "--days", "3")
    said = refused("record", "order", str(other), *P, "--by", "PH", *db)
    first = entries(db)[0]["uuid"][:8]
    assert f"has another order registered (entry {first}" in said
    ok("record", "amend", first, "--void", "--by", "PH", "--reason", "re-dosed over 3 days", *db)
    assert "registered the order of patient TIM-001: 10 bags" in ok("record", "order", str(other), *P, "--by", "PH",
                                                                    *db)


@pytest.mark.parametrize(("args", "words"), [
    (("start", "--bag", "8"), "bag 8 is not in the order of patient TIM-001; accepted: bag 1 to 7"),
    (("rate", "--bag", "1", "--rate", "100"), "bag 1 is not started at"),
    (("start", "--bag", "1", "--at", "2999-01-01 09:00"), "is in the future"),
    (("start", "--bag", "1", "--at", "tomorrow"), "--at 'tomorrow' is not a time"),
    (("stop", "--bag", "1", "--infused", "-5"), "--infused '-5' must not be below 0"),
    (("rate", "--bag", "1", "--rate", "2 mL/min"), "--rate '2 mL/min' is not in mL/h"),
    (("reaction", "--bag", "1", "--grade", "7", "--symptoms", "x", "--action", "y"), "--grade 7 is not a CTCAE grade"),
    (("pause", "--bag", "1", "--reason", " "), "--reason is empty"),
])
def test_a_bad_entry_is_one_line_and_nothing_is_written(tmp_path: Path, order: Path, args, words):
    db = registered(tmp_path, order)
    said = refused("record", args[0], *P, "--by", "AB", *args[1:], *db)
    assert words in said
    assert len(entries(db)) == 1


def test_the_write_time_checks_on_a_started_bag(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)

    def bag(command: str, *args: str) -> list[str]:
        return ["record", command, *P, "--bag", "1", "--by", "AB", *args, *db]

    ok(*bag("start", "--at", "2026-11-02 09:05"))
    assert "already started at 2026-11-02 09:05" in refused(*bag("start", "--at", "2026-11-02 09:10"))
    assert "above the program of bag 1, whose highest rate is 168 mL/h" in refused(
        *bag("rate", "--rate", "200", "--at", "2026-11-02 09:35"))
    assert "before the start of bag 1 at 2026-11-02 09:05" in refused(
        *bag("stop", "--infused", "10", "--at", "2026-11-02 09:00"))
    assert "300.5 mL infused is more than bag 1 holds (300 mL)" in refused(
        *bag("stop", "--infused", "300.5", "--at", "2026-11-02 12:00"))
    said = ok(*bag("rate", "--rate", "200", "--override", "prescriber's order", "--at", "2026-11-02 09:35"))
    assert "rate 200 mL/h, above the program: prescriber's order" in said
    assert "before the last entry of bag 1 (rate at 2026-11-02 09:35)" in refused(
        *bag("pause", "--reason", "x", "--at", "2026-11-02 09:30"))
    assert "Missing option '--by'" in refused("record", "stop", *P, "--bag", "1", "--infused", "1", *db)
    assert len(entries(db)) == 3


def test_warnings_are_said_and_the_entry_written(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    done = run("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-03 09:00", *db)
    assert done.returncode == 0
    assert "warning: bag 1 was planned for 2026-11-02 and started on 2026-11-03" in done.stderr


def test_the_course_cap_warning(tmp_path: Path):
    # 100 kg: 180 g (the cap) at baseline over 3 days, 600 mL a day; a nurse's 650 mL on one of the
    # bags (the pump's figure is what is recorded) puts the course at 1850 mL = 185 g, past 180 g
    path = tmp_path / "order.json"
    path.write_text(ok("plan", "--weight", "100", "--start", START, "-f", "json"))
    db = ["--db", str(tmp_path / "r.sqlite3")]
    ok("record", "order", str(path), *P, "--by", "PH", "--at", "2026-11-01 16:00", *db)
    volumes = [int(s["volume_ml"]) for d in json.loads(path.read_text())["courses"][0]["days"] for s in d["segments"]]
    assert volumes == [300, 300, 600, 600]
    for number, (day, infused) in enumerate([("02", "300"), ("02", "300"), ("03", "600")], 1):
        ok("record", "start", *P, "--bag", str(number), "--by", "AB", "--at", f"2026-11-{day} 09:00", *db)
        ok("record", "stop", *P, "--bag", str(number), "--by", "AB", "--infused", infused, "--at",
           f"2026-11-{day} 23:00", *db)
    ok("record", "start", *P, "--bag", "4", "--by", "AB", "--at", "2026-11-04 09:00", *db)
    done = run("record", "stop", *P, "--bag", "4", "--by", "AB", "--infused", "600", "--at", "2026-11-04 23:00", *db)
    assert done.returncode == 0 and "warning" not in done.stderr  # 1800 mL: exactly the cap
    shown = ok("record", "show", *P, *db)
    assert "Course baseline: given 1800 mL (180 g) of 1800 mL (180 g) ordered (4 of 4 bags)" in shown


def test_a_course_re_ordered_half_way_and_given_past_its_cap_is_said(tmp_path: Path, order: Path):
    # 70 kg: bags 1 and 2 of the baseline given (300 + 400 mL = 70 g); the order is voided and the course
    # re-ordered at 100 kg (300, 300, 600, 600 mL). After its third bag the course holds
    # 700 + 300 + 300 + 600 = 1900 mL = 190 g, past the cap of 180 g (1800 mL); the second made 1300 mL
    db = registered(tmp_path, order)
    for number, infused in ((1, "300"), (2, "400")):
        ok("record", "start", *P, "--bag", str(number), "--by", "AB", "--at", "2026-11-02 09:00", *db)
        ok("record", "stop", *P, "--bag", str(number), "--by", "AB", "--infused", infused, "--at",
           "2026-11-02 15:00", *db)
    ok("record", "amend", entries(db)[0]["uuid"][:8], "--void", "--by", "PH", "--reason", "re-weighed: 100 kg", *db)
    heavier = tmp_path / "heavier.json"
    heavier.write_text(ok("plan", "--weight", "100", "--start", START, "-f", "json"))
    ok("record", "order", str(heavier), *P, "--by", "PH", "--at", "2026-11-02 16:00", *db)
    warned = []
    for number, infused in ((1, "300"), (2, "300"), (3, "600")):
        ok("record", "start", *P, "--bag", str(number), "--by", "AB", "--at", "2026-11-03 09:00", *db)
        done = run("record", "stop", *P, "--bag", str(number), "--by", "AB", "--infused", infused, "--at",
                   "2026-11-03 20:00", *db)
        assert done.returncode == 0, done.stderr
        warned.append(done.stderr)
    assert warned[:2] == ["", ""]
    assert warned[2] == ("ivig-dose: warning: course baseline: 1900 mL (190 g) given, more than the course cap of "
                         "180 g\n")


def test_a_correction_is_a_new_entry_and_show_gives_both(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
    rate = ok("record", "rate", *P, "--bag", "1", "--by", "AB", "--rate", "48", "--at", "2026-11-02 09:35", *db)
    entry = rate.rstrip().rsplit(" ", 1)[1]
    said = ok("record", "amend", entry, "--rate", "84", "--by", "CD", "--reason", "typed 48 for 84", *db)
    assert f"corrected entry {entry} (rate) of patient TIM-001: typed 48 for 84" in said
    shown = ok("record", "show", *P, *db)
    assert "rate 84 mL/h" in shown and "corrected by CD" in shown and "typed 48 for 84" in shown
    kinds = [(e["kind"], e["data"].get("rate_ml_per_h")) for e in entries(db)]
    assert kinds[1:] == [("start", "42"), ("rate", "48"), ("amend", None)]  # the wrong value is still there
    said = refused("record", "amend", entry, "--infused", "5", "--by", "CD", "--reason", "x", *db)
    assert "--infused cannot be corrected on an entry of kind rate; accepted: --void, --at, --rate, --override" in said
    assert "would not add up" in refused("record", "amend", entry, "--at", "2026-11-02 09:00", "--by", "CD",
                                         "--reason", "x", *db)
    assert "no entry 00000000 in this record" in refused("record", "amend", "00000000", "--void", "--by", "CD",
                                                         "--reason", "x", *db)


def test_show_json_csv_and_export_csv(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
    ok("record", "stop", *P, "--bag", "1", "--by", "AB", "--infused", "300", "--at", "2026-11-02 11:30", *db)
    shown = json.loads(ok("record", "show", "-f", "json", *db))
    (record,) = shown["orders"]
    assert record["arm"] == "ivig" and record["product"] == {"name": "Nanogam", "concentration_mg_per_ml": 100}
    first = record["bags"][0]
    assert (first["status"], first["volume_infused_ml"], first["dose_given_g"], first["by"]) == (
        "stopped", 300, 30, ["AB"])
    assert record["not_given"] == [2, 3, 4, 5, 6, 7]
    rows = ok("record", "show", "-f", "csv", *db).splitlines()
    assert rows[0].startswith("patient_id,order_entry,bag,bags,course") and len(rows) == 8
    exported = ok("record", "export", "-f", "csv", *db).splitlines()
    assert exported[0].startswith("seq,uuid,kind") and [r.split(",")[2] for r in exported[1:]] == [
        "order", "start", "stop"]


def test_a_blinded_record_holds_and_shows_no_arm_product_or_grams(tmp_path: Path):
    outputs = []
    for arm in ("ivig", "placebo"):
        folder = tmp_path / arm
        folder.mkdir()
        path = plan_file(folder, "order.json", "--arm", arm, "--blinded")
        db = ["--db", str(folder / "r.sqlite3")]
        ok("record", "order", str(path), *P, "--by", "PH", "--at", "2026-11-01 16:00", *db)
        ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
        ok("record", "stop", *P, "--bag", "1", "--by", "AB", "--infused", "300", "--at", "2026-11-02 11:30", *db)
        said = [ok("record", "show", *db), ok("record", "show", "-f", "json", *db), ok("record", "show", "-f", "csv",
                                                                                       *db),
                ok("record", "export", "-f", "jsonl", *db), ok("record", "export", "-f", "fhir", "--ndjson", *db)]
        for text in said:
            # the CSV's header names its dose columns, which stay empty
            seen = text.replace("Study medication (IVIg or placebo)", "").replace("ivig-dose", "")
            seen = seen.split("\n", 1)[1] if seen.startswith("patient_id,") else seen
            for word in ("ivig", "IVIg", "placebo", "Nanogam", "NaCl", "dose_g", " g)", "J06BA02", "course_cap_g",
                         '"arm"', "mg/mL"):
                assert word not in seen, (arm, word)
        # the ids, hashes and clocks of the two records differ; nothing else may
        outputs.append([re.sub(r"[0-9a-f]{8,64}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+Z][0-9:]*|r\.sqlite3", "X", t)
                        .replace(str(folder), "F") for t in said])
    assert outputs[0] == outputs[1]


def test_merge_is_idempotent_and_refuses_a_changed_entry(tmp_path: Path, order: Path):
    nurse = ["--db", str(tmp_path / "nurse.sqlite3")]
    ok("record", "order", str(order), *P, "--by", "PH", "--at", "2026-11-01 16:00", *nurse)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *nurse)
    pharmacy = ["--db", str(tmp_path / "pharmacy.sqlite3")]
    first = ok("record", "merge", nurse[1], *pharmacy)
    assert "2 entries added, 0 already here" in first
    assert "0 entries added, 2 already here" in ok("record", "merge", nurse[1], *pharmacy)
    ok("record", "stop", *P, "--bag", "1", "--by", "AB", "--infused", "300", "--at", "2026-11-02 11:30", *nurse)
    assert "1 entries added, 2 already here" in ok("record", "merge", nurse[1], *pharmacy)
    assert [e["uuid"] for e in entries(pharmacy)] == [e["uuid"] for e in entries(nurse)]
    assert [e["content_hash"] for e in entries(pharmacy)] == [e["content_hash"] for e in entries(nurse)]
    assert "intact" in ok("record", "check", *pharmacy)
    # the pharmacy's show is the nurse's
    assert ok("record", "show", *pharmacy).replace(pharmacy[1], "") == ok("record", "show", *nurse).replace(
        nurse[1], "")
    # a nurse's record rewritten whole (hashes recomputed, so it passes its own check) no longer merges
    rewritten = tmp_path / "rewritten.sqlite3"
    shutil.copy(tmp_path / "nurse.sqlite3", rewritten)
    tamper(rewritten, "UPDATE entries SET data = replace(data, '\"300\"', '\"250\"') WHERE kind = 'stop'")
    rehash(rewritten)
    assert "intact" in ok("record", "check", "--db", str(rewritten))
    said = refused("record", "merge", str(rewritten), *pharmacy)
    assert "is in both records with different content; nothing was merged" in said


def tamper(path: Path, statement: str) -> None:
    """What someone with the sqlite3 shell does: the triggers dropped, the statement run, the triggers put back."""
    with closing(sqlite3.connect(path)) as connection:
        triggers = [row[0] for row in connection.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    script = ("DROP TRIGGER entries_never_updated; DROP TRIGGER entries_never_deleted; " + statement + "; "
              + "; ".join(t for t in triggers if "ON entries" in t) + ";")
    shell = shutil.which("sqlite3")
    if shell is not None:
        done = subprocess.run([shell, str(path), script], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    else:
        with closing(sqlite3.connect(path)) as connection:
            connection.executescript(script)


def rehash(path: Path) -> None:
    """A whole chain recomputed, as someone who knows the scheme could."""
    from ivig_dose.core.record import GENESIS, Entry, chain_hash

    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT seq, uuid, origin, kind, patient, bag, at, zone, recorded, author, data "
                                  "FROM entries ORDER BY seq").fetchall()
        updates, previous = [], GENESIS
        for seq, *fields, data in rows:
            entry = Entry(*fields, json.loads(data))
            link = chain_hash(previous, entry.content_hash())
            updates.append(f"UPDATE entries SET content_hash = '{entry.content_hash()}', prev_hash = '{previous}', "
                           f"hash = '{link}' WHERE seq = {seq}")
            previous = link
    tamper(path, "; ".join(updates))


@pytest.mark.parametrize(("statement", "words"), [
    ("UPDATE entries SET data = replace(data, '\"84\"', '\"168\"') WHERE seq = 3",
     "FAILS at entry 3: entry 3 ("),
    ("UPDATE entries SET at = '2026-11-02T08:00:00Z' WHERE seq = 2", "FAILS at entry 2: entry 2 ("),
    ("DELETE FROM entries WHERE seq = 2", "FAILS at entry 3: entries 2 to 2 are missing: removed before entry 3"),
    ("DELETE FROM entries WHERE seq = 4", "FAILS at entry 4: entries 4 to 4 are missing: removed from the end"),
])
def test_a_row_changed_or_removed_with_the_sqlite3_shell_is_named_by_check(tmp_path: Path, order: Path, statement,
                                                                            words):
    db = registered(tmp_path, order)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
    ok("record", "rate", *P, "--bag", "1", "--by", "AB", "--rate", "84", "--at", "2026-11-02 09:35", *db)
    ok("record", "pause", *P, "--bag", "1", "--by", "AB", "--reason", "x", "--at", "2026-11-02 10:00", *db)
    tamper(Path(db[1]), statement)
    done = run("record", "check", *db)
    assert done.returncode == 1 and words in done.stdout, done.stdout


def test_check_says_when_the_triggers_were_removed(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    with closing(sqlite3.connect(db[1])) as connection:
        connection.execute("DROP TRIGGER entries_never_deleted")
    done = run("record", "check", *db)
    assert done.returncode == 1 and "the triggers that keep the record append-only were removed" in done.stdout


def test_the_triggers_refuse_an_update_and_a_delete(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    with closing(sqlite3.connect(db[1])) as connection:
        for statement in ("UPDATE entries SET author = 'ZZ'", "DELETE FROM entries"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)


def make_bad(kind: str, path: Path, record: Path) -> None:
    if kind == "folder":
        path.mkdir()
    elif kind == "garbage":
        path.write_bytes(os.urandom(8192))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        data = record.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "read-only":
        shutil.copy(record, path)
        path.chmod(0o444)
    elif kind == "foreign":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE t (x)")
    elif kind == "newer":
        shutil.copy(record, path)
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA user_version = 99")


@pytest.mark.parametrize(("kind", "words"), [
    ("folder", "is a folder"), ("garbage", "is not an SQLite database"), ("empty", "is an empty file"),
    ("truncated", "is truncated"), ("read-only", "is read-only"),
    ("foreign", "is an SQLite database but not an ivig-dose record"),
    ("newer", "was written by a newer ivig-dose (record schema 99; this one knows up to 2)"),
])
def test_a_file_that_is_not_a_record_to_write_gets_one_line_and_is_left_untouched(tmp_path: Path, order: Path,
                                                                                  kind, words):
    record = tmp_path / "good" / "record.sqlite3"
    record.parent.mkdir()
    registered(record.parent, order)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", "--db", str(record))
    bad = tmp_path / "bad" / "x.sqlite3"
    bad.parent.mkdir()
    make_bad(kind, bad, record)
    before = (None, None, sorted(p.name for p in bad.parent.iterdir())) if kind == "folder" else snapshot(bad)
    said = refused("record", "rate", *P, "--bag", "1", "--by", "AB", "--rate", "84", "--db", str(bad))
    assert f"the record '{bad}' {words}" in said
    after = (None, None, sorted(p.name for p in bad.parent.iterdir())) if kind == "folder" else snapshot(bad)
    assert after == before


def test_a_read_only_record_can_still_be_read(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    path = Path(db[1])
    path.chmod(0o444)
    before = snapshot(path)
    assert "1 entries intact" in ok("record", "check", *db)
    assert "Patient TIM-001" in ok("record", "show", *db)
    assert snapshot(path) == before


def test_reading_a_record_that_does_not_exist_makes_none(tmp_path: Path):
    path = tmp_path / "none.sqlite3"
    assert "does not exist" in refused("record", "show", "--db", str(path))
    assert not path.exists()


def test_the_default_record_is_in_the_user_data_folder_or_ivig_dose_db(tmp_path: Path, order: Path):
    data_home = tmp_path / "data"
    done = run("record", "order", str(order), *P, "--by", "PH", XDG_DATA_HOME=str(data_home))
    assert done.returncode == 0, done.stderr
    assert (data_home / "ivig-dose" / "records.sqlite3").is_file()
    elsewhere = tmp_path / "elsewhere.sqlite3"
    done = run("record", "order", str(order), *P, "--by", "PH", IVIG_DOSE_DB=str(elsewhere))
    assert done.returncode == 0 and elsewhere.is_file()


def test_help_lists_every_record_command():
    listed = ok("record", "--help")
    for command in ("order", "start", "rate", "pause", "resume", "stop", "reaction", "remaining", "show", "amend",
                    "check", "export", "merge"):
        assert re.search(rf"^\s+{command}\s", listed, re.M), command


def test_dutch(tmp_path: Path, order: Path):
    db = registered(tmp_path, order)
    said = ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", "--lang", "nl", *db)
    assert said.startswith("vastgelegd voor patiënt TIM-001")
    assert "zak 8 " in refused("record", "start", *P, "--bag", "8", "--by", "AB", "--lang", "nl", *db)


#: runs ``ivig-dose ARGS`` in this fresh interpreter, then lists every module it imported.
PROBE = """
import json, sys
from ivig_dose.cli.main import app
status = app(sys.argv[2:], prog_name="ivig-dose", standalone_mode=False)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""


def test_a_bedside_write_imports_nothing_it_does_not_use(tmp_path: Path, order: Path):
    # the plan model, the plan options, units, dates, tables and the web are for other commands
    db = registered(tmp_path, order)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
    report = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(report), "record", "reaction", *P, "--bag", "1", "--by",
                           "AB", "--grade", "1", "--symptoms", "flush", "--action", "none", "--at",
                           "2026-11-02 10:00", *db], capture_output=True, text=True, env=environment(), check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(report.read_text())
    assert found["status"] in (0, None) and "ivig_dose.files.record_store" in found["modules"]
    heavy = {"pint", "dateutil", "rich", "ivig_dose.core.model", "ivig_dose.cli.options", "ivig_dose.cli.record_order",
             "urllib.request", "http.client", "platformdirs", "biip", "ivig_dose.files.catalogue",
             "ivig_dose.core.preparation"}
    assert heavy.isdisjoint(found["modules"])


def test_a_patient_at_risk_is_held_to_the_label_at_risk_limit(tmp_path: Path):
    # Octagam 10 % at risk of renal dysfunction: 0.03 mL/kg/min = 1.8 mL/kg/h, x 70 kg = 126 mL/h (the
    # ramp 42, 84, then 126 instead of 168); the order is registered with the --risk it was made with
    path = tmp_path / "order.json"
    path.write_text(ok("plan", "--weight", "70", "--start", START, "--product", "octagam-10", "--risk", "renal",
                       "-f", "json"))
    db = ["--db", str(tmp_path / "r.sqlite3")]
    done = run("record", "order", str(path), *P, "--by", "PH", "--product", "octagam-10", *db)
    assert done.returncode == 1 and "nothing was registered" in done.stderr  # verified without --risk: no match
    ok("record", "order", str(path), *P, "--by", "PH", "--product", "octagam-10", "--risk", "renal", "--at",
       "2026-11-01 16:00", *db)
    ok("record", "start", *P, "--bag", "1", "--by", "AB", "--at", "2026-11-02 09:05", *db)
    said = refused("record", "rate", *P, "--bag", "1", "--by", "AB", "--rate", "126.1", "--at", "2026-11-02 10:05",
                   *db)
    assert "126.1 mL/h is above the program of bag 1, whose highest rate is 126 mL/h" in said
    ok("record", "rate", *P, "--bag", "1", "--by", "AB", "--rate", "126", "--at", "2026-11-02 10:05", *db)
