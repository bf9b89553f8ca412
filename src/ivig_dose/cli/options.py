"""The plan options, declared once for every command that draws a plan.

``plan``, ``order``, ``calendar`` and ``labels`` must accept exactly the same inputs, or a sheet
could be printed from other inputs than the plan a pharmacist checked on screen. So the options
live here, and :func:`with_plan_options` adds them to a command, which then receives them as one
:class:`PlanOptions`; a new plan option added here reaches all four commands at once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Concatenate, ParamSpec, TypeVar

import typer

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.model import Plan
from ivig_dose.core.records import frozen
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.parse.plan_inputs import PlanInputs

P = ParamSpec("P")
R = TypeVar("R")


class Arm(StrEnum):
    ivig = "ivig"
    placebo = "placebo"


class Sex(StrEnum):
    female = "female"
    male = "male"


class Risk(StrEnum):
    thrombosis = "thrombosis"
    renal = "renal"


class Basis(StrEnum):
    actual = "actual"
    ideal = "ideal"
    adjusted = "adjusted"


@frozen
class PlanOptions:
    """The plan options exactly as typed; :meth:`plan` parses them."""

    weight: str
    start: str | None
    days: int | None
    arm: Arm
    course_weight: list[str] | None
    blinded: bool
    day_first: bool
    month_first: bool
    protocol: str
    height: str | None
    sex: Sex | None
    dosing_weight: Basis | None
    pregnant: bool
    products: str | None
    product: str | None
    round_to: str | None
    max_rate: str | None
    risk: list[Risk] | None
    indication: str | None
    age: str | None

    def inputs(self) -> PlanInputs:
        """The patient's inputs as typed, for the one reader every path shares."""
        from ivig_dose.parse.plan_inputs import PlanInputs, day_order, split_course_weights

        return PlanInputs(
            weight=self.weight, start=self.start, arm=self.arm.value, days=self.days,
            course_weights=split_course_weights(self.course_weight or []),
            height=self.height, sex=self.sex.value if self.sex else None,
            dosing_weight=self.dosing_weight.value if self.dosing_weight else None, pregnant=self.pregnant,
            day_first=day_order(self.day_first, self.month_first),
            risk=tuple(r.value for r in self.risk or ()), age=self.age,
        )

    def plan(self) -> Plan:
        """The plan these options ask for, made the one way every command makes it."""
        from ivig_dose.app.plan import plan_patient, setup

        run = setup(self.protocol, self.products, self.product, self.round_to, self.max_rate, self.indication)
        return plan_patient(self.inputs(), run)


#: ``--risk`` and ``--indication``, which ``rates`` takes too.
RiskOption = Annotated[list[Risk] | None, typer.Option(
    "--risk", help="Patient at risk of thrombosis or renal dysfunction (repeatable): the pump is held to "
                   "the label's at-risk limit, or --max-rate where the label gives none.")]
IndicationOption = Annotated[str | None, typer.Option(
    "--indication", help="Indication whose rate table to run, e.g. pi, cidp, itp ('ivig-dose products show "
                         "ID'). Default: the protocol's, else the product's own table.")]


def _option(name: str, annotation: object, default: object = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


#: in the order ``--help`` lists them; the names are PlanOptions' fields.
PLAN_PARAMETERS = (
    _option("weight", Annotated[str, typer.Option(
        "--weight", "-w", help="Body weight: 72, 72 kg, 72000 g or 158.7 lb (a bare number is kg).")]),
    _option("start", Annotated[str | None, typer.Option(
        help="Baseline start date: ISO 2027-01-04, or an unambiguous form. Default: today.")], None),
    _option("days", Annotated[int | None, typer.Option(
        help="Infusion days per course, within the protocol's range. Default: the protocol's "
             "(TIMEISMUSCLE: the fewest within 80 g/day).")], None),
    _option("arm", Annotated[Arm, typer.Option(
        case_sensitive=False,  # --arm IVIG is what a trial's paperwork writes
        help="Study arm: ivig, or placebo (NaCl 0.9 % in the same volumes).")], Arm.ivig),
    _option("course_weight", Annotated[list[str] | None, typer.Option(
        "--course-weight", help="Weight measured for a later course, e.g. week4=68kg (repeatable).")], None),
    _option("blinded", Annotated[bool, typer.Option(
        "--blinded", help="Hide arm and doses: the two arms print identical output.")], False),
    _option("day_first", Annotated[bool, typer.Option("--day-first", help="Read 03/04/2027 as 3 April.")], False),
    _option("month_first", Annotated[bool, typer.Option(
        "--month-first", help="Read 03/04/2027 as 4 March.")], False),
    _option("protocol", Annotated[str, typer.Option(
        help="Protocol: a built-in name (see 'ivig-dose protocol list') or a TOML file.")], DEFAULT_PROTOCOL),
    _option("height", Annotated[str | None, typer.Option(
        help="Height for an ideal or adjusted dosing weight: 178, 178 cm, 1.78 m, 70 in, 5 ft 10 in.")], None),
    _option("sex", Annotated[Sex | None, typer.Option(help="Sex for the ideal-weight formula (Devine).")], None),
    _option("dosing_weight", Annotated[Basis | None, typer.Option(
        "--dosing-weight", help="Dose on the actual, ideal or adjusted weight. Default: the protocol's.")], None),
    _option("pregnant", Annotated[bool, typer.Option(
        "--pregnant", help="Pregnant: the actual weight is used whatever the basis.")], False),
    _option("products", Annotated[str | None, typer.Option(
        "--products", help="Product catalogue TOML file to use instead of the built-in one.")], None),
    _option("product", Annotated[str | None, typer.Option(
        "--product", help="Catalogue product id for vials and pump rates. Default: the protocol's.")], None),
    _option("round_to", Annotated[str | None, typer.Option(
        "--round", help="Round each day's dose: 'vials' (whole vials) or an amount such as 5g. Default: exact.")],
        None),
    _option("max_rate", Annotated[str | None, typer.Option(
        "--max-rate", help="Cap the pump: 300 mL/h (bare number = mL/h), 4.8 mL/kg/h or 3.3 mg/kg/min.")], None),
    _option("risk", RiskOption, None),
    _option("indication", IndicationOption, None),
    _option("age", Annotated[str | None, typer.Option(
        "--age", help="Age in years: under 18 the actual weight is used whatever the basis.")], None),
)


def with_plan_options(command: Callable[Concatenate[PlanOptions, P], R]) -> Callable[P, R]:
    """Gives ``command`` the plan options; its first parameter receives them as a PlanOptions.

    Typer reads a command's options from its signature, so the wrapper shows Typer the plan
    options followed by the command's own.
    """

    @functools.wraps(command)
    def with_parsed(values: dict[str, Any], *args: P.args, **kwargs: P.kwargs) -> R:
        return command(PlanOptions(**values), *args, **kwargs)

    return with_some_plan_options(*(p.name for p in PLAN_PARAMETERS))(with_parsed)  # type: ignore[arg-type]


def with_some_plan_options(
    *names: str,
) -> Callable[[Callable[Concatenate[dict[str, Any], P], R]], Callable[P, R]]:
    """Gives ``command`` the named plan options, declared here once; its first parameter receives
    their values by name. For commands that plan but take some inputs elsewhere (``verify`` reads
    the weight from the order, ``batch`` from each row)."""
    chosen = [p for p in PLAN_PARAMETERS if p.name in names]
    unknown = set(names) - {p.name for p in chosen}
    if unknown:
        raise ValueError(f"not plan options: {', '.join(sorted(unknown))}")

    def decorate(command: Callable[Concatenate[dict[str, Any], P], R]) -> Callable[P, R]:
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for p in list(inspect.signature(command, eval_str=True).parameters.values())[1:]]

        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            values = {p.name: kwargs.pop(p.name) for p in chosen}
            return command(values, *args, **kwargs)

        run.__signature__ = inspect.Signature([*chosen, *own])  # type: ignore[attr-defined]
        return run

    return decorate


def format_option(*formats: Format, help: str = "Output format.") -> Any:
    """The ``--format``/``-f`` option of a command, offering the formats it writes."""
    from typer._types import TyperChoice

    return typer.Option("--format", "-f", click_type=TyperChoice(formats), help=help)


#: the options of the commands that write a file for people to hold. Text, not a Path: a Path
#: drops a trailing "/", and "-o x.pdf/" (a folder meant) must not write x.pdf.
OutputPath = Annotated[str, typer.Option(
    "--output", "-o", help="File to write; its folder must exist. Written whole or not at all.")]
PatientId = Annotated[str | None, typer.Option(
    "--patient-id", help="Patient or study number to print; left blank to fill in by hand when not given.")]
