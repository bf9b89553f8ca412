"""A bag's preparation, as the core checks it: the pick list, the product, the expiry, one brand a day;
where a new lot restarts the titration; one order seen blinded and unblinded; a blinded bag's kit.

The bag is the worked example's first: 300 mL (30 g of Nanogam 100 mg/mL: one 20 g and one 10 g
vial) for 2026-11-02, program 42 → 84 → 168 mL/h, 30 minutes a step. Nothing here touches a file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.core.blinding import kit_id
from ivig_dose.core.errors import InputError
from ivig_dose.core.preparation import (
    Place,
    Preparation,
    Vial,
    VialScan,
    checked_vials,
    lot_starts,
    one_brand,
    unchecked_warnings,
    vial_at,
)
from ivig_dose.core.record import Stored, canonical
from ivig_dose.core.record_order import Bag, OrderedProduct, OrderViews, Registered, View
from ivig_dose.core.remaining import continue_with_lots
from ivig_dose.files.catalogue import load_catalogue
from ivig_dose.parse.gs1 import parse_vial
from tests.record_helpers import (
    FIVE_PERCENT_5,
    NANOGAM_10,
    NANOGAM_20,
    OCTAGAM_20,
    UNLISTED,
    UNLISTED_OTHER,
    site_catalogue,
)

D = Decimal
RATES = (D(42), D(84), D(168))
BAG = Bag(1, "baseline", 1, "hospital", date(2026, 11, 2), D(300), D(30), RATES, 30, ((D(20), 1), (D(10), 1)))
NANOGAM = OrderedProduct("ivig", "Nanogam", D(100))
ORDER = Registered("timeismuscle", "2026-11-25", False, NANOGAM, D(180), D(1800), (BAG,), "nanogam")
PLACEBO_BAG = replace(BAG, dose_g=D(0), vials=())
PLACEBO = Registered("timeismuscle", "2026-11-25", False, OrderedProduct("placebo", "NaCl 0.9%", None), D(180),
                     D(1800), (PLACEBO_BAG,))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return load_catalogue(str(site_catalogue(tmp_path_factory.mktemp("site"))))


@pytest.fixture(scope="module")
def built_in():
    return load_catalogue()


def scan(gtin: str, lot: str = "AB1234", expiry: str = "271231", front: str = "") -> VialScan:
    return parse_vial(f"{front}(01){gtin}(17){expiry}(10){lot}")


def check(scans, catalogue, order=ORDER, bag=BAG):
    product = next((p for p in catalogue.products if p.id == order.catalogue_id), None)
    return checked_vials(order, bag, scans, catalogue, product)


def refusal(scans, catalogue, order=ORDER, bag=BAG) -> str:
    with pytest.raises(InputError) as caught:
        check(scans, catalogue, order, bag)
    return str(caught.value)


def test_scanned_vials_of_the_pick_list_take_their_sizes_from_the_catalogue(site):
    vials = check([scan(NANOGAM_10, "CD5678"), scan(NANOGAM_20)], site)  # in any order
    # 10 g and 20 g of 100 mg/mL: 100 mL and 200 mL
    assert [(v.size_g, v.volume_ml, v.lot, v.listed) for v in vials] == [
        (D(10), D(100), "CD5678", "nanogam"), (D(20), D(200), "AB1234", "nanogam")]
    assert unchecked_warnings(vials) == []


@pytest.mark.parametrize(("gtins", "words"), [
    ([NANOGAM_20, NANOGAM_20], "the vials given for bag 1 are 2 × 20 g; its pick list is 1 × 20 g + 1 × 10 g"),
    ([NANOGAM_20], "the vials given for bag 1 are 1 × 20 g; its pick list is 1 × 20 g + 1 × 10 g"),
    ([NANOGAM_20, NANOGAM_10, NANOGAM_10], "are 1 × 20 g + 2 × 10 g;"),
    ([NANOGAM_20, OCTAGAM_20], "vial 2 ((01)09520987654313(17)271231(10)AB1234): GTIN 09520987654313 is Octagam 10% "
                               "in the catalogue, another product than the order's Nanogam"),
    ([FIVE_PERCENT_5, NANOGAM_10], "GTIN 09520987654320 is Example IVIg 5% 50 mg/mL in the catalogue, another "
                                   "concentration than the order's Nanogam (100 mg/mL)"),
    ([NANOGAM_20, UNLISTED], "GTIN 08712345678906 is not one of Nanogam's in the catalogue (09520123456719, "
                             "09520123456726)"),
])
def test_vials_that_are_not_the_pick_list_of_the_order_product_are_refused(site, gtins, words):
    assert words in refusal([scan(gtin) for gtin in gtins], site)


def test_a_size_typed_in_front_must_be_the_catalogue_size(site):
    said = refusal([scan(NANOGAM_20, front="10 g/"), scan(NANOGAM_10)], site)
    assert "GTIN 09520123456726 is a vial of 20 g in the catalogue, not the 10 g typed in front" in said
    assert check([scan(NANOGAM_20, front="20 g/"), scan(NANOGAM_10)], site)[0].size_g == D(20)


def test_without_gtins_in_the_catalogue_the_size_goes_in_front_and_the_gtin_is_not_checked(built_in):
    said = refusal([scan(UNLISTED), scan(UNLISTED)], built_in)
    assert "the catalogue lists no GTIN for Nanogam, so the scan cannot say the vial's size" in said
    vials = check([scan(UNLISTED, front="20 g/"), parse_vial("10 g/CD5678/2027-12")], built_in)
    assert [(v.size_g, v.gtin, v.listed) for v in vials] == [(D(20), UNLISTED, None), (D(10), None, None)]
    assert unchecked_warnings(vials) == [
        "GTIN 08712345678906 not checked: the catalogue lists no GTIN for this product, so each vial's size is the "
        "one typed in front"]


@pytest.mark.parametrize(("expiry", "kept"), [
    ("261102", True),  # the planned day itself
    ("261101", False),  # the day before
    ("261100", True),  # GS1 day 00: 30 November
    ("261000", False),  # 31 October
])
def test_a_vial_expired_before_the_planned_date_is_refused(site, expiry, kept):
    scans = [scan(NANOGAM_20, expiry=expiry), scan(NANOGAM_10)]
    if kept:
        assert check(scans, site)[0].lot == "AB1234"
    else:
        assert "vial 1 ((01)09520123456726" in refusal(scans, site)
        assert "before bag 1 is given on 2026-11-02" in refusal(scans, site)


@pytest.mark.parametrize(("month", "kept"), [("2026-11", True), ("2026-10", False)])
def test_a_typed_month_expiry_is_its_last_day(built_in, month, kept):
    scans = [parse_vial(f"20 g/AB1234/{month}"), parse_vial("10 g/AB1234/2027-12")]
    if kept:
        assert check(scans, built_in)[0].expiry == date(2026, 11, 30)
    else:
        assert "lot AB1234 expires 2026-10-31, before bag 1 is given on 2026-11-02" in refusal(scans, built_in)


def test_the_same_pack_scanned_twice_is_refused(site):
    twice = parse_vial(f"(01){NANOGAM_20}(17)271231(10)AB1234(21)S1")
    said = refusal([twice, parse_vial(f"(01){NANOGAM_10}(17)271231(10)AB1234(21)S2"), twice], site)
    assert "vial 3 is the same pack as vial 1 (GTIN 09520123456726, serial S1)" in said


def test_a_placebo_bag_is_prepared_from_containers_that_hold_it(site):
    vials = check([parse_vial("500 mL/NACL7/2028-01")], site, PLACEBO, PLACEBO_BAG)
    assert [(v.size_g, v.volume_ml) for v in vials] == [(None, D(500))]
    assert "hold 250 mL, less than its 300 mL" in refusal([parse_vial("250 mL/NACL7/2028-01")], site, PLACEBO,
                                                          PLACEBO_BAG)
    assert "is a vial of IgG, but bag 1 is NaCl 0.9%" in refusal([scan(NANOGAM_20)], site, PLACEBO, PLACEBO_BAG)
    assert "is a vial of IgG" in refusal([parse_vial("20 g/X/2028-01")], site, PLACEBO, PLACEBO_BAG)
    assert "gives no volume" in refusal([scan(UNLISTED)], site, PLACEBO, PLACEBO_BAG)
    assert "gives a volume, but a vial of Nanogam is given by its IgG" in refusal(
        [parse_vial("500 mL/X/2028-01")], site)


def vial(lot: str, listed: str | None = None, company: str | None = None, gtin: str = "", ml: str = "100") -> Vial:
    return Vial(lot, date(2027, 12, 31), D(ml), D(ml) / 10, gtin or None, None, listed, company)


def prepared(bag: int, vials: tuple[Vial, ...]) -> Preparation:
    return Preparation("f" * 32, 5, "PH", "2026-11-01T16:00:00Z", "+01:00",
                       Place("P", "timeismuscle", "baseline", 1, "home"), bag, "digest", date(2026, 11, 2), "Nanogam",
                       D(100), vials)


@pytest.mark.parametrize(("first", "second", "two"), [
    (vial("A", "nanogam", "952012"), vial("B", "octagam-10", "952098"), True),  # two catalogue entries
    (vial("A", "nanogam", "952012"), vial("B", "nanogam", "952098"), False),  # one entry: a pack of a new owner
    (vial("A", None, "8712345"), vial("B", None, "5401234"), True),  # unlisted: two GS1 companies
    (vial("A", None, "8712345"), vial("B", None, "8712345"), False),
    (vial("A", None, "8712345"), vial("B", None, None), False),  # a company unknown: nothing to compare
    (vial("A", "nanogam", "952012"), vial("B", None, "5401234"), True),  # one listed, one not: by company
])
def test_two_brands_in_one_day_are_refused(first, second, two):
    if two:
        with pytest.raises(InputError, match="is of another brand than vial 1"):
            one_brand(BAG, [first, second], [])
        # and across the bags of the same day
        with pytest.raises(InputError, match=r"another brand than a vial of bag 2 \(entry ffffffff\)"):
            one_brand(BAG, [second], [prepared(2, (first,))])
    else:
        one_brand(BAG, [first, second], [prepared(2, (first,))])


def test_two_brands_are_said_with_both_gtins_and_the_rule():
    nanogam = vial("A", "nanogam", "952012", NANOGAM_20)
    octagam = vial("B", "octagam-10", "952098", OCTAGAM_20)
    with pytest.raises(InputError) as caught:
        one_brand(BAG, [nanogam, octagam], [])
    assert str(caught.value) == (
        f"vial 2 (GTIN {OCTAGAM_20}) is of another brand than vial 1 (GTIN {NANOGAM_20}) on the same day; accepted: "
        "one brand for all the bags of a day (Ontario IVIG infusion guideline (ORBCoN): do not mix brands at one "
        "visit)")


def test_containers_that_hold_exactly_the_bag_are_enough(site):
    (container,) = check([parse_vial("300 mL/NACL7/2028-01")], site, PLACEBO, PLACEBO_BAG)
    assert container.volume_ml == D(300)
    assert refusal([parse_vial("250 mL/NACL7/2028-01")], site, PLACEBO, PLACEBO_BAG) == (
        "the containers given for bag 1 hold 250 mL, less than its 300 mL; accepted: containers that hold the bag's "
        "volume")


def test_the_vial_running_is_found_by_the_volumes_of_all_the_vials_before_it():
    # A 0-200 mL, B 200-250, C 250-350, D 350-450
    a, b, c, d = vial("A", ml="200"), vial("B", ml="50"), vial("C"), vial("D")
    assert [vial_at((a, b, c, d), D(x)).lot for x in (199, 210, 300, 350, 449)] == ["A", "B", "C", "D", "D"]
    # past the last vial's end (its waste), the last vial
    assert vial_at((a, b, c), D(500)).lot == "C"


@pytest.mark.parametrize(("scans", "bag", "said"), [
    ([], BAG, "no --vial given; accepted: one --vial for each vial of the bag's pick list"),
    # BAG is given on 2026-11-02: a vial expiring two days before is too old
    ([scan(NANOGAM_20, expiry="261031"), scan(NANOGAM_10)], BAG,
     f"vial 1 ((01){NANOGAM_20}(17)261031(10)AB1234): lot AB1234 expires 2026-10-31, before bag 1 is given on "
     "2026-11-02; accepted: a vial that keeps until the day the bag is planned"),
    ([scan(FIVE_PERCENT_5)], BAG,
     f"vial 1 ((01){FIVE_PERCENT_5}(17)271231(10)AB1234): GTIN {FIVE_PERCENT_5} is Example IVIg 5% 50 mg/mL in the "
     "catalogue, another concentration than the order's Nanogam (100 mg/mL); accepted: vials of Nanogam"),
    ([scan(UNLISTED)], BAG,
     f"vial 1 ((01){UNLISTED}(17)271231(10)AB1234): GTIN {UNLISTED} is not one of Nanogam's in the catalogue "
     f"({NANOGAM_10}, {NANOGAM_20}); accepted: a vial of Nanogam"),
    ([scan(NANOGAM_20, lot="A"), scan(NANOGAM_20, lot="B")], BAG,
     "the vials given for bag 1 are 2 × 20 g; its pick list is 1 × 20 g + 1 × 10 g; accepted: exactly the pick "
     "list, one --vial a vial"),
    ([scan(NANOGAM_20)], replace(BAG, vials=None),
     "the order of bag 1 was registered without its pick list (by an older ivig-dose); accepted: the order "
     "registered again, after voiding it"),
    # a typed vial (no GTIN, no serial) first does not end the search for a pack scanned twice
    ([parse_vial("20 g/X/2028-01"), *[parse_vial(f"(01){NANOGAM_10}(17)271231(10)AB1234(21)S1")] * 2], BAG,
     f"vial 3 is the same pack as vial 2 (GTIN {NANOGAM_10}, serial S1); accepted: each vial scanned once"),
])
def test_vials_that_may_not_go_into_the_bag_are_said_whole(site, scans, bag, said):
    assert refusal(scans, site, ORDER, bag) == said


@pytest.mark.parametrize(("text", "order", "bag", "said"), [
    ("20 g/X/2028-01", PLACEBO, PLACEBO_BAG, "vial 1 (20 g/X/2028-01) is a vial of IgG, but bag 1 is NaCl 0.9%; "
     "accepted: its containers, the volume in front (500 mL/...)"),
    (f"(01){UNLISTED}(17)271231(10)AB1234", PLACEBO, PLACEBO_BAG, f"vial 1 ((01){UNLISTED}(17)271231(10)AB1234) "
     "gives no volume; accepted: the container's volume in front, as in 500 mL/LOT/2027-12"),
    ("500 mL/X/2028-01", ORDER, BAG, "vial 1 (500 mL/X/2028-01) gives a volume, but a vial of Nanogam is given by "
     "its IgG; accepted: its size in front, as in 20 g/..."),
])
def test_a_container_where_a_vial_belongs_and_a_vial_where_a_container_does_are_said_whole(site, text, order, bag,
                                                                                           said):
    assert refusal([parse_vial(text)], site, order, bag) == said


def test_a_placebo_container_keeps_everything_its_scan_said(site):
    scanned = parse_vial(f"500 mL/(01){UNLISTED}(17)280131(10)NACL7(21)S9")
    (kept,) = check([scanned], site, PLACEBO, PLACEBO_BAG)
    assert kept == Vial("NACL7", date(2028, 1, 31), D(500), None, UNLISTED, "S9", None, scanned.company)
    assert scanned.company is not None


def test_each_unchecked_gtin_is_named_once():
    vials = [vial("A", gtin=UNLISTED), vial("B", gtin=UNLISTED_OTHER), vial("C", gtin=UNLISTED)]
    assert unchecked_warnings(vials) == [
        f"GTIN {UNLISTED}, {UNLISTED_OTHER} not checked: the catalogue lists no GTIN for this product, so each vial's "
        "size is the one typed in front"]


def test_a_preparation_is_read_back_as_it_was_written_and_only_a_void_voids_it():
    from ivig_dose.core.preparation import preparation_data, preparation_of, preparations
    from ivig_dose.core.record import AMEND, PREPARE, Entry

    at = "2026-11-01T16:00:00Z"
    vials = (Vial("A", date(2027, 12, 31), D(200), D(20), NANOGAM_20, "S1", "nanogam", "952012"),
             Vial("B", date(2028, 1, 31), D(100), D(10), NANOGAM_10, "S2", "nanogam", "952012"))
    place = Place.of("P1", ORDER, BAG)
    written = Entry("a" * 32, "origin", PREPARE, "P1", 1, at, "+01:00", at, "PH",
                    preparation_data(ORDER, BAG, place, vials))
    expected = Preparation("a" * 32, 7, "PH", at, "+01:00", Place("P1", "timeismuscle", "baseline", 1, "hospital"),
                           1, ORDER.digest, date(2026, 11, 2), "Nanogam", D(100), vials)

    def amend(**data: object) -> Stored:
        entry = Entry("b" * 32, "origin", AMEND, "P1", 1, at, "+01:00", at, "PH",
                      {"corrects": "a" * 32, "reason": "wrong bag", **data})  # type: ignore[dict-item]
        return Stored(9, entry, "", "", "")

    row = Stored(7, written, "", "", "")
    assert preparations([row]) == [expected]
    assert preparation_of(7, "a" * 32, "P1", 1, "PH", at, "+01:00", written.data) == expected  # just written
    assert preparations([row, amend(changes={"by": "XY"})]) == [expected]
    assert preparations([row, amend(void=True)]) == [replace(expected, voided=True)]


def test_a_preparation_entry_without_its_place_bag_or_vials_is_joined_to_no_bag():
    from ivig_dose.core.preparation import preparation_of

    # bags and days are numbered from 1: 0 is none, so such an entry (hand-made, or from a record of
    # another kind) prepares no bag of any order
    prep = preparation_of(3, "c" * 32, "P1", None, "PH", "2026-11-01T16:00:00Z", "+01:00",
                          {"order": "d", "date": "2026-11-02", "product": "Nanogam", "place": {"day": "1"}})
    assert (prep.bag, prep.place.day, prep.vials) == (0, 0, ())
    assert preparation_of(3, "c" * 32, "P1", None, "PH", "2026-11-01T16:00:00Z", "+01:00",
                          {"order": "d", "date": "2026-11-02", "product": "Nanogam", "place": [1]}).place.day == 0


def test_a_new_lot_starts_where_its_first_vial_starts():
    a20, b10 = vial("A", ml="200"), vial("B", ml="100")
    assert [(s.infused_ml, s.lot) for s in lot_starts((a20, b10), D(300))] == [(D(200), "B")]
    assert lot_starts((a20, vial("A", ml="100")), D(300)) == ()
    # a lot whose vial would start only at the bag's volume (the last vial's waste) never starts
    assert lot_starts((a20, vial("A", ml="100"), b10), D(300)) == ()
    # A, B, A: each change is a new start
    assert [s.infused_ml for s in lot_starts((vial("A"), vial("B"), vial("A")), D(300))] == [D(100), D(200)]
    assert vial_at((a20, b10), D(0)).lot == "A" and vial_at((a20, b10), D(199.9)).lot == "A"
    assert vial_at((a20, b10), D(200)).lot == "B" and vial_at((a20, b10), D(400)).lot == "B"


def steps(program):
    return [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in program.steps]


def test_a_new_lot_restarts_the_titration_from_the_whole_program():
    # not started, 20 g lot A then 10 g lot B: 21 mL at 42 (30 min), 42 mL at 84 (30 min), then the
    # 137 mL left of lot A at 168 mL/h: 137 × 60 / 168 = 48.93 min, up to 49.0; lot B's 100 mL from
    # the first rate again: 21, 42, and 37 mL at 168 mL/h = 13.21, up to 13.3 min.
    # 30 + 30 + 49 + 30 + 30 + 13.3 = 182.3 min: 183 minutes.
    program, restarts = continue_with_lots(D(0), D(42), 0, BAG, lot_starts((vial("A", ml="200"),
                                                                             vial("B", ml="100")), D(300)))
    assert steps(program) == [(D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D(49), D(137)),
                              (D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D("13.3"), D(37))]
    assert [(r.step, r.infused_ml, r.lot) for r in restarts] == [(3, D(200), "B")]
    assert program.duration_min == 183


def test_a_running_bag_continues_its_step_then_restarts_at_the_new_lot():
    # 56 mL in, at 84 mL/h set 25 minutes ago: 5 more minutes at 84 mL/h (7 mL), then 200 - 63 = 137 mL
    # at 168 mL/h (49.0 min); lot B from 42 mL/h again as above. 5 + 49 + 30 + 30 + 13.3 = 127.3: 128 min.
    program, restarts = continue_with_lots(D(56), D(84), 25 * 60, BAG, lot_starts(
        (vial("A", ml="200"), vial("B", ml="100")), D(300)))
    assert steps(program) == [(D(84), D(5), D(7)), (D(168), D(49), D(137)), (D(42), D(30), D(21)),
                              (D(84), D(30), D(42)), (D(168), D("13.3"), D(37))]
    assert program.duration_min == 128 and restarts[0].step == 2
    # a lot change already passed restarts nothing ahead
    assert continue_with_lots(D(250), D(42), 0, BAG, lot_starts((vial("A", ml="200"), vial("B", ml="100")),
                                                                 D(300)))[1] == ()


#: 100 mL from the first rate of BAG's program: 21 mL at 42 mL/h (30 min), 42 mL at 84 (30 min), then
#: 37 mL at 168 mL/h = 13.21 min, up to 13.3.
FROM_THE_FIRST_RATE = [(D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D("13.3"), D(37))]


def test_each_new_lot_ahead_restarts_the_titration():
    # lots A, B, A of 100 mL each, not started: each lot runs the 100 mL above; 3 x 73.3 = 219.9: 220 min
    program, restarts = continue_with_lots(D(0), D(42), 0, BAG, lot_starts(
        (vial("A"), vial("B"), vial("A")), D(300)))
    assert steps(program) == FROM_THE_FIRST_RATE * 3 and program.duration_min == 220
    assert [(r.step, r.infused_ml, r.lot) for r in restarts] == [(3, D(100), "B"), (6, D(200), "A")]
    # 150 mL in at 42 mL/h set just now: B's start is passed, A's at 200 mL is still ahead: 21 mL at 42,
    # 29 mL at 84 (29 x 60 / 84 = 20.71, up to 20.8 min), then A from the first rate again
    program, restarts = continue_with_lots(D(150), D(42), 0, BAG, lot_starts(
        (vial("A"), vial("B"), vial("A")), D(300)))
    assert steps(program) == [(D(42), D(30), D(21)), (D(84), D("20.8"), D(29)), *FROM_THE_FIRST_RATE]
    assert [(r.step, r.infused_ml, r.lot) for r in restarts] == [(2, D(200), "A")]


def test_a_lot_starting_where_the_bag_is_now_restarts_the_titration_now():
    # 200 mL in at 168 mL/h: lot B's first vial starts now, so its 100 mL run from 42 mL/h, not at 168
    program, restarts = continue_with_lots(D(200), D(168), 600, BAG, lot_starts(
        (vial("A", ml="200"), vial("B", ml="100")), D(300)))
    assert steps(program) == FROM_THE_FIRST_RATE
    assert [(r.step, r.infused_ml, r.lot) for r in restarts] == [(0, D(200), "B")]


def test_a_lot_said_to_start_at_the_end_of_the_bag_restarts_nothing():
    from ivig_dose.core.preparation import LotStart

    # 200 mL from 42 mL/h: 21 + 42 mL, then 137 mL at 168 mL/h = 48.93, up to 49.0 min
    program, restarts = continue_with_lots(D(100), D(42), 0, BAG, (LotStart(D(300), "B"),))
    assert steps(program) == [(D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D(49), D(137))]
    assert restarts == ()


def test_a_blinded_and_an_unblinded_registration_of_one_plan_are_one_order():
    blinded = Registered("timeismuscle", "2026-11-25", True, None, None, D(1800),
                         (replace(BAG, dose_g=None, vials=None),))
    assert blinded.plan_digest == ORDER.plan_digest == PLACEBO.plan_digest
    assert len({blinded.digest, ORDER.digest, PLACEBO.digest}) == 3
    # another volume is another plan
    assert replace(ORDER, bags=(replace(BAG, volume_ml=D(310)),)).plan_digest != ORDER.plan_digest
    row = Stored(1, None, "", "", "")  # type: ignore[arg-type]
    group = OrderViews((View(row, ORDER, False), View(row, blinded, False)))
    assert group.blinded and group.view().order is blinded and group.view(unblinded=True).order is ORDER
    assert group.open_view() is not None and group.open_view().order is ORDER  # type: ignore[union-attr]
    # a voided view is shown only when every view is voided
    voided = OrderViews((View(row, blinded, True), View(row, ORDER, False)))
    assert voided.view().order is ORDER and not voided.voided


def test_the_bag_data_keeps_its_pick_list_and_a_blinded_bag_none():
    assert BAG.data()["vials"] == [{"grams": "20", "count": 1}, {"grams": "10", "count": 1}]
    assert "vials" not in replace(BAG, vials=None).data()
    assert canonical(PLACEBO_BAG.data()).count(b'"vials":[]') == 1


def test_a_kit_names_the_place_of_a_bag_not_its_contents():
    kit = kit_id("TIM-001", "timeismuscle", "baseline", 1, "hospital")
    assert len(kit) == 14 and kit[4] == kit[9] == "-" and kit.replace("-", "").isalnum() and kit == kit.upper()
    assert kit == kit_id("TIM-001", "timeismuscle", "baseline", 1, "hospital")
    others = {kit_id("TIM-002", "timeismuscle", "baseline", 1, "hospital"),
              kit_id("TIM-001", "timeismuscle", "baseline", 1, "home"),
              kit_id("TIM-001", "timeismuscle", "baseline", 2, "hospital"),
              kit_id("TIM-001", "timeismuscle", "week 4", 1, "hospital")}
    assert kit not in others and len(others) == 4


def test_a_kit_id_is_the_same_in_every_version():
    # a label printed by one version must match the record read by the next: the first 48 bits of
    # SHA-256 over "kit", patient, protocol, course, day and setting joined by U+001F, worked with
    # `printf 'kit\x1fTIM-001\x1ftimeismuscle\x1fbaseline\x1f1\x1fhospital' | sha256sum`
    assert kit_id("TIM-001", "timeismuscle", "baseline", 1, "hospital") == "2990-2CD3-58EC"


NANOGAM_GTINS = f'''[products.nanogam.gtins]
"10 g" = "{NANOGAM_10}"
"20 g" = "{NANOGAM_20}"
source = "EXAMPLE GTINs for the tests (GS1 prefix 952)"
'''
IN_NANOGAM = "product catalogue site.toml: product 'nanogam': "


@pytest.mark.parametrize(("table", "said"), [
    # every key is read, each problem said, not only the first
    (f'[products.nanogam.gtins]\n"abc" = "{NANOGAM_10}"\n"3 g" = "{NANOGAM_10}"\n"10 g" = 5\n"20 g" = []\n'
     'source = "s"\n', [
         "'gtins' 'abc' is not a number with a unit; accepted: a vial size such as \"20 g\"",
         "'gtins.3 g' is not one of the entry's presentations",
         "'gtins.10 g' must be a GTIN as text, or a list of them, e.g. \"08712345678906\"",
         "'gtins.20 g' must be a GTIN as text, or a list of them, e.g. \"08712345678906\"",
         "'gtins' lists no GTIN; accepted: \"SIZE\" = \"GTIN\" for a vial size"]),
    (f'[products.nanogam.gtins]\n"10 g" = ["{NANOGAM_20}", "{NANOGAM_20}"]\n"20 g" = "{NANOGAM_20}"\nsource = "s"\n', [
        f"'gtins.10 g' lists GTIN {NANOGAM_20} twice", f"'gtins.20 g' lists GTIN {NANOGAM_20} twice"]),
    # a GTIN that cannot be read does not end the list: the next one is read
    (f'[products.nanogam.gtins]\n"10 g" = ["123", "{NANOGAM_10}"]\n"20 g" = ["{NANOGAM_10}"]\nsource = "s"\n', [
        "'gtins.10 g' '123' is not a GTIN; accepted: its 8, 12, 13 or 14 digits",
        f"'gtins.20 g' lists GTIN {NANOGAM_10} twice"]),
])
def test_each_problem_of_a_gtin_table_is_said_whole(tmp_path: Path, table, said):
    from ivig_dose.files.catalogue import catalogue_problems

    good = site_catalogue(tmp_path).read_text()
    assert NANOGAM_GTINS in good
    assert catalogue_problems(good.replace(NANOGAM_GTINS, table, 1), "site.toml") == [IN_NANOGAM + s for s in said]


def test_a_gtins_entry_that_is_no_table_says_what_it_must_be(tmp_path: Path):
    from ivig_dose.files.catalogue import load_catalogue

    text = site_catalogue(tmp_path).read_text().replace(NANOGAM_GTINS, "", 1).replace(
        "[products.nanogam.sources]", 'gtins = "x"\n[products.nanogam.sources]', 1)
    (tmp_path / "bad.toml").write_text(text + '\n[products.other]\nname = 1\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogue(str(tmp_path / "bad.toml"))
    said = str(caught.value)
    assert said.startswith(f"product catalogue {tmp_path / 'bad.toml'}: product 'nanogam': 'gtins' must be a table "
                           "of vial sizes and GTINs with its source; product catalogue ")
    assert said.count("; product catalogue ") >= 1


def test_the_catalogue_gtin_table_is_checked_key_by_key(tmp_path: Path):
    from ivig_dose.files.catalogue import catalogue_problems

    good = site_catalogue(tmp_path).read_text()
    assert catalogue_problems(good, "site.toml") == []
    cases = {
        '"20 g" = "09520123456726"': ('"3 g" = "09520123456726"', "'gtins.3 g' is not one of the entry's "
                                                                 "presentations"),
        'source = "EXAMPLE GTINs for the tests (GS1 prefix 952)"': ("", "'gtins.source' is missing"),
        '"10 g" = "09520123456719"': ('"10 g" = "09520123456718"', "GTIN 09520123456718 fails its check digit "
                                                                   "(it should end in 9)"),
        f'gtins = {{ "20 g" = "{OCTAGAM_20}"': (f'gtins = {{ "20 g" = "{NANOGAM_20}"',
                                                "GTIN 09520123456726 is listed for 'nanogam' and 'octagam-10'"),
    }
    for old, (new, words) in cases.items():
        assert old in good
        problems = catalogue_problems(good.replace(old, new, 1), "site.toml")
        assert any(words in problem for problem in problems), (words, problems)
