"""What an export, a feed or a list of changes covers: the orders bearing on one region (or
every order) over some local days (or all of them), in the rules as known on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import Period, RestrictionTimeline, validity_span
from advisories.evaluation.answer import QuerySpan
from advisories.evaluation.evaluator import Evaluator, evaluator_of
from advisories.evaluation.matching import covers
from advisories.evaluation.query import Days, days_query, read_timezone, timezone_of
from advisories.model.regions import Region
from advisories.model.rules import Order
from advisories.model.time import midnight, zone


@dataclass(frozen=True)
class Selection:
    """The rules as known on `as_of`, narrowed to `region` (None: everywhere) and to `span`
    (None: all time). Exports and feeds are functions of a Selection alone, so the same
    selection gives the same bytes."""

    evaluator: Evaluator  # of the rules as known on `as_of`
    region: Region | None
    span: QuerySpan | None
    as_of: date

    @property
    def rules(self) -> RuleSet:
        return self.evaluator.rules

    @cached_property
    def timelines(self) -> list[RestrictionTimeline]:
        """The restriction timelines of the selected orders, by order id then restriction:
        those whose scope bears on the region and whose periods, amendments or revocation
        fall in the span. Orders whose contents were not reported are included (as their
        placeholder timeline, `unreported`), so that no export leaves out an order in force."""
        return [t for t in self._all if self._in_span(t) and self._here(t)]

    @property
    def orders(self) -> list[Order]:
        """The selected orders, by id."""
        found = {t.order.id: t.order for t in self.timelines}
        return [found[key] for key in sorted(found)]

    @property
    def _all(self) -> list[RestrictionTimeline]:
        return sorted(self.rules.timelines, key=lambda t: (t.order.id, t.restriction.id))

    def _here(self, timeline: RestrictionTimeline) -> bool:
        """Whether the order's scope, as issued or as amended, covers the region in all or in
        part (an order for Balochistan except Quetta does not bear on Quetta)."""
        if self.region is None:
            return True
        gazetteer, code = self.rules.gazetteer, self.region.code
        return any(covers(gazetteer, p, code) for p in (_issued(timeline), *timeline.periods))

    def _in_span(self, timeline: RestrictionTimeline) -> bool:
        """Whether the order held in the span, was to hold in it as issued (then lifted or
        revoked: a calendar must cancel it), or was issued, amended or revoked in it."""
        span = self.span
        if span is None:
            return True
        start, end = span.start, span.end
        issued = _issued(timeline)
        if any(p.start < end and (p.end is None or start < p.end)
               for p in (issued, *timeline.periods)):  # fmt: skip
            return True
        tz = timeline.order.tz
        moments = [midnight(timeline.order.announced, tz)]
        for applied in (*timeline.history, *([timeline.revoked] if timeline.revoked else [])):
            moments += [applied.effective, midnight(applied.amendment.announced, tz)]
        return any(start <= m < end for m in moments)


def _issued(timeline: RestrictionTimeline) -> Period:
    """The order's validity and scope as issued, before any amendment."""
    order = timeline.order
    start, end = validity_span(order)
    return Period(start, end, tuple(order.regions), tuple(order.exclude_regions), opened=start)


def select(
    rules: RuleSet | Evaluator, region: Region | None, span: QuerySpan | None, as_of: date
) -> Selection:
    """The Selection of `rules` as known on `as_of` (what was announced or recorded after it
    left out, as answers leave it out); an Evaluator given keeps what it compiled."""
    return Selection(evaluator_of(rules).known_on(as_of), region, span, as_of)


def selection_of(
    rules: RuleSet | Evaluator, place: str | None, days: Days | None, tz: str | None, as_of: date
) -> Selection:
    """What `place` (a name or code; None: everywhere) and `days` (None: all time) select, as
    known on `as_of`; the days are the place's local days (else `tz`'s, else UTC's)."""
    gazetteer = evaluator_of(rules).rules.gazetteer
    region = gazetteer.resolve(place) if place is not None else None
    span = None
    if days is not None:
        if region is not None:
            timezone = timezone_of(gazetteer, region, tz)
        else:
            timezone = read_timezone(tz) if tz is not None else "UTC"
        span = days_query(days.first, days.last, timezone)
    return select(rules, region, span, as_of)


def first_and_last(selection: Selection) -> tuple[datetime, datetime] | None:
    """The first instant any selected restriction holds and the last end (or, for one held
    until further notice, its start), when no span narrows the selection; a revoked order
    counts with the days it was issued for."""
    periods = [p for t in selection.timelines
               for p in (t.periods or ((_issued(t),) if t.revoked else ()))]  # fmt: skip
    if not periods:
        return None
    ends = [p.end or p.start for p in periods]
    return min(p.start for p in periods), max(ends)


def local_days(selection: Selection, timezone: str | None) -> tuple[date, date]:
    """The local days the selection covers, read in `timezone` (None: UTC): its span's, else
    from the first start to the last end its orders hold, else the day it is known as of."""
    if selection.span is not None:
        return selection.span.local_days()
    bounds = first_and_last(selection)
    if bounds is None:
        return selection.as_of, selection.as_of
    tz = zone(timezone) if timezone else UTC
    first, last = (b.astimezone(tz).date() for b in bounds)
    return first, last
