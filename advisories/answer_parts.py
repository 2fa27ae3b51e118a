"""What a restriction's answer says whatever the question, worked out once per rule set.

Most of a RestrictionOut (labels, sources, amendments, windows, exemptions, the end of the
explanation) depends only on the timeline; building it again for every question was most of
the time spent answering a country-wide question at 50,000 restrictions.
`standing_parts` builds it the first time a timeline is answered and keeps it in the RuleSet.
Answers get their own copies of every list (evaluation.py), so no answer can change another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from advisories.answer import (
    AmendmentOut,
    ExemptionOut,
    Match,
    PeriodOut,
    SourceRef,
    ThresholdOut,
    made_of,
)
from advisories.localtime import format_instant, format_until
from advisories.models import Source
from advisories.regions import Region
from advisories.ruleset import RuleSet
from advisories.timeline import Period, RestrictionTimeline

Status = Literal["in_force", "partial"]
Related = Literal["same", "contains", "inside"]


@dataclass(frozen=True)
class StandingParts:
    # RestrictionOut's fields that no question changes and that hold no list (answers share
    # them); the lists below are copied into each answer.
    fixed: dict[str, Any]
    windows: list[str]
    exemptions: list[ExemptionOut]
    sources: list[SourceRef]
    amendments: list[AmendmentOut]
    review_by: date | None
    history: str  # the amendments' summaries, to end the explanation with
    tz: ZoneInfo
    # Starts and ends as written in the order's timezone: the same few come back often.
    _written: dict[tuple[bool, datetime], str] = field(default_factory=dict)
    # PeriodOut and Match hold no list either: one of each per period, status and region.
    _periods: dict[tuple[int, str, str], tuple[Period, PeriodOut]] = field(default_factory=dict)
    _matches: dict[tuple[str, str], Match] = field(default_factory=dict)

    def period_out(self, period: Period, status: str, matched: str) -> PeriodOut:
        key = (id(period), status, matched)
        found = self._periods.get(key)
        if found is None or found[0] is not period:  # kept with it, so its id is never reused
            found = self._periods[key] = (
                period,
                PeriodOut(
                    start=period.start,
                    end=period.end,
                    status=cast(Status, status),
                    matched_region=matched,
                ),
            )
        return found[1]

    def match(self, matched: Region, relation: str) -> Match:
        found = self._matches.get((matched.code, relation))
        if found is None:
            found = self._matches[matched.code, relation] = Match(
                code=matched.code, name=matched.name, relation=cast(Related, relation)
            )
        return found

    def amendments_copy(self) -> list[AmendmentOut]:
        """The amendments, each with a list of sources of its own."""
        return [
            made_of(AmendmentOut, {**a.__dict__, "sources": list(a.sources)})
            for a in self.amendments
        ]

    def start(self, at: datetime) -> str:
        """'1 Feb 2026 00:00', as format_instant."""
        found = self._written.get((False, at))
        if found is None:
            found = self._written[False, at] = format_instant(at, self.tz)
        return found

    def until(self, end: datetime | None) -> str:
        """'end of 28 Feb 2026', as format_until."""
        if end is None:
            return format_until(end, self.tz)
        found = self._written.get((True, end))
        if found is None:
            found = self._written[True, end] = format_until(end, self.tz)
        return found


def standing_parts(rules: RuleSet, position: int, timeline: RestrictionTimeline) -> StandingParts:
    """The parts of timeline `position`'s answers that no question changes."""
    found: StandingParts | None = rules.answer_parts.get(position)
    if found is None:
        found = rules.answer_parts[position] = _build(rules, timeline)
    return found


def source_ref(source: Source) -> SourceRef:
    return SourceRef(
        id=source.id,
        title=source.title,
        publisher=source.publisher,
        published=source.published,
        url=source.url,
        file=source.file,
    )


def _build(rules: RuleSet, timeline: RestrictionTimeline) -> StandingParts:
    order, restriction = timeline.order, timeline.restriction
    kind = rules.kinds[restriction.kind]
    added_by = timeline.added_by
    cited = restriction.sources or (added_by.sources if added_by else order.sources)
    amendments = [
        AmendmentOut(
            id=h.amendment.id,
            action=h.amendment.action,
            announced=h.amendment.announced,
            effective=h.effective,
            summary=h.summary,
            sources=[source_ref(rules.sources[s]) for s in h.amendment.sources],
            verification=h.amendment.verification,
        )
        for h in timeline.history
    ]
    reviews = [
        d for d in (order.review_by, *(h.amendment.review_by for h in timeline.history)) if d
    ]
    threshold = restriction.threshold
    review_by = max(reviews) if reviews else None
    return StandingParts(
        fixed={
            "id": timeline.key,
            "order": order.id,
            "order_title": order.title,
            "kind": kind.id,
            "label": kind.label,
            "text": restriction.text or kind.label,
            "timezone": order.timezone,
            "as_written": order.validity.as_written,
            "threshold": None
            if threshold is None
            else ThresholdOut(
                min_people=threshold.smallest_banned, as_written=threshold.describe()
            ),
            "advice": kind.advice,
            "guidance": restriction.guidance or kind.guidance,
            "authority": order.authority,
            "legal_basis": order.legal_basis,
            "verification": added_by.verification if added_by else order.verification,
            "review_by": review_by,
            "note": restriction.note or order.note,
        },
        windows=[w.describe() for w in restriction.windows],
        exemptions=[
            ExemptionOut(text=e.text, status=e.status, applies=e.status == "confirmed")
            for e in restriction.exemptions
        ],
        sources=[source_ref(rules.sources[s]) for s in cited],
        amendments=amendments,
        review_by=review_by,
        history="".join(f"; {h.summary}" for h in amendments),
        tz=order.tz,
    )
