"""A vial as the pharmacy gives it: a pack's GS1 DataMatrix in both forms a scanner or a person writes,
or typed by hand; and a catalogue's GTINs.

The GTINs are GS1's example numbers (prefix 952, "used for demonstrations and examples of the
GS1 system"), their check digits worked by hand: for 952012345672, digits from the right weighted
3, 1, 3, ...: 2·3 + 7 + 6·3 + 5 + 4·3 + 3 + 2·3 + 1 + 0·3 + 2 + 5·3 + 9 = 84, so the check digit
is 90 - 84 = 6: 09520123456726.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivig_dose.core.errors import InputError
from ivig_dose.parse.gs1 import parse_gtin, parse_vial

GTIN_20 = "09520123456726"
GS = "\x1d"


def refused(text: str) -> str:
    with pytest.raises(InputError) as caught:
        parse_vial(text)
    said = str(caught.value)
    assert "\n" not in said
    return said


@pytest.mark.parametrize("text", [
    f"(01){GTIN_20}(17)271231(10)AB1234(21)SN1",
    f"01{GTIN_20}17271231" f"10AB1234{GS}21SN1",  # FNC1 after the variable-length lot
    f"21SN1{GS}01{GTIN_20}10AB1234{GS}17271231",  # any order of the elements
    f"]d201{GTIN_20}17271231" f"10AB1234{GS}21SN1",  # a scanner that sends the DataMatrix symbology identifier
    f"  (01) {GTIN_20} (17) 271231 (10) AB1234 (21) SN1 ",  # spaces as a person copies the printed line
])
def test_a_scan_in_either_form_reads_the_same(text):
    scan = parse_vial(text)
    assert (scan.gtin, scan.lot, scan.expiry, scan.serial) == (GTIN_20, "AB1234", date(2027, 12, 31), "SN1")
    assert scan.size_g is None and scan.company == "952012"


def test_gs1_day_00_is_the_last_day_of_the_month():
    # 280200: February 2028, a leap year, so the 29th
    assert parse_vial(f"(01){GTIN_20}(17)280200(10)AB1234").expiry == date(2028, 2, 29)


def test_the_size_in_front_and_a_gtin_13_written_as_14_digits():
    scan = parse_vial("20 g/(01)08712345678906(17)271231(10)AB1234(21)SN1")
    assert (scan.size_g, scan.gtin, scan.volume_ml) == (Decimal(20), "08712345678906", None)


@pytest.mark.parametrize(("text", "size", "lot", "expiry"), [
    ("20 g/AB1234/2027-12", Decimal(20), "AB1234", date(2027, 12, 31)),  # a month: its last day
    ("2.5 g/AB/12/2028-02", Decimal("2.5"), "AB/12", date(2028, 2, 29)),  # a lot with a slash; leap February
    ("10g / X9 / 2027-06-15", Decimal(10), "X9", date(2027, 6, 15)),
])
def test_a_typed_vial(text, size, lot, expiry):
    scan = parse_vial(text)
    assert (scan.size_g, scan.lot, scan.expiry, scan.gtin) == (size, lot, expiry, None)


def test_a_placebo_container_by_its_volume():
    scan = parse_vial("500 mL/NACL7/2028-01")
    assert (scan.volume_ml, scan.size_g, scan.lot) == (Decimal(500), None, "NACL7")


@pytest.mark.parametrize(("text", "words"), [
    # the check digit of 0952012345672 is 6 (worked above), not 5
    ("(01)09520123456725(17)271231(10)AB1234", "GTIN 09520123456725 fails its check digit (it should end in 6)"),
    (f"01{GTIN_20}17271231" "10AB1234", None),  # a control: read
    (f"(01){GTIN_20}(89)271231(10)AB1234", "(89) is not a GS1 application identifier"),
    (f"01{GTIN_20}8927123110AB1234", "'8927' does not begin with a GS1 application identifier"),
    (f"(01){GTIN_20}(15)271231(10)AB1234", "(15) BEST BEFORE or BEST BY is not on a medicine pack's code"),
    (f"(01){GTIN_20}(17)271331(10)AB1234", "the (17) USE BY or EXPIRY at '271331' is not valid"),
    (f"(01){GTIN_20}(10)AB1234", "has no (17) expiry"),
    (f"(01){GTIN_20}(17)271231", "has no (10) lot"),
    (f"(01){GTIN_20}(17)271231(10)AB(10)CD", "gives (10) twice"),
    ("AB1234/2027-12", "gives no size"),
    ("20 g/AB1234/2027-13", "the expiry is not a date"),
    ("0 g/AB1234/2027-12", "the size in front must be above 0"),
    ("20 g/ /2027-12", "gives no lot"),
    ("20 g/ABCDEFGHIJKLMNOPQRSTU/2027-12", "is 21 characters long; accepted: at most 20"),
    ("hello", "'hell' does not begin with a GS1 application identifier"),
])
def test_a_bad_vial_is_one_line_naming_it(text, words):
    if words is None:
        assert parse_vial(text).lot == "AB1234"
        return
    said = refused(text)
    assert words in said, said
    assert said.startswith("--vial ")


VIAL_ACCEPTED = ("accepted: the pack's GS1 DataMatrix as a scanner types it, or with parentheses as in "
                 "(01)GTIN(17)YYMMDD(10)LOT(21)SERIAL, with the size in front when the catalogue lists no GTIN "
                 "(20 g/(01)...); or SIZE/LOT/EXPIRY typed, as in 20 g/AB1234/2027-12")


@pytest.mark.parametrize(("text", "said"), [
    ("(01)09520123456725(17)271231(10)AB1234", "--vial '(01)09520123456725(17)271231(10)AB1234': GTIN "
     "09520123456725 fails its check digit (it should end in 6); accepted: the digits as the pack prints them"),
    ("20 g/AB1234/2027-13", "--vial '20 g/AB1234/2027-13': the expiry is not a date; accepted: a month such as "
     "2027-12 or a day such as 2027-12-31"),
    # a person copying the printed line with spaces: the AI biip stops at is still named
    (f"(01) {GTIN_20} (89) 271231", f"--vial '(01) {GTIN_20} (89) 271231': (89) is not a GS1 application "
     f"identifier; {VIAL_ACCEPTED}"),
    (f"01{GTIN_20}8927123110AB1234", f"--vial '01{GTIN_20}8927123110AB1234': '8927' does not begin with a GS1 "
     f"application identifier; {VIAL_ACCEPTED}"),
    # an expiry of seven digits in parentheses: the whole value is the (17)'s, not its first six
    (f"(01){GTIN_20}(17)2712311(10)AB1234", f"--vial '(01){GTIN_20}(17)2712311(10)AB1234': the (17) USE BY or "
     f"EXPIRY at '2712311' is not valid; {VIAL_ACCEPTED}"),
    # an expiry cut short by the scanner's FNC1: the value shown ends at the separator
    (f"01{GTIN_20}172712{GS}10AB1234", f"--vial '01{GTIN_20}172712\\x1d10AB1234': the (17) USE BY or EXPIRY at "
     f"'2712' is not valid; {VIAL_ACCEPTED}"),
    # a space after a lot is not a separator: the text from it on begins with no AI
    (f"01{GTIN_20}10AB 1234{GS}21SN1", f"--vial '01{GTIN_20}10AB 1234\\x1d21SN1': ' 123' does not begin with a GS1 "
     f"application identifier; {VIAL_ACCEPTED}"),
    # after a lot and its FNC1, the element that follows is read from its own first character
    (f"01{GTIN_20}10AB1234{GS}17271331", f"--vial '01{GTIN_20}10AB1234\\x1d17271331': the (17) USE BY or EXPIRY "
     f"at '271331' is not valid; {VIAL_ACCEPTED}"),
])
def test_a_bad_vial_is_said_whole(text, said):
    assert refused(text) == said


def test_a_scan_with_no_application_identifier_at_all_gives_biip_its_words():
    said = refused("()")
    assert said.startswith("--vial '()' is not a GS1 element string (") and said.endswith(f"); {VIAL_ACCEPTED}")


@pytest.mark.parametrize(("text", "gtin"), [
    ("09520123456726", "09520123456726"), ("9520123456726", "09520123456726"), (" 9520123456726 ", "09520123456726"),
])
def test_a_catalogue_gtin_is_kept_in_14_digits(text, gtin):
    assert parse_gtin(text, "gtins") == gtin


@pytest.mark.parametrize(("text", "words"), [
    ("9520123456725", "fails its check digit (it should end in 6)"),
    ("952012345", "is not a GTIN"),
    ("95201234567X6", "is not a GTIN"),
])
def test_a_bad_catalogue_gtin(text, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_gtin(text, "gtins")


PIECES = st.sampled_from(["(01)", "(17)", "(10)", "(21)", "(00)", "(99)", "01", "17", "10", "21", GS, "]d2", "20 g/",
                          "/", "2027-12", GTIN_20, "271200", "AB1234", "(", ")", " ", "0", "9"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=12).map("".join)))
def test_any_text_is_a_vial_or_one_line_naming_it(text):
    try:
        scan = parse_vial(text)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("--vial ")
    else:  # what is read has a lot and an expiry, and a GTIN only with its check digit right
        assert scan.lot and scan.expiry
        assert scan.gtin is None or parse_gtin(scan.gtin, "x") == scan.gtin
