"""What a restriction's answer says whatever the question, worked out once per timeline.

Most of a RestrictionOut (labels, sources, amendments, windows, exemptions, the end of the
explanation) depends only on the timeline; building it again for every question was most of
the time spent answering a country-wide question. An `Evaluator` builds these parts the first
time a timeline is answered and keeps them. Answers get their own copies of every list
(`StandingParts.restriction`), so no answer can change another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import Period, RestrictionTimeline
from advisories.evaluation.answer import (
    NO_TRANSLATIONS,
    AmendmentOut,
    CorrectionOut,
    DisputeOut,
    ExemptionOut,
    HoursOut,
    Match,
    PeriodOut,
    RelationName,
    RestrictionOut,
    SiteOut,
    SourceRef,
    Status,
    ThresholdOut,
    Translated,
)
from advisories.model.regions import Region
from advisories.model.restrictions import Dispute, Restriction, Window
from advisories.model.rules import Kind, Order, Source
from advisories.model.time import format_instant, format_until
from advisories.model.translations import TRANSLATED_LANGUAGES, Translations
from advisories.model.values import Verification


@dataclass(slots=True)
class StandingParts:
    """A timeline's answer parts that no question changes.

    Not frozen, though nothing reassigns its fields: one is made for every timeline a
    question first meets, and a frozen dataclass sets each field the slow way.
    """

    # Fields of RestrictionOut that hold no list: answers share them.
    id: str
    order: str
    order_title: str
    kind: str
    label: str
    text: str
    timezone: str
    as_written: str | None
    threshold: ThresholdOut | None
    advice: str
    guidance: str
    authority: str
    legal_basis: str | None
    penalty: str | None
    verification: Verification
    review_by: date | None
    note: str | None
    translations: Translated
    # Lists, copied into each answer.
    windows: list[str]
    hours: list[HoursOut]  # the same windows, as the rules give them
    # Where each window holds, when some hold in part of the scope only (else None): an
    # answer shows the windows of the place asked about, not every district's.
    window_regions: list[tuple[str, ...] | None] | None
    within: list[SiteOut]
    exemptions: list[ExemptionOut]
    sources: list[SourceRef]
    amendments: list[AmendmentOut]
    corrections: list[CorrectionOut]
    disputes: list[DisputeOut]
    history: str  # the amendments' summaries, to end the explanation with
    tz: ZoneInfo
    assumed_end: datetime | None  # an end the order ties to an event, as assumed
    until_event: str | None
    assumption: str | None
    # Starts and ends as written in the order's timezone: the same few come back often.
    _written: dict[tuple[bool, datetime], str] = field(default_factory=dict)
    # PeriodOut and Match hold no list either: one of each per period, status and region.
    _periods: dict[tuple[int, Status, str], tuple[Period, PeriodOut]] = field(default_factory=dict)
    _matches: dict[tuple[str, RelationName], Match] = field(default_factory=dict)

    def restriction(
        self,
        *,
        status: Status,
        start: datetime,
        end: datetime | None,
        periods: list[PeriodOut],
        matched_region: Match,
        stale: bool,
        explanation: str,
    ) -> RestrictionOut:
        """The answer for one question: these parts, with what the question decides."""
        assumed = end is not None and end == self.assumed_end
        return RestrictionOut(
            id=self.id,
            order=self.order,
            order_title=self.order_title,
            kind=self.kind,
            label=self.label,
            text=self.text,
            status=status,
            start=start,
            end=end,
            end_event=self.until_event if assumed else None,
            end_assumption=self.assumption if assumed else None,
            periods=periods,
            timezone=self.timezone,
            as_written=self.as_written,
            windows=list(self.windows),
            hours=list(self.hours),
            within=list(self.within) if self.within else [],
            threshold=self.threshold,
            exemptions=list(self.exemptions),
            advice=self.advice,
            guidance=self.guidance,
            authority=self.authority,
            legal_basis=self.legal_basis,
            penalty=self.penalty,
            matched_region=matched_region,
            sources=list(self.sources),
            verification=self.verification,
            review_by=self.review_by,
            stale=stale,
            amendments=[_amendment_copy(a) for a in self.amendments],
            corrections=[
                CorrectionOut(c.id, c.recorded, c.summary, list(c.sources), c.translations)
                for c in self.corrections
            ]
            if self.corrections
            else [],
            disputes=list(self.disputes) if self.disputes else [],
            note=self.note,
            explanation=explanation,
            translations=self.translations,
        )

    def period_out(self, period: Period, status: Status, matched: str) -> PeriodOut:
        key = (id(period), status, matched)
        found = self._periods.get(key)
        if found is None or found[0] is not period:  # kept with it, so its id is never reused
            out = PeriodOut(
                start=period.start, end=period.end, status=status, matched_region=matched
            )
            found = self._periods[key] = (period, out)
        return found[1]

    def match(self, matched: Region, relation: RelationName) -> Match:
        found = self._matches.get((matched.code, relation))
        if found is None:
            found = self._matches[matched.code, relation] = Match(
                code=matched.code, name=matched.name, relation=relation
            )
        return found

    def start(self, at: datetime) -> str:
        """'1 Feb 2026 00:00', as format_instant."""
        found = self._written.get((False, at))
        if found is None:
            found = self._written[False, at] = format_instant(at, self.tz)
        return found

    def until(self, end: datetime | None) -> str:
        """'end of 28 Feb 2026', as format_until; an end assumed for an event says so."""
        if end is None:
            return format_until(end, self.tz)
        found = self._written.get((True, end))
        if found is None:
            found = format_until(end, self.tz)
            if end == self.assumed_end:
                found += f" (assumed; the order says “{self.until_event}”)"
            self._written[True, end] = found
        return found


def _amendment_copy(amendment: AmendmentOut) -> AmendmentOut:
    """The amendment with a list of sources of its own (by hand: dataclasses.replace looks
    its fields up on every call, and a large answer copies many)."""
    return AmendmentOut(
        id=amendment.id,
        action=amendment.action,
        announced=amendment.announced,
        effective=amendment.effective,
        summary=amendment.summary,
        done=amendment.done,
        sources=list(amendment.sources),
        verification=amendment.verification,
        authority=amendment.authority,
        legal_basis=amendment.legal_basis,
        note=amendment.note,
        disputes=list(amendment.disputes) if amendment.disputes else [],
        translations=amendment.translations,
    )


def _dispute(rules: RuleSet, dispute: Dispute, order_wide: bool) -> DisputeOut:
    return DisputeOut(
        about=dispute.about,
        claim=dispute.claim,
        sources=[source_ref(rules.sources[s]) for s in dispute.sources],
        order_wide=order_wide,
    )


def source_ref(source: Source) -> SourceRef:
    return SourceRef(
        id=source.id,
        title=source.title,
        publisher=source.publisher,
        published=source.published,
        url=source.url,
        file=source.file,
    )


def standing_parts(rules: RuleSet, timeline: RestrictionTimeline, version: int) -> StandingParts:
    """The parts of `timeline`'s answers that no question changes, for the restriction as it
    reads in one of its versions (0: as first written)."""
    order, restriction = timeline.order, timeline.version(version)
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
            done=h.done,
            sources=[source_ref(rules.sources[s]) for s in h.amendment.sources],
            verification=h.amendment.verification,
            authority=h.amendment.authority,
            legal_basis=h.amendment.legal_basis,
            note=h.amendment.note,
            disputes=[_dispute(rules, d, False) for d in h.amendment.disputes],
            translations=h.amendment.translations or NO_TRANSLATIONS,
        )
        for h in timeline.history
    ]
    reviews = [
        d for d in (order.review_by, *(h.amendment.review_by for h in timeline.history)) if d
    ]
    threshold = restriction.threshold
    return StandingParts(
        id=timeline.key,
        order=order.id,
        order_title=order.title,
        kind=kind.id,
        label=kind.label,
        text=restriction.text or kind.label,
        timezone=order.timezone,
        as_written=order.validity.as_written,
        threshold=None
        if threshold is None
        else ThresholdOut(min_people=threshold.smallest_banned, as_written=threshold.describe()),
        advice=kind.advice,
        guidance=restriction.guidance or kind.guidance,
        authority=order.authority,
        legal_basis=order.legal_basis,
        penalty=order.penalty,
        verification=added_by.verification if added_by else order.verification,
        review_by=max(reviews) if reviews else None,
        note=restriction.note or order.note,
        translations=restriction_translations(order, restriction, kind),
        windows=[w.describe(lambda code: rules.gazetteer[code].name) for w in restriction.windows],
        hours=[_hours(w, rules) for w in restriction.windows],
        window_regions=[tuple(w.regions) if w.regions else None for w in restriction.windows]
        if any(w.regions for w in restriction.windows)
        else None,
        within=[
            SiteOut(type=w.type, name=w.name, description=w.describe(), order_wide=wide)
            for wide, given in ((True, order.within), (False, restriction.within))
            for w in given
        ],
        exemptions=[
            ExemptionOut(
                text=e.text,
                status=e.status,
                applies=e.status == "confirmed",
                order_wide=wide,
                translations=e.translations or NO_TRANSLATIONS,
            )
            for wide, given in ((True, order.exemptions), (False, restriction.exemptions))
            for e in given
        ],
        sources=[source_ref(rules.sources[s]) for s in cited],
        amendments=amendments,
        corrections=[
            CorrectionOut(
                id=c.id,
                recorded=c.recorded,
                summary=c.summary,
                sources=[source_ref(rules.sources[s]) for s in c.sources],
                translations=c.translations or NO_TRANSLATIONS,
            )
            for c in timeline.corrections
        ],
        disputes=[
            _dispute(rules, d, wide)
            for wide, given in ((True, order.disputes), (False, restriction.disputes))
            for d in given
        ],
        history="".join(f"; {h.summary}" for h in amendments),
        tz=order.tz,
        assumed_end=timeline.assumed_end,
        until_event=order.validity.until_event,
        assumption=order.validity.assumption,
    )


def restriction_translations(order: Order, restriction: Restriction, kind: Kind) -> Translated:
    """What a restriction's answer shows, in each language the rules translate it to, by the
    answer's field names: the text's translation where the restriction gives the text, the
    kind label's where it shows the label instead (and so for guidance and note)."""
    ours, theirs, kinds = order.translations, restriction.translations, kind.translations
    if ours is None and theirs is None and kinds is None:
        return NO_TRANSLATIONS
    found: dict[str, dict[str, str]] = {}
    for language in TRANSLATED_LANGUAGES:
        in_order, own, of_kind = _in(ours, language), _in(theirs, language), _in(kinds, language)
        shown = {
            "order_title": in_order.get("title"),
            "label": of_kind.get("label"),
            "text": own.get("text") if restriction.text else of_kind.get("label"),
            "advice": of_kind.get("advice"),
            "guidance": own.get("guidance") if restriction.guidance else of_kind.get("guidance"),
            "note": own.get("note") if restriction.note else in_order.get("note"),
            "penalty": in_order.get("penalty"),
        }
        given = {name: text for name, text in shown.items() if text is not None}
        if given:
            found[language] = given
    return found or NO_TRANSLATIONS


def order_translations(order: Order) -> Translated:
    """An order's title and note in each language the rules translate them to, as named in
    the answer about an order whose contents were not reported (`order_title`, `note`)."""
    if order.translations is None:
        return NO_TRANSLATIONS
    found = {
        language: {
            name: text
            for name, text in (("order_title", given.get("title")), ("note", given.get("note")))
            if text is not None
        }
        for language, given in order.translations.items()
    }
    return {language: given for language, given in found.items() if given} or NO_TRANSLATIONS


def label_translations(restriction: Restriction, kind: Kind) -> Translated:
    """A restriction's label in changes (its text, else its kind's label), by language."""
    source, name = (restriction, "text") if restriction.text else (kind, "label")
    if source.translations is None:
        return NO_TRANSLATIONS
    found = {
        language: {"label": given[name]}
        for language, given in source.translations.items()
        if name in given
    }
    return found or NO_TRANSLATIONS


def _in(translations: Translations | None, language: str) -> dict[str, str]:
    return translations.get(language, _NOTHING) if translations is not None else _NOTHING


_NOTHING: dict[str, str] = {}


def _hours(window: Window, rules: RuleSet) -> HoursOut:
    return HoursOut(
        days=None if window.days is None else tuple(window.days),
        dates=None if window.dates is None else tuple(sorted(window.dates)),
        opens=None if window.from_ is None else window.opens,
        closes=None if window.from_ is None else window.closes,
        places=None
        if window.regions is None
        else tuple(rules.gazetteer[code].name for code in window.regions),
    )
