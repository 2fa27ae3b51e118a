"""Trips: legs of (place, first day, last day), each answered as a range, plus what changes.

Pure: the trip file is read by `load.documents`; here its legs are resolved against the
gazetteer and evaluated one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, PlaceError, QueryError, literal
from advisories.evaluation.answer import Answer
from advisories.evaluation.evaluator import Evaluator, evaluator_of
from advisories.evaluation.query import Days, days_query, timezone_of
from advisories.model.documents import Leg, Trip
from advisories.model.regions import Region


@dataclass(frozen=True)
class LegAnswer:
    """A leg with the region it resolved to and what is in force there during it."""

    number: int  # 1-based, as people count legs
    leg: Leg
    region: Region
    answer: Answer  # the leg's own days
    ahead: Answer  # the leg's days plus the look-ahead, for coming changes
    airport: str | None = None  # the airport code the leg was given as, if it was

    @property
    def name(self) -> str:
        """'Quetta', or 'Quetta (UET)' for a leg booked by its airport."""
        return self.region.name if self.airport is None else f"{self.region.name} ({self.airport})"


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


def place_trip(place: str, days: Days) -> Trip:
    """A trip of one leg: `place` over `days` (a briefing for a place is one)."""
    try:
        return Trip(
            legs=[Leg.model_validate({"place": place, "from": days.first, "to": days.last})]
        )
    except ValidationError as error:
        where, reason = _first_problem(error)
        where = f"{where.rpartition('.')[2]}: " if where else ""
        raise QueryError(literal(f"{where}{reason} (check the place and the dates)")) from None


def read_trip(data: Mapping[str, Any]) -> Trip:
    """A trip sent as data (a request body), checked as a trip file is; its first problem,
    located ('legs.0.to: ...'), as a QueryError."""
    try:
        return Trip.model_validate(data)
    except ValidationError as error:
        where, reason = _first_problem(error)
        raise QueryError(literal(f"{where or 'trip'}: {reason}"), "body") from None


def _first_problem(error: ValidationError) -> tuple[str, str]:
    """Where pydantic's first complaint is ('legs.0.to', '' for the whole) and what it says."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return where, str(first["msg"]).removeprefix("Value error, ")


def evaluate_trip(
    rules: RuleSet | Evaluator,
    trip: Trip,
    as_of: date,
    lookahead_days: int = 14,
    where: Mapping[int, Location] | None = None,
    timezone: str | None = None,
    airports: Callable[[str], str | None] | None = None,
) -> TripAnswer:
    """Answer each leg over its days, and over them plus `lookahead_days` for coming changes.

    `where` maps a leg's index to where its place was written (a trip file), for messages;
    `timezone` is for places that have none of their own; `airports` turns an airport code
    that is no region code ('UET') into the place it serves ('Quetta, PK').
    """
    evaluator = evaluator_of(rules)
    gazetteer = evaluator.rules.gazetteer
    legs = []
    for index, leg in enumerate(trip.legs):
        served = None
        if airports is not None and gazetteer.get(leg.place) is None:
            served = airports(leg.place)
        try:
            region = gazetteer.resolve(served or leg.place)
        except PlaceError as error:
            found = (where or {}).get(index)
            raise (error if found is None else error.located(found)) from None
        try:
            tz = timezone_of(gazetteer, region, timezone)
        except QueryError as error:
            if error.parameter is not None:  # the timezone given for the trip: not the leg's
                raise
            raise QueryError(f"leg {index + 1}: {error.reason}") from None
        answer = evaluator.evaluate(region, days_query(leg.from_, leg.to, tz), as_of)
        later = leg.to + timedelta(days=lookahead_days)
        ahead = evaluator.evaluate(region, days_query(leg.from_, later, tz), as_of)
        airport = leg.place if served is not None else None
        legs.append(LegAnswer(index + 1, leg, region, answer, ahead, airport))
    return TripAnswer(trip, tuple(legs))
