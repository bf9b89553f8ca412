"""``ivig-dose record order``: an order checked as ``verify`` checks it, then registered in the record.

Apart from the other record commands because it takes the plan options verify needs (and their
imports), which a nurse's ``record rate`` should not pay for.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from ivig_dose.cli.options import with_some_plan_options
from ivig_dose.cli.record import At, By, Db, db_path, said_written, say
from ivig_dose.core.errors import ExitStatus
from ivig_dose.core.messages import N_
from ivig_dose.render.formats import Format

#: the plan options ``record order`` passes to the verification, as ``verify`` takes them.
VERIFY_OPTIONS = ("course_weight", "day_first", "month_first", "protocol", "height", "sex", "dosing_weight",
                  "pregnant", "products", "product", "round_to", "max_rate", "risk", "indication", "age")


@with_some_plan_options(*VERIFY_OPTIONS)
def order(
    values: dict[str, Any],
    file: Annotated[str, typer.Argument(
        metavar="FILE", help="The order: plan JSON, a FHIR Bundle (plan -f fhir) or plan CSV; - reads stdin.")],
    by: By,
    patient_id: Annotated[str | None, typer.Option(
        "--patient-id", help="The patient's or study number; a FHIR order names its own.")] = None,
    weight: Annotated[str | None, typer.Option(
        "--weight", "-w", help="Body weight to check the order's against.")] = None,
    at: At = None,
    db: Db = None,
) -> int:
    """Register an order after checking it as verify does: a non-matching order is refused (exit 1).

    Its bags are numbered as on the labels; each keeps its pump program, which every rate recorded later is held
    to.
    """
    from ivig_dose.app.record_order import VerifyOptions, register_order
    from ivig_dose.cli.language import current
    from ivig_dose.cli.verify import write_verification
    from ivig_dose.parse.plan_inputs import day_order
    from ivig_dose.parse.record_inputs import parse_by

    sex, basis = values["sex"], values["dosing_weight"]
    options = VerifyOptions(
        values["protocol"], values["products"], values["product"], values["round_to"], values["max_rate"],
        values["indication"], tuple(sorted({r.value for r in values["risk"] or ()})), weight,
        tuple(values["course_weight"] or ()), values["height"], sex.value if sex else None,
        basis.value if basis else None, values["pregnant"], day_order(values["day_first"], values["month_first"]),
        values["age"])
    written, verification = register_order(db_path(db, write=True), file, patient_id, parse_by(by), at, options)
    if written is None:
        write_verification(verification, Format.table)
        sys.stderr.write(current()(N_("ivig-dose: the order does not match the protocol: nothing was registered"))
                         + "\n")
        return int(ExitStatus.NOT_OK)
    say(current()(N_("verified: all {count} values of the order agree with the protocol"),
                  count=len(verification.comparisons)))
    said_written(written)
    return int(ExitStatus.OK)


