"""``ivig-dose protocol``: list, show and check protocols, and where each of their numbers comes from."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message, neutral

app = typer.Typer(help="List, show and check protocols and the sources of their numbers.", no_args_is_help=True)


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Protocol name or TOML file.")] = DEFAULT_PROTOCOL,
) -> None:
    """Print a protocol's parameters, the rule each feeds and where each comes from."""
    from ivig_dose.cli.language import current
    from ivig_dose.files.protocols import day_defaults, load_protocol
    from ivig_dose.render.protocol_text import render_protocol

    sys.stdout.write(render_protocol(load_protocol(name), day_defaults(), current()))


@app.command("list")
def list_protocols() -> None:
    """List the built-in protocols: name, whether verified against its sources, and title."""
    from ivig_dose.cli.language import current
    from ivig_dose.files.protocols import built_in_names, load_protocol
    from ivig_dose.render.protocol_text import protocol_line

    for name in built_in_names():
        sys.stdout.write(protocol_line(name, load_protocol(name), current()) + "\n")


def usable_problems(path: str) -> list[str]:
    """What stops a protocol whose tables are right from planning: a catalogue product that the
    catalogue does not hold, a default rounding its product cannot give. Found by setting up a
    run exactly as ``plan`` does, so ``check`` passes only what ``plan`` can use."""
    from ivig_dose.app.plan import plan_patient, setup
    from ivig_dose.core.amounts import amount
    from ivig_dose.parse.plan_inputs import PlanInputs

    try:
        run = setup(path)
    except InputError as exc:
        return [exc.said]
    rules = run.protocol
    # the lightest, a middle and the heaviest patient the protocol plans: a default rounding that no
    # day of theirs can take is found here, not at the first patient's plan
    low, high = rules.value("min_weight"), rules.value("max_weight")
    problems: list[str] = []
    for weight in sorted({low, (low + high) / 2, high}):
        try:
            plan_patient(PlanInputs(weight=amount(weight), start="2027-01-04"), run)
        except InputError as exc:
            problems.append(message(N_("a {weight} kg patient cannot be planned: {problem}"), weight=weight,
                                    problem=exc.said))
    return problems


@app.command("check")
def check(
    path: Annotated[str, typer.Argument(help="Protocol TOML file (or built-in name) to check.")],
) -> None:
    """Check a protocol file against the schema and print every problem, one a line.

    Exit status 0 when the file can be used, 2 when it has problems (each printed on stdout).
    """
    from ivig_dose.files.package_data import find_text
    from ivig_dose.files.protocols import protocol_problems

    text, origin = find_text(path, message(N_("protocol")))
    problems: list[str] = [neutral("{path}: {problem}", path=path, problem=problem)
                for problem in protocol_problems(text, origin) or usable_problems(path)]
    report_problems(problems, path, message(N_("protocol file")),
                    message(N_("a file that follows docs/protocol-schema.md")))


def report_problems(problems: list[str], path: str, what: str, accepted: str) -> None:
    """``check``'s answer: every problem on stdout, one a line, then exit 2; or "PATH: ok"."""
    from ivig_dose.cli.language import current

    tr = current()
    for problem in problems:
        sys.stdout.write(f"{tr.say(problem)}\n")
    if problems:
        count = message(N_("1 problem")) if len(problems) == 1 else message(N_("{n} problems"), n=len(problems))
        raise InputError(message(N_("{what} {path!r} has {count} (listed on stdout); accepted: {accepted}"), what=what,
                                 path=path, count=count, accepted=accepted))
    sys.stdout.write(tr(N_("{path}: ok"), path=path) + "\n")
