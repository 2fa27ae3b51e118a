"""When daily or weekly windows (a curfew 20:00-06:00, Fridays 12:00-15:00) are open.

An opening belongs to the local day on which it starts, and ends on the next day when its
hours cross midnight. Hours the clocks skip on the night they go forward are read as
`local_instant` reads them (02:30 is 03:30), by the evaluator and the calendar alike. The evaluator
(`occurrences`) and the calendar (render/ics_schedule.py) both open hours with `opening`
and start looking on `first_opening_day`, so that they never disagree on when a window holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from advisories.model.restrictions import Window
from advisories.model.time import local_instant
from advisories.model.values import WEEKDAYS

_DAY = timedelta(days=1)


def opening(day: date, opens: time, closes: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """When hours from `opens` to `closes` hold from local `day`: to `closes` that day, or
    the next when they cross midnight (`closes` not after `opens`)."""
    closes_on = day + _DAY if closes <= opens else day
    return local_instant(day, opens, tz), local_instant(closes_on, closes, tz)


def first_opening_day(start: datetime, opened: datetime, tz: ZoneInfo) -> date:
    """The first local day whose opening can hold at `start` or after: the day before it, for
    the tail of the night before, but never before the local day the restriction's run
    `opened` (a curfew from 1 March does not cover 1 March 00:00-06:00)."""
    return max(start.astimezone(tz).date() - _DAY, opened.astimezone(tz).date())


def occurrences(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime, opened: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Each opening of the windows that overlaps [start, end), clipped to it."""
    day = first_opening_day(start, opened, tz)
    last = end.astimezone(tz).date()
    while day <= last:
        for window in windows:
            if window.days is not None and WEEKDAYS[day.weekday()] not in window.days:
                continue
            if window.dates is not None and day not in window.dates:
                continue
            opens, closes = opening(day, window.opens, window.closes, tz)
            if opens < end and closes > start:
                yield max(opens, start), min(closes, end)
        day += _DAY


def open_within(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime, opened: datetime
) -> bool:
    """Whether any window is open for some time within [start, end); an instant if start == end."""
    end = max(end, start + timedelta(microseconds=1))
    return next(occurrences(windows, tz, start, end, opened), None) is not None
