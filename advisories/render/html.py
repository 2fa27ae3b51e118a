"""Stage 2: a Briefing context -> one standalone HTML document (CSS inlined, no scripts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from advisories.render.environment import assets_dir, environment
from advisories.render.language import direction, template_variables
from advisories.render.views import Briefing


@dataclass(frozen=True)
class WrittenIn:
    """A briefing in one of the languages it is written in, with what its partials need to
    say it in that language (templates/_languages.html binds them)."""

    lang: str
    direction: str
    briefing: Briefing
    ids: str  # before every id and link of this copy: the copies of a page link within themselves
    gettext: Callable[..., Any]
    ngettext: Callable[..., Any]
    isolate: Callable[[object], object]


def written_in(*briefings: Briefing) -> list[WrittenIn]:
    """The copies of a briefing, one a language, the first as the document's own."""
    copies = []
    for index, briefing in enumerate(briefings):
        calls = template_variables(briefing.lang)
        copies.append(
            WrittenIn(
                lang=briefing.lang,
                direction=direction(briefing.lang),
                briefing=briefing,
                ids="" if index == 0 else f"{briefing.lang}-",
                gettext=calls["gettext"],
                ngettext=calls["ngettext"],
                isolate=calls["isolate"],
            )
        )
    return copies


def render_html(briefing: Briefing, also: Briefing | None = None) -> str:
    """The briefing as HTML in its language, and, given `also` (the same briefing in another
    language), each section followed by its translation; the stylesheet is inlined so that the
    file stands alone."""
    copies = written_in(briefing) if also is None else written_in(briefing, also)
    css = (assets_dir() / "briefing.css").read_text("utf-8")
    if any(copy.direction == "rtl" for copy in copies):
        css += (assets_dir() / "briefing-rtl.css").read_text("utf-8")
    template = environment().get_template("briefing.html")
    return template.render(
        b=briefing,
        languages=copies,
        stylesheet=Markup(css),  # our own files, not analyst text
        direction=direction(briefing.lang),
        also=also,
        **template_variables(briefing.lang),
    )
