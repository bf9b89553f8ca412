"""verify at the bedside (``--course --day --volume/--dose``): one bag as the nurse reads it off the
label, or one line saying what is missing or wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.app.verify import bedside_order
from ivig_dose.core.errors import InputError
from ivig_dose.files.protocols import load_protocol

TIM = load_protocol("timeismuscle")
NEEDS = "a bedside check needs --weight, --course, --day and --volume or --dose"


@pytest.mark.parametrize(("course", "day", "setting", "volume", "dose", "said"), [
    (None, 1, None, "300", None, NEEDS),
    ("baseline", None, None, "300", None, NEEDS),
    ("baseline", 1, None, None, None, NEEDS),
    ("baseline", 1, "ward", "300", None, "--setting 'ward' is not a setting; accepted: hospital, home"),
    ("baseline", 1, None, "3 g", None,
     "--volume '3 g' is not convertible to mL; accepted: a volume such as 424 mL or 0.5 L"),
    ("baseline", 1, None, None, "3 mL", "--dose '3 mL' is not convertible to g; accepted: a dose such as 42.4 g"),
])
def test_a_bedside_check_without_what_it_needs_is_refused_in_one_line(course, day, setting, volume, dose, said):
    with pytest.raises(InputError) as caught:
        bedside_order(course, day, setting, volume, dose, TIM)
    assert str(caught.value) == said


def test_a_bedside_bag_is_the_volume_and_dose_of_its_day_and_setting():
    order = bedside_order("baseline", 1, " Home ", "0.3 L", "30", TIM)
    assert [(f.node, f.attr, f.value) for f in order.facts] == [
        (("baseline", 1, "home"), "volume_ml", Decimal(300)), (("baseline", 1, "home"), "dose_g", Decimal(30))]
