"""The rule format's own checks: thresholds, windows, durations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advisories.model.restrictions import Threshold
from advisories.model.time import add_months, parse_duration


@pytest.mark.parametrize(
    ("threshold", "people", "banned"),
    [
        (Threshold(min_people=5), 4, False),  # "five or more"
        (Threshold(min_people=5), 5, True),
        (Threshold(more_than=5), 5, False),  # "more than five"
        (Threshold(more_than=5), 6, True),
    ],
)
def test_thresholds(threshold: Threshold, people: int, banned: bool) -> None:
    assert threshold.bans(people) is banned


def test_threshold_keeps_the_wording() -> None:
    assert Threshold(min_people=5).describe() == "5 or more people"
    assert Threshold(more_than=5).describe() == "more than 5 people"


@pytest.mark.parametrize(
    ("text", "months", "days", "seconds"),
    [("P1M", 1, 0, 0), ("P15D", 0, 15, 0), ("P1Y2M", 14, 0, 0), ("P2W", 0, 14, 0),
     ("PT12H", 0, 0, 43200), ("P1DT30M", 0, 1, 1800)],
)  # fmt: skip
def test_durations(text: str, months: int, days: int, seconds: int) -> None:
    duration = parse_duration(text)
    assert (duration.months, duration.days, duration.seconds) == (months, days, seconds)


@pytest.mark.parametrize("text", ["1 month", "P", "PT", "P1.5M", "p1m", "P1H"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601 duration"):
        parse_duration(text)


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 2, 1), 1) == date(2026, 3, 1)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_duration_after_keeps_the_local_wall_clock() -> None:
    from zoneinfo import ZoneInfo

    start = datetime(2026, 3, 1, tzinfo=ZoneInfo("Europe/London"))
    end = parse_duration("P1M").after(start)
    assert (end.month, end.day, end.hour) == (4, 1, 0)  # across the DST change, still midnight


def test_zero_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="zero"):
        parse_duration("PT0S")
