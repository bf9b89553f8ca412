"""Screening checklists are data: ``data/protocols/screening/<protocol>.toml``, read into a frozen
:class:`~ivig_dose.core.screening.Checklist`.

They live in a subfolder because every ``data/protocols/*.toml`` is a dosing protocol. A checklist
is checked as strictly as a protocol: a rule that does not fit its answer type, a failing
choice that is not a choice, or a duplicate id or key would make the screen answer a
question nobody asked, so the file is refused before any patient is screened.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Joined, message
from ivig_dose.core.screening import (
    ANSWER_TYPES,
    DATE_RELATIONS,
    KINDS,
    NO,
    SCREENING_DATE_KEY,
    YES,
    AnswerIn,
    AnswerType,
    Below,
    Checklist,
    Criterion,
    DateRule,
    Kind,
    Period,
    Rule,
)
from ivig_dose.files.package_data import built_in, find_text, parse_toml

SUBFOLDER = "screening"
_KEY = re.compile(r"[a-z][a-z0-9_]*")
#: the fields a criterion may have; a misspelt one is refused rather than silently ignored.
#: ``range_source`` documents where a number's accepted range comes from; nothing reads it.
CRITERION_FIELDS = frozenset({
    "id", "key", "kind", "requirement", "question", "help", "answer", "choices", "fails_when",
    "min", "max", "whole", "unit", "range_source", "ivig", "source",
})


def built_in_checklists() -> list[str]:
    return built_in(SUBFOLDER)


def load_checklist(name_or_path: str) -> Checklist:
    """The built-in checklist of a protocol by name, or a checklist file by path."""
    text, origin = find_text(name_or_path, message(N_("screening checklist")), SUBFOLDER)
    return parse_checklist(text, origin)


def parse_checklist(text: str, origin: str) -> Checklist:
    raw = parse_toml(text, message(N_("checklist")), origin)
    entries = raw.get("criteria")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise InputError(message(N_("checklist {origin}: missing [[criteria]] entries"), origin=origin))
    criteria = tuple(_CriterionReader(origin, f"criteria[{i}]", e).criterion() for i, e in enumerate(entries))
    top = _CriterionReader(origin, "top level", raw)
    birth_key = raw.get("birth_date_key")
    checklist = Checklist(
        id=top.text("id"),
        name=top.text("name"),
        source=top.text("source"),
        criteria=criteria,
        birth_date_key=birth_key if isinstance(birth_key, str) else None,
    )
    _check_consistency(checklist, birth_key, origin)
    return checklist


def _check_consistency(checklist: Checklist, birth_key: object, origin: str) -> None:
    problems = []
    ids = [c.id for c in checklist.criteria]
    keys = list(checklist.keys)
    if len(set(ids)) != len(ids):
        problems.append(message(N_("criterion ids must be unique")))
    if len(set(keys)) != len(keys):
        problems.append(message(N_("criterion keys must be unique")))
    if SCREENING_DATE_KEY in keys:
        problems.append(message(N_("{key!r} is reserved for the screening date"), key=SCREENING_DATE_KEY))
    dates = {c.key for c in checklist.criteria if c.answer_type == "date"}
    if birth_key is not None and birth_key not in dates:
        problems.append(message(N_("birth_date_key {key!r} must be the key of a 'date' criterion"),
                                key=str(birth_key)))
    if problems:
        raise InputError(message(N_("checklist {origin}: {problems}"), origin=origin,
                                 problems=Joined(tuple(problems), "; ")))


class _CriterionReader:
    """Reads one criterion's typed fields, naming the file and the entry in every error."""

    def __init__(self, origin: str, where: str, raw: dict[str, Any]) -> None:
        self.origin, self.where, self.raw = origin, where, raw

    def fail(self, what: str) -> InputError:
        return InputError(message(N_("checklist {origin}: {where}: {problem}"), origin=self.origin,
                                  where=self.where, problem=what))

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail(message(N_("{key!r} must be a text"), key=key))
        return value

    def number(self, key: str) -> Decimal | None:
        value = self.raw.get(key)
        if value is None:
            return None
        problem = self.fail(message(N_("{key!r} must be a number, e.g. \"10\""), key=key))
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise problem
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise problem from exc
        if not number.is_finite():
            raise problem
        return number

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(message(N_("{key!r} must be true or false, not {value}"), key=key, value=repr(value)))
        return value

    def one_of(self, key: str, accepted: tuple[str, ...]) -> str:
        value = self.raw.get(key)
        if value not in accepted:
            raise self.fail(message(N_("{key!r} must be one of {accepted}, not {value}"), key=key,
                                    accepted=", ".join(accepted), value=repr(value)))
        return cast(str, value)

    def choices(self, answer_type: AnswerType) -> tuple[str, ...]:
        if answer_type == "yes_no":
            return (YES, NO)
        if answer_type != "choice":
            return ()
        value = self.raw.get("choices")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and _KEY.fullmatch(v) for v in value):
            raise self.fail(message(N_("'choices' must be a list of lower-case words")))
        if len(set(value)) != len(value):
            raise self.fail(message(N_("'choices' must be unique")))
        return tuple(value)

    def rule(self, answer_type: AnswerType, choices: tuple[str, ...]) -> Rule:
        table = self.raw.get("fails_when")
        if not isinstance(table, dict) or len(table) != 1:
            raise self.fail(message(N_("'fails_when' must be a table with exactly one condition")))
        (condition, value), = table.items()
        if answer_type in ("yes_no", "choice") and condition in ("answer", "answer_in"):
            failing = [value] if condition == "answer" else value
            if not isinstance(failing, list) or not failing or any(f not in choices for f in failing):
                raise self.fail(message(N_("'fails_when.{condition}' must name answers among {choices}"),
                                        condition=condition, choices=", ".join(choices)))
            return AnswerIn(tuple(failing))
        if answer_type == "number" and condition == "below":
            limit = _CriterionReader(self.origin, f"{self.where}.fails_when", table).number("below")
            assert limit is not None
            return Below(limit)
        if answer_type in ("date", "date_or_never") and condition in DATE_RELATIONS and isinstance(value, str):
            try:
                return DateRule(condition, Period.parse(value))
            except InputError as exc:
                raise self.fail(message(N_("'fails_when.{condition}': {problem}"), condition=condition,
                                        problem=exc.said)) from exc
        raise self.fail(message(N_("'fails_when.{condition}' does not fit an answer of type {type!r}"),
                                condition=condition, type=answer_type))

    def criterion(self) -> Criterion:
        unknown = sorted(set(self.raw) - CRITERION_FIELDS)
        if unknown:
            raise self.fail(message(N_("unknown field(s) {fields}; accepted: {accepted}"), fields=", ".join(unknown),
                                    accepted=", ".join(sorted(CRITERION_FIELDS))))
        key = self.text("key")
        if not _KEY.fullmatch(key):
            raise self.fail(message(N_("'key' {key!r} must be lower-case letters, digits and underscores"), key=key))
        answer_type = cast(AnswerType, self.one_of("answer", ANSWER_TYPES))
        choices = self.choices(answer_type)
        criterion = Criterion(
            id=self.text("id"),
            key=key,
            kind=cast(Kind, self.one_of("kind", KINDS)),
            requirement=self.text("requirement"),
            question=self.text("question"),
            answer_type=answer_type,
            rule=self.rule(answer_type, choices),
            source=self.text("source"),
            ivig=self.flag("ivig"),
            help=self.text("help", ""),
            choices=choices,
            minimum=self.number("min"),
            maximum=self.number("max"),
            whole=self.flag("whole"),
            unit=self.text("unit", ""),
        )
        if criterion.minimum is not None and criterion.maximum is not None and criterion.minimum > criterion.maximum:
            raise self.fail(message(N_("'min' must not be above 'max'")))
        return criterion
