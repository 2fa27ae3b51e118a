"""A synthetic rule tree at world scale, deterministic from a seed, for benchmarks and tests.

`make_world(folder, restrictions, seed)` writes orders spread over every ISO 3166 subdivision
(and some countries and synthetic places) until they hold `restrictions` restrictions, with
what real trees have: every kind of the bundled registry, gatherings thresholds, curfew windows
(some crossing midnight, some weekly), validity as days, durations, instants with offsets and
until further notice, exclusions, amendments of every action, a gazetteer of synthetic places
below subdivisions (`PK-BA-G12`, towns `PK-BA-G12-T3`), context items and sources. Each order
is in a timezone of its country (any zone of it in tzdata's zone.tab). Each country has a folder
with its `gazetteer.yaml` and its `orders.yaml` (each order with its amendments, sources and
context), split into `orders-001.yaml`, ... at ~400 KB, far below the loader's 1,000,000 bytes.

    python bench/make_world.py 10000 /tmp/world   # then: advisory validate /tmp/world
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from datetime import timezone as fixed_offset
from importlib.resources import files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from advisories.load.iso3166 import iso_regions
from advisories.load.tree import bundled_rules_dir
from advisories.model.regions import Region
from advisories.model.time import parse_duration

FILE_BYTES = 400_000  # a new file is started once one reaches this size
FIRST_DAY = date(2024, 1, 1)  # orders start between these days, and may run on into 2028
LAST_FIRST_DAY = date(2027, 10, 31)
_Entry = dict[str, Any]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a value twice rather than as an anchor and alias, which rule files refuse."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_TEXTS: dict[str, list[str]] = {
    "weapons": ["Display and carrying of weapons in public", "Aerial firing and brandishing arms"],
    "pillion-riding": ["Pillion riding on motorcycles", "Two people on one motorcycle"],
    "window-tint": ["Vehicles with tinted or blackened windows"],
    "gatherings": ["Unapproved gatherings", "Rallies, processions and sit-ins"],
    "curfew": ["Movement outside during curfew hours", "Night curfew"],
    "movement": ["Closure of the highway to all traffic", "Entry to the district by outsiders"],
    "mobile-network": ["Suspension of mobile data services", "Mobile phone service suspended"],
    "face-covering": ["Covering the face in public"],
    "unregistered-vehicles": ["Unregistered vehicles and motorcycles"],
    "other": ["Use of drones", "Sale of petrol in cans", "Renting rooms without registration"],
}
_EXEMPTIONS = ["Ambulances and medical staff on duty", "Journalists with press cards",
               "Funeral prayers", "Law enforcement agencies", "Students"]  # fmt: skip
_AUTHORITIES = ["Home Department", "Deputy Commissioner", "Governor", "Interior Ministry",
                "District Magistrate", "Provincial Police"]  # fmt: skip
_BASES = ["Section 144, Code of Criminal Procedure 1898", "Public Order Act", "Emergency decree"]
_SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ben", "dor", "sha", "vel", "qui", "zan", "mor",
              "pel", "ti", "gar", "nu", "ash", "el", "ro", "wen"]  # fmt: skip
_DURATIONS = ["P15D", "P1M", "P2W", "P7D", "P3M", "P1M15D"]


@dataclass(frozen=True)
class WorldStats:
    """What a generated tree holds."""

    restrictions: int  # in orders, plus those added by amendments
    orders: int
    amendments: int
    places: int
    context: int
    sources: int
    files: int
    bytes: int


def country_zones() -> dict[str, list[str]]:
    """Every zone of each country in tzdata's zone.tab, in the table's order."""
    table = Path(str(files("tzdata").joinpath("zoneinfo/zone.tab"))).read_text("utf-8")
    zones: dict[str, list[str]] = defaultdict(list)
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _, name = line.split("\t")[:3]
            zones[country].append(name)
    return dict(zones)


def make_world(
    folder: Path, restrictions: int, seed: int = 0, kinds: Sequence[str] | None = None
) -> WorldStats:
    """Write a tree of `restrictions` restrictions under `folder`: the same seed, the same bytes.

    Restrictions are of `kinds`, by default every kind of the bundled registry (a fixed list
    keeps a world the same when the registry grows).
    """
    world = _World(random.Random(seed), seed, list(kinds) if kinds is not None else _kind_ids())
    while world.restrictions < restrictions:
        world.order(restrictions - world.restrictions)
    return world.write(folder)


@dataclass
class _Unit:
    """Entries that belong together in one file: an order, its amendments, sources, context."""

    sources: list[_Entry] = field(default_factory=list)
    places: list[_Entry] = field(default_factory=list)
    orders: list[_Entry] = field(default_factory=list)
    amendments: list[_Entry] = field(default_factory=list)
    context: list[_Entry] = field(default_factory=list)


@dataclass
class _Interval:
    start: datetime
    end: datetime | None


class _World:
    def __init__(self, rng: random.Random, seed: int, kinds: list[str]) -> None:
        self.rng = rng
        self.seed = seed
        self.kinds = kinds
        self.zones = country_zones()
        iso = [r for r in iso_regions() if r.code.split("-")[0] in self.zones]
        self.regions: dict[str, Region] = {r.code: r for r in iso}
        self.countries = sorted(r.code for r in iso if r.parent is None)
        self.subdivisions = sorted(r.code for r in iso if r.parent is not None)
        self.children: dict[str, list[str]] = defaultdict(list)
        for region in iso:
            if region.parent is not None:
                self.children[region.parent].append(region.code)
        self.units: dict[str, list[_Unit]] = defaultdict(list)  # by country
        self.place_codes: list[str] = []
        self.place_zone: dict[str, str] = {}
        self.restrictions = self.orders = self.amendments = self.context = self.sources = 0
        self.places_made = False

    # --- the gazetteer -------------------------------------------------------------------

    def make_places(self, count: int) -> None:
        """Synthetic districts below subdivisions, and towns below some of them."""
        rng = self.rng
        by_country: dict[str, list[_Entry]] = defaultdict(list)
        serial: dict[str, int] = defaultdict(int)
        for _ in range(count):
            if self.place_codes and rng.random() < 0.2:
                parent = rng.choice(self.place_codes)
                serial[parent] += 1
                code, kind = f"{parent}-T{serial[parent]}", "town"
            else:
                parent = rng.choice(self.subdivisions)
                serial[parent] += 1
                code, kind = f"{parent}-G{serial[parent]}", "district"
            if code in self.regions or code in self.place_zone:
                continue
            country = code[:2]
            entry: _Entry = {"code": code, "name": self._name(), "type": kind, "parent": parent}
            zones = self.zones[country]
            zone = self.place_zone.get(parent) or rng.choice(zones)
            if len(zones) > 1 and parent not in self.place_zone:
                entry["timezone"] = zone  # the country has several: say which
            if rng.random() < 0.2:
                entry["aliases"] = [self._name()]
            entry["source"] = f"gazetteer-{country.lower()}"
            by_country[country].append(entry)
            self.place_codes.append(code)
            self.place_zone[code] = zone
            self.regions[code] = Region(code, entry["name"], kind, parent, (), "", None)
            self.children[parent].append(code)
        for country, entries in sorted(by_country.items()):
            source = {
                "id": f"gazetteer-{country.lower()}",
                "title": f"Synthetic gazetteer of {self.regions[country].name}",
                "publisher": "bench/make_world.py",
                "url": f"https://example.org/gazetteer/{country.lower()}",
            }
            self.units[country].append(_Unit(sources=[source], places=entries))
            self.sources += 1

    # --- orders --------------------------------------------------------------------------

    def order(self, budget: int) -> None:
        """One order with up to `budget` restrictions, its amendments, sources and context."""
        rng = self.rng
        if not self.places_made:
            self.make_places(max(20, budget // 8))
            self.places_made = True
        regions, excluded = self._scope()
        country = regions[0][:2]
        zone = self._zone_for(regions[0])
        tz = ZoneInfo(zone)
        self.orders += 1
        first = FIRST_DAY + timedelta(days=rng.randrange((LAST_FIRST_DAY - FIRST_DAY).days))
        order_id = f"{regions[0].lower()}-{first:%Y-%m}-{self.orders}"
        validity, interval = self._validity(first, tz)
        count = min(budget, rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6]))
        restrictions = [self.restriction(i) for i in range(count)]
        self.restrictions += count
        announced = min(first, interval.start.astimezone(tz).date()) - timedelta(
            days=rng.choice([0, 0, 1, 2])
        )
        name = self.regions[regions[0]].name
        source = self.source(f"{order_id}-notification", f"Notification for {name}", announced)
        what = restrictions[0]["kind"].replace("-", " ").capitalize()
        more = " and more" if count > 1 else ""
        order: _Entry = {
            "id": order_id,
            "title": f"{what}{more} in {name}",
            "authority": f"{rng.choice(_AUTHORITIES)}, {name}",
        }
        if rng.random() < 0.6:
            order["legal_basis"] = rng.choice(_BASES)
        order |= {"announced": announced, "timezone": zone, "regions": regions}
        if excluded:
            order["exclude_regions"] = excluded
        order |= {"validity": validity, "sources": [source["id"]]}
        order["verification"] = rng.choice(["official", "official", "reported", "unverified"])
        if interval.end is not None and rng.random() < 0.5:
            order["review_by"] = interval.end.astimezone(tz).date() + timedelta(days=1)
        order["restrictions"] = restrictions
        unit = _Unit(sources=[source], orders=[order])
        amendments = _Amender(self, unit, order, tz, interval, budget - count).amend()
        unit.amendments = amendments
        self.amendments += len(amendments)
        if rng.random() < 0.08:
            unit.context.append(self._context(order_id, regions, first))
        self.units[country].append(unit)

    def _scope(self) -> tuple[list[str], list[str]]:
        """The regions an order covers (one, sometimes two siblings) and any it excludes."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            main = rng.choice(self.countries)
        elif roll < 0.85 or not self.place_codes:
            main = rng.choice(self.subdivisions)
        else:
            main = rng.choice(self.place_codes)
        regions = [main]
        parent = self.regions[main].parent
        if parent is not None and rng.random() < 0.15:
            sibling = rng.choice(self.children[parent])
            if sibling != main:
                regions.append(sibling)
        excluded: list[str] = []
        inside = self.children.get(main, [])
        if inside and rng.random() < 0.2:
            excluded.append(rng.choice(inside))
        return regions, excluded

    def _zone_for(self, code: str) -> str:
        """A zone of the region's country: its synthetic place's zone, else any."""
        return self.place_zone.get(code) or self.rng.choice(self.zones[code[:2]])

    def _validity(self, first: date, tz: ZoneInfo) -> tuple[_Entry, _Interval]:
        rng = self.rng
        roll = rng.random()
        begin = _midnight(first, tz)
        validity: _Entry
        if roll < 0.3:
            last = first + timedelta(days=rng.randrange(0, 60))
            validity = {"first_day": first, "last_day": last}
            end: datetime | None = _midnight(last + timedelta(days=1), tz)
        elif roll < 0.55:
            duration = rng.choice(_DURATIONS)
            validity = {"first_day": first, "duration": duration}
            end = parse_duration(duration).after(begin)
        elif roll < 0.7:
            validity = {"first_day": first, "until_further_notice": True}
            end = None
        else:  # with immediate effect: an instant with its offset
            local = datetime.combine(first, clock(rng.randrange(8, 20), rng.choice([0, 30])), tz)
            begin = local.astimezone(fixed_offset(local.utcoffset() or timedelta()))
            validity = {"start": begin}
            ends = rng.random()
            if ends < 0.4:
                last = first + timedelta(days=rng.randrange(0, 30))
                validity["last_day"] = last
                end = _midnight(last + timedelta(days=1), tz)
            elif ends < 0.7:
                duration = rng.choice(["PT12H", "P3D", "P1DT12H", "P15D"])
                validity["duration"] = duration
                end = parse_duration(duration).after(begin.astimezone(tz))
            elif ends < 0.85:
                end = begin + timedelta(hours=rng.choice([6, 18, 48, 72]))
                validity["end"] = end
            else:
                validity["until_further_notice"] = True
                end = None
        if rng.random() < 0.3:
            validity["as_written"] = f"with effect from {first:%d %B %Y}"
        return validity, _Interval(begin, end)

    def restriction(self, index: int) -> _Entry:
        rng = self.rng
        kind = rng.choice(self.kinds)
        entry: _Entry = {"id": f"{kind}-{index + 1}", "kind": kind}
        if rng.random() < 0.7:
            entry["text"] = rng.choice(_TEXTS.get(kind, _TEXTS["other"]))
        if kind == "gatherings":
            key = rng.choice(["min_people", "more_than"])
            entry["threshold"] = {key: rng.choice([3, 4, 5, 10, 50])}
        if kind == "curfew" or (kind in ("movement", "mobile-network") and rng.random() < 0.2):
            entry["windows"] = self._windows()
        if rng.random() < 0.25:
            entry["exemptions"] = [
                {"text": rng.choice(_EXEMPTIONS), "status": rng.choice(["confirmed", "proposed"])}
            ]
        return entry

    def _windows(self) -> list[_Entry]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:  # a night curfew, crossing midnight
            hours = rng.choice([("20:00", "06:00"), ("22:00", "05:00"), ("18:30", "07:00")])
            return [{"from": hours[0], "to": hours[1]}]
        if roll < 0.7:  # within one day
            return [{"from": "12:00", "to": "15:00"}, {"from": "19:00", "to": "23:00"}]
        days = sorted(rng.sample(range(7), rng.randint(1, 3)))
        names = [("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in days]
        if roll < 0.85:  # weekly, in the day
            return [{"days": names, "from": "11:00", "to": "15:30"}]
        return [{"days": names, "from": "21:00", "to": "04:00"}]  # weekly, crossing midnight

    def source(self, source_id: str, title: str, published: date) -> _Entry:
        self.sources += 1
        return {
            "id": source_id,
            "title": title,
            "publisher": self.rng.choice(["Official gazette", "Example News", "Daily Example"]),
            "published": published,
            "url": f"https://example.org/{source_id}",
        }

    def _context(self, order_id: str, regions: list[str], first: date) -> _Entry:
        self.context += 1
        day = first - timedelta(days=self.rng.randrange(0, 5))
        return {
            "id": f"{order_id}-context",
            "date": day,
            "title": f"Incident before order {order_id}",
            "summary": "Synthetic situation note: figures from the parties differ.",
            "regions": regions[:1],
            "sources": [f"{order_id}-notification"],
            "verification": self.rng.choice(["reported", "unverified"]),
            "relevant_until": day + timedelta(days=self.rng.randrange(15, 90)),
        }

    def _name(self) -> str:
        parts = self.rng.randint(2, 3)
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()

    # --- files ---------------------------------------------------------------------------

    def write(self, folder: Path) -> WorldStats:
        """Each country's folder: its gazetteer, then its orders in files of up to ~400 KB."""
        folder.mkdir(parents=True, exist_ok=True)
        sizes: list[int] = []
        for country, units in sorted(self.units.items()):
            places = [u for u in units if u.places]
            orders = [u for u in units if not u.places]
            sizes += _write_files(folder / country, "gazetteer", places, self.seed)
            sizes += _write_files(folder / country, "orders", orders, self.seed)
        return WorldStats(
            restrictions=self.restrictions,
            orders=self.orders,
            amendments=self.amendments,
            places=len(self.place_codes),
            context=self.context,
            sources=self.sources,
            files=len(sizes),
            bytes=sum(sizes),
        )


def _write_files(folder: Path, stem: str, units: list[_Unit], seed: int) -> list[int]:
    """Write units to `stem.yaml`, or `stem-001.yaml`, ... when they exceed FILE_BYTES; sizes."""
    header = (
        f"# Synthetic rules written by bench/make_world.py (seed {seed}): not real orders, "
        "places or sources.\n"
    )
    chunks: list[list[list[str]]] = []
    size = FILE_BYTES
    for unit in units:
        texts = [_dump(getattr(unit, section)) for section in _SECTIONS]
        length = sum(len(t.encode()) for t in texts)
        if size + length > FILE_BYTES:
            chunks.append([])
            size = len(header)
        chunks[-1].append(texts)
        size += length
    written = []
    for number, chunk in enumerate(chunks, 1):
        name = f"{stem}.yaml" if len(chunks) == 1 else f"{stem}-{number:03d}.yaml"
        folder.mkdir(exist_ok=True)
        data = (header + _sections(chunk)).encode()
        (folder / name).write_bytes(data)
        written.append(len(data))
    return written


class _Amender:
    """Amendments of one order that fit its state, applied in the order the loader applies them.

    Extensions and renewals take effect in the order announced; lifts and restriction or scope
    changes fall inside the order's periods, so every amendment is accepted by the loader.
    """

    def __init__(
        self,
        world: _World,
        unit: _Unit,
        order: _Entry,
        tz: ZoneInfo,
        interval: _Interval,
        budget: int,
    ) -> None:
        self.world, self.unit, self.order, self.tz = world, unit, order, tz
        self.rng = world.rng
        self.intervals = [interval]
        self.budget = budget  # restrictions that add_restriction may still add
        self.made: list[_Entry] = []
        self.announced = interval.start.astimezone(tz).date()  # latest announcement so far

    def amend(self) -> list[_Entry]:
        rng = self.rng
        if rng.random() < 0.02:
            self._revoke()
            return self.made
        if self.intervals[0].end is not None and rng.random() < 0.35:
            for _ in range(rng.choice([1, 1, 2])):
                if not self._extend():
                    break
        if self.intervals[-1].end is not None and rng.random() < 0.12:
            self._renew()
        if rng.random() < 0.1:
            self._lift()
        if rng.random() < 0.08 and self.budget > 0:
            self._add_restriction()
        if rng.random() < 0.06 and len(self.order["restrictions"]) > 1:
            self._remove_restriction()
        if rng.random() < 0.06:
            self._change_scope()
        return self.made

    def _new(self, action: str, announced: date, **fields: Any) -> _Entry:
        number = len(self.made) + 1
        amendment_id = f"{self.order['id']}-a{number}"
        if self.rng.random() < 0.5:
            cited = self.order["sources"][0]
        else:
            source = self.world.source(f"{amendment_id}-report", "Report of the change", announced)
            self.unit.sources.append(source)
            cited = source["id"]
        entry: _Entry = {
            "id": amendment_id,
            "order": self.order["id"],
            "action": action,
            "announced": announced,
            **fields,
            "sources": [cited],
            "verification": self.rng.choice(["official", "reported"]),
        }
        self.made.append(entry)
        return entry

    def _last_day_in_force(self) -> date:
        end = self.intervals[-1].end
        assert end is not None
        return (end - timedelta(microseconds=1)).astimezone(self.tz).date()

    def _extend(self) -> bool:
        """Extend the current period, announced while it is in force."""
        rng, tz = self.rng, self.tz
        current = self.intervals[-1]
        assert current.end is not None
        last = self._last_day_in_force()
        earliest = self.announced + timedelta(days=1)
        if earliest > last:
            return False
        announced = earliest + timedelta(days=rng.randrange((last - earliest).days + 1))
        self.announced = announced
        roll = rng.random()
        if roll < 0.55:
            new_last = last + timedelta(days=rng.randrange(3, 45))
            self._new("extend", announced, last_day=new_last)
            current.end = _midnight(new_last + timedelta(days=1), tz)
        elif roll < 0.9:
            duration = rng.choice(["P15D", "P1M", "P7D"])
            self._new("extend", announced, duration=duration)
            current.end = parse_duration(duration).after(current.end.astimezone(tz))
        else:
            self._new("extend", announced, until_further_notice=True)
            current.end = None
            return False
        return True

    def _renew(self) -> None:
        """Renew after a lapse: a new period starting some days after the last one ended."""
        rng, tz = self.rng, self.tz
        end = self.intervals[-1].end
        assert end is not None
        first = end.astimezone(tz).date() + timedelta(days=rng.randrange(1, 30))
        announced = max(first - timedelta(days=rng.randrange(0, 3)), self.announced + timedelta(1))
        if announced > first:
            return
        self.announced = announced
        start = _midnight(first, tz)
        if rng.random() < 0.6:
            last = first + timedelta(days=rng.randrange(0, 30))
            self._new("extend", announced, first_day=first, last_day=last)
            new_end: datetime | None = _midnight(last + timedelta(days=1), tz)
        else:
            duration = rng.choice(["P15D", "P1M"])
            self._new("extend", announced, first_day=first, duration=duration)
            new_end = parse_duration(duration).after(start)
        self.intervals.append(_Interval(start, new_end))

    def _inside_days(self) -> list[date]:
        """Local days after the latest announcement whose midnight lies strictly inside a period."""
        tz = self.tz
        days: list[date] = []
        for interval in self.intervals:
            day = max(interval.start.astimezone(tz).date(), self.announced) + timedelta(days=1)
            end = interval.end or interval.start + timedelta(days=90)
            while _midnight(day, tz) < end and len(days) < 400:
                if _midnight(day, tz) > interval.start:
                    days.append(day)
                day += timedelta(days=1)
        return days

    def _lift(self) -> None:
        """Lift early, inside the last period, after every extension was announced."""
        rng, tz = self.rng, self.tz
        current = self.intervals[-1]
        candidates = [d for d in self._inside_days() if _midnight(d, tz) > current.start]
        if not candidates:
            return
        day = rng.choice(candidates)
        if rng.random() < 0.5:
            self._new("lift", day - timedelta(days=1), effective_day=day)
            at = _midnight(day, tz)
        else:
            local = datetime.combine(day, clock(14, 0), tz)
            at = local.astimezone(fixed_offset(local.utcoffset() or timedelta()))
            if current.end is not None and at >= current.end:
                return
            self._new("lift", day, effective=at)
        self.announced = day
        current.end = at

    def _effective_day(self) -> date | None:
        days = self._inside_days()
        return self.rng.choice(days) if days else None

    def _add_restriction(self) -> None:
        day = self._effective_day()
        if day is None:
            return
        added = self.world.restriction(len(self.order["restrictions"]) + 10)
        added["id"] = f"added-{added['id']}"
        self._new(
            "add_restriction", day - timedelta(days=1), effective_day=day, restrictions=[added]
        )
        self.budget -= 1
        self.world.restrictions += 1

    def _remove_restriction(self) -> None:
        day = self._effective_day()
        if day is None:
            return
        removed = self.rng.choice(self.order["restrictions"])["id"]
        self._new("remove_restriction", day, effective_day=day, restriction_ids=[removed])

    def _change_scope(self) -> None:
        """Narrow to a part of the region, widen to its parent, or move to a sibling."""
        day = self._effective_day()
        if day is None:
            return
        world, rng = self.world, self.rng
        main = self.order["regions"][0]
        parent = world.regions[main].parent
        choices = [*world.children.get(main, [])]
        if parent is not None:
            choices += [parent, *world.children[parent][:5]]
        choices = [c for c in choices if c != main]
        if not choices:
            return
        regions = [rng.choice(choices)]
        fields: _Entry = {"effective_day": day, "regions": regions}
        inside = world.children.get(regions[0], [])
        if inside and rng.random() < 0.3:
            fields["exclude_regions"] = [rng.choice(inside)]
        self._new("change_scope", day - timedelta(days=1), **fields)

    def _revoke(self) -> None:
        start = self.intervals[0].start.astimezone(self.tz).date()
        self._new("revoke", start + timedelta(days=self.rng.randrange(0, 4)))


def _kind_ids() -> list[str]:
    registry = yaml.safe_load((bundled_rules_dir() / "kinds.yaml").read_text("utf-8"))
    return [kind["id"] for kind in registry["kinds"]]


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock(0), tzinfo=tz)


_SECTIONS = ("sources", "places", "orders", "amendments", "context")


def _dump(entries: Sequence[_Entry]) -> str:
    if not entries:
        return ""
    text: str = yaml.dump(
        list(entries),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    return text


def _sections(chunk: list[list[str]]) -> str:
    """One file's text: each section once, holding the entries of every unit in the chunk."""
    parts = []
    for index, section in enumerate(_SECTIONS):
        items = "".join(texts[index] for texts in chunk)
        if items:
            parts.append(f"{section}:\n{items}")
    return "".join(parts)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int, help="restrictions to generate, e.g. 10000")
    parser.add_argument("folder", type=Path, help="where to write the tree")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = make_world(args.folder, args.size, args.seed)
    print(
        f"{args.folder}: {stats.restrictions} restrictions in {stats.orders} orders, "
        f"{stats.amendments} amendments, {stats.places} places, {stats.context} context items, "
        f"{stats.sources} sources; {stats.files} files, {stats.bytes / 1e6:.1f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
