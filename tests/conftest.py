"""Shared test set-up: a deterministic hypothesis profile for CI, a random one locally."""

import functools
import os
import signal
import sys
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

# "Today" for every run the tests make: the tests' plans start on 2027-01-04, and a start before
# today is warned about, so on the real clock their warnings would change as the calendar moves
# on. SOURCE_DATE_EPOCH is the run's one clock (ivig_dose.app.clock); 1798848000 is 2027-01-02
# 00:00 UTC, the generation time the documents' tests print. A test that needs the real clock
# removes it from its environment.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1798848000")

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Under mutation testing (scripts/mutation-score) mutmut runs the suite once to see which tests
# reach which function ("stats"), then, for each mutant, forks and runs only the tests that reach
# it, fastest first, stopping at the first failure. Survivors are what cost: each runs every test
# that reaches it. So under mutation:
# - a test that starts a new interpreter tests the installed package, not the mutant, so it can
#   kill nothing and only costs time: it is left out; so is one that reads the source text
#   (READS_SOURCE);
# - property tests draw fewer examples, the same ones every run, with no example database, and do
#   not shrink a failing example (the mutant is killed; shrinking only spent its time, and long
#   enough to be taken for a hang);
# - the package's functools caches are emptied before each test: every mutant's process is forked
#   from the one that ran the stats, so a cache filled there would hand the mutant the unmutated
#   code's answers (weight_rules() would never run build_weight_rules under a mutant), and the
#   stats would tie a cached function only to the first test that filled the cache. The parse
#   layer's caches are kept: they hold pint and dateutil readings, not results of mutated code;
# - every mutant runs every test that reaches it, the whole-program ones too: a mistake in the
#   core that only an order, a FHIR bundle or a batch list shows is still a mistake. Only a run of
#   some modules (``scripts/mutation-score 'ivig_dose.core.vials*'``, which sets
#   MUTATION_CORE_UNIT_TESTS) leaves the files in WHOLE_PROGRAM (PDFs, FHIR, batch lists, the
#   fuzzer...) out for the core's mutants, to iterate quickly; that can only lower
#   its score;
# - a mutant listed in tests/mutation-equivalents.txt runs no test at all: it cannot differ, and
#   the score leaves it out (scripts/mutation_summary.py checks that each listed one is still the
#   same change);
# - a test that uses more than HANG_SECONDS of CPU beyond twenty times what it took in the stats
#   run is taken to hang (a mutant made a loop endless): the mutant is reported as a timeout
#   (exit status 36), which the summary lists by name, not as a kill.
MUTATION_RUN = bool(os.environ.get("MUTANT_UNDER_TEST"))
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)
if MUTATION_RUN:
    settings.register_profile("mutation", derandomize=True, deadline=None, max_examples=12, database=None,
                              suppress_health_check=list(HealthCheck), phases=NO_SHRINKING)
    settings.load_profile("mutation")

#: set by scripts/mutation-score for a run of some modules only (see above).
CORE_UNIT_TESTS = bool(os.environ.get("MUTATION_CORE_UNIT_TESTS"))
WHOLE_PROGRAM = frozenset({
    "test_batch.py", "test_cli_fuzz.py", "test_fhir.py", "test_hostile_input.py", "test_labels_pdf.py",
    "test_one_answer_every_path.py", "test_order_pdf.py", "test_plan_table_layout.py", "test_shared_plans.py",
    "test_terminal_width.py", "test_output_commands.py", "test_dutch_paper.py",
})
#: tests that read the source text itself (for its markers, or as `pybabel extract` does): mutmut's
#: copy of the source holds every mutant at once, so they would fail in the stats run, and they
#: test how the code is written, not what it does, so a single mutant is none of their business.
READS_SOURCE = frozenset({"test_messages_marked.py", "test_translations.py"})
HANG_SECONDS = 10.0
EQUIVALENTS = Path(__file__).with_name("mutation-equivalents.txt")
#: each test's duration in the stats run, which the forked mutant runs inherit.
_stats_seconds: dict[str, float] = {}


def mutant_under_test() -> str:
    """The mutant this process tests ("module.x_function__mutmut_N"); "" outside a mutant's run."""
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    return name if "__mutmut_" in name else ""


@functools.cache
def listed_equivalents() -> frozenset[str]:
    lines = EQUIVALENTS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line.strip() and not line.startswith("#"))


def starts_a_process(item: pytest.Item) -> bool:
    function = getattr(item, "function", None)
    code = getattr(function, "__code__", None)
    return code is not None and "subprocess" in names_used(code)


@functools.cache
def names_used(code: types.CodeType) -> frozenset[str]:
    """The global names a test's code uses, its lambdas' and comprehensions' too. Read from the
    compiled code, not the source text: inspect.getsource tokenises the whole function each time,
    and every mutant's run asks it of each of hundreds of tests (a quarter of a killed mutant's
    run went there)."""
    inner = (names_used(const) for const in code.co_consts if isinstance(const, types.CodeType))
    return frozenset(code.co_names).union(*inner)


def runs_for(mutant: str, item: pytest.Item) -> bool:
    return not starts_a_process(item) and file_runs_for(mutant, str(item.path))


def file_runs_for(mutant: str, test_file: str) -> bool:
    name = Path(test_file).name
    if name in READS_SOURCE:
        return False
    return not (CORE_UNIT_TESTS and mutant.startswith("ivig_dose.core.") and name in WHOLE_PROGRAM)


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Leaves out, before they are collected, the test files whose tests a mutant does not run.
    Collecting is most of a killed mutant's time (its first few tests fail at once), and pytest
    collects every test of each file named on the command line, then matches the names; a mutant
    would otherwise collect the files it does not run only to deselect them. One name is
    kept when none would be, or pytest would collect the whole suite instead of nothing."""
    mutant = mutant_under_test()
    if not mutant:
        return
    args = session.config.args
    kept = [] if mutant in listed_equivalents() else [
        arg for arg in args if file_runs_for(mutant, arg.partition("::")[0])]
    args[:] = kept or args[:1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not MUTATION_RUN:
        return
    mutant = mutant_under_test()
    kept = [] if mutant in listed_equivalents() else [item for item in items if runs_for(mutant, item)]
    left_out = set(items).difference(kept)
    config.hook.pytest_deselected(items=[item for item in items if item in left_out])
    items[:] = kept


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if MUTATION_RUN and report.when == "call" and os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _stats_seconds[report.nodeid] = report.duration


def pytest_runtest_setup(item: pytest.Item) -> None:
    if MUTATION_RUN:
        empty_caches()


def empty_caches() -> None:
    """Empties every functools cache of the package outside parse/."""
    for name, module in list(sys.modules.items()):
        if name.startswith("ivig_dose.") and not name.startswith("ivig_dose.parse."):
            for value in list(vars(module).values()):
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()


def _hangs(signum: int, frame: object) -> None:
    os._exit(36)  # mutmut's status for a timeout


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    if not mutant_under_test():
        return (yield)
    signal.signal(signal.SIGPROF, _hangs)
    signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS + 20 * _stats_seconds.get(item.nodeid, HANG_SECONDS))
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


@pytest.fixture(autouse=True)
def _no_inherited_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output follows COLUMNS, and pytest-xdist's workers inherit COLUMNS=80 from
    execnet: without this a test would draw at 80 columns under ``-n 2`` and at the fallback
    width alone. A test that wants a width sets COLUMNS itself."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _no_inherited_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --lang the locale variables choose the language: a test run in a Dutch
    shell would otherwise see Dutch wherever it expects the English it was written against. A
    test that wants a locale sets it itself."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """The messages of the code as they are now, by Babel's own ``pybabel extract``
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
