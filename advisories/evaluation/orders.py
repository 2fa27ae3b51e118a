"""Every order at a glance: where, when, what it bans, and whether it is in force, upcoming or
ended at an instant, and past its review. For lists of orders (the web service's orders page
and API), not for answering a place: that is the Evaluator's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline

OrderStatus = Literal["in_force", "upcoming", "ended", "revoked"]


@dataclass(frozen=True)
class OrderSummary:
    id: str
    title: str
    authority: str
    regions: tuple[str, ...]
    timezone: str  # the order's own: its start and end read in it
    kinds: tuple[str, ...]  # of its restrictions, added ones included
    start: datetime | None  # None: revoked, never in force
    end: datetime | None  # exclusive; None: until further notice (or revoked)
    status: OrderStatus
    stale: bool  # past its review day as of the day asked
    contents: str  # reported, partly_reported, not_reported
    verification: str


def order_summaries(rules: RuleSet, at: datetime, as_of: date) -> list[OrderSummary]:
    """Every order of `rules` as it stands at `at`, staleness judged as of `as_of`; the
    latest start first."""
    by_order: dict[str, list[RestrictionTimeline]] = {}
    for timeline in rules.timelines:
        by_order.setdefault(timeline.order.id, []).append(timeline)
    found = [_summary(timelines, at, as_of) for timelines in by_order.values()]
    return sorted(found, key=lambda s: (s.start is None, s.start and -s.start.timestamp(), s.id))


def _summary(timelines: list[RestrictionTimeline], at: datetime, as_of: date) -> OrderSummary:
    order = timelines[0].order
    periods = [p for t in timelines for p in t.periods]
    start = min((p.start for p in periods), default=None)
    ends = [p.end for p in periods]
    end = None if not ends or None in ends else max(e for e in ends if e is not None)
    in_force = any(p.start <= at and (p.end is None or at < p.end) for p in periods)
    status: OrderStatus
    if timelines[0].revoked is not None:
        status = "revoked"
    elif in_force:
        status = "in_force"
    elif start is not None and at < start:
        status = "upcoming"
    elif end is not None and end <= at:
        status = "ended"
    else:
        status = "upcoming"  # in a gap between its periods: it resumes later
    reviews = [d for d in (order.review_by, *(h.amendment.review_by for t in timelines
                                               for h in t.history)) if d]  # fmt: skip
    kinds = sorted({t.restriction.kind for t in timelines if not t.unreported})
    return OrderSummary(
        id=order.id,
        title=order.title,
        authority=order.authority,
        regions=tuple(order.regions),
        timezone=order.timezone,
        kinds=tuple(kinds),
        start=start,
        end=end,
        status=status,
        stale=status != "ended" and bool(reviews) and max(reviews) < as_of,
        contents=order.contents,
        verification=order.verification,
    )
