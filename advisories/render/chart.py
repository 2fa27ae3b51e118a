"""The timeline chart: each restriction as bars across the period, built by our code.

A table: the words (row labels, the days on the axis) are HTML text, so that every script is
shaped and ordered as a paragraph is (WeasyPrint draws SVG text a letter at a time, which
breaks joined scripts such as Urdu apart and lays each letter out on its own); the bars of
each row are a small SVG without text. The axis has a column per day, its labels spanning
their days, and the bars are placed on the same days, so both agree in every zone and across
clock changes. Colours are presentation attributes (WeasyPrint styles inline SVG from
attributes) and nothing is placed by a `style` attribute, which the web pages' content
security policy forbids. Labels are escaped here; nothing from the rules reaches an
attribute except as escaped text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from advisories.render.language import reads_in

PLOT = 480  # width of a row's bars, in the units of its SVG
ROW_HEIGHT = 24
BAR_TOP, BAR_HEIGHT = 5, 14
ARROW = 7  # how far the head of a bar that runs on reaches back from the chart's end
MAX_LABEL = 32
MAX_TICKS = 10
STEPS = (1, 2, 3, 7, 14, 28, 56, 112)  # days between labelled days on the axis
GRID, STAY, BAR, PART, MARK, TODAY = (
    "#dddddd",
    "#eef2f7",
    "#1f3a5f",
    "#9fb3cc",
    "#c27c0e",
    "#8a1c1c",
)


@dataclass(frozen=True)
class TimelineRow:
    label: str
    periods: list[tuple[datetime, datetime | None]]
    marks: list[tuple[datetime, str]] = field(default_factory=list)
    in_part: bool = False


@dataclass(frozen=True)
class _Days:
    """The chart's days in its zone, and where an instant falls across them (0 to PLOT)."""

    first: date
    count: int
    tz: ZoneInfo

    @classmethod
    def spanning(cls, start: datetime, end: datetime, tz: ZoneInfo) -> _Days:
        first = start.astimezone(tz).date()
        last = end.astimezone(tz)
        count = (last.date() - first).days + (last.time() != time.min)
        return cls(first, max(count, 1), tz)

    def midnight(self, offset: int) -> datetime:
        return datetime.combine(self.first + timedelta(days=offset), time.min, tzinfo=self.tz)

    def x(self, at: datetime) -> float:
        """A day's share of the width for each day, whatever its length in hours."""
        local = at.astimezone(self.tz)
        offset = (local.date() - self.first).days
        if offset < 0:
            return 0.0
        if offset >= self.count:
            return float(PLOT)
        start, after = self.midnight(offset), self.midnight(offset + 1)
        part = (at - start).total_seconds() / (after - start).total_seconds()
        return round(PLOT * (offset + part) / self.count, 1)


def timeline_chart(
    rows: list[TimelineRow],
    start: datetime,
    end: datetime,
    stay: tuple[datetime, datetime],
    tz: ZoneInfo,
    empty: str = "No restrictions in this period.",
    day_label: Callable[[date], str] = lambda day: f"{day.day} {day:%b}",
    *,
    title: str = "Timeline of restrictions",
) -> str:
    """A chart of `rows` over [start, end); the `stay` is shaded and its start marked.

    `empty` is what the chart says when there are no rows, `day_label` how the axis names a
    day, `title` what it is called to a screen reader; all in the briefing's language. Time
    runs left to right in every language, as on the calendars and charts of each; each label
    reads in its own direction.
    """
    days = _Days.spanning(start, end, tz)
    step = next(
        (s for s in STEPS if days.count / s <= MAX_TICKS), math.ceil(days.count / MAX_TICKS)
    )
    lines = [
        f'<table class="timeline" dir="ltr" role="img" aria-label="{escape(title)}">',
        f'<colgroup><col class="timeline-labels"><col span="{days.count}"></colgroup>',
        '<thead><tr><td class="timeline-corner"></td>',
    ]
    for offset in range(0, days.count, step):
        span = min(step, days.count - offset)
        label = day_label(days.first + timedelta(days=offset)) if span == step else ""
        lines.append(f'<th colspan="{span}" scope="col"{_dir(label)}>{escape(label)}</th>')
    lines.append("</tr></thead><tbody>")
    backdrop = _backdrop(days, step, stay, start, end)
    if not rows:
        lines.append(
            f'<tr><td></td><td class="timeline-empty" colspan="{days.count}"{_dir(empty)}>'
            f"{escape(empty)}</td></tr>"
        )
    for row in rows:
        label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "…"
        lines.append(
            f'<tr><th scope="row"{_dir(label)}>{escape(label)}</th><td colspan="{days.count}">'
            f"{_bars(row, days, start, end, backdrop)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _dir(words: str) -> str:
    """The direction its words read in, by their first strong letter: an English label in an
    Urdu chart ends (and is cut short) at its right, as it reads."""
    return f' dir="{reads_in(words)}"'


def _backdrop(
    days: _Days, step: int, stay: tuple[datetime, datetime], start: datetime, end: datetime
) -> str:
    """What every row shows behind its bars: the stay shaded, the axis's days, the first day."""
    left, right = days.x(max(stay[0], start)), days.x(min(stay[1], end))
    parts = [
        f'<rect class="stay" x="{left}" y="0" width="{round(right - left, 1)}" '
        f'height="{ROW_HEIGHT}" fill="{STAY}"/>'
    ]
    for offset in range(step, days.count, step):
        tick = days.x(days.midnight(offset))
        parts.append(
            f'<line class="tick" x1="{tick}" y1="0" x2="{tick}" y2="{ROW_HEIGHT}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
    if start <= stay[0] < end:
        marker = days.x(stay[0])
        parts.append(
            f'<line class="today" x1="{marker}" y1="0" x2="{marker}" y2="{ROW_HEIGHT}" '
            f'stroke="{TODAY}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    return "".join(parts)


def _bars(row: TimelineRow, days: _Days, start: datetime, end: datetime, backdrop: str) -> str:
    """One restriction's bars (an arrow head where it runs on past the chart) and amendments."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {PLOT} {ROW_HEIGHT}" '
        f'aria-hidden="true">',
        backdrop,
    ]
    colour = PART if row.in_part else BAR
    bottom = BAR_TOP + BAR_HEIGHT
    for first, last in row.periods:
        if (last is not None and last <= start) or first >= end:
            continue
        left = days.x(max(first, start))
        runs_on = last is None or last > end
        right = PLOT - ARROW if runs_on else days.x(last or end)
        parts.append(
            f'<rect class="bar" x="{left}" y="{BAR_TOP}" width="{round(max(right - left, 1), 1)}" '
            f'height="{BAR_HEIGHT}" rx="2" fill="{colour}"/>'
        )
        if runs_on:
            parts.append(
                f'<path class="open" d="M{PLOT - ARROW},{BAR_TOP - 2} L{PLOT},{BAR_TOP + 7} '
                f'L{PLOT - ARROW},{bottom + 2} z" fill="{colour}"/>'
            )
    for at, summary in row.marks:
        if start <= at < end:
            cx = days.x(at)
            parts.append(
                f'<path class="mark" d="M{cx},{BAR_TOP - 1} l4,8 l-4,8 l-4,-8 z" fill="{MARK}" '
                f'stroke="#ffffff" stroke-width="0.5"><title>{escape(summary)}</title></path>'
            )
    parts.append("</svg>")
    return "".join(parts)
