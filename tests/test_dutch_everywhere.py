"""Every command with ``--lang nl``: what it prints, writes for people (PDF text, calendar texts)
and says in ``--help`` holds no English left over and no key of the plan's JSON.

The protocols' and catalogue's own texts (their sources, titles and product names) are exempt:
they are quoted as their files write them. Words a user types (option names, a CSV's column
names, the values of ``--arm`` or ``--setting``) stay as typed and are not looked for in help
texts. A fragment found is named with the command that printed it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ivig_dose.cli.commands import COMMANDS
from ivig_dose.cli.main import app
from ivig_dose.core.products import AT_RISK_WORDS
from ivig_dose.files.catalogue import load_catalogue
from ivig_dose.files.protocols import built_in_names, day_defaults, load_protocol
from tests.documents import pdf_text

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
START = ["--start", "2027-01-04"]
ENV = {"SOURCE_DATE_EPOCH": "1798848000", "COLUMNS": "2000"}

#: English a Dutch reader should never meet, as words (not inside option names such as --weight).
ENGLISH_WORDS = ("the", "and", "with", "not", "for", "from", "are", "to", "Usage", "Options", "Commands",
                 "Arguments", "Warning", "warning", "error", "bag", "bags", "course", "courses", "verified",
                 "unverified", "built-in", "default", "required", "Reminder", "Setting", "Duration", "Dose",
                 "Weight", "Course", "Vials", "waste", "total", "Total", "capped", "yes", "no", "wrote",
                 "day", "days")
#: more English, looked for in what verify and the record print: the words of their tables and of
#: an order's fields (elsewhere some are what a user types: a column ``weight``, a command ``rate``).
MORE_ENGLISH = ("dose", "rate", "step", "steps", "weight", "vial", "date", "reason", "why", "warning", "warnings",
                "true", "false", "none", "ordered", "expected", "difference", "field", "given", "number", "time",
                "left", "this", "that", "which", "patient", "MATCH", "DIFFERS", "Field", "Ordered", "Expected",
                "Difference", "Rule", "Why", "Note")
#: phrases the issue found in Dutch output.
ENGLISH_PHRASES = ("kuur baseline", "baseline-gewicht", "Arm: ivig", "In order", "in order", "Show this message",
                   "[default", "[required")
#: words that are values in the data (a course, a setting) and read otherwise in Dutch; a help
#: text may name them as what a user types.
DATA_WORDS = ("baseline", "hospital", "home", "ivig", "actual", "ideal", "adjusted")
#: keys of the plan's JSON (as patterns): a person never reads them.
RAW_KEYS = ("volume_ml", "dose_g", "duration_min", "rate_ml_per_h", "weight_kg", "dosing_weight_kg", "waste_g",
            "waste_ml", "input_digest", "pump_min", "pump_steps", "course_dose_g", "total_dose_g", "total_volume_ml",
            "days_per_course", "weight_as_typed", "dosing_weight_basis", "protocol_version", "hospital_dose_g",
            "hospital_volume_ml", "concentration_mg_per_ml", "dosing_weight_override", "product_verified",
            "catalogue_version", "at_risk", "max_rate", r"pump_step_\d+_\w+", r"pump\.steps",
            r"why\[\d+\]", r"warnings\[\d+\]")


def quoted_texts() -> list[str]:
    """What files write and output quotes as it is: sources, titles, product names, the labels' words."""
    texts = {AT_RISK_WORDS}
    for name in built_in_names():
        protocol = load_protocol(name)
        texts |= {protocol.name, protocol.source, protocol.product.source, protocol.product.name,
                  protocol.schedule_source}
        texts |= {p.source for p in protocol.params.values()} | {u.source for u in protocol.unset.values()}
        texts |= {o.source for o in protocol.options.values()} | {c.source for c in protocol.courses}
        texts |= {p.source for p in protocol.weight_rules.params.values()} | {protocol.weight_rules.source}
        if protocol.placebo is not None:
            texts |= {protocol.placebo.source, protocol.placebo.name}
    texts |= {p.source for p in day_defaults().values()}
    for product in load_catalogue(None).products:
        texts |= {product.name, product.source, *(product.source_of(key) for key in
                                                  ("concentration", "presentations", "rate_steps", "step_minutes"))}
        texts |= {table.source for _, table in product.indications}
        if product.at_risk is not None:
            texts.add(product.at_risk.source)
    # the longest first, so a text inside another is not removed first and the rest left behind
    return sorted((" ".join(t.split()) for t in texts if t and t.strip()), key=len, reverse=True)


QUOTED = quoted_texts()


#: what a user types, which stays as typed: an option with its value, a file's ``key = value``, the
#: column names of a CSV file.
TYPED = (re.compile(r"--[a-z-]+[ =][\w.]+"), re.compile(r"\b[a-z_]+ = [\w.]+"), re.compile(r"\([^)]*patient_id[^)]*\)"))


def english_left(text: str, help_text: bool = False, quoted: Iterable[str] = (), more: bool = False) -> list[str]:
    """Every English fragment or JSON key in ``text`` once the quoted texts are taken out.

    ``help_text``: a help page or a file's listing, which may name the values a user types;
    ``quoted``: the texts of the files it was given, quoted as they are; ``more``: look for
    :data:`MORE_ENGLISH` too."""
    flat = " ".join(text.split())
    given = sorted({" ".join(t.split()) for t in quoted if t.strip()}, key=len, reverse=True)
    for quoted_text in [*given, *QUOTED]:
        flat = flat.replace(quoted_text, " ")
    for typed in TYPED:
        flat = typed.sub(" ", flat)
    words = ENGLISH_WORDS + (() if help_text else DATA_WORDS) + (MORE_ENGLISH if more else ())
    found = [m for w in words if (m := re.search(rf"(?<![\w/.'-]){re.escape(w)}(?![\w/'-])", flat))]
    found += [m for p in ENGLISH_PHRASES if (m := re.search(re.escape(p), flat))]
    found += [m for k in RAW_KEYS if (m := re.search(rf"(?<![\w-]){k}(?!\w)", flat))]
    # each with a little of what stands around it, to find where it comes from
    return [f"{m[0]!r} in ...{flat[max(0, m.start() - 30):m.end() + 30]}..." for m in found]


def run(*args: str, columns: str = ENV["COLUMNS"]) -> str:
    result = runner.invoke(app, [*args, "--lang", "nl"], env={**ENV, "COLUMNS": columns})
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nl")
    order = runner.invoke(app, ["plan", "-w", "72.35", *START, "-f", "json"], env=ENV)
    (folder / "order.json").write_text(order.stdout, encoding="utf-8")
    (folder / "patients.csv").write_text("patient_id,weight,start\nP1,70,2027-01-04\nP2,abc,2027-01-04\n"
                                         "P3,45,2027-01-04\n", encoding="utf-8")
    return folder


PRINTED = {
    "plan": ["plan", "-w", "72.35", *START],
    "plan blinded placebo": ["plan", "-w", "72.35", *START, "--blinded", "--arm", "placebo"],
    "plan placebo": ["plan", "-w", "70", *START, "--arm", "placebo"],
    "plan 45 kg, 5 days, whole vials": ["plan", "-w", "45", *START, "--days", "5", "--round", "vials"],
    "plan 100 kg, later weights": ["plan", "-w", "100", *START, "--course-weight", "week4=95"],
    "plan adjusted weight": ["plan", "-w", "120", *START, "--height", "165", "--sex", "female", "--dosing-weight",
                             "adjusted"],
    "plan at risk": ["plan", "-w", "70", *START, "--risk", "thrombosis", "--max-rate", "100"],
    "plan another product": ["plan", "-w", "70", *START, "--product", "octagam-10", "--risk", "thrombosis"],
    "plan per-day protocol": ["plan", "-w", "70", *START, "--protocol", "standard-5-day", "--product",
                              "octagam-10"],
    "plan, narrow terminal": ["plan", "-w", "70", *START, "--blinded"],
    "rates": ["rates", "-w", "70", "--dose", "70g"],
    "rates by volume": ["rates", "-w", "70", "--volume", "424mL", "--max-rate", "100"],
    "screen": ["screen", "--answers", str(EXAMPLES / "screen_patient.toml")],
    "screen ivig only": ["screen", "--answers", str(EXAMPLES / "screen_patient.toml"), "--ivig-only"],
    "protocol list": ["protocol", "list"],
    "protocol show": ["protocol", "show", "timeismuscle"],
    "protocol show schedule": ["protocol", "show", "octagam-dermatomyositis"],
    "protocol show per day": ["protocol", "show", "standard-5-day"],
    "protocol check": ["protocol", "check", "timeismuscle"],
    "products list": ["products", "list"],
    "products show": ["products", "show", "nanogam"],
    "products show indications": ["products", "show", "privigen"],
    "products show at risk": ["products", "show", "octagam-10"],
    "a bad weight": ["plan", "-w", "seventy"],
    "a missing option": ["plan"],
    "a bad arm": ["plan", "-w", "70", "--arm", "verum"],
    "too many days": ["plan", "-w", "100", "--days", "2"],
}


#: the listings of a file, which name its courses and choices as the file writes them.
LISTINGS = ("protocol show", "protocol show schedule", "protocol show per day")


@pytest.mark.parametrize("name", PRINTED)
def test_what_each_command_prints(name):
    assert english_left(run(*PRINTED[name]), help_text=name in LISTINGS) == [], name


def test_batch(files):
    said = run("batch", str(files / "patients.csv"), "-o", str(files / "out.csv"))
    assert english_left(said) == []


def text_values(value: object) -> list[str]:
    """Every text an order file holds (a JSON document's strings, a CSV's cells): the tool writes an
    order in English, its contract, and verify quotes each value as the file holds it."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in text_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in text_values(item)]
    return [value] if isinstance(value, str) else []


def prose(texts: list[str]) -> list[str]:
    """The texts that are sentences or labels (a warning, a "why" text, ``built-in 2026-12-02``),
    never a single name or key (``baseline``, ``ivig``, ``week 4``): a key left in a Dutch output is
    found even when the order holds it."""
    return [text for text in texts if " " in text.strip() and len(text) >= 12]


def csv_cells(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as rows:
        return [cell for row in csv.reader(rows) for cell in row]


@pytest.fixture(scope="module")
def orders(files) -> dict[str, tuple[Path, list[str]]]:
    """Orders to check, each with the texts verify may quote from it (and from the plan it expects):
    the order as made, one changed the ways an order goes wrong, one within a tolerance of 1%, and a
    changed CSV order."""
    import copy
    import json

    made = json.loads((files / "order.json").read_text(encoding="utf-8"))
    quoted = prose(text_values(made))
    changed = copy.deepcopy(made)
    baseline, week4, week8 = changed["courses"]
    baseline["dosing_weight_basis"] = "ideal"
    baseline["days"][0]["segments"][0]["volume_ml"] = 310                        # the hospital bag
    baseline["days"][0]["segments"][1]["dose_g"] = 45                            # the home bag
    baseline["days"][0]["date"] = "2027-01-05"
    week4["days"].pop()                                                          # a day left out
    week8["days"].append({**copy.deepcopy(week8["days"][1]), "day": 3})          # a day added
    week8["days"][0]["segments"][0]["pump"]["steps"][2]["rate_ml_per_h"] = 180   # a pump step
    changed["warnings"] = []                                                     # a warning taken out
    changed["why"][1]["text"] = "each course: 2 g/kg × 72.35 kg = 144.8 g"
    changed["blinded"] = True
    within = copy.deepcopy(made)
    within["courses"][0]["days"][0]["segments"][1].update(dose_g=42.5, volume_ml=425)
    left_out = copy.deepcopy(made)  # what another system's order may leave out: not compared, and said so
    for bag in (bag for course in left_out["courses"] for day in course["days"] for bag in day["segments"]):
        del bag["pump"]
    del left_out["courses"][0]["days"][0]["segments"][0]["waste_g"]
    del left_out["courses"][0]["days"][0]["segments"][1]["vials"][0]["volume_ml"]
    found = {}
    for name, document in (("changed", changed), ("within", within), ("left out", left_out)):
        (files / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
        found[name] = (files / f"{name}.json", quoted + prose(text_values(document)))
    found["made"] = (files / "order.json", quoted)
    table = runner.invoke(app, ["plan", "-w", "72.35", *START, "-f", "csv"], env=ENV).stdout.splitlines()
    table[1] = table[1].replace(",30,300,", ",30,310,")  # the hospital bag of day 1: 310 mL
    (files / "changed.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    found["changed csv"] = (files / "changed.csv", prose(csv_cells(files / "changed.csv")))
    return found


BEDSIDE = ["verify", "--weight", "72.35", "--course", "baseline", "--day", "1", "--setting", "home"]


@pytest.mark.parametrize(("order", "args"), [
    ("made", []),
    ("changed", []),
    ("changed", ["--all"]),
    ("changed csv", []),
    ("changed csv", ["--all"]),
    ("within", ["--tolerance", "1%"]),
    ("left out", []),
    (None, [*BEDSIDE, "--volume", "424mL"]),
    (None, [*BEDSIDE, "--volume", "430mL"]),
    (None, [*BEDSIDE, "--volume", "425mL", "--tolerance", "1%"]),
])
@pytest.mark.parametrize("columns", ["2000", "50"])
def test_verify(orders, order, args, columns):
    path, quoted = orders[order] if order is not None else (None, [])
    said = run(*(["verify", str(path)] if path is not None else []), *args, columns=columns)
    assert english_left(said, quoted=quoted, more=True) == []


def test_verify_names_each_field_as_a_pharmacist_says_it(orders):
    said = " ".join(run("verify", str(orders["changed"][0])).replace("│", " ").split())  # the table's cells
    for field in ("uitgangskuur dag 1 ziekenhuis volume 310 mL 300 mL +10 mL (+3,3%) R5",
                  "uitgangskuur dag 1 thuis dosis 45 g 42,4 g +2,6 g (+6,1%) R6",
                  "uitgangskuur ziekenhuisvolume 310 mL 300 mL",
                  "uitgangskuur dag 1 datum di 2027-01-05 ma 2027-01-04 +1 dag R7",
                  "uitgangskuur basis van het doseergewicht ideaal werkelijk R1",
                  "kuur week 4 dag 2 volume geen dag 2 in de order 723 mL",
                  "kuur week 8 dag 3 volume 723 mL geen dag 3 in het plan",
                  "kuur week 8 dag 1 thuis pompstap 3 snelheid 180 mL/h 173,6 mL/h +6,4 mL/h pomp",
                  "waarschuwing 1 niet in de order", "tekst van toelichting 2", "geblindeerd ja nee"):
        assert field in said, field
    left_out = " ".join(run("verify", str(orders["left out"][0])).split())
    for line in ("uitgangskuur dag 1 ziekenhuis restant: niet in de order",
                 "pompschema: op 7 plaatsen niet in de order",
                 "uitgangskuur dag 1 thuis volume van elke flaconmaat: niet in de order"):
        assert line in left_out, line
    tolerated = " ".join(run("verify", str(orders["within"][0]), "--tolerance", "1%").split())
    assert tolerated.startswith("KLOPT binnen de tolerantie: alle 297 vergeleken waarden liggen binnen 1% van die "
                                "van het protocol; het grootste verschil is +0,1 g (+0,2%) (uitgangskuur dag 1 thuis "
                                "dosis).")


def test_verify_names_a_course_as_the_protocol_file_names_it(files):
    # the order writes "baseline"; a protocol file that calls it "startkuur" in Dutch is read so
    import json

    from ivig_dose.files.package_data import package_file

    text = package_file("data/protocols/timeismuscle.toml").read_text(encoding="utf-8")
    protocol = files / "own.toml"
    protocol.write_text(text.replace('names = { nl = "uitgangskuur" }', 'names = { nl = "startkuur" }'),
                        encoding="utf-8")
    made = runner.invoke(app, ["plan", "-w", "72.35", *START, "--protocol", str(protocol), "-f", "json"], env=ENV)
    document = json.loads(made.stdout)
    document["courses"][0]["days"][0]["segments"][0]["volume_ml"] = 310
    assert document["courses"][0]["name"] == "baseline"
    order = files / "own-order.json"
    order.write_text(json.dumps(document), encoding="utf-8")
    said = " ".join(run("verify", str(order), "--protocol", str(protocol)).replace("│", " ").split())
    assert "startkuur dag 1 ziekenhuis volume 310 mL 300 mL" in said and "uitgangskuur" not in said


def test_verify_in_english_names_fields_in_words_too(orders):
    said = runner.invoke(app, ["verify", str(orders["changed"][0]), "--all"], env=ENV).stdout
    assert "baseline day 1 hospital volume " in said and "week 8 day 1 home pump step 3 rate " in said
    assert [key for key in RAW_KEYS if re.search(rf"(?<![\w-]){key}(?!\w)", said)] == []


def test_verify_json_keeps_its_keys_in_dutch(orders):
    # JSON is a contract: its fields are named by the order's keys, whatever the language
    import json

    said = json.loads(runner.invoke(app, ["verify", str(orders["changed"][0]), "-f", "json", "--lang", "nl"],
                                    env=ENV).stdout)
    fields = [entry["field"] for entry in said["discrepancies"]]
    assert "baseline day 1 hospital volume_ml" in fields and "week 8 day 1 home pump_step_3_rate_ml_per_h" in fields
    assert "baseline dosing_weight_basis" in fields and "why[1].text" in fields


def registered(tmp_path: Path) -> tuple[str, list[str]]:
    """A record holding a plan from a week ago (its times are not in the future whatever the clock
    says), registered for patient TIM-001: the day it starts, and the options that name the patient."""
    from datetime import date, timedelta

    day = (date.today() - timedelta(days=7)).isoformat()
    order, db = tmp_path / "order.json", str(tmp_path / "record.sqlite3")
    order.write_text(runner.invoke(app, ["plan", "-w", "72.35", "--start", day, "-f", "json"], env=ENV).stdout,
                     encoding="utf-8")
    who = ["--patient-id", "TIM-001", "--db", db]
    run("record", "order", str(order), *who, "--by", "AB", "--at", f"{day} 08:00")
    return day, who


def test_the_bedside_record(tmp_path):
    day, who = registered(tmp_path)
    said = run("record", "start", *who, "--bag", "1", "--by", "AB", "--at", f"{day} 09:00")
    said += run("record", "rate", *who, "--bag", "1", "--by", "AB", "--at", f"{day} 09:30", "--rate", "86.8")
    said += run("record", "pause", *who, "--bag", "1", "--by", "AB", "--at", f"{day} 09:40", "--reason", "rillingen")
    said += run("record", "remaining", *who, "--bag", "1", "--at", f"{day} 09:45")
    said += run("record", "rate", *who, "--bag", "9", "--by", "AB", "--rate", "500")
    said += run("record", "check", "--db", who[-1])
    said += run("record", "show", "--db", who[-1])
    # every course named as the protocol names it in Dutch: the record keeps the order's "baseline"
    assert "(uitgangskuur dag 1, ziekenhuis" in said and "Totaal kuur week 4:" in said
    assert english_left(said, more=True) == []


def test_a_course_given_past_its_cap_is_named_in_dutch():
    # a bag as the record stores it names its course "baseline"; the warning names the course as
    # the protocol does, never "kuur baseline" (nor "kuur uitgangskuur")
    from decimal import Decimal

    from ivig_dose.core.record_order import CourseTotal, bag_of, cap_warning
    from ivig_dose.render.translations import translator

    bag = bag_of({"number": 1, "course": "baseline", "day": 1, "setting": "hospital", "date": "2027-01-04",
                  "volume_ml": "300", "rates": ["43.4"], "step_minutes": 30})
    # 1900 mL of 100 mg/mL is 190 g, past the cap of 180 g (1800 mL)
    total = CourseTotal(bag.course, Decimal(1900), Decimal(190), Decimal(1900), Decimal(190), Decimal(1800),
                        Decimal(180), 1, 1)
    said = [translator("nl").say(warning) for warning in cap_warning(total)]
    assert said == ["uitgangskuur: 1900 mL (190 g) toegediend, meer dan het kuurmaximum van 180 g"]
    assert english_left(said[0], more=True) == []


@pytest.mark.parametrize("name", built_in_names())
def test_a_course_kept_without_its_protocol_reads_as_the_protocol_names_it(name):
    # a record keeps a bag's course as "baseline" or "week 4", not its protocol; said in Dutch it
    # must read as each built-in protocol names that course (else a record and its order disagree)
    from ivig_dose.core.terms import said_course
    from ivig_dose.render.translations import translator

    dutch = translator("nl")
    for course in load_protocol(name).courses:
        assert dutch.say(said_course(str(course.name))) == dutch.say(course.name), (name, course.name)
    assert dutch.say(said_course("baseline")) == "uitgangskuur" and dutch.say(said_course("week 12")) == "kuur week 12"
    assert said_course("loading dose") == "loading dose"  # a name no schedule gives stays as it is


@pytest.mark.parametrize("command", ["order", "labels"])
@pytest.mark.parametrize("blinded", [[], ["--blinded"]])
def test_the_paper(files, command, blinded):
    target = files / f"{command}.pdf"
    said = run(command, "-w", "72.35", *START, "--patient-id", "TIM-001", *blinded, "-o", str(target))
    assert english_left(said + pdf_text(target.read_bytes())) == []


def test_the_calendar(files):
    target = files / "plan.ics"
    said = run("calendar", "-w", "72.35", *START, "--patient-id", "TIM-001", "--remind", "1d", "--time", "22:00",
               "-o", str(target))
    calendar = Calendar.from_ical(target.read_bytes())
    texts = [str(calendar["x-wr-calname"])]
    for event in calendar.walk("VEVENT"):
        texts += [str(event[key]) for key in ("summary", "description", "location")]
        texts += [str(alarm["description"]) for alarm in event.walk("VALARM")]
    assert english_left(said + "\n".join(texts)) == []


def every_help() -> list[list[str]]:
    commands = [[], *([name] for name in COMMANDS)]
    commands += [["protocol", sub] for sub in ("show", "list", "check")]
    commands += [["products", sub] for sub in ("show", "list", "check")]
    return [[*command, "--help"] for command in commands]


@pytest.mark.parametrize("args", every_help(), ids=" ".join)
def test_every_help_page(args):
    said = run(*args)
    assert said.startswith("Gebruik: ivig-dose"), said[:200]
    assert english_left(said, help_text=True) == []


def test_the_help_is_english_again_in_english():
    # help pages are translated as they are written: a later English run (same process) is English
    run("plan", "--help")
    english = runner.invoke(app, ["plan", "--help"], env=ENV).stdout
    assert english.startswith("Usage: ivig-dose plan") and "Show this message and exit." in english


def test_the_check_finds_what_it_looks_for():
    # the check itself can fail: English, the phrases and JSON keys are found
    assert [f.split()[0] for f in english_left("Dosis 70 g for the course")] == ["'the'", "'for'", "'course'"]
    assert [f.split(" in ")[0] for f in english_left("kuur baseline: volume_ml 700")] == [
        "'baseline'", "'kuur baseline'", "'volume_ml'"]
    assert english_left("--weight 70 kg (bron: ours, not a label fact: time to travel home after leaving hospital "
                        "and for the home-care nurse to set up; set your own in the protocol)") == []
    # verify's fields by their keys, and the values of a flag, are found; an order's own text is quoted
    found = english_left("kuur week 8 dag 1 thuis pump_step_3_rate_ml_per_h · why[1].text · volgens order true · "
                         "hospital_volume_ml", more=True)
    assert [f.split(" in ")[0] for f in found] == ["'why'", "'true'", "'hospital_volume_ml'",
                                                   "'pump_step_3_rate_ml_per_h'", "'why[1]'"]
    assert english_left("verwacht: each course: 2 g/kg", quoted=["each course: 2 g/kg"], more=True) == []
    assert english_left("verwacht: each course: 2 g/kg", more=True) != []
