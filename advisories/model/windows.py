"""When daily or weekly windows (a curfew 20:00-06:00, Fridays 12:00-15:00) are open."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from advisories.model.restrictions import Window
from advisories.model.values import WEEKDAYS


def occurrences(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime, opened: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Each opening of the windows that overlaps [start, end), clipped to it.

    An opening that crosses midnight belongs to the local day on which it starts: we begin one
    day before `start` to catch the tail of the previous night, but never before the local day
    on which the restriction `opened` (a curfew from 1 March does not cover 1 March 00:00-06:00).
    """
    day = max(start.astimezone(tz).date() - timedelta(days=1), opened.astimezone(tz).date())
    last = end.astimezone(tz).date()
    while day <= last:
        for window in windows:
            if window.days is not None and WEEKDAYS[day.weekday()] not in window.days:
                continue
            if window.dates is not None and day not in window.dates:
                continue
            opens = datetime.combine(day, window.opens, tzinfo=tz)
            closes_on = day + timedelta(days=1) if window.crosses_midnight else day
            closes = datetime.combine(closes_on, window.closes, tzinfo=tz)
            if opens < end and closes > start:
                yield max(opens, start), min(closes, end)
        day += timedelta(days=1)


def open_within(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime, opened: datetime
) -> bool:
    """Whether any window is open for some time within [start, end); an instant if start == end."""
    end = max(end, start + timedelta(microseconds=1))
    return next(occurrences(windows, tz, start, end, opened), None) is not None
