"""Shared test set-up: a deterministic hypothesis profile for CI, a random one locally."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Under mutation testing (scripts/mutation-score) each mutant runs the tests that reach it. A test
# that starts a new interpreter tests the installed package, not the mutant, so it can kill
# nothing and only costs time; property tests draw fewer examples, the same ones every run.
MUTATION_RUN = bool(os.environ.get("MUTANT_UNDER_TEST"))
if MUTATION_RUN:
    settings.register_profile("mutation", derandomize=True, deadline=None, max_examples=12,
                              suppress_health_check=list(HealthCheck))
    settings.load_profile("mutation")


def pytest_collection_modifyitems(config, items):
    if not MUTATION_RUN:
        return
    import inspect

    def starts_a_process(item) -> bool:
        function = getattr(item, "function", None)
        try:
            return function is not None and "subprocess" in inspect.getsource(function)
        except (OSError, TypeError):
            return False

    kept = [item for item in items if not starts_a_process(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept

@pytest.fixture(autouse=True)
def _no_inherited_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output follows COLUMNS (issue 17), and pytest-xdist's workers inherit COLUMNS=80 from
    execnet: without this a test would draw at 80 columns under ``-n 2`` and at the fallback
    width alone. A test that wants a width sets COLUMNS itself."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _no_inherited_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --lang the locale variables choose the language (issue 20): a test run in a Dutch
    shell would otherwise see Dutch wherever it expects the English it was written against. A
    test that wants a locale sets it itself."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """The messages of the code as they are now (issue 20), by Babel's own ``pybabel extract``
    with the settings in pyproject.toml, as a Babel catalogue."""
    from pathlib import Path

    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    template = tmp_path_factory.mktemp("pot") / "messages.pot"
    here = Path.cwd()
    try:
        os.chdir(Path(__file__).parent.parent)  # pybabel reads [tool.babel] from the pyproject.toml where it runs
        CommandLineInterface().run(["pybabel", "-q", "extract", "-o", str(template)])
    finally:
        os.chdir(here)
    with template.open("rb") as file:
        return read_po(file)
