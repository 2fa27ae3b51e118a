"""The rule format as pydantic models: sources, orders, amendments, context, places, kinds.

These models are what a YAML rule file means. They check everything that can be checked inside
one entry (exactly one way to give a start, end after start, a real timezone); checks that need
the whole tree (unknown regions, amendments of missing orders) live in `compile/`.
No I/O here; `load/reader.py` turns YAML into these.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    Field,
    field_validator,
    model_validator,
)

from advisories.model.restrictions import Dispute, Exemption, Restriction, RestrictionChange, Site
from advisories.model.time import ends_by, parse_duration, zone
from advisories.model.translations import Translatable, Translations
from advisories.model.values import (
    Day,
    Entry,
    PlausibleInstant,
    RegionCode,
    Slug,
    Verification,
    no_duplicates,
)


class Source(Entry):
    """A document that rules cite: a notification, a news report, a file in `seeds/`."""

    id: Slug
    title: str
    publisher: str
    published: Day | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    file: Annotated[str, Field(pattern=r"^seeds/[^/\\]+$")] | None = None
    original_name: str | None = None

    @model_validator(mode="after")
    def _url_or_file(self) -> Self:
        if self.url is None and self.file is None:
            raise ValueError("a source needs a 'url' or a 'file' (under seeds/)")
        return self


class StartSpec(Entry):
    """Where a period begins: a first local day, or an instant with its offset."""

    first_day: Day | None = None
    start: PlausibleInstant | None = None

    @field_validator("start")
    @classmethod
    def _aware_start(cls, value: datetime | None) -> datetime | None:
        return _aware(value, "first_day")


class EndSpec(Entry):
    """Where a period ends: a last local day, a duration, an instant, or until further notice."""

    last_day: Day | None = None
    duration: str | None = None
    end: PlausibleInstant | None = None
    until_further_notice: bool = False

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("end")
    @classmethod
    def _aware_end(cls, value: datetime | None) -> datetime | None:
        return _aware(value, "last_day")

    def end_fields_given(self) -> list[str]:
        given = [n for n in ("last_day", "duration", "end") if getattr(self, n) is not None]
        return [*given, "until_further_notice"] if self.until_further_notice else given


class Validity(StartSpec, EndSpec):
    """When an order is in force, in its own timezone, with the wording kept as written.

    An order that ends with an event ("until the processions end") keeps those words in
    `until_event`; its end field is then the analyst's assumption, stated in `assumption`,
    and every answer shows it as assumed.
    """

    as_written: str | None = None
    until_event: str | None = Field(default=None, min_length=1)
    assumption: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_start_one_end(self) -> Self:
        if (self.first_day is None) == (self.start is None):
            raise ValueError("give exactly one of 'first_day' (a date) or 'start' (with offset)")
        ends = self.end_fields_given()
        if len(ends) != 1:
            raise ValueError(
                "give exactly one of 'last_day', 'duration', 'end' or "
                f"'until_further_notice: true' (got {', '.join(ends) or 'none'})"
            )
        _check_order(self.first_day, self.start, self.last_day, self.end)
        if self.duration is not None:  # its end too lies in the years rules cover
            ends_by(parse_duration(self.duration), self.start or self.first_day)
        if (self.until_event is None) != (self.assumption is None):
            raise ValueError(
                "'until_event' (the end as the order words it) and 'assumption' (why the end "
                "field says when) go together"
            )
        return self


class Order(Translatable):
    """An order issued by an authority: where, when, and the restrictions it holds."""

    TRANSLATABLE = ("title", "note", "penalty")

    id: Slug
    title: str
    authority: str
    legal_basis: str | None = None
    announced: Day
    timezone: str
    regions: list[RegionCode] = Field(min_length=1)
    exclude_regions: list[RegionCode] = Field(default_factory=list)
    validity: Validity
    # What the reports say of its contents: all of them, some (the restrictions given are
    # those reported), or none (no restrictions are given: answers say an order is in force
    # whose contents are unknown, and never make one up).
    contents: Literal["reported", "partly_reported", "not_reported"] = "reported"
    restrictions: list[Restriction] = Field(default_factory=list)
    within: list[Site] = Field(default_factory=list)  # where inside the regions, for all of them
    exemptions: list[Exemption] = Field(default_factory=list)  # for every restriction of it
    disputes: list[Dispute] = Field(default_factory=list)  # about the order as a whole
    sources: list[Slug] = Field(min_length=1)
    verification: Verification
    review_by: Day | None = None
    note: str | None = None
    penalty: str | None = None  # what breaking it costs, as the notification says
    translations: Translations | None = None  # by language, as TRANSLATABLE

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @model_validator(mode="after")
    def _unique_restrictions(self) -> Self:
        no_duplicates([r.id for r in self.restrictions], "restriction id")
        if self.contents == "not_reported" and self.restrictions:
            raise ValueError(
                "an order whose contents were not reported lists no restrictions; "
                "use 'contents: partly_reported' for those that were"
            )
        if self.contents != "not_reported" and not self.restrictions:
            raise ValueError(
                "give at least one restriction, or 'contents: not_reported' when the reports "
                "do not say what the order bans"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)


Action = Literal[
    "extend",
    "lift",
    "revoke",
    "add_restriction",
    "remove_restriction",
    "modify_restriction",
    "change_scope",
]


class Amendment(StartSpec, EndSpec, Translatable):
    """A later change to an order, kept as its own entry so that history can be shown.

    extend: a new end (`last_day`, `duration`, `end`, `until_further_notice`); with a
        `first_day`/`start` after the current end it renews the order and leaves a gap.
    lift: ends the order early from `effective` (an instant) or `effective_day` (a local day).
    revoke: withdraws the order as if it had never been issued (a notification issued in error).
    add_restriction / remove_restriction: from `effective`/`effective_day`, or the order's start.
    modify_restriction: `changes` to the restrictions `restriction_ids` from `effective`/
        `effective_day` (else the day announced); each keeps its identity and its history.
    change_scope: new `regions` / `exclude_regions` from `effective`/`effective_day`.
    """

    TRANSLATABLE = ("note",)

    id: Slug
    order: Slug
    action: Action
    announced: Day
    effective: PlausibleInstant | None = None
    effective_day: Day | None = None
    restrictions: list[Restriction] = Field(default_factory=list)
    restriction_ids: list[Slug] = Field(default_factory=list)
    changes: RestrictionChange | None = None
    regions: list[RegionCode] = Field(default_factory=list)
    exclude_regions: list[RegionCode] = Field(default_factory=list)
    sources: list[Slug] = Field(min_length=1)
    verification: Verification
    review_by: Day | None = None
    as_written: str | None = None
    note: str | None = None
    authority: str | None = None  # who issued the amendment, when not the order's authority
    legal_basis: str | None = None  # under what it was issued, when the notification says
    disputes: list[Dispute] = Field(default_factory=list)  # other accounts of this change
    translations: Translations | None = None  # by language, as TRANSLATABLE

    @field_validator("effective")
    @classmethod
    def _aware_effective(cls, value: datetime | None) -> datetime | None:
        return _aware(value, "effective_day")

    @model_validator(mode="after")
    def _fields_fit_action(self) -> Self:
        allowed = _ACTION_FIELDS[self.action]
        # a field left out holds its default, which is never "given"
        written = self.model_fields_set & _OPTIONAL_AMENDMENT_FIELDS
        given = {n for n in written if _is_given(getattr(self, n))}
        stray = sorted(given - allowed)
        if stray:
            raise ValueError(
                f"'{self.action}' does not take {', '.join(repr(s) for s in stray)}; "
                f"it takes {', '.join(sorted(allowed)) or 'no further fields'}"
            )
        if self.effective is not None and self.effective_day is not None:
            raise ValueError("give 'effective' or 'effective_day', not both")
        if self.first_day is not None and self.start is not None:
            raise ValueError("give 'first_day' or 'start', not both")
        needs_effective = self.action in ("lift", "remove_restriction", "change_scope")
        if needs_effective and self.effective is None and self.effective_day is None:
            raise ValueError(f"'{self.action}' needs 'effective' (instant) or 'effective_day'")
        if self.action == "extend":
            ends = self.end_fields_given()
            if len(ends) != 1:
                raise ValueError(
                    "'extend' needs exactly one of 'last_day', 'duration', 'end' or "
                    "'until_further_notice: true'"
                )
            _check_order(self.first_day, self.start, self.last_day, self.end)
        if self.action == "add_restriction" and not self.restrictions:
            raise ValueError("'add_restriction' needs 'restrictions'")
        if self.action in ("remove_restriction", "modify_restriction") and not self.restriction_ids:
            raise ValueError(f"'{self.action}' needs 'restriction_ids'")
        if self.action == "modify_restriction" and self.changes is None:
            raise ValueError("'modify_restriction' needs 'changes' (what is new)")
        if self.action == "change_scope" and not self.regions:
            raise ValueError("'change_scope' needs 'regions'")
        return self


_OPTIONAL_AMENDMENT_FIELDS = frozenset((
    "first_day", "start", "last_day", "duration", "end", "until_further_notice",
    "effective", "effective_day", "restrictions", "restriction_ids", "changes", "regions",
    "exclude_regions",
))  # fmt: skip
_EFFECTIVE = {"effective", "effective_day"}
_ACTION_FIELDS: dict[str, set[str]] = {
    "extend": {"first_day", "start", "last_day", "duration", "end", "until_further_notice"},
    "lift": _EFFECTIVE,
    "revoke": set(),
    "add_restriction": {"restrictions", *_EFFECTIVE},
    "remove_restriction": {"restriction_ids", *_EFFECTIVE},
    "modify_restriction": {"restriction_ids", "changes", *_EFFECTIVE},
    "change_scope": {"regions", "exclude_regions", *_EFFECTIVE},
}


class Correction(Translatable):
    """A fix of our own record of an order (a date or a place recorded wrongly), not a change
    the authority made: dated, sourced, and shown in the order's history as a correction."""

    TRANSLATABLE = ("summary",)

    id: Slug
    order: Slug
    recorded: Day  # when the record was corrected
    summary: str = Field(min_length=1)  # what was wrong and what the source says
    sources: list[Slug] = Field(min_length=1)
    translations: Translations | None = None  # by language, as TRANSLATABLE


class ContextItem(Entry):
    """A dated, sourced note about events in a region, shown in the briefing's situation section."""

    id: Slug
    date: Day
    title: str
    summary: str
    regions: list[RegionCode] = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)
    verification: Verification
    relevant_from: Day | None = None
    relevant_until: Day

    @model_validator(mode="after")
    def _relevance_order(self) -> Self:
        if self.relevant_until < (self.relevant_from or self.date):
            raise ValueError("'relevant_until' is before the item's date / 'relevant_from'")
        return self


def _iso_duration(value: str) -> str:
    parse_duration(value)  # raises ValueError with an example
    return value


IsoDuration = Annotated[str, AfterValidator(_iso_duration)]


class Coverage(Entry):
    """What a rule tree monitors: these regions (and all inside them), for these kinds.

    A place no entry covers answers "not monitored", never "nothing in force".
    `checked_from` and `checked_as_of` are the first and last days for which the orders of
    these regions were looked for: a question about days before `checked_from` is not (or only
    partly) monitored. With `review_every`, the coverage is stale once that long has passed
    since `checked_as_of`.
    """

    id: Slug
    regions: list[RegionCode] = Field(min_length=1)
    kinds: list[Slug] | None = None  # None: every kind
    checked_from: Day | None = None  # None: every earlier day was looked at too
    checked_as_of: Day
    checked_by: str = Field(min_length=1, max_length=200)
    sources: list[Slug] = Field(min_length=1)
    review_every: IsoDuration | None = None  # such as P1M
    note: str | None = None

    @model_validator(mode="after")
    def _unique_entries(self) -> Self:
        if self.checked_from is not None and self.checked_from > self.checked_as_of:
            raise ValueError(
                f"checked_from {self.checked_from} is after checked_as_of {self.checked_as_of}"
            )
        no_duplicates(self.regions, "region")
        no_duplicates(self.kinds or [], "kind")
        return self


class Place(Entry):
    """A gazetteer entry below ISO 3166-2, or extra aliases for an ISO region (code only)."""

    code: RegionCode
    name: str | None = None
    type: str | None = None
    parent: RegionCode | None = None
    aliases: list[str] = Field(default_factory=list)
    names: dict[str, str] = Field(default_factory=dict)
    timezone: str | None = None
    source: Slug
    note: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone(value)
        return value

    @model_validator(mode="after")
    def _new_place_is_complete(self) -> Self:
        new_fields = [self.name, self.type, self.parent]
        if any(f is not None for f in new_fields) and any(f is None for f in new_fields):
            raise ValueError(
                "a new place needs 'name', 'type' and 'parent'; "
                "to add aliases to an ISO 3166 region give only 'code', 'aliases' and 'source'"
            )
        return self


class Kind(Translatable):
    """A kind of restriction: its plain-language label and default traveller guidance."""

    TRANSLATABLE = ("label", "advice", "guidance")

    id: Slug
    label: str
    advice: str
    guidance: str
    takes_threshold: bool = False
    translations: Translations | None = None  # by language, as TRANSLATABLE


class RuleFile(Entry):
    """One YAML file of a rule tree; every section is optional."""

    sources: list[Source] = Field(default_factory=list)
    kinds: list[Kind] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    orders: list[Order] = Field(default_factory=list)
    amendments: list[Amendment] = Field(default_factory=list)
    context: list[ContextItem] = Field(default_factory=list)
    coverage: list[Coverage] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)


def _aware(value: datetime | None, day_field: str) -> datetime | None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(
            "needs a UTC offset, e.g. 2026-02-01T14:00:00+05:00; "
            f"for a whole local day use '{day_field}' instead"
        )
    return value


def _check_order(
    first_day: date | None, start: datetime | None, last_day: date | None, end: datetime | None
) -> None:
    if first_day is not None and last_day is not None and last_day < first_day:
        raise ValueError(f"last_day {last_day} is before first_day {first_day}")
    if start is not None and end is not None and end <= start:
        raise ValueError(f"end {end.isoformat()} is not after start {start.isoformat()}")
    if start is not None and last_day is not None and last_day < start.date():
        raise ValueError(f"last_day {last_day} is before start {start.isoformat()}")
    if first_day is not None and end is not None and end.date() < first_day:
        raise ValueError(f"end {end.isoformat()} is before first_day {first_day}")


def _is_given(value: object) -> bool:
    return value not in (None, False, [], {})
