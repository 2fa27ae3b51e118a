"""The time a question is about: read from what a user typed, then made exact in a timezone.

`read_when` and `read_days` turn the texts of a question (`at`, `on`, `from`, `to`) into a
`When`; `span` makes it a QuerySpan in the place's timezone. Every interface (the CLI, the web
app) reads questions through these, so dates are checked alike and explained alike; a
QueryError names the parameter at fault in the interface's own spelling (errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from advisories.errors import QueryError, literal
from advisories.evaluation.answer import QuerySpan
from advisories.model.regions import Gazetteer, Region
from advisories.model.time import clocks_skip, format_day, midnight, resolved, zone
from advisories.model.values import plausible_day


@dataclass(frozen=True)
class Instant:
    """One instant; a naive `at` is read in the place's own timezone."""

    at: datetime


@dataclass(frozen=True)
class Days:
    """Local days `first` to `last`, both included."""

    first: date
    last: date


When = Instant | Days


def read_when(
    *,
    at: str | None = None,
    on: str | None = None,
    first: str | None = None,
    last: str | None = None,
    now: datetime,
) -> When:
    """An instant (`at`), a day (`on`) or a range (`first`, `last`); `now` when none is given."""
    chosen = [f"{{{name}}}" for name, value in (("at", at), ("on", on), ("from", first)) if value]
    if len(chosen) > 1:
        raise QueryError(
            f"give only one of {{at}}, {{on}} or {{from}}/{{to}} (got {', '.join(chosen)})"
        )
    if (first is None) != (last is None):
        raise QueryError("{from} and {to} go together")
    if at is not None:
        return Instant(read_instant(at, "at"))
    if on is None and first is None:  # now: a naive clock reading is this machine's time
        return Instant(now if now.utcoffset() is not None else now.astimezone())
    return read_days(on=on, first=first, last=last)


def read_days(*, on: str | None = None, first: str | None = None, last: str | None = None) -> Days:
    """The local days of `on`, or of `first` and `last`; exactly one of the two must be given."""
    if (on is None) == (first is None) or (first is None) != (last is None):
        raise QueryError("give {on} DATE, or {from} DATE {to} DATE")
    if on is not None:
        day = read_day(on, "on")
        return Days(day, day)
    assert first is not None and last is not None
    days = Days(read_day(first, "from"), read_day(last, "to"))
    _ordered(days.first, days.last)
    return days


def read_day(text: str, parameter: str) -> date:
    """A local day written YYYY-MM-DD, in the years rules can cover."""
    try:
        return plausible_day(date.fromisoformat(text))
    except ValueError as error:
        reason = str(error) if "outside" in str(error) else f"{text!r} is not a date: YYYY-MM-DD"
        raise QueryError(literal(reason), parameter) from None


def read_instant(text: str, parameter: str) -> datetime:
    """An ISO 8601 date and time, with or without an offset (naive: the place's time)."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(
            f"{literal(repr(text))} is not a date and time; write e.g. "
            "2026-02-10T20:00 (local) or 2026-02-10T20:00+05:00",
            parameter,
        ) from None
    try:
        plausible_day(instant.date())
    except ValueError as error:
        raise QueryError(literal(error), parameter) from None
    return instant


def read_timezone(text: str) -> str:
    """An IANA timezone name, checked."""
    try:
        zone(text)
    except ValueError as error:
        raise QueryError(literal(error), "tz") from None
    return text


def timezone_of(gazetteer: Gazetteer, region: Region, given: str | None) -> str:
    """The timezone a question about `region` is asked in: `given`, else the region's own."""
    if given is not None:
        return read_timezone(given)
    found = gazetteer.timezone(region.code)
    if found is None:
        raise QueryError(
            f"{literal(region.name)} has no single timezone; give one with {{tz}}, "
            "e.g. {tz} Europe/Paris (an IANA name)"
        )
    return found


def span(when: When, timezone: str) -> QuerySpan:
    """`when` made exact in `timezone`."""
    if isinstance(when, Instant):
        return instant_query(when.at, timezone)
    return days_query(when.first, when.last, timezone)


def instant_query(at: datetime, timezone: str) -> QuerySpan:
    """A question about one instant; a naive `at` is read in `timezone`, and refused when the
    clocks skip it there (a repeated one is its first time, fold=0)."""
    tz = zone(timezone)
    aware = at.replace(tzinfo=tz) if at.utcoffset() is None else at
    if at.utcoffset() is None and (skipped := clocks_skip(aware)) is not None:
        raise QueryError(literal(_never_shown(at, timezone, *skipped)), "at")
    return QuerySpan(kind="instant", start=aware, end=aware, timezone=timezone)


def _never_shown(at: datetime, timezone: str, jump: datetime, to: datetime) -> str:
    """Why a local time that the clocks skip has no answer, and what to ask instead."""
    offset = at.replace(tzinfo=jump.tzinfo).isoformat(timespec="minutes")
    return (
        f"{at.isoformat(timespec='minutes')} never happens in {timezone}: on "
        f"{format_day(jump.date())} the clocks go forward from {jump:%H:%M} to {to:%H:%M}; "
        f"ask about a time before {jump:%H:%M} or from {to:%H:%M}, or give the offset meant "
        f"({offset} is {resolved(at.replace(tzinfo=jump.tzinfo)):%H:%M} by the clocks)"
    )


def days_query(first: date, last: date, timezone: str) -> QuerySpan:
    """A question about local days `first` to `last`, both included."""
    _ordered(first, last)
    tz = zone(timezone)
    end = midnight(last + timedelta(days=1), tz)
    start = midnight(first, tz)
    if first == last:
        return QuerySpan(kind="day", start=start, end=end, timezone=timezone)
    return QuerySpan(kind="range", start=start, end=end, timezone=timezone)


def _ordered(first: date, last: date) -> None:
    if last < first:
        raise QueryError(
            f"the range ends ({last}) before it starts ({first}); swap {{from}} and {{to}}"
        )
