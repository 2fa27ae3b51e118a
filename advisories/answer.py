"""What an evaluation answers, as models whose JSON form is documented in docs/json.md."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from advisories.models import Verification


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class RegionRef(Out):
    code: str
    name: str
    type: str
    path: list[str]  # names from the country down to the region


class QuerySpan(Out):
    kind: Literal["instant", "day", "range"]
    start: datetime
    end: datetime  # exclusive; equal to start for an instant
    timezone: str


class SourceRef(Out):
    id: str
    title: str
    publisher: str
    published: date | None
    url: str | None
    file: str | None


class ThresholdOut(Out):
    min_people: int  # the smallest number of people the ban covers
    as_written: str


class ExemptionOut(Out):
    text: str
    status: Literal["confirmed", "proposed"]
    applies: bool  # proposed exemptions are reported, never applied


class AmendmentOut(Out):
    id: str
    action: str
    announced: date
    effective: datetime
    summary: str
    sources: list[SourceRef]
    verification: Verification


class PeriodOut(Out):
    start: datetime
    end: datetime | None  # exclusive; None means until further notice
    status: Literal["in_force", "partial"]
    matched_region: str


class Match(Out):
    """Which region of the order's scope matched, and how it relates to the asked region."""

    code: str
    name: str
    relation: Literal["same", "contains", "inside"]


class RestrictionOut(Out):
    id: str  # order id / restriction id
    order: str
    order_title: str
    kind: str
    label: str
    text: str
    status: Literal["in_force", "partial"]
    start: datetime
    end: datetime | None
    periods: list[PeriodOut]
    timezone: str
    as_written: str | None
    windows: list[str]
    threshold: ThresholdOut | None
    exemptions: list[ExemptionOut]
    advice: str
    guidance: str
    authority: str
    legal_basis: str | None
    matched_region: Match
    sources: list[SourceRef]
    verification: Verification
    review_by: date | None
    stale: bool
    amendments: list[AmendmentOut]
    note: str | None
    explanation: str


class Change(Out):
    at: datetime
    event: Literal["starts", "ends", "amended"]
    restriction: str
    label: str
    summary: str


class ContextOut(Out):
    id: str
    date: date
    title: str
    summary: str
    regions: list[str]
    sources: list[SourceRef]
    verification: Verification


class Answer(Out):
    """What is in force for one region over one instant, day or range."""

    region: RegionRef
    query: QuerySpan
    rules_version: str
    as_of: date  # the day staleness is judged against
    restrictions: list[RestrictionOut]
    changes: list[Change]
    context: list[ContextOut]
