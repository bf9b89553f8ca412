"""Every text of an order file is checked for control and format characters before anything prints
or compares it (parse/order_text.py), for every reader: JSON, FHIR and CSV."""

from __future__ import annotations

import io

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.csv_table import CsvTable
from ivig_dose.parse.order_csv import read_csv_order
from ivig_dose.parse.order_json import order_from_document
from ivig_dose.parse.order_text import check_order_strings, check_order_text
from ivig_dose.render.plan_csv import render_csv
from ivig_dose.render.plan_json import plan_document
from tests.helpers import order_for

#: one of each kind refused: C0 and C1 controls, DEL, format characters (zero-width space, word
#: joiner, byte-order mark, soft hyphen, a bidi override), line and paragraph separators, a lone surrogate.
REFUSED = ["\x1b", "\x07", "\r", "\t", "\x85", "\x7f", "\u200b", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2028",
           "\u2029", "\ud800"]


@pytest.mark.parametrize("character", REFUSED)
def test_a_refused_character_is_named_with_its_place(character: str) -> None:
    with pytest.raises(InputError) as refused:
        check_order_text(f"Nano{character}gam", "order.json: product.name")
    shown = character.encode("unicode_escape").decode("ascii")
    assert str(refused.value) == (f"order.json: product.name holds the control or format character {shown} at "
                                  "position 5; accepted: printable text, as 'ivig-dose plan' writes it")


def test_printable_text_passes_unchanged_in_any_script() -> None:
    for text in ("Nanogam", "week 4", "uitgangskuur", "Octagam 10 %", "1 × 20 g", "≈73.18 kg", "日本語", ""):
        assert check_order_text(text, "x") == text


def test_a_line_break_is_allowed_only_in_a_sentence_from_a_source() -> None:
    assert check_order_text("a source\nover two lines", "x", multiline=True) == "a source\nover two lines"
    with pytest.raises(InputError):
        check_order_text("a source\rover two lines", "x", multiline=True)
    with pytest.raises(InputError):
        check_order_text("Nano\ngam", "x")
    check_order_strings({"why": [{"rule": "product", "text": "source:\nline two"}],
                         "at_risk": {"source": "label\nline two"}}, "order.json")
    with pytest.raises(InputError) as refused:
        check_order_strings({"courses": [{"name": "base\nline"}]}, "order.json")
    assert "order.json: courses[0].name holds the control or format character \\n at position 5" in str(refused.value)


def test_keys_are_checked_too() -> None:
    with pytest.raises(InputError) as refused:
        check_order_strings({"dose\u200b_g": 30}, "order.json")
    assert "order.json: dose\u200b_g holds the control or format character \\u200b at position 5" in str(refused.value)


def test_every_reader_checks_its_texts() -> None:
    document = plan_document(order_for("70"))
    document["product"]["name"] = "Nanogam\x1b[2J"
    with pytest.raises(InputError, match=r"product.name holds the control or format character \\x1b"):
        order_from_document(document, "order.json")
    rows = render_csv(order_for("70")).replace("Nanogam 100 mg/mL", "Nanogam\u200b 100 mg/mL", 1)
    with pytest.raises(InputError, match=r"row 2 product holds the control or format character \\u200b"):
        read_csv_order(CsvTable(io.StringIO(rows), "order.csv"))
