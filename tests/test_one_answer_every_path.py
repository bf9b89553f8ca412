"""One answer on every path: whole requests drawn at random give the same plan through
`plan`, `batch` (stdout and each row's stderr), the Python API, `verify` of the plan's order (JSON
and CSV) and `batch --verify` of batch's own output.

A request is every input a plan has: the weight in any unit, start, arm, days, a weight for any of
the later courses, height, sex, pregnancy, dosing-weight basis, age and risks (per patient), and the
protocol, product, indication, pump limit, rounding and blinding (per run). The batch holds three
patients of one run: the drawn one, the same one on another start (which `batch` renders from a
shared template) and another weight on a third start, each held to its own `plan`.

No output may hold a date the request did not give rise to: every ISO date printed falls between
the patient's start and their plan's last infusion (the shared templates of `batch` are made at a
placeholder start in the year 1000, which must never leak), and no row holds another's.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import Plan
from ivig_dose.core.weight_shown import weight_text
from ivig_dose.render.plan_json import plan_document

runner = CliRunner()
DATA = Path(ivig_dose.__file__).parent / "data"
#: dates the shipped data itself prints (protocol and catalogue versions): not the request's, but given
DATA_DATES = {date.fromisoformat(found) for path in DATA.rglob("*.toml")
              for found in re.findall(r"\d{4}-\d\d-\d\d", path.read_text(encoding="utf-8"))}
#: a site's own protocol with a default rounding, which every path must apply alike
SITE = Path(tempfile.mkdtemp()) / "site-5g.toml"
SITE.write_text((DATA / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
                + '\n[options.rounding]\nvalue = "5 g"\nrule = "R2"\nsource = "test: a site rounds to 5 g"\n',
                encoding="utf-8")
ISO = re.compile(r"\d{4}-\d\d-\d\d")
SITE_PROTOCOL = "site-5g"
#: the later courses a weight may be given for, as a list's column and --course-weight name them
LATER_COURSES = {"timeismuscle": ("week4", "week8"), "octagam-dermatomyositis": ("week4", "week12", "week36"),
                 "standard-5-day": (), SITE_PROTOCOL: ("week4", "week8")}
PRODUCTS = {"timeismuscle": ["nanogam", "octagam-10"], "octagam-dermatomyositis": ["octagam-10-dm", "privigen"],
            "standard-5-day": ["octagam-10", "gamunex-c"], SITE_PROTOCOL: ["nanogam", "privigen"]}
IDS = ("P-A", "P-B", "P-C")
#: 25 in the suite; a long run: PATH_EXAMPLES=500 python -m pytest tests/test_one_answer_every_path.py
EXAMPLES = int(os.environ.get("PATH_EXAMPLES", "25"))


@dataclass(frozen=True)
class Drawn:
    protocol: str
    weight: str
    start: date
    arm: str
    days: int | None
    later_weights: tuple[tuple[str, str], ...]
    height: str | None
    sex: str | None
    basis: str | None
    pregnant: bool
    age: str | None
    risks: tuple[str, ...]
    product: str | None
    indication: str | None
    max_rate: str | None
    round_to: str | None
    blinded: bool

    def plan_options(self) -> list[str]:
        args = ["--weight", self.weight, "--start", self.start.isoformat(), "--arm", self.arm]
        if self.days is not None:
            args += ["--days", str(self.days)]
        for course, weight in self.later_weights:
            args += ["--course-weight", f"{course}={weight}"]
        for flag, value in (("--height", self.height), ("--sex", self.sex), ("--dosing-weight", self.basis),
                            ("--age", self.age)):
            if value is not None:
                args += [flag, value]
        if self.pregnant:
            args.append("--pregnant")
        for risk in self.risks:
            args += ["--risk", risk]
        return args + self.run_options()

    @property
    def protocol_option(self) -> str:
        return str(SITE) if self.protocol == SITE_PROTOCOL else self.protocol

    def run_options(self) -> list[str]:
        args = ["--protocol", self.protocol_option]
        for flag, value in (("--product", self.product), ("--max-rate", self.max_rate), ("--round", self.round_to),
                            ("--indication", self.indication)):
            if value is not None:
                args += [flag, value]
        return args + (["--blinded"] if self.blinded else [])

    def api(self) -> Plan | InputError:
        try:
            return ivig_dose.plan(
                self.weight, start=self.start.isoformat(), arm=self.arm, days=self.days,
                course_weights=dict(self.later_weights) or None, height=self.height, sex=self.sex,
                dosing_weight=self.basis, pregnant=self.pregnant, age=self.age, risk=self.risks,
                protocol=self.protocol_option, product=self.product, round_to=self.round_to,
                max_rate=self.max_rate, indication=self.indication)
        except InputError as exc:
            return exc

    def row(self, patient_id: str) -> str:
        later = dict(self.later_weights)
        cells = [patient_id, self.weight, self.start.isoformat(), self.arm,
                 "" if self.days is None else str(self.days), self.height or "", self.sex or "", self.basis or "",
                 "yes" if self.pregnant else "", self.age or "", "+".join(self.risks),
                 *(later.get(course, "") for course in LATER_COURSES[self.protocol])]
        return ",".join(f'"{cell}"' for cell in cells)

    def header(self) -> str:
        later = "".join(f",{course}_weight" for course in LATER_COURSES[self.protocol])
        return f"patient_id,weight,start,arm,days,height,sex,dosing_weight,pregnant,age,risk{later}"


def kilograms(kg: Decimal) -> st.SearchStrategy[str]:
    """A weight of ``kg`` as a person may type it: kg, g or lb (158.7 lb is read exactly, R1)."""
    return st.sampled_from([f"{kg}", f"{kg} kg", f"{kg}kg", f"{kg * 1000:.0f} g", f"{kg * 2:.1f} lb"])


@st.composite
def drawn(draw: st.DrawFn) -> Drawn:
    protocol = draw(st.sampled_from(sorted(LATER_COURSES)))
    weight = draw(kilograms(draw(st.decimals(min_value="38", max_value="160", places=1))))
    later = draw(st.lists(st.sampled_from(LATER_COURSES[protocol]), unique=True, max_size=3)
                 ) if LATER_COURSES[protocol] else []
    later_weights = tuple((course, draw(kilograms(draw(st.decimals(min_value="40", max_value="150", places=1)))))
                          for course in later)
    sex = draw(st.none() | st.sampled_from(["female", "male"]))
    return Drawn(
        protocol=protocol,
        weight=weight,
        start=draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))),
        arm=draw(st.sampled_from(["ivig", "placebo"])) if protocol in ("timeismuscle", SITE_PROTOCOL) else "ivig",
        days=draw(st.none() | st.none() | st.integers(min_value=1, max_value=6)),
        later_weights=later_weights,
        height=draw(st.none() | st.sampled_from(["150", "165 cm", "1.78 m", "5 ft 10 in", "6 ft 4 in"])),
        sex=sex,
        basis=draw(st.none() | st.none() | st.sampled_from(["actual", "ideal", "adjusted"])),
        pregnant=draw(st.booleans()) if sex != "male" else False,
        age=draw(st.none() | st.sampled_from(["17", "45", "80.5"])),
        risks=draw(st.sampled_from([(), (), (), (), ("thrombosis",), ("renal",), ("thrombosis", "renal")])),
        product=draw(st.none() | st.sampled_from(PRODUCTS[protocol])),
        indication=draw(st.sampled_from([None, None, None, None, "pi", "itp", "cidp", "dermatomyositis"])),
        max_rate=draw(st.none() | st.sampled_from(["300 mL/h", "4.8 mL/kg/h", "2 mg/kg/min"])),
        round_to=draw(st.none() | st.sampled_from(["vials", "5g", "none"])),
        blinded=draw(st.booleans()),
    )


def warnings_of(stderr: str) -> list[str]:
    return [line.removeprefix("ivig-dose: warning: ") for line in stderr.splitlines()
            if line.startswith("ivig-dose: warning: ")]


def dates_in(text: str) -> set[date]:
    return {date.fromisoformat(found) for found in ISO.findall(text)}


def days_of(document: dict) -> set[date]:
    """Every day from the plan's start to its last infusion: the dates its output may hold."""
    first = date.fromisoformat(document["courses"][0]["start"])
    last = date.fromisoformat(max(day["date"] for course in document["courses"] for day in course["days"]))
    return {first + timedelta(days=n) for n in range((last - first).days + 1)} | DATA_DATES


def reason_of(stderr: str) -> str:
    return stderr.strip().splitlines()[-1].removeprefix("ivig-dose: error: ")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(request=drawn(), other=st.decimals(min_value="38", max_value="160", places=1),
       shifts=st.tuples(st.integers(1, 400), st.integers(1, 400)))
def test_every_path_gives_the_same_answer(tmp_path_factory, request: Drawn, other: Decimal,
                                          shifts: tuple[int, int]):
    folder = tmp_path_factory.mktemp("paths")
    # the same patient on another start shares a template in batch; another weight does not
    patients = (request, replace(request, start=request.start + timedelta(days=shifts[0])),
                replace(request, weight=str(other), start=request.start + timedelta(days=shifts[1])))
    planned = [runner.invoke(app, ["plan", "-f", "json", *patient.plan_options()]) for patient in patients]
    listed = folder / "patients.csv"
    listed.write_text("\n".join([request.header(), *(p.row(i) for p, i in zip(patients, IDS, strict=True))]) + "\n",
                      encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(listed), "-f", "jsonl", *request.run_options()])

    if batched.exit_code == 2:
        # the run itself is refused (a product, an indication, a limit): every patient is, alike
        assert not batched.stdout
        assert all(done.exit_code == 2 for done in planned), [done.stderr for done in planned]
        assert reason_of(batched.stderr) == reason_of(planned[0].stderr)
        assert isinstance(request.api(), InputError)
        event("the run refused")
        return
    rows = {}
    for line in batched.stdout.splitlines():
        row = json.loads(line)
        rows[row.pop("patient_id")] = row
    run_wide = [w for w in warnings_of(batched.stderr) if not w.startswith("row ")]
    for number, (patient, patient_id, done) in enumerate(zip(patients, IDS, planned, strict=True), start=2):
        api = patient.api()
        own = f"row {number}, patient_id {patient_id}: "
        if done.exit_code != 0:
            # refused on one path, refused on all, with the same reason
            assert done.exit_code == 2, done.stderr
            assert isinstance(api, InputError) and api.message == reason_of(done.stderr)
            assert f"ivig-dose: error: {own}{api.message}" in batched.stderr.splitlines()
            assert patient_id not in rows
            event("a patient refused")
            continue
        event("a patient planned")
        assert not isinstance(api, InputError), api.message
        document = json.loads(done.stdout)
        # the weight as typed: its number and unit as given (a bare number is kg), the same text on every path
        number, unit = re.fullmatch(r"([0-9.]+) ?([a-z]*)", patient.weight).groups()  # type: ignore[union-attr]
        assert document["weight_as_typed"] == f"{Decimal(number).normalize():f} {unit or 'kg'}"
        assert api.weight_text == weight_text(Decimal(str(document["weight_kg"])), document["weight_as_typed"])
        # the Python API: the same document (blinding is a rendering choice; compare unblinded)
        if not request.blinded:
            assert json.loads(json.dumps(plan_document(api), default=str)) == document
        # batch: the same document under the patient's id, and the same warnings, each with its row
        assert rows[patient_id] == document
        per_row = [w.removeprefix(own) for w in warnings_of(batched.stderr) if w.startswith(own)]
        assert sorted(per_row + run_wide) == sorted(warnings_of(done.stderr))
        # no date the request did not give rise to, on any path, and none of another row's
        allowed = days_of(document)
        for text in (done.stdout, done.stderr, json.dumps(rows[patient_id]),
                     *(line for line in batched.stderr.splitlines() if own in line)):
            assert dates_in(text) <= allowed, text
        if not request.blinded:
            verify_the_order(folder, patient, done.stdout)
    assert batched.exit_code == (1 if len(rows) < len(patients) else 0), batched.stderr
    # batch --verify has no --risk, --height, --sex, --pregnant or --age (an order holds none of
    # them: see the README's verify section), so the orders of patients at risk or dosed with
    # --dosing-weight ideal or adjusted are checked by verify alone, above
    if rows and not request.blinded and not request.risks and request.basis not in ("ideal", "adjusted"):
        checked = runner.invoke(app, ["batch", "--verify", "-", "-f", "jsonl", *verify_options(request)],
                                input=batched.stdout)
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        assert [(json.loads(line)["patient_id"], json.loads(line)["match"]) for line in checked.stdout.splitlines()
                ] == [(patient_id, True) for patient_id in IDS if patient_id in rows]


def verify_options(request: Drawn) -> list[str]:
    """The options an order is checked with: those it was made with that an order does not hold."""
    args = ["--protocol", request.protocol_option]
    # the pump programs are compared, so the pump's limit is given as the order was made
    for flag, value in (("--product", request.product), ("--round", request.round_to),
                        ("--max-rate", request.max_rate), ("--indication", request.indication)):
        if value is not None:
            args += [flag, value]
    return args


def verify_the_order(folder: Path, patient: Drawn, order_json: str) -> None:
    """`verify` of the plan's own order, as JSON and as CSV, is a match (a blinded one holds no doses)."""
    order = folder / "order.json"
    order.write_text(order_json, encoding="utf-8")
    document = json.loads(order_json)
    shown = weight_text(Decimal(str(document["weight_kg"])), document["weight_as_typed"])
    csv_order = folder / "order.csv"
    csv_order.write_text(runner.invoke(app, ["plan", "-f", "csv", *patient.plan_options()]).stdout, encoding="utf-8")
    args = verify_options(patient)
    for flag, value in (("--height", patient.height), ("--sex", patient.sex), ("--age", patient.age)):
        if value is not None:
            args += [flag, value]
    args += [f"--risk={risk}" for risk in patient.risks]
    if patient.pregnant:
        args.append("--pregnant")
    # a CSV order states each row's dosing weight, not the basis it was chosen on: the checker names it
    chosen = ["--dosing-weight", patient.basis] if patient.basis is not None else []
    for path, named in ((order, []), (csv_order, chosen)):
        verified = runner.invoke(app, ["verify", str(path), *args, *named])
        assert verified.exit_code == 0, (path.suffix, verified.stdout + verified.stderr)
        assert f"weight: {shown} (from the order: confirm it)" in verified.stdout, path.suffix
