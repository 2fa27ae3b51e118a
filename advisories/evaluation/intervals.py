"""The restriction intervals of a Selection, flat: one row per restriction, period and asked
region, with the fields of `check --format json`, for spreadsheets and JSON exports.

Rows come from the Evaluator's own answers, so an export says what `check` says. Without a
region, every region an order names is asked in turn and only the restrictions that name it
are kept, so each interval appears once for each region named, not again for its parents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from advisories.compile.timeline import Period, validity_span
from advisories.evaluation.answer import Answer, QuerySpan, RestrictionOut, UnreportedOut
from advisories.evaluation.matching import scope_match
from advisories.evaluation.query import days_query
from advisories.evaluation.selection import Selection, local_days
from advisories.model.regions import Region, Relation

UNREPORTED = "contents-not-reported"  # the kind and restriction id of an unreported order's row
# Why an interval ends where it does: the amendment that ended it, else its own end.
ENDINGS = {"lift": "lifted", "remove_restriction": "removed", "change_scope": "scope_changed",
           "modify_restriction": "modified", "revoke": "revoked"}  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """One stretch in which a restriction holds for a region (an order whose contents were
    not reported is a row of kind `contents-not-reported`)."""

    id: str  # order id / restriction id
    order: str
    order_title: str
    kind: str
    label: str
    text: str
    status: str  # in_force (all of the region), partial, or revoked (never in force)
    start: datetime  # for a revoked order: when it was to begin
    end: datetime | None  # exclusive; None: until further notice
    ended_by: str | None  # why it ends there: ENDINGS' values; None: until further notice
    end_event: str | None
    end_assumption: str | None  # why the end is where it is, when the order ties it to an event
    timezone: str
    as_written: str | None
    windows: tuple[str, ...]  # hours, as `check` words them; empty: all day
    within: tuple[str, ...]  # where inside the region; empty: all of it
    threshold: int | None  # the fewest people a gatherings ban covers
    exemptions: tuple[str, ...]  # confirmed ones that apply
    authority: str
    legal_basis: str | None
    penalty: str | None
    region: str  # the region asked
    region_name: str
    matched_region: str  # the region the order names
    relation: str  # how it relates to the region asked: same, contains, inside
    coverage: str  # monitored, partly_monitored or not_monitored, for the region asked
    verification: str
    review_by: date | None
    stale: bool
    amendments: tuple[str, ...]  # what each amendment did, in our words, oldest first
    disputes: tuple[str, ...]  # other accounts of its facts, "about: claim"
    sources: tuple[str, ...]  # each source's address, else its id
    note: str | None


@dataclass(frozen=True)
class Intervals:
    """The rows of a Selection, and what the regions asked say about being monitored."""

    rows: list[Interval]
    span: QuerySpan | None  # the span answered; None: nothing selected, nothing asked
    coverage: dict[str, str]  # each region asked: its coverage status


def intervals(selection: Selection) -> Intervals:
    """Every interval of `selection`, by region asked, start and id."""
    evaluator = selection.evaluator
    gazetteer = selection.rules.gazetteer
    if selection.region is not None:
        asked = [(selection.region, False)]
    else:
        named = {r for t in selection.timelines for p in t.periods for r in p.regions}
        named |= {r for t in selection.timelines if t.revoked for r in t.order.regions}
        asked = [(gazetteer[code], True) for code in sorted(named)]
    rows: list[Interval] = []
    coverage: dict[str, str] = {}
    span: QuerySpan | None = None
    for region, own in asked:
        span = _span(selection, region)
        answer = evaluator.evaluate(region, span, selection.as_of)
        coverage[region.code] = answer.coverage.status
        found = _rows(answer, selection) + _revoked(selection, region, answer)
        rows += [row for row in found if not own or row.relation == "same"]
    rows.sort(key=lambda r: (r.region, r.start, r.id, r.matched_region))
    return Intervals(rows, span if selection.region is not None else selection.span, coverage)


def _span(selection: Selection, region: Region) -> QuerySpan:
    """The selection's span, or (for all time) its local days in the region's time with a day
    on each side, so the first night's window and the last day's end are in; with nothing
    selected, the day answered as of, so that the region's coverage is still said."""
    if selection.span is not None:
        return selection.span
    timezone = selection.rules.gazetteer.timezone(region.code) or "UTC"
    first, last = local_days(selection, timezone)
    if not selection.timelines:  # nothing selected: local_days gave the as-of day alone
        return days_query(first, last, timezone)
    return days_query(first - timedelta(days=1), last + timedelta(days=1), timezone)


def _rows(answer: Answer, selection: Selection) -> list[Interval]:
    found = [_row(answer, r, p.start, p.end, p.status, p.matched_region)
             for r in answer.restrictions for p in r.periods]  # fmt: skip
    for u in answer.unreported:
        matched, relation = _unreported_match(selection, u.order, answer.region.code)
        found.append(_unreported(answer, u, matched, relation))
    return found


def _unreported_match(selection: Selection, order: str, asked: str) -> tuple[str, str]:
    """The region an unreported order's scope names for `asked`, and how they relate: as
    its periods say (an amendment may have moved the scope), the order's own name first."""
    gazetteer = selection.rules.gazetteer
    found = [m for t in selection.timelines if t.order.id == order and t.unreported
             for p in t.periods if (m := scope_match(gazetteer, p, asked))]  # fmt: skip
    best = min(found, key=lambda m: (m[2] is not Relation.SAME, m[1]), default=None)
    return (best[1], best[2].value) if best else (asked, Relation.SAME.value)


def _revoked(selection: Selection, region: Region, answer: Answer) -> list[Interval]:
    """A row for each restriction of a revoked order whose scope, as issued, covered the
    region in the days asked: never in force, and said so, not left out."""
    gazetteer, span = selection.rules.gazetteer, answer.query
    found = []
    for t in selection.timelines:
        if t.revoked is None or t.unreported:
            continue
        order = t.order
        start, end = validity_span(order)
        issued = Period(start, end, tuple(order.regions), tuple(order.exclude_regions), start)
        match = scope_match(gazetteer, issued, region.code)
        if match is None or not (start < span.end and (end is None or span.start < end)):
            continue
        kind = selection.rules.kinds[t.restriction.kind]
        found.append(Interval(
            id=t.key, order=order.id, order_title=order.title, kind=t.restriction.kind,
            label=kind.label, text=t.restriction.text or kind.label, status="revoked",
            start=start, end=end, ended_by="revoked", end_event=None, end_assumption=None,
            timezone=order.timezone, as_written=order.validity.as_written, windows=(),
            within=(), threshold=None, exemptions=(), authority=order.authority,
            legal_basis=order.legal_basis, penalty=order.penalty, region=region.code,
            region_name=region.name, matched_region=match[1], relation=match[2].value,
            coverage=answer.coverage.status, verification=t.revoked.amendment.verification,
            review_by=None, stale=False, amendments=(t.revoked.summary,), disputes=(),
            sources=_sources(selection, [*order.sources, *t.revoked.amendment.sources]),
            note=order.note,
        ))  # fmt: skip
    return found


def _sources(selection: Selection, ids: list[str]) -> tuple[str, ...]:
    sources = selection.rules.sources
    return tuple(sources[i].url or i for i in dict.fromkeys(ids))


def _ended_by(restriction: RestrictionOut, end: datetime | None) -> str | None:
    """Why a period of `restriction` ends at `end`: the amendment that took effect then (a
    lift, a removal, a scope or text change), an event the order names, or its own end."""
    if end is None:
        return None
    for amendment in restriction.amendments:
        if amendment.effective == end and amendment.action in ENDINGS:
            return ENDINGS[amendment.action]
    return "event" if restriction.end_event and restriction.end == end else "expired"


def _row(
    answer: Answer,
    restriction: RestrictionOut,
    start: datetime,
    end: datetime | None,
    status: str,
    matched: str,
) -> Interval:
    r = restriction
    return Interval(
        id=r.id,
        order=r.order,
        order_title=r.order_title,
        kind=r.kind,
        label=r.label,
        text=r.text,
        status=status,
        start=start,
        end=end,
        ended_by=_ended_by(r, end),
        end_event=r.end_event,
        end_assumption=r.end_assumption,
        timezone=r.timezone,
        as_written=r.as_written,
        windows=tuple(r.windows),
        within=tuple(s.description for s in r.within),
        threshold=r.threshold.min_people if r.threshold else None,
        exemptions=tuple(e.text for e in r.exemptions if e.applies),
        authority=r.authority,
        legal_basis=r.legal_basis,
        penalty=r.penalty,
        region=answer.region.code,
        region_name=answer.region.name,
        matched_region=matched,
        relation=r.matched_region.relation,
        coverage=answer.coverage.status,
        verification=r.verification,
        review_by=r.review_by,
        stale=r.stale,
        amendments=tuple(a.summary for a in r.amendments),
        disputes=tuple(f"{d.about}: {d.claim}" for d in r.disputes),
        sources=tuple(s.url or s.id for s in r.sources),
        note=r.note,
    )


def _unreported(answer: Answer, order: UnreportedOut, matched: str, relation: str) -> Interval:
    u = order
    return Interval(
        id=f"{u.order}/{UNREPORTED}",
        order=u.order,
        order_title=u.order_title,
        kind=UNREPORTED,
        label="Contents not reported",
        text=u.explanation,
        status=u.status,
        start=u.start,
        end=u.end,
        ended_by=None if u.end is None else "expired",
        end_event=None,
        end_assumption=None,
        timezone=u.timezone,
        as_written=u.as_written,
        windows=(),
        within=(),
        threshold=None,
        exemptions=(),
        authority=u.authority,
        legal_basis=u.legal_basis,
        penalty=None,
        region=answer.region.code,
        region_name=answer.region.name,
        matched_region=matched,
        relation=relation,
        coverage=answer.coverage.status,
        verification=u.verification,
        review_by=None,
        stale=u.stale,
        amendments=(),
        disputes=(),
        sources=tuple(s.url or s.id for s in u.sources),
        note=u.note,
    )
