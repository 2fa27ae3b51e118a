"""The value types every file shares: plausible days and instants, slugs, region codes, and
`Entry`, the base of every model read from a file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)  # beyond these a date is a typo


def plausible_day(value: date) -> date:
    """`value` if it lies in the years rules can cover; raises ValueError otherwise."""
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{value} is outside the years {EARLIEST.year}-{LATEST.year}; a typo?")
    return value


def _plausible_instant(value: datetime) -> datetime:
    plausible_day(value.date())
    return value


Day = Annotated[date, AfterValidator(plausible_day)]
PlausibleInstant = Annotated[datetime, AfterValidator(_plausible_instant)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
RegionCode = Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]+)*$", max_length=80)]
Verification = Literal["official", "reported", "unverified"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Entry(BaseModel):
    """Base of every rule-file model: unknown fields are errors, values are immutable."""

    # defer_build: a RuleSet read from the cache never validates, so the schemas are built
    # only when YAML is actually loaded, which keeps `advisory check` start-up short.
    # Lists default through `default_factory=list`: pydantic would deep-copy a `[]` default
    # for every entry that leaves the field out, a large share of validating a big tree.
    # Entries keep no place of their own either (a private attribute costs as much):
    # `ParsedFile.where` finds it.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def no_duplicates(values: list[str], what: str) -> None:
    """Raises ValueError naming the first value given twice."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
