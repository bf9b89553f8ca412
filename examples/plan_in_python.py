"""Using the dosing core from Python: plain values in, a frozen plan out, no CLI involved.

Run: python examples/plan_in_python.py
"""

from datetime import date
from decimal import Decimal

from ivig_dose.core.amounts import grams, millilitres
from ivig_dose.core.dosing import build_plan
from ivig_dose.core.model import PlanRequest
from ivig_dose.core.protocol import load_protocol

protocol = load_protocol("timeismuscle")
plan = build_plan(PlanRequest(weight_kg=Decimal("80.3"), start=date(2027, 1, 4)), protocol)

for course in plan.courses:
    for day in course.days:
        for segment in day.segments:
            print(f"{course.name:8} {day.date} day {day.day} {segment.setting:8} "
                  f"{grams(segment.dose_g):>7} {millilitres(segment.volume_ml):>8}")
print(f"total {grams(plan.total_dose_g)} in {millilitres(plan.total_volume_ml)}")
for reason in plan.reasons:
    print(f"{reason.rule}: {reason.text}")
