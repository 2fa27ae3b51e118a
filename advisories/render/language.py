"""The languages a briefing is written in: their message catalogues, direction and dates.

The catalogues are gettext files under advisories/locale (`make messages` extracts and compiles
them). Translations are handed to each render as template variables, never installed in the
shared Jinja environment, so that two briefings in two languages can render at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from advisories.model.time import format_day

Language = Literal["en", "ur"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
RIGHT_TO_LEFT = frozenset({"ur"})

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def direction(lang: str) -> str:
    """The `dir` of a document in `lang`."""
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang`; English is the source text and has none."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(LOCALE_DIR, [lang], domain="messages")


def gettext_variables(lang: str) -> dict[str, Callable[..., Any]]:
    """`_`, `gettext` and `ngettext` for the i18n extension's newstyle calls, bound to `lang`.

    As Jinja's own newstyle callables do: the message is markup we wrote (or a translator did),
    the values put into it are escaped.
    """
    catalogue = translations(lang)

    @pass_context
    def gettext(context: Context, message: str, /, **values: Any) -> str:
        text = catalogue.gettext(message)
        return (Markup(text) if context.eval_ctx.autoescape else text) % values

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, number: int, /, **values: Any
    ) -> str:
        values.setdefault("num", number)  # positional only: a value may be named `count`
        text = catalogue.ngettext(singular, plural, number)
        return (Markup(text) if context.eval_ctx.autoescape else text) % values

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def format_day_in(day: date, lang: str) -> str:
    """A day as people reading `lang` write it: '10 Feb 2026', '10 فروری 2026'."""
    if lang == "en":
        return format_day(day)  # the English briefings' own form, unchanged
    return format_date(day, "d MMMM y", locale=lang)
