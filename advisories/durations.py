"""ISO 8601 durations (`P1M`, `P15D`, `PT12H`) and the calendar arithmetic they need."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: months and days count in local calendar terms, not seconds."""

    months: int
    days: int
    seconds: int

    def after(self, start: datetime) -> datetime:
        """The instant this duration after `start`, month ends clamped (31 Jan + P1M = 28 Feb)."""
        shifted = add_months(start.date(), self.months)
        moved = datetime.combine(shifted, start.timetz())
        return moved + timedelta(days=self.days, seconds=self.seconds)


@lru_cache(maxsize=256)  # a tree repeats a few durations thousands of times
def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration; raises ValueError with an example when it is not one."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration; write e.g. 'P1M' (a month), 'P15D', 'PT12H'"
        )
    parts = {name: int(value or 0) for name, value in match.groupdict().items()}
    if not any(parts.values()):
        raise ValueError(f"{text!r} is a duration of zero; an order must last some time")
    if parts["years"] * 12 + parts["months"] > 1200 or parts["weeks"] * 7 + parts["days"] > 36600:
        raise ValueError(f"{text!r} is over a hundred years; a typo?")
    return Duration(
        months=parts["years"] * 12 + parts["months"],
        days=parts["weeks"] * 7 + parts["days"],
        seconds=parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"],
    )


def add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))
