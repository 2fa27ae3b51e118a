"""The documents a briefing reads besides the rules: trip files and organisation files.

What they mean, checked inside each document; `load.documents` reads them from disk. The
limits of what one briefing may hold are here too, in one place (docs/security.md says why):
a render's time grows faster than what it shows, so each list a briefing prints is capped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from advisories.model.values import Day, Entry, Slug

MAX_LOGO_BYTES = 512_000
MAX_LEGS = 50  # legs of a trip
MAX_LEG_DAYS = 366  # days of a leg
MAX_TRAVELLERS = 100  # names in a trip's or a leg's list of travellers
MAX_CONTACTS = 40  # contacts of an organisation
MAX_NAME = 120  # characters of a traveller's or a contact's name
MAX_NOTE = 2000  # characters of a leg's note or of an organisation's guidance for a kind
# What one briefing shows, over all its legs: real ones show a few dozen restrictions and a
# couple of hundred changes over a year of a province; beyond these a render takes minutes.
MAX_BRIEFING_RESTRICTIONS = 300
MAX_BRIEFING_CHANGES = 1000
# A trip's days, over all its legs (a leg may not be longer than MAX_LEG_DAYS either).
MAX_TRIP_DAYS = 3 * 366


def few_travellers(names: list[str]) -> list[str]:
    """`names`, when there are at most MAX_TRAVELLERS of them."""
    if len(names) > MAX_TRAVELLERS:
        raise ValueError(
            f"{len(names)} travellers; a briefing lists at most {MAX_TRAVELLERS}: "
            "name teams rather than people, or split the trip"
        )
    return names


Traveller = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


class Leg(Entry):
    """One stay: a place and the local days spent there, both included."""

    place: str = Field(min_length=1, max_length=200)
    from_: Day = Field(alias="from")
    to: Day
    travellers: list[Traveller] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("travellers")
    @classmethod
    def _few_travellers(cls, names: list[str]) -> list[str]:
        return few_travellers(names)

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
    travellers: list[Traveller] = Field(default_factory=list)
    legs: list[Leg] = Field(min_length=1, max_length=MAX_LEGS)

    @field_validator("travellers")
    @classmethod
    def _few_travellers(cls, names: list[str]) -> list[str]:
        return few_travellers(names)

    @model_validator(mode="after")
    def _not_too_long(self) -> Self:
        days = sum((leg.to - leg.from_).days + 1 for leg in self.legs)
        if days > MAX_TRIP_DAYS:
            raise ValueError(
                f"the legs span {days} days in all; a trip lasts at most {MAX_TRIP_DAYS}: "
                "split it into several trips"
            )
        return self


class Contact(Entry):
    """Someone travellers call: a duty phone, a security focal point."""

    name: str = Field(min_length=1, max_length=MAX_NAME)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=60)
    email: str | None = Field(default=None, max_length=120)


class Organisation(Entry):
    """What an organisation adds to its briefings. `logo` is a PNG or JPEG beside the file."""

    name: str = Field(min_length=1, max_length=120)
    logo: str | None = Field(
        default=None, pattern=r"^[^/\\][^\\]*\.([pP][nN][gG]|[jJ][pP][eE]?[gG])$"
    )
    marking: str | None = Field(default=None, max_length=80)
    contacts: list[Contact] = Field(default_factory=list)
    # extra guidance by restriction kind
    guidance: dict[Slug, Annotated[str, Field(max_length=MAX_NOTE)]] = Field(default_factory=dict)

    @field_validator("contacts")
    @classmethod
    def _few_contacts(cls, contacts: list[Contact]) -> list[Contact]:
        if len(contacts) > MAX_CONTACTS:
            raise ValueError(
                f"{len(contacts)} contacts; a briefing lists at most {MAX_CONTACTS}: keep "
                "those travellers call, and point to a directory for the rest"
            )
        return contacts


@dataclass(frozen=True)
class Logo:
    """An organisation's logo: the data URL the HTML shows, and its bytes for the PDF fetcher."""

    url: str
    data: bytes

    @property
    def mime(self) -> str:
        return self.url.split(";")[0].removeprefix("data:")
