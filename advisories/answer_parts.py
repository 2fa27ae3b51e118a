"""What a restriction's answer says whatever the question, worked out once per rule set.

Most of a RestrictionOut (labels, sources, amendments, windows, exemptions, the end of the
explanation) depends only on the timeline; building it again for every question was 20 of the
28 ms of a 316-restriction country question at 50,000 restrictions (now 9 of 17).
`standing_parts` builds it the first time a timeline is answered and keeps it in the RuleSet.
Answers get their own copies of every list (evaluation.py), so no answer can change another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from advisories.answer import AmendmentOut, ExemptionOut, SourceRef, ThresholdOut
from advisories.localtime import format_instant, format_until
from advisories.models import Source, Verification
from advisories.ruleset import RuleSet
from advisories.timeline import RestrictionTimeline


@dataclass(frozen=True)
class StandingParts:
    kind: str
    label: str
    text: str
    advice: str
    guidance: str
    windows: list[str]
    threshold: ThresholdOut | None
    exemptions: list[ExemptionOut]
    sources: list[SourceRef]
    verification: Verification
    review_by: date | None
    amendments: list[AmendmentOut]
    note: str | None
    history: str  # the amendments' summaries, to end the explanation with
    tz: ZoneInfo
    # Starts and ends as written in the order's timezone: the same few come back often.
    _written: dict[tuple[bool, datetime], str] = field(default_factory=dict)

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
    return StandingParts(
        kind=kind.id,
        label=kind.label,
        text=restriction.text or kind.label,
        advice=kind.advice,
        guidance=restriction.guidance or kind.guidance,
        windows=[w.describe() for w in restriction.windows],
        threshold=None
        if threshold is None
        else ThresholdOut(min_people=threshold.smallest_banned, as_written=threshold.describe()),
        exemptions=[
            ExemptionOut(text=e.text, status=e.status, applies=e.status == "confirmed")
            for e in restriction.exemptions
        ],
        sources=[source_ref(rules.sources[s]) for s in cited],
        verification=added_by.verification if added_by else order.verification,
        review_by=max(reviews) if reviews else None,
        amendments=amendments,
        note=restriction.note or order.note,
        history="".join(f"; {h.summary}" for h in amendments),
        tz=order.tz,
    )
