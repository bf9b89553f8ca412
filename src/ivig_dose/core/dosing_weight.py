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

from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Quantity, message
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Param

ACTUAL = "actual"
IDEAL = "ideal"
ADJUSTED = "adjusted"
BASES = (ACTUAL, IDEAL, ADJUSTED)
FEMALE = "female"
MALE = "male"
SEXES = (FEMALE, MALE)


@frozen
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


@frozen
class WeightPolicy:
    """What a protocol says about dosing weight: its default basis and the numbers it uses."""

    basis: str
    #: BMI (kg/m²) at or above which the default basis applies; None: it always applies.
    bmi_threshold: Decimal | None
    adjusted_factor: Decimal
    formula: IdealWeightFormula
    #: the age below which the actual weight is used whatever the basis, with its source (Lifeblood).
    adult_age: Param | None = None


@frozen
class Body:
    """What the prescriber told us about the patient besides the weight."""

    height_cm: Decimal | None = None
    sex: str | None = None
    pregnant: bool = False
    #: age in years; None when not given.
    age_years: Decimal | None = None


@frozen
class DosingWeight:
    """The weight the dose is computed from, the basis used, and a sentence saying why."""

    kg: Decimal
    basis: str
    why: str


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """Body-mass index in kg/m²."""
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def dosing_weight(actual_kg: Decimal, body: Body, policy: WeightPolicy, override: str | None = None,
                  shown: str | None = None) -> DosingWeight:
    """Chooses the dosing weight; ``override`` is the prescriber's basis (None: the protocol's);
    ``shown`` is the actual weight as the reason names it (``183.9 lb (83.42 kg)``; None: in kg)."""
    asked = override or policy.basis
    if asked not in BASES:
        raise InputError(message(N_("dosing weight {basis!r} is not known; accepted: {known}"), basis=asked,
                                 known=", ".join(BASES)))
    by = _chosen_by(asked, override, policy)
    weight = shown or Quantity(actual_kg, "kg")

    def actual(reason: Message) -> DosingWeight:
        return DosingWeight(actual_kg, ACTUAL, message(N_("{reason} ({chosen_by})"), reason=reason, chosen_by=by))

    if asked == ACTUAL:
        return actual(message(N_("actual body weight {weight}"), weight=weight))
    if body.pregnant:
        return actual(message(N_("pregnant: actual body weight {weight}, not {the_basis}"), weight=weight,
                              the_basis=THE_BASIS[asked]))
    adult = policy.adult_age
    if adult is not None and body.age_years is not None and body.age_years < adult.value:
        return actual(message(N_("age {age} years is under {adult}: actual body weight {weight}, not {the_basis}; "
                                 "source: {source}"), age=Quantity(body.age_years, places=2),
                              adult=Quantity(adult.value, places=2), weight=weight, the_basis=THE_BASIS[asked],
                              source=adult.source))
    if body.height_cm is None or body.sex is None:
        raise InputError(message(
            N_("{the_basis} ({chosen_by}) needs the height and sex; accepted: --height (e.g. 178 cm, 5 ft 10 in) "
               "with --sex female|male, or --dosing-weight actual"), the_basis=THE_BODY_WEIGHT[asked], chosen_by=by))
    formula = policy.formula
    ideal = formula.ideal_kg(body.height_cm, body.sex)
    if ideal is None:
        return actual(message(
            N_("height {height} is at or below {base_in} ({base_cm}), where the ideal-weight formula does not "
               "apply: actual body weight {weight}"), height=Quantity(body.height_cm, "cm", places=2),
            base_in=Quantity(formula.base_height_in, "in", places=2),
            base_cm=Quantity(formula.base_height_cm(), "cm", places=2), weight=weight))
    if override is None and policy.bmi_threshold is not None:
        index = bmi(actual_kg, body.height_cm)
        if index < policy.bmi_threshold:
            return actual(message(
                N_("BMI {bmi} is below the {threshold} at which the protocol uses {the_basis}: actual body weight "
                   "{weight}"), bmi=Quantity(index, "kg/m²", places=1),
                threshold=Quantity(policy.bmi_threshold, "kg/m²", places=2), the_basis=THE_BASIS[asked],
                weight=weight))
    how = _ideal_text(body, ideal, formula)
    candidate = ideal
    if asked == ADJUSTED:
        with localcontext() as ctx:
            ctx.rounding = ROUND_FLOOR
            candidate = ideal + policy.adjusted_factor * (actual_kg - ideal)
        how = message(N_("{ideal}; adjusted = {ideal_kg} + {factor} × ({actual} − {ideal_kg}) = {adjusted}"),
                      ideal=how, ideal_kg=Quantity(ideal, places=2), factor=Quantity(policy.adjusted_factor, places=2),
                      actual=Quantity(actual_kg, places=2), adjusted=Quantity(candidate, "kg", places=2))
    if candidate >= actual_kg:
        return actual(message(
            N_("{the_basis}, {candidate}, is not below the actual weight; the dosing weight is never above the actual "
               "weight: actual body weight {weight}"), the_basis=THE_BASIS[asked],
            candidate=Quantity(candidate, "kg", places=2), weight=weight))
    return DosingWeight(candidate, asked, message(N_("{basis_body_weight} {weight}: {how} ({chosen_by})"),
                                                  basis_body_weight=BODY_WEIGHT[asked],
                                                  weight=Quantity(candidate, "kg", places=2), how=how, chosen_by=by))


PROTOCOL_DEFAULT = message(N_("the protocol's default"))
#: "the ideal weight": each basis said whole, so a language can inflect it (Dutch "het ideale gewicht").
THE_BASIS = {ACTUAL: message(N_("the actual weight")), IDEAL: message(N_("the ideal weight")),
             ADJUSTED: message(N_("the adjusted weight"))}
#: "the ideal body weight", as the subject of a sentence.
THE_BODY_WEIGHT = {ACTUAL: message(N_("the actual body weight")), IDEAL: message(N_("the ideal body weight")),
                   ADJUSTED: message(N_("the adjusted body weight"))}
#: "ideal body weight 70 kg", naming the dosing weight.
BODY_WEIGHT = {ACTUAL: message(N_("actual body weight")), IDEAL: message(N_("ideal body weight")),
               ADJUSTED: message(N_("adjusted body weight"))}
#: "actual": a basis as a word, which a language may say otherwise ("werkelijk").
BASIS_WORD = {ACTUAL: message(N_("actual")), IDEAL: message(N_("ideal")), ADJUSTED: message(N_("adjusted"))}
#: the sex in the formula's name (Devine's formula differs by sex).
SEX_WORDS = {MALE: message(N_("male")), FEMALE: message(N_("female"))}


def _chosen_by(asked: str, override: str | None, policy: WeightPolicy) -> Message:
    """Says who chose the basis, so an override is visible wherever the reason is shown."""
    if override is None:
        return PROTOCOL_DEFAULT
    if override == policy.basis:
        return message(N_("--dosing-weight {basis}, as the protocol's default"), basis=asked)
    return message(N_("--dosing-weight {basis}, overriding the protocol's {default}"), basis=asked,
                   default=BASIS_WORD.get(policy.basis, policy.basis))


def _ideal_text(body: Body, ideal: Decimal, formula: IdealWeightFormula) -> Message:
    assert body.height_cm is not None and body.sex is not None
    base = formula.male_base_kg if body.sex == MALE else formula.female_base_kg
    over = formula.inches(body.height_cm) - formula.base_height_in
    return message(N_("ideal (Devine, {sex}, {inches}) = {base} + {per_inch} × {over} = {ideal}"),
                   sex=SEX_WORDS[body.sex], inches=Quantity(formula.inches(body.height_cm), "in", places=2),
                   base=Quantity(base, places=2), per_inch=Quantity(formula.kg_per_inch, places=2),
                   over=Quantity(over, places=2), ideal=Quantity(ideal, "kg", places=2))
