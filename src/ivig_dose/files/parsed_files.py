"""Protocol and catalogue files parsed once per text, so that planning patient after patient
through the Python API does not read and check the same TOML on every call.

:func:`ivig_dose.plan` sets up its run on every call (the protocol, the product, the rounding),
and parsing and checking the protocol and the product catalogue took about 5 ms of the 6 ms a
call cost; the plan itself takes about 0.5 ms. So the checked result is remembered, keyed by all
that it is made from: the parser, the file's whole text and its origin (the path or built-in name
that messages and the catalogue's label quote). The file is still read on every call, so:

- a file edited between two calls has another text, and is parsed afresh;
- two files never share an entry, however alike their text: their origins differ;
- a protocol's text is never taken for a catalogue's: the parser is part of the key;
- a refused file raises, and nothing is kept for it.

What is kept is frozen (:class:`~ivig_dose.core.protocol.Protocol`,
:class:`~ivig_dose.core.products.Catalogue`) and nothing changes it, so callers may share it. At
most :data:`KEPT` are kept, the least recently used going first: a file holds at most 1 MiB, so
this holds a few MiB at worst, and a run uses one protocol and one catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

#: parsed files kept: one protocol and one catalogue per run, and room for a few more.
KEPT = 8


@lru_cache(maxsize=KEPT)
def parsed(parse: Callable[[str, str], T], text: str, origin: str) -> T:
    """``parse(text, origin)``, remembered: the same parser, text and origin give the same object.

    lru_cache hides from mypy the type a call returns, so a caller names it:
    ``protocol: Protocol = parsed(parse_protocol, text, origin)``.
    """
    return parse(text, origin)
