"""One briefing from rules and a trip to file bytes: evaluate, build the context, render.

The pipeline the `brief`, `trip` and `batch` commands (and later the web app) share. Imports
the template and PDF stack only when called, so importing this module stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from advisories.errors import Location
from advisories.organisation import Organisation
from advisories.ruleset import RuleSet
from advisories.trips import Trip, TripAnswer, evaluate_trip

if TYPE_CHECKING:
    from advisories.render.context import Briefing


@dataclass(frozen=True)
class Logo:
    """The organisation logo: the data URL the HTML shows, and its bytes for the PDF fetcher."""

    url: str
    data: bytes

    @property
    def mime(self) -> str:
        return self.url.split(";")[0].removeprefix("data:")


@dataclass(frozen=True)
class BriefingOptions:
    """Everything about a briefing that is not the rules or the trip."""

    fmt: str = "pdf"  # or "html"
    paper: str = "a4"
    lookahead_days: int = 14
    as_of: date | None = None  # staleness is judged as of this day; default: generated_at or today
    generated_at: datetime | None = None
    timezone: str | None = None
    organisation: Organisation | None = None
    logo: Logo | None = None
    rules_commit: str | None = None


@dataclass(frozen=True)
class RenderedBriefing:
    data: bytes
    warnings: list[str]


def briefing_context(
    rules: RuleSet, trip: Trip, options: BriefingOptions, where: dict[int, Location] | None = None
) -> tuple[TripAnswer, Briefing]:
    """Stage 1: the trip answered and the typed context its briefing shows."""
    from advisories.render.context import build_briefing

    as_of = options.as_of or (options.generated_at.date() if options.generated_at else date.today())
    answered = evaluate_trip(
        rules, trip, as_of, options.lookahead_days, where, timezone=options.timezone
    )
    briefing = build_briefing(
        answered,
        paper=options.paper,
        organisation=options.organisation,
        logo_url=options.logo.url if options.logo else None,
        generated_at=options.generated_at,
        rules_commit=options.rules_commit,
        lookahead_days=options.lookahead_days,
    )
    return answered, briefing


def logo_assets(options: BriefingOptions) -> dict[str, tuple[bytes, str]] | None:
    """What the PDF fetcher may serve besides the template assets: the logo, by its URL."""
    logo = options.logo
    return {logo.url: (logo.data, logo.mime)} if logo else None


def render_briefing(
    rules: RuleSet, trip: Trip, options: BriefingOptions, where: dict[int, Location] | None = None
) -> RenderedBriefing:
    """The briefing for `trip` as HTML or PDF bytes, with any renderer warnings."""
    from advisories.render.html import render_html

    html = render_html(briefing_context(rules, trip, options, where)[1])
    if options.fmt == "html":
        return RenderedBriefing(html.encode("utf-8"), [])
    from advisories.render.pdf import render_pdf

    rendered = render_pdf(html, extra=logo_assets(options))
    return RenderedBriefing(rendered.data, rendered.warnings)
