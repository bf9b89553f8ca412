"""What ``order``, ``calendar`` and ``labels`` share: the plan document, the generation time and
writing the file whole.

The three draw from the plan's JSON document, the same one ``plan --format json`` prints, so a
sheet, a calendar and a label can never hold a number the JSON does not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ivig_dose import __version__
from ivig_dose.cli.options import PlanOptions
from ivig_dose.core.messages import N_

if TYPE_CHECKING:
    from ivig_dose.render.provenance import Provenance

#: a renderer: the plan document and where it comes from in, the file's bytes out.
Renderer = Callable[[dict[str, Any], "Provenance"], bytes]


def generated_at() -> datetime:
    """Now, in local time; or ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible files."""
    from ivig_dose.app.clock import now

    return now()


def write_from_plan(
    options: PlanOptions, output: str, patient_id: str | None, load_renderer: Callable[[], Renderer]
) -> None:
    """Checks the output path, plans, renders the plan document and writes the file whole.

    The path is checked first, so a typo in it costs nothing and prints nothing else; the
    renderer (and its PDF or calendar library, a second to import) is loaded only after that.
    The renderer gets the plan document and the Provenance.
    """
    from ivig_dose.files.atomic import check_target, refuse_same_file, write_atomically
    from ivig_dose.parse.text import check_id
    from ivig_dose.render.plan_json import plan_document
    from ivig_dose.render.provenance import Provenance

    check_target(output)
    refuse_same_file(output, {"--protocol": options.protocol, "--products": options.products})
    if patient_id is not None:
        check_id(patient_id, "--patient-id")
    generated = generated_at()
    plan = options.plan()
    render = load_renderer()
    from ivig_dose.cli.language import current, warn

    warn(plan.warnings)
    provenance = Provenance(tool_version=__version__, generated=generated, patient_id=patient_id)
    write_atomically(output, render(plan_document(plan, options.blinded), provenance))
    sys.stderr.write(current()(N_("ivig-dose: wrote {file}"), file=output) + "\n")
