"""Whether a rule tree monitors a region: monitored, partly monitored, or not at all.

A region is monitored when a coverage entry names it or a region containing it, for every
kind and every day asked about; partly when an entry covers only some kinds there, only a part
of it (a province of an asked country), or only the later days asked about (the check began
after the first); not at all for days before any check began. The freshest such check is the
one reported; it is stale once its `review_every` has passed by the as-of day. Answered as of
an earlier day than a check reaches, the check counts up to that day: the rules leave out what
was announced later, and the check had looked as far as that day then.
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
    checked_from=None,
    checked_as_of=None,
    stale=False,
    checked_by=None,
    regions=(),
    kinds=None,
    note=None,
    sources=(),
)


def coverage_of(
    rules: RuleSet, region: Region, first: date, last: date, as_of: date
) -> CoverageOut:
    """How the rules' coverage entries bear on `region` from local day `first` to `last`,
    judged as of `as_of`."""
    full: list[tuple[Coverage, str]] = []  # (entry, its region) covering all of `region`
    part: list[tuple[Coverage, str]] = []
    later: list[tuple[Coverage, str]] = []  # checks of the region that began after `last`
    for entry in rules.coverage:
        if entry.checked_from is not None and entry.checked_from > as_of:
            continue  # the check had not begun on the day the answer is given as of
        for code in entry.regions:
            relation = rules.gazetteer.relation(code, region.code)
            if relation is None:
                continue
            began = entry.checked_from
            if began is not None and began > last:
                later.append((entry, code))
            elif relation is Relation.INSIDE or entry.kinds is not None:
                part.append((entry, code))
            elif began is not None and began > first:
                part.append((entry, code))  # the first days asked about were not looked at
            else:
                full.append((entry, code))
    if full:
        return _out(rules, "monitored", full, as_of)
    if part:
        return _out(rules, "partly_monitored", part, as_of)
    if later:  # say from when it is, so that no one reads the earlier days as clear
        return _out(rules, "not_monitored", later, as_of)
    return NOT_MONITORED


def _out(
    rules: RuleSet,
    status: Literal["monitored", "partly_monitored", "not_monitored"],
    found: list[tuple[Coverage, str]],
    as_of: date,
) -> CoverageOut:
    freshest = max((entry for entry, _ in found), key=lambda e: (e.checked_as_of, e.id))
    checked = min(freshest.checked_as_of, as_of)
    kinds = tuple(sorted({k for entry, _ in found for k in entry.kinds or []}))
    every_kind = any(entry.kinds is None for entry, _ in found)
    began = [entry.checked_from for entry, _ in found]
    return CoverageOut(
        status=status,
        checked_from=None if None in began else min(d for d in began if d is not None),
        checked_as_of=checked,
        stale=_stale(freshest, checked, as_of),
        checked_by=freshest.checked_by,
        regions=tuple(dict.fromkeys(code for _, code in found)),
        kinds=None if every_kind else kinds,
        note=freshest.note,
        sources=tuple(source_ref(rules.sources[s]) for s in freshest.sources),
    )


def _stale(entry: Coverage, checked: date, as_of: date) -> bool:
    if entry.review_every is None:
        return False
    since = datetime.combine(checked, time(0))
    return parse_duration(entry.review_every).after(since).date() < as_of
