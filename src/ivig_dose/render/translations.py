"""A language's :class:`~ivig_dose.render.translator.Translator`: English as the messages are written,
or another language from its gettext catalogue and Babel's numbers, lists and dates.

English needs nothing: :func:`translator` returns :data:`~ivig_dose.render.translator.ENGLISH`, and neither
``gettext`` nor Babel is imported (English start-up is unchanged). Another language loads its
compiled catalogue (``ivig_dose/locale/LANG/LC_MESSAGES/ivig_dose.mo``, kept with ``pybabel``) and
Babel only when it is asked for.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from ivig_dose.core.languages import LANGUAGES
from ivig_dose.render.translator import ENGLISH, Translator

#: gettext's domain: the catalogue's file name.
DOMAIN = "ivig_dose"
#: the installed package's catalogues, read as plain files (as ``files.package_data`` reads its data).
LOCALE_FOLDER = Path(__file__).parent.parent / "locale"


def catalogue_path(lang: str) -> Path:
    """Where the compiled catalogue of ``lang`` is installed."""
    return LOCALE_FOLDER / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def translator(lang: str) -> Translator:
    """The translator of ``lang``, one of :data:`~ivig_dose.core.languages.LANGUAGES`."""
    if lang == "en":
        return ENGLISH
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for {lang!r}")
    return _with_catalogue(lang)


def _with_catalogue(lang: str) -> Translator:
    import gettext

    from babel.dates import format_date
    from babel.lists import format_list
    from babel.numbers import format_decimal

    with catalogue_path(lang).open("rb") as file:
        catalogue = gettext.GNUTranslations(file)

    def decimal(value: Decimal) -> str:
        # every digit kept, none added, and no thousands separator: Dutch "1.447 mL" is 1.447 mL
        return format_decimal(value, locale=lang, decimal_quantization=False, group_separator=False)

    def long_date(day: date) -> str:
        return format_date(day, "EEEE d MMMM y", locale=lang)

    def and_list(items: list[str]) -> str:
        return format_list(items, locale=lang)

    return Translator(lang, catalogue, decimal, long_date, and_list)
