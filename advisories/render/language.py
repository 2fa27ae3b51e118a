"""The languages a briefing is written in: their message catalogues, direction and dates.

The catalogues are gettext files under advisories/locale (`make messages` extracts and compiles
them). Translations are handed to each render as template variables, never installed in the
shared Jinja environment, so that two briefings in two languages can render at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

Language = Literal["en", "ur"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
RIGHT_TO_LEFT = frozenset({"ur"})

# What a briefing may be written in: one language, or English with each section's Urdu after it.
Languages = Literal["en", "ur", "en+ur"]
BRIEFING_LANGUAGES: tuple[Languages, ...] = get_args(Languages)


def languages_of(choice: Languages) -> tuple[Language, ...]:
    """The languages of a briefing written in `choice`, the document's own first."""
    return _PARTS[choice]


_PARTS: dict[Languages, tuple[Language, ...]] = {
    "en": ("en",),
    "ur": ("ur",),
    "en+ur": ("en", "ur"),
}

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


# WeasyPrint implements neither `unicode-bidi` nor <bdi>'s meaning, and lays out each line of a
# text apart, so isolation is spelled out twice. A value put into a sentence is short: the
# first-strong isolate ... pop directional isolate characters keep it in order (Pango reads
# them). The rules' English may run over several lines, which the characters would not reach:
# it is set in the direction of its first letter as a whole (dir="ltr", which WeasyPrint does
# follow), as <bdi>'s own first-strong rule would.
_IN_SENTENCE = Markup("<bdi>\u2068{}\u2069</bdi>")
_LEFT_TO_RIGHT = Markup('<bdi dir="ltr">{}</bdi>')
_RIGHT_TO_LEFT = Markup('<bdi dir="rtl">{}</bdi>')


def _starts_left_to_right(text: str) -> bool:
    """Whether the first letter with a direction of its own (Unicode's 'first strong') is
    written left to right; text without one follows its surroundings."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return True
        if kind in ("R", "AL"):
            return False
    return False


def template_variables(lang: str) -> dict[str, Callable[..., Any]]:
    """`_`, `gettext` and `ngettext` for the i18n extension's newstyle calls, bound to `lang`,
    and `isolate` for the English (names, codes, the rules' words) shown among it.

    As Jinja's own newstyle callables do: the message is markup we wrote (or a translator did),
    the values put into it are escaped. In a right-to-left language every value is isolated,
    so that 'Quetta، 10 فروری' does not read as 'Quetta، 10' run left to right.
    """
    catalogue = translations(lang)
    rtl = direction(lang) == "rtl"

    def isolate(value: object) -> object:
        if not rtl:
            return value
        ltr = _starts_left_to_right(str(value))
        return (_LEFT_TO_RIGHT if ltr else _RIGHT_TO_LEFT).format(value)

    def fill(context: Context, text: str, values: dict[str, Any]) -> str:
        if not context.eval_ctx.autoescape:
            return text % values
        if rtl:
            values = {k: _IN_SENTENCE.format(v) for k, v in values.items()}
        return Markup(text) % values

    @pass_context
    def gettext(context: Context, message: str, /, **values: Any) -> str:
        return fill(context, catalogue.gettext(message), values)

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, number: int, /, **values: Any
    ) -> str:
        values.setdefault("num", number)  # positional only: a value may be named `count`
        return fill(context, catalogue.ngettext(singular, plural, number), values)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "isolate": isolate}
