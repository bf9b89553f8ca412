"""Peak memory of ``ivig-dose record`` reading a long record: it must not grow with the record.

``record export`` writes every entry (JSON Lines, CSV) or every administration (FHIR) as it reads
it from the file, and ``record show`` a patient's bags one at a time; so their peak memory should
stay where it is when the record grows tenfold. This script builds records of each size straight
through the store (a transaction for the lot: minutes of commands otherwise), every entry a valid
one, then runs each command as a whole process and reads its peak resident set (``ru_maxrss``, the
largest single process, as ``benchmarks/bench_cli.py`` does) and its wall time.

    python benchmarks/record_memory.py              # 10,000 and 100,000 entries; 100 and 1,000 for show
    python benchmarks/record_memory.py --quick      # 1,000 and 10,000; 100 and 1,000

Standard library and ivig-dose only. No test asserts a figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ivig_dose.app.record import new_id
from ivig_dose.app.record_order import VerifyOptions, registered, verified_order
from ivig_dose.core.record import ORDER, RATE, REACTION, START, STOP, Entry, utc_text
from ivig_dose.files.record_store import opened

BEGIN = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def order_data(folder: Path) -> dict[str, object]:
    """A real order's entry data: 70 kg, seven bags, verified as ``record order`` verifies it."""
    path = folder / "order.json"
    done = subprocess.run([*command(), "plan", "--weight", "70", "--start", "2026-11-02", "-f", "json"],
                          capture_output=True, text=True, check=True)
    path.write_text(done.stdout, encoding="utf-8")
    order, verification, run = verified_order(str(path), VerifyOptions())
    assert verification.matches
    kept, _ = registered(order, run, ())
    return kept.data()


def patient_entries(origin: str, patient: str, data: dict[str, object], count: int) -> list[Entry]:
    """An order and ``count - 1`` events over its seven bags: each bag started, its rate changed
    between its first two steps once a minute, a reaction, and stopped."""
    digest = str(data["digest"])
    entries = [Entry(new_id(), origin, ORDER, patient, None, utc_text(BEGIN), "+01:00", utc_text(BEGIN), "PH", data)]
    per_bag = max(3, (count - 1) // 7)
    for bag in range(1, 8):
        moment = BEGIN + timedelta(days=bag)
        events: list[tuple[str, dict[str, object]]] = [(START, {"rate_ml_per_h": "42"})]
        events += [(RATE, {"rate_ml_per_h": ("84", "42")[n % 2]}) for n in range(per_bag - 3)]
        events += [(REACTION, {"grade": 1, "symptoms": "flush", "action": "none"}), (STOP, {"infused_ml": "10"})]
        for kind, fields in events:
            if len(entries) == count:
                return entries
            moment += timedelta(minutes=1)
            entries.append(Entry(new_id(), origin, kind, patient, bag, utc_text(moment), "+01:00", utc_text(moment),
                                 "AB", {"order": digest, **fields}))
    return entries


def make_record(path: Path, data: dict[str, object], patients: int, per_patient: int) -> None:
    with opened(str(path), write=True) as store:
        for number in range(patients):
            for entry in patient_entries(store.origin, f"P{number:06d}", data, per_patient):
                store.append(entry)


def command() -> list[str]:
    beside = Path(sys.executable).with_name("ivig-dose")
    return [str(beside)] if beside.exists() else ["ivig-dose"]


def peak(args: list[str]) -> tuple[float, float]:
    """(peak resident MiB, wall seconds) of one run, its output thrown away."""
    start = time.perf_counter()
    child = subprocess.Popen([*command(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    assert child.stderr is not None
    errors = child.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"record_memory: {' '.join(args)} failed: {errors.strip()}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="records ten times smaller")
    options = parser.parse_args()
    small, large = (1_000, 10_000) if options.quick else (10_000, 100_000)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        data = order_data(folder)
        records = {}
        for total in (small, large):
            records[total] = folder / f"export-{total}.sqlite3"
            make_record(records[total], data, total // 100, 100)
        for per_patient in (100, 1_000):
            records[-per_patient] = folder / f"show-{per_patient}.sqlite3"
            make_record(records[-per_patient], data, 1, per_patient)
        print(f"{'command':<44} {'entries':>8} {'peak MiB':>9} {'wall s':>7}")
        for fmt in ("jsonl", "csv", "fhir"):
            for total in (small, large):
                mib, wall = peak(["record", "export", "-f", fmt, "--db", str(records[total])])
                print(f"{'record export -f ' + fmt:<44} {total:>8} {mib:>9.1f} {wall:>7.2f}")
        for total in (small, large):
            mib, wall = peak(["record", "check", "--db", str(records[total])])
            print(f"{'record check':<44} {total:>8} {mib:>9.1f} {wall:>7.2f}")
        for per_patient in (100, 1_000):
            for fmt in ("table", "json"):
                mib, wall = peak(["record", "show", "--patient-id", "P000000", "-f", fmt, "--db",
                                  str(records[-per_patient])])
                print(f"{'record show --patient-id P000000 -f ' + fmt:<44} {per_patient:>8} {mib:>9.1f} {wall:>7.2f}")


if __name__ == "__main__":
    main()
