"""Output files are written whole or not at all, and a bad path is one clear error."""

from __future__ import annotations

import os
import stat

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.files.atomic import write_atomically


def test_writes_the_bytes(tmp_path):
    target = tmp_path / "order.pdf"
    write_atomically(target, b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole"
    assert os.listdir(tmp_path) == ["order.pdf"]


def test_file_is_readable_like_any_other(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "a.ics", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.ics").stat().st_mode) == 0o644


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"folder .*nowhere.* does not exist; accepted: a file path"):
        write_atomically(tmp_path / "nowhere" / "order.pdf", b"x")
    assert os.listdir(tmp_path) == []


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        write_atomically(tmp_path, b"x")


def test_failure_midway_leaves_the_old_file_and_no_part_file(tmp_path, monkeypatch):
    target = tmp_path / "order.pdf"
    target.write_bytes(b"old sheet")

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match=r"cannot write output .*order\.pdf.*Permission denied"):
        write_atomically(target, b"new sheet")
    assert target.read_bytes() == b"old sheet"
    assert os.listdir(tmp_path) == ["order.pdf"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_folder_is_one_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError, match="Permission denied"):
            write_atomically(folder / "order.pdf", b"x")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(("options", "said"), [
    ({"products": "site\x00.toml", "product": "nanogam"},
     "cannot read product catalogue 'site\\x00.toml': a file name cannot hold a NUL character"),
    ({"protocol": "site\x00.toml"}, "cannot read protocol file 'site\\x00.toml': a file name cannot hold a NUL "
     "character"),
])
def test_the_api_refuses_a_file_name_with_a_nul_as_bad_input(options, said):
    # argv cannot hold a NUL, but a name passed to the Python API can: it is bad input, not a crash
    import ivig_dose

    with pytest.raises(InputError) as raised:
        ivig_dose.plan("70", start="2027-01-04", **options)
    assert raised.value.message == said


def test_an_input_with_a_nul_in_its_name_is_bad_input():
    from ivig_dose.files.inputs import open_input

    with pytest.raises(InputError) as raised, open_input("list\x00.csv"):
        pass
    assert raised.value.message == "cannot read 'list\\x00.csv': a file name cannot hold a NUL character"


STOPPED_WHILE_MAKING = """
import os, signal, sys, tempfile
from ivig_dose.core.errors import Terminated
from ivig_dose.files.atomic import write_atomically

made = tempfile.mkstemp

def stopped_as_it_is_made(*args, **kwargs):
    file = made(*args, **kwargs)
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))  # the stop comes before the handlers are set
    return file

tempfile.mkstemp = stopped_as_it_is_made
try:
    write_atomically(sys.argv[1], b"x")
except Terminated as stop:
    sys.exit(128 + stop.signum)
"""


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_a_stop_while_the_temporary_file_is_made_leaves_nothing(tmp_path, stop):
    import signal
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", STOPPED_WHILE_MAKING, str(tmp_path / "order.pdf"), stop],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 128 + getattr(signal, stop), done.stderr
    assert os.listdir(tmp_path) == []
