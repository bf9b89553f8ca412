"""``ivig-dose screen``: the trial's eligibility criteria and the IVIg safety check, from an answers
file or asked one by one, with a verdict and an exit status scripts can branch on."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ivig_dose.cli.options import format_option
from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import ExitStatus, InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.render.formats import Format

#: the file --save writes, as messages name it.
ANSWERS_FILE = message(N_("answers file"))

if TYPE_CHECKING:
    from rich.console import Console

    from ivig_dose.core.screening import Answer, Checklist, Criterion, Screen


def _hint(criterion: Criterion) -> str:
    """The short form of what a question accepts, in the reader's words; the full form comes with an error."""
    from ivig_dose.cli.language import current
    from ivig_dose.core.screening import answer_word
    from ivig_dose.parse.answers import accepted

    tr = current()
    if criterion.answer_type in ("yes_no", "choice"):
        return "/".join(tr.say(answer_word(choice)) for choice in criterion.choices)
    if criterion.answer_type == "date":
        return tr(N_("YYYY-MM-DD"))
    if criterion.answer_type == "date_or_never":
        return tr(N_("YYYY-MM-DD or never"))
    return tr.say(accepted(criterion))


#: bad answers in a row to one question before the questions stop: a person has been told three
#: times what is accepted; a script or a file fed to stdin would otherwise be asked without end.
TRIES = 3


class GaveUp(Exception):
    """A question got :data:`TRIES` answers in a row that were not accepted."""

    def __init__(self, criterion: Criterion) -> None:
        super().__init__(criterion.id)
        self.criterion = criterion


def ask(console: Console, checklist: Checklist, criterion: Criterion, answers: dict[str, Answer],
        screening_date: date, day_first: bool | None) -> None:
    """Asks one question until the answer is valid, at most :data:`TRIES` times in a row; an empty
    answer leaves it unanswered."""
    from rich.prompt import Prompt
    from rich.text import Text

    from ivig_dose.cli.language import current
    from ivig_dose.core.screening import check_dates
    from ivig_dose.parse.answers import parse_answer

    tr = current()
    if criterion.help:
        console.print(Text(f"   {tr(criterion.help)}", style="dim"))
    prompt = Text(f"{criterion.id} {tr(criterion.question)} ({_hint(criterion)})")
    for _ in range(TRIES):
        reply = Prompt.ask(prompt, console=console, default="", show_default=False)
        if not reply.strip():
            return
        try:
            value = parse_answer(criterion, reply, day_first)
            check_dates(checklist, {**answers, criterion.key: value}, screening_date)
        except InputError as exc:
            console.print(Text(tr.say(exc.said), style="red"))
            continue
        answers[criterion.key] = value
        return
    raise GaveUp(criterion)


def interview(
    checklist: Checklist, ivig_only: bool, screening_date: date, day_first: bool | None
) -> dict[str, Answer]:
    """Asks every selected question in checklist order; prompts go to stderr, so stdout stays clean."""
    from rich.console import Console
    from rich.text import Text

    from ivig_dose.cli.language import current, warn

    tr = current()
    console = Console(stderr=True, highlight=False)
    console.print(Text(tr(N_("{name}, screening date {date}. Press Enter to leave a question unanswered."),
                          name=tr(checklist.name), date=screening_date.isoformat()), style="bold"))
    answers: dict[str, Answer] = {}
    questions = checklist.selected(ivig_only)
    for number, criterion in enumerate(questions):
        try:
            ask(console, checklist, criterion, answers, screening_date, day_first)
        except EOFError:
            # end of input (Ctrl-D, a file that ran out): what was answered counts and is saved
            left = len(questions) - number
            sys.stderr.write("\n")
            warn([message(N_("end of input: {left} question(s) left unanswered; the {given} answer(s) given are kept"),
                          left=left, given=len(answers))])
            break
        except GaveUp as stopped:
            warn([message(N_("{id}: {tries} answers in a row were not accepted, so the questions stop here: {left} "
                             "question(s) left unanswered; the {given} answer(s) given are kept"),
                          id=stopped.criterion.id, tries=TRIES, left=len(questions) - number, given=len(answers))])
            break
    return answers


def screening_anchor(given: date | None, from_file: date | None) -> date:
    """--screening-date, else the file's screening_date, else today, said in a warning as plan says --start."""
    anchor = given if given is not None else from_file
    if anchor is not None:
        return anchor
    from ivig_dose.cli.language import warn

    today = date.today()
    warn([message(N_("no screening date given: date rules count to today, {today}"), today=today)])
    return today


def answers_from_file(
    path: str, checklist: Checklist, given: date | None, day_first: bool | None
) -> tuple[dict[str, Answer], date]:
    """The file's answers and the screening date, with impossible dates refused naming the file."""
    from ivig_dose.app.screen import checked_answers, read_answers_file

    values, file_date = read_answers_file(path, checklist, day_first)
    anchor = screening_anchor(given, file_date)
    return checked_answers(path, checklist, values, anchor), anchor


def answers_asked(
    checklist: Checklist, ivig_only: bool, given: date | None, day_first: bool | None, save: str | None
) -> tuple[dict[str, Answer], date]:
    """The answers typed at the prompts, saved to ``save`` (atomically) when asked."""
    if save is not None:  # a folder that is not there is said before the questions, not after them
        from ivig_dose.files.atomic import check_target

        check_target(save, ANSWERS_FILE)
    anchor = screening_anchor(given, None)
    values = interview(checklist, ivig_only, anchor, day_first)
    if save is not None:
        from ivig_dose.cli.language import current
        from ivig_dose.files.answers import answers_text
        from ivig_dose.files.atomic import write_atomically

        write_atomically(save, answers_text(checklist, values, anchor), ANSWERS_FILE)
        sys.stderr.write(current()(N_("ivig-dose: answers saved to {file}"), file=save) + "\n")
    return values, anchor


def write_screen(result: Screen, fmt: Format) -> None:
    if fmt is Format.json:
        from ivig_dose.render.screen_json import render_json

        sys.stdout.write(render_json(result))
    else:
        from ivig_dose.cli.language import current
        from ivig_dose.render.screen_table import render_table

        render_table(result, sys.stdout, current())


def exit_status(result: Screen) -> ExitStatus:
    if result.eligible is None:
        return ExitStatus.UNDECIDED
    return ExitStatus.OK if result.eligible else ExitStatus.NOT_OK


def screen(
    answers: Annotated[str | None, typer.Option(
        "--answers", "-a", help="TOML answers file (keys in docs/screening.md). Without it, each question is asked."
    )] = None,
    save: Annotated[str | None, typer.Option(
        help="Write the answers given to the questions to this TOML file (usable with --answers).")] = None,
    ivig_only: Annotated[bool, typer.Option(
        "--ivig-only", help="Check only the IVIg-related exclusions (E2-E7), as before each course.")] = False,
    screening_date: Annotated[str | None, typer.Option(
        help="Date every date rule counts to; overrides the file's screening_date. Default: the file's, "
             "else today.")] = None,
    fmt: Annotated[Format, format_option(Format.table, Format.json)] = Format.table,
    day_first: Annotated[bool, typer.Option("--day-first", help="Read 03/04/1990 as 3 April.")] = False,
    month_first: Annotated[bool, typer.Option("--month-first", help="Read 03/04/1990 as 4 March.")] = False,
    protocol: Annotated[str, typer.Option(help="Protocol whose checklist to run, or a checklist TOML file.")]
        = DEFAULT_PROTOCOL,
) -> int:
    """Screen a patient against the trial's criteria. Exit status: 0 eligible, 1 not eligible,
    2 bad input, 3 undecided (answers missing, none failing)."""
    from ivig_dose.app.screen import screen_result
    from ivig_dose.files.checklist import load_checklist
    from ivig_dose.parse.dates import parse_date
    from ivig_dose.parse.plan_inputs import day_order

    if answers is not None and save is not None:
        raise InputError(message(N_("--save writes the answers given to the questions; it cannot be used with "
                                    "--answers")))
    order = day_order(day_first, month_first)
    checklist = load_checklist(protocol)
    given = parse_date(screening_date, order) if screening_date is not None else None
    if answers is not None:
        values, anchor = answers_from_file(answers, checklist, given, order)
    else:
        values, anchor = answers_asked(checklist, ivig_only, given, order, save)
    result = screen_result(checklist, values, anchor, ivig_only)
    write_screen(result, fmt)
    return int(exit_status(result))
