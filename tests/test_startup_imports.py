"""Heavy libraries stay off the common paths: checked in a fresh interpreter each time.

A bedside ``ivig-dose plan --weight 70`` must not pay for pint, dateutil, a calendar or PDF
library, or pydantic; JSON and CSV output must not pay for rich either. ``sys.modules`` of a
fresh process is the only honest witness: an import made by any module on the way counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ivig_dose.cli.commands import COMMANDS

#: Libraries that cost tens to hundreds of milliseconds to import and that a plain plan never needs.
HEAVY = ("pint", "dateutil", "icalendar", "fpdf", "pydantic")

#: Runs the CLI in-process, as the console script does, then lists every module that got imported.
PROBE = """
import json, sys
from ivig_dose.cli.main import app
status = app(sys.argv[2:], prog_name="ivig-dose", standalone_mode=False)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""


def loaded_modules(tmp_path: Path, *args: str) -> set[str]:
    """Every module imported while ``ivig-dose ARGS`` ran to completion, and its top-level package."""
    report = tmp_path / "modules.json"
    result = subprocess.run([sys.executable, "-c", PROBE, str(report), *args],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(report.read_text(encoding="utf-8"))
    assert found["status"] == 0, result.stderr
    modules: list[str] = found["modules"]
    return {*modules, *(name.partition(".")[0] for name in modules)}


def test_the_probe_sees_what_a_command_imports(tmp_path: Path) -> None:
    # Without this the tests below could pass by seeing nothing: a pound weight needs pint, so it must
    # show up here. (A date in words is read by parse/dates.py's own grammar: no library at all.)
    modules = loaded_modules(tmp_path, "plan", "--weight", "154 lb", "--start", "4 Jan 2027", "-f", "json")
    assert {"pint", "ivig_dose"} <= modules
    assert "dateutil" not in modules


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_plan_with_a_kg_weight_imports_no_heavy_library(tmp_path: Path, fmt: str) -> None:
    modules = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04", "--format", fmt)
    assert not modules & set(HEAVY)


def test_plan_without_a_start_date_imports_no_heavy_library(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, "plan", "--weight", "70 kg", "--format", "json")
    assert not modules & set(HEAVY)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_output_does_not_import_rich(tmp_path: Path, fmt: str) -> None:
    modules = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04", "--format", fmt)
    assert "rich" not in modules


def test_the_table_is_drawn_by_rich(tmp_path: Path) -> None:
    # The counterpart of the test above: the table path really uses rich, so its absence there means something.
    assert "rich" in loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04")


def test_fhir_is_loaded_only_for_fhir_and_needs_no_fhir_library(tmp_path: Path) -> None:
    # the bundle is plain JSON: -f fhir imports no fhir.resources or pydantic, and a plain plan not even its renderer
    plain = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04")
    fhir = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04", "-f", "fhir",
                          "--patient-id", "TIM-001")
    assert "ivig_dose.render.plan_fhir" not in plain
    assert "ivig_dose.render.plan_fhir" in fhir
    assert not fhir & {"fhir", *HEAVY}


def test_rounding_is_loaded_only_when_a_plan_is_rounded(tmp_path: Path) -> None:
    # every frozen dataclass costs about a millisecond to create at import: --round's stay off a plain plan
    plain = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04", "-f", "json")
    rounded = loaded_modules(tmp_path, "plan", "--weight", "70", "--start", "2027-01-04", "-f", "json",
                             "--round", "vials")
    assert "ivig_dose.core.rounding" not in plain
    assert "ivig_dose.core.rounding" in rounded


def test_help_imports_neither_rich_nor_heavy_libraries(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, "--help")
    assert not modules & {"rich", *HEAVY}


def command_modules() -> dict[str, str]:
    return {name: target.partition(":")[0] for name, target in COMMANDS.items()}


@pytest.mark.parametrize(("command", "args"), [
    ("plan", ["--weight", "70", "--start", "2027-01-04", "-f", "json"]),
    ("protocol", ["list"]),
])
def test_a_command_does_not_import_the_other_commands(tmp_path: Path, command: str, args: list[str]) -> None:
    modules = loaded_modules(tmp_path, command, *args)
    own = command_modules()[command]
    assert own in modules
    assert not modules & {module for module in command_modules().values() if module != own}


def test_every_dataclass_has_its_own_docstring() -> None:
    # Without one, dataclasses computes inspect.signature(cls) for a stand-in __doc__ while the
    # module is imported, which nearly doubles the class's creation cost.
    import dataclasses
    import importlib
    import pkgutil

    import ivig_dose

    missing = []
    for info in pkgutil.walk_packages(ivig_dose.__path__, "ivig_dose."):
        module = importlib.import_module(info.name)
        for found in vars(module).values():
            if (isinstance(found, type) and dataclasses.is_dataclass(found) and found.__module__ == info.name
                    and (found.__doc__ or "").startswith(f"{found.__name__}(")):
                missing.append(f"{info.name}.{found.__name__}")
    assert missing == []


def test_help_builds_no_command(tmp_path: Path) -> None:
    # --help lists the commands from their summaries (cli.commands.SUMMARIES): importing every command
    # module only to print one line of each would cost it as much as all their start-ups.
    assert not loaded_modules(tmp_path, "--help") & set(command_modules().values())


#: Runs the CLI in-process like PROBE, and also lists every file opened whose name ends in .mo:
#: a gettext catalogue can only be loaded by opening one.
LANGUAGE_PROBE = """
import json, sys
opened = []
def audit(event, args):
    if event == "open" and str(args[0]).endswith(".mo"):
        opened.append(str(args[0]))
sys.addaudithook(audit)
from ivig_dose.cli.main import app
status = app(sys.argv[2:], prog_name="ivig-dose", standalone_mode=False)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"status": status, "modules": sorted(sys.modules), "catalogues": opened}, out)
"""


def language_probe(tmp_path: Path, env: dict[str, str], *args: str) -> tuple[set[str], list[str]]:
    """The modules imported and the catalogues opened while ``ivig-dose ARGS`` ran in ``env``."""
    import os

    report = tmp_path / "language.json"
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run([sys.executable, "-c", LANGUAGE_PROBE, str(report), *args],
                            capture_output=True, text=True, check=False, env={**environ, **env})
    assert result.returncode == 0, result.stderr
    found = json.loads(report.read_text(encoding="utf-8"))
    assert found["status"] == 0, result.stderr
    modules = {*found["modules"], *(name.partition(".")[0] for name in found["modules"])}
    return modules, found["catalogues"]


@pytest.mark.parametrize("env", [{}, {"LANG": "C.UTF-8"}, {"LANG": "en_GB.UTF-8"}, {"LANG": "de_DE.UTF-8"}],
                         ids=["no locale", "C", "English", "German (no catalogue)"])
def test_english_loads_neither_babel_nor_a_catalogue(tmp_path: Path, env: dict[str, str]) -> None:
    # English start-up pays for no translation: Babel and the catalogues are for other languages only
    modules, catalogues = language_probe(tmp_path, env, "plan", "--weight", "70", "--start", "2027-01-04")
    assert "babel" not in modules
    assert "ivig_dose.render.translations" not in modules
    assert catalogues == []


@pytest.mark.parametrize(("env", "args"), [({}, ["--lang", "nl"]), ({"LANG": "nl_NL.UTF-8"}, [])],
                         ids=["--lang nl", "LANG=nl_NL.UTF-8"])
def test_dutch_loads_babel_and_its_catalogue(tmp_path: Path, env: dict[str, str], args: list[str]) -> None:
    # the counterpart of the test above: the probe does see Babel and the catalogue when they load
    modules, catalogues = language_probe(tmp_path, env, "plan", "--weight", "70", "--start", "2027-01-04", *args)
    assert "babel" in modules
    assert [Path(path).name for path in catalogues] == ["ivig_dose.mo"]
