"""Planning from Python: the same inputs as ``ivig-dose plan``, the same plan back, no CLI involved.

Run: python examples/plan_in_python.py
"""

import ivig_dose
from ivig_dose.core.amounts import grams, millilitres

plan = ivig_dose.plan("80.3 kg", start="2027-01-04")

for course in plan.courses:
    for day in course.days:
        for segment in day.segments:
            print(f"{course.name:8} {day.date} day {day.day} {segment.setting:8} "
                  f"{grams(segment.dose_g):>7} {millilitres(segment.volume_ml):>8}")
print(f"total {grams(plan.total_dose_g)} in {millilitres(plan.total_volume_ml)}")
for reason in plan.reasons:
    print(f"{reason.rule}: {reason.text}")
