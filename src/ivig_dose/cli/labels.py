"""``ivig-dose labels``: one label per bag, eight to an A4 sheet (fpdf2, loaded only here)."""

from __future__ import annotations

from ivig_dose.cli.options import OutputPath, PatientId, PlanOptions, with_plan_options
from ivig_dose.cli.outputs import Renderer, write_from_plan


@with_plan_options
def labels(options: PlanOptions, output: OutputPath, patient_id: PatientId = None) -> None:
    """Write a label for every bag: patient, product, volume, course, day, date, setting, batch, expiry."""
    write_from_plan(options, output, patient_id, _renderer)


def _renderer() -> Renderer:
    from functools import partial

    from ivig_dose.cli.language import current
    from ivig_dose.render.labels_pdf import render_labels

    return partial(render_labels, tr=current())
