"""Time as rules mean it: ISO 8601 durations, local days in an order's timezone, and how we
write instants and days for people."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from advisories.model.values import LATEST

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$",
    re.ASCII,  # ISO 8601's digits: a Unicode \d would read Arabic-Indic ones too
)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: months and days count in local calendar terms, not seconds."""

    months: int
    days: int
    seconds: int

    def after(self, start: datetime) -> datetime:
        """The instant this duration after `start`, month ends clamped (31 Jan + P1M = 28 Feb).

        From the first instant of a day, it counts from that day's 00:00, even where the
        clocks skipped midnight and the day began at 01:00: P1D from a day ends as it ends.
        """
        clock = start.timetz()
        if isinstance(start.tzinfo, ZoneInfo) and start == midnight(start.date(), start.tzinfo):
            clock = time(0, tzinfo=start.tzinfo)
        moved = datetime.combine(add_months(start.date(), self.months), clock)
        return resolved(moved + timedelta(days=self.days, seconds=self.seconds))


# The longest a duration may be: a hundred years (a longer one is a typo), in days.
MAX_DURATION_DAYS = 36_600
_MONTH_DAYS = 365.2425 / 12
_DIGITS = 9  # more digits than this is over a hundred years in any unit, unread


@lru_cache(maxsize=256)  # a tree repeats a few durations thousands of times
def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration; raises ValueError with an example when it is not one.

    Every part counts towards the hundred years together (P100Y36600D is two hundred), and
    a part's digits are counted before they are read, so no size of number gets further.
    """
    shown = _shortened(text)
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"{shown!r} is not an ISO 8601 duration; write e.g. 'P1M' (a month), 'P15D', 'PT12H'"
        )
    written = {name: value or "0" for name, value in match.groupdict().items()}
    too_long = ValueError(f"{shown!r} is over a hundred years; a typo?")
    if any(len(value.lstrip("0")) > _DIGITS for value in written.values()):
        raise too_long
    parts = {name: int(value) for name, value in written.items()}
    if not any(parts.values()):
        raise ValueError(f"{shown!r} is a duration of zero; an order must last some time")
    duration = Duration(
        months=parts["years"] * 12 + parts["months"],
        days=parts["weeks"] * 7 + parts["days"],
        seconds=parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"],
    )
    if duration.months * _MONTH_DAYS + duration.days + duration.seconds / 86400 > MAX_DURATION_DAYS:
        raise too_long
    return duration


def ends_by(duration: Duration, start: datetime | date | None) -> datetime:
    """`duration` after `start` (a day: from its midnight); raises ValueError when that is
    past the last day rules can cover (extensions of extensions reach the year 10000)."""
    if start is None:
        raise ValueError("a duration needs a start to count from")
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(0))
    last = LATEST + timedelta(days=1)
    beyond = ValueError(
        f"the duration would end after {format_day(LATEST)}, the last day rules can cover; a typo?"
    )
    if start.date() > last:
        raise beyond
    end = duration.after(start)  # a hundred years at most after a day before 2201: no overflow
    if end.replace(tzinfo=None) > datetime.combine(last, time(0)):
        raise beyond
    return end


def add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


@lru_cache(maxsize=1024)  # the IANA database has about 600 names
def zone(name: str) -> ZoneInfo:
    """The IANA timezone called `name`; raises ValueError with a hint when there is none.

    Only names of the zone database: ZoneInfo also opens any file under the zone folders
    ('localtime', the machine's own zone, which differs from one machine to the next;
    'posixrules'; 'right/UTC'), and a folder's name ('Asia') fails with an OSError.
    """
    if name not in _iana_names() and not _newer_iana_name(name):
        from difflib import get_close_matches

        close = get_close_matches(name[:64], sorted(_iana_names()), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as 'Asia/Karachi'"
        if name == "localtime":
            hint = "give the place's own IANA name, such as 'Asia/Karachi' ('localtime' is "
            hint += "whatever zone the machine is set to)"
        raise ValueError(f"unknown timezone {_shortened(name)!r}; {hint}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"timezone {name!r} is in the zone database but cannot be read") from None


def _shortened(text: str) -> str:
    """`text` as a message quotes it: a screenful of it would hide the message itself."""
    return text if len(text) <= 40 else text[:40] + "..."


# Files under the zone folders that are no zone of the database.
_NOT_ZONES = frozenset({"localtime", "posixrules"})


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    """The zone database's names: the `tzdata` package's list, read in a blink (walking the
    system's zone folders, as `available_timezones` does, costs a whole `advisory check`)."""
    from importlib.resources import files

    try:
        listed = files("tzdata").joinpath("zones").read_text("utf-8").split()
    except (ModuleNotFoundError, OSError):
        return _system_names()
    return frozenset(listed) - _NOT_ZONES


@lru_cache(maxsize=1)
def _system_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones()) - _NOT_ZONES


def _newer_iana_name(name: str) -> bool:
    """Whether `name` is a zone the system's database has and the tzdata package has not yet:
    asked only of a name not in the package's list, so the walk is paid only then."""
    return name in _system_names()


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of `day` in `tz` (a last day D ends at midnight starting D+1)."""
    return local_instant(day, time(0), tz)


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


def local_instant(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """`clock` on local `day` in `tz`, written as the clocks show it at that instant.

    A time the clocks skip (02:30 on the night they go from 02:00 to 03:00) is read with the
    offset before the change, as zoneinfo's fold=0 and RFC 5545 read it, and written as the
    clocks then show it (03:30). Python compares two datetimes of one zone by their clock
    faces, so a skipped time left as written would sort before 03:00 while being after it.
    """
    return resolved(datetime.combine(day, clock, tzinfo=tz))


def resolved(local: datetime) -> datetime:
    """`local` (aware, in a zoneinfo zone) moved out of a gap in the clocks: the same instant,
    as the clocks show it; any other time unchanged (a repeated one keeps its fold)."""
    skipped = _skipped(local)
    return local if skipped is None else local + skipped


def clocks_skip(local: datetime) -> tuple[datetime, datetime] | None:
    """When `local` (aware, in a zoneinfo zone) is a time the clocks skip: the clock faces
    they jump from and to (01:00 and 02:00 for 01:30 in London on the last Sunday of March);
    None for a time that exists."""
    skipped = _skipped(local)
    if skipped is None:
        return None
    # The clocks jump at some whole second of the hour before `local`; zoneinfo does not
    # say which, so halve the seconds between (`local` less the jump, which exists) and it.
    exists, skips = local.replace(microsecond=0) - skipped, local
    while skips - exists > timedelta(seconds=1):
        middle = exists + timedelta(seconds=(skips - exists).total_seconds() // 2)
        if _skipped(middle) is None:
            exists = middle
        else:
            skips = middle
    jump = exists + timedelta(seconds=1)
    return jump, jump + skipped


def _skipped(local: datetime) -> timedelta | None:
    """How far the clocks jump over `local`, when it is a time they skip: in a gap, fold=0
    gives the offset before the change and fold=1 the one after, and the clocks go forward."""
    before, after = local.replace(fold=0).utcoffset(), local.replace(fold=1).utcoffset()
    if before is None or after is None or after <= before:
        return None
    return after - before
