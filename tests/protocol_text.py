"""A small valid protocol as TOML text, for tests that change one thing in it and see what happens."""

from __future__ import annotations

MINIMAL = '''
id = "mini"
name = "Minimal test protocol"
version = "1"
source = "test"

[params.dose_per_kg]
value = "1"
unit = "g/kg"
rule = "R2"
source = "test"

[params.dose_step]
value = "0.1"
unit = "g"
rule = "R2"
source = "test"

[params.min_days]
value = "1"
unit = "days"
rule = "R3"
source = "test"

[params.max_days]
value = "3"
unit = "days"
rule = "R3"
source = "test"

[params.min_weight]
value = "20"
unit = "kg"
rule = "R1"
source = "test"

[params.max_weight]
value = "300"
unit = "kg"
rule = "R1"
source = "test"

[params.warn_below_weight]
value = "40"
unit = "kg"
rule = "R1"
source = "test"

[params.warn_above_weight]
value = "150"
unit = "kg"
rule = "R1"
source = "test"

[options.default_days]
value = "smallest"
rule = "R3"
source = "test"

[options.rest_setting]
value = "home"
rule = "R6"
source = "test"

[options.dosing_weight_basis]
value = "actual"
rule = "R1"
source = "test"

[product]
name = "TestGam"
concentration_mg_per_ml = "100"
rule = "R5"
source = "test"

[courses]
count = 1
source = "test"
'''


def with_extra(extra: str, text: str = MINIMAL) -> str:
    """The minimal protocol with more TOML appended (new tables, or keys for the last table)."""
    return text + "\n" + extra


def replaced(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)
