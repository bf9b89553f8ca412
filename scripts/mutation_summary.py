"""Summarises ``mutmut results --all true``: the score per module and in all, survivors named.

A mutant counts as killed when a test failed or timed out on it. Survivors listed in the
equivalents file (``mutant-name  reason``) change nothing a test could see and are left out of
the count; every other survivor, untested mutant or unchecked one counts against the score.
"""

from __future__ import annotations

import fnmatch
import sys
from collections import Counter
from pathlib import Path

THRESHOLD = 90.0
KILLED = {"killed", "timeout", "caught by type check"}


def main(results_path: str, equivalents_path: str, *globs: str) -> int:
    equivalent = {}
    for line in Path(equivalents_path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            equivalent[name] = reason.strip()
    statuses = {}
    for line in Path(results_path).read_text(encoding="utf-8").splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status
    if globs:
        statuses = {n: s for n, s in statuses.items() if any(fnmatch.fnmatch(n, g) for g in globs)}
    counted = {n: s for n, s in statuses.items() if n not in equivalent}
    per_module: Counter[str] = Counter()
    killed_per_module: Counter[str] = Counter()
    for name, status in counted.items():
        module = name.rsplit(".", 1)[0]
        per_module[module] += 1
        killed_per_module[module] += status in KILLED
    for module in sorted(per_module):
        share = 100 * killed_per_module[module] / per_module[module]
        print(f"{module:45} {share:5.1f}% ({killed_per_module[module]} of {per_module[module]})")
    for name, status in sorted(counted.items()):
        if status not in KILLED:
            print(f"  {status}: {name}")
    killed = sum(status in KILLED for status in counted.values())
    total = len(counted)
    score = 100 * killed / total if total else 0.0
    print(f"({len(statuses) - total} equivalent mutants left out, each with its reason in {equivalents_path})")
    print(f"mutation score: {score:.1f}% ({killed} of {total} killed)")
    return 0 if total and score >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
