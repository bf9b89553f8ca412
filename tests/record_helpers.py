"""What the record's tests share: a clock in one time zone, orders written by ``plan``, the command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

#: every record test runs in this zone, so 09:05 means 08:05 UTC in winter.
ZONE = "Europe/Amsterdam"
BIN = Path(sys.executable).parent
#: the worked example's order: 70 kg from 2026-11-02, seven bags (3 at baseline, 2 at weeks 4 and 8).
START = "2026-11-02"


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "TZ": ZONE, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100",
            **extra}


def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``ivig-dose ARGS`` in a process of its own, in :data:`ZONE`."""
    return subprocess.run(["ivig-dose", *args], capture_output=True, text=True, env=environment(**extra),
                          timeout=120, check=False)


def plan_file(folder: Path, name: str = "order.json", *args: str) -> Path:
    """An order as ``plan -f json`` writes it (70 kg, from :data:`START` unless ``args`` say otherwise)."""
    path = folder / name
    done = run("plan", "--weight", "70", "--start", START, "-f", "json", *args)
    assert done.returncode == 0, done.stderr
    path.write_text(done.stdout, encoding="utf-8")
    return path


@contextmanager
def local_zone(zone: str = ZONE) -> Iterator[None]:
    """This process's local time zone set to ``zone`` (what ``datetime.astimezone()`` reads)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def moment(text: str) -> datetime:
    """A local time of :data:`ZONE` as an aware moment (call inside :func:`local_zone`)."""
    return datetime.fromisoformat(text).astimezone()


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, its modification time and what lies beside it: "left untouched" is all three."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


#: GS1's example GTINs (prefix 952, "used for demonstrations and examples of the GS1 system"), with
#: their check digits: Nanogam's 10 g and 20 g vials (company prefix 952012), Octagam 10 %'s 20 g
#: (952098, another brand of the same concentration), a 50 mg/mL product's 5 g (another concentration).
NANOGAM_10, NANOGAM_20, OCTAGAM_20, FIVE_PERCENT_5 = "09520123456719", "09520123456726", "09520987654313", \
    "09520987654320"
#: GTINs no catalogue lists: the issue's example (GS1 Netherlands) and a Belgian one, two companies.
UNLISTED, UNLISTED_OTHER = "08712345678906", "05401234567898"


def site_catalogue(folder: Path) -> Path:
    """The built-in catalogue with example GTIN tables, and a 50 mg/mL product: a site's own file."""
    from ivig_dose.files.package_data import package_text

    text = package_text("data/products.toml")
    text = text.replace("[products.nanogam.sources]", f"""[products.nanogam.gtins]
"10 g" = "{NANOGAM_10}"
"20 g" = "{NANOGAM_20}"
source = "EXAMPLE GTINs for the tests (GS1 prefix 952)"

[products.nanogam.sources]""", 1)
    text = text.replace("[products.octagam-10]\n", f"""[products.example-5]
name = "Example IVIg 5%"
concentration = "50 mg/mL"
presentations = ["5 g"]
rate_steps = ["0.6 mL/kg/h"]
step_minutes = 30
source = "INVENTED for the tests"
verified = false
gtins = {{ "5 g" = "{FIVE_PERCENT_5}", source = "EXAMPLE GTIN (GS1 prefix 952)" }}

[products.octagam-10]
gtins = {{ "20 g" = "{OCTAGAM_20}", source = "EXAMPLE GTIN (GS1 prefix 952)" }}
""", 1)
    path = folder / "site-products.toml"
    path.write_text(text, encoding="utf-8")
    return path
