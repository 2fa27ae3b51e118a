"""ISO 3166 countries and subdivisions, read from the data files that pycountry ships.

Building pycountry's own objects costs more than a whole `advisory check` may take, so we
read its JSON databases (the Debian iso-codes data) directly and keep only what we use.
The single timezone of a country comes from the IANA `zone.tab` shipped by `tzdata`.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

from advisories.model.regions import ISO_SOURCE, Region


def iso_regions() -> list[Region]:
    """Every ISO 3166-1 country and ISO 3166-2 subdivision as a Region."""
    databases = _pycountry_databases()
    countries = json.loads((databases / "iso3166-1.json").read_text("utf-8"))["3166-1"]
    subdivisions = json.loads((databases / "iso3166-2.json").read_text("utf-8"))["3166-2"]
    zones = single_zone_by_country()
    regions = [
        Region(
            code=c["alpha_2"],
            name=c.get("common_name", c["name"]),
            type="Country",
            parent=None,
            aliases=tuple(
                n for n in (c["name"], c.get("official_name"), c["alpha_3"]) if n is not None
            ),
            source=ISO_SOURCE,
            timezone=zones.get(c["alpha_2"]),
        )
        for c in countries
    ]
    regions += [
        Region(
            code=s["code"],
            name=s["name"],
            type=s["type"],
            parent=s.get("parent") or s["code"].split("-")[0],
            aliases=(),
            source=ISO_SOURCE,
            timezone=None,
        )
        for s in subdivisions
    ]
    return regions


def data_files() -> list[Path]:
    """The files this module reads, so that caches can notice when they change."""
    databases = _pycountry_databases()
    return [databases / "iso3166-1.json", databases / "iso3166-2.json", _zone_table()]


def single_zone_by_country() -> dict[str, str]:
    """Countries that have exactly one IANA timezone, with that zone."""
    table = _zone_table().read_text("utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line and not line.startswith("#")]
    counts = Counter(row[0] for row in rows)
    return {row[0]: row[2] for row in rows if counts[row[0]] == 1}


def _zone_table() -> Path:
    return Path(str(files("tzdata").joinpath("zoneinfo/zone.tab")))


def _pycountry_databases() -> Path:
    spec = find_spec("pycountry")
    if spec is None or spec.origin is None:
        raise RuntimeError("pycountry is not installed; run 'make demo' to set up")
    return Path(spec.origin).parent / "databases"
