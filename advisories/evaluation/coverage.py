"""Whether a rule tree monitors a region: monitored, partly monitored, or not at all.

A region is monitored when a coverage entry names it or a region containing it, for every
kind; partly when an entry covers only some kinds there, or only a part of it (a province of
an asked country). The freshest such check is the one reported; it is stale once its
`review_every` has passed by the as-of day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import CoverageOut
from advisories.evaluation.parts import source_ref
from advisories.model.regions import Region, Relation
from advisories.model.rules import Coverage
from advisories.model.time import parse_duration

NOT_MONITORED = CoverageOut(
    status="not_monitored",
    checked_as_of=None,
    stale=False,
    checked_by=None,
    regions=(),
    kinds=None,
    note=None,
    sources=(),
)


def coverage_of(rules: RuleSet, region: Region, as_of: date) -> CoverageOut:
    """How the rules' coverage entries bear on `region`, judged as of `as_of`."""
    full: list[tuple[Coverage, str]] = []  # (entry, its region) covering all of `region`
    part: list[tuple[Coverage, str]] = []
    for entry in rules.coverage:
        for code in entry.regions:
            relation = rules.gazetteer.relation(code, region.code)
            if relation in (Relation.SAME, Relation.CONTAINS):
                (full if entry.kinds is None else part).append((entry, code))
            elif relation is Relation.INSIDE:
                part.append((entry, code))
    if full:
        return _out(rules, "monitored", full, as_of)
    if part:
        return _out(rules, "partly_monitored", part, as_of)
    return NOT_MONITORED


def _out(
    rules: RuleSet,
    status: Literal["monitored", "partly_monitored"],
    found: list[tuple[Coverage, str]],
    as_of: date,
) -> CoverageOut:
    freshest = max((entry for entry, _ in found), key=lambda e: (e.checked_as_of, e.id))
    kinds = tuple(sorted({k for entry, _ in found for k in entry.kinds or []}))
    every_kind = any(entry.kinds is None for entry, _ in found)
    return CoverageOut(
        status=status,
        checked_as_of=freshest.checked_as_of,
        stale=_stale(freshest, as_of),
        checked_by=freshest.checked_by,
        regions=tuple(dict.fromkeys(code for _, code in found)),
        kinds=None if every_kind else kinds,
        note=freshest.note,
        sources=tuple(source_ref(rules.sources[s]) for s in freshest.sources),
    )


def _stale(entry: Coverage, as_of: date) -> bool:
    if entry.review_every is None:
        return False
    checked = datetime.combine(entry.checked_as_of, time(0))
    return parse_duration(entry.review_every).after(checked).date() < as_of
