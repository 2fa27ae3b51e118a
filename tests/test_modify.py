"""`modify_restriction`: a restriction changed while its order is in force keeps its identity
and its history, answers as it read at the asked instant, and says what it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.errors import RuleError
from advisories.evaluation.answer import RestrictionOut, to_json
from advisories.evaluation.query import Days
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.load.tree import load_rules
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import AS_OF, FIXTURES, ROOT, ask

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
TIGHTENED = (
    "changed from 31 Aug 2025 00:00: threshold 5 or more people (was more than 5 people) "
    "(announced 30 Aug 2025)"
)


@pytest.fixture(scope="module")
def modified() -> RuleSet:
    return load_rules(GAZETTEER, FIXTURES / "valid" / "modified.yaml")


def _gatherings(rules: RuleSet, at: str | None = None, on: str | None = None) -> RestrictionOut:
    answer = ask(rules, "Quetta", at=at, on=on)
    (found,) = [r for r in answer.restrictions if r.kind == "gatherings"]
    return found


def test_the_threshold_changes_at_the_instant_and_not_before(modified: RuleSet) -> None:
    before = _gatherings(modified, at="2025-08-30T23:59:59+05:00")
    at = _gatherings(modified, at="2025-08-31T00:00:00+05:00")
    assert before.threshold is not None and at.threshold is not None
    assert (before.threshold.min_people, before.threshold.as_written) == (6, "more than 5 people")
    assert (at.threshold.min_people, at.threshold.as_written) == (5, "5 or more people")
    # one restriction throughout: same id, same run, the change in its history either side
    assert before.id == at.id == "month/gatherings"
    assert before.start == at.start and before.end == at.end
    assert before.amendments[0].summary == TIGHTENED
    assert at.amendments[0].summary == TIGHTENED


def test_a_range_across_the_change_is_one_restriction_with_the_change_listed(
    modified: RuleSet,
) -> None:
    answer = ask(modified, "Quetta", span=("2025-08-25", "2025-09-05"))
    gatherings = [r for r in answer.restrictions if r.kind == "gatherings"]
    assert len(gatherings) == 1  # not ended on 30 Aug and started again on 31 Aug
    assert [(c.event, c.summary) for c in answer.changes if c.restriction == gatherings[0].id] == [
        ("amended", TIGHTENED)
    ]
    assert [(p.start.date(), p.end and p.end.date()) for p in gatherings[0].periods] == [
        (date(2025, 8, 1), date(2025, 8, 31)),
        (date(2025, 8, 31), date(2025, 9, 15)),  # funeral prayers exempted from 15 Sep
        (date(2025, 9, 15), date(2025, 10, 1)),
    ]


def test_new_hours_hold_from_the_instant_of_the_change(
    modified: RuleSet,
) -> None:
    def curfew(at: str) -> list[str]:
        answer = ask(modified, "Quetta", at=at)
        return [w for r in answer.restrictions if r.kind == "curfew" for w in r.windows]

    assert curfew("2025-09-09T20:30:00+05:00") == ["daily 20:00–06:00"]
    assert curfew("2025-09-10T21:00:00+05:00") == ["daily 20:00–06:00"]  # before 22:00
    assert curfew("2025-09-10T22:00:00+05:00") == ["daily 22:00–05:00"]
    assert curfew("2025-09-11T05:30:00+05:00") == []  # that night ends at the new 05:00
    assert curfew("2025-09-11T20:30:00+05:00") == []  # not yet, under the new hours
    assert curfew("2025-09-12T04:30:00+05:00") == ["daily 22:00–05:00"]  # crosses midnight
    assert curfew("2025-09-12T05:30:00+05:00") == []


def test_changes_build_on_each_other(modified: RuleSet) -> None:
    later = _gatherings(modified, on="2025-09-20")
    assert later.threshold is not None and later.threshold.min_people == 5
    assert [(e.text, e.applies) for e in later.exemptions] == [("Funeral prayers", True)]
    assert [a.id for a in later.amendments] == ["month-five-or-more", "month-funerals"]
    assert "exemptions Funeral prayers (was none)" in later.amendments[1].summary


def test_text_json_and_briefing_say_what_it_was(modified: RuleSet) -> None:
    answer = ask(modified, "Quetta", on="2025-09-01")
    text = " ".join(render_answer(answer).split())
    assert "Gatherings (5 or more people)" in text
    assert f"Amended: {TIGHTENED}" in text
    assert '"as_written": "5 or more people"' in to_json(answer)
    assert '"action": "modify_restriction"' in to_json(answer)
    trip = place_trip("Quetta", Days(date(2025, 9, 1), date(2025, 9, 1)))
    html = render_html(build_briefing(evaluate_trip(modified, trip, AS_OF)))
    assert "5 or more people (was more than 5 people)" in html


@pytest.mark.parametrize(
    ("amendment", "expected"),
    [
        (
            "restriction_ids: [weapons]\n    changes: {text: Display of arms}",
            "order 'month' has no restriction 'weapons' (it has: gatherings, curfew)",
        ),
        (
            "restriction_ids: [curfew]\n    changes: {threshold: {min_people: 3}}",
            "kind 'curfew' of restriction 'curfew' takes no threshold",
        ),
        ("restriction_ids: [curfew]\n    changes: {}", "say what changes"),
        ("restriction_ids: [curfew]", "'modify_restriction' needs 'changes'"),
    ],
)
def test_a_change_that_cannot_apply_is_a_located_problem(
    tmp_path: Path, amendment: str, expected: str
) -> None:
    original = (FIXTURES / "valid" / "modified.yaml").read_text(encoding="utf-8")
    head = original.split("amendments:")[0]
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        head + "amendments:\n  - id: bad\n    order: month\n    action: modify_restriction\n"
        f"    announced: 2025-08-30\n    {amendment}\n    sources: [tightened]\n"
        "    verification: reported\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as raised:
        load_rules(GAZETTEER, broken)
    message = str(raised.value)
    assert expected in message
    assert "broken.yaml:" in message
