"""A character no identifier may hold, named in one line: a byte that is not UTF-8, an invisible
format character, a control character; each with what it is, where it stands and the text's first
40 characters, escaped so that the message itself cannot act on a terminal."""

from __future__ import annotations

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.text import check_text


@pytest.mark.parametrize(("text", "said"), [
    # a byte 0xFF of a command line that is not UTF-8 reaches Python as the surrogate U+DCFF
    ("AB\udcffC", r"patient id 'AB\xffC' holds a byte that is not UTF-8 (\xff) at position 3; accepted: text in "
     "UTF-8"),
    ("é\udcff", r"patient id 'é\xff' holds a byte that is not UTF-8 (\xff) at position 2; accepted: text in UTF-8"),
    ("AB\udc80" + "x" * 45, r"patient id 'AB\x80" + "x" * 37 + r"' holds a byte that is not UTF-8 (\x80) at "
     "position 3; accepted: text in UTF-8"),
    ("\u200b" + "T" * 45, r"patient id '\u200b" + "T" * 39 + "' holds the invisible control character U+200B at "
     "position 1; accepted: printable text without invisible or direction-changing characters"),
    ("AB\x1b" + "y" * 45, r"patient id 'AB\x1b" + "y" * 37 + r"' holds the control character \x1b at position 3; "
     "accepted: printable text without line breaks or escapes"),
])
def test_a_refused_character_is_named_with_its_kind_and_place(text, said):
    with pytest.raises(InputError) as caught:
        check_text(text, "patient id")
    assert str(caught.value) == said
