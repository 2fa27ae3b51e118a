"""The language a page is asked for (`lang`), and the frame of a page in it.

Routes take `Lang`, which refuses a language not offered as any bad parameter is refused (a
422 naming `lang`); an error page, which must answer whatever was asked, reads the language
leniently with `asked_language`. The languages are render/language.py's BRIEFING_LANGUAGES:
one, or English with each section's Urdu after it (en+ur), whose page is in English.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from advisories.errors import QueryError, literal
from advisories.render.language import BRIEFING_LANGUAGES, Languages, languages_of
from advisories.render.pages import Page, language_choices


def chosen_language(lang: Annotated[str, Query(max_length=16)] = "en") -> Languages:
    """The language a page and its PDF are written in (`lang`): one of BRIEFING_LANGUAGES."""
    for known in BRIEFING_LANGUAGES:
        if lang == known:
            return known
    offered = ", ".join(BRIEFING_LANGUAGES)
    raise QueryError(f"no language {literal(lang)!r} here; use one of: {offered}", "lang")


Lang = Annotated[Languages, Depends(chosen_language)]


def asked_language(request: Request) -> str:
    """The language of the page `request` asks for, or English when it names none or none
    offered."""
    asked = request.query_params.get("lang", "en")
    for known in BRIEFING_LANGUAGES:
        if asked == known:
            return languages_of(known)[0]
    return "en"


def page_in(request: Request, lang: str, title: str, section: str, rules_version: str) -> Page:
    """What a page shows around its content, in `lang`, with links to the same page (the
    same path and query) in each language."""
    query = request.query_params.multi_items()
    choices = language_choices(request.url.path, query, BRIEFING_LANGUAGES)
    return Page(title, section, rules_version, lang, choices)
