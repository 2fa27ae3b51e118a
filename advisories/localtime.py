"""Local days and instants in an order's timezone, and how we write them for people."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of `day` in `tz` (a last day D ends at midnight starting D+1)."""
    return datetime.combine(day, time(0), tzinfo=tz)


def day_after(day: date, tz: ZoneInfo) -> datetime:
    """The instant a period whose last day is `day` ends (exclusive)."""
    return midnight(day + timedelta(days=1), tz)


def format_instant(instant: datetime, tz: ZoneInfo) -> str:
    """'1 Feb 2026 00:00' in `tz`."""
    at = instant.astimezone(tz)
    return f"{at.day} {at:%b %Y %H:%M}"


def format_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def format_until(end: datetime | None, tz: ZoneInfo) -> str:
    """How an end reads: 'end of 28 Feb 2026', '20 Feb 2026 14:00' or 'further notice'."""
    if end is None:
        return "further notice"
    at = end.astimezone(tz)
    if at.timetz().replace(tzinfo=None) == time(0):
        return f"end of {format_day(at.date() - timedelta(days=1))}"
    return format_instant(at, tz)
