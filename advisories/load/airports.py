"""IATA airport codes, as travel bookings name places: KHI, UET, GWD.

From `airportsdata` (a maintained table of nearly every airport, with the city each serves):
a code becomes the query 'City, CC' that the gazetteer resolves like any place name.
"""

from __future__ import annotations

import re
from functools import cache

import airportsdata

_CODE = re.compile(r"[A-Z]{3}")


@cache
def _iata() -> dict[str, airportsdata.Airport]:
    return airportsdata.load("IATA")


def airport_place(text: str) -> str | None:
    """'Quetta, PK' for 'UET'; None for what is not an IATA code we know."""
    if not _CODE.fullmatch(text):
        return None
    found = _iata().get(text)
    if found is None or not found["city"]:
        return None
    return f"{found['city']}, {found['country']}"
