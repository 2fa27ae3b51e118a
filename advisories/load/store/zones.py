"""The timezone data a compiled RuleSet was built with, so that the cache notices new data.

Compiling reads the zone of every order (its local days become instants), and zoneinfo
takes that zone from the first folder of TZPATH (the system's zone files, or PYTHONTZPATH)
that holds it, else from the `tzdata` package. A stamp of the tzdata package alone misses
an update of the system's files, so an entry records the zones its orders name and a digest
of those files, found as zoneinfo finds them, and holds only while the digest does.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from importlib.resources import files
from pathlib import Path

from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, Problem
from advisories.load.files import named_digest, read_capped


def zones_used(rules: RuleSet) -> list[str]:
    """The zones a freshly built RuleSet's orders are compiled in, sorted."""
    return sorted({order.timezone for order in rules.orders.values()})


def zone_files_digest(names: Iterable[str]) -> str:
    """A digest of each zone's file, taken from where zoneinfo would read it (or noted missing)."""
    return named_digest((name, _zone_file(name)) for name in names)


def _zone_file(name: str) -> bytes:
    for folder in _search_path():
        candidate = folder / name
        if candidate.is_file():
            return _read(candidate)
    try:
        return _read(Path(str(files("tzdata").joinpath("zoneinfo", *name.split("/")))))
    except ModuleNotFoundError:
        return b"missing"


def _search_path() -> Sequence[Path]:
    # Read from the module each time: zoneinfo.reset_tzpath replaces it.
    return [Path(folder) for folder in zoneinfo.TZPATH]


def _read(path: Path) -> bytes:
    read = read_capped(path, _MAX_ZONE_BYTES, Location(str(path)))
    return b"unreadable" if isinstance(read, Problem) else read  # zoneinfo fails on it too


_MAX_ZONE_BYTES = 1_000_000  # a zone file is a few kilobytes
