"""The bedside record's entries, their canonical content and the hash chain over them.

An entry is one line of an infusion record: who, when, which bag, what. Nothing is ever changed
or removed; a correction is a new entry naming the one it corrects, as a struck-through line on
paper. Each entry's *content* (every field but its place in a database) is written one way only
(:func:`canonical`) and has a SHA-256, the same in every database the entry is merged into, so a
merge can tell an entry it already holds from a different one with the same id. Each database
then chains its entries in the order it stored them: an entry's chain hash covers the previous
entry's chain hash and its own content hash, so changing, removing or reordering any entry
breaks the chain exactly there. No I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import TypeAlias

from ivig_dose.core.messages import N_, Message, message, neutral
from ivig_dose.core.records import frozen

#: the kinds of entry. A bag's events, then an order, a correction and a bag's preparation (its vials and lots).
START, RATE, PAUSE, RESUME, STOP, REACTION = "start", "rate", "pause", "resume", "stop", "reaction"
ORDER, AMEND, PREPARE = "order", "amend", "prepare"
BAG_EVENTS = (START, RATE, PAUSE, RESUME, STOP, REACTION)
#: each kind as people read it; the record and its exports keep the key.
KIND_WORDS = {START: N_("start"), RATE: N_("rate"), PAUSE: N_("pause"), RESUME: N_("resume"), STOP: N_("stop"),
              REACTION: N_("reaction"), ORDER: N_("order"), AMEND: N_("correction"), PREPARE: N_("preparation")}
#: the previous hash of a database's first entry.
GENESIS = "0" * 64
#: the version of the canonical content; a new kind of entry (a preparation with its lots) adds
#: fields to ``data`` without changing it, so the hash of every entry written before stays valid.
CONTENT_VERSION = 1

#: what ``data`` may hold: JSON's values, with numbers that are not whole written as text.
Json: TypeAlias = "str | int | bool | list[Json] | dict[str, Json] | None"


def kind_word(kind: str) -> Message:
    """``rate``, ``snelheid``: a kind of entry in the reader's words; an unknown kind as it is."""
    word = KIND_WORDS.get(kind)
    return message(word) if word is not None else neutral("{kind}", kind=kind)


def decimal_text(value: Decimal) -> str:
    """A decimal as the record stores it: exact, no exponent, no trailing zero (``42``, ``0.5``)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def utc_text(moment: datetime) -> str:
    """A moment in UTC to the second, ``2027-01-04T08:05:00Z``: sortable as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_utc_text(text: str) -> datetime:
    """:func:`utc_text` read back (``fromisoformat`` reads the ``Z``; strptime would be ten times slower,
    and an export reads every entry's time)."""
    return datetime.fromisoformat(text)


def zone_text(moment: datetime) -> str:
    """The UTC offset of a local moment, ``+01:00``: enough to show it again as the clock read."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=64)
def zone_of(text: str) -> timezone:
    sign = -1 if text.startswith("-") else 1
    hours, _, minutes = text[1:].partition(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def local(at: str, zone: str) -> datetime:
    """An entry's moment as the clock read where it was written."""
    return from_utc_text(at).astimezone(zone_of(zone))


def canonical(value: Json) -> bytes:
    """The one way a value is written for hashing: keys sorted, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chain_hash(previous: str, content_hash: str) -> str:
    """An entry's link in its database's chain: the previous link and this entry's content."""
    return sha256(f"{previous}{content_hash}".encode("ascii"))


@frozen
class Entry:
    """One line of the record, as it is hashed and merged; ``data`` holds what its kind says."""

    uuid: str
    #: the id of the database it was first written in.
    origin: str
    kind: str
    patient: str
    #: the bag's number in its order (``bag 3 of 16``); None for an order.
    bag: int | None
    #: when it happened, in UTC (:func:`utc_text`), and the UTC offset of the clock it was told in.
    at: str
    zone: str
    #: when it was written, in UTC.
    recorded: str
    by: str
    data: Mapping[str, Json]

    def content(self) -> Json:
        return {"v": CONTENT_VERSION, "uuid": self.uuid, "origin": self.origin, "kind": self.kind,
                "patient": self.patient, "bag": self.bag, "at": self.at, "zone": self.zone,
                "recorded": self.recorded, "by": self.by, "data": dict(self.data)}

    def content_hash(self) -> str:
        return sha256(canonical(self.content()))

    @property
    def short(self) -> str:
        """The id as show prints it and amend accepts it: its first eight characters."""
        return self.uuid[:8]


@frozen
class Stored:
    """An entry in one database: its place in that database's chain and the hashes stored with it."""

    seq: int
    entry: Entry
    content_hash: str
    prev_hash: str
    hash: str


@frozen
class Problem:
    """The first entry that fails the check, and why."""

    seq: int
    uuid: str | None
    said: Message


@frozen
class ChainCheck:
    """How many entries were checked, the chain's last link, and the first problem found."""

    count: int
    #: the last entry's chain hash: written down elsewhere, it shows a later rewrite of the whole file.
    head: str
    problem: Problem | None


def check_chain(rows: Iterable[Stored], highest_seq: int) -> ChainCheck:
    """Every entry's content against its hash and its link against the one before, in storage order.

    ``highest_seq`` is the highest place the database ever gave (SQLite keeps it apart from the
    entries), so removing the last entries is found as well as removing one in the middle.
    """
    previous, expected_seq, count = GENESIS, 1, 0
    for row in rows:
        count += 1
        problem = _row_problem(row, previous, expected_seq)
        if problem is not None:
            return ChainCheck(count, previous, problem)
        previous, expected_seq = row.hash, row.seq + 1
    if highest_seq >= expected_seq:
        said = message(N_("entries {first} to {last} are missing: removed from the end of the record"),
                       first=expected_seq, last=highest_seq)
        return ChainCheck(count, previous, Problem(expected_seq, None, said))
    return ChainCheck(count, previous, None)


def _row_problem(row: Stored, previous: str, expected_seq: int) -> Problem | None:
    entry = row.entry
    if row.seq != expected_seq:
        said = message(N_("entries {first} to {last} are missing: removed before entry {seq} ({entry})"),
                       first=expected_seq, last=row.seq - 1, seq=row.seq, entry=entry.short)
        return Problem(row.seq, entry.uuid, said)
    if entry.content_hash() != row.content_hash:
        said = message(N_("entry {seq} ({entry}, {kind}) was changed: its content no longer matches its hash"),
                       seq=row.seq, entry=entry.short, kind=kind_word(entry.kind))
        return Problem(row.seq, entry.uuid, said)
    if row.prev_hash != previous or chain_hash(previous, row.content_hash) != row.hash:
        said = message(N_("entry {seq} ({entry}, {kind}) does not follow the entry before it: the chain was "
                          "changed there"), seq=row.seq, entry=entry.short, kind=kind_word(entry.kind))
        return Problem(row.seq, entry.uuid, said)
    return None


@frozen
class Checked:
    """``record check``: the chain, and the triggers that keep the record append-only."""

    chain: ChainCheck
    missing_triggers: tuple[str, ...]
    #: where the index of lots (derived from the preparations, never hashed) differs from them.
    index_problem: Message | None = None

    @property
    def ok(self) -> bool:
        return self.chain.problem is None and not self.missing_triggers and self.index_problem is None
