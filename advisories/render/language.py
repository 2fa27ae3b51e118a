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
from markupsafe import Markup, escape

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
# text apart: isolate characters (first-strong isolate ... pop directional isolate) in a text
# reach only its first line, so a value that wraps would lose its order on the next. What it
# does follow is an element's `dir`: each value shown among right-to-left words is set as an
# element in the direction of its first strong letter, as <bdi>'s own rule would decide, and
# that holds on every line it takes.
_ISOLATE = Markup('<bdi dir="{}">{}</bdi>')
_ISOLATE_INITIATORS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_POP_ISOLATE = "\u2069"  # PDI


def first_strong(text: str) -> bool | None:
    """Whether the first letter of `text` with a direction of its own reads left to right
    (None: it has none), passing over the letters inside isolates (UAX #9, P2)."""
    depth = 0
    for character in text:
        if character in _ISOLATE_INITIATORS:
            depth += 1
        elif character == _POP_ISOLATE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kind = unicodedata.bidirectional(character)
            if kind == "L":
                return True
            if kind in ("R", "AL"):
                return False
    return None


def starts_left_to_right(text: str) -> bool:
    """Whether `text` reads left to right by Unicode's first-strong rule (UAX #9, P2 and P3):
    text with no letter of a direction (a number, a phone number, a time) does."""
    return first_strong(text) is not False


def reads_in(text: str) -> str:
    """The `dir` of `text` by that rule: 'ltr' or 'rtl'."""
    return "ltr" if starts_left_to_right(text) else "rtl"


def isolated(value: object, among_rtl: bool = False) -> Markup:
    """`value` (escaped) as an element in its own direction; a value isolated already (a
    template's `isolate()` put into a message) stays as it is. The isolates a sentence built in
    Python holds (words.py puts each value into one) become elements too, so that a value
    that wraps keeps its order on every line; such a sentence whose own words have no
    direction ('X: Y', both values) reads as its surroundings do (`among_rtl`)."""
    if isinstance(value, Markup):
        if value.startswith("<bdi"):
            return value
        inner, text = value, value.striptags()  # its words, not its tags' names
    else:
        inner, text = _elements(str(value)), str(value)
    found = first_strong(text)
    if found is None:
        found = not (among_rtl and any(c in _ISOLATE_INITIATORS for c in text))
    return _ISOLATE.format("ltr" if found else "rtl", inner)


def _elements(text: str) -> Markup:
    """`text` escaped, each outermost isolate in it (initiator ... its PDI) an element in the
    direction the initiator gives (first strong for FSI); an isolate left open stays text."""
    parts: list[Markup] = []
    start, depth, opened = 0, 0, 0
    for index, character in enumerate(text):
        if character in _ISOLATE_INITIATORS:
            if depth == 0:
                parts.append(escape(text[start:index]))
                opened = index
            depth += 1
        elif character == _POP_ISOLATE and depth:
            depth -= 1
            if depth == 0:
                initiator, inner = text[opened], text[opened + 1 : index]
                way = {"\u2066": "ltr", "\u2067": "rtl"}.get(initiator) or reads_in(inner)
                parts.append(_ISOLATE.format(way, _elements(inner)))
                start = index + 1
    parts.append(escape(text[opened if depth else start :]))
    return Markup("").join(parts)


def isolate_among_left_to_right(value: object) -> object:
    """A value in a left-to-right page: as it is, unless it reads right to left (an order's
    words quoted in Urdu), which is isolated."""
    return value if starts_left_to_right(str(value)) else isolated(value)


def template_variables(lang: str) -> dict[str, Callable[..., Any]]:
    """`_`, `gettext` and `ngettext` for the i18n extension's newstyle calls, bound to `lang`,
    and `isolate` for the English (names, codes, the rules' words) shown among it.

    As Jinja's own newstyle callables do: the message is markup we wrote (or a translator did),
    the values put into it are escaped. In a right-to-left language every value but a count
    is isolated, so that 'Quetta، 10 فروری' does not read as 'Quetta، 10' run left to right;
    a count's digits take the sentence's direction as they are. In a left-to-right one, a
    value that reads right to left (an order's words quoted in Urdu) is isolated too.
    """
    catalogue = translations(lang)
    rtl = direction(lang) == "rtl"

    def isolate(value: object) -> object:
        return isolated(value, among_rtl=True) if rtl else isolate_among_left_to_right(value)

    def fill(context: Context, text: str, values: dict[str, Any]) -> str:
        if not context.eval_ctx.autoescape:
            return text % values
        values = {k: v if isinstance(v, int) else isolate(v) for k, v in values.items()}
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
