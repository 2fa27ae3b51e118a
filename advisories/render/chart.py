"""The timeline chart: each restriction as bars across the period, as SVG built by our code.

Labels are escaped here; nothing from the rules reaches an attribute except as escaped text.
No JavaScript, and colours as presentation attributes rather than CSS (WeasyPrint styles inline
SVG from attributes): the chart prints and renders in WeasyPrint as it shows in a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

WIDTH = 680
LABEL_WIDTH = 200
ROW_HEIGHT = 24
AXIS_HEIGHT = 34
BAR_HEIGHT = 14
MAX_LABEL = 32
INK, MUTED, GRID, STAY, BAR, PART, MARK, TODAY = (
    "#1a1a1a",
    "#555555",
    "#dddddd",
    "#eef2f7",
    "#1f3a5f",
    "#9fb3cc",
    "#c27c0e",
    "#8a1c1c",
)
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="10"'
# Urdu's own script: the sans-serif fonts join Arabic letters but lack Urdu's Nastaliq forms.
FONTS = {"ur": 'font-family="Noto Nastaliq Urdu, DejaVu Sans, sans-serif" font-size="9"'}


@dataclass(frozen=True)
class TimelineRow:
    label: str
    periods: list[tuple[datetime, datetime | None]]
    marks: list[tuple[datetime, str]] = field(default_factory=list)
    in_part: bool = False


def timeline_svg(
    rows: list[TimelineRow],
    start: datetime,
    end: datetime,
    stay: tuple[datetime, datetime],
    tz: ZoneInfo,
    empty: str = "No restrictions in this period.",
    day_label: Callable[[date], str] = lambda day: f"{day.day} {day:%b}",
    *,
    lang: str = "en",
    title: str = "Timeline of restrictions",
) -> str:
    """An SVG chart of `rows` over [start, end); the `stay` is shaded and its start marked.

    `empty` is what the chart says when there are no rows, `day_label` how the axis names a
    day, `title` what it is called to a screen reader; all in `lang`. Time runs left to right
    in every language, as on the calendars and charts of each.
    """
    font = FONTS.get(lang, FONT)
    span = (end - start).total_seconds()
    plot = WIDTH - LABEL_WIDTH - 10

    def x(at: datetime) -> float:
        offset = (min(max(at, start), end) - start).total_seconds()
        return round(LABEL_WIDTH + plot * offset / span, 1)

    height = AXIS_HEIGHT + ROW_HEIGHT * max(len(rows), 1) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<rect class="stay" x="{x(stay[0])}" y="{AXIS_HEIGHT - 6}" fill="{STAY}" '
        f'width="{round(x(stay[1]) - x(stay[0]), 1)}" height="{height - AXIS_HEIGHT}"/>',
    ]
    parts += _axis(start, end, tz, x, height, day_label, font)
    if not rows:
        parts.append(
            f'<text class="empty" x="{LABEL_WIDTH}" y="{AXIS_HEIGHT + 14}" {font} fill="{MUTED}">'
            f"{escape(empty)}</text>"
        )
    for index, row in enumerate(rows):
        parts += _row(row, AXIS_HEIGHT + index * ROW_HEIGHT, start, end, x, font)
    marker = x(stay[0])
    parts.append(
        f'<line class="today" x1="{marker}" y1="{AXIS_HEIGHT - 10}" x2="{marker}" '
        f'y2="{height}" stroke="{TODAY}" stroke-width="1" stroke-dasharray="3 2"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _row(
    row: TimelineRow,
    top: int,
    start: datetime,
    end: datetime,
    x: Callable[[datetime], float],
    font: str,
) -> list[str]:
    """One restriction's label, its bars (an arrow where it runs on) and its amendments."""
    label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "…"
    parts = [f'<text class="label" x="0" y="{top + 13}" {font} fill="{INK}">{escape(label)}</text>']
    colour = PART if row.in_part else BAR
    for first, last in row.periods:
        if (last is not None and last <= start) or first >= end:
            continue
        left, right = x(first), x(last or end)
        parts.append(
            f'<rect class="bar" x="{left}" y="{top + 3}" width="{max(right - left, 1)}" '
            f'height="{BAR_HEIGHT}" rx="2" fill="{colour}"/>'
        )
        if last is None or last > end:
            parts.append(
                f'<path class="open" d="M{right},{top + 3} l6,6 l-6,6 z" fill="{colour}"/>'
            )
    for at, summary in row.marks:
        if start <= at < end:
            cx = x(at)
            parts.append(
                f'<path class="mark" d="M{cx},{top + 1} l4,8 l-4,8 l-4,-8 z" fill="{MARK}" '
                f'stroke="#ffffff" stroke-width="0.5">'
                f"<title>{escape(summary)}</title></path>"
            )
    return parts


def _axis(
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    x: Callable[[datetime], float],
    height: int,
    day_label: Callable[[date], str],
    font: str,
) -> list[str]:
    first = start.astimezone(tz).date()
    days = max((end - start).days, 1)
    step = next(s for s in (1, 2, 3, 7, 14, 28, 56, 112) if days / s <= 10)
    parts = []
    for offset in range(0, days + 1, step):
        day = first + timedelta(days=offset)
        at = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        if at > end:
            break
        tick = x(at)
        parts.append(
            f'<line class="tick" x1="{tick}" y1="{AXIS_HEIGHT - 8}" x2="{tick}" y2="{height}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text class="axis" x="{tick}" y="{AXIS_HEIGHT - 14}" {font} fill="{MUTED}" '
            f'text-anchor="middle">{escape(day_label(day))}</text>'
        )
    return parts
