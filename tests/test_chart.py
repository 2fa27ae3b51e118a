"""The timeline chart: its words are page text in their own direction, its bars fall on the
days the axis names, in any zone and across clock changes."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from advisories.cli import main
from advisories.render.chart import PLOT, TimelineRow, timeline_chart

LONDON = ZoneInfo("Europe/London")


def _at(text: str, tz: ZoneInfo = LONDON) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def _bars(chart: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(width))
        for x, width in re.findall(
            r'<rect class="bar" x="([\d.]+)" y="\d+" width="([\d.]+)"', chart
        )
    ]


def test_a_day_after_the_clocks_change_is_as_wide_as_any_other() -> None:
    """London's clocks go forward on 29 March 2026, a day of 23 hours: the bar of 30 March
    still starts where the axis's third day does and fills that day exactly."""
    start, end = _at("2026-03-28T00:00"), _at("2026-03-31T00:00")
    row = TimelineRow("Curfew", [(_at("2026-03-30T00:00"), _at("2026-03-31T00:00"))])
    chart = timeline_chart([row], start, end, (start, end), LONDON)
    assert _bars(chart) == [(PLOT * 2 / 3, PLOT / 3)]
    # one column per day, the axis naming each from its own column
    assert '<col span="3">' in chart
    assert re.findall(r'<th colspan="(\d+)" scope="col" dir="ltr">([^<]*)</th>', chart) == [
        ("1", "28 Mar"),
        ("1", "29 Mar"),
        ("1", "30 Mar"),
    ]


def test_the_axis_spans_every_day_once_and_a_short_last_step_goes_unnamed() -> None:
    start, end = _at("2026-02-10T00:00"), _at("2026-02-25T00:00")  # 15 days: steps of 2
    chart = timeline_chart([], start, end, (start, _at("2026-02-11T00:00")), LONDON)
    heads = re.findall(r'<th colspan="(\d+)" scope="col" dir="ltr">([^<]*)</th>', chart)
    assert sum(int(span) for span, _ in heads) == 15
    assert heads[0] == ("2", "10 Feb") and heads[-2] == ("2", "22 Feb") and heads[-1] == ("1", "")
    assert 'class="timeline-empty" colspan="15" dir="ltr">No restrictions in this period.' in chart


def test_a_restriction_that_runs_on_ends_in_an_arrow_at_the_edge() -> None:
    start, end = _at("2026-02-10T00:00"), _at("2026-02-24T00:00")
    row = TimelineRow("Weapons", [(_at("2026-02-01T00:00"), None)])
    chart = timeline_chart([row], start, end, (start, end), LONDON)
    ((x, width),) = _bars(chart)
    assert x == 0 and x + width < PLOT  # from the chart's start to just short of its edge
    assert f"L{PLOT},12" in chart  # the arrow's point on the edge


def test_urdu_words_are_cells_read_right_to_left_and_time_still_runs_left_to_right() -> None:
    start, end = (
        _at("2026-02-10T00:00", ZoneInfo("Asia/Karachi")),
        _at("2026-02-12T00:00", ZoneInfo("Asia/Karachi")),
    )
    row = TimelineRow("اجتماعات", [(start, end)])
    chart = timeline_chart(
        [row], start, end, (start, end), ZoneInfo("Asia/Karachi"), title="ٹائم لائن"
    )
    assert chart.startswith('<table class="timeline" dir="ltr" role="img" aria-label="ٹائم لائن">')
    assert '<th scope="row" dir="rtl">اجتماعات</th>' in chart
    # WeasyPrint draws SVG text a letter at a time, which would take Urdu's letters apart
    assert "<text" not in chart
    # and the web pages' content security policy forbids style attributes
    assert "style=" not in chart


def test_labels_and_amendments_are_escaped_and_long_labels_shortened() -> None:
    start, end = _at("2026-02-10T00:00"), _at("2026-02-24T00:00")
    row = TimelineRow(
        "<b>Gatherings</b> of five or more people in public",
        [(start, end)],
        marks=[(_at("2026-02-12T00:00"), 'Extended "until further notice" <now>')],
    )
    chart = timeline_chart([row], start, end, (start, end), LONDON)
    assert "<b>" not in chart
    assert "&lt;b&gt;Gatherings&lt;/b&gt; of five or mo…</th>" in chart
    assert "<title>Extended &quot;until further notice&quot; &lt;now&gt;</title>" in chart


def test_two_orders_bans_of_one_kind_are_told_apart_on_the_chart(tmp_path: Path) -> None:
    """Quetta has two orders that stop public transport: the chart, which mixes the orders,
    names each by its own words rather than twice 'Public transport suspended'."""
    target = tmp_path / "quetta.html"
    args = ["brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", str(target)]
    assert CliRunner().invoke(main, args).exit_code == 0
    html = target.read_text("utf-8")
    chart = html[html.index('<table class="timeline"') :]
    labels = re.findall(r'<th scope="row" dir="ltr">([^<]*)</th>', chart[: chart.index("</table>")])
    assert len(labels) == len(set(labels)) == 8
    assert "Buses and coaches leaving Quett…" in labels
