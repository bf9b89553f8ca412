"""The bedside record's SQLite file: the one module that speaks SQL.

A record is what went into a patient, so nothing written may be lost or changed:

- every command is one transaction (``BEGIN IMMEDIATE`` for a command that writes, so its checks
  and its entry see the same record), in WAL mode with ``synchronous=FULL``: a committed entry
  survives a killed process and a power cut, and readers never wait for a writer;
- a busy timeout makes concurrent writers wait their turn rather than fail;
- triggers refuse every UPDATE and DELETE of an entry; each entry carries the SHA-256 of its
  content and its link in the chain (:mod:`ivig_dose.core.record`), which ``record check``
  recomputes, so an entry changed or removed around the triggers is still found;
- a file that is not a record is never written to: a folder, an empty, truncated or foreign
  file, a file marked read-only, or a record of a newer schema each get one line and are left
  as they were (their bytes and their time).

The schema is versioned with ``PRAGMA user_version`` and marked with ``PRAGMA application_id``;
:data:`MIGRATIONS` takes an older record to the current version inside the command's own
transaction (a command that only reads reads an older record as it is). ``sqlite3`` and
``platformdirs`` are imported when a record is opened, never at start-up.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import GENESIS, PREPARE, Entry, Stored, canonical, chain_hash

if TYPE_CHECKING:
    import sqlite3

#: ``PRAGMA application_id``: "IVGD", so a record is told from any other SQLite file.
APPLICATION_ID = 0x49564744
#: the schema this program writes; a record with a higher one was made by a newer ivig-dose.
SCHEMA_VERSION = 2
#: the first schema with the index of lots.
LOTS_VERSION = 2
#: how long a command waits for another one's transaction before giving up, in seconds.
BUSY_SECONDS = 60.0
#: the file's name in the user's data folder (platformdirs).
DEFAULT_NAME = "records.sqlite3"
HEADER = b"SQLite format 3\x00"

#: the statements that take a record from version N to N + 1, index N. Version 1 is the first.
#: A new kind of entry (a preparation with its lots) needs no migration: it is an entry like the
#: others, its fields in ``data``; a migration adds what is derived from entries (version 2: the
#: index of lots a recall looks up, rebuilt from the entries when it is added), never a change to
#: an entry, so every hash stays what it was.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE record_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE entries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            kind TEXT NOT NULL,
            patient TEXT NOT NULL,
            bag INTEGER,
            at TEXT NOT NULL,
            zone TEXT NOT NULL,
            recorded TEXT NOT NULL,
            author TEXT NOT NULL,
            data TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)""",
        "CREATE INDEX entries_by_bag ON entries (patient, bag, seq)",
        "CREATE TRIGGER entries_never_updated BEFORE UPDATE ON entries "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry is never changed'); END",
        "CREATE TRIGGER entries_never_deleted BEFORE DELETE ON entries "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry is never removed'); END",
        "CREATE TRIGGER record_info_never_updated BEFORE UPDATE ON record_info "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END",
        "CREATE TRIGGER record_info_never_deleted BEFORE DELETE ON record_info "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END",
    ),
    (
        # each lot of a preparation (as recall compares it, upper case) and the entry's place; an
        # index, never hashed: it is what the entries say, and record check compares the two
        "CREATE TABLE lots (lot TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (lot, seq)) WITHOUT ROWID",
        "CREATE TRIGGER lots_never_updated BEFORE UPDATE ON lots "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only: the index of lots is never changed'); END",
        "CREATE TRIGGER lots_never_deleted BEFORE DELETE ON lots "
        "BEGIN SELECT RAISE(ABORT, 'the record is append-only: the index of lots is never changed'); END",
    ),
)
#: the triggers that keep the record append-only, by the schema version that adds them: ``record
#: check`` says when one is missing.
TRIGGERS = {1: ("entries_never_deleted", "entries_never_updated", "record_info_never_deleted",
                "record_info_never_updated"),
            LOTS_VERSION: ("lots_never_deleted", "lots_never_updated")}
COLUMNS = "seq, uuid, origin, kind, patient, bag, at, zone, recorded, author, data, content_hash, prev_hash, hash"
ACCEPTED = message(N_("a record made by ivig-dose record, or a path in an existing folder where none exists yet"))


def default_path() -> str:
    """``records.sqlite3`` in the user's data folder (``~/.local/share/ivig-dose`` on Linux)."""
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("ivig-dose", appauthor=False), DEFAULT_NAME)


def make_default_folder(path: str) -> None:
    """The user's data folder, made on first use (only for the default record: a folder named with
    --db is the user's to make)."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as exc:
        raise _refuse(path, message(N_("cannot be made ({reason})"), reason=exc.strerror or "")) from exc


def _refuse(path: str, why: str) -> InputError:
    return InputError(message(N_("the record {path!r} {why}; nothing was read or written; accepted: {accepted}"),
                              path=path, why=why, accepted=ACCEPTED))


def _read_only(path: str, st: os.stat_result) -> bool:
    """True for a file this process may not write, or one marked read-only (even for root: a
    record someone marked read-only, an archived one, is left as it is)."""
    return not os.access(path, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def check_file(path: str, write: bool) -> bool:
    """Refuses a path that is not a record this command may use, before SQLite touches it; True
    when the file exists."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not write:
            raise _refuse(path, message(N_("does not exist"))) from None
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise _refuse(path, message(N_("cannot be made: its folder does not exist"))) from None
        return False
    except OSError as exc:
        raise _refuse(path, message(N_("cannot be read ({reason})"), reason=exc.strerror or "")) from exc
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(path, message(N_("is a folder")))
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, message(N_("is not a file")))
    if st.st_size == 0:
        raise _refuse(path, message(N_("is an empty file")))
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise _refuse(path, message(N_("cannot be read ({reason})"), reason=exc.strerror or "")) from exc
    if len(header) < 100 or not header.startswith(HEADER):
        raise _refuse(path, message(N_("is not an SQLite database")))
    if _truncated(header, st.st_size, path):
        raise _refuse(path, message(N_("is truncated: it is shorter than its own header says")))
    if write and _read_only(path, st):
        raise _refuse(path, message(N_("is read-only")))
    return True


def _truncated(header: bytes, size: int, path: str) -> bool:
    """True when the header's page count says the file is longer than it is. The count is only
    trusted when SQLite marks it valid, and not while a write-ahead log may still hold pages."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    wal = path + "-wal"
    return valid and pages > 0 and size < pages * page_size and not (os.path.exists(wal) and os.path.getsize(wal))


def _uri(path: str, read_only: bool) -> str:
    """The file as SQLite opens it. A read-only record with no log beside it is opened immutable:
    SQLite then leaves no ``-wal`` or ``-shm`` file next to it (no one can be writing it)."""
    from urllib.parse import quote

    # urllib.request.pathname2url would do this, at the cost of importing http, ssl and email
    absolute = os.path.abspath(path).replace(os.sep, "/")
    uri = "file:" + quote(absolute if absolute.startswith("/") else "/" + absolute, safe="/:")
    if not read_only:
        return uri
    wal = path + "-wal"
    return uri + ("?mode=ro" if os.path.exists(wal) and os.path.getsize(wal) else "?mode=ro&immutable=1")


@contextmanager
def opened(path: str, write: bool) -> Iterator[Store]:
    """The record at ``path`` in one transaction: committed when the block ends, rolled back when it
    raises. A command that writes makes the file when there is none; one that reads never does."""
    import sqlite3

    exists = check_file(path, write)
    read_only = not write and _read_only(path, os.stat(path))
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(_uri(path, read_only), uri=True, timeout=BUSY_SECONDS, isolation_level=None)
        store = Store(connection, path)
        if exists:  # a foreign or newer file is refused before the WAL setting below can change it
            store.known()
        if write:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        store.prepare(write, exists)
        yield store
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        _roll_back(connection)
        raise InputError(message(N_("cannot use the record {path!r}: {reason}; nothing was written"), path=path,
                                 reason=str(exc))) from exc
    except BaseException:
        _roll_back(connection)
        raise
    finally:
        if connection is not None:
            connection.close()


def _roll_back(connection: sqlite3.Connection | None) -> None:
    import sqlite3

    if connection is not None and connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the transaction is gone already; closing ends it anyway
            connection.execute("ROLLBACK")


class Store:
    """One open record inside its transaction: entries in, entries out, in storage order."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.connection = connection
        self.path = path
        self.origin = ""
        #: the file's schema version once it is open (an older one is read as it is).
        self.version = SCHEMA_VERSION

    def known(self) -> int:
        """The file's schema version, once it is known to be a record this program can read."""
        application, version = (self.one("PRAGMA application_id"), self.one("PRAGMA user_version"))
        tables = self.one("SELECT count(*) FROM sqlite_master")
        if application != APPLICATION_ID and (application != 0 or tables):
            raise _refuse(self.path, message(N_("is an SQLite database but not an ivig-dose record")))
        if version > SCHEMA_VERSION:
            raise _refuse(self.path, message(N_("was written by a newer ivig-dose (record schema {version}; this one "
                                                "knows up to {known}): use that version or a newer one"),
                                             version=version, known=SCHEMA_VERSION))
        return int(version)

    def prepare(self, write: bool, exists: bool) -> None:
        """Checks the file is a record of a schema this program knows (again, inside the transaction:
        another command may have made or migrated it meanwhile); makes or migrates it when writing."""
        version = self.known()
        if version < SCHEMA_VERSION:
            if not write and (not exists or version == 0):
                raise _refuse(self.path, message(N_("holds no record yet")))
            if write:
                self.migrate(version)
                version = SCHEMA_VERSION
        self.version = version
        self.origin = str(self.one("SELECT value FROM record_info WHERE key = 'origin'"))

    def migrate(self, version: int) -> None:
        import uuid

        for statements in MIGRATIONS[version:]:
            for statement in statements:
                self.connection.execute(statement)
        if version == 0:
            self.connection.execute("INSERT INTO record_info VALUES ('origin', ?)", (uuid.uuid4().hex,))
            self.connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        elif version < LOTS_VERSION:  # the index of an older record is built from what it holds
            for row in self.rows("WHERE kind = ?", (PREPARE,)):
                self._index(row.seq, row.entry)
        self.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def one(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        row = self.connection.execute(sql, parameters).fetchone()
        return None if row is None else row[0]

    def append(self, entry: Entry) -> Stored:
        """Adds ``entry`` at the end of the chain."""
        previous = self.one("SELECT hash FROM entries ORDER BY seq DESC LIMIT 1") or GENESIS
        content_hash = entry.content_hash()
        link = chain_hash(previous, content_hash)
        cursor = self.connection.execute(
            f"INSERT INTO entries ({COLUMNS.removeprefix('seq, ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.uuid, entry.origin, entry.kind, entry.patient, entry.bag, entry.at, entry.zone, entry.recorded,
             entry.by, canonical(dict(entry.data)).decode("utf-8"), content_hash, previous, link))
        seq = int(cursor.lastrowid or 0)
        if entry.kind == PREPARE:
            self._index(seq, entry)
        return Stored(seq, entry, content_hash, previous, link)

    def _index(self, seq: int, entry: Entry) -> None:
        self.connection.executemany("INSERT OR IGNORE INTO lots VALUES (?, ?)",
                                    [(lot, seq) for lot in sorted(lots_of(entry))])

    def lot_rows(self, lot: str) -> list[Stored]:
        """The preparations that name ``lot`` (as :func:`lot_key` compares it), in storage order: from
        the index, or from every preparation in a record older than the index."""
        if self.version < LOTS_VERSION:
            return [row for row in self.rows("WHERE kind = ?", (PREPARE,)) if lot in lots_of(row.entry)]
        return list(self.rows("WHERE seq IN (SELECT seq FROM lots WHERE lot = ?)", (lot,)))

    def index_problem(self) -> tuple[str, int] | None:
        """The first (lot, entry place) where the index of lots and the preparations differ; None when
        they agree (or the record is older than the index)."""
        from itertools import zip_longest

        if self.version < LOTS_VERSION:
            return None
        # both in (seq, lot) order, compared a pair at a time: a long record is never held whole
        wanted = ((row.seq, lot) for row in self.rows("WHERE kind = ?", (PREPARE,))
                  for lot in sorted(lots_of(row.entry)))
        held = ((int(seq), str(lot))
                for seq, lot in self.connection.execute("SELECT seq, lot FROM lots ORDER BY seq, lot"))
        for ours, theirs in zip_longest(wanted, held):
            if ours != theirs:
                seq, lot = min(pair for pair in (ours, theirs) if pair is not None)
                return lot, seq
        return None

    def rows(self, where: str = "", parameters: tuple[Any, ...] = (), order: str = "seq") -> Iterator[Stored]:
        """Entries one at a time, straight from the cursor: a long record is never held whole."""
        cursor = self.connection.execute(f"SELECT {COLUMNS} FROM entries {where} ORDER BY {order}", parameters)
        for row in cursor:
            yield _stored(row)

    def patient_rows(self, patient: str) -> Iterator[Stored]:
        """A patient's entries, bag by bag (orders first), each bag's in storage order."""
        return self.rows("WHERE patient = ?", (patient,), "patient, bag, seq")

    def bag_rows(self, patient: str, bag: int | None) -> list[Stored]:
        if bag is None:
            return list(self.rows("WHERE patient = ? AND bag IS NULL", (patient,)))
        return list(self.rows("WHERE patient = ? AND bag = ?", (patient, bag)))

    def by_prefix(self, prefix: str) -> list[Stored]:
        """The entries whose id starts with ``prefix`` (at most two: enough to say it is not unique)."""
        return list(self.rows("WHERE uuid >= ? AND uuid < ?", (prefix, prefix + "\U0010ffff"), "seq LIMIT 2"))

    def content_hash_of(self, uuid: str) -> str | None:
        found = self.one("SELECT content_hash FROM entries WHERE uuid = ?", (uuid,))
        return None if found is None else str(found)

    def patients(self) -> list[str]:
        return [row[0] for row in self.connection.execute(
            "SELECT DISTINCT patient FROM entries WHERE kind = 'order' ORDER BY patient")]

    def highest_seq(self) -> int:
        """The highest place ever given to an entry, which SQLite keeps even when the entry is gone."""
        found = self.one("SELECT seq FROM sqlite_sequence WHERE name = 'entries'")
        return int(found or 0)

    def missing_triggers(self) -> list[str]:
        present = {row[0] for row in self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        return [name for version, names in TRIGGERS.items() if version <= self.version for name in names
                if name not in present]


def lot_key(lot: str) -> str:
    """A lot as a recall compares it: a lot typed in lower case is the lot printed in upper case."""
    return lot.strip().upper()


def lots_of(entry: Entry) -> set[str]:
    """The lots a preparation names, as :func:`lot_key` writes them."""
    vials = entry.data.get("vials")
    return {lot_key(str(vial["lot"])) for vial in (vials if isinstance(vials, list) else [])
            if isinstance(vial, dict) and "lot" in vial}


def _stored(row: tuple[Any, ...]) -> Stored:
    (seq, uuid, origin, kind, patient, bag, at, zone, recorded, author, data, content_hash, prev_hash, link) = row
    try:
        parsed = json.loads(data)
    except (TypeError, ValueError):
        parsed = {"unreadable": str(data)}
    if not isinstance(parsed, dict):
        parsed = {"unreadable": str(data)}
    entry = Entry(str(uuid), str(origin), str(kind), str(patient), bag if isinstance(bag, int) else None, str(at),
                  str(zone), str(recorded), str(author), parsed)
    return Stored(int(seq), entry, str(content_hash), str(prev_hash), str(link))
