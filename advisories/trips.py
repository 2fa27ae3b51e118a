"""Trips: legs of (place, first day, last day), each answered as a range, plus what changes.

Pure: the trip file is parsed by `loader.parse_document`; here it is resolved against the
gazetteer and evaluated leg by leg.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self

from pydantic import Field, model_validator

from advisories.answer import Answer
from advisories.errors import Location, PlaceError, QueryError
from advisories.evaluation import days_query, evaluate
from advisories.models import Day, Entry, zone
from advisories.regions import Region
from advisories.ruleset import RuleSet

MAX_LEGS = 50
MAX_LEG_DAYS = 366


class Leg(Entry):
    """One stay: a place and the local days spent there, both included."""

    place: str = Field(min_length=1, max_length=200)
    from_: Day = Field(alias="from")
    to: Day
    travellers: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        if (self.to - self.from_).days >= MAX_LEG_DAYS:
            raise ValueError(f"a leg lasts at most {MAX_LEG_DAYS} days; split it")
        return self


class Trip(Entry):
    """A trip file: an optional title and travellers, and the legs in order."""

    title: str | None = Field(default=None, max_length=200)
    travellers: list[str] = Field(default_factory=list)
    legs: list[Leg] = Field(min_length=1, max_length=MAX_LEGS)


@dataclass(frozen=True)
class LegAnswer:
    """A leg with the region it resolved to and what is in force there during it."""

    number: int  # 1-based, as people count legs
    leg: Leg
    region: Region
    answer: Answer  # the leg's own days
    ahead: Answer  # the leg's days plus the look-ahead, for coming changes


@dataclass(frozen=True)
class TripAnswer:
    """Every leg answered, and the trip's first and last day."""

    trip: Trip
    legs: tuple[LegAnswer, ...]

    @property
    def first_day(self) -> date:
        return min(leg.leg.from_ for leg in self.legs)

    @property
    def last_day(self) -> date:
        return max(leg.leg.to for leg in self.legs)


def evaluate_trip(
    rules: RuleSet,
    trip: Trip,
    as_of: date,
    lookahead_days: int = 14,
    where: dict[int, Location] | None = None,
    timezone: str | None = None,
) -> TripAnswer:
    """Answer each leg over its days; `where` maps leg index to its place's file position."""
    legs = []
    for index, leg in enumerate(trip.legs):
        region = _resolve(rules, leg, (where or {}).get(index))
        tz = timezone or rules.gazetteer.timezone(region.code)
        if tz is None:
            raise QueryError(
                f"leg {index + 1}: {region.name} has no single timezone; give one with --tz"
            )
        zone(tz)
        answer = evaluate(rules, region, days_query(leg.from_, leg.to, tz), as_of)
        later = leg.to + timedelta(days=lookahead_days)
        ahead = evaluate(rules, region, days_query(leg.from_, later, tz), as_of)
        legs.append(LegAnswer(index + 1, leg, region, answer, ahead))
    return TripAnswer(trip, tuple(legs))


def _resolve(rules: RuleSet, leg: Leg, where: Location | None) -> Region:
    try:
        return rules.gazetteer.resolve(leg.place)
    except PlaceError as error:
        prefix = f"{where}: " if where is not None else ""
        raise PlaceError(f"{prefix}{error}") from None
