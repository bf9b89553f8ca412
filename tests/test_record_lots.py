"""``record prepare`` and ``record lot`` end to end, as the pharmacy and a nurse run them: real SQLite
files, the command run in this process (so the tests may fix the clock and the ids).

The order is the worked example's (70 kg from 2026-11-02): bag 1, 300 mL in hospital, is one 20 g
and one 10 g vial of Nanogam 100 mg/mL (200 + 100 mL); bag 2, 400 mL at home the same day, two
20 g vials; program 42 → 84 → 168 mL/h, 30 minutes a step.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core.blinding import kit_id
from tests.record_helpers import (
    NANOGAM_10,
    NANOGAM_20,
    OCTAGAM_20,
    UNLISTED,
    UNLISTED_OTHER,
    local_zone,
    site_catalogue,
)

P = ("--patient-id", "TIM-001")
runner = CliRunner()
GS = "\x1d"
#: bag 1's vials: the 20 g with parentheses, the 10 g as a scanner types it (FNC1 as ASCII 29), another lot.
BAG_1 = (f"(01){NANOGAM_20}(17)271200(10)AB1234(21)S1", f"01{NANOGAM_10}17280131" f"10CD5678{GS}21S2")
#: bag 2's, typed: 2 × 20 g of lot AB1234.
BAG_2 = ("20 g/AB1234/2027-12", "20 g/AB1234/2027-12")


@pytest.fixture(autouse=True)
def zone() -> Iterator[None]:
    with local_zone():
        yield


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lots")


@pytest.fixture(scope="module")
def orders(folder: Path, site: Path) -> dict[str, Path]:
    """Plan JSON files: the open order, and each arm's open and blinded ones; each also as the
    pharmacy plans it, with its site catalogue (``with_site``), which verify holds it to."""
    found = {}
    for name, args in {"open": (), "ivig": ("--arm", "ivig"), "placebo": ("--arm", "placebo"),
                       "ivig-blinded": ("--arm", "ivig", "--blinded"),
                       "placebo-blinded": ("--arm", "placebo", "--blinded")}.items():
        for path, catalogue in ((folder / f"{name}.json", ()), (with_site(folder / f"{name}.json"),
                                                                 ("--products", str(site)))):
            path.write_text(ok("plan", "--weight", "70", "--start", "2026-11-02", "-f", "json", *args, *catalogue))
            found[path.stem] = path
    return found


def with_site(order: Path) -> Path:
    """The same order planned with the site catalogue."""
    return order.with_name(f"{order.stem}-site.json")


@pytest.fixture(scope="module")
def site(folder: Path) -> Path:
    return site_catalogue(folder)


def run(*args: str):
    with local_zone():
        return runner.invoke(app, list(args))


def ok(*args: str) -> str:
    done = run(*args)
    assert done.exit_code == 0, (args, done.stdout, done.stderr)
    return done.stdout


def refused(*args: str) -> str:
    done = run(*args)
    assert done.exit_code == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def entries(db: Path) -> list[dict]:
    return [json.loads(line) for line in ok("record", "export", "-f", "jsonl", "--unblinded", "--db",
                                            str(db)).splitlines()]


def pharmacy(tmp_path: Path, order: Path, site: Path | None = None) -> list[str]:
    db = ["--db", str(tmp_path / "pharmacy.sqlite3")]
    products = ["--products", str(site)] if site else []
    ok("record", "order", str(with_site(order) if site else order), *P, "--by", "PH", "--at", "2026-11-01 16:00",
       *products, *db)
    return db


def prepare(db: list[str], bag: int, *vials: str, site: Path | None = None, at: str = "2026-11-01 17:00"):
    products = ["--products", str(site)] if site else []
    return ["record", "prepare", *P, "--bag", str(bag), "--by", "PH", "--at", at,
            *(arg for vial in vials for arg in ("--vial", vial)), *products, *db]


def test_from_scan_to_recall_across_merged_records(tmp_path: Path, orders, site: Path):
    db = pharmacy(tmp_path, orders["open"], site)
    said = ok(*prepare(db, 1, *BAG_1, site=site))
    assert said.startswith("prepared bag 1 of 7 (baseline day 1, hospital, planned 2026-11-02) of patient TIM-001: "
                           "Nanogam 100 mg/mL; lot AB1234: 1 × 20 g, expires 2027-12-31; lot CD5678 from 200 mL "
                           "(the titration starts again): 1 × 10 g, expires 2028-01-31 (by PH); entry ")
    # the 20 g vial (200 mL) runs first: lot CD5678 starts at 200 mL
    assert said.endswith("\n  lot CD5678 starts at 200 mL infused: the titration starts again at 42 mL/h\n")
    done = run(*prepare(db, 2, *BAG_2))  # the built-in catalogue: typed vials, no GTIN to check
    assert done.exit_code == 0 and "lot AB1234: 2 × 20 g, expires 2027-12-31" in done.stdout
    assert done.stderr == ("ivig-dose: warning: product catalogue entry 'nanogam': vial sizes are NOT verified against "
                           "the current label; check them against the label before use\n")
    # the nurse registers the same order in her record and gives bag 1, then bag 2
    nurse = ["--db", str(tmp_path / "nurse.sqlite3")]
    ok("record", "order", str(orders["open"]), *P, "--by", "AB", "--at", "2026-11-02 08:00", *nurse)
    for bag, start, stop, infused in ((1, "09:00", "12:03", "300"), (2, "12:30", "16:00", "395")):
        ok("record", "start", *P, "--bag", str(bag), "--by", "AB", "--at", f"2026-11-02 {start}", *nurse)
        ok("record", "stop", *P, "--bag", str(bag), "--by", "AB", "--infused", infused, "--at",
           f"2026-11-02 {stop}", *nurse)
    assert "5 entries added, 0 already here" in ok("record", "merge", nurse[1], *db)  # her own order entry too
    recall = json.loads(ok("record", "lot", "ab1234", "-f", "json", *db))  # a lot typed in lower case
    assert recall["lot"] == "AB1234"
    assert [(b["patient_id"], b["bag"], b["date"], [v["size_g"] for v in b["vials"]], b["kit"],
             [(g["status"], g["started_at"], g["stopped_at"], g["volume_infused_ml"], g["by"]) for g in b["given"]])
            for b in recall["bags"]] == [
        ("TIM-001", 1, "2026-11-02", [20], None,
         [("stopped", "2026-11-02T09:00:00+01:00", "2026-11-02T12:03:00+01:00", 300, ["AB"])]),
        ("TIM-001", 2, "2026-11-02", [20, 20], None,
         [("stopped", "2026-11-02T12:30:00+01:00", "2026-11-02T16:00:00+01:00", 395, ["AB"])])]
    assert recall["bags"][0]["vials"][0]["gtin_checked"] and not recall["bags"][1]["vials"][0]["gtin_checked"]
    table = " ".join(ok("record", "lot", "CD5678", *db).split())
    assert table.startswith("Lot CD5678: number of bags 1 Patient TIM-001, bag 1 (baseline day 1, hospital, planned "
                            "2026-11-02) prepared 2026-11-01 17:00 by PH (entry ")
    assert "given 300 mL (30 g) of 300 mL, 2026-11-02 09:00 to 2026-11-02 12:03; by AB" in table
    rows = ok("record", "lot", "AB1234", "-f", "csv", *db).splitlines()
    assert rows[0].startswith("lot,patient_id,bag,") and [r.split(",")[2] for r in rows[1:]] == ["1", "2"]
    assert "no bag in this record was prepared with it" in ok("record", "lot", "ZZ9", *db)
    assert "no bag in this record was prepared with it" in ok("record", "lot", "AB1234", *nurse)
    # show lists each bag's lots; export carries them
    shown = " ".join(ok("record", "show", *db).split())  # as read, not as wrapped to the terminal
    assert "prepared: Nanogam 100 mg/mL; lot AB1234: 1 × 20 g, expires 2027-12-31; lot CD5678 from 200 mL" in shown
    assert "GTIN not checked" not in shown.split("Bag 2")[0]
    record = json.loads(ok("record", "show", "-f", "json", *db))["orders"][0]
    assert record["bags"][0]["preparations"][0]["lots"] == ["AB1234", "CD5678"]
    assert record["bags"][0]["preparations"][0]["lot_starts"] == [{"infused_ml": 200, "lot": "CD5678"}]
    csv_rows = ok("record", "show", "-f", "csv", *db).splitlines()
    assert "AB1234 (2027-12-31); CD5678 (2028-01-31)" in csv_rows[1]
    exported = ok("record", "export", "-f", "csv", *db).splitlines()
    header = exported[0].split(",")
    prep = next(row for row in exported if ",prepare," in row)
    assert header[header.index("lot")] == "lot" and "AB1234; CD5678,2027-12-31; 2028-01-31," in prep
    lines = [json.loads(line) for line in ok("record", "export", "-f", "jsonl", *db).splitlines()]
    vials = next(e for e in lines if e["kind"] == "prepare")["data"]["vials"]
    assert [(v["lot"], v["expiry"], v["gtin"], v.get("serial")) for v in vials] == [
        ("AB1234", "2027-12-31", NANOGAM_20, "S1"), ("CD5678", "2028-01-31", NANOGAM_10, "S2")]
    assert "intact" in ok("record", "check", *db)


def test_the_administrations_carry_the_lot_in_a_contained_medication(tmp_path: Path, orders, site: Path):
    db = pharmacy(tmp_path, orders["open"], site)
    ok(*prepare(db, 1, *BAG_1, site=site))
    # 21 mL at 42, 42 mL at 84, then 168 mL/h for 49 min: 137.2 mL, 200.2 mL in at 10:49, where the nurse
    # restarts at 42 mL/h for lot CD5678
    for kind, clock, rate in (("start", "09:00", None), ("rate", "09:30", "84"), ("rate", "10:00", "168"),
                              ("rate", "10:49", "42")):
        ok("record", kind, *P, "--bag", "1", "--by", "AB", "--at", f"2026-11-02 {clock}",
           *(("--rate", rate) if rate else ()), *db)
    left = json.loads(ok("record", "remaining", *P, "--bag", "1", "--at", "2026-11-02 10:49", "-f", "json", *db))
    assert "lot_starts" not in left  # lot CD5678 has started: nothing restarts ahead
    ok("record", "stop", *P, "--bag", "1", "--by", "AB", "--infused", "300", "--at", "2026-11-02 12:03", *db)
    bundle = json.loads(ok("record", "export", "-f", "fhir", *db))
    Bundle.model_validate(bundle)
    administrations = [entry["resource"] for entry in bundle["entry"]]
    for resource in administrations:
        MedicationAdministration.model_validate(resource)
        assert resource["medicationReference"] == {"reference": "#medication"}
        assert "medicationCodeableConcept" not in resource
    batches = [(a["contained"][0]["batch"]["lotNumber"], a["contained"][0]["batch"]["expirationDate"])
               for a in administrations]
    assert batches == [("AB1234", "2027-12-31")] * 3 + [("CD5678", "2028-01-31")]
    assert administrations[0]["contained"][0]["code"]["coding"][0]["code"] == "J06BA02"


def test_remaining_says_where_a_new_lot_restarts_the_titration(tmp_path: Path, orders, site: Path):
    db = pharmacy(tmp_path, orders["open"], site)
    ok(*prepare(db, 1, *BAG_1, site=site))
    # not started: worked in test_preparation (183 minutes); here as the nurse reads it
    table = ok("record", "remaining", *P, "--bag", "1", "--at", "2026-11-02 09:00", *db)
    assert ("  168 mL/h for 49 min (137 mL), until 10:49\n"
            "  new lot CD5678 at 200 mL infused: the titration starts again at 42 mL/h\n"
            "  42 mL/h for 30 min (21 mL), until 11:19\n") in table
    assert "Time left: 3 h 3 min; ends at 2026-11-02 12:03" in table
    left = json.loads(ok("record", "remaining", *P, "--bag", "1", "--at", "2026-11-02 09:00", "-f", "json", *db))
    assert left["lot_starts"] == [{"step": 3, "infused_ml": 200, "lot": "CD5678"}]
    assert left["steps"][3] == {"rate_ml_per_h": 42, "minutes": 30, "volume_ml": 21, "new_lot": "CD5678"}


@pytest.mark.parametrize(("bag", "vials", "site_file", "words"), [
    (1, (f"(01){NANOGAM_20[:-1]}5(17)271231(10)AB1234", BAG_1[1]), True,
     "GTIN 09520123456725 fails its check digit (it should end in 6)"),
    (1, (f"(01){NANOGAM_20}(99)X(17)271231(10)AB1234", BAG_1[1]), True,
     "(99) INTERNAL is not on a medicine pack's code"),
    (1, (f"(01){NANOGAM_20}(88)X(17)271231(10)AB1234", BAG_1[1]), True, "(88) is not a GS1 application identifier"),
    (1, (f"(01){NANOGAM_20}(17)261031(10)AB1234", BAG_1[1]), True,
     "lot AB1234 expires 2026-10-31, before bag 1 is given on 2026-11-02"),
    (1, (f"10 g/(01){NANOGAM_20}(17)271231(10)AB1234", BAG_1[1]), True,
     "is a vial of 20 g in the catalogue, not the 10 g typed in front"),
    (1, (BAG_1[0], BAG_1[0].replace("S1", "S3")), True, "the vials given for bag 1 are 2 × 20 g; its pick list is "
                                                        "1 × 20 g + 1 × 10 g"),
    (1, (f"(01){OCTAGAM_20}(17)271231(10)AB1234", BAG_1[1]), True, "another product than the order's Nanogam"),
    (1, (BAG_1[0],), False, "the catalogue lists no GTIN for Nanogam"),
    (8, BAG_1, True, "bag 8 is not in the order of patient TIM-001; accepted: bag 1 to 7"),
])
def test_a_bad_vial_is_refused_in_one_line_and_nothing_written(tmp_path: Path, orders, site: Path, bag, vials,
                                                               site_file, words):
    db = pharmacy(tmp_path, orders["open"], site)
    said = refused(*prepare(db, bag, *vials, site=site if site_file else None))
    assert words in said, said
    assert [e["kind"] for e in entries(Path(db[1]))] == ["order"]


def test_two_brands_at_one_visit_are_refused(tmp_path: Path, orders):
    # the built-in catalogue lists no GTIN: the sizes go in front, and the GS1 company prefixes tell brands apart
    db = pharmacy(tmp_path, orders["open"])
    done = run(*prepare(db, 1, f"20 g/(01){UNLISTED}(17)271231(10)AB1", f"10 g/(01){UNLISTED}(17)271231(10)AB1"))
    assert done.exit_code == 0 and "GTIN not checked" in done.stdout
    assert "GTIN 08712345678906 not checked: the catalogue lists no GTIN for this product" in done.stderr
    # the sizes the vials were checked against are the built-in entry's, which no label confirmed: said as plan says it
    assert "product catalogue entry 'nanogam': vial sizes are NOT verified against the current label" in done.stderr
    said = refused(*prepare(db, 2, f"20 g/(01){UNLISTED_OTHER}(17)271231(10)XY9",
                            f"20 g/(01){UNLISTED_OTHER}(17)271231(10)XY9"))
    assert "vial 1 (GTIN 05401234567898) is of another brand than a vial of bag 1 (entry" in said
    assert "do not mix brands at one visit" in said
    assert [e["kind"] for e in entries(Path(db[1]))] == ["order", "prepare"]
    # another day is another visit
    assert "prepared bag 3 of 7" in ok(*prepare(db, 3, *(f"20 g/(01){UNLISTED_OTHER}(17)271231(10)XY9",) * 3,
                                                f"10 g/(01){UNLISTED_OTHER}(17)271231(10)XY9"))


def test_a_bag_is_prepared_once_unless_the_preparation_is_voided(tmp_path: Path, orders, site: Path):
    db = pharmacy(tmp_path, orders["open"], site)
    first = ok(*prepare(db, 1, *BAG_1, site=site)).split("entry ")[-1].split()[0]
    said = refused(*prepare(db, 1, *BAG_1, site=site))
    assert f"bag 1 of patient TIM-001 was prepared already (entry {first}, 2026-11-01 17:00 by PH)" in said
    assert f"corrected entry {first} (preparation)" in ok("record", "amend", first, "--void", "--by", "PH",
                                                          "--reason", "wrong bag", *db)
    assert "can" in refused("record", "amend", first, "--at", "2026-11-01 18:00", "--by", "PH", "--reason", "x", *db)
    ok(*prepare(db, 1, *BAG_1, site=site, at="2026-11-01 18:00"))
    shown = ok("record", "show", *P, *db)
    assert shown.count("prepared: ") == 2 and "VOID 2026-11-01 17:00  prepared: " in shown
    found = json.loads(ok("record", "lot", "AB1234", "-f", "json", *db))["bags"]
    assert [b["voided"] for b in found] == [True, False]  # a recall lists a voided preparation too, marked


def test_a_blinded_order_is_prepared_in_the_pharmacy_record_only(tmp_path: Path, orders):
    nurse = ["--db", str(tmp_path / "nurse.sqlite3")]
    ok("record", "order", str(orders["ivig-blinded"]), *P, "--by", "AB", "--at", "2026-11-01 18:00", *nurse)
    said = refused(*prepare(nurse, 1, *BAG_2))
    assert "the order of patient TIM-001 is blinded in this record" in said and "pharmacy's record" in said


class Ids:
    """uuid4 made the same in both arms' runs, and the clock fixed: so their outputs can be compared byte for byte."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        monkeypatch.setattr(uuid, "uuid4", self.next)
        fixed = datetime.fromisoformat("2026-11-02T23:00:00+01:00")
        # every module that reads the clock: the use cases, and the shared clock the export's bundle time comes from
        for module in ("record", "record_order", "record_events", "record_amend", "record_lots"):
            monkeypatch.setattr(f"ivig_dose.app.{module}.now_here", lambda: fixed)

    def next(self) -> uuid.UUID:
        self.count += 1
        return uuid.UUID(f"{self.count:08x}{'0' * 24}")  # the short id show prints is the count


def arm_outputs(folder: Path, arm: str, orders, site: Path) -> list[str]:
    """What the nurse sees of one arm, in her own record and in the pharmacy's after the merge."""
    folder.mkdir()
    db = ["--db", str(folder / "pharmacy.sqlite3")]
    ok("record", "order", str(with_site(orders[arm])), *P, "--by", "PH", "--at", "2026-11-01 16:00",
       "--products", str(site), *db)
    vials = BAG_1 if arm == "ivig" else ("500 mL/NACL77/2028-01",)
    ok(*prepare(db, 1, *vials, site=site))
    nurse = ["--db", str(folder / "nurse.sqlite3")]
    seen = [ok("record", "order", str(orders[f"{arm}-blinded"]), *P, "--by", "AB", "--at", "2026-11-01 18:00",
               *nurse)]
    for kind, clock, extra in (("start", "09:00", ()), ("rate", "09:30", ("--rate", "84")),
                               ("stop", "12:00", ("--infused", "300"))):
        seen.append(ok("record", kind, *P, "--bag", "1", "--by", "AB", "--at", f"2026-11-02 {clock}", *extra, *nurse))
    ok("record", "start", *P, "--bag", "2", "--by", "AB", "--at", "2026-11-02 13:00", *nurse)
    ok("record", "merge", nurse[1], *db)
    for record in (nurse, db):  # her record, and the pharmacy's read without --unblinded
        seen += [ok("record", "show", *record), ok("record", "show", "-f", "json", *record),
                 ok("record", "show", "-f", "csv", *record),
                 ok("record", "remaining", *P, "--bag", "2", "--at", "2026-11-02 13:30", *record),
                 ok("record", "remaining", *P, "--bag", "2", "--at", "2026-11-02 13:30", "-f", "json", *record),
                 ok("record", "export", "-f", "fhir", *record)]
    seen += [ok("record", "export", "-f", "jsonl", *nurse), ok("record", "export", "-f", "csv", *nurse)]
    return [text.replace(str(folder), "F") for text in seen]


def test_the_nurse_outputs_are_byte_identical_for_the_two_arms(tmp_path: Path, orders, site: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    outputs = {}
    for arm in ("ivig", "placebo"):
        Ids(monkeypatch)
        outputs[arm] = arm_outputs(tmp_path / arm, arm, orders, site)
    assert outputs["ivig"] == outputs["placebo"]
    for text in outputs["ivig"]:
        for word in ("AB1234", "CD5678", "NACL77", "Nanogam", "NaCl", '"arm"', "J06BA02", "lot ", "mg/mL", " g)"):
            assert word not in text, word
    # the pharmacy sees its own: the lots, with --unblinded
    unblinded = " ".join(ok("record", "show", "--unblinded", "--db",
                            str(tmp_path / "ivig" / "pharmacy.sqlite3")).split())
    assert "lot AB1234" in unblinded and "Nanogam 100 mg/mL" in unblinded
    kit = kit_id("TIM-001", "timeismuscle", "baseline", 1, "hospital")
    assert f"kit {kit}" in " ".join(outputs["ivig"][4].split()) and f"kit {kit}" in unblinded
    # its export leaves the unblinding entries out unless asked, and says so
    done = run("record", "export", "-f", "jsonl", "--db", str(tmp_path / "ivig" / "pharmacy.sqlite3"))
    assert "AB1234" not in done.stdout and "2 entries of blinded orders left out" in done.stderr
    assert "AB1234" in ok("record", "export", "-f", "jsonl", "--unblinded", "--db",
                          str(tmp_path / "ivig" / "pharmacy.sqlite3"))
    # and its recall finds the blinded patient, by kit
    recall = json.loads(ok("record", "lot", "AB1234", "-f", "json", "--db",
                           str(tmp_path / "ivig" / "pharmacy.sqlite3")))
    (bag,) = recall["bags"]
    assert bag["kit"] == kit and bag["given"][0]["volume_infused_ml"] == 300


def test_a_blinded_label_prints_the_kit_the_record_knows(tmp_path: Path):
    from pypdf import PdfReader

    kits = {}
    for arm in ("ivig", "placebo"):
        path = tmp_path / f"{arm}.pdf"
        ok("labels", "--weight", "70", "--start", "2026-11-02", "--arm", arm, "--blinded", *P, "-o", str(path))
        kits[arm] = PdfReader(path).pages[0].extract_text()
    assert kits["ivig"] == kits["placebo"]
    assert f"Kit: {kit_id('TIM-001', 'timeismuscle', 'baseline', 1, 'hospital')}" in kits["ivig"]
    assert "Batch" not in kits["ivig"]
    open_label = tmp_path / "open.pdf"
    ok("labels", "--weight", "70", "--start", "2026-11-02", *P, "-o", str(open_label))
    assert "Batch: " in PdfReader(open_label).pages[0].extract_text()


# ---- the file: schema 2 adds the index of lots ----------------------------------------------------------


def schema(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return sorted(connection.execute("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_a_version_1_record_is_read_as_it_is_and_migrated_by_a_write(tmp_path: Path, orders, site: Path):
    from ivig_dose.files.record_store import MIGRATIONS

    db = pharmacy(tmp_path, orders["open"], site)
    ok(*prepare(db, 1, *BAG_1, site=site))
    path = Path(db[1])
    # the file as version 1 made it: the index and its triggers gone, the version put back
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript("DROP TRIGGER lots_never_updated; DROP TRIGGER lots_never_deleted; DROP TABLE lots; "
                                 "PRAGMA user_version = 1;")
    first = tmp_path / "first.sqlite3"
    with closing(sqlite3.connect(first)) as connection:
        for statement in MIGRATIONS[0]:
            connection.execute(statement)
    assert schema(path) == schema(first)
    before = path.read_bytes()
    assert "lot AB1234" in ok("record", "show", *db)  # read as it is
    assert [b["bag"] for b in json.loads(ok("record", "lot", "AB1234", "-f", "json", *db))["bags"]] == [1]
    assert "2 entries intact" in ok("record", "check", *db)
    assert path.read_bytes() == before
    ok(*prepare(db, 2, *BAG_2))  # a write migrates it, the index built from what it holds
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (2,)
        assert sorted(connection.execute("SELECT lot, seq FROM lots")) == [("AB1234", 2), ("AB1234", 3),
                                                                           ("CD5678", 2)]
    assert [b["bag"] for b in json.loads(ok("record", "lot", "AB1234", "-f", "json", *db))["bags"]] == [1, 2]
    assert "3 entries intact" in ok("record", "check", *db)


def test_check_finds_an_index_of_lots_changed_by_hand(tmp_path: Path, orders, site: Path):
    db = pharmacy(tmp_path, orders["open"], site)
    ok(*prepare(db, 1, *BAG_1, site=site))
    with closing(sqlite3.connect(db[1])) as connection:
        import pytest as _pytest

        with _pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM lots")
        connection.executescript("DROP TRIGGER lots_never_deleted; DELETE FROM lots WHERE lot = 'CD5678'; "
                                 "CREATE TRIGGER lots_never_deleted BEFORE DELETE ON lots BEGIN SELECT "
                                 "RAISE(ABORT, 'x'); END;")
    done = run("record", "check", *db)
    assert done.exit_code == 1
    assert "FAILS: the index of lots does not match the preparations at lot CD5678 of entry 2" in done.stdout
