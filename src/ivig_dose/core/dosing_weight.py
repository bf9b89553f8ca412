"""Which weight a dose is computed from: actual, ideal (Devine) or adjusted body weight.

IgG stays mostly in blood and extracellular fluid, not in fat, so many pharmacies dose a
heavier patient on an ideal or adjusted weight instead of the actual one. The protocol names
its default basis; the prescriber may override it. Whatever the basis, three guards keep the
dose from ever growing because of the choice: the dosing weight is never above the actual
weight, and at or below the formula's base height (60 in), in pregnancy or under 18 years the
actual weight is used.

Pure: plain Decimals in, a frozen :class:`DosingWeight` out. Every step runs in a
round-towards-floor context, so an inexact division (centimetres to inches) can only make the
dosing weight, and hence the dose, smaller than the exact value, never larger.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING

from ivig_dose.core.amounts import approximate, kilograms
from ivig_dose.core.errors import InputError

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Param

ACTUAL = "actual"
IDEAL = "ideal"
ADJUSTED = "adjusted"
BASES = (ACTUAL, IDEAL, ADJUSTED)
FEMALE = "female"
MALE = "male"
SEXES = (FEMALE, MALE)


@dataclass(frozen=True)
class IdealWeightFormula:
    """Devine: a base weight per sex plus a fixed weight per inch over a base height."""

    male_base_kg: Decimal
    female_base_kg: Decimal
    kg_per_inch: Decimal
    base_height_in: Decimal
    cm_per_inch: Decimal

    def inches(self, height_cm: Decimal) -> Decimal:
        with localcontext() as ctx:
            ctx.rounding = ROUND_FLOOR
            return height_cm / self.cm_per_inch

    def base_height_cm(self) -> Decimal:
        return self.base_height_in * self.cm_per_inch

    def ideal_kg(self, height_cm: Decimal, sex: str) -> Decimal | None:
        """The ideal weight, or None at or below the base height, where the formula says nothing."""
        inches = self.inches(height_cm)
        if inches <= self.base_height_in:
            return None
        base = self.male_base_kg if sex == MALE else self.female_base_kg
        with localcontext() as ctx:
            ctx.rounding = ROUND_FLOOR
            return base + self.kg_per_inch * (inches - self.base_height_in)


@dataclass(frozen=True)
class WeightPolicy:
    """What a protocol says about dosing weight: its default basis and the numbers it uses."""

    basis: str
    #: BMI (kg/m²) at or above which the default basis applies; None: it always applies.
    bmi_threshold: Decimal | None
    adjusted_factor: Decimal
    formula: IdealWeightFormula
    #: the age below which the actual weight is used whatever the basis, with its source (Lifeblood).
    adult_age: Param | None = None


@dataclass(frozen=True)
class Body:
    """What the prescriber told us about the patient besides the weight."""

    height_cm: Decimal | None = None
    sex: str | None = None
    pregnant: bool = False
    #: age in years; None when not given.
    age_years: Decimal | None = None


@dataclass(frozen=True)
class DosingWeight:
    """The weight the dose is computed from, the basis used, and a sentence saying why."""

    kg: Decimal
    basis: str
    why: str


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """Body-mass index in kg/m²."""
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def dosing_weight(actual_kg: Decimal, body: Body, policy: WeightPolicy, override: str | None = None) -> DosingWeight:
    """Chooses the dosing weight; ``override`` is the prescriber's basis (None: the protocol's)."""
    asked = override or policy.basis
    if asked not in BASES:
        raise InputError(f"dosing weight {asked!r} is not known; accepted: {', '.join(BASES)}")
    by = _chosen_by(asked, override, policy)

    def actual(reason: str) -> DosingWeight:
        return DosingWeight(actual_kg, ACTUAL, f"{reason} ({by})")

    if asked == ACTUAL:
        return actual(f"actual body weight {kilograms(actual_kg)}")
    if body.pregnant:
        return actual(f"pregnant: actual body weight {kilograms(actual_kg)}, not the {asked} weight")
    adult = policy.adult_age
    if adult is not None and body.age_years is not None and body.age_years < adult.value:
        return actual(f"age {approximate(body.age_years)} years is under {approximate(adult.value)}: actual body "
                      f"weight {kilograms(actual_kg)}, not the {asked} weight; source: {adult.source}")
    if body.height_cm is None or body.sex is None:
        raise InputError(
            f"the {asked} body weight ({by}) needs the height and sex; accepted: "
            "--height (e.g. 178 cm, 5 ft 10 in) with --sex female|male, or --dosing-weight actual"
        )
    formula = policy.formula
    ideal = formula.ideal_kg(body.height_cm, body.sex)
    if ideal is None:
        return actual(
            f"height {approximate(body.height_cm)} cm is at or below {approximate(formula.base_height_in)} in "
            f"({approximate(formula.base_height_cm())} cm), where the ideal-weight formula does not apply: "
            f"actual body weight {kilograms(actual_kg)}"
        )
    if override is None and policy.bmi_threshold is not None:
        index = bmi(actual_kg, body.height_cm)
        if index < policy.bmi_threshold:
            return actual(
                f"BMI {approximate(index, 1)} kg/m² is below the {approximate(policy.bmi_threshold)} kg/m² "
                f"at which the protocol uses the {asked} weight: actual body weight {kilograms(actual_kg)}"
            )
    how = _ideal_text(body, ideal, formula)
    candidate = ideal
    if asked == ADJUSTED:
        with localcontext() as ctx:
            ctx.rounding = ROUND_FLOOR
            candidate = ideal + policy.adjusted_factor * (actual_kg - ideal)
        how += (f"; adjusted = {approximate(ideal, 2)} + {approximate(policy.adjusted_factor)} × "
                f"({approximate(actual_kg)} − {approximate(ideal, 2)}) = {approximate(candidate, 2)} kg")
    if candidate >= actual_kg:
        return actual(
            f"the {asked} weight, {approximate(candidate, 2)} kg, is not below the actual weight; the dosing "
            f"weight is never above the actual weight: actual body weight {kilograms(actual_kg)}"
        )
    return DosingWeight(candidate, asked, f"{asked} body weight {approximate(candidate, 2)} kg: {how} ({by})")


def _chosen_by(asked: str, override: str | None, policy: WeightPolicy) -> str:
    """Says who chose the basis, so an override is visible wherever the reason is shown."""
    if override is None:
        return "the protocol's default"
    if override == policy.basis:
        return f"--dosing-weight {asked}, as the protocol's default"
    return f"--dosing-weight {asked}, overriding the protocol's {policy.basis}"


def _ideal_text(body: Body, ideal: Decimal, formula: IdealWeightFormula) -> str:
    assert body.height_cm is not None and body.sex is not None
    base = formula.male_base_kg if body.sex == MALE else formula.female_base_kg
    over = formula.inches(body.height_cm) - formula.base_height_in
    return (f"ideal (Devine, {body.sex}, {approximate(formula.inches(body.height_cm), 2)} in) = "
            f"{approximate(base)} + {approximate(formula.kg_per_inch)} × {approximate(over, 2)} = "
            f"{approximate(ideal, 2)} kg")
