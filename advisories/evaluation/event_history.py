"""How an order's announcements changed each of its events, for an export that keeps events
(a calendar's, render/ics_events.py) rather than one message per announcement (CAP's).

An event is what the export makes of one revision of the order (the calendar: one per
period, set of hours and date), known by an id that no amendment moves and able to say
whether another revision of it reads alike. Following the order through its announcements
(announcements.py): an event changed each time an amendment made it read otherwise, and is
cancelled once a revision no longer has it (a revocation, a lift before it began); one that
an amendment brought is created the day that amendment was announced. An order that simply
ran out changes nothing and cancels nothing, and a correction of our record changes no
event: it mends what we wrote, not what holds. Pure: no clock, no list positions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Protocol, Self, TypeVar

from advisories.compile.timeline import (
    AppliedAmendment,
    Done,
    RestrictionTimeline,
    effective_instant,
)
from advisories.evaluation.announcements import Announcement
from advisories.model.rules import Amendment, Order
from advisories.model.time import format_day


class Revision(Protocol):
    """An event as one revision of its order has it."""

    @property
    def uid(self) -> str: ...

    @property
    def timeline(self) -> RestrictionTimeline: ...

    def reads_as(self, other: Self) -> bool:
        """Whether the export shows the two alike."""
        ...


E = TypeVar("E", bound=Revision)


@dataclass(frozen=True)
class EventHistory(Generic[E]):
    """An event as the latest revision that holds it has it (the last one that did, when
    `cancelled`), with the amendments that changed it; the last one cancelled it, if so."""

    occasion: E
    changes: tuple[AppliedAmendment, ...]
    cancelled: bool
    created: date  # announced: the order, or the amendment that brought the event
    modified: date  # announced: the latest change, else as created

    @property
    def sequence(self) -> int:
        """How many times it changed: iCalendar's SEQUENCE."""
        return len(self.changes)


@dataclass
class _Track(Generic[E]):
    occasion: E
    created: date
    held: bool = True
    changes: list[AppliedAmendment] = field(default_factory=list)


def event_histories(
    order: Order, said: Sequence[Announcement], events_of: Callable[[Announcement], Iterable[E]]
) -> list[EventHistory[E]]:
    """Each event of the order that any of its announcements (`said`, from announcements())
    has, as `events_of` makes them of each, followed through the amendments."""
    tracks: dict[str, _Track[E]] = {}
    for step in (a for a in said if a.correction is None):
        now = {e.uid: e for e in events_of(step)}
        for uid in sorted(tracks.keys() | now.keys()):
            track, occasion = tracks.get(uid), now.get(uid)
            if track is None:
                assert occasion is not None
                day = order.announced if step.amendment is None else step.amendment.announced
                tracks[uid] = _Track(occasion, day)
            elif occasion is not None and track.held and occasion.reads_as(track.occasion):
                track.occasion = occasion  # the same event, with the newer history
            elif occasion is not None or track.held:
                assert step.amendment is not None, "the order as issued comes first"
                track.changes.append(_applied(step.amendment, track.occasion, step, order))
                track.held = occasion is not None
                if occasion is not None:
                    track.occasion = occasion
    return [
        EventHistory(
            t.occasion,
            tuple(t.changes),
            cancelled=not t.held,
            created=t.created,
            modified=t.changes[-1].amendment.announced if t.changes else t.created,
        )
        for t in tracks.values()
    ]


def _applied(
    amendment: Amendment, event: Revision, step: Announcement, order: Order
) -> AppliedAmendment:
    """The amendment as the revision's timeline of the event records it (with what it did)."""
    key = event.timeline.key
    timeline = next((t for t in step.timelines if t.key == key), event.timeline)
    recorded = [*timeline.history, *([timeline.revoked] if timeline.revoked else [])]
    found = next((h for h in recorded if h.amendment.id == amendment.id), None)
    if found is not None:
        return found
    action = amendment.action.replace("_", " ")
    summary = f"{action} (announced {format_day(amendment.announced)})"
    done = Done("other", words=action, tz=order.timezone, announced=amendment.announced)
    return AppliedAmendment(amendment, effective_instant(amendment, order), summary, done)
