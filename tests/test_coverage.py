"""Coverage: an answer says whether the rules monitor the place, and never reads "nothing in
force" where nothing is monitored, in JSON, text and the briefing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from advisories import Days, RuleSet, ask, load_rules
from advisories.cli import main
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT

FEB_10 = Days(date(2026, 2, 10), date(2026, 2, 10))


@pytest.fixture(scope="module")
def covered() -> RuleSet:
    return load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "coverage.yaml"
    )


@pytest.mark.parametrize(
    ("place", "status", "checked", "kinds", "regions"),
    [
        ("Quetta", "monitored", date(2026, 2, 1), None, ("PK-BA",)),
        ("PK-BA", "monitored", date(2026, 2, 1), None, ("PK-BA",)),
        # Sindh's check reaches 1 March; as of 15 February it had looked that far
        ("Karachi", "partly_monitored", date(2026, 2, 15), ("gatherings",), ("PK-SD",)),
        ("PK", "partly_monitored", date(2026, 2, 15), None, ("PK-BA", "PK-SD", "PK-PB")),
        ("Tokyo", "not_monitored", None, None, ()),
    ],
)
def test_status_by_place(
    covered: RuleSet,
    place: str,
    status: str,
    checked: date | None,
    kinds: tuple[str, ...] | None,
    regions: tuple[str, ...],
) -> None:
    coverage = ask(covered, place, FEB_10, date(2026, 2, 15)).coverage
    assert (coverage.status, coverage.checked_as_of) == (status, checked)
    assert (coverage.kinds, coverage.regions) == (kinds, regions)
    assert coverage.stale is False


@pytest.mark.parametrize(("as_of", "stale"), [(date(2026, 3, 1), False), (date(2026, 3, 2), True)])
def test_coverage_is_stale_once_its_review_has_passed(
    covered: RuleSet, as_of: date, stale: bool
) -> None:
    """Checked 1 Feb, reviewed every month: due 1 Mar, stale from 2 Mar."""
    assert ask(covered, "Quetta", FEB_10, as_of).coverage.stale is stale


def test_an_unmonitored_place_is_never_clear_in_json_or_text() -> None:
    runner = CliRunner()
    args = ["check", "Tokyo", "--on", "2026-02-10", "--as-of", "2026-02-15"]
    answer = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    assert answer["coverage"]["status"] == "not_monitored" and answer["restrictions"] == []
    text = runner.invoke(main, args).output
    assert "not monitored by these rules: absence of rules means nothing here" in text
    assert "No restriction in force" not in text and "No restrictions in force" not in text


def test_a_monitored_province_with_nothing_in_force_says_when_it_was_checked() -> None:
    runner = CliRunner()
    # Turbat in mid-June 2025: no Balochistan order covers Kech District then. (In Quetta the
    # night-transport orders of 2025, in force until further notice, hold on every later day.)
    args = ["check", "Turbat", "--on", "2025-06-15", "--as-of", "2026-03-05"]
    answer = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    assert answer["restrictions"] == []
    assert answer["coverage"]["status"] == "monitored"
    assert answer["coverage"]["checked_as_of"] == "2026-03-02"
    assert (
        "No restriction in force (monitored; checked from 1 Jan 2025 to 2 Mar 2026)."
        in runner.invoke(main, args).output
    )
    stale = runner.invoke(main, ["check", "Turbat", "--on", "2025-06-15", "--as-of", "2026-11-26"])
    assert "past its review (STALE)" in " ".join(stale.output.split())


def test_the_briefing_says_coverage_first_and_marks_unmonitored_legs(bundled: RuleSet) -> None:
    # Tokyo, outside every bundled coverage entry (Karachi is monitored since the Sindh rules)
    trip = place_trip("Tokyo", FEB_10)
    html = render_html(build_briefing(evaluate_trip(bundled, trip, date(2026, 2, 15))))
    assert "No restriction recorded. Tokyo is not monitored by these rules" in html
    assert "No restrictions in force" not in html
    assert 'class="timeline-empty" colspan="15" dir="ltr">No restriction recorded.</td>' in html


@pytest.mark.parametrize(
    ("days", "status", "words"),
    [
        (
            Days(date(2024, 12, 31), date(2024, 12, 31)),
            "not_monitored",
            "No restriction recorded. Lahore is not monitored by these rules before 1 Jan 2025, "
            "when its check began: absence of rules means nothing here.",
        ),
        (
            Days(date(2024, 12, 25), date(2025, 1, 5)),
            "partly_monitored",
            "No restriction recorded. Lahore is only partly monitored by these rules (monitored: "
            "PK-PB; days from 1 Jan 2025; checked from 1 Jan 2025 to 31 Jan 2026): others may be "
            "in force.",
        ),
        (
            Days(date(2025, 1, 1), date(2025, 1, 1)),
            "monitored",
            "No restriction in force (monitored; checked from 1 Jan 2025 to 31 Jan 2026).",
        ),
    ],
)
def test_days_before_the_check_began_are_not_monitored(
    covered: RuleSet, days: Days, status: str, words: str
) -> None:
    """Orders were looked for from 1 January 2025: a day before it is as unknown as a place
    nobody watches, and a range across it is monitored only in part."""
    answer = ask(covered, "Lahore", days, date(2026, 1, 31))
    assert (answer.coverage.status, answer.coverage.checked_from) == (status, date(2025, 1, 1))
    assert words in render_answer(answer).replace("\n", " ")


def test_a_check_counts_only_as_far_as_the_day_answered_as_of(covered: RuleSet) -> None:
    """Asked as of 10 March 2025, the Punjab check (1 Jan 2025 to 31 Jan 2026) had looked as far
    as 10 March 2025; asked as of 31 December 2024, it had not begun."""
    on = Days(date(2025, 3, 1), date(2025, 3, 1))
    coverage = ask(covered, "Lahore", on, date(2025, 3, 10)).coverage
    assert (coverage.status, coverage.checked_as_of, coverage.stale) == (
        "monitored",
        date(2025, 3, 10),
        False,
    )
    assert ask(covered, "Lahore", on, date(2024, 12, 31)).coverage.status == "not_monitored"
