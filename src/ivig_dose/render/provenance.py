"""Where a printed output comes from: tool and protocol versions, generation time, input digest.

Printed on every sheet so a page found on a ward can be traced back and re-checked with
``ivig-dose plan --format json`` (same inputs, same ``input_digest``).
"""

from __future__ import annotations

from datetime import datetime

from ivig_dose.core.messages import N_
from ivig_dose.core.records import frozen
from ivig_dose.render.document_text import Document
from ivig_dose.render.translator import ENGLISH, Translator


@frozen
class Provenance:
    """What the plan document does not hold: who made the output, when, and for whom."""

    tool_version: str
    generated: datetime
    patient_id: str | None = None


def generated_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M %z")


def catalogue_text(document: Document, tr: Translator = ENGLISH) -> str:
    """The vial catalogue's version when the plan used one; none when it picked no vials."""
    version = document.get("catalogue_version")
    if version:
        return tr(N_("catalogue {version}"), version=version)
    uses_vials = any(s.get("vials") is not None for c in document["courses"] for d in c["days"]
                     for s in d["segments"])
    return tr(N_("catalogue version not recorded")) if uses_vials else tr(N_("catalogue: none (no vials picked)"))


def footer_text(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> str:
    return " · ".join((
        f"ivig-dose {provenance.tool_version}",
        tr(N_("protocol {protocol} {version}"), protocol=document["protocol"], version=document["protocol_version"]),
        catalogue_text(document, tr),
        tr(N_("generated {time}"), time=generated_text(provenance.generated)),
        tr(N_("input digest {digest}"), digest=document["input_digest"]),
    ))
