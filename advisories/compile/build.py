"""A whole rule tree checked as one: references between files resolved, timelines compiled.

Pure: takes the parsed files and the ISO regions, returns a `RuleSet` or raises a `RuleError`
listing every problem with the file, line and column of the value at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from advisories.compile.index import RegionIndex, TimelineIndex
from advisories.compile.known import last_known
from advisories.compile.references import References
from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline, compile_orders
from advisories.errors import Problem, RuleError
from advisories.model.parsed import ParsedFile
from advisories.model.regions import Gazetteer, Region
from advisories.model.restrictions import Restriction
from advisories.model.rules import Amendment, Correction, Kind, Order, Place


def build_ruleset(files: Sequence[ParsedFile], iso: Iterable[Region], version: str) -> RuleSet:
    """Check references across files and compile every order; raises RuleError on any problem."""
    problems: list[Problem] = []
    sources, _ = _unique(files, "sources", lambda s: s.id, "source", problems)
    kinds = _kinds(files, problems)
    places, _ = _unique(files, "places", lambda p: p.code, "place", problems)
    orders, _ = _unique(files, "orders", lambda o: o.id, "order", problems)
    amendments, amended_at = _unique(files, "amendments", lambda a: a.id, "amendment", problems)
    context, _ = _unique(files, "context", lambda c: c.id, "context item", problems)
    coverage, _ = _unique(files, "coverage", lambda c: c.id, "coverage entry", problems)
    corrections, _ = _unique(files, "corrections", lambda c: c.id, "correction", problems)
    gazetteer = _gazetteer(files, list(iso), places, problems)
    check = References(sources, kinds, gazetteer, problems)
    order_ids = set(orders)
    for file in files:
        check.file(file, order_ids)
    timelines = _timelines(orders, amendments, amended_at, corrections, kinds, problems)
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
        timelines=timelines,
        index=TimelineIndex(timelines, gazetteer),
        context_index=RegionIndex((item.regions for item in context.values()), gazetteer),
        places=tuple(places.values()),
        coverage=tuple(coverage.values()),
        corrections=tuple(corrections.values()),
        files=tuple(f.path for f in files),
        last_known=last_known(
            orders.values(), amendments.values(), corrections.values(), context.values()
        ),
    )


def _gazetteer(
    files: Sequence[ParsedFile],
    iso_regions: list[Region],
    places: dict[str, Place],
    problems: list[Problem],
) -> Gazetteer:
    """ISO 3166 with the trees' own places: new ones complete, ISO ones only extended, and no
    place its own ancestor."""
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
    return gazetteer


def _timelines(
    orders: dict[str, Order],
    amendments: dict[str, Amendment],
    amended_at: dict[str, tuple[ParsedFile, int]],
    corrections: dict[str, Correction],
    kinds: dict[str, Kind],
    problems: list[Problem],
) -> tuple[RestrictionTimeline, ...]:
    """Every order compiled with its amendments and corrections; an amendment that does not
    fit is a problem."""
    timelines, unfit = compile_orders(orders.values(), amendments.values(), corrections.values())
    for amendment, why in unfit:
        file, index = amended_at[amendment.id]
        problems.append(
            Problem(file.where("amendments", index), f"amendment {amendment.id!r}: {why}")
        )
    for version in (v for timeline in timelines for v in timeline.versions):
        _check_threshold(version.restriction, version.modified_by, kinds, amended_at, problems)
    return tuple(timelines)


def _check_threshold(
    restriction: Restriction,
    amendment: Amendment,
    kinds: dict[str, Kind],
    amended_at: dict[str, tuple[ParsedFile, int]],
    problems: list[Problem],
) -> None:
    """A modification gives a threshold only to a restriction whose kind takes one."""
    kind = kinds.get(restriction.kind)
    if restriction.threshold is None or kind is None or kind.takes_threshold:
        return
    changes = amendment.changes
    if changes is None or changes.threshold is None:
        return  # the threshold was there before, and reported with the restriction
    file, index = amended_at[amendment.id]
    problems.append(
        Problem(
            file.where("amendments", index, "changes", "threshold"),
            f"kind {kind.id!r} of restriction {restriction.id!r} takes no threshold",
            "thresholds are for kinds such as 'gatherings'",
        )
    )


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
