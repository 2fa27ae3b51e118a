"""Pure evaluation: (rules, region, instant or range, as-of day) -> Answer that explains itself.

No I/O and no clock: the caller says what "now" is through `as_of`, which only decides whether
an order is past its review date (stale).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from advisories.answer import (
    Answer,
    Change,
    ContextOut,
    QuerySpan,
    RegionRef,
    RestrictionOut,
    made_of,
)
from advisories.answer_parts import source_ref, standing_parts
from advisories.errors import QueryError
from advisories.localtime import format_instant, format_until, midnight
from advisories.models import ContextItem, zone
from advisories.regions import Gazetteer, Region, Relation
from advisories.ruleset import RuleSet
from advisories.timeline import Period, RestrictionTimeline
from advisories.windows import open_within

_IN_FORCE, _PARTIAL = "in_force", "partial"


def instant_query(at: datetime, timezone: str) -> QuerySpan:
    """A question about one instant; a naive `at` is read in `timezone`."""
    tz = zone(timezone)
    aware = at.replace(tzinfo=tz) if at.utcoffset() is None else at
    return QuerySpan(kind="instant", start=aware, end=aware, timezone=timezone)


def days_query(first: date, last: date, timezone: str) -> QuerySpan:
    """A question about local days `first` to `last`, both included."""
    if last < first:
        raise QueryError(
            f"the range ends ({last}) before it starts ({first}); swap --from and --to"
        )
    tz = zone(timezone)
    end = midnight(last + timedelta(days=1), tz)
    start = midnight(first, tz)
    if first == last:
        return QuerySpan(kind="day", start=start, end=end, timezone=timezone)
    return QuerySpan(kind="range", start=start, end=end, timezone=timezone)


def evaluate(
    rules: RuleSet, region: Region, query: QuerySpan, as_of: date, *, linear: bool = False
) -> Answer:
    """What is in force for `region` during `query`, with what changes and the context.

    The index narrows the timelines to look at; `linear` looks at every one instead (for
    benchmarks and for tests that the two agree).
    """
    gazetteer = rules.gazetteer
    found: list[tuple[int, RestrictionTimeline, list[_Hit]]] = []
    changes: list[Change] = []
    if linear:
        timelines: Iterable[tuple[int, RestrictionTimeline]] = enumerate(rules.timelines)
    else:
        positions = rules.index.candidates(region.code, query.start, query.end)
        timelines = ((i, rules.timelines[i]) for i in positions)
    for position, timeline in timelines:
        hits = _hits(timeline, gazetteer, region, query)
        if hits:
            found.append((position, timeline, hits))
            if query.kind != "instant":
                changes += _changes(timeline, _label(rules, timeline), hits, query)
        elif query.kind != "instant" and _revoked_here(timeline, gazetteer, region, query):
            revoked = timeline.revoked
            assert revoked is not None
            changes.append(
                Change(
                    at=revoked.effective,
                    event="amended",
                    restriction=timeline.key,
                    label=_label(rules, timeline),
                    summary=revoked.summary,
                )
            )
    restrictions = [_restriction(rules, p, t, hits, region, as_of) for p, t, hits in found]
    restrictions.sort(key=lambda r: (r.status != _IN_FORCE, r.start, r.label, r.id))
    changes.sort(key=lambda c: (c.at, c.restriction, c.event))
    return Answer(
        region=_region_ref(gazetteer, region),
        query=query,
        rules_version=rules.version,
        as_of=as_of,
        restrictions=restrictions,
        changes=changes,
        context=_context(rules, region, query, linear),
    )


def _label(rules: RuleSet, timeline: RestrictionTimeline) -> str:
    return timeline.restriction.text or rules.kinds[timeline.restriction.kind].label


class _Hit(NamedTuple):
    """A period of a restriction that overlaps the query and covers the asked region.

    A tuple: a country-wide question makes hundreds, and a tuple is made in a third the time.
    """

    period: Period
    status: str
    matched: str
    relation: Relation
    overlaps_query: bool


def _hits(
    timeline: RestrictionTimeline, gazetteer: Gazetteer, region: Region, query: QuerySpan
) -> list[_Hit]:
    """Every period that covers the region; empty when none of them overlaps the query."""
    windows = timeline.restriction.windows
    hits: list[_Hit] = []
    for period in timeline.periods:
        match = _match(gazetteer, period, region.code)
        if match is None:
            continue
        if query.kind == "instant":
            start, end = query.start, query.start
            overlaps = _contains(period, query.start)
        else:
            start, end = max(period.start, query.start), _min_end(period.end, query.end)
            overlaps = start < end
        if overlaps and windows:
            overlaps = open_within(windows, timeline.order.tz, start, end, period.opened)
        hits.append(_Hit(period, *match, overlaps_query=overlaps))
    return hits if any(h.overlaps_query for h in hits) else []


def _revoked_here(
    timeline: RestrictionTimeline, gazetteer: Gazetteer, region: Region, query: QuerySpan
) -> bool:
    """Whether a revoked order once covered the region and was revoked within the query."""
    revoked = timeline.revoked
    if revoked is None or not _starts_within(revoked.effective, query):
        return False
    order = timeline.order
    scope = Period(revoked.effective, None, tuple(order.regions), tuple(order.exclude_regions),
                   opened=revoked.effective)  # fmt: skip
    return _match(gazetteer, scope, region.code) is not None


def _match(gazetteer: Gazetteer, period: Period, asked: str) -> tuple[str, str, Relation] | None:
    """How the period's scope covers `asked`: (status, matched region, relation), best first."""
    best: tuple[str, str, Relation] | None = None
    for code in period.regions:
        relation = gazetteer.relation(code, asked)
        if relation is None:
            continue
        excluded = [gazetteer.relation(x, asked) for x in period.exclude_regions]
        if not excluded:  # the common case: nothing carved out
            status = _PARTIAL if relation is Relation.INSIDE else _IN_FORCE
        elif relation is Relation.INSIDE:
            if any(gazetteer.relation(x, code) in (Relation.SAME, Relation.CONTAINS)
                   for x in period.exclude_regions):  # fmt: skip
                continue
            status = _PARTIAL
        elif any(r in (Relation.SAME, Relation.CONTAINS) for r in excluded):
            continue
        else:
            status = _PARTIAL if Relation.INSIDE in excluded else _IN_FORCE
        if best is None or (best[0] == _PARTIAL and status == _IN_FORCE):
            best = (status, code, relation)
    return best


def _restriction(
    rules: RuleSet,
    position: int,
    timeline: RestrictionTimeline,
    hits: list[_Hit],
    region: Region,
    as_of: date,
) -> RestrictionOut:
    order = timeline.order
    parts = standing_parts(rules, position, timeline)
    current = [h for h in hits if h.overlaps_query]
    lead = next((h for h in current if h.status == _IN_FORCE), current[0])
    start, end = _contiguous(current[0], hits)
    matched = rules.gazetteer[lead.matched]
    if lead.relation is Relation.SAME:
        relation_words = f"covers {matched.name}"
    elif lead.relation is Relation.CONTAINS:
        relation_words = f"covers {matched.name}, which contains {region.name}"
    else:
        relation_words = f"covers {matched.name}, part of {region.name}"
    explanation = (
        f"Order {order.id} ({order.authority}) {relation_words}; in force from "
        f"{parts.start(start)} until {parts.until(end)}{parts.history}"
    )
    return made_of(
        RestrictionOut,
        {
            **parts.fixed,
            "status": "in_force" if lead.status == _IN_FORCE else "partial",
            "start": start,
            "end": end,
            "periods": [parts.period_out(h.period, h.status, h.matched) for h in hits],
            "windows": list(parts.windows),
            "exemptions": list(parts.exemptions),
            "matched_region": parts.match(matched, lead.relation.value),
            "sources": list(parts.sources),
            "stale": parts.review_by is not None and parts.review_by < as_of,
            "amendments": parts.amendments_copy(),
            "explanation": explanation,
        },
    )


def _contiguous(first: _Hit, hits: list[_Hit]) -> tuple[datetime, datetime | None]:
    """The start of `first` and the end of the unbroken run of periods that follows it."""
    start, end = first.period.start, first.period.end
    for hit in hits:
        if end is not None and hit.period.start == end:
            end = hit.period.end
    return start, end


def _changes(
    timeline: RestrictionTimeline, label: str, hits: list[_Hit], query: QuerySpan
) -> list[Change]:
    tz = timeline.order.tz
    starts = {h.period.start for h in hits}
    ends = {h.period.end for h in hits if h.period.end is not None}
    changes = [
        Change(at=s, event="starts", restriction=timeline.key, label=label,
               summary=f"starts {format_instant(s, tz)}")
        for s in sorted(starts - ends) if _starts_within(s, query)
    ]  # fmt: skip
    changes += [
        Change(at=e, event="ends", restriction=timeline.key, label=label,
               summary=f"ends at {format_instant(e, tz)} (in force until {format_until(e, tz)})")
        for e in sorted(ends - starts) if _ends_within(e, query)
    ]  # fmt: skip
    changes += [
        Change(at=h.effective, event="amended", restriction=timeline.key, label=label,
               summary=h.summary)
        for h in timeline.history if _starts_within(h.effective, query)
    ]  # fmt: skip
    return changes


def _starts_within(at: datetime, query: QuerySpan) -> bool:
    """A start (or amendment) counts in [start, end) of the question."""
    return query.start <= at < query.end


def _ends_within(at: datetime, query: QuerySpan) -> bool:
    """An end is exclusive, so one at the question's own end still counts: (start, end]."""
    return query.start < at <= query.end


def _context(rules: RuleSet, region: Region, query: QuerySpan, linear: bool) -> list[ContextOut]:
    first, last = query.local_days()
    if linear:
        considered: Iterable[ContextItem] = rules.context
    else:
        considered = (rules.context[i] for i in rules.context_index.candidates(region.code))
    items = [
        item
        for item in considered
        if _relevant(item, first, last)
        and any(rules.gazetteer.relation(code, region.code) for code in item.regions)
    ]
    items.sort(key=lambda i: (i.date, i.id))
    return [
        ContextOut(
            id=item.id,
            date=item.date,
            title=item.title,
            summary=item.summary,
            regions=item.regions,
            sources=[source_ref(rules.sources[s]) for s in item.sources],
            verification=item.verification,
        )
        for item in items
    ]


def _relevant(item: ContextItem, first: date, last: date) -> bool:
    return (item.relevant_from or item.date) <= last and item.relevant_until >= first


def _region_ref(gazetteer: Gazetteer, region: Region) -> RegionRef:
    path = [r.name for r in gazetteer.path(region.code)]
    return RegionRef(code=region.code, name=region.name, type=region.type, path=path)


def _contains(period: Period, at: datetime) -> bool:
    return period.start <= at and (period.end is None or at < period.end)


def _min_end(end: datetime | None, other: datetime) -> datetime:
    return other if end is None else min(end, other)
