"""The gazetteer: regions with parents, names and aliases, and look-up by code or name.

Pure: it is built from ISO 3166 (`load/iso3166.py`) and the gazetteer entries of a rule tree
(`compile/build.py`); it reads no files itself.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

from advisories.errors import AmbiguousPlace, UnknownPlace

ISO_SOURCE = "ISO 3166 (pycountry)"  # the source of every region that comes from ISO 3166
# Words that may follow a name to say which kind of place is meant: "Karachi city".
_TYPE_WORDS = ("city", "town", "district", "division", "province", "country", "tehsil")
_FUZZY_CUTOFF = 0.75  # difflib's ratio: "Queta" for Quetta, "Gawadar" for Gwadar


class Region(NamedTuple):
    """A country, subdivision, district or town (a tuple: thousands are built at start-up)."""

    code: str
    name: str
    type: str
    parent: str | None
    aliases: tuple[str, ...]
    source: str
    timezone: str | None


class Relation(Enum):
    """How a rule's region relates to the asked region."""

    SAME = "same"  # the rule names the asked region itself
    CONTAINS = "contains"  # the rule's region contains the asked one: applies in full
    INSIDE = "inside"  # the rule's region lies inside the asked one: applies to part of it

    def phrase(self, asked: str) -> str:
        """What follows "covers <the rule's region>" for the `asked` region's name."""
        if self is Relation.CONTAINS:
            return f", which contains {asked}"
        if self is Relation.INSIDE:
            return f", part of {asked}"
        return ""


_COMBINING = re.compile(r"[\u0300-\u036f\u064b-\u065f\u0670]")
_SEPARATORS = re.compile(r"[\W_]+")


def normalise(name: str) -> str:
    """Fold case, accents, punctuation and spacing: 'Dera-Bugti' and 'dera bugti' match."""
    folded = name.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _SEPARATORS.sub(" ", folded).strip()


class Gazetteer:
    """Regions by code, with their ancestry and a name index."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code: dict[str, Region] = {}
        for region in regions:
            known = self._by_code.get(region.code)
            if known is not None:  # an extension of an ISO entry adds aliases
                region = known._replace(
                    aliases=known.aliases + region.aliases,
                    timezone=region.timezone or known.timezone,
                )
            self._by_code[region.code] = region
        self._by_name: dict[str, list[str]] = {}
        for region in self._by_code.values():
            for name in {normalise(n) for n in (region.name, *region.aliases)}:
                self._by_name.setdefault(name, []).append(region.code)
        self._ancestry: dict[str, frozenset[str]] = {}  # filled as questions ask

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_ancestry": {}}  # the cache travels empty

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> list[str]:
        return list(self._by_code)

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code.upper())

    def __getitem__(self, code: str) -> Region:
        return self._by_code[code]

    def lineage(self, code: str) -> list[Region]:
        """The region and its ancestors, the region first (a cycle is cut where it closes)."""
        chain: list[Region] = []
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current in self._by_code and current not in seen:
            region = self._by_code[current]
            chain.append(region)
            seen.add(current)
            current = region.parent
        return chain

    def has_cycle(self, code: str) -> bool:
        """Whether following parents from `code` comes back to a region already passed."""
        chain = self.lineage(code)
        return bool(chain) and chain[-1].parent is not None and chain[-1].parent in self._by_code

    def path(self, code: str) -> list[Region]:
        """The ancestry from the country down to the region."""
        return self.lineage(code)[::-1]

    def timezone(self, code: str) -> str | None:
        """The timezone of the region or its nearest ancestor that has one."""
        return next((r.timezone for r in self.lineage(code) if r.timezone), None)

    def ancestry(self, code: str) -> frozenset[str]:
        """The codes of the region and its ancestors (remembered: questions ask it often)."""
        found = self._ancestry.get(code)
        if found is None:
            found = self._ancestry[code] = frozenset(r.code for r in self.lineage(code))
        return found

    def relation(self, rule_region: str, asked: str) -> Relation | None:
        """How `rule_region` relates to the region `asked` about, or None if they are apart."""
        if rule_region == asked:
            return Relation.SAME
        if rule_region in self.ancestry(asked):
            return Relation.CONTAINS
        if asked in self.ancestry(rule_region):
            return Relation.INSIDE
        return None

    def resolve(self, query: str) -> Region:
        """The one region a code or name means; 'Name, Parent' narrows by an ancestor.

        A name may end with its kind of place ('Karachi city'). When every match lies on one
        line of ancestry (Quetta the city inside Quetta District) the most specific one is
        meant. Unknown names suggest what `search` finds.
        """
        text = query.strip()
        by_code = self.get(text)
        if by_code is not None:
            return by_code
        name, _, qualifier = text.rpartition(",") if "," in text else (text, "", "")
        matches = self._named(name)
        if qualifier.strip():
            within = {r.code for r in self._matching(qualifier.strip())}
            if not within:
                raise UnknownPlace(qualifier.strip(), self._suggestions(qualifier.strip()))
            matches = [c for c in matches if any(a.code in within for a in self.lineage(c))]
        if not matches:
            raise UnknownPlace(query, self._suggestions(name))
        deepest = max(matches, key=lambda c: len(self.lineage(c)))
        ancestry = {r.code for r in self.lineage(deepest)}
        if all(c in ancestry for c in matches):
            return self._by_code[deepest]
        raise AmbiguousPlace(query, [self.describe(c) for c in sorted(matches)])

    def search(self, query: str) -> list[Region]:
        """Every region a code or name may mean, the most likely first.

        In order: the code itself; the name or an alias exactly (also 'Karachi city'); codes
        that start with the query (a region's parts); names that start with it; names within
        a typo of it, closest first; then names that contain it. Within each, the rule tree's
        own places come before ISO 3166's, larger regions before smaller.
        """
        wanted = normalise(query)
        tiers: dict[str, float] = {}

        def add(codes: Iterable[str], tier: float) -> None:
            for code in codes:
                tiers.setdefault(code, tier)

        if self.get(query.strip()) is not None:
            add([query.strip().upper()], 0)
        add(self._named(query), 1)
        prefix = query.strip().upper()
        add((c for c in self._by_code if prefix and c.startswith(prefix)), 2)
        add((c for n, codes in self._by_name.items() if n.startswith(wanted) for c in codes), 3)
        close = difflib.get_close_matches(wanted, self._by_name, n=10, cutoff=_FUZZY_CUTOFF)
        for rank, near in enumerate(close):  # closest first
            add(self._by_name[near], 4 + rank / len(close))
        add((c for n, codes in self._by_name.items() if wanted in n for c in codes), 5)
        found = [self._by_code[c] for c in tiers]
        found.sort(
            key=lambda r: (tiers[r.code], r.source == ISO_SOURCE, len(self.lineage(r.code)), r.code)
        )
        return found

    def children(self, code: str) -> list[Region]:
        return sorted((r for r in self._by_code.values() if r.parent == code), key=lambda r: r.code)

    def units(self, code: str) -> list[Region]:
        """The regions directly inside `code`, a division counted as the regions inside it:
        the districts of a province, whether or not divisions stand between them."""
        found: list[Region] = []
        for region in self.children(code):
            if region.type.lower() == "division":
                found += self.units(region.code)
            else:
                found.append(region)
        return found

    def describe(self, code: str) -> str:
        """The code, name and kind, and the path above the place.

        'PK-BA-QUETTA-QUETTA  Quetta (city) — Pakistan > Balochistan > Quetta Division > Quetta
        District'.
        """
        region = self._by_code[code]
        above = " > ".join(r.name for r in self.path(code)[:-1])
        where = f" — {above}" if above else ""
        return f"{code}  {region.name} ({region.type}){where}"

    def _matching(self, text: str) -> list[Region]:
        by_code = self.get(text)
        if by_code is not None:
            return [by_code]
        return [self._by_code[c] for c in self._named(text)]

    def _named(self, text: str) -> list[str]:
        """The codes of regions called `text`, or `text` less a final kind of place that the
        region is ('Karachi city', 'Kech district')."""
        exact = self._by_name.get(normalise(text), [])
        if exact:
            return list(exact)
        name, _, kind = text.strip().rpartition(" ")
        if kind.lower() not in _TYPE_WORDS:
            return []
        return [
            c for c in self._by_name.get(normalise(name), [])
            if self._by_code[c].type.lower() == kind.lower()
        ]  # fmt: skip

    def _suggestions(self, name: str) -> list[str]:
        return [self.describe(r.code) for r in self.search(name)[:8]]
