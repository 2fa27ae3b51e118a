"""Windows of whole days and windows for some places: one notification that gives each district
its own days (not always in a row), and hours on one day only everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.errors import RuleError
from advisories.load.tree import load_rules
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT, ask

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
FIXTURE = FIXTURES / "valid" / "region-days.yaml"


@pytest.fixture(scope="module")
def days() -> RuleSet:
    return load_rules(GAZETTEER, FIXTURE)


def _status(rules: RuleSet, place: str, at: str) -> str | None:
    found = ask(rules, place, at=at).restrictions
    return found[0].status if found else None


@pytest.mark.parametrize(
    ("at", "karachi", "hyderabad", "sindh"),
    [
        ("2023-09-24T12:00:00+05:00", None, "in_force", "partial"),  # Hyderabad's day only
        ("2023-09-25T12:00:00+05:00", None, None, None),  # nobody's day: not in a row
        ("2023-09-26T23:59:59+05:00", None, None, None),
        ("2023-09-27T00:00:00+05:00", "in_force", "in_force", "partial"),
        ("2023-09-28T23:59:59+05:00", "in_force", "in_force", "partial"),
        ("2023-09-29T00:00:00+05:00", None, None, None),  # whole days end at midnight
        ("2023-09-29T12:59:59+05:00", None, None, None),
        ("2023-09-29T13:00:00+05:00", "in_force", "in_force", "in_force"),  # everywhere
        ("2023-09-29T22:00:00+05:00", None, None, None),
    ],
)
def test_each_place_has_its_own_days(
    days: RuleSet, at: str, karachi: str | None, hyderabad: str | None, sindh: str | None
) -> None:
    assert _status(days, "Karachi", at) == karachi
    assert _status(days, "Hyderabad", at) == hyderabad
    assert _status(days, "PK-SD", at) == sindh


def test_a_range_shows_the_days_of_the_place_asked(days: RuleSet) -> None:
    assert ask(days, "Karachi", span=("2023-09-24", "2023-09-26")).restrictions == []
    (pillion,) = ask(days, "Karachi", span=("2023-09-24", "2023-09-30")).restrictions
    # Karachi's own days and the hours for everywhere; not Hyderabad's
    assert pillion.windows == [
        "whole day on 27 Sep 2023, 28 Sep 2023 in Karachi",
        "13:00–22:00 on 29 Sep 2023",
    ]
    (province,) = ask(days, "PK-SD", span=("2023-09-24", "2023-09-30")).restrictions
    assert len(province.windows) == 3  # asked about the province: every place's days
    text = " ".join(render_answer(ask(days, "Karachi", on="2023-09-27")).split())
    assert "Hours: whole day on 27 Sep 2023, 28 Sep 2023 in Karachi;" in text


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (
            "{dates: [2023-09-27], regions: [PK-PB-LAHORE]}",
            "window region 'PK-PB-LAHORE' lies outside the order's regions (PK-SD)",
        ),
        ("{dates: [2023-09-27], regions: [PK-SD-KARACHY]}", "unknown region 'PK-SD-KARACHY'"),
        ("{regions: [PK-SD-KARACHI]}", "a window of whole days needs 'days' or 'dates'"),
        ("{dates: [2023-09-27], from: '13:00'}", "give both 'from' and 'to', or neither"),
        ("{dates: [2023-09-27], regions: []}", "'regions' is empty"),
    ],
)
def test_a_window_that_cannot_hold_is_a_located_problem(
    tmp_path: Path, window: str, expected: str
) -> None:
    broken = tmp_path / "broken.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    first = "{dates: [2023-09-27, 2023-09-28], regions: [PK-SD-KARACHI]}"
    broken.write_text(text.replace(first, window), encoding="utf-8")
    with pytest.raises(RuleError) as raised:
        load_rules(GAZETTEER, broken)
    assert expected in str(raised.value)
    assert "broken.yaml:27" in str(raised.value)
