"""One answer on every path (issue 15): whole requests drawn at random give the same plan through
`plan`, `batch` (stdout and each row's stderr), the Python API, and `verify` of the plan's order.

No output may hold a date the request did not give rise to: every ISO date printed falls between
the start and the plan's last infusion (the shared templates of `batch` are made at a placeholder
start in the year 1000, which must never leak).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.core.weight_shown import weight_text
from ivig_dose.render.plan_json import plan_document

runner = CliRunner()
DATA = Path(ivig_dose.__file__).parent / "data"
#: dates the shipped data itself prints (protocol and catalogue versions): not the request's, but given
DATA_DATES = {date.fromisoformat(found) for path in DATA.rglob("*.toml")
              for found in re.findall(r"\d{4}-\d\d-\d\d", path.read_text(encoding="utf-8"))}
#: a site's own protocol with a default rounding (issue 14's bug: batch and verify ignored it)
SITE = Path(tempfile.mkdtemp()) / "site-5g.toml"
SITE.write_text((DATA / "protocols" / "timeismuscle.toml").read_text(encoding="utf-8")
                + '\n[options.rounding]\nvalue = "5 g"\nrule = "R2"\nsource = "test: a site rounds to 5 g"\n',
                encoding="utf-8")
ISO = re.compile(r"\d{4}-\d\d-\d\d")
SITE_PROTOCOL = "site-5g"
LATER_COURSE = {"timeismuscle": "week4", "octagam-dermatomyositis": "week4", "standard-5-day": None,
                SITE_PROTOCOL: "week4"}
PRODUCTS = {"timeismuscle": ["nanogam", "octagam-10"], "octagam-dermatomyositis": ["octagam-10-dm", "privigen"],
            "standard-5-day": ["octagam-10", "gamunex-c"], SITE_PROTOCOL: ["nanogam", "privigen"]}


@dataclass(frozen=True)
class Drawn:
    protocol: str
    weight: str
    start: date
    arm: str
    days: int | None
    later_weight: str | None
    height: str | None
    sex: str | None
    basis: str | None
    pregnant: bool
    product: str | None
    max_rate: str | None
    round_to: str | None
    blinded: bool

    def plan_options(self) -> list[str]:
        args = ["--weight", self.weight, "--start", self.start.isoformat(), "--arm", self.arm]
        if self.days is not None:
            args += ["--days", str(self.days)]
        if self.later_weight is not None:
            args += ["--course-weight", f"{LATER_COURSE[self.protocol]}={self.later_weight}"]
        for flag, value in (("--height", self.height), ("--sex", self.sex), ("--dosing-weight", self.basis)):
            if value is not None:
                args += [flag, value]
        if self.pregnant:
            args.append("--pregnant")
        return args + self.run_options()

    @property
    def protocol_option(self) -> str:
        return str(SITE) if self.protocol == SITE_PROTOCOL else self.protocol

    def run_options(self) -> list[str]:
        args = ["--protocol", self.protocol_option]
        for flag, value in (("--product", self.product), ("--max-rate", self.max_rate), ("--round", self.round_to)):
            if value is not None:
                args += [flag, value]
        return args + (["--blinded"] if self.blinded else [])

    def row(self) -> str:
        cells = [self.weight, self.start.isoformat(), self.arm, "" if self.days is None else str(self.days),
                 self.height or "", self.sex or "", self.basis or "", "yes" if self.pregnant else ""]
        if LATER_COURSE[self.protocol]:
            cells.append(self.later_weight or "")
        return ",".join(f'"{cell}"' for cell in cells)

    def header(self) -> str:
        later = f",{LATER_COURSE[self.protocol]}_weight" if LATER_COURSE[self.protocol] else ""
        return f"patient_id,weight,start,arm,days,height,sex,dosing_weight,pregnant{later}"


@st.composite
def drawn(draw: st.DrawFn) -> Drawn:
    protocol = draw(st.sampled_from(sorted(LATER_COURSE)))
    kg = draw(st.decimals(min_value="38", max_value="160", places=1))
    weight = draw(st.sampled_from([f"{kg}", f"{kg} kg", f"{kg * 1000:.0f} g", f"{kg * 2:.1f} lb"]))
    later = draw(st.none() | st.decimals(min_value="40", max_value="150", places=1).map(lambda d: f"{d}kg"))
    sex = draw(st.none() | st.sampled_from(["female", "male"]))
    return Drawn(
        protocol=protocol,
        weight=weight,
        start=draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))),
        arm=draw(st.sampled_from(["ivig", "placebo"])) if protocol in ("timeismuscle", SITE_PROTOCOL) else "ivig",
        days=draw(st.none() | st.integers(min_value=1, max_value=6)),
        later_weight=later if LATER_COURSE[protocol] else None,
        height=draw(st.none() | st.sampled_from(["150", "165 cm", "1.78 m", "5 ft 10 in", "6 ft 4 in"])),
        sex=sex,
        basis=draw(st.none() | st.sampled_from(["actual", "ideal", "adjusted"])),
        pregnant=draw(st.booleans()) if sex != "male" else False,
        product=draw(st.none() | st.sampled_from(PRODUCTS[protocol])),
        max_rate=draw(st.none() | st.sampled_from(["300 mL/h", "4.8 mL/kg/h", "2 mg/kg/min"])),
        round_to=draw(st.none() | st.sampled_from(["vials", "5g", "none"])),
        blinded=draw(st.booleans()),
    )


def warnings_of(stderr: str) -> list[str]:
    return [line.removeprefix("ivig-dose: warning: ") for line in stderr.splitlines()
            if line.startswith("ivig-dose: warning: ")]


def dates_in(text: str) -> set[date]:
    return {date.fromisoformat(found) for found in ISO.findall(text)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(request=drawn())
def test_every_path_gives_the_same_answer(tmp_path_factory, request: Drawn):
    folder = tmp_path_factory.mktemp("paths")
    planned = runner.invoke(app, ["plan", "-f", "json", *request.plan_options()])
    patients = folder / "patients.csv"
    patients.write_text(f"{request.header()}\nP1,{request.row()}\n", encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(patients), "-f", "jsonl", *request.run_options()])
    try:
        api = ivig_dose.plan(
            request.weight, start=request.start.isoformat(), arm=request.arm, days=request.days,
            course_weights={LATER_COURSE[request.protocol]: request.later_weight} if request.later_weight else None,
            height=request.height, sex=request.sex, dosing_weight=request.basis, pregnant=request.pregnant,
            protocol=request.protocol_option, product=request.product, round_to=request.round_to,
            max_rate=request.max_rate)
    except InputError as exc:
        api = exc

    if planned.exit_code != 0:
        # refused on one path, refused on all, with the same reason
        assert planned.exit_code == 2, planned.stderr
        reason = planned.stderr.strip().removeprefix("ivig-dose: error: ")
        assert isinstance(api, InputError) and api.message == reason
        assert batched.exit_code in (1, 2) and not batched.stdout
        return
    assert not isinstance(api, InputError), api.message
    document = json.loads(planned.stdout)

    # the weight as typed: its number and unit as given (a bare number is kg), the same text on every path
    number, _, unit = request.weight.partition(" ")
    assert document["weight_as_typed"] == f"{Decimal(number).normalize():f} {unit or 'kg'}"
    shown = weight_text(Decimal(str(document["weight_kg"])), document["weight_as_typed"])
    assert api.weight_text == shown

    # the Python API: the same document (blinding is a rendering choice; compare unblinded)
    if not request.blinded:
        assert json.loads(json.dumps(plan_document(api), default=str)) == document

    # batch: the same document with the patient's id, and the same warnings, each with its row
    assert batched.exit_code == 0, batched.stderr
    row = json.loads(batched.stdout)
    assert row.pop("patient_id") == "P1"
    assert row == document
    run_wide = {w for w in warnings_of(batched.stderr) if not w.startswith("row 2, patient_id P1: ")}
    per_row = [w.removeprefix("row 2, patient_id P1: ") for w in warnings_of(batched.stderr) if w not in run_wide]
    assert sorted(per_row + sorted(run_wide)) == sorted(warnings_of(planned.stderr))

    # no date the request did not give rise to, on any path
    last = max(day["date"] for course in document["courses"] for day in course["days"])
    allowed = {request.start + timedelta(days=n) for n in range((date.fromisoformat(last) - request.start).days + 1)}
    for text in (planned.stdout, planned.stderr, batched.stdout, batched.stderr):
        assert dates_in(text) <= allowed | DATA_DATES, text

    # verify of the plan's own order is a match (a blinded order holds no doses to check)
    if not request.blinded:
        order = folder / "order.json"
        order.write_text(planned.stdout, encoding="utf-8")
        verify_args = ["verify", str(order), "--protocol", request.protocol_option]
        # the pump programs are compared (issue 17), so the pump's limit is given as the order was made
        for flag, value in (("--height", request.height), ("--sex", request.sex), ("--product", request.product),
                            ("--round", request.round_to), ("--max-rate", request.max_rate)):
            if value is not None:
                verify_args += [flag, value]
        if request.pregnant:
            verify_args.append("--pregnant")
        verified = runner.invoke(app, verify_args)
        assert verified.exit_code == 0, verified.stdout + verified.stderr
        assert f"weight: {shown} (from the order: confirm it)" in verified.stdout
