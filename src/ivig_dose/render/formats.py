"""The output formats, one name each, whichever command writes them."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """What a command can write; each command offers the ones that fit it (see ``cli.options``)."""

    table = "table"
    json = "json"
    csv = "csv"
    #: JSON Lines: one document a line, for a batch.
    jsonl = "jsonl"
    #: an HL7 FHIR R4 Bundle of draft MedicationRequests (``render.plan_fhir``); NDJSON in a batch.
    fhir = "fhir"


#: a batch output file's format, by its extension.
SUFFIXES = {".csv": Format.csv, ".json": Format.json, ".jsonl": Format.jsonl, ".ndjson": Format.jsonl}
