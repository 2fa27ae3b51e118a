"""The events of a Selection's calendar: which there are, and what each is.

One event per period of a restriction that bears on the region (a change of scope or of the
restriction's own text splits a run into periods), and within it one per window (one per
date for a window on dates). Its UID is made of the order, the restriction, the period's
start and the window (with its date): nothing that an amendment moves (an extension or a
lift moves ends, never starts) and nothing that another rule file changes.

Each order's revisions, as its amendments were announced, give its events once each;
evaluation/event_history.py follows them through the amendments (an event's SEQUENCE, and
the events a revocation or a lift removed, kept as cancelled so that calendar programs drop
them). Two revisions of an event differ when a calendar shows them otherwise: their
schedule (render/ics_schedule.py), where and in how much of the place, and the restriction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date

from advisories.compile.timeline import Period, RestrictionTimeline, amendments_by_order
from advisories.evaluation.announcements import announcements
from advisories.evaluation.event_history import EventHistory, event_histories
from advisories.evaluation.matching import PARTIAL, scope_match
from advisories.evaluation.selection import Selection
from advisories.model.regions import Relation
from advisories.model.restrictions import Restriction, Window
from advisories.model.rules import Correction
from advisories.render.ics_schedule import Schedule, period_schedule, window_schedules

UID_DOMAIN = "advisories"


@dataclass(frozen=True)
class Occasion:
    """One event as one revision of its order has it."""

    uid: str
    timeline: RestrictionTimeline
    period: Period
    window: Window | None
    schedule: Schedule
    regions: tuple[str, ...]  # where it holds: the period's scope, or the window's regions
    excluded: tuple[str, ...]
    partial: bool  # in part of the region asked only

    @property
    def restriction(self) -> Restriction:
        return self.timeline.version(self.period.version)

    def reads_as(self, other: Occasion) -> bool:
        """Whether a calendar shows the two alike: when, where and what."""
        return (
            self.schedule == other.schedule
            and self.regions == other.regions
            and self.excluded == other.excluded
            and self.partial == other.partial
            and self.restriction == other.restriction
        )


CalendarEvent = EventHistory[Occasion]  # an event, with how the amendments changed it


def calendar_events(selection: Selection) -> list[CalendarEvent]:
    """The selection's events that bear on its region and span, by first instant and UID."""
    rules = selection.rules
    amendments = amendments_by_order(rules.amendments)
    corrections: dict[str, list[Correction]] = {}
    for correction in rules.corrections:
        corrections.setdefault(correction.order, []).append(correction)
    found: list[CalendarEvent] = []
    for order in selection.orders:
        fixes = tuple(sorted(corrections.get(order.id, []), key=lambda c: (c.recorded, c.id)))
        said = announcements(order, amendments.get(order.id, []), fixes)
        events = event_histories(order, said, lambda step: _occasions(step.timelines, selection))
        found += [e for e in events if _in_span(e, selection)]
    found.sort(key=lambda e: (e.occasion.schedule.first, e.occasion.uid))
    return found


def _occasions(
    timelines: Sequence[RestrictionTimeline], selection: Selection
) -> Iterator[Occasion]:
    """The events of one revision's timelines that bear on the selection's region."""
    gazetteer = selection.rules.gazetteer
    asked = selection.region.code if selection.region is not None else None
    for timeline in timelines:
        tz = timeline.order.tz
        for period in timeline.periods:
            match = scope_match(gazetteer, period, asked) if asked is not None else None
            if asked is not None and match is None:
                continue
            partial = match is not None and match[0] == PARTIAL
            scope = (period.regions, period.exclude_regions)
            windows = timeline.version(period.version).windows
            if not windows:
                schedule = period_schedule(period.start, period.end, tz)
                uid = _uid(timeline, period, None, None)
                yield Occasion(uid, timeline, period, None, schedule, *scope, partial)
            for index, window in enumerate(windows):
                where = _window_regions(window, asked, selection)
                if where is None:
                    continue  # its hours hold elsewhere in the order's scope
                regions, whole = where
                place = (regions, ()) if regions else scope
                for day, schedule in window_schedules(
                    window, period.start, period.end, period.opened, tz
                ):
                    uid = _uid(timeline, period, index, day)
                    in_part = partial or not whole
                    yield Occasion(uid, timeline, period, window, schedule, *place, in_part)


def _window_regions(
    window: Window, asked: str | None, selection: Selection
) -> tuple[tuple[str, ...], bool] | None:
    """Where a window holds, as the asked region sees it: its own regions that bear on the
    asked one (empty: all of the order's scope) and whether one covers all of it; None when
    it holds only elsewhere."""
    if window.regions is None:
        return (), True
    if asked is None:
        return tuple(window.regions), True
    relation = selection.rules.gazetteer.relation
    related = {code: relation(code, asked) for code in window.regions}
    here = tuple(code for code, r in related.items() if r is not None)
    if not here:
        return None
    whole = any(r in (Relation.SAME, Relation.CONTAINS) for r in related.values())
    return here, whole


def _uid(
    timeline: RestrictionTimeline, period: Period, window: int | None, day: date | None
) -> str:
    """order/restriction/start of the period in UTC[/w<window>[/<date>]]@advisories."""
    parts = [
        timeline.order.id,
        timeline.restriction.id,
        f"{period.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
    ]
    if window is not None:
        parts.append(f"w{window}")
    if day is not None:
        parts.append(f"{day:%Y%m%d}")
    return "/".join(parts) + "@" + UID_DOMAIN


def _in_span(event: CalendarEvent, selection: Selection) -> bool:
    """Whether the event holds within the span; a cancelled one also when it was cancelled
    within it."""
    span = selection.span
    if span is None:
        return True
    schedule = event.occasion.schedule
    if schedule.first < span.end and (schedule.last is None or schedule.last > span.start):
        return True
    return event.cancelled and span.start <= event.changes[-1].effective < span.end
