"""What ``order``, ``calendar`` and ``labels`` share: the plan document, the generation time and
writing the file whole.

The three draw from the plan's JSON document, the same one ``plan --format json`` prints, so a
sheet, a calendar and a label can never hold a number the JSON does not.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ivig_dose import __version__
from ivig_dose.cli.options import PlanOptions
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from ivig_dose.render.provenance import Provenance

#: the last SOURCE_DATE_EPOCH accepted: 2088-01-19 03:14:07 UTC, the last generation time a calendar's
#: SEQUENCE (seconds since 2020-01-01) can count in RFC 5545's 32-bit INTEGER; one limit for every output.
MAX_EPOCH = 3725320447

#: a renderer: the plan document and where it comes from in, the file's bytes out.
Renderer = Callable[[dict[str, Any], "Provenance"], bytes]


def generated_at() -> datetime:
    """Now, in local time; or ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now().astimezone()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > MAX_EPOCH:
        raise InputError(message(N_("SOURCE_DATE_EPOCH {epoch!r} is not a time ivig-dose can write; accepted: whole "
                                    "seconds since 1970 up to {max} (2088-01-19, as far as a calendar's SEQUENCE "
                                    "counts in RFC 5545), e.g. 1798848000"), epoch=epoch[:20], max=MAX_EPOCH))
    return datetime.fromtimestamp(int(text), tz=UTC)


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
