"""A Selection as an iCalendar file (RFC 5545), for calendar programs: one event per
restriction period and window (render/ics_events.py says which, render/ics_schedule.py when).

Everything written comes from the rules: DTSTAMP and LAST-MODIFIED are the day the order or
its latest amendment that changed the event was announced, CREATED the day the event first
appeared, so the same selection gives the same bytes. The calendar says first how far the
rules monitor the place over the days it covers (X-WR-CALDESC and DESCRIPTION), so that an
empty calendar never reads as "nothing in force"; each event says it of the places it holds
in over its own days. Events are transparent: a restriction does not make anyone busy.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, Timezone

from advisories.evaluation.answer import CoverageOut, SourceRef
from advisories.evaluation.coverage import coverage_of
from advisories.evaluation.parts import StandingParts, source_ref, standing_parts
from advisories.evaluation.selection import Selection, local_days
from advisories.model.regions import Region, Relation
from advisories.model.time import format_day, zone
from advisories.render.ics_events import CalendarEvent, Occasion, calendar_events
from advisories.render.ics_schedule import Schedule
from advisories.render.wording import coverage_words, dispute_words
from advisories.render.writable import writable

PRODID = "-//advisories//advisory export//EN"
# An order whose contents were not (all) reported: its label, and what it says.
_UNREPORTED = {
    "not_reported": (
        "Order in force, contents not reported",
        "An order is in force here whose contents were not reported",
    ),
    "partly_reported": (
        "Order in force, some contents not reported",
        "An order is in force here not all of whose contents were reported",
    ),
}


def selection_ics(selection: Selection) -> bytes:
    """The selection's events as one VCALENDAR (METHOD:PUBLISH), UTF-8, lines ending CRLF."""
    events = calendar_events(selection)
    timezone = _calendar_zone(selection, events)
    monitoring = _Monitoring(selection)
    region = selection.region
    coverage = None
    if region is not None:
        coverage = monitoring.of(region, *local_days(selection, timezone))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"Restrictions: {region.name if region is not None else 'all places'}"
    about = _about(selection, coverage, found=any(not e.cancelled for e in events))
    for key, value in (("name", name), ("x-wr-calname", name), ("description", about),
                       ("x-wr-caldesc", about), ("x-wr-timezone", timezone)):  # fmt: skip
        calendar.add(key, writable(value))
    zones = {timezone} | {e.occasion.timeline.order.timezone for e in events}
    for tzid in sorted(zones):
        # From zoneinfo over icalendar's fixed years (1970-2038), never from the day written.
        calendar.add_component(Timezone.from_tzid(tzid))
    writer = _Writer(selection, monitoring)
    for event in events:
        for component in writer.components(event):
            calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data


def _calendar_zone(selection: Selection, events: list[CalendarEvent]) -> str:
    """The region's timezone, else the one every event's order shares, else UTC."""
    if selection.region is not None:
        found = selection.rules.gazetteer.timezone(selection.region.code)
        if found is not None:
            return found
    zones = {e.occasion.timeline.order.timezone for e in events}
    return zones.pop() if len(zones) == 1 else "UTC"


def _about(selection: Selection, coverage: CoverageOut | None, found: bool) -> str:
    """The calendar's description: what it covers, as known when, and how far it is monitored."""
    rules, span = selection.rules, selection.span
    if span is not None:
        first, last = span.local_days()
        days = f"from {format_day(first)} to {format_day(last)}"
    else:
        days = "on every day the rules record"
    known = f"as known on {format_day(selection.as_of)} (rules {rules.version})"
    region = selection.region
    if region is None or coverage is None:
        checked = "; ".join(
            f"{', '.join(rules.gazetteer[code].name for code in entry.regions)} "
            f"(checked to {format_day(min(entry.checked_as_of, selection.as_of))})"
            for entry in sorted(rules.coverage, key=lambda e: e.id)
            if entry.checked_from is None or entry.checked_from <= selection.as_of
        )
        return (
            f"Restrictions these rules record anywhere, {days}, {known}. Monitored: "
            f"{checked or 'nowhere'}. Other places are not monitored: restrictions may be in "
            "force there without any event in this calendar."
        )
    path = " > ".join(r.name for r in rules.gazetteer.path(region.code))
    return (
        f"Restrictions in {region.name} ({path}), {days}, {known}. "
        f"{coverage_words(coverage, region.name, found)}"
    )


class _Monitoring:
    """How the rules monitor a place over some local days, each worked out once."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self._found: dict[tuple[str, date, date], CoverageOut] = {}

    def of(self, region: Region, first: date, last: date) -> CoverageOut:
        key = (region.code, first, last)
        found = self._found.get(key)
        if found is None:
            rules, as_of = self.selection.rules, self.selection.as_of
            found = coverage_of(rules, region, first, last, as_of)
            self._found[key] = found
        return found

    def of_event(self, occasion: Occasion) -> list[tuple[Region, CoverageOut]]:
        """Each place the event holds in, as the calendar's place sees it (the place asked
        where the event covers all of it), with its coverage over the event's own days:
        so one event reads alike in the calendar of every place it holds in."""
        gazetteer, asked = self.selection.rules.gazetteer, self.selection.region
        places: dict[str, Region] = {}
        for code in occasion.regions:
            relation = None if asked is None else gazetteer.relation(code, asked.code)
            if relation in (Relation.SAME, Relation.CONTAINS):
                assert asked is not None
                places[asked.code] = asked
            elif relation is not None or asked is None:
                places[code] = gazetteer[code]
        schedule = occasion.schedule
        found = []
        for place in places.values():
            zone_name = gazetteer.timezone(place.code) or occasion.timeline.order.timezone
            tz = zone(zone_name)
            first = schedule.first.astimezone(tz).date()
            if schedule.last is None:  # until further notice: the days known so far
                last = max(first, self.selection.as_of)
            else:  # the end is exclusive: the day of its last instant
                last = max(first, (schedule.last - _INSTANT).astimezone(tz).date())
            found.append((place, self.of(place, first, last)))
        return found


_INSTANT = timedelta(microseconds=1)


class _Writer:
    """Writes events as VEVENTs, with the words each needs worked out once per restriction."""

    def __init__(self, selection: Selection, monitoring: _Monitoring) -> None:
        self.selection = selection
        self.monitoring = monitoring
        self._parts: dict[tuple[int, int], StandingParts] = {}
        # Two restrictions of one kind in one order go by their own words, not the kind's.
        self._kinds = Counter((t.order.id, t.restriction.kind) for t in selection.timelines)

    def components(self, event: CalendarEvent) -> list[Event]:
        """The event's VEVENT, then one per instance of a series that differs from its rule."""
        occasion = event.occasion
        schedule = occasion.schedule
        shared = self._shared(event)
        master = Event()
        for key, value in shared:
            master.add(key, value)
        master.add("dtstart", schedule.start)
        master.add("duration" if isinstance(schedule.end, timedelta) else "dtend", schedule.end)
        if schedule.recurrence is not None:
            master.add("rrule", _rrule(schedule))
        found = [master]
        for instance in schedule.instances:
            moved = Event()
            for key, value in shared:
                moved.add(key, value)
            moved.add("recurrence-id", instance.recurrence_id)
            moved.add("dtstart", instance.start)
            moved.add("dtend", instance.end)
            found.append(moved)
        return found

    def _shared(self, event: CalendarEvent) -> list[tuple[str, object]]:
        """What every component of the event carries."""
        occasion = event.occasion
        parts = self._parts_of(occasion)
        found: list[tuple[str, object]] = [
            ("uid", occasion.uid),
            ("dtstamp", _stamp(event.modified)),
            ("created", _stamp(event.created)),
            ("last-modified", _stamp(event.modified)),
            ("sequence", event.sequence),
            ("status", "CANCELLED" if event.cancelled else "CONFIRMED"),
            ("transp", "TRANSPARENT"),
            ("summary", self._summary(event, parts)),
            ("location", self._location(occasion)),
            ("description", self._description(event, parts)),
        ]
        url = next((s.url for s in parts.sources if s.url), None)
        if url is not None:
            found.append(("url", url))
        return [(key, writable(v) if isinstance(v, str) else v) for key, v in found]

    def _parts_of(self, occasion: Occasion) -> StandingParts:
        key = (id(occasion.timeline), occasion.period.version)
        found = self._parts.get(key)
        if found is None:
            found = standing_parts(self.selection.rules, occasion.timeline, key[1])
            self._parts[key] = found
        return found

    def _summary(self, event: CalendarEvent, parts: StandingParts) -> str:
        """Kind and place: 'Curfew — Quetta', with what a reader must see at once."""
        occasion = event.occasion
        timeline = occasion.timeline
        if timeline.unreported:
            label = _UNREPORTED[timeline.order.contents][0]
        else:
            alike = self._kinds[timeline.order.id, timeline.restriction.kind] > 1
            label = parts.text if alike else parts.label
        region = self.selection.region
        if region is None:
            place = self._location(occasion)
        else:
            place = f"part of {region.name}" if occasion.partial else region.name
        summary = f"{label} — {place}"
        last = event.changes[-1].amendment.action if event.changes else None
        if event.cancelled:
            return ("Revoked: " if last == "revoke" else "Cancelled: ") + summary
        if occasion.period.end is None:
            return summary + " (until further notice)"
        if last == "lift":
            return summary + " (lifted early)"
        return summary

    def _location(self, occasion: Occasion) -> str:
        gazetteer = self.selection.rules.gazetteer
        where = ", ".join(gazetteer[code].name for code in occasion.regions)
        if occasion.excluded:
            where += " except " + ", ".join(gazetteer[code].name for code in occasion.excluded)
        return where

    def _description(self, event: CalendarEvent, parts: StandingParts) -> str:
        """The restriction in words: what, when, where, who issued it, what changed, how far
        the place is monitored, and the sources."""
        occasion = event.occasion
        timeline, period, order = occasion.timeline, occasion.period, occasion.timeline.order
        gazetteer = self.selection.rules.gazetteer
        lines = []
        if timeline.unreported:
            said = _UNREPORTED[order.contents][1]
            lines.append(f"{said}: what it bans is unknown; check locally.")
        else:
            lines.append(_sentence(parts.text))
        if event.cancelled:
            lines.append(f"{_capital(event.changes[-1].summary)}: this no longer holds.")
        if occasion.window is not None:
            lines.append(f"Hours: {occasion.window.describe(lambda c: gazetteer[c].name)}.")
        sites = "; ".join(s.description for s in parts.within)
        where = self._location(occasion) + (f" ({sites})" if sites else "")
        lines.append(f"Where: {where}.")
        if parts.threshold is not None:
            lines.append(f"Threshold: {parts.threshold.as_written}.")
        applied = [e.text for e in parts.exemptions if e.applies]
        proposed = [e.text for e in parts.exemptions if not e.applies]
        if applied:
            lines.append(f"Exemptions: {'; '.join(applied)}.")
        if proposed:
            lines.append(f"Proposed, not applied: {'; '.join(proposed)}.")
        holds = "Was to hold" if event.cancelled else "In force"
        lines.append(f"{holds} from {parts.start(period.start)} until {parts.until(period.end)}.")
        issued = f"Order {order.id}: {order.title}. Issued by {parts.authority}"
        if parts.legal_basis:
            issued += f" under {parts.legal_basis}"
        issued += f"; announced {format_day(order.announced)}"
        if parts.as_written:
            issued += f"; its term as written: “{parts.as_written}”"
        lines.append(f"{issued}.")
        if parts.penalty:
            lines.append(f"Penalty: {parts.penalty}.")
        if event.changes:
            lines.append("Changes: " + "; ".join(_capital(c.summary) for c in event.changes) + ".")
        lines += [f"{dispute_words(d)}." for d in parts.disputes]
        if parts.note:
            lines.append(f"Note: {parts.note}")
        lines.append(f"Verification: {parts.verification}.")
        lines.append(self._coverage_line(occasion))
        lines.append("Sources:")
        lines += [f"- {_source_words(s)}" for s in self._sources(event, parts)]
        return "\n".join(lines)

    def _sources(self, event: CalendarEvent, parts: StandingParts) -> list[SourceRef]:
        """The restriction's sources, then those of the amendments that changed the event."""
        cited = self.selection.rules.sources
        changes = [source_ref(cited[s]) for c in event.changes for s in c.amendment.sources]
        return list(dict.fromkeys([*parts.sources, *changes]))

    def _coverage_line(self, occasion: Occasion) -> str:
        """How far the rules monitor the places the event holds in, on its own days."""
        said = []
        for place, coverage in self.monitoring.of_event(occasion):
            words = coverage_words(coverage, place.name, True)
            said.append(f"{place.name}: {words}" if coverage.status == "monitored" else words)
        return "Coverage: " + " ".join(said)


def _rrule(schedule: Schedule) -> dict[str, object]:
    recurrence = schedule.recurrence
    assert recurrence is not None
    rule: dict[str, object] = {"freq": "weekly" if recurrence.weekdays else "daily"}
    if recurrence.weekdays:
        rule["byday"] = list(recurrence.weekdays)
    if recurrence.until is not None:
        rule["until"] = recurrence.until
    return rule


def _stamp(day: date) -> datetime:
    """A day of the rules as the UTC date-time iCalendar stamps take: its midnight in UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def _source_words(source: SourceRef) -> str:
    """'Title (Publisher, 2 Mar 2026): address'."""
    published = f", {format_day(source.published)}" if source.published else ""
    return f"{source.title} ({source.publisher}{published}): {source.url or source.file}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
