"""What happened to the selected orders: issued, amended (extended, lifted, revoked, changed),
corrected, starting, ending, becoming stale; for `advisory changes` and the Atom feed.

News (an order issued, amended or corrected) is dated by the day it was announced or recorded,
so "since last Monday" lists what became known since; what follows from the dates (a start, an
end, a review that passed) is dated by when it happens. Only what happened by the end of the
day the rules are known on is a change: a start next week is not news yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from advisories.compile.timeline import AppliedAmendment, Period, RestrictionTimeline
from advisories.errors import QueryError
from advisories.evaluation.answer import CoverageOut, SourceRef
from advisories.evaluation.coverage import coverage_of
from advisories.evaluation.matching import covers
from advisories.evaluation.parts import source_ref
from advisories.evaluation.selection import Selection
from advisories.model.regions import Region
from advisories.model.rules import Order
from advisories.model.time import format_day, format_instant, midnight

Event = Literal[
    "issued", "extended", "lifted", "revoked", "amended", "corrected", "starts", "ends", "stale"
]
_ACTION_EVENTS: dict[str, Event] = {"extend": "extended", "lift": "lifted", "revoke": "revoked"}


@dataclass(frozen=True)
class RuleChange:
    """One thing that happened to one order."""

    id: str  # stable: order, event, and what tells it apart (an amendment id, an instant)
    at: datetime  # when: the announcement day's start for news, else the instant it happens
    recorded: date  # the day the rules record it: announced, corrected, or the day it happened
    event: Event
    order: str
    order_title: str
    regions: tuple[str, ...]  # as the order names them
    labels: tuple[str, ...]  # the restrictions it concerns, by label (none: a correction, a review)
    summary: str  # in our words, with the order's local times
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ChangesReport:
    """What happened in a place (or everywhere) over some days, and what its coverage lets
    one claim from that."""

    region: Region | None  # None: everywhere
    first: date | None  # None: from the first record
    last: date  # the last day asked, no later than the day the rules are known on
    as_of: date
    rules_version: str
    coverage: CoverageOut | None  # the region's over the days asked; None for everywhere
    changes: list[RuleChange]


def changes_report(selection: Selection, first: date | None, last: date | None) -> ChangesReport:
    """The changes of `selection` from `first` to `last` (None: unbounded), with coverage."""
    until = selection.as_of if last is None else min(last, selection.as_of)
    if first is not None and first > until:
        raise QueryError(
            f"the days asked begin ({first}) after the rules are known ({selection.as_of}): "
            "nothing has happened yet; ask from an earlier day or give {as_of}"
        )
    coverage = None
    if selection.region is not None:
        begin = first if first is not None else min(until, _first_day(selection))
        coverage = coverage_of(selection.rules, selection.region, begin, until, selection.as_of)
    return ChangesReport(selection.region, first, until, selection.as_of,
                         selection.rules.version, coverage,
                         rule_changes(selection, first, last))  # fmt: skip


def _first_day(selection: Selection) -> date:
    announced = [o.announced for o in selection.orders]
    return min(announced, default=selection.as_of)


def rule_changes(
    selection: Selection, first: date | None = None, last: date | None = None
) -> list[RuleChange]:
    """The changes to the selected orders dated from `first` to `last` (local days of each
    order, both included; None: unbounded), up to the day the rules are known on; newest
    first."""
    until = selection.as_of if last is None else min(last, selection.as_of)
    # Chosen by place only: news in the days asked may be of an order that holds later.
    everywhen = replace(selection, span=None) if selection.span is not None else selection
    by_order: dict[str, list[RestrictionTimeline]] = {}
    for timeline in everywhen.timelines:
        by_order.setdefault(timeline.order.id, []).append(timeline)
    found: list[RuleChange] = []
    for timelines in by_order.values():
        tz = timelines[0].order.tz
        for change in _of_order(selection, timelines):
            day = change.at.astimezone(tz).date()
            if (first is None or first <= day) and day <= until:
                found.append(change)
    found.sort(key=lambda c: (-c.at.timestamp(), c.order, c.id))
    return found


def _of_order(selection: Selection, timelines: list[RestrictionTimeline]) -> Iterable[RuleChange]:
    order = timelines[0].order
    rules = selection.rules
    labels = {t.key: _label(selection, t) for t in timelines if not t.unreported}

    def change(
        key: str, at: datetime, recorded: date, event: Event, concerned: Iterable[str],
        summary: str, sources: Iterable[str],
    ) -> RuleChange:  # fmt: skip
        return RuleChange(
            id=f"{order.id}/{event}/{key}",
            at=at.astimezone(tz),  # read as the order's local time, however it was written
            recorded=recorded,
            event=event,
            order=order.id,
            order_title=order.title,
            regions=tuple(order.regions),
            labels=tuple(sorted({labels[k] for k in concerned if k in labels})),
            summary=summary,
            sources=tuple(source_ref(rules.sources[s]) for s in dict.fromkeys(sources)),
        )

    tz = order.tz
    yield change(order.id, midnight(order.announced, tz), order.announced, "issued", labels,
                 f"issued by {order.authority} on {format_day(order.announced)}",
                 order.sources)  # fmt: skip
    applied: dict[str, tuple[AppliedAmendment, list[str]]] = {}
    for t in timelines:
        for h in (*t.history, *([t.revoked] if t.revoked else [])):
            applied.setdefault(h.amendment.id, (h, []))[1].append(t.key)
    for amendment_id, (h, keys) in applied.items():
        a = h.amendment
        yield change(amendment_id, midnight(a.announced, tz), a.announced,
                     _ACTION_EVENTS.get(a.action, "amended"), keys, h.summary,
                     a.sources)  # fmt: skip
    for correction in {c.id: c for t in timelines for c in t.corrections}.values():
        yield change(correction.id, midnight(correction.recorded, tz), correction.recorded,
                     "corrected", (), f"record corrected: {correction.summary}",
                     correction.sources)  # fmt: skip
    region = selection.region

    def here(period: Period) -> bool:  # a place sees a scope change as a start or an end
        return region is None or covers(rules.gazetteer, period, region.code)

    starts: dict[datetime, list[str]] = {}
    ends: dict[datetime, list[str]] = {}
    for t in timelines:
        if t.revoked is not None:
            continue
        spans = [(p.start, p.end) for p in t.periods if here(p)]
        for start, end in spans:  # a scope change splits a run: its inner edges are not news
            if not any(e == start for _, e in spans):
                starts.setdefault(start, []).append(t.key)
            if end is not None and not any(s == end for s, _ in spans):
                ends.setdefault(end, []).append(t.key)
    for at, keys in starts.items():
        yield change(_utc(at), at, at.astimezone(tz).date(), "starts", keys,
                     f"in force from {format_instant(at, tz)}", order.sources)  # fmt: skip
    for at, keys in ends.items():
        yield change(_utc(at), at, at.astimezone(tz).date(), "ends", keys,
                     f"no longer in force from {format_instant(at, tz)}",
                     order.sources)  # fmt: skip
    stale = _stale_from(order, timelines)
    if stale is not None:
        yield change(stale.isoformat(), midnight(stale, tz), stale, "stale", (),
                     f"past its review day ({format_day(stale - timedelta(days=1))}) with no "
                     "newer report: it may have been extended, lifted or changed",
                     order.sources)  # fmt: skip


def _stale_from(order: Order, timelines: list[RestrictionTimeline]) -> date | None:
    """The first day the order is past its latest review while not yet over, if any."""
    if any(t.revoked is not None for t in timelines):
        return None
    reviews = [d for d in (order.review_by, *(h.amendment.review_by for t in timelines
                                               for h in t.history)) if d]  # fmt: skip
    if not reviews:
        return None
    day = max(reviews) + timedelta(days=1)
    ends = [p.end for t in timelines for p in t.periods]
    if ends and None not in ends and max(e for e in ends if e) <= midnight(day, order.tz):
        return None  # over by then: an ended order is not stale
    return day


def _utc(at: datetime) -> str:
    """An instant in an id: in UTC, so the same instant written another way keeps its id."""
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _label(selection: Selection, timeline: RestrictionTimeline) -> str:
    return selection.rules.kinds[timeline.restriction.kind].label
