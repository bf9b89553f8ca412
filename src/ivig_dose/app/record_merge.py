"""Merging another bedside record into this one: only a record that passes its check, and only
entries this one does not hold yet; one held in both with other content stops the merge whole.
"""

from __future__ import annotations

from ivig_dose.app.record_read import check
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen


@frozen
class Merged:
    """What a merge brought: entries added, and entries the record held already."""

    added: int
    present: int


def merge(db: str, other: str) -> Merged:
    """Brings every entry of ``other`` this record does not hold yet, re-chained here with its id and
    content hash kept; an entry held in both with different content stops the merge, nothing added."""
    import os

    from ivig_dose.files.record_store import opened

    if os.path.abspath(db) == os.path.abspath(other):
        raise InputError(message(N_("cannot merge the record {path!r} into itself; accepted: another record file"),
                                 path=other))
    checked = check(other)
    if checked.chain.problem is not None:
        raise InputError(message(N_("{path} fails its check, so nothing was merged: {problem}"), path=other,
                                 problem=checked.chain.problem.said))
    added = present = 0
    with opened(db, write=True) as store, opened(other, write=False) as source:
        for row in source.rows():
            held = store.content_hash_of(row.entry.uuid)
            if held is None:
                store.append(row.entry)
                added += 1
            elif held == row.content_hash:
                present += 1
            else:
                raise InputError(message(N_("entry {entry} is in both records with different content; nothing was "
                                            "merged; accepted: records whose shared entries agree (record check "
                                            "finds which was changed)"), entry=row.entry.short))
    return Merged(added, present)
