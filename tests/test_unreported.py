"""An order whose contents were not reported is in force, and answers say so, without ever
making up a restriction for it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.query import Days
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.load.tree import load_rules
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT, ask, known

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
FIXTURE = FIXTURES / "valid" / "contents-not-reported.yaml"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(GAZETTEER, FIXTURE)


def test_an_order_without_reported_contents_is_in_force_but_bans_nothing_known(
    rules: RuleSet,
) -> None:
    answer = ask(rules, "Turbat", on="2026-05-05")
    assert answer.restrictions == []
    (order,) = answer.unreported
    assert (order.order, order.contents, order.status) == (
        "unknown-contents",
        "not_reported",
        "in_force",
    )
    assert order.end is not None and order.end.isoformat() == "2026-05-11T00:00:00+05:00"
    assert "whose contents were not reported" in order.explanation
    assert ask(rules, "Turbat", on="2026-05-11").unreported == []


def test_a_partly_reported_order_lists_what_was_reported_and_says_more_may_hold(
    rules: RuleSet,
) -> None:
    answer = ask(rules, "Gwadar", on="2026-05-05")
    assert [r.id for r in answer.restrictions] == ["some-contents/gatherings"]
    assert [(u.order, u.contents) for u in answer.unreported] == [
        ("some-contents", "partly_reported")
    ]


def test_text_json_and_briefing_never_read_as_clear(rules: RuleSet) -> None:
    text = " ".join(render_answer(ask(rules, "Turbat", on="2026-05-05")).split())
    assert text.startswith("Turbat (town)")
    assert "1 order in force whose contents were not reported: check locally." in text
    assert "No restriction" not in text
    args = ["check", "Turbat", "--on", "2026-05-05", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--rules", str(GAZETTEER), "--rules", str(FIXTURE)])
    answer = json.loads(result.output)
    assert answer["restrictions"] == [] and answer["unreported"][0]["contents"] == "not_reported"
    trip = place_trip("Turbat", Days(date(2026, 5, 5), date(2026, 5, 5)))
    html = render_html(build_briefing(evaluate_trip(rules, trip, known(rules))))
    assert "1 order in force whose contents were not reported: check locally." in html
    assert "Orders whose contents were not reported" in html
    note = "The report names the order and its term only; the district&#39;s notice board"
    assert f'<div class="note">{note}' in html
    assert "Note: The report names the order and its term only;" in text
    assert answer["unreported"][0]["note"].startswith("The report names the order")
    assert "No restriction recorded" not in html and "No restrictions in force" not in html


def test_a_trip_summary_shows_the_order_whose_contents_are_unknown(rules: RuleSet) -> None:
    trip = place_trip("Turbat", Days(date(2026, 5, 5), date(2026, 5, 5)))
    briefing = build_briefing(evaluate_trip(rules, trip, known(rules)))
    assert briefing.legs[0].unreported and briefing.legs[0].unreported[0].stale is False
    two = trip.model_copy(
        update={
            "legs": [
                *trip.legs,
                *place_trip("Quetta", Days(date(2026, 5, 6), date(2026, 5, 6))).legs,
            ]
        }
    )
    summary = build_briefing(evaluate_trip(rules, two, known(rules))).summary
    assert summary is not None and "Order, contents not reported" in summary.columns
    column = summary.columns.index("Order, contents not reported")
    assert [cells[column].text for _, cells in summary.rows] == ["in force", "no record"]
