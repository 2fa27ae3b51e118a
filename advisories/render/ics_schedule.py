"""When a calendar event happens, as iCalendar (RFC 5545) writes it: a restriction's period, or
one of its windows within the period.

A period without hours is one stretch: an all-day event when it runs from local midnight to
local midnight, else a timed one; held until further notice, a daily series without end (so
that a calendar shows it on every day it holds, never ending on a day the order did not
name). A daily or weekly window is a series (RRULE) from its first opening in the period to
its last (UNTIL, in UTC); an opening that the period cuts short (a night curfew on an order's
last day ends at midnight), or that a change of the clocks lengthens or shortens, is written
as an instance of its own (RECURRENCE-ID), as calendar programs read a moved occurrence. A
series without end cannot list every night the clocks change: one of hours, in a zone that
changes them, reads an hour off on those nights in a program that counts its DTEND in exact
hours, as RFC 5545 asks. A window on given dates is one event per date: dates lie however
far apart, and calendar programs read separate events more reliably than RDATE lists.

Openings are model/windows.py's, as the evaluator's are: an opening that crosses midnight
belongs to the day it starts, and none opens before the local day the restriction's run
began. Pure: no icalendar here; render/ics.py writes these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from advisories.model.restrictions import Window
from advisories.model.values import WEEKDAYS, Weekday
from advisories.model.windows import first_opening_day, opening

_DAY = timedelta(days=1)
_CODES = {day: day[:2].upper() for day in WEEKDAYS}  # mon -> MO, iCalendar's BYDAY


@dataclass(frozen=True)
class Instance:
    """An opening of a series that is not where the series' rule puts it: RECURRENCE-ID is
    the rule's start for that day, `start` and `end` are when it really holds."""

    recurrence_id: datetime
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Recurrence:
    """How a series repeats: daily, or weekly on `weekdays` (MO, TU, ...), until the start
    of its last opening (a day for an all-day series; None: until further notice)."""

    weekdays: tuple[str, ...] | None
    until: datetime | date | None


@dataclass(frozen=True)
class Schedule:
    """DTSTART and DTEND (days for an all-day event; for a series, its first opening as the
    rule puts it; a DURATION of one day for a timed series of whole days), the recurrence,
    the openings that differ, and the first and last instants the event holds (`last` None:
    until further notice)."""

    start: datetime | date
    end: datetime | date | timedelta
    recurrence: Recurrence | None
    instances: tuple[Instance, ...]
    first: datetime
    last: datetime | None


@dataclass(frozen=True)
class _Hours:
    """When a window opens on a day it opens on: every day or on weekdays."""

    opens: time
    closes: time
    weekdays: tuple[Weekday, ...] | None  # None: every day

    @property
    def whole_day(self) -> bool:
        return self.opens == self.closes == time(0)

    def on(self, day: date) -> bool:
        return self.weekdays is None or WEEKDAYS[day.weekday()] in self.weekdays

    def opening(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return opening(day, self.opens, self.closes, tz)


_EVERY_DAY = _Hours(time(0), time(0), None)


def period_schedule(start: datetime, end: datetime | None, tz: ZoneInfo) -> Schedule:
    """A period without hours: one stretch, or (until further notice) a daily series."""
    if end is None:
        series = _series(_EVERY_DAY, start, None, start, tz)
        assert series is not None, "every day opens"
        return series
    return _stretch(start, end, tz)


def window_schedules(
    window: Window, start: datetime, end: datetime | None, opened: datetime, tz: ZoneInfo
) -> list[tuple[date | None, Schedule]]:
    """The events of one window within the period [start, end) of a run that began at
    `opened`: one series (date None), or one event per date the window names."""
    if window.dates is None:
        hours = _Hours(window.opens, window.closes, _weekdays(window))
        series = _series(hours, start, end, opened, tz)
        return [] if series is None else [(None, series)]
    first_day = first_opening_day(start, opened, tz)
    found: list[tuple[date | None, Schedule]] = []
    for day in sorted(window.dates):
        held = opening(day, window.opens, window.closes, tz)
        if day >= first_day and _overlaps(*held, start, end):
            found.append((day, _stretch(*_clip(*held, start, end, tz), tz)))
    return found


def _weekdays(window: Window) -> tuple[Weekday, ...] | None:
    if window.days is None:
        return None
    return tuple(d for d in WEEKDAYS if d in window.days)


def _stretch(start: datetime, end: datetime, tz: ZoneInfo) -> Schedule:
    """One event from `start` to `end`: all-day when both fall on local midnight."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if _at_midnight(local_start) and _at_midnight(local_end):
        return Schedule(local_start.date(), local_end.date(), None, (), local_start, local_end)
    return Schedule(local_start, local_end, None, (), local_start, local_end)


def _series(
    hours: _Hours, start: datetime, end: datetime | None, opened: datetime, tz: ZoneInfo
) -> Schedule | None:
    """The openings of `hours` within [start, end) as one event, or None if none opens."""
    days = _opening_days(hours, start, end, opened, tz)
    if not days:
        return None
    openings = [hours.opening(day, tz) for day in days]
    held = [_clip(*opening, start, end, tz) for opening in openings]
    if end is not None and len(days) == 1:
        return _stretch(*held[0], tz)
    first, last = held[0][0], held[-1][1] if end is not None else None
    final_day = days[-1] if end is not None else None  # the series' last day; None: no end
    cut = held[0] != openings[0] or (end is not None and held[-1] != openings[-1])
    if hours.whole_day and not cut:
        recurrence = Recurrence(_codes(hours), final_day)
        return Schedule(days[0], days[0] + _DAY, recurrence, (), first, last)
    # A timed series. Each opening lasts as long as the rule says: a whole day (DURATION
    # P1D, a local day however long the clocks make it), or as long as the first opening
    # lasts on the wall clock (20:00 to 06:00: DTEND 10 hours on). One that does not (cut
    # short by the period, or on a night the clocks change) is an instance of its own.
    rule_start, rule_end = openings[0]
    length = rule_end.replace(tzinfo=None) - rule_start.replace(tzinfo=None)

    def ruled(opens: datetime) -> tuple[datetime, datetime]:
        if hours.whole_day:
            return opens, datetime.combine(opens.date() + _DAY, time(0), tzinfo=tz)
        return opens, (opens.astimezone(UTC) + length).astimezone(tz)

    instances = tuple(
        Instance(opens, *really)
        for (opens, _), really in zip(openings, held, strict=True)
        if really != ruled(opens)
    )
    until = None if end is None else openings[-1][0].astimezone(UTC)
    recurrence = Recurrence(_codes(hours), until)
    lasts = _DAY if hours.whole_day else ruled(rule_start)[1]
    return Schedule(rule_start, lasts, recurrence, instances, first, last)


def _codes(hours: _Hours) -> tuple[str, ...] | None:
    return None if hours.weekdays is None else tuple(_CODES[d] for d in hours.weekdays)


def _opening_days(
    hours: _Hours, start: datetime, end: datetime | None, opened: datetime, tz: ZoneInfo
) -> list[date]:
    """The local days whose openings overlap [start, end): all of them, or (until further
    notice) the first. Between the first and the last, every day the hours name opens."""
    day = first_opening_day(start, opened, tz)
    last = end.astimezone(tz).date() if end is not None else day + 8 * _DAY  # over a week
    days = []
    while day <= last:
        if hours.on(day) and _overlaps(*hours.opening(day, tz), start, end):
            days.append(day)
            if end is None:
                break
        day += _DAY
    return days


def _overlaps(opens: datetime, closes: datetime, start: datetime, end: datetime | None) -> bool:
    return closes > start and (end is None or opens < end)


def _clip(
    opens: datetime, closes: datetime, start: datetime, end: datetime | None, tz: ZoneInfo
) -> tuple[datetime, datetime]:
    """The part of an opening within [start, end), which it overlaps, in `tz`."""
    held_to = closes if end is None else min(closes, end)
    return max(opens, start).astimezone(tz), held_to.astimezone(tz)


def _at_midnight(instant: datetime) -> bool:
    return instant.timetz().replace(tzinfo=None) == time(0)
