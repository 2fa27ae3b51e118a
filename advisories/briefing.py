"""The briefing spine: a trip's answers -> the typed context -> HTML -> PDF.

Each stage is callable alone (`answer_trip`, `briefing_context`, `render_html`, `render_pdf`);
`render_briefing` runs them in turn. The `brief`, `trip` and `batch` commands (and the web app)
call these. The template and PDF stack is imported only when a stage needs it, so importing
this module stays light.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, QueryError
from advisories.evaluation.diff import diff_rules
from advisories.evaluation.differences import RulesDiff
from advisories.evaluation.evaluator import Evaluator, evaluator_of
from advisories.evaluation.query import Days, read_timezone
from advisories.evaluation.trips import TripAnswer, evaluate_trip
from advisories.model.documents import (
    MAX_BRIEFING_CHANGES,
    MAX_BRIEFING_RESTRICTIONS,
    Logo,
    Organisation,
    Trip,
)

if TYPE_CHECKING:
    from advisories.render.language import Language, Languages
    from advisories.render.views import Briefing

Format = Literal["pdf", "html"]
Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class DiffSince:
    """What differs for the briefing's place between earlier rules and those it answers from."""

    since: str  # the earlier rules as given: a git revision or a folder
    diff: RulesDiff


@dataclass(frozen=True)
class BriefingOptions:
    """Everything about a briefing that is not the rules or the trip."""

    as_of: date  # review dates (staleness) are judged as of this day
    fmt: Format = "pdf"
    paper: Paper = "a4"
    lang: Languages = "en"  # of the briefing's own text and dates (render/language.py)
    lookahead_days: int = 14
    generated_at: datetime | None = None  # printed when given; the clock is never read for it
    timezone: str | None = None  # for places that have no single timezone
    organisation: Organisation | None = None
    logo: Logo | None = None
    rules_commit: str | None = None
    diff_since: DiffSince | None = None  # shown in a "Changed since" section


@dataclass(frozen=True)
class RenderedBriefing:
    data: bytes
    warnings: list[str]


def briefing_options(
    kinds: Iterable[str],
    *,
    as_of: date,
    fmt: Format = "pdf",
    paper: Paper = "a4",
    lang: Languages = "en",
    lookahead_days: int = 14,
    generated_at: datetime | None = None,
    timezone: str | None = None,
    organisation_file: Path | None = None,
    rules_dirs: Iterable[Path] = (),
) -> BriefingOptions:
    """BriefingOptions with the organisation file read, its logo with it.

    The organisation's guidance is checked against the rules' `kinds`, the timezone is
    checked, and `rules_commit` is the git commit of the first of `rules_dirs` in git.
    """
    from advisories.load.documents import load_organisation, rules_commit

    organisation, logo = (
        load_organisation(organisation_file, kinds) if organisation_file else (None, None)
    )
    return BriefingOptions(
        fmt=fmt,
        paper=paper,
        lang=lang,
        lookahead_days=lookahead_days,
        as_of=as_of,
        generated_at=generated_at,
        timezone=read_timezone(timezone) if timezone is not None else None,
        organisation=organisation,
        logo=logo,
        rules_commit=rules_commit(list(rules_dirs)),
    )


def answer_trip(
    rules: RuleSet | Evaluator,
    trip: Trip,
    options: BriefingOptions,
    where: Mapping[int, Location] | None = None,
) -> TripAnswer:
    """Stage 1: the trip answered, leg by leg, as the briefing's options ask; a leg may be
    given by its airport's IATA code."""
    from advisories.load.airports import airport_place  # the table loads on first need

    answered = evaluate_trip(
        evaluator_of(rules),
        trip,
        options.as_of,
        options.lookahead_days,
        where,
        options.timezone,
        airports=airport_place,
    )
    return within_limits(answered)


def within_limits(answered: TripAnswer) -> TripAnswer:
    """`answered`, when its briefing shows at most MAX_BRIEFING_RESTRICTIONS restrictions and
    MAX_BRIEFING_CHANGES changes over all its legs: a render's time grows faster than what it
    shows, and a briefing of thousands of restrictions is read by no one."""
    shown = {
        "restrictions": (
            MAX_BRIEFING_RESTRICTIONS,
            [len(leg.ahead.restrictions) for leg in answered.legs],
        ),
        "changes": (MAX_BRIEFING_CHANGES, [len(leg.ahead.changes) for leg in answered.legs]),
    }
    for what, (limit, counts) in shown.items():
        if sum(counts) > limit:
            fix = "fewer days or a smaller place" if len(counts) == 1 else "fewer legs or days"
            raise QueryError(
                f"this briefing would show {sum(counts):,} {what}; one briefing shows at most "
                f"{limit:,}: ask for {fix}, or split it into several briefings"
            )
    return answered


def briefing_context(
    answered: TripAnswer, options: BriefingOptions, lang: Language | None = None
) -> Briefing:
    """Stage 2: the typed context the briefing templates show, in `lang` (one of the
    briefing's languages; by default the first)."""
    from advisories.render.context import build_briefing
    from advisories.render.language import languages_of

    since = options.diff_since
    first = languages_of(options.lang)[0]
    return build_briefing(
        answered,
        paper=options.paper,
        lang=lang or first,
        after_english=(lang or first) != first,
        organisation=options.organisation,
        logo_url=options.logo.url if options.logo else None,
        generated_at=options.generated_at,
        rules_commit=options.rules_commit,
        lookahead_days=options.lookahead_days,
        diff_since=None if since is None else (since.since, since.diff),
    )


def diff_since(
    since: str, earlier: RuleSet, rules: RuleSet | Evaluator, answered: TripAnswer
) -> DiffSince:
    """What differs from the `earlier` rules (given as `since`) to `rules`, for the place of
    a place briefing (its one leg), both as known on the day the briefing was answered as of:
    an amendment announced later is in none of the briefing, so neither is it a change."""
    current = rules.rules if isinstance(rules, Evaluator) else rules
    leg = answered.legs[0]
    return DiffSince(since, diff_rules(earlier, current, leg.region.code, leg.answer.as_of))


def logo_assets(options: BriefingOptions) -> dict[str, tuple[bytes, str]] | None:
    """What the PDF fetcher may serve besides the template assets: the logo, by its URL."""
    logo = options.logo
    return {logo.url: (logo.data, logo.mime)} if logo else None


def render_briefing(
    rules: RuleSet | Evaluator,
    trip: Trip,
    options: BriefingOptions,
    where: Mapping[int, Location] | None = None,
) -> RenderedBriefing:
    """The briefing for `trip` as HTML or PDF bytes, with any renderer warnings."""
    return render_answered(answer_trip(rules, trip, options, where), options)


def render_answered(answered: TripAnswer, options: BriefingOptions) -> RenderedBriefing:
    """Stages 2 and 3 for a trip answered already: its briefing as HTML or PDF bytes (the
    web service runs this in a worker process: both travel there pickled)."""
    from advisories.render.html import render_html
    from advisories.render.language import languages_of

    html = render_html(
        *(briefing_context(answered, options, lang) for lang in languages_of(options.lang))
    )
    if options.fmt == "html":
        return RenderedBriefing(html.encode("utf-8"), [])
    from advisories.render.pdf import render_pdf

    rendered = render_pdf(html, extra=logo_assets(options))
    return RenderedBriefing(rendered.data, rendered.warnings)


def briefing_name(place: str, days: Days) -> str:
    """A briefing's file name without its suffix: 'briefing-dera-bugti-2026-02-10', or with
    'first--last' for a range."""
    slug = re.sub(r"[^a-z0-9]+", "-", place.lower()).strip("-") or "place"
    first, last = days.first.isoformat(), days.last.isoformat()
    return f"briefing-{slug}-{first if first == last else f'{first}--{last}'}"
