"""`ivig-dose screen` through the CLI: every verdict and exit status, the JSON shape, the table,
--ivig-only, the screening date, the interactive flow with --save, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "screen_patient.toml"
ALL_IDS = ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10"]
IVIG_IDS = ["E2", "E3", "E4", "E5", "E6", "E7"]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, ["screen", *args], input=input)


def answers_file(tmp_path: Path, text: str, drop: tuple[str, ...] = ()) -> str:
    """The example patient with ``drop`` keys left out and ``text`` lines replacing keys of the same name."""
    replaced = {line.split("=")[0].strip() for line in text.splitlines() if "=" in line}
    kept = [line for line in EXAMPLE.read_text().splitlines()
            if line.split("=")[0].strip() not in replaced | set(drop)]
    path = tmp_path / "patient.toml"
    path.write_text("\n".join([*kept, text]) + "\n", encoding="utf-8")
    return str(path)


def doc(result) -> dict:
    return json.loads(result.stdout)


# --- verdicts and exit statuses ----------------------------------------------------------------

def test_example_patient_is_eligible_exit_0():
    result = run("--answers", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    assert "Verdict: ELIGIBLE, every criterion met" in result.stdout
    assert "Screening date: 2027-01-15" in result.stdout
    assert result.stderr == ""  # the file gives the screening date: no warning


def test_json_has_the_issue_shape():
    result = run("--answers", str(EXAMPLE), "--format", "json")
    document = doc(result)
    assert list(document) == ["eligible", "failed", "missing", "criteria"]
    assert (document["eligible"], document["failed"], document["missing"]) == (True, [], [])
    assert [c["id"] for c in document["criteria"]] == ALL_IDS
    assert {c["status"] for c in document["criteria"]} == {"met"}
    i1 = document["criteria"][0]
    assert list(i1) == ["id", "kind", "key", "requirement", "answer", "status", "reason"]
    # born 1968-09-04: 18 on 1986-09-04, before the screening date
    assert (i1["key"], i1["kind"], i1["answer"]) == ("birth_date", "inclusion", "1968-09-04")
    assert i1["reason"] == "18 years after 1968-09-04 is 1986-09-04, before the screening date 2027-01-15"
    by_id = {c["id"]: c for c in document["criteria"]}
    assert (by_id["I4"]["answer"], by_id["E2"]["answer"], by_id["E6"]["answer"]) == (18, "never", "no")


def test_a_failed_exclusion_is_not_eligible_exit_1(tmp_path):
    result = run("-a", answers_file(tmp_path, 'loop_diuretics = "yes"'), "-f", "json")
    assert result.exit_code == 1
    document = doc(result)
    assert (document["eligible"], document["failed"], document["missing"]) == (False, ["E6"], [])
    assert next(c for c in document["criteria"] if c["id"] == "E6")["status"] == "not met"


def test_a_missing_answer_is_undecided_exit_3_never_no(tmp_path):
    result = run("-a", answers_file(tmp_path, "", drop=("abnormal_core_set_measures", "informed_consent")),
                 "-f", "json")
    assert result.exit_code == 3
    document = doc(result)
    assert (document["eligible"], document["failed"], document["missing"]) == (None, [], ["I5", "I7"])
    i7 = next(c for c in document["criteria"] if c["id"] == "I7")
    assert (i7["answer"], i7["status"]) == (None, "not answered")


def test_failed_and_missing_together_is_not_eligible_exit_1(tmp_path):
    path = answers_file(tmp_path, "mmt_loss_percent = 9.5", drop=("informed_consent",))
    result = run("-a", path, "-f", "json")
    assert result.exit_code == 1
    assert (doc(result)["failed"], doc(result)["missing"]) == (["I4"], ["I7"])
    table = run("-a", path).stdout
    assert "Verdict: NOT ELIGIBLE, not met: I4; also not answered: I7" in table
    assert "9.5 % is below 10 %" in table


def test_table_undecided_verdict_names_the_missing(tmp_path):
    result = run("-a", answers_file(tmp_path, "", drop=("diagnosis",)))
    assert result.exit_code == 3
    assert "UNDECIDED, nothing failed but not answered (counted neither yes nor no): I2" in result.stdout
    assert "not answered" in result.stdout


# --- --ivig-only and the screening date --------------------------------------------------------

def test_ivig_only_checks_e2_to_e7_only(tmp_path):
    # E10 within 3 months (2026-12-01 + 3 months = 2027-03-01 >= 2027-01-15) and I7 missing: both outside E2-E7.
    path = answers_file(tmp_path, "last_immunosuppressant = 2026-12-01", drop=("informed_consent",))
    assert run("-a", path).exit_code == 1
    result = run("-a", path, "--ivig-only", "-f", "json")
    assert result.exit_code == 0
    assert [c["id"] for c in doc(result)["criteria"]] == IVIG_IDS
    table = run("-a", path, "--ivig-only").stdout
    assert "IVIg safety check: PASSED" in table and "I1 " not in table


def test_ivig_only_fails_on_a_recent_thrombosis(tmp_path):
    # thrombosis 2017-01-15: 10 years end 2027-01-15, the screening date: still within.
    result = run("-a", answers_file(tmp_path, "last_thrombosis = 2017-01-15"), "--ivig-only", "-f", "json")
    assert (result.exit_code, doc(result)["failed"]) == (1, ["E2"])


def test_screening_date_option_overrides_the_file():
    # onset 2026-06-20: 12 months end 2027-06-20; screening that day -> I3 not met.
    result = run("-a", str(EXAMPLE), "--screening-date", "2027-06-20", "-f", "json")
    assert (result.exit_code, doc(result)["failed"]) == (1, ["I3"])
    assert run("-a", str(EXAMPLE), "--screening-date", "2027-06-19").exit_code == 0


def test_no_screening_date_counts_to_today_and_says_so(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('loop_diuretics = "no"\n', encoding="utf-8")
    result = run("-a", str(path), "--ivig-only")
    assert result.exit_code == 3
    assert f"warning: no screening date given: date rules count to today, {date.today()}" in result.stderr


def test_numeric_dates_need_their_order(tmp_path):
    path = answers_file(tmp_path, 'birth_date = "04/09/1968"')
    assert "ambiguous" in run("-a", path).stderr
    document = doc(run("-a", path, "--day-first", "-f", "json"))
    assert document["criteria"][0]["answer"] == "1968-09-04"


# --- the interactive flow ----------------------------------------------------------------------

EXAMPLE_REPLIES = ["1968-09-04", "dermatomyositis", "2026-06-20", "18", "3", "yes", "yes", "no", "never",
                   "no", "no", "no", "no", "no", "no", "no", "2026-09-10"]


def replies(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_interactive_answers_give_the_same_screen_as_the_file():
    result = run("--screening-date", "2027-01-15", "-f", "json", input=replies(*EXAMPLE_REPLIES))
    assert result.exit_code == 0, result.stderr
    assert doc(result) == doc(run("-a", str(EXAMPLE), "-f", "json"))
    # the prompts went to stderr, so stdout is pure JSON
    assert "I1 Date of birth?" in result.stderr and "E10 Date of the last" in result.stderr


def test_interactive_asks_again_after_a_bad_answer():
    bad_then_good = ["2030-01-01", "1968-09-04", "ibm", "dermatomyositis", "2026-06-20", "120", "18",
                     "2.5", "3", "perhaps", "yes", *EXAMPLE_REPLIES[6:]]
    result = run("--screening-date", "2027-01-15", "-f", "json", input=replies(*bad_then_good))
    assert result.exit_code == 0, result.stderr
    for message in ("birth_date 2030-01-01 is after the screening date 2027-01-15",
                    "diagnosis 'ibm' is not a choice", "mmt_loss_percent '120' is out of range",
                    "abnormal_core_set_measures '2.5' is not a whole number",
                    "prior_treatment_allowed 'perhaps' is not a yes/no answer"):
        assert message in " ".join(result.stderr.split())
    assert doc(result)["eligible"] is True


def test_interactive_refuses_an_onset_before_birth():
    lines = ["1990-05-01", "dermatomyositis", "1990-04-30", "2026-06-20", *EXAMPLE_REPLIES[3:]]
    result = run("--screening-date", "2027-01-15", "-f", "json", input=replies(*lines))
    assert "symptom_onset 1990-04-30 is before the date of birth 1990-05-01" in " ".join(result.stderr.split())
    assert doc(result)["criteria"][2]["answer"] == "2026-06-20"


def test_interactive_empty_answer_is_not_answered(tmp_path):
    lines = list(EXAMPLE_REPLIES)
    lines[4] = ""  # I5 skipped
    result = run("--screening-date", "2027-01-15", "-f", "json", input=replies(*lines))
    assert result.exit_code == 3
    assert doc(result)["missing"] == ["I5"]


def test_interactive_save_writes_a_file_that_reads_back(tmp_path):
    saved = tmp_path / "saved.toml"
    lines = list(EXAMPLE_REPLIES)
    lines[4] = ""
    asked = run("--screening-date", "2027-01-15", "--save", str(saved), "-f", "json", input=replies(*lines))
    assert saved.exists() and f"answers saved to {saved}" in asked.stderr
    text = saved.read_text()
    assert "screening_date = 2027-01-15" in text and "# abnormal_core_set_measures =" in text
    reread = run("-a", str(saved), "-f", "json")
    assert (reread.exit_code, doc(reread)) == (asked.exit_code, doc(asked))
    assert [p.name for p in tmp_path.iterdir()] == ["saved.toml"]  # no temporary file left behind


def test_interactive_ivig_only_asks_six_questions():
    result = run("--ivig-only", "--screening-date", "2027-01-15", "-f", "json",
                 input=replies("never", "no", "no", "no", "no", "yes"))
    assert (result.exit_code, doc(result)["failed"]) == (1, ["E7"])
    assert "I1 " not in result.stderr and "E10" not in result.stderr


def test_interactive_input_ending_early_keeps_and_saves_the_answers_given(tmp_path):
    # end of input at a prompt must keep every answer given so far
    saved = tmp_path / "a.toml"
    result = run("--screening-date", "2027-01-15", "--save", str(saved), "-f", "json",
                 input=replies("1968-09-04"))
    assert result.exit_code == 3  # undecided: the other questions are unanswered
    assert "end of input" in result.stderr
    assert "birth_date = 1968-09-04" in saved.read_text()


def test_save_to_a_missing_folder_is_refused_before_the_first_question(tmp_path):
    result = run("--save", str(tmp_path / "nope" / "a.toml"), input=replies("1968-09-04"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "I1" not in result.stderr


# --- bad input: one line on stderr, exit 2 -----------------------------------------------------

@pytest.mark.parametrize(("line", "named"), [
    ('loop_diuretic = "no"', "unknown key(s) loop_diuretic; accepted: screening_date, birth_date"),
    ('mmt_loss_percent = "ten"', "mmt_loss_percent 'ten' is not a number"),
    ("mmt_loss_percent = true", "mmt_loss_percent true is not a number"),
    ("loop_diuretics = 0", "loop_diuretics 0 is not a yes/no answer"),
    ('diagnosis = "IBM"', "diagnosis 'IBM' is not a choice"),
    ("symptom_onset = 2027-01-16", "symptom_onset 2027-01-16 is after the screening date 2027-01-15"),
    ("birth_date = 2030-01-01", "birth_date 2030-01-01 is after the screening date"),
    ("symptom_onset = 1960-01-01", "symptom_onset 1960-01-01 is before the date of birth 1968-09-04"),
    ('symptom_onset = "2026-02-30"', "'2026-02-30'"),
    ("birth_date = 1968-09-04T10:00:00", "has a time"),
    ("last_thrombosis = [2020-01-01]", "is not a date"),
    ('screening_date = "soon"', "'soon' is not a date"),
    ("[patient]", "unknown key(s) patient"),
    ("birth_date = ", "not valid TOML"),
])
def test_bad_answers_files_are_one_line_exit_2(tmp_path, line, named):
    path = answers_file(tmp_path, line)
    result = run("-a", path)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ivig-dose: error: answers file {path}: ")
    assert named in lines[0]


@pytest.mark.parametrize(("args", "named"), [
    (["-a", "/nonexistent/p.toml"], "cannot read answers file '/nonexistent/p.toml'"),
    (["-a", str(EXAMPLE), "--save", "x.toml"], "--save writes the answers given to the questions"),
    (["-a", str(EXAMPLE), "--screening-date", "2027-02-30"], "'2027-02-30'"),
    (["-a", str(EXAMPLE), "--protocol", "nosuch"], "unknown screening checklist 'nosuch'"),
    (["-a", str(EXAMPLE), "--format", "csv"], "'csv' is not one of"),
    (["-a", str(EXAMPLE), "--day-first", "--month-first"], "contradict"),
    (["--save", "/nonexistent/dir/p.toml", "--screening-date", "2027-01-15"], "cannot write answers file"),
])
def test_bad_options_are_one_line_exit_2(args, named):
    result = run(*args, input=replies(*EXAMPLE_REPLIES))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert named in lines[-1] and "Traceback" not in result.stderr


def test_answers_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes(b"diagnosis = \"\xff\"\n")
    result = run("-a", str(path))
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr


# --- checklists as data ------------------------------------------------------------------------

BUILT_IN = (ROOT / "src/ivig_dose/data/protocols/screening/timeismuscle.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "named"), [
    ('fails_when = { answer = "other" }', 'fails_when = { below = "1" }', "'fails_when.below' does not fit"),
    ('fails_when = { answer = "other" }', 'fails_when = { answer = "ibm" }', "must name answers among"),
    ('fails_when = { less_than = "18 years" }', 'fails_when = { less_than = "18 weeks" }', "'18 weeks'"),
    ('id = "I2"', 'id = "I1"', "criterion ids must be unique"),
    ('key = "diagnosis"', 'key = "screening_date"', "reserved"),
    ('answer = "choice"', 'answer = "text"', "'answer' must be one of"),
    ('question = "Diagnosis?"', 'questoin = "Diagnosis?"', "unknown field(s) questoin"),
    ('max = "100"', 'max = "x"', "'max' must be a number"),
    ('birth_date_key = "birth_date"', 'birth_date_key = "diagnosis"', "must be the key of a 'date' criterion"),
])
def test_a_broken_checklist_is_refused(tmp_path, old, new, named):
    assert old in BUILT_IN
    path = tmp_path / "checklist.toml"
    path.write_text(BUILT_IN.replace(old, new, 1), encoding="utf-8")
    result = run("-a", str(EXAMPLE), "--protocol", str(path))
    assert result.exit_code == 2
    assert f"checklist {path}" in result.stderr and named in result.stderr


def test_a_checklist_file_can_be_given_by_path(tmp_path):
    path = tmp_path / "checklist.toml"
    path.write_text(BUILT_IN, encoding="utf-8")
    assert run("-a", str(EXAMPLE), "--protocol", str(path)).exit_code == 0
