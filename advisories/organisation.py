"""An organisation file (`--org`): name, logo, handling marking, contacts and extra guidance."""

from __future__ import annotations

from pydantic import Field

from advisories.models import Entry, Slug

MAX_LOGO_BYTES = 512_000


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
