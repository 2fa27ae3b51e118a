"""Stage 1 of rendering: a trip's answers -> the typed context the templates read (views.py).

Orders grouped, shared facts lifted to the order, sources numbered, changes grouped by
instant, the timeline chart drawn. No I/O, no Jinja.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TypeVar

from markupsafe import Markup

from advisories.evaluation.answer import AmendmentOut, Answer, Change, RestrictionOut, SourceRef
from advisories.evaluation.differences import RulesDiff
from advisories.evaluation.trips import LegAnswer, TripAnswer
from advisories.model.documents import Organisation
from advisories.model.time import format_day, format_instant, format_until, zone
from advisories.render.chart import TimelineRow, timeline_svg
from advisories.render.diff import order_words, source_words, tally
from advisories.render.language import format_day_in, translate
from advisories.render.views import (
    AmendmentView,
    Briefing,
    ChangeView,
    CitedLine,
    DiffSectionView,
    ExemptionView,
    LegView,
    MatrixView,
    OrderDiffView,
    OrderView,
    OrganisationView,
    RestrictionView,
    SituationView,
    SourceView,
    UnreportedView,
)
from advisories.render.wording import (
    coverage_words,
    dispute_words,
    numbered_sources,
    order_wide,
    told_apart,
    unreported_words,
    until_words,
)

_T = TypeVar("_T")

CASUALTY_CAVEAT = (
    "Casualty figures and claims from security services and armed groups are hard to verify "
    "independently and are often contested."
)


def build_briefing(
    trip: TripAnswer,
    *,
    paper: str = "a4",
    lang: str = "en",
    organisation: Organisation | None = None,
    logo_url: str | None = None,
    generated_at: datetime | None = None,
    rules_commit: str | None = None,
    lookahead_days: int = 14,
    diff_since: tuple[str, RulesDiff] | None = None,
) -> Briefing:
    """The context of a briefing for a trip; a place briefing is a trip of one leg.

    `diff_since` is the earlier rules as given (a revision or a folder) and what differs
    from them, for the "Changed since" section.
    """
    numbers = numbered_sources(leg.answer for leg in trip.legs)
    org_guidance = organisation.guidance if organisation else {}
    described: dict[tuple[str, ...], int] = {}  # an order as shown -> the leg that showed it
    legs = [_leg(leg, numbers, org_guidance, lookahead_days, described, lang) for leg in trip.legs]
    single = len(trip.legs) == 1
    first = trip.legs[0]
    if trip.trip.title:
        title = trip.trip.title
    elif single:
        # TRANSLATORS: the title of a briefing for one place (a city, a district)
        title = translate(lang, "Security briefing: %(place)s", place=first.name)
    else:
        # TRANSLATORS: the title of a briefing for a trip of several stops
        title = translate(lang, "Security briefing: trip")
    period = _days(trip.first_day, trip.last_day, lang)
    return Briefing(
        lang=lang,
        paper=paper,
        title=title,
        place_line=legs[0].path if single else " → ".join(leg.place for leg in legs),
        period=period,
        generated_at=None if generated_at is None else f"{generated_at:%Y-%m-%d %H:%M %Z}".strip(),
        generated_iso=None if generated_at is None else generated_at.isoformat(timespec="seconds"),
        rules_version=first.answer.rules_version,
        rules_commit=rules_commit,
        marking=(organisation.marking if organisation and organisation.marking else ""),
        organisation=None
        if organisation is None
        else OrganisationView(
            organisation.name, organisation.marking, logo_url, list(organisation.contacts)
        ),
        travellers=list(trip.trip.travellers),
        summary=None if single else _matrix(trip, lang),
        trip_changes=[
            view
            for leg in trip.legs
            for view in _changes(leg.answer.changes, leg, f"Leg {leg.number}")
        ],
        legs=legs,
        sources=[_source(source, number) for source, number in numbers.items()],
        caveat=CASUALTY_CAVEAT,
        diff_section=None if diff_since is None else diff_section(*diff_since),
    )


def diff_section(since: str, diff: RulesDiff) -> DiffSectionView:
    """The "Changed since" section: each order's differences in the words `advisory diff`
    prints, and the sources added or removed."""
    return DiffSectionView(
        since=since,
        compared=f"Rules version {diff.old_version} at {since}; {diff.new_version} in this "
        f"briefing{_known_on(diff)}. Changes of titles, notes or citations are not listed.",
        summary="" if diff.empty else tally(diff),
        orders=[
            OrderDiffView(o.heading, o.order, o.about, o.bans, o.changes) for o in order_words(diff)
        ],
        sources=[f"Added: {source_words(s)}" for s in diff.sources_added]
        + [f"Removed: {source_words(s)}" for s in diff.sources_removed],
    )


def _known_on(diff: RulesDiff) -> str:
    return "" if diff.as_of is None else f"; both as known on {format_day(diff.as_of)}"


def _leg(
    leg: LegAnswer,
    numbers: dict[SourceRef, int],
    org_guidance: dict[str, str],
    lookahead: int,
    described: dict[tuple[str, ...], int],
    lang: str,
) -> LegView:
    answer = leg.answer
    orders, repeated = _orders(leg, numbers, org_guidance, described, lang)
    advice = list(dict.fromkeys(r.advice for r in answer.restrictions if r.status == "in_force"))
    end = answer.query.end
    during = set(answer.changes)
    coming = [c for c in leg.ahead.changes if c.at >= end and c not in during]
    return LegView(
        number=leg.number,
        anchor=f"leg-{leg.number}",
        place=leg.name,
        place_type=leg.region.type,
        path=" › ".join(answer.region.path),
        code=leg.region.code,
        period=_days(leg.leg.from_, leg.leg.to, lang),
        period_days=(leg.leg.to - leg.leg.from_).days + 1,
        timezone=answer.query.timezone,
        travellers=list(leg.leg.travellers),
        note=leg.leg.note,
        count_in_force=sum(r.status == "in_force" for r in answer.restrictions),
        count_in_part=sum(r.status == "partial" for r in answer.restrictions),
        count_stale=sum(r.stale for r in answer.restrictions),
        coverage=coverage_words(
            answer.coverage, leg.name, bool(answer.restrictions or answer.unreported), lang
        ),
        coverage_status=answer.coverage.status,
        coverage_stale=answer.coverage.stale,
        advice=advice,
        orders=orders,
        unreported=[
            UnreportedView(
                title=u.order_title,
                authority=u.authority + (f", {u.legal_basis}" if u.legal_basis else ""),
                period=_span(u.start, u.end, u.timezone),
                words=unreported_words(u),
                sources=[numbers[s] for s in u.sources],
                stale=u.stale,
                note=u.note,
            )
            for u in answer.unreported
        ],
        repeated=repeated,
        timeline=_timeline(leg),
        changes=_changes(answer.changes, leg, None),
        coming=_changes(coming, leg, None),
        lookahead_days=lookahead,
        situation=[
            SituationView(
                date=format_day(item.date),
                title=item.title,
                summary=item.summary,
                sources=[numbers[s] for s in item.sources],
                verification=item.verification,
            )
            for item in answer.context
        ],
    )


def _orders(
    leg: LegAnswer,
    numbers: dict[SourceRef, int],
    org_guidance: dict[str, str],
    described: dict[tuple[str, ...], int],
    lang: str,
) -> tuple[list[OrderView], list[tuple[str, int]]]:
    """The leg's orders, each with its restrictions; an order shown alike in an earlier leg is
    only named, with that leg's number (`described` remembers what each leg showed)."""
    answer = leg.answer
    by_order: dict[str, list[RestrictionView]] = {}
    for r in answer.restrictions:
        by_order.setdefault(r.order, []).append(
            _restriction(r, answer, numbers, org_guidance, lang)
        )
    orders: list[OrderView] = []
    repeated: list[tuple[str, int]] = []
    for order_id, views in by_order.items():
        first = next(r for r in answer.restrictions if r.order == order_id)
        key = (order_id, *(f"{v.anchor} {v.period} {v.where}" for v in views))
        if key in described:
            repeated.append((first.order_title, described[key]))
        else:
            described[key] = leg.number
            orders.append(_order(first, views, numbers))
    return orders, repeated


def _order(
    first: RestrictionOut, views: list[RestrictionView], numbers: dict[SourceRef, int]
) -> OrderView:
    """The order's shared facts: what most of its restrictions have (the rest show their own)."""
    return OrderView(
        anchor=first.order,
        title=first.order_title,
        authority=first.authority,
        legal_basis=first.legal_basis,
        penalty=first.penalty,
        within=[w.description for w in first.within if w.order_wide],
        exemptions=[
            ExemptionView(e.text, e.status, e.applies) for e in first.exemptions if e.order_wide
        ],
        disputes=[
            CitedLine(dispute_words(d), [numbers[s] for s in d.sources])
            for d in first.disputes
            if d.order_wide
        ],
        corrections=[
            CitedLine(
                f"our record, {format_day(c.recorded)}: {c.summary}",
                [numbers[s] for s in c.sources],
            )
            for c in first.corrections
        ],
        where=_most_common([v.where for v in views]),
        period=_most_common([v.period for v in views]),
        as_written=first.as_written,
        sources=_most_common([v.sources for v in views]),
        verification=first.verification,
        stale=first.stale,
        review_by=_most_common([v.review_by for v in views]),
        amendments=_most_common([v.amendments for v in views]),
        note=_most_common([v.note for v in views]),
        restrictions=views,
    )


def _most_common(values: list[_T]) -> _T:
    """The value most restrictions share; the first of them on a tie."""
    counts = Counter(repr(v) for v in values)
    best = max(counts.values())
    return next(v for v in values if counts[repr(v)] == best)


def _restriction(
    r: RestrictionOut,
    answer: Answer,
    numbers: dict[SourceRef, int],
    org: dict[str, str],
    lang: str,
) -> RestrictionView:
    tz = zone(r.timezone)
    relation = {
        "same": f"{r.matched_region.name}",
        "contains": f"all of {r.matched_region.name}, which includes {answer.region.name}",
        "inside": f"{r.matched_region.name} only: part of {answer.region.name}",
    }[r.matched_region.relation]
    until = until_words(r, tz)
    return RestrictionView(
        anchor=r.id.replace("/", "--"),
        label=r.label,
        text=r.text,
        in_part=r.status == "partial",
        where=relation,
        period=f"{format_instant(r.start, tz)} until {until} ({r.timezone})",
        as_written=r.as_written,
        authority=r.authority,
        legal_basis=r.legal_basis,
        threshold=r.threshold.as_written if r.threshold else None,
        windows=list(r.windows),
        within=[w.description for w in r.within if not w.order_wide],
        exemptions=[
            ExemptionView(e.text, e.status, e.applies) for e in r.exemptions if not e.order_wide
        ],
        disputes=[
            CitedLine(dispute_words(d), [numbers[s] for s in d.sources])
            for d in r.disputes
            if not d.order_wide
        ],
        advice=r.advice,
        guidance=r.guidance,
        org_guidance=org.get(r.kind),
        sources=[numbers[s] for s in r.sources],
        verification=r.verification,
        stale=r.stale,
        review_by=format_day_in(r.review_by, lang) if r.review_by else None,
        amendments=[_amendment(a, numbers) for a in r.amendments if order_wide(a)],
        own_amendments=[_amendment(a, numbers) for a in r.amendments if not order_wide(a)],
        note=r.note,
    )


def _amendment(a: AmendmentOut, numbers: dict[SourceRef, int]) -> AmendmentView:
    by = ", ".join(x for x in (a.authority, a.legal_basis) if x) or None
    disputes = [CitedLine(dispute_words(d), [numbers[s] for s in d.sources]) for d in a.disputes]
    return AmendmentView(a.summary, by, a.note, [numbers[s] for s in a.sources], disputes)


def _timeline(leg: LegAnswer) -> Markup:
    answer = leg.ahead
    tz = zone(answer.query.timezone)
    apart = told_apart(answer.restrictions)
    rows = [
        TimelineRow(
            label=r.text if r.id in apart else r.label,
            periods=[(p.start, p.end) for p in r.periods],
            marks=[(a.effective, a.summary) for a in r.amendments],
            in_part=r.status == "partial",
        )
        for r in answer.restrictions
    ]
    rows += [  # an order whose contents were not reported still holds: its own bar
        TimelineRow(
            label="Contents not reported",
            periods=[(u.start, u.end)],
            in_part=u.status == "partial",
        )
        for u in answer.unreported
    ]
    stay = (leg.answer.query.start, leg.answer.query.end)
    monitored = answer.coverage.status == "monitored"
    empty = "No restrictions in this period." if monitored else "No restriction recorded."
    return Markup(timeline_svg(rows, answer.query.start, answer.query.end, stay, tz, empty))


def _matrix(trip: TripAnswer, lang: str) -> MatrixView:
    """Each leg against each kind of restriction, and how far the rules monitor the leg: an
    empty cell of a leg nobody monitors is "no record", never a reassuring dash."""
    labels = list(dict.fromkeys(r.label for leg in trip.legs for r in leg.answer.restrictions))
    unreported = any(leg.answer.unreported for leg in trip.legs)
    rows = []
    for leg in trip.legs:
        coverage = leg.answer.coverage
        nothing = "—" if coverage.status == "monitored" else "no record"
        cells = []
        for label in labels:
            found = [r for r in leg.answer.restrictions if r.label == label]
            if not found:
                cells.append(nothing)
            elif any(r.status == "in_force" for r in found):
                cells.append("in force")
            else:
                cells.append("in part")
        if unreported:
            cells.append("in force" if leg.answer.unreported else nothing)
        cells.append(_COVERAGE_CELLS[coverage.status] + (" (stale)" if coverage.stale else ""))
        rows.append((f"{leg.number}. {leg.name}, {_days(leg.leg.from_, leg.leg.to, lang)}", cells))
    extra = ["Order, contents not reported"] if unreported else []
    return MatrixView([*labels, *extra, "Monitored"], rows)


_COVERAGE_CELLS = {
    "monitored": "monitored",
    "partly_monitored": "in part",
    "not_monitored": "not monitored",
}


def _changes(changes: list[Change], leg: LegAnswer, label: str | None) -> list[ChangeView]:
    """Changes grouped by instant, order and event, in time order."""
    tz = zone(leg.answer.query.timezone)
    titles = {r.order: r.order_title for r in leg.ahead.restrictions}
    labels = {r.id: r.label for r in leg.ahead.restrictions}
    groups: dict[tuple[datetime, str], list[str]] = {}
    for change in sorted(changes, key=lambda c: c.at):
        order = change.restriction.split("/")[0]
        title = titles.get(order, order)
        what = {
            "starts": f"Starts: {title}",
            "ends": f"Ends: {title}",
            "amended": f"{title}: {change.summary}",
        }[change.event]
        groups.setdefault((change.at, what), []).append(
            labels.get(change.restriction, change.label)
        )
    return [
        ChangeView(format_instant(at, tz), label, what, _counted(labels))
        for (at, what), labels in groups.items()
    ]


def _counted(labels: list[str]) -> list[str]:
    """Each label once, in order, with how many restrictions bear it when more than one: three
    restrictions of kind 'other' read as one label and a count, not the label thrice."""
    counts = Counter(labels)
    return [label if counts[label] == 1 else f"{label} ×{counts[label]}" for label in counts]


def _source(source: SourceRef, number: int) -> SourceView:
    published = format_day(source.published) if source.published else None
    return SourceView(number, source.publisher, source.title, published, source.url, source.file)


def _days(first: date, last: date, lang: str = "en") -> str:
    if first == last:
        return format_day_in(first, lang)
    return f"{format_day_in(first, lang)} – {format_day_in(last, lang)}"


def _span(start: datetime, end: datetime | None, timezone: str) -> str:
    tz = zone(timezone)
    return f"{format_instant(start, tz)} until {format_until(end, tz)}"
