"""What differs between two RuleSets, as someone who briefs travellers reads a change of the
rules: orders added or removed; an order's dates, regions, sites and exemptions, its
verification, contents, penalty and legal basis; its restrictions added or removed, and their
kind, text, threshold, hours, sites and exemptions; its amendments and corrections; the sources
added or removed.

Compared by meaning where the rules give one: entries by their ids, lists whose order means
nothing as sets, dates as the instants they give, a threshold as the fewest people it bans.
Words that state a ban or its cost (a restriction's text, an exemption, a site, a penalty, a
legal basis) are compared word for word, only line breaks and spacing aside: no program can tell
a reworded ban from a changed one, and missing a changed ban costs more than reading a
rewording. Titles, notes, guidance, citations, other accounts and review dates are not
changes, nor is the rules version. Pure: two RuleSets (and a region) in, a RulesDiff out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import date, datetime

from advisories.compile.known import as_known_on
from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import (
    RestrictionTimeline,
    amendments_by_order,
    effective_instant,
    validity_span,
)
from advisories.evaluation.differences import (
    AmendmentAdded,
    AmendmentChanged,
    AmendmentRemoved,
    CorrectionAdded,
    CorrectionRemoved,
    DatesChanged,
    Effect,
    ExemptionsChanged,
    HoursChanged,
    KindChanged,
    OrderDiff,
    RecordChanged,
    RegionsChanged,
    RestrictionAdded,
    RestrictionRemoved,
    RuleDifference,
    RulesDiff,
    SitesChanged,
    TextChanged,
    ThresholdChanged,
)
from advisories.model.restrictions import (
    Exemption,
    Restriction,
    RestrictionChange,
    Site,
    Threshold,
    Window,
)
from advisories.model.rules import Amendment, Correction, Order

# Amendments that change the whole order; the others change one restriction of it.
ORDER_WIDE = frozenset(("extend", "lift", "revoke", "change_scope"))


def diff_rules(
    old: RuleSet, new: RuleSet, region: str | None = None, as_of: date | None = None
) -> RulesDiff:
    """What changed from `old` to `new`; with `region`, only the orders that bear on it in
    either (the gazetteer's relation, as a Selection finds them) and the sources they cite.

    With `as_of`, both as they stood at the end of that day (compile/known.py): what was
    announced or recorded later is in neither, as it is in no answer given as of that day.
    """
    if as_of is not None:
        old, new = as_known_on(old, as_of), as_known_on(new, as_of)
    before, after = _Side(old), _Side(new)
    ids = sorted(old.orders.keys() | new.orders.keys())
    if region is not None:
        ids = [i for i in ids if before.bears_on(i, region) or after.bears_on(i, region)]
    found = [d for d in (_order_diff(i, before, after) for i in ids) if d is not None]
    found.sort(key=lambda d: d.order.announced, reverse=True)  # stable: ids stay in order
    added = sorted(new.sources.keys() - old.sources.keys())
    removed = sorted(old.sources.keys() - new.sources.keys())
    if region is not None:
        cited_now, cited_then = after.cited(ids), before.cited(ids)
        added = [s for s in added if s in cited_now]
        removed = [s for s in removed if s in cited_then]
    return RulesDiff(
        old_version=old.version,
        new_version=new.version,
        region=region,
        as_of=as_of,
        orders=tuple(found),
        sources_added=tuple(new.sources[s] for s in added),
        sources_removed=tuple(old.sources[s] for s in removed),
        names=_names(found, region, before, after),
        labels={**_labels(old), **_labels(new)},
    )


class _Side:
    """One RuleSet's orders with their timelines, amendments and corrections, by order id."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.timelines: dict[str, list[RestrictionTimeline]] = {}
        for timeline in rules.timelines:
            self.timelines.setdefault(timeline.order.id, []).append(timeline)
        self.amendments = amendments_by_order(rules.amendments)
        self.corrections: dict[str, list[Correction]] = {}
        for correction in rules.corrections:
            self.corrections.setdefault(correction.order, []).append(correction)

    def bears_on(self, order_id: str, region: str) -> bool:
        order = self.rules.orders.get(order_id)
        if order is None:
            return False
        relation = self.rules.gazetteer.relation
        periods = [p for t in self.timelines.get(order_id, []) for p in t.periods]
        named = [*order.regions, *(r for p in periods for r in p.regions)]
        return any(relation(r, region) is not None for r in named)

    def restrictions(self, order_id: str) -> dict[str, RestrictionTimeline]:
        """The order's restrictions as first written (in the order or an amendment that adds
        them), by id; not the stand-in for contents that were not reported."""
        return {t.restriction.id: t for t in self.timelines.get(order_id, []) if not t.unreported}

    def effects(self, order_id: str) -> dict[str, tuple[Effect, ...]]:
        """What each of the order's amendments did, by amendment id, in time order."""
        found: dict[str, list[Effect]] = {}
        for timeline in self.timelines.get(order_id, []):
            for applied in timeline.history:
                wide = applied.amendment.action in ORDER_WIDE
                effect = Effect(
                    None if wide else timeline.restriction, applied.effective, applied.summary
                )
                effects = found.setdefault(applied.amendment.id, [])
                if effect not in effects:
                    effects.append(effect)
        return {i: tuple(sorted(e, key=lambda e: e.effective)) for i, e in found.items()}

    def cited(self, order_ids: Iterable[str]) -> set[str]:
        """The ids of the sources that these orders, their restrictions, amendments and
        corrections cite."""
        cited: set[str] = set()
        for order_id in order_ids:
            order = self.rules.orders.get(order_id)
            if order is None:
                continue
            cited.update(order.sources, *(e.sources for e in order.exemptions))
            cited.update(*(d.sources for d in order.disputes))
            for timeline in self.timelines.get(order_id, []):
                for version in (timeline.restriction, *(v.restriction for v in timeline.versions)):
                    cited |= _restriction_sources(version)
            for amendment in self.amendments.get(order_id, []):
                cited.update(amendment.sources, *(d.sources for d in amendment.disputes))
                for restriction in amendment.restrictions:
                    cited |= _restriction_sources(restriction)
            cited.update(*(c.sources for c in self.corrections.get(order_id, [])))
        return cited


def _restriction_sources(restriction: Restriction) -> set[str]:
    return {
        *restriction.sources,
        *(s for e in restriction.exemptions for s in e.sources),
        *(s for d in restriction.disputes for s in d.sources),
    }


def _order_diff(order_id: str, before: _Side, after: _Side) -> OrderDiff | None:
    old, new = before.rules.orders.get(order_id), after.rules.orders.get(order_id)
    if old is None or new is None:
        side, order = (after, new) if old is None else (before, old)
        assert order is not None  # the id came from one of the two
        effects = side.effects(order_id)
        amendments = _by_effect(side.amendments.get(order_id, []), order)
        corrections = sorted(side.corrections.get(order_id, []), key=lambda c: (c.recorded, c.id))
        listed: list[RuleDifference]
        if old is None:
            listed = [AmendmentAdded(a, effects.get(a.id, ())) for a in amendments]
            listed += [CorrectionAdded(c) for c in corrections]
        else:
            listed = [AmendmentRemoved(a, effects.get(a.id, ())) for a in amendments]
            listed += [CorrectionRemoved(c) for c in corrections]
        start, end = validity_span(order)
        return OrderDiff("added" if old is None else "removed", order, start, end, tuple(listed))
    changes = [
        *_validity_changes(old, new),
        *_record_changes(old, new),
        *_restriction_changes(order_id, before, after),
        *_amendment_changes(order_id, before, after),
        *_correction_changes(order_id, before, after),
    ]
    if not changes:
        return None
    start, end = validity_span(new)
    return OrderDiff("changed", new, start, end, tuple(changes))


def _validity_changes(old: Order, new: Order) -> list[RuleDifference]:
    """The order's own dates, regions, sites and exemptions."""
    changes: list[RuleDifference] = []
    (old_start, old_end), (new_start, new_end) = validity_span(old), validity_span(new)
    if old_start != new_start:
        changes.append(DatesChanged("start", old_start, new_start))
    if old_end != new_end:
        changes.append(DatesChanged("end", old_end, new_end))
    if set(old.regions) != set(new.regions):
        changes.append(RegionsChanged("regions", tuple(old.regions), tuple(new.regions)))
    if set(old.exclude_regions) != set(new.exclude_regions):
        excluded = tuple(old.exclude_regions), tuple(new.exclude_regions)
        changes.append(RegionsChanged("excluded_regions", *excluded))
    if _sites_key(old.within) != _sites_key(new.within):
        changes.append(SitesChanged(None, tuple(old.within), tuple(new.within)))
    if _exemptions_key(old.exemptions) != _exemptions_key(new.exemptions):
        changes.append(ExemptionsChanged(None, tuple(old.exemptions), tuple(new.exemptions)))
    return changes


def _record_changes(old: Order, new: Order) -> list[RuleDifference]:
    """What the record says of the order: verification, contents, penalty, legal basis."""
    changes: list[RuleDifference] = []
    if old.verification != new.verification:
        changes.append(RecordChanged("verification", old.verification, new.verification))
    if old.contents != new.contents:
        changes.append(RecordChanged("contents", old.contents, new.contents))
    if _words(old.penalty) != _words(new.penalty):
        changes.append(RecordChanged("penalty", old.penalty, new.penalty))
    if _words(old.legal_basis) != _words(new.legal_basis):
        changes.append(RecordChanged("legal_basis", old.legal_basis, new.legal_basis))
    return changes


def _restriction_changes(order_id: str, before: _Side, after: _Side) -> list[RuleDifference]:
    """Restrictions added, removed or changed as first written. One added (removed) with an
    amendment that is itself added (removed) is said by that amendment alone."""
    old, new = before.restrictions(order_id), after.restrictions(order_id)
    old_amendments = {a.id for a in before.amendments.get(order_id, [])}
    new_amendments = {a.id for a in after.amendments.get(order_id, [])}
    changes: list[RuleDifference] = []
    for restriction_id, timeline in new.items():
        if restriction_id in old:
            changes += _changed(old[restriction_id].restriction, timeline.restriction)
        elif timeline.added_by is None or timeline.added_by.id in old_amendments:
            changes.append(RestrictionAdded(timeline.restriction))
    for restriction_id, timeline in old.items():
        gone = restriction_id not in new
        if gone and (timeline.added_by is None or timeline.added_by.id in new_amendments):
            changes.append(RestrictionRemoved(timeline.restriction))
    return changes


def _changed(old: Restriction, new: Restriction) -> list[RuleDifference]:
    changes: list[RuleDifference] = []
    if old.kind != new.kind:
        changes.append(KindChanged(new, old.kind, new.kind))
    if _words(old.text) != _words(new.text):
        changes.append(TextChanged(new, old.text, new.text))
    if _threshold_key(old.threshold) != _threshold_key(new.threshold):
        changes.append(ThresholdChanged(new, old.threshold, new.threshold))
    if _windows_key(old.windows) != _windows_key(new.windows):
        changes.append(HoursChanged(new, tuple(old.windows), tuple(new.windows)))
    if _sites_key(old.within) != _sites_key(new.within):
        changes.append(SitesChanged(new, tuple(old.within), tuple(new.within)))
    if _exemptions_key(old.exemptions) != _exemptions_key(new.exemptions):
        changes.append(ExemptionsChanged(new, tuple(old.exemptions), tuple(new.exemptions)))
    return changes


def _amendment_changes(order_id: str, before: _Side, after: _Side) -> list[RuleDifference]:
    """Amendments added, removed, or changed in what they do. A changed one must differ both
    as written (its action, days, end, restrictions, changes, regions) and in effect: an end
    rewritten to the same day is no change, nor is one whose summary moved only because an
    earlier change (reported itself) altered what it changes from."""
    old_order, new_order = before.rules.orders[order_id], after.rules.orders[order_id]
    old = {a.id: a for a in before.amendments.get(order_id, [])}
    new = {a.id: a for a in after.amendments.get(order_id, [])}
    old_effects, new_effects = before.effects(order_id), after.effects(order_id)
    changes: list[RuleDifference] = []
    for amendment in _by_effect(new.values(), new_order):
        was = old.get(amendment.id)
        effects = new_effects.get(amendment.id, ())
        if was is None:
            changes.append(AmendmentAdded(amendment, effects))
            continue
        written = _amendment_key(was, old_order) != _amendment_key(amendment, new_order)
        had = old_effects.get(amendment.id, ())
        if written and (_effects_key(had) != _effects_key(effects) or not effects):
            changes.append(AmendmentChanged(amendment, had, effects))
    for amendment in _by_effect(old.values(), old_order):
        if amendment.id not in new:
            changes.append(AmendmentRemoved(amendment, old_effects.get(amendment.id, ())))
    return changes


def _correction_changes(order_id: str, before: _Side, after: _Side) -> list[RuleDifference]:
    old = {c.id: c for c in before.corrections.get(order_id, [])}
    new = {c.id: c for c in after.corrections.get(order_id, [])}
    changes: list[RuleDifference] = []
    for correction in sorted(new.values(), key=lambda c: (c.recorded, c.id)):
        if correction.id not in old:
            changes.append(CorrectionAdded(correction))
    for correction in sorted(old.values(), key=lambda c: (c.recorded, c.id)):
        if correction.id not in new:
            changes.append(CorrectionRemoved(correction))
    return changes


def _by_effect(amendments: Iterable[Amendment], order: Order) -> list[Amendment]:
    return sorted(amendments, key=lambda a: (effective_instant(a, order), a.id))


# What a value means, with what its writing may vary put aside: the order of a list that is a
# set, the folding of lines, "more than 4" for "5 or more".


def _words(text: str | None) -> str | None:
    """Text as its words: a YAML folded block and a line say the same; empty is none."""
    return None if text is None else " ".join(text.split()) or None


def _threshold_key(threshold: Threshold | None) -> int | None:
    return None if threshold is None else threshold.smallest_banned


def _windows_key(windows: Sequence[Window]) -> frozenset[Hashable]:
    return frozenset(
        (
            None if w.days is None else frozenset(w.days),
            None if w.dates is None else frozenset(w.dates),
            w.from_,
            w.to,
            None if w.regions is None else frozenset(w.regions),
        )
        for w in windows
    )


def _sites_key(sites: Sequence[Site]) -> frozenset[tuple[str, str | None]]:
    return frozenset((s.type, _words(s.name)) for s in sites)


def _exemptions_key(exemptions: Sequence[Exemption]) -> frozenset[tuple[str | None, str]]:
    return frozenset((_words(e.text), e.status) for e in exemptions)


def _change_key(changes: RestrictionChange | None) -> tuple[Hashable, ...] | None:
    """What a modification changes, but for the guidance it gives travellers."""
    if changes is None:
        return None
    return (
        _words(changes.text),
        _threshold_key(changes.threshold),
        None if changes.windows is None else _windows_key(changes.windows),
        None if changes.within is None else _sites_key(changes.within),
        None if changes.exemptions is None else _exemptions_key(changes.exemptions),
    )


def _amendment_key(amendment: Amendment, order: Order) -> tuple[Hashable, ...]:
    a = amendment
    return (
        a.action,
        a.announced,
        effective_instant(a, order),
        (a.first_day, a.start, a.last_day, a.duration, a.end, a.until_further_notice),
        frozenset(r.id for r in a.restrictions),
        frozenset(a.restriction_ids),
        _change_key(a.changes),
        frozenset(a.regions),
        frozenset(a.exclude_regions),
    )


def _effects_key(effects: Sequence[Effect]) -> list[tuple[str | None, datetime, str]]:
    return [(e.restriction.id if e.restriction else None, e.effective, e.summary) for e in effects]


def _names(
    found: Sequence[OrderDiff], region: str | None, before: _Side, after: _Side
) -> dict[str, str]:
    """A name for every region code the differences mention: the new gazetteer's, else the
    old one's, else the code."""
    codes = {region} if region is not None else set()
    for diff in found:
        codes.update(diff.order.regions, diff.order.exclude_regions)
        windows = [w for r in diff.order.restrictions for w in r.windows]
        for change in diff.changes:
            if isinstance(change, RegionsChanged):
                codes.update(change.old, change.new)
            elif isinstance(change, HoursChanged):
                windows += [*change.old, *change.new]
            elif isinstance(change, RestrictionAdded | RestrictionRemoved):
                windows += change.restriction.windows
        codes.update(r for w in windows for r in w.regions or ())
    names: dict[str, str] = {}
    for code in sorted(codes):
        place = after.rules.gazetteer.get(code) or before.rules.gazetteer.get(code)
        names[code] = place.name if place is not None else code
    return names


def _labels(rules: RuleSet) -> dict[str, str]:
    return {kind_id: kind.label for kind_id, kind in rules.kinds.items()}
