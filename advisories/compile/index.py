"""An index of restriction timelines by region ancestry and time, so questions stay cheap.

A question about region P can only concern a timeline whose scope names P, an ancestor of P
(the rule covers P), or a descendant of P (the rule covers part of P). The index keeps, for
every region, the timelines whose scope names it (`direct`) and those whose scope names a
region strictly inside it (`within`), each list sorted by start, with the latest end seen so
far, so that the entries overlapping a time span are found by bisection. It only narrows the
candidates: evaluation then applies the same checks as a linear scan, so answers are identical
(tests/test_index.py holds that on generated rule sets).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from advisories.compile.timeline import RestrictionTimeline
from advisories.model.regions import Gazetteer

_UNTIL_FURTHER_NOTICE = float("inf")
_Row = tuple[float, float, tuple[int, ...]]  # start, end, positions of the timelines


@dataclass
class _Postings:
    """Timelines under one key, sorted by start, with the running maximum of their ends."""

    starts: list[float] = field(default_factory=list)
    ends_so_far: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    positions: list[tuple[int, ...]] = field(default_factory=list)  # timelines sharing a span

    def overlapping(self, start: float, end: float) -> Iterable[int]:
        """Positions of entries with entry.start < end and entry.end > start (end > start)."""
        stop = bisect_left(self.starts, end) if end > start else bisect_right(self.starts, end)
        # ends_so_far is non-decreasing: entries before `first` all ended by `start`.
        first = bisect_left(self.ends_so_far, start, hi=stop)
        while first < stop and self.ends_so_far[first] <= start:
            first += 1
        for i in range(first, stop):
            if self.ends[i] > start:
                yield from self.positions[i]


class TimelineIndex:
    """Candidate timelines for a region and a time span."""

    def __init__(self, timelines: tuple[RestrictionTimeline, ...], gazetteer: Gazetteer) -> None:
        # Restrictions of one order mostly share their periods (timeline.py), so entries are
        # groups of timelines with the same periods: span, scope and rows once per group.
        groups: dict[int, list[int]] = {}
        for position, timeline in enumerate(timelines):
            # revoked timelines have no periods, and the empty tuple is shared by all of them
            key = id(timeline.periods) if timeline.periods else -1 - position
            groups.setdefault(key, []).append(position)
        entries: dict[str, list[_Row]] = {}
        entries_within: dict[str, list[_Row]] = {}
        ancestors: dict[str, list[str]] = {}
        for positions in groups.values():
            timeline = timelines[positions[0]]
            span = _span(timeline)
            if span is None:
                continue
            scope = {code for period in timeline.periods for code in period.regions}
            if not timeline.periods:  # revoked: found so that the revocation shows as a change
                scope = set(timeline.order.regions)
            row = (*span, tuple(positions))
            for code in scope:
                entries.setdefault(code, []).append(row)
                if code not in ancestors:
                    ancestors[code] = [region.code for region in gazetteer.lineage(code)[1:]]
                for ancestor in ancestors[code]:
                    entries_within.setdefault(ancestor, []).append(row)
        self._direct = {code: _postings(rows) for code, rows in entries.items()}
        self._within = {code: _postings(rows) for code, rows in entries_within.items()}
        self._gazetteer = gazetteer

    def candidates(self, region: str, start: datetime, end: datetime) -> list[int]:
        """Positions (into RuleSet.timelines) that may concern `region` during [start, end).

        An instant is asked as start == end.
        """
        low, high = start.timestamp(), end.timestamp()
        found: set[int] = set()
        for ancestor in self._gazetteer.lineage(region):
            postings = self._direct.get(ancestor.code)
            if postings is not None:
                found.update(postings.overlapping(low, high))
        within = self._within.get(region)
        if within is not None:
            found.update(within.overlapping(low, high))
        return sorted(found)


def _span(timeline: RestrictionTimeline) -> tuple[float, float] | None:
    """From the first period's start to the last one's end (a revocation: its instant)."""
    if not timeline.periods:
        if timeline.revoked is None:
            return None
        at = timeline.revoked.effective.timestamp()
        return at, at + 1e-6
    start = min(p.start for p in timeline.periods).timestamp()
    ends = [p.end for p in timeline.periods]
    if any(e is None for e in ends):
        return start, _UNTIL_FURTHER_NOTICE
    return start, max(e.timestamp() for e in ends if e is not None)


def _postings(rows: list[_Row]) -> _Postings:
    rows.sort()
    starts, ends, positions = (list(column) for column in zip(*rows, strict=True))
    return _Postings(starts, list(accumulate(ends, max)), ends, positions)


class RegionIndex:
    """Entries (context items) by the regions they name: those that may concern a region.

    Like the timeline postings without time: an entry naming the region or an ancestor
    (`direct`), or a region inside it (`within`). The caller still checks dates and relations.
    """

    def __init__(self, named: Iterable[Iterable[str]], gazetteer: Gazetteer) -> None:
        self._direct: dict[str, list[int]] = {}
        self._within: dict[str, list[int]] = {}
        for position, codes in enumerate(named):
            for code in codes:
                self._direct.setdefault(code, []).append(position)
                for ancestor in gazetteer.lineage(code)[1:]:
                    self._within.setdefault(ancestor.code, []).append(position)
        self._gazetteer = gazetteer

    def candidates(self, region: str) -> list[int]:
        found: set[int] = set(self._within.get(region, ()))
        for ancestor in self._gazetteer.lineage(region):
            found.update(self._direct.get(ancestor.code, ()))
        return sorted(found)
