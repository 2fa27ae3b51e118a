"""How a restriction's periods cover a question: which periods, with which status, through
which region of the order's scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from advisories.compile.timeline import Period, RestrictionTimeline
from advisories.evaluation.answer import QuerySpan, Status
from advisories.model.regions import Gazetteer, Region, Relation
from advisories.model.restrictions import Window
from advisories.model.windows import open_within

IN_FORCE: Status = "in_force"
PARTIAL: Status = "partial"


class Hit(NamedTuple):
    """A period of a restriction that overlaps the query and covers the asked region.

    A tuple, not a dataclass: a country-wide question makes hundreds, and tuples are cheaper
    to make.
    """

    period: Period
    status: Status
    matched: str
    relation: Relation
    overlaps_query: bool


def hits_of(
    timeline: RestrictionTimeline, gazetteer: Gazetteer, region: Region, query: QuerySpan
) -> list[Hit]:
    """Every period that covers the region; empty when none of them overlaps the query."""
    windows = timeline.restriction.windows
    versions = timeline.versions
    hits: list[Hit] = []
    for period in timeline.periods:
        if versions:  # modified: each version has its own hours
            windows = timeline.version(period.version).windows
        match = scope_match(gazetteer, period, region.code)
        if match is None:
            continue
        if query.kind == "instant":
            start, end = query.start, query.start
            overlaps = _contains(period, query.start)
        else:
            start, end = max(period.start, query.start), _min_end(period.end, query.end)
            overlaps = start < end
        if overlaps and windows:
            if any(w.regions for w in windows):  # some hours hold in part of the scope only
                status = _open_here(windows, gazetteer, region.code, timeline, start, end, period)
                overlaps = status is not None
                if status is PARTIAL:
                    match = (PARTIAL, match[1], match[2])
            else:
                overlaps = open_within(windows, timeline.order.tz, start, end, period.opened)
        hits.append(Hit(period, *match, overlaps_query=overlaps))
    return hits if any(h.overlaps_query for h in hits) else []


def _open_here(
    windows: Sequence[Window],
    gazetteer: Gazetteer,
    asked: str,
    timeline: RestrictionTimeline,
    start: datetime,
    end: datetime,
    period: Period,
) -> Status | None:
    """Whether windows that hold in the asked region are open within [start, end): IN_FORCE
    if one holding in all of it is, PARTIAL if only one holding in a part of it is (a district
    of an asked province), None if neither."""
    whole: list[Window] = []
    part: list[Window] = []
    for window in windows:
        if window.regions is None:
            whole.append(window)
            continue
        relations = {gazetteer.relation(code, asked) for code in window.regions}
        if relations & {Relation.SAME, Relation.CONTAINS}:
            whole.append(window)
        elif Relation.INSIDE in relations:
            part.append(window)
    tz = timeline.order.tz
    if whole and open_within(whole, tz, start, end, period.opened):
        return IN_FORCE
    if part and open_within(part, tz, start, end, period.opened):
        return PARTIAL
    return None


def revoked_here(
    timeline: RestrictionTimeline, gazetteer: Gazetteer, region: Region, query: QuerySpan
) -> bool:
    """Whether a revoked order once covered the region and was revoked within the query."""
    revoked = timeline.revoked
    if revoked is None or not starts_within(revoked.effective, query):
        return False
    order = timeline.order
    scope = Period(revoked.effective, None, tuple(order.regions), tuple(order.exclude_regions),
                   opened=revoked.effective)  # fmt: skip
    return covers(gazetteer, scope, region.code)


def covers(gazetteer: Gazetteer, period: Period, code: str) -> bool:
    """Whether the period's scope covers the region `code`, in all or in part."""
    return scope_match(gazetteer, period, code) is not None


def scope_match(
    gazetteer: Gazetteer, period: Period, asked: str
) -> tuple[Status, str, Relation] | None:
    """How the period's scope covers `asked`: (status, matched region, relation), best first."""
    best: tuple[Status, str, Relation] | None = None
    for code in period.regions:
        relation = gazetteer.relation(code, asked)
        if relation is None:
            continue
        excluded = [gazetteer.relation(x, asked) for x in period.exclude_regions]
        if not excluded:  # the common case: nothing carved out
            status = PARTIAL if relation is Relation.INSIDE else IN_FORCE
        elif relation is Relation.INSIDE:
            if any(gazetteer.relation(x, code) in (Relation.SAME, Relation.CONTAINS)
                   for x in period.exclude_regions):  # fmt: skip
                continue
            status = PARTIAL
        elif any(r in (Relation.SAME, Relation.CONTAINS) for r in excluded):
            continue
        else:
            status = PARTIAL if Relation.INSIDE in excluded else IN_FORCE
        if best is None or (best[0] == PARTIAL and status == IN_FORCE):
            best = (status, code, relation)
    return best


def contiguous(first: Hit, hits: list[Hit]) -> tuple[datetime, datetime | None]:
    """The start and end of the unbroken run of periods (`hits`, in time order) that holds
    `first`: a change of scope splits a run into periods, but does not break it."""
    start, end = first.period.start, first.period.end
    for hit in reversed(hits):
        if hit.period.end == start:
            start = hit.period.start
    for hit in hits:
        if end is not None and hit.period.start == end:
            end = hit.period.end
    return start, end


def starts_within(at: datetime, query: QuerySpan) -> bool:
    """A start (or amendment) counts in [start, end) of the question."""
    return query.start <= at < query.end


def ends_within(at: datetime, query: QuerySpan) -> bool:
    """An end is exclusive, so one at the question's own end still counts: (start, end]."""
    return query.start < at <= query.end


def _contains(period: Period, at: datetime) -> bool:
    return period.start <= at and (period.end is None or at < period.end)


def _min_end(end: datetime | None, other: datetime) -> datetime:
    return other if end is None else min(end, other)
