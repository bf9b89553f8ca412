"""``ivig-dose order``: the pharmacy order sheet as an A4 PDF (fpdf2, loaded only here)."""

from __future__ import annotations

from ivig_dose.cli.options import OutputPath, PatientId, PlanOptions, with_plan_options
from ivig_dose.cli.outputs import Renderer, write_from_plan


@with_plan_options
def order(options: PlanOptions, output: OutputPath, patient_id: PatientId = None) -> None:
    """Write the order sheet to prepare, double-check and sign: every bag, caps, warnings, sign-off."""
    write_from_plan(options, output, patient_id, _renderer)


def _renderer() -> Renderer:
    from functools import partial

    from ivig_dose.cli.language import current
    from ivig_dose.render.order_pdf import render_order

    return partial(render_order, tr=current())
