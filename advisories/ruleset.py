"""A whole rule tree checked as one: references between files resolved, timelines compiled.

Pure: takes the parsed files and the ISO regions, returns a `RuleSet` or raises a `RuleError`
listing every problem with the file, line and column of the value at fault.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from advisories.errors import Location, Problem, RuleError
from advisories.index import RegionIndex, TimelineIndex
from advisories.models import (
    Amendment,
    ContextItem,
    Kind,
    Order,
    Place,
    Restriction,
    RuleFile,
    Source,
)
from advisories.regions import Gazetteer, Region, Relation
from advisories.timeline import RestrictionTimeline, compile_order

NodePath = tuple[str | int, ...]
_Entry = TypeVar("_Entry")


@dataclass(frozen=True)
class ParsedFile:
    """One validated rule file and where each of its values was written."""

    path: str
    rules: RuleFile
    positions: Positions | None = None
    bundled_kinds: bool = False  # the bundled registry, whose kinds a tree may override

    def where(self, *at: str | int) -> Location:
        found = self.positions.nearest(at) if self.positions is not None else None
        return found or Location(self.path)


class Positions:
    """Where each value of one YAML file was written, by its path of keys and indexes.

    Kept as bare (line, column) pairs: a large tree has hundreds of thousands of nodes, and
    a Location object is only needed for the few that a message is about.
    """

    def __init__(
        self,
        path: str,
        marks: dict[NodePath, tuple[int, int]] | None = None,
        complete: Callable[[], Positions] | None = None,
    ) -> None:
        """`marks` known so far; `complete` finds every node's, asked on the first miss.

        A valid file needs only its entries' places; the rest are found again (by parsing
        the file once more) only when a message needs one.
        """
        self.path = path
        self._marks = {} if marks is None else marks
        self._complete = complete

    def record(self, at: NodePath, line: int, column: int, *, replace: bool = False) -> None:
        if replace or at not in self._marks:
            self._marks[at] = (line, column)

    def get(self, at: NodePath) -> Location | None:
        mark = self._marks.get(at)
        if mark is None and self._complete is not None:
            self._marks = self._complete()._marks
            self._complete = None
            mark = self._marks.get(at)
        return None if mark is None else Location(self.path, *mark)

    def nearest(self, at: NodePath) -> Location | None:
        """Where the value at `at` was written, or its nearest enclosing entry's place."""
        for length in range(len(at), -1, -1):
            found = self.get(at[:length])
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class RuleSet:
    """Everything a rule tree says, checked and compiled, ready to be evaluated."""

    version: str
    sources: Mapping[str, Source]
    kinds: dict[str, Kind]
    gazetteer: Gazetteer
    orders: Mapping[str, Order]
    # These four: a tuple or dict, or (read from the cache) shelf.py's lazy equivalents, which
    # iterate, index and look up alike but do not compare equal to a tuple or dict.
    amendments: Sequence[Amendment]
    context: tuple[ContextItem, ...]
    timelines: Sequence[RestrictionTimeline]
    index: TimelineIndex
    context_index: RegionIndex
    places: tuple[Place, ...]  # the gazetteer entries the tree adds or extends
    files: tuple[str, ...]
    # Filled by answer_parts.py as questions are answered: timeline position -> its parts.
    answer_parts: dict[int, Any] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "answer_parts": {}}  # a copy builds its own


def build_ruleset(files: Sequence[ParsedFile], iso: Iterable[Region], version: str) -> RuleSet:
    """Check references across files and compile every order; raises RuleError on any problem."""
    problems: list[Problem] = []
    sources, _ = _unique(files, "sources", lambda s: s.id, "source", problems)
    kinds = _kinds(files, problems)
    places, _ = _unique(files, "places", lambda p: p.code, "place", problems)
    orders, _ = _unique(files, "orders", lambda o: o.id, "order", problems)
    amendments, amended_at = _unique(files, "amendments", lambda a: a.id, "amendment", problems)
    context, _ = _unique(files, "context", lambda c: c.id, "context item", problems)
    iso_regions = list(iso)
    iso_codes = {r.code for r in iso_regions}
    for file in files:
        for index, place in enumerate(file.rules.places):
            if place.name is None and place.code not in iso_codes:
                problems.append(
                    Problem(
                        file.where("places", index, "code"),
                        f"{place.code!r} is not an ISO 3166 region, so it needs a name",
                        "a new place needs 'name', 'type' and 'parent'",
                    )
                )
            elif place.name is not None and place.code in iso_codes:
                problems.append(
                    Problem(
                        file.where("places", index, "code"),
                        f"{place.code!r} is an ISO 3166 region: its name, type and parent "
                        "come from ISO 3166",
                        "give only code, aliases, names, timezone and source to extend it",
                    )
                )
    gazetteer = Gazetteer([*iso_regions, *(_region(p) for p in places.values())])
    for file in files:
        for index, place in enumerate(file.rules.places):
            if place.parent is not None and gazetteer.has_cycle(place.code):
                problems.append(
                    Problem(
                        file.where("places", index, "parent"),
                        f"{place.code!r} is its own ancestor through 'parent'",
                        "a place's parent must be a larger region that contains it",
                    )
                )

    check = _References(sources, kinds, gazetteer, problems)
    order_ids = set(orders)
    for file in files:
        check.file(file, order_ids)
    by_order: dict[str, list[Amendment]] = {}
    for amendment in amendments.values():
        by_order.setdefault(amendment.order, []).append(amendment)
    timelines: list[RestrictionTimeline] = []
    for order in orders.values():
        compiled, unfit = compile_order(order, by_order.get(order.id, []))
        timelines += compiled
        for amendment, why in unfit:
            file, index = amended_at[amendment.id]
            problems.append(
                Problem(file.where("amendments", index), f"amendment {amendment.id!r}: {why}")
            )
    if problems:
        raise RuleError(problems)
    return RuleSet(
        version=version,
        sources=sources,
        kinds=kinds,
        gazetteer=gazetteer,
        orders=orders,
        amendments=tuple(amendments.values()),
        context=tuple(context.values()),
        timelines=tuple(timelines),
        index=TimelineIndex(tuple(timelines), gazetteer),
        context_index=RegionIndex((item.regions for item in context.values()), gazetteer),
        places=tuple(places.values()),
        files=tuple(f.path for f in files),
    )


class _References:
    """Checks that everything an entry names (sources, kinds, regions, orders) exists."""

    def __init__(
        self,
        sources: dict[str, Source],
        kinds: dict[str, Kind],
        gazetteer: Gazetteer,
        problems: list[Problem],
    ) -> None:
        self.sources = sources
        self.kinds = kinds
        self.gazetteer = gazetteer
        self.problems = problems

    def file(self, file: ParsedFile, order_ids: set[str]) -> None:
        rules = file.rules
        for i, place in enumerate(rules.places):
            self.source(file, place.source, ("places", i, "source"))
            if place.parent is not None:
                self.region(file, place.parent, ("places", i, "parent"))
        for i, order in enumerate(rules.orders):
            self.order(file, order, ("orders", i))
        for i, amendment in enumerate(rules.amendments):
            at: NodePath = ("amendments", i)
            if amendment.order not in order_ids:
                self.missing(file, (*at, "order"), "order", amendment.order, order_ids)
            self.citations(file, amendment.sources, (*at, "sources"))
            self.regions(file, [*amendment.regions], (*at, "regions"))
            self.regions(file, [*amendment.exclude_regions], (*at, "exclude_regions"))
            self.exclusions(
                file, amendment.regions, amendment.exclude_regions, (*at, "exclude_regions")
            )
            for j, restriction in enumerate(amendment.restrictions):
                self.restriction(file, restriction, (*at, "restrictions", j))
        for i, item in enumerate(rules.context):
            self.citations(file, item.sources, ("context", i, "sources"))
            self.regions(file, item.regions, ("context", i, "regions"))

    def order(self, file: ParsedFile, order: Order, at: NodePath) -> None:
        self.citations(file, order.sources, (*at, "sources"))
        self.regions(file, order.regions, (*at, "regions"))
        self.regions(file, order.exclude_regions, (*at, "exclude_regions"))
        self.exclusions(file, order.regions, order.exclude_regions, (*at, "exclude_regions"))
        for j, restriction in enumerate(order.restrictions):
            self.restriction(file, restriction, (*at, "restrictions", j))

    def restriction(self, file: ParsedFile, restriction: Restriction, at: NodePath) -> None:
        kind = self.kinds.get(restriction.kind)
        if kind is None:
            self.missing(file, (*at, "kind"), "kind", restriction.kind, set(self.kinds))
        elif restriction.threshold is not None and not kind.takes_threshold:
            self.problems.append(
                Problem(
                    file.where(*at, "threshold"),
                    f"kind {kind.id!r} takes no threshold",
                    "thresholds are for kinds such as 'gatherings'",
                )
            )
        self.citations(file, restriction.sources, (*at, "sources"))
        for k, exemption in enumerate(restriction.exemptions):
            self.citations(file, exemption.sources, (*at, "exemptions", k, "sources"))

    def citations(self, file: ParsedFile, cited: list[str], at: NodePath) -> None:
        for i, source in enumerate(cited):
            self.source(file, source, (*at, i))

    def source(self, file: ParsedFile, source: str, at: NodePath) -> None:
        if source not in self.sources:
            self.missing(file, at, "source", source, set(self.sources))

    def regions(self, file: ParsedFile, codes: list[str], at: NodePath) -> None:
        for i, code in enumerate(codes):
            self.region(file, code, (*at, i))

    def exclusions(
        self, file: ParsedFile, included: list[str], excluded: list[str], at: NodePath
    ) -> None:
        """An excluded region must lie inside an included one, or the exclusion does nothing."""
        for i, code in enumerate(excluded):
            if code not in self.gazetteer or not all(r in self.gazetteer for r in included):
                continue  # reported as unknown already
            if not any(self.gazetteer.relation(r, code) is Relation.CONTAINS for r in included):
                self.problems.append(
                    Problem(
                        file.where(*at, i),
                        f"excluded region {code!r} lies inside none of the order's regions",
                        "exclude a part of a region the order covers, or drop the exclusion",
                    )
                )

    def region(self, file: ParsedFile, code: str, at: NodePath) -> None:
        if code in self.gazetteer:
            return
        country = code.split("-")[0] + "-"
        same_country = [c for c in self.gazetteer.codes() if c.startswith(country)]
        close = difflib.get_close_matches(code, same_country, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else None
        hint = hint or "'advisory regions NAME' lists codes; new places go in a gazetteer file"
        self.problems.append(Problem(file.where(*at), f"unknown region {code!r}", hint))

    def missing(
        self, file: ParsedFile, at: NodePath, what: str, name: str, known: set[str]
    ) -> None:
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        if close:
            hint: str | None = f"did you mean {close[0]!r}?"
        elif known:
            listed = ", ".join(sorted(known)[:6]) + (", ..." if len(known) > 6 else "")
            hint = f"known {what}s: {listed}"
        else:
            hint = f"no {what}s are defined in these rules"
        self.problems.append(Problem(file.where(*at), f"unknown {what} {name!r}", hint))


def _unique(
    files: Sequence[ParsedFile],
    section: str,
    key: Callable[[Any], str],
    what: str,
    problems: list[Problem],
) -> tuple[dict[str, Any], dict[str, tuple[ParsedFile, int]]]:
    """The entries of `section` by `key`, and where each was written (file, index)."""
    found: dict[str, Any] = {}
    first: dict[str, tuple[ParsedFile, int]] = {}
    for file in files:
        for index, entry in enumerate(getattr(file.rules, section)):
            name = key(entry)
            if name in found:
                first_file, first_index = first[name]
                problems.append(
                    Problem(
                        file.where(section, index),
                        f"duplicate {what} {name!r}",
                        f"first defined at {first_file.where(section, first_index)}",
                    )
                )
                continue
            found[name] = entry
            first[name] = (file, index)
    return found, first


def _kinds(files: Sequence[ParsedFile], problems: list[Problem]) -> dict[str, Kind]:
    bundled = {k.id: k for f in files if f.bundled_kinds for k in f.rules.kinds}
    own, _ = _unique(
        [f for f in files if not f.bundled_kinds], "kinds", lambda k: k.id, "kind", problems
    )
    return {**bundled, **own}


def _region(place: Place) -> Region:
    return Region(
        code=place.code,
        name=place.name or "",
        type=place.type or "",
        parent=place.parent,
        aliases=(*place.aliases, *place.names.values()),
        source=place.source,
        timezone=place.timezone,
    )
