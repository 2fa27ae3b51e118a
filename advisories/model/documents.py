"""The documents a briefing reads besides the rules: trip files and organisation files.

What they mean, checked inside each document; `load.documents` reads them from disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from pydantic import Field, model_validator

from advisories.model.values import Day, Entry, Slug

MAX_LOGO_BYTES = 512_000
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


class Contact(Entry):
    """Someone travellers call: a duty phone, a security focal point."""

    name: str = Field(min_length=1, max_length=120)
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
    guidance: dict[Slug, str] = Field(default_factory=dict)  # extra guidance by restriction kind


@dataclass(frozen=True)
class Logo:
    """An organisation's logo: the data URL the HTML shows, and its bytes for the PDF fetcher."""

    url: str
    data: bytes

    @property
    def mime(self) -> str:
        return self.url.split(";")[0].removeprefix("data:")
