"""An order's announcements: its issue, then each amendment and each correction of our record,
in the order they became known, each with the order as it stood once it was known.

For feeds of alerts (CAP), where each message replaces the one before: a message says what
the order was on the day it was sent, never what later amendments made of it. Pure: an
order, its amendments and corrections in; no clock, no list positions (announcements of one
day go by what they do, then when they take effect, then by id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from advisories.compile.timeline import (
    Period,
    RestrictionTimeline,
    compile_order,
    effective_instant,
)
from advisories.model.restrictions import Restriction
from advisories.model.rules import Amendment, Correction, Order
from advisories.model.time import midnight


@dataclass(frozen=True)
class Run:
    """An unbroken stretch in which an order holds, and where it holds from the instant an
    announcement bears on (where it held last, when the stretch ended before that)."""

    start: datetime
    end: datetime | None  # exclusive; None: until further notice
    regions: tuple[str, ...]
    exclude_regions: tuple[str, ...]


@dataclass(frozen=True)
class Announcement:
    """The order's issue (no amendment, no correction), an amendment of it, or a correction
    of our record of it, with the order as it stood after it (`timelines`)."""

    order: Order
    amendment: Amendment | None
    correction: Correction | None
    day: date  # announced; recorded, for a correction
    at: datetime  # the instant it bears on: when its change takes effect
    timelines: tuple[RestrictionTimeline, ...]
    applied: tuple[Amendment, ...]  # the amendments known by then, this one included

    @property
    def sent(self) -> datetime:
        """Midnight starting the day it was announced, in the order's timezone: the rules
        know days, not the hour a notification went out."""
        return midnight(self.day, self.order.tz)

    @property
    def action(self) -> str:
        """'issue', 'correction' or the amendment's action ('extend', 'lift', 'revoke', ...)."""
        if self.amendment is not None:
            return self.amendment.action
        return "issue" if self.correction is None else "correction"

    def changes(self) -> list[tuple[Restriction | None, str]]:
        """What it did, as the order's history says it: once for the whole order ('extended
        until end of 20 Mar 2026 (announced 9 Mar 2026)'), or for each restriction it added,
        removed or changed, with that restriction; a correction's summary; nothing for the
        issue."""
        if self.correction is not None:
            return [(None, self.correction.summary)]
        if self.amendment is None:
            return []
        found: dict[tuple[str | None, str], Restriction | None] = {}
        wide = self.amendment.action not in _RESTRICTION_ACTIONS
        for timeline in self.timelines:
            said = [*timeline.history, *([timeline.revoked] if timeline.revoked else [])]
            for applied in said:
                if applied.amendment.id == self.amendment.id:
                    restriction = None if wide else timeline.restriction
                    key = (restriction.id if restriction else None, applied.summary)
                    found[key] = restriction
        return [(restriction, summary) for (_, summary), restriction in found.items()]

    def run(self) -> Run | None:
        """The stretch in force at `at`, or the next one after it, else the last one; None
        when the order never holds (revoked)."""
        unique = dict.fromkeys(p for t in self.timelines for p in t.periods)  # shared tuples
        periods = sorted(unique, key=_start_then_end)
        runs = _runs(periods)
        if not runs:
            return None
        start, end = next((r for r in runs if r[1] is None or r[1] > self.at), runs[-1])
        inside = [p for p in periods if start <= p.start and (end is None or p.start < end)]
        last = [p for p in inside if p.end == end]  # where it held last, when it is over
        onward = [p for p in inside if p.end is None or p.end > self.at] or last
        return Run(
            start,
            end,
            tuple(dict.fromkeys(r for p in onward for r in p.regions)),
            tuple(dict.fromkeys(r for p in onward for r in p.exclude_regions)),
        )

    def standing(self) -> list[tuple[RestrictionTimeline, Restriction]]:
        """The order's restrictions in its run from `at` on (a removed one left out), else
        those of the whole run, else (revoked) all it had; each as it read at `at`."""
        run = self.run()
        if run is None:
            held = list(self.timelines)
        else:
            in_run = [t for t in self.timelines if any(_within(p, run) for p in t.periods)]
            onward = [
                t
                for t in in_run
                if any(_within(p, run) and (p.end is None or p.end > self.at) for p in t.periods)
            ]
            held = onward or in_run
        return [(t, t.version(sum(1 for v in t.versions if v.since <= self.at))) for t in held]


_RESTRICTION_ACTIONS = frozenset(("add_restriction", "remove_restriction", "modify_restriction"))
# Within one day: what sets when the order holds first (a renewal announced with new hours
# makes the hours a change of the renewed order), its end last, our corrections after all.
_RANK = {"extend": 0, "change_scope": 1, "add_restriction": 1, "remove_restriction": 1,
         "modify_restriction": 1, "lift": 2, "revoke": 3}  # fmt: skip
_CORRECTION = 4


def announcements(
    order: Order, amendments: Sequence[Amendment], corrections: Sequence[Correction] = ()
) -> list[Announcement]:
    """The order's announcements in the order they became known, up to its revocation (after
    which nothing more is said of it)."""
    tz = order.tz
    news: list[tuple[date, int, datetime, str, Amendment | None, Correction | None]] = [
        (a.announced, _RANK[a.action], effective_instant(a, order), a.id, a, None)
        for a in amendments
    ]
    news += [
        (c.recorded, _CORRECTION, midnight(c.recorded, tz), c.id, None, c) for c in corrections
    ]
    news.sort(key=lambda n: n[:4])
    known: list[Amendment] = []
    fixes: list[Correction] = []
    found = [_announced(order, None, None, order.announced, midnight(order.announced, tz), [], [])]
    for day, _, at, _, amendment, correction in news:
        if amendment is not None:
            known.append(amendment)
        if correction is not None:
            fixes.append(correction)
        found.append(_announced(order, amendment, correction, day, at, known, fixes))
        if amendment is not None and amendment.action == "revoke":
            break
    return found


def _announced(
    order: Order,
    amendment: Amendment | None,
    correction: Correction | None,
    day: date,
    at: datetime,
    known: list[Amendment],
    fixes: list[Correction],
) -> Announcement:
    timelines, _ = compile_order(order, known, tuple(fixes))
    return Announcement(order, amendment, correction, day, at, tuple(timelines), tuple(known))


def _start_then_end(period: Period) -> tuple[datetime, bool, datetime]:
    return period.start, period.end is None, period.end or period.start


def _runs(periods: list[Period]) -> list[tuple[datetime, datetime | None]]:
    """The periods (by start) joined where they touch or overlap."""
    runs: list[tuple[datetime, datetime | None]] = []
    for period in periods:
        if runs and (runs[-1][1] is None or period.start <= runs[-1][1]):
            start, end = runs[-1]
            later = None if end is None or period.end is None else max(end, period.end)
            runs[-1] = (start, later)
        else:
            runs.append((period.start, period.end))
    return runs


def _within(period: Period, run: Run) -> bool:
    return run.start <= period.start and (run.end is None or period.start < run.end)
