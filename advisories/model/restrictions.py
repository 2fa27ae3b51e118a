"""What an order bans, as the rule format writes it: a restriction with its threshold, hours,
sites, exemptions and other accounts, and what a `modify_restriction` amendment changes in it.

No I/O here; `model/rules.py` holds the orders and amendments these belong to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from advisories.model.time import format_day
from advisories.model.translations import Translatable, Translations
from advisories.model.values import Day, Entry, RegionCode, Slug, Weekday, no_duplicates


class Threshold(Entry):
    """The size from which a gathering is banned: `min_people: 5` or `more_than: 5`, as written."""

    min_people: int | None = Field(default=None, ge=1)
    more_than: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.min_people is None) == (self.more_than is None):
            raise ValueError("give exactly one of 'min_people' (N or more) or 'more_than' (over N)")
        return self

    @property
    def smallest_banned(self) -> int:
        """The smallest number of people that the ban covers."""
        return self.min_people if self.min_people is not None else (self.more_than or 0) + 1

    def bans(self, people: int) -> bool:
        return people >= self.smallest_banned

    def describe(self) -> str:
        if self.min_people is not None:
            return f"{self.min_people} or more people"
        return f"more than {self.more_than} people"


class Window(Entry):
    """Hours in which a restriction applies: every day, on some weekdays, or on given dates;
    in all of the order's scope, or only in some of its `regions`.

    A window whose end is not after its start crosses midnight and belongs to the day it starts:
    `{days: [fri], from: '20:00', to: '06:00'}` runs from Friday 20:00 to Saturday 06:00;
    `{dates: [2025-07-06], from: '13:00', to: '22:00'}` holds on that one day only. Without
    `from` and `to` a window holds whole days: `{dates: [2025-07-05, 2025-07-06], regions:
    [PK-PB-LHR]}` is "on 9 and 10 Muharram in Lahore", as a notification gives different days
    to different districts.
    """

    days: list[Weekday] | None = None
    dates: list[Day] | None = None  # local days the window opens on, however far apart
    from_: time | None = Field(default=None, alias="from")
    to: time | None = None
    regions: list[RegionCode] | None = None  # where it holds: parts of the order's scope

    @field_validator("from_", "to")
    @classmethod
    def _naive(cls, value: time | None) -> time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("window times are local to the order's timezone; drop the offset")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if (self.from_ is None) != (self.to is None):
            raise ValueError(
                "give both 'from' and 'to', or neither for whole days (with 'days' or 'dates')"
            )
        if self.from_ is not None and self.from_ == self.to:
            raise ValueError(  # 00:00-00:00 too: a whole day is written without hours
                f"'from' and 'to' are both {self.from_:%H:%M}; for whole days leave both out "
                "(with 'days' or 'dates'), for all day every day leave 'windows' out"
            )
        if self.days == []:
            raise ValueError(
                "'days' is empty; name at least one day, or leave it out for every day"
            )
        if self.dates == []:
            raise ValueError("'dates' is empty; name at least one date, or leave it out")
        if self.regions == []:
            raise ValueError("'regions' is empty; name at least one, or leave it out")
        if self.days is not None and self.dates is not None:
            raise ValueError("give 'days' (weekdays) or 'dates', not both")
        if self.from_ is None and self.days is None and self.dates is None:
            raise ValueError(
                "a window of whole days needs 'days' or 'dates'; for a restriction that holds "
                "all day everywhere, leave 'windows' out"
            )
        if self.dates is not None:
            no_duplicates([d.isoformat() for d in self.dates], "date")
        if self.regions is not None:
            no_duplicates(self.regions, "region")
        return self

    @property
    def opens(self) -> time:
        return self.from_ or time(0)

    @property
    def closes(self) -> time:
        return self.to or time(0)

    def describe(self, place_name: Callable[[str], str] = str) -> str:
        hours = "whole day" if self.from_ is None else f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        if self.dates is not None:
            when = f"{hours} on {', '.join(format_day(d) for d in sorted(self.dates))}"
        elif self.days is None:
            when = f"daily {hours}"
        else:
            when = f"{', '.join(d.capitalize() for d in self.days)} {hours}"
        if self.regions is None:
            return when
        return f"{when} in {', '.join(place_name(code) for code in self.regions)}"


class Site(Entry):
    """Where inside its regions a restriction holds, as the notification says: on named roads,
    in public places, in a named zone, along procession routes, at premises, or in the urban
    areas of a district (its cities and towns, not its villages)."""

    type: Literal["roads", "public_places", "zone", "route", "premises", "urban_areas", "other"]
    name: str | None = Field(default=None, min_length=1)  # "N-25 Karachi-Quetta highway"

    @model_validator(mode="after")
    def _named(self) -> Self:
        if self.name is None and self.type in _NAME_NEEDED:
            raise ValueError(f"a site of type {self.type!r} needs a 'name' (which {self.type}?)")
        return self

    def describe(self) -> str:
        """'on the N-25 Karachi-Quetta highway', 'in public places', 'in the Red Zone'."""
        name = self.name
        match self.type:
            case "roads":
                return f"on {name}" if name else "on roads and highways"
            case "public_places":
                return "in public places" + (f" ({name})" if name else "")
            case "urban_areas":
                return "in urban areas only" + (f": {name}" if name else "")
            case "route":
                return f"along {name}"
            case "premises":
                return f"at {name}"
            case _:  # zone, other
                return f"in {name}"


_NAME_NEEDED = frozenset(("zone", "route", "premises", "other"))


class Exemption(Translatable):
    """Who or what an order exempts; `proposed` ones are reported only, never applied."""

    TRANSLATABLE = ("text",)

    text: str = Field(min_length=1)
    status: Literal["confirmed", "proposed"]
    sources: list[Slug] = Field(default_factory=list)
    translations: Translations | None = None  # by language, as TRANSLATABLE


class Dispute(Entry):
    """Another account of a fact, from other sources: kept beside the one the rule states (and
    evaluates), never chosen between silently. `about` names the fact in question."""

    about: Literal[
        "start", "end", "hours", "threshold", "regions", "restrictions", "exemptions", "other"
    ]
    claim: str = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)


class Restriction(Translatable):
    """One thing an order bans, of a kind from the registry."""

    TRANSLATABLE = ("text", "guidance", "note")

    id: Slug
    kind: Slug
    text: str | None = None
    threshold: Threshold | None = None
    windows: list[Window] = Field(default_factory=list)
    within: list[Site] = Field(default_factory=list)  # where inside the regions; empty: all
    exemptions: list[Exemption] = Field(default_factory=list)
    guidance: str | None = None
    sources: list[Slug] = Field(default_factory=list)
    note: str | None = None
    disputes: list[Dispute] = Field(default_factory=list)  # about this restriction alone
    translations: Translations | None = None  # by language, as TRANSLATABLE


class RestrictionChange(Translatable):
    """What a `modify_restriction` amendment changes in a restriction; what it leaves out stays.

    `windows: []` drops the hours (the restriction then holds all day); `within: []` makes it
    hold in all of its regions; `exemptions: []` drops the restriction's own exemptions. A
    list, when given, replaces the old one whole. Translations of the text and guidance it
    gives replace the old ones; without them, the new English has none.
    """

    TRANSLATABLE = ("text", "guidance")

    text: str | None = Field(default=None, min_length=1)
    threshold: Threshold | None = None
    windows: list[Window] | None = None
    within: list[Site] | None = None
    exemptions: list[Exemption] | None = None
    guidance: str | None = Field(default=None, min_length=1)
    translations: Translations | None = None  # by language, as TRANSLATABLE

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.changed():
            raise ValueError(
                "say what changes: 'text', 'threshold', 'windows', 'within', 'exemptions' or "
                "'guidance'"
            )
        return self

    def changed(self) -> list[str]:
        """The fields this change gives, in the order written above."""
        return [name for name in _CHANGEABLE if getattr(self, name) is not None]


_CHANGEABLE = ("text", "threshold", "windows", "within", "exemptions", "guidance")
