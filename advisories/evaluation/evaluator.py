"""Pure evaluation: (rules, region, instant or range, as-of day) -> Answer that explains itself.

No I/O and no clock: the caller says what "now" is through `as_of`, which decides what was
known (what was announced later is left out) and what is past its review date (stale).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

from advisories.compile.known import as_known_on
from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline
from advisories.evaluation.answer import (
    Answer,
    Change,
    ContextOut,
    QuerySpan,
    RegionRef,
    RestrictionOut,
    Translated,
    UnreportedOut,
)
from advisories.evaluation.coverage import coverage_of
from advisories.evaluation.matching import (
    IN_FORCE,
    Hit,
    contiguous,
    ends_within,
    hits_of,
    revoked_here,
    starts_within,
)
from advisories.evaluation.parts import (
    StandingParts,
    label_translations,
    order_translations,
    source_ref,
    standing_parts,
)
from advisories.evaluation.query import When, span, timezone_of
from advisories.model.regions import Gazetteer, Region
from advisories.model.rules import ContextItem
from advisories.model.time import format_instant, format_until


class Evaluator:
    """Answers questions about one RuleSet, keeping what no question changes.

    The parts of a restriction's answer that depend only on its timeline are worked out the
    first time a question needs them and kept here, never in the RuleSet, which stays as it
    was loaded. Hold one Evaluator for many questions; `evaluate`, `ask` and `evaluate_trip`
    also take a RuleSet, and then start afresh.
    """

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._parts: dict[int, StandingParts] = {}
        self._modified_parts: dict[tuple[int, int], StandingParts] = {}
        self._past: dict[date, Evaluator] = {}  # for answers as of days before the last
        self._past_lock = threading.Lock()

    def ask(
        self, place: str | Region, when: When, as_of: date, timezone: str | None = None
    ) -> Answer:
        """What is in force in `place` (a name, code or Region) at or during `when`.

        Asked in `timezone`, else the place's own; a QueryError when it has none.
        """
        gazetteer = self.rules.gazetteer
        region = gazetteer.resolve(place) if isinstance(place, str) else place
        return self.evaluate(region, span(when, timezone_of(gazetteer, region, timezone)), as_of)

    def ready_for(self, as_of: date) -> bool:
        """Whether answers as of `as_of` come without compiling the rules as they stood then
        first (a day before the last record, not asked lately, costs a compile)."""
        return as_of >= self.rules.last_known or as_of in self._past

    def prepare_for(self, as_of: date) -> None:
        """Compile the rules as they stood on `as_of` now, when answers as of it need them
        (a caller with an event loop does it in a thread, then answers on the loop)."""
        if not self.ready_for(as_of):
            self._as_known_on(as_of)

    def known_on(self, day: date) -> Evaluator:
        """The Evaluator of the rules as known on `day`: this one, unless something was
        announced or recorded after it (then compiled once, and kept with the last few)."""
        return self if day >= self.rules.last_known else self._as_known_on(day)

    def evaluate(self, region: Region, query: QuerySpan, as_of: date) -> Answer:
        """What is in force for `region` during `query`, with what changes and the context,
        as known on `as_of`: what was announced or recorded after it is left out."""
        if as_of < self.rules.last_known:
            return self._as_known_on(as_of).evaluate(region, query, as_of)
        rules = self.rules
        gazetteer = rules.gazetteer
        found: list[tuple[int, RestrictionTimeline, list[Hit]]] = []
        changes: list[Change] = []
        for position, timeline in self._timelines(region, query):
            hits = hits_of(timeline, gazetteer, region, query)
            if hits:
                found.append((position, timeline, hits))
                if query.kind != "instant":
                    changes += _changes(rules, timeline, hits, query)
            elif query.kind != "instant" and revoked_here(timeline, gazetteer, region, query):
                changes.append(_revocation(rules, timeline))
        coverage = coverage_of(rules, region, *query.local_days(), as_of)
        # An order past its review is stale unless the place's orders were all looked for since
        # (partly monitored: some of them, perhaps not this order's).
        checked = coverage.checked_as_of if coverage.status == "monitored" else None
        restrictions = [
            self._restriction(position, timeline, hits, region, as_of, checked)
            for position, timeline, hits in found
            if not timeline.unreported
        ]
        restrictions.sort(key=lambda r: (r.status != IN_FORCE, r.start, r.label, r.id))
        unreported = [
            self._unreported(self._restriction(position, timeline, hits, region, as_of, checked))
            for position, timeline, hits in found
            if timeline.unreported
        ]
        unreported.sort(key=lambda u: (u.status != IN_FORCE, u.start, u.order))
        changes.sort(key=lambda c: (c.at, c.restriction, c.event))
        return Answer(
            region=_region_ref(gazetteer, region),
            query=query,
            rules_version=rules.version,
            as_of=as_of,
            coverage=coverage,
            restrictions=restrictions,
            unreported=unreported,
            changes=changes,
            context=self._context(region, query),
        )

    def _as_known_on(self, day: date) -> Evaluator:
        with self._past_lock:  # threads asking for the same day compile it once
            found = self._past.pop(day, None)
            if found is None:
                found = Evaluator(as_known_on(self.rules, day))
            self._past[day] = found  # the most recently asked last
            while len(self._past) > _PAST_DAYS_KEPT:  # each is a compiled copy of the rules
                del self._past[next(iter(self._past))]
            return found

    def _timelines(
        self, region: Region, query: QuerySpan
    ) -> Iterable[tuple[int, RestrictionTimeline]]:
        """The timelines that may bear on the question, with their positions: the index's."""
        timelines = self.rules.timelines
        positions = self.rules.index.candidates(region.code, query.start, query.end)
        return ((i, timelines[i]) for i in positions)

    def _context_items(self, region: Region) -> Iterable[ContextItem]:
        """The context items that may bear on the region: the index's."""
        context = self.rules.context
        return (context[i] for i in self.rules.context_index.candidates(region.code))

    def work_out_all(self) -> None:
        """Work out now what answers take from each restriction alone, rather than when a
        question first needs it: for a service answering for long, so that no early answer
        waits for it and what it makes is in memory before the service freezes it."""
        for position, timeline in enumerate(self.rules.timelines):
            for version in range(len(timeline.versions) + 1):
                self._parts_of(position, timeline, version)

    def _parts_of(
        self, position: int, timeline: RestrictionTimeline, version: int
    ) -> StandingParts:
        if version:  # as modified: kept apart, so the common case stays a lookup by int
            modified = self._modified_parts.get((position, version))
            if modified is None:
                modified = standing_parts(self.rules, timeline, version)
                self._modified_parts[position, version] = modified
            return modified
        found = self._parts.get(position)
        if found is None:
            found = self._parts[position] = standing_parts(self.rules, timeline, 0)
        return found

    def _restriction(
        self,
        position: int,
        timeline: RestrictionTimeline,
        hits: list[Hit],
        region: Region,
        as_of: date,
        checked: date | None,
    ) -> RestrictionOut:
        """The answer for one timeline; `checked` is the last day the asked place's orders were
        looked for (None: not monitored), which keeps a reviewed order from reading stale."""
        current = [h for h in hits if h.overlaps_query]
        lead = next((h for h in current if h.status == IN_FORCE), current[0])
        # the restriction as it reads in the period that leads the answer
        parts = self._parts_of(position, timeline, lead.period.version)
        start, end = contiguous(current[0], hits)
        matched = self.rules.gazetteer[lead.matched]
        order = timeline.order
        unknown = f", {_UNREPORTED_WORDS[order.contents]}," if timeline.unreported else ""
        explanation = (
            f"Order {order.id} ({order.authority}){unknown} covers {matched.name}"
            f"{lead.relation.phrase(region.name)}; in force from {parts.start(start)} "
            f"until {parts.until(end)}{parts.history}"
        )
        answer = parts.restriction(
            status=lead.status,
            start=start,
            end=end,
            periods=[parts.period_out(h.period, h.status, h.matched) for h in hits],
            matched_region=parts.match(matched, lead.relation.value),
            stale=parts.review_by is not None
            and parts.review_by < as_of
            and (checked is None or checked < parts.review_by),
            explanation=explanation,
        )
        if parts.window_regions is not None:  # some hours hold in other places only
            relation = self.rules.gazetteer.relation
            held = [
                regions is None or any(relation(code, region.code) for code in regions)
                for regions in parts.window_regions
            ]
            answer.windows = [w for w, here in zip(parts.windows, held, strict=True) if here]
            answer.hours = [h for h, here in zip(parts.hours, held, strict=True) if here]
        return answer

    def _unreported(self, placeholder: RestrictionOut) -> UnreportedOut:
        """The order behind `placeholder`, the stand-in for its unreported contents."""
        order = self.rules.orders[placeholder.order]
        assert order.contents != "reported"
        return UnreportedOut(
            order=placeholder.order,
            order_title=placeholder.order_title,
            contents=order.contents,
            status=placeholder.status,
            start=placeholder.start,
            end=placeholder.end,
            timezone=placeholder.timezone,
            authority=placeholder.authority,
            legal_basis=placeholder.legal_basis,
            as_written=placeholder.as_written,
            sources=placeholder.sources,
            verification=placeholder.verification,
            stale=placeholder.stale,
            note=order.note,
            explanation=placeholder.explanation,
            translations=order_translations(order),
        )

    def _context(self, region: Region, query: QuerySpan) -> list[ContextOut]:
        rules = self.rules
        first, last = query.local_days()
        items = [
            item
            for item in self._context_items(region)
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


# Past days whose rules an Evaluator keeps compiled: a few (a briefing and its trip), not one
# per day a long-running service is ever asked about.
_PAST_DAYS_KEPT = 4

_UNREPORTED_WORDS = {
    "not_reported": "whose contents were not reported",
    "partly_reported": "not all of whose contents were reported",
}


def evaluator_of(rules: RuleSet | Evaluator) -> Evaluator:
    """`rules` if it is an Evaluator already, else a new one over them."""
    return rules if isinstance(rules, Evaluator) else Evaluator(rules)


def evaluate(rules: RuleSet | Evaluator, region: Region, query: QuerySpan, as_of: date) -> Answer:
    """What is in force for `region` during `query`; `as_of` decides what is past review."""
    return evaluator_of(rules).evaluate(region, query, as_of)


def ask(
    rules: RuleSet | Evaluator,
    place: str | Region,
    when: When,
    as_of: date,
    timezone: str | None = None,
) -> Answer:
    """What is in force in `place` (a name, code or Region) at or during `when`."""
    return evaluator_of(rules).ask(place, when, as_of, timezone)


def _label(rules: RuleSet, timeline: RestrictionTimeline) -> str:
    return timeline.restriction.text or rules.kinds[timeline.restriction.kind].label


def _label_translations(rules: RuleSet, timeline: RestrictionTimeline) -> Translated:
    restriction = timeline.restriction
    return label_translations(restriction, rules.kinds[restriction.kind])


def _revocation(rules: RuleSet, timeline: RestrictionTimeline) -> Change:
    revoked = timeline.revoked
    assert revoked is not None
    return Change(
        at=revoked.effective,
        event="amended",
        restriction=timeline.key,
        label=_label(rules, timeline),
        summary=revoked.summary,
        done=revoked.done,
        translations=_label_translations(rules, timeline),
    )


def _changes(
    rules: RuleSet, timeline: RestrictionTimeline, hits: list[Hit], query: QuerySpan
) -> list[Change]:
    tz = timeline.order.tz
    label, translated = _label(rules, timeline), _label_translations(rules, timeline)
    starts = {h.period.start for h in hits}
    ends = {h.period.end for h in hits if h.period.end is not None}
    changes = [
        Change(at=s, event="starts", restriction=timeline.key, label=label,
               summary=f"starts {format_instant(s, tz)}", translations=translated)
        for s in sorted(starts - ends) if starts_within(s, query)
    ]  # fmt: skip
    changes += [
        Change(at=e, event="ends", restriction=timeline.key, label=label,
               summary=f"ends at {format_instant(e, tz)} (in force until {format_until(e, tz)})",
               translations=translated)
        for e in sorted(ends - starts) if ends_within(e, query)
    ]  # fmt: skip
    changes += [
        Change(at=h.effective, event="amended", restriction=timeline.key, label=label,
               summary=h.summary, translations=translated, done=h.done)
        for h in timeline.history if starts_within(h.effective, query)
    ]  # fmt: skip
    return changes


def _relevant(item: ContextItem, first: date, last: date) -> bool:
    return (item.relevant_from or item.date) <= last and item.relevant_until >= first


def _region_ref(gazetteer: Gazetteer, region: Region) -> RegionRef:
    path = [r.name for r in gazetteer.path(region.code)]
    return RegionRef(code=region.code, name=region.name, type=region.type, path=path)
