"""As of a day, wholly: what was announced or recorded after it is not applied, so an answer
(and a briefing) can be given again as it stood that day."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from advisories.cli.main import main
from advisories.compile.known import as_known_on
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.evaluator import Evaluator
from advisories.load.tree import load_rules
from tests.conftest import FIXTURES, ROOT, ask

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"


@pytest.fixture(scope="module")
def modified() -> RuleSet:
    return load_rules(GAZETTEER, FIXTURES / "valid" / "modified.yaml")


@pytest.fixture(scope="module")
def detailed() -> RuleSet:
    return load_rules(GAZETTEER, FIXTURES / "valid" / "order-details.yaml")


def _gatherings(rules: RuleSet, as_of: date) -> tuple[str, list[str]]:
    answer = ask(rules, "Quetta", on="2025-09-20", as_of=as_of)
    (found,) = [r for r in answer.restrictions if r.kind == "gatherings"]
    assert found.threshold is not None
    return found.threshold.as_written, [a.id for a in found.amendments]


def test_an_amendment_applies_from_the_day_it_was_announced(modified: RuleSet) -> None:
    assert _gatherings(modified, date(2025, 8, 29)) == ("more than 5 people", [])
    assert _gatherings(modified, date(2025, 8, 30)) == ("5 or more people", ["month-five-or-more"])
    later = ("5 or more people", ["month-five-or-more", "month-funerals"])
    assert _gatherings(modified, date(2025, 9, 15)) == later


def test_an_extension_not_yet_announced_leaves_the_first_end(detailed: RuleSet) -> None:
    def end(as_of: date) -> date | None:
        found = ask(detailed, "PK-BA", on="2026-03-05", as_of=as_of).restrictions
        return found[0].end.date() if found[0].end else None

    assert end(date(2026, 3, 8)) == date(2026, 3, 11)  # as first ordered: through 10 March
    assert end(date(2026, 3, 9)) == date(2026, 3, 21)  # extended on the 9th
    # and asked about the 15th as of the 8th, nothing was known to hold
    assert ask(detailed, "PK-BA", on="2026-03-15", as_of=date(2026, 3, 8)).restrictions == []


def test_corrections_and_orders_count_from_the_day_recorded(detailed: RuleSet) -> None:
    def corrections(as_of: date) -> list[str]:
        found = ask(detailed, "PK-BA", on="2026-03-05", as_of=as_of).restrictions
        return [c.id for c in found[0].corrections]

    assert corrections(date(2026, 3, 4)) == []
    assert corrections(date(2026, 3, 5)) == ["detailed-first-day"]
    # before the order was announced, no one knew of it
    assert ask(detailed, "PK-BA", on="2026-03-05", as_of=date(2026, 2, 28)).restrictions == []


def test_the_rules_are_compiled_again_only_for_an_earlier_day(detailed: RuleSet) -> None:
    assert as_known_on(detailed, detailed.last_known) is detailed
    earlier = as_known_on(detailed, date(2026, 3, 8))
    assert earlier is not detailed and earlier.amendments == ()
    assert earlier.last_known == date(2026, 3, 5)  # the correction, recorded before the 8th
    evaluator = Evaluator(detailed)  # keeps one past evaluator per day asked
    region = detailed.gazetteer["PK-BA"]
    query = ask(detailed, "PK-BA", on="2026-03-05").query
    first = evaluator.evaluate(region, query, date(2026, 3, 8))
    again = evaluator.evaluate(region, query, date(2026, 3, 8))
    assert first == again and first.restrictions[0].end is not None


def test_the_cli_answers_as_of_the_day_given() -> None:
    rules = [f"--rules={GAZETTEER}", f"--rules={FIXTURES / 'valid' / 'order-details.yaml'}"]
    before = CliRunner().invoke(main, ["check", "PK-BA", "--on", "2026-03-05", "--as-of",
                                       "2026-03-08", *rules])  # fmt: skip
    after = CliRunner().invoke(main, ["check", "PK-BA", "--on", "2026-03-05", "--as-of",
                                      "2026-03-09", *rules])  # fmt: skip
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    assert "until end of 10 Mar 2026" in before.output and "Amended" not in before.output
    assert "until end of 20 Mar 2026" in after.output and "Amended: extended" in after.output


def test_only_a_few_past_days_are_kept_compiled(detailed: RuleSet) -> None:
    evaluator = Evaluator(detailed)
    region = detailed.gazetteer["PK-BA"]
    query = ask(detailed, "PK-BA", on="2026-03-05").query
    for day in range(1, 9):
        evaluator.evaluate(region, query, date(2026, 3, day))
    assert sorted(evaluator._past) == [date(2026, 3, day) for day in (5, 6, 7, 8)]
