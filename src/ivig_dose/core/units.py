"""The units doses, volumes and weights are written in, in every output and language.

A module of its own, with no imports, so that a translator can name them without loading the
number tools (:mod:`ivig_dose.core.amounts`) before the first number is written.
"""

GRAMS, MILLILITRES, KILOGRAMS = "g", "mL", "kg"
