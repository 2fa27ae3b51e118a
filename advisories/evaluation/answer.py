"""What an evaluation answers; its JSON form (`to_json`) is documented in docs/json.md.

Plain dataclasses rather than pydantic models: answers are built by our own code, never
parsed, and `advisory check` starts faster without building validators for them. Frozen,
but for the two made by the hundred for a country-wide question (RestrictionOut, AmendmentOut):
a frozen dataclass sets each field through object.__setattr__, several times slower.

Parts that show analysts' text carry `translations`: by language, the same part's fields in
that language, where the rules give them (a field left out is shown in English). They are
read-only mappings that answers share; most rules have none, and share `NO_TRANSLATIONS`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field

from advisories.compile.timeline import Done
from advisories.model.time import zone
from advisories.model.values import Verification


def to_json(answer: Answer, indent: int | None = 2) -> str:
    """The answer as JSON, indented for people (None: compact, for programs): times in ISO
    8601 with their offset, text as UTF-8.

    Each dataclass is written field by field as the encoder meets it, which gives what
    `asdict` would without its deep copy of every value first (most of the cost of a web
    answer)."""
    separators = None if indent is not None else (",", ":")
    return json.dumps(
        answer, indent=indent, separators=separators, ensure_ascii=False, default=json_default
    )


def iso_default(value: Any) -> str:
    """For json.dumps: dates and times in ISO 8601, with their offset."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_default(value: Any) -> Any:
    """For json.dumps: a dataclass as the mapping of its fields (but those marked
    NOT_WRITTEN), dates as iso_default."""
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(
            f.name for f in fields(value) if f.metadata.get("written", True)
        )
    if names is not None:
        return {name: getattr(value, name) for name in names}
    return iso_default(value)


_FIELDS: dict[type, tuple[str, ...]] = {}
# A field's metadata for what the answer carries for its readers in this package (a briefing
# in another language) and not in its JSON, which says the same in its own fields; such a
# field is also annotated Field(exclude=True), for the schemas pydantic draws (docs/, OpenAPI).
NOT_WRITTEN = {"written": False}


# language -> field of the part it belongs to -> that field's text in the language
Translated = Mapping[str, Mapping[str, str]]
NO_TRANSLATIONS: Translated = {}  # shared, never changed: the type has no way to change it

Status = Literal["in_force", "partial"]  # in force in all of the asked region, or in part
RelationName = Literal["same", "contains", "inside"]  # model.regions.Relation's values


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    type: str
    path: list[str]  # names from the country down to the region


@dataclass(frozen=True)
class QuerySpan:
    kind: Literal["instant", "day", "range"]
    start: datetime
    end: datetime  # exclusive; equal to start for an instant
    timezone: str

    def local_days(self) -> tuple[date, date]:
        """The first and last local day the question covers (the same day for an instant)."""
        tz = zone(self.timezone)
        first = self.start.astimezone(tz).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(tz).date()
        return first, max(first, last)


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    publisher: str
    published: date | None
    url: str | None
    file: str | None


@dataclass(frozen=True)
class ThresholdOut:
    min_people: int  # the smallest number of people the ban covers
    as_written: str


@dataclass(frozen=True)
class HoursOut:
    """A window of hours as the rules give it (`windows` words it in English): every day, on
    some weekdays, or on some dates; in all of the matched region or in some places only."""

    days: tuple[str, ...] | None  # mon ... sun; None: every day (or `dates`)
    dates: tuple[date, ...] | None
    opens: time | None  # None: whole days
    closes: time | None
    places: tuple[str, ...] | None  # the names of the places it holds in; None: everywhere


@dataclass(frozen=True)
class ExemptionOut:
    text: str
    status: Literal["confirmed", "proposed"]
    applies: bool  # proposed exemptions are reported, never applied
    order_wide: bool  # given for the whole order (weddings, funerals), not this restriction
    # of `text`; what the text is decides them, so they never tell two apart (and a dict
    # would make the part unhashable)
    translations: Translated = field(compare=False)


@dataclass(frozen=True)
class SiteOut:
    """Where inside its regions a restriction holds (on roads, in public places, a zone)."""

    type: str  # roads, public_places, zone, route, premises, urban_areas or other
    name: str | None
    description: str  # "on the N-25 Karachi-Quetta highway"
    order_wide: bool  # given for the whole order, not this restriction alone


@dataclass(frozen=True)
class CorrectionOut:
    """A fix of our record of the order (not a change the authority made)."""

    id: str
    recorded: date
    summary: str
    sources: list[SourceRef]
    translations: Translated  # of `summary`


@dataclass(frozen=True)
class DisputeOut:
    """Another account of a fact than the one evaluated, with its sources."""

    about: str  # start, end, threshold, regions, restrictions, exemptions or other
    claim: str
    sources: list[SourceRef]
    order_wide: bool  # about the whole order, not this restriction alone


@dataclass(slots=True)
class AmendmentOut:
    id: str
    action: str
    announced: date
    effective: datetime
    summary: str
    sources: list[SourceRef]
    verification: Verification
    authority: str | None  # the amendment's own; None: the order's
    legal_basis: str | None
    note: str | None
    disputes: list[DisputeOut]  # other accounts of this change (an end one report gives)
    translations: Translated  # of `note`; `summary` is our own wording, not the rules'
    # `summary` in parts, for a briefing in another language
    done: Annotated[Done, Field(exclude=True)] = field(default=Done("other"), metadata=NOT_WRITTEN)


@dataclass(frozen=True)
class PeriodOut:
    start: datetime
    end: datetime | None  # exclusive; None means until further notice
    status: Status
    matched_region: str


@dataclass(frozen=True)
class Match:
    """Which region of the order's scope matched, and how it relates to the asked region."""

    code: str
    name: str
    relation: RelationName


@dataclass(slots=True)
class RestrictionOut:
    id: str  # order id / restriction id
    order: str
    order_title: str
    kind: str
    label: str
    text: str
    status: Status
    start: datetime
    end: datetime | None
    end_event: str | None  # the end as the order words it, when it is an event; `end` assumed
    end_assumption: str | None  # why `end` is where it is, then
    periods: list[PeriodOut]
    timezone: str
    as_written: str | None
    windows: list[str]
    within: list[SiteOut]  # where inside the matched region; empty: all of it
    threshold: ThresholdOut | None
    exemptions: list[ExemptionOut]
    advice: str
    guidance: str
    authority: str
    legal_basis: str | None
    penalty: str | None
    matched_region: Match
    sources: list[SourceRef]
    verification: Verification
    review_by: date | None
    stale: bool
    amendments: list[AmendmentOut]
    corrections: list[CorrectionOut]
    disputes: list[DisputeOut]
    note: str | None
    explanation: str
    # of order_title, label, text, advice, guidance, note and penalty: each translation is of
    # the English shown (the text's, else the kind label's), never of text it replaced
    translations: Translated
    # `windows` as the rules give them, for a briefing in another language
    hours: Annotated[list[HoursOut], Field(exclude=True)] = field(
        default_factory=list, metadata=NOT_WRITTEN
    )


@dataclass(frozen=True)
class UnreportedOut:
    """An order in force whose contents (or some of them) were not reported: what it bans is
    unknown, so nothing is made up; check locally."""

    order: str
    order_title: str
    contents: Literal["not_reported", "partly_reported"]
    status: Status
    start: datetime
    end: datetime | None
    timezone: str
    authority: str
    legal_basis: str | None
    as_written: str | None
    sources: list[SourceRef]
    verification: Verification
    stale: bool
    note: str | None  # the order's note: why so little is known, what to check
    explanation: str
    translations: Translated  # of order_title and note


@dataclass(frozen=True)
class Change:
    at: datetime
    event: Literal["starts", "ends", "amended"]
    restriction: str
    label: str
    summary: str
    translations: Translated = field(compare=False)  # of `label`; as ExemptionOut's
    # an amendment's `summary` in parts, as AmendmentOut's
    done: Annotated[Done, Field(exclude=True)] = field(
        default=Done("other"), compare=False, metadata=NOT_WRITTEN
    )


@dataclass(frozen=True)
class ContextOut:
    id: str
    date: date
    title: str
    summary: str
    regions: list[str]
    sources: list[SourceRef]
    verification: Verification


@dataclass(frozen=True)
class CoverageOut:
    """Whether the rules monitor the asked region: a place nobody monitors has no rules, which
    says nothing about what is in force there.

    Immutable throughout (tuples, not lists), so that answers may share one.
    """

    status: Literal["monitored", "partly_monitored", "not_monitored"]
    checked_from: date | None  # the first day orders were looked for; None: no first day
    checked_as_of: date | None  # the last day orders were looked for (the freshest check)
    stale: bool  # that check is past its review
    checked_by: str | None
    regions: tuple[str, ...]  # the monitored regions that concern the asked one
    kinds: tuple[str, ...] | None  # the kinds monitored there; None: every kind
    note: str | None
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Answer:
    """What is in force for one region over one instant, day or range."""

    region: RegionRef
    query: QuerySpan
    rules_version: str
    as_of: date  # the day staleness is judged against
    coverage: CoverageOut
    restrictions: list[RestrictionOut]
    unreported: list[UnreportedOut]  # orders in force whose contents were not (all) reported
    changes: list[Change]
    context: list[ContextOut]
