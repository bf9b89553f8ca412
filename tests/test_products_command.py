"""``ivig-dose products list | show | check`` and the catalogue loader's refusals.

Issue 16 found rate steps that go down and unknown keys accepted by the loader; both are now
refused, and ``products check`` lists every problem of a file at once.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()

GOOD = '''
[products.ours]
name = "Our IVIg"
concentration = "100 mg/mL"
presentations = ["5 g", "10 g"]
rate_steps = ["0.6 mL/kg/h", "1.2 mL/kg/h"]
step_minutes = 30
source = "a test catalogue"
verified = true
at_risk = { max_rate = "1 mg/kg/min", source = "our label: at most 1 mg/kg/min" }

[products.ours.indications.itp]
rate_steps = ["0.6 mL/kg/h"]
source = "our label, ITP"
'''

#: five problems: steps that go down, an unknown key, a vial of 0 g, a vial too large to search,
#: and an indication table without its source.
BAD = '''
[products.bad]
name = "Bad"
concentration = "100 mg/mL"
presentations = ["0 g", "5 g", "5000 g"]
rate_steps = ["2.4 mL/kg/h", "1.2 mL/kg/h"]
step_minutes = 30
source = "a test catalogue"
verified = false
max_rat = "1 mL/kg/h"

[products.bad.indications.itp]
rate_steps = ["0.6 mL/kg/h"]
'''


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_list_says_which_entries_are_verified_and_their_indications():
    result = runner.invoke(app, ["products", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "privigen\tunverified\tPrivigen\tindications: pi, cidp, itp" in lines
    assert "gamunex-c\tunverified\tGamunex-C\tindications: pi, itp, cidp" in lines
    assert len(lines) == 5


def test_show_nanogam_says_where_each_number_comes_from():
    result = runner.invoke(app, ["products", "show", "nanogam"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "presentations = 1, 2.5, 5, 10, 20 g" in text
    assert "NOT the 100 mg/mL product's" in text and "Nanogam 50 mg/mL SmPC" in text
    assert "placeholder" in text
    assert "max_rate = none: the label gives no number; --risk needs --max-rate" in text


def test_show_octagam_gives_the_at_risk_limit_in_both_units():
    text = " ".join(runner.invoke(app, ["products", "show", "octagam-10"]).stdout.split())
    # 1.8 mL/kg/h × 100 mg/mL / 60 = 3 mg/kg/min
    assert "max_rate = 1.8 mL/kg/h (3 mg/kg/min)" in text
    assert "not to exceed 3.3 mg/kg/min (0.03 mL/kg/min)" in text
    # Table 1 maximum: 7.2 mL/kg/h = 12 mg/kg/min
    assert "maximum 7.2 mL/kg/h (12 mg/kg/min)" in text


def test_show_an_unknown_id_is_one_error_line():
    result = runner.invoke(app, ["products", "show", "nope"])
    assert result.exit_code == 2
    assert "unknown product 'nope'" in result.stderr


def test_check_a_good_file_and_show_from_it(tmp_path: Path):
    path = write(tmp_path, GOOD)
    result = runner.invoke(app, ["products", "check", path])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == f"{path}: ok\n"
    text = runner.invoke(app, ["products", "show", "ours", "--products", path]).stdout
    assert "max_rate = 0.6 mL/kg/h (1 mg/kg/min)" in text  # 1 mg/kg/min at 100 mg/mL


def test_check_lists_every_problem(tmp_path: Path):
    result = runner.invoke(app, ["products", "check", write(tmp_path, BAD)])
    assert result.exit_code == 2
    problems = result.stdout.splitlines()
    assert len(problems) == 5, problems
    text = "\n".join(problems)
    assert "'rate_steps' go down from '2.4 mL/kg/h' to '1.2 mL/kg/h'" in text
    assert "'max_rat' is not a key of a product" in text
    assert "'0 g'" in text
    assert "'5000 g' is above 200 g, too large a vial to search" in text
    assert "'indications.itp.source' is missing" in text
    assert "has 5 problems" in result.stderr


def test_plan_refuses_a_catalogue_whose_steps_go_down_or_with_an_unknown_key(tmp_path: Path):
    steps_down = GOOD.replace('["0.6 mL/kg/h", "1.2 mL/kg/h"]', '["1.2 mL/kg/h", "0.6 mL/kg/h"]')
    unknown = GOOD.replace("verified = true", "verified = true\nverifed = true")
    for text, expected in ((steps_down, "go down"), (unknown, "'verifed' is not a key")):
        result = runner.invoke(app, ["plan", "--weight", "70", "--start", "2027-01-04", "--products",
                                     write(tmp_path, text), "--product", "ours"])
        assert result.exit_code == 2
        assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_too_many_sizes_are_refused(tmp_path: Path):
    sizes = ", ".join(f'"{n} g"' for n in range(1, 14))
    result = runner.invoke(app, ["products", "check", write(tmp_path, GOOD.replace('["5 g", "10 g"]', f"[{sizes}]"))])
    assert result.exit_code == 2
    assert "lists 13 sizes, too many to search; accepted: at most 12" in result.stdout
