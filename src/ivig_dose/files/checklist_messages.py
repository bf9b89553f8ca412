"""A Babel extractor for the screening checklists: their questions are text for people too.

A checklist is data (``data/protocols/screening/*.toml``), not code, so ``pybabel extract`` finds
its texts through this function (named in ``[tool.babel]`` of ``pyproject.toml``): the checklist's
name and each criterion's requirement, question and help. Its ``source`` quotes the trial text
and stays as written; answer keys and choices are what an answers file holds, so they stay too.
``ivig-dose screen`` then asks the catalogue for each text; a site's own checklist, which no
catalogue knows, is shown as written. Never imported when the command runs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import IO, Any

#: the texts of a criterion a person reads, in the order a translator meets them.
TEXTS = ("requirement", "question", "help")


def messages(data: Mapping[str, Any]) -> Iterator[str]:
    """Every text of a parsed checklist that is shown to a person."""
    if isinstance(data.get("name"), str):
        yield data["name"]
    for criterion in data.get("criteria", []):
        for key in TEXTS:
            text = criterion.get(key)
            if isinstance(text, str) and text:
                yield text


def extract(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor interface: (line, function name, message, comments) for each text."""
    raw = fileobj.read().decode("utf-8")
    lines = raw.splitlines()
    for text in messages(tomllib.loads(raw)):
        line = next((number for number, content in enumerate(lines, 1) if text in content), 0)
        yield line, "", text, []
