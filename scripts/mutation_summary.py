"""Summarises ``mutmut results --all true``: the score per module and in all, survivors named.

A mutant counts as killed when a test failed on it, or when it made a test hang (a timeout: a
loop that never ends; listed by name so that each can be checked). Survivors listed in the
equivalents file change nothing a test could see and are left out of the count. Every other
survivor, untested mutant or unchecked one counts against the score.

The equivalents file holds one mutant a line: its name, the fingerprint of its change and why it
cannot differ. mutmut numbers the mutants of a function in order, so an edit to the function
renumbers them; the fingerprint (a hash of the lines the mutant changes and the lines around them)
makes sure a line still names the change it was written for. One whose change no longer matches is reported as stale and
counted as a survivor. ``python scripts/mutation_summary.py --show NAME...`` prints a mutant's
change and the start of its line for the file.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
from collections import Counter
from pathlib import Path

THRESHOLD = 95.0
KILLED = {"killed", "timeout", "caught by type check"}


def source_path(name: str) -> Path:
    """``ivig_dose.core.vials.x_pick__mutmut_3`` is a mutant of ``src/ivig_dose/core/vials.py``."""
    return Path("src", *name.rsplit(".", 1)[0].split(".")).with_suffix(".py")


def change(name: str) -> list[str]:
    """The lines the mutant takes out (``-``) and puts in (``+``), as ``mutmut show`` shows them."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=source_path(name))
    return [line for line in diff.splitlines()
            if line[:1] in "-+" and not line.startswith(("---", "+++"))]


def fingerprint(name: str) -> str:
    """A short hash of the mutant's change with the lines around it, the same however mutmut numbers
    it; the context tells apart two mutants that make the same change in two places of a function."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=source_path(name)).splitlines()
    text = "\n".join(line[:1] + line[1:].strip() for line in diff if not line.startswith(("---", "+++", "@@")))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def read_equivalents(path: str) -> dict[str, tuple[str, str]]:
    """name -> (fingerprint, reason)."""
    listed = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, hashed, reason = [*line.split(None, 2), "", ""][:3]
            listed[name] = (hashed, reason)
    return listed


def read_statuses(path: str) -> dict[str, str]:
    statuses = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status
    return statuses


def shown(name: str) -> str:
    return "  |  ".join(line[0] + " " + line[1:].strip() for line in change(name))


def main(results_path: str, equivalents_path: str, *globs: str) -> int:
    statuses = read_statuses(results_path)
    if globs:
        statuses = {n: s for n, s in statuses.items() if any(fnmatch.fnmatch(n, g) for g in globs)}
    equivalent = set()
    for name, (hashed, reason) in read_equivalents(equivalents_path).items():
        if name not in statuses:
            continue
        if fingerprint(name) == hashed and reason:
            equivalent.add(name)
        else:
            print(f"  stale equivalent (its change is no longer {hashed}, or no reason is given): {name}")
            statuses[name] = "stale equivalent"
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
        if status not in KILLED or status == "timeout":
            print(f"  {status}: {name}")
            print(f"      {shown(name)}")
    killed = sum(status in KILLED for status in counted.values())
    total = len(counted)
    score = 100 * killed / total if total else 0.0
    print(f"({len(equivalent)} equivalent mutants left out, each with its reason in {equivalents_path}; "
          f"timeouts count as killed and are listed above)")
    print(f"mutation score: {score:.1f}% ({killed} of {total} killed)")
    return 0 if total and score >= THRESHOLD else 1


def show(*names: str) -> int:
    for name in names:
        for line in change(name):
            print(line)
        print(f"{name} {fingerprint(name)} ")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--show"]:
        sys.exit(show(*sys.argv[2:]))
    sys.exit(main(*sys.argv[1:]))
