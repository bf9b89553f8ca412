"""The message catalogues are complete and true to the code.

Every message the code marks (``N_``, and the screening checklists' texts through our extractor) is
extracted here exactly as ``pybabel extract`` does it, with the settings of ``pyproject.toml``, and
held against each language's ``.po``: a message in the code but not in the catalogue, an entry
left untranslated or fuzzy, a translation with other ``{placeholders}`` than its message, or a
committed ``.mo`` that is not the ``.po`` compiled all fail.
"""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from ivig_dose.core.languages import LANGUAGES
from ivig_dose.render.translations import DOMAIN, catalogue_path

ROOT = Path(__file__).parent.parent
#: the catalogues as committed; the installed package (CI installs without -e) holds only the .mo
SOURCE_LOCALE = ROOT / "src" / "ivig_dose" / "locale"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def po(lang: str) -> Catalog:
    with (SOURCE_LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_extraction_finds_messages_of_the_core_the_shells_and_the_checklist(extracted: Catalog) -> None:
    # without this, an extraction that found nothing would make every test below pass
    found = ids(extracted)
    assert "ivig-dose: error: {message}" in found  # cli
    assert "Date of birth?" in found  # the screening checklist, through our extractor
    assert len(found) > 20


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_code_is_in_the_catalogue_and_nothing_else(extracted: Catalog, lang: str) -> None:
    missing = ids(extracted) - ids(po(lang))
    stale = ids(po(lang)) - ids(extracted)
    assert not missing, f"run 'pybabel extract && pybabel update' and translate: {sorted(map(str, missing))}"
    assert not stale, f"run 'pybabel extract && pybabel update': {sorted(map(str, stale))}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    catalog = po(lang)
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translation_fills_in_the_same_values_as_its_message(lang: str) -> None:
    wrong = []
    for m in po(lang):
        if not m.id:
            continue
        sources = m.id if isinstance(m.id, tuple) else (m.id,)
        targets = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = set().union(*map(fields, sources))
        wrong += [(m.id, target) for target in targets if fields(target) != expected]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(lang: str) -> None:
    # The .mo is committed rather than compiled at build time, so that a plain `pip install .`
    # needs no Babel to build (README, "Languages"); this is what keeps it honest.
    committed = SOURCE_LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    # what runs is what is committed (the same file under -e; a copy of it in a regular install)
    assert catalogue_path(lang).read_bytes() == committed.read_bytes()
    with committed.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    expected: dict[str | tuple[str, int], str] = {}
    for m in po(lang):
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            expected.update({(m.id[0], n): text for n, text in enumerate(m.string)})
        else:
            expected[m.id] = m.string
    held = {key: value for key, value in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    assert held == expected, "run 'pybabel compile'"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_babel_finds_no_problem_in_the_catalogue(lang: str) -> None:
    # what `pybabel compile` checks: among others a "%" that Babel takes for a printf format
    # ("10 % of" has "% o"); reword such a message, as the compile would otherwise fail
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po(lang).check()]
    assert problems == []
