"""Every order at a glance: where, when, what it bans, and whether it is in force, upcoming or
ended at an instant, and past its review. For lists of orders (the web service's orders page
and API), not for answering a place: that is the Evaluator's."""

from __future__ import annotations

from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class OrderFacts:
    """What an order's summary takes from the rules, worked out once: only its status and
    staleness change with the instant and the day asked."""

    summary: OrderSummary  # its status and staleness as placeholders
    periods: tuple[tuple[datetime, datetime | None], ...]
    revoked: bool
    review: date | None  # the latest review day of the order and its amendments


def order_summaries(rules: RuleSet, at: datetime, as_of: date) -> list[OrderSummary]:
    """Every order of `rules` as it stands at `at`, staleness judged as of `as_of`; the
    latest start first."""
    return summaries_at(order_facts(rules), at, as_of)


def order_facts(rules: RuleSet) -> list[OrderFacts]:
    """Every order's facts, the latest start first (a service keeps them per rules)."""
    by_order: dict[str, list[RestrictionTimeline]] = {}
    for timeline in rules.timelines:
        by_order.setdefault(timeline.order.id, []).append(timeline)
    found = [_facts(timelines) for timelines in by_order.values()]
    return sorted(found, key=lambda f: (f.summary.start is None,
                                        f.summary.start and -f.summary.start.timestamp(),
                                        f.summary.id))  # fmt: skip


def summaries_at(
    facts: list[OrderFacts],
    at: datetime,
    as_of: date,
    before: list[OrderSummary] | None = None,
) -> list[OrderSummary]:
    """The orders of `facts` with their status at `at` and staleness as of `as_of`; a
    summary of `before` (the same facts at another instant) is kept where it still holds."""
    if before is None or len(before) != len(facts):
        return [_at(f, *_state(f, at, as_of)) for f in facts]
    found = []
    for f, held in zip(facts, before, strict=True):
        status, stale = _state(f, at, as_of)
        same = held.id == f.summary.id and held.status == status and held.stale == stale
        found.append(held if same else _at(f, status, stale))
    return found


def _facts(timelines: list[RestrictionTimeline]) -> OrderFacts:
    order = timelines[0].order
    periods = tuple((p.start, p.end) for t in timelines for p in t.periods)
    start = min((s for s, _ in periods), default=None)
    ends = [e for _, e in periods]
    end = None if not ends or None in ends else max(e for e in ends if e is not None)
    reviews = [d for d in (order.review_by, *(h.amendment.review_by for t in timelines
                                               for h in t.history)) if d]  # fmt: skip
    kinds = sorted({t.restriction.kind for t in timelines if not t.unreported})
    summary = OrderSummary(
        id=order.id,
        title=order.title,
        authority=order.authority,
        regions=tuple(order.regions),
        timezone=order.timezone,
        kinds=tuple(kinds),
        start=start,
        end=end,
        status="ended",
        stale=False,
        contents=order.contents,
        verification=order.verification,
    )
    return OrderFacts(
        summary, periods, timelines[0].revoked is not None, max(reviews, default=None)
    )


def _state(facts: OrderFacts, at: datetime, as_of: date) -> tuple[OrderStatus, bool]:
    start, end = facts.summary.start, facts.summary.end
    status: OrderStatus
    if facts.revoked:
        status = "revoked"
    elif any(s <= at and (e is None or at < e) for s, e in facts.periods):
        status = "in_force"
    elif start is not None and at < start:
        status = "upcoming"
    elif end is not None and end <= at:
        status = "ended"
    else:
        status = "upcoming"  # in a gap between its periods: it resumes later
    return status, status != "ended" and facts.review is not None and facts.review < as_of


def _at(facts: OrderFacts, status: OrderStatus, stale: bool) -> OrderSummary:
    return replace(facts.summary, status=status, stale=stale)
