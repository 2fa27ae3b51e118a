"""Stage 2: a Briefing context -> one standalone HTML document (CSS inlined, no scripts)."""

from __future__ import annotations

from markupsafe import Markup

from advisories.render.environment import assets_dir, environment
from advisories.render.language import direction, template_variables
from advisories.render.views import Briefing


def render_html(briefing: Briefing) -> str:
    """The briefing as HTML in its language; the stylesheet is inlined so the file stands alone."""
    css = (assets_dir() / "briefing.css").read_text("utf-8")
    if direction(briefing.lang) == "rtl":
        css += (assets_dir() / "briefing-rtl.css").read_text("utf-8")
    template = environment().get_template("briefing.html")
    return template.render(
        b=briefing,
        stylesheet=Markup(css),  # our own file, not analyst text
        direction=direction(briefing.lang),
        **template_variables(briefing.lang),
    )
