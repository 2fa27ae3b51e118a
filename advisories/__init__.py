"""advisories: which restrictions are in force where your people are going.

The library API: `load_rules` reads a rule tree, `evaluate` answers a question about it,
`render_briefing` turns a trip into HTML or PDF bytes (`render_html` and `render_pdf` are its
last two stages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "days_query",
    "evaluate",
    "instant_query",
    "load_rules",
    "render_briefing",
    "render_html",
    "render_pdf",
]

if TYPE_CHECKING:
    from advisories.briefing import render_briefing
    from advisories.evaluation import days_query, evaluate, instant_query
    from advisories.render.html import render_html
    from advisories.render.pdf import render_pdf
    from advisories.tree import load_rules


def __getattr__(name: str) -> Any:
    # Imported on first use so that `import advisories.models` stays light.
    if name in ("evaluate", "days_query", "instant_query"):
        from advisories import evaluation as module

        return getattr(module, name)
    if name == "load_rules":
        from advisories.tree import load_rules

        return load_rules
    if name == "render_briefing":
        from advisories.briefing import render_briefing

        return render_briefing
    if name == "render_html":
        from advisories.render.html import render_html

        return render_html
    if name == "render_pdf":
        from advisories.render.pdf import render_pdf

        return render_pdf
    raise AttributeError(name)
