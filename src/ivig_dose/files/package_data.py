"""The TOML data files shipped in ``ivig_dose/data/protocols`` (dosing protocols, and screening checklists
in the ``screening`` subfolder), or the user's own file by path: found, read and parsed one way.

Numbers are parsed as :class:`~decimal.Decimal`, never as floats, and every problem is an
:class:`~ivig_dose.core.errors.InputError` that names the kind of file and where it came from.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

PROTOCOLS_FOLDER = "data/protocols"
#: The installed package's own folder. Its data files are read as plain files: importlib.resources
#: would add about 10 ms to every start (it imports zipfile and tempfile) to support zip-imported
#: installs, which pip never makes.
PACKAGE_FOLDER = Path(__file__).parent.parent


def package_file(relative: str) -> Path:
    """A data file shipped inside the package, e.g. ``data/dosing_weight.toml``."""
    return PACKAGE_FOLDER / relative


def _folder(subfolder: str) -> Path:
    folder = package_file(PROTOCOLS_FOLDER)
    return folder / subfolder if subfolder else folder


def package_text(relative: str) -> str:
    """The text of a data file shipped inside the package."""
    return package_file(relative).read_text("utf-8")


@cache
def _built_in_names(subfolder: str) -> tuple[str, ...]:
    return tuple(sorted(p.name.removesuffix(".toml") for p in _folder(subfolder).iterdir() if p.name.endswith(".toml")))


def built_in(subfolder: str = "") -> list[str]:
    """The names of the built-in files in ``subfolder``, without ``.toml``."""
    return list(_built_in_names(subfolder))


def find_text(name_or_path: str, what: str, subfolder: str = "") -> tuple[str, str]:
    """The text of a built-in file by name, or of a file by path, and where it came from."""
    path = Path(name_or_path)
    if name_or_path.endswith(".toml") or path.exists():
        from ivig_dose.files.inputs import read_text_file

        return read_text_file(name_or_path, message(N_("{what} file"), what=what)), name_or_path
    names = built_in(subfolder)
    if name_or_path not in names:
        raise InputError(message(N_("unknown {what} {name!r}; accepted: {known} or a .toml file"), what=what,
                                 name=name_or_path, known=", ".join(names)))
    folder = f"{PROTOCOLS_FOLDER}/{subfolder}/" if subfolder else f"{PROTOCOLS_FOLDER}/"
    return package_text(f"{folder}{name_or_path}.toml"), message(N_("built-in {name}"), name=name_or_path)


def parse_toml(text: str, what: str, origin: str) -> dict[str, Any]:
    """The TOML's tables, every string in it checked for control characters (parse.text)."""
    where = message(N_("{what} {origin}"), what=what, origin=origin)
    raw = load_toml(text, where)
    from ivig_dose.parse.text import check_strings

    try:
        check_strings(raw, "")
    except InputError as exc:
        raise InputError(message(N_("{where}: {problem}"), where=where, problem=exc.said)) from exc
    return raw


def load_toml(text: str, where: str) -> dict[str, Any]:
    """TOML with numbers as Decimal; nesting too deep for the parser is a problem of the file."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise _not_toml(where, str(exc)) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise _not_toml(where, " ".join(str(exc).split()[:8])) from exc
    except RecursionError as exc:
        raise InputError(message(N_("{where}: nested too deeply to be a data file; accepted: TOML tables and lists "
                                    "a few levels deep"), where=where)) from exc


def _not_toml(where: str, problem: str) -> InputError:
    return InputError(message(N_("{where}: not valid TOML ({problem})"), where=where, problem=problem))
