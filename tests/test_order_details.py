"""What real notifications also say: a penalty for breaking the order, and an amendment's own
authority, legal basis and note, in JSON, text and the briefing."""

from __future__ import annotations

from datetime import date

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.query import Days
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.load.tree import load_rules
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT, ask, known

PENALTY = "Violations are punishable under section 188 of the Pakistan Penal Code"
BY = "Home Department, Test Province, Section 144(6), Code of Criminal Procedure 1898"


@pytest.fixture(scope="module")
def detailed() -> RuleSet:
    gazetteer = ROOT / "rules" / "PK" / "gazetteer.yaml"
    return load_rules(gazetteer, FIXTURES / "valid" / "order-details.yaml")


def _briefing(rules: RuleSet) -> str:
    """The HTML briefing for Balochistan on 15 March 2026."""
    trip = place_trip("PK-BA", Days(date(2026, 3, 15), date(2026, 3, 15)))
    return render_html(build_briefing(evaluate_trip(rules, trip, known(rules))))


def test_the_answer_carries_them(detailed: RuleSet) -> None:
    found = {r.id: r for r in ask(detailed, "PK-BA", on="2026-03-15").restrictions}
    weapons = found["detailed/weapons"]
    assert weapons.penalty == PENALTY
    (extension,) = weapons.amendments
    assert extension.authority == "Home Department, Test Province"
    assert extension.legal_basis == "Section 144(6), Code of Criminal Procedure 1898"
    assert extension.note == "The province extended the district's order beyond its first term."


def test_text_and_briefing_show_them(detailed: RuleSet) -> None:
    text = " ".join(render_answer(ask(detailed, "PK-BA", on="2026-03-15")).split())
    assert f"Penalty: {PENALTY}" in text
    assert f"Amended: extended until end of 20 Mar 2026 (announced 9 Mar 2026) — {BY} [1]" in text
    assert "Note: The province extended the district's order" in text
    html = _briefing(detailed)
    assert f"<dt>Penalty</dt><dd>{PENALTY}</dd>" in html
    assert f"(announced 9 Mar 2026) — {BY}" in html
    assert "The province extended the district&#39;s order beyond its first term." in html


def test_order_wide_exemptions_hold_for_every_restriction(detailed: RuleSet) -> None:
    found = {r.id: r for r in ask(detailed, "PK-BA", on="2026-03-15").restrictions}
    weapons, gatherings = found["detailed/weapons"], found["detailed/gatherings"]
    wide = [("Wedding ceremonies", True, True), ("Law-enforcement personnel on duty", False, True)]
    assert [(e.text, e.applies, e.order_wide) for e in weapons.exemptions] == wide
    own = [("Funeral prayers", True, False)]
    assert [(e.text, e.applies, e.order_wide) for e in gatherings.exemptions] == wide + own
    text = " ".join(render_answer(ask(detailed, "PK-BA", on="2026-03-15")).split())
    assert text.count("Wedding ceremonies") == 1  # once, for the order
    assert "Exemption for the whole order (proposed, NOT in force): Law-enforcement" in text
    assert "Exemption (confirmed): Funeral prayers" in text
    html = _briefing(detailed)
    assert html.count("Wedding ceremonies") == 1
    assert "Funeral prayers" in html


def test_disagreeing_sources_are_kept_and_shown(detailed: RuleSet) -> None:
    answer = ask(detailed, "PK-BA", on="2026-03-15")
    found = {r.id: r for r in answer.restrictions}
    weapons, gatherings = found["detailed/weapons"], found["detailed/gatherings"]
    end = ("end", "until further notice", True)
    assert [(d.about, d.claim, d.order_wide) for d in weapons.disputes] == [end]
    threshold = ("threshold", "more than five people", False)
    assert [(d.about, d.claim, d.order_wide) for d in gatherings.disputes] == [end, threshold]
    assert [s.title for s in gatherings.disputes[1].sources] == [
        "Section 144 imposed until further notice"
    ]
    assert gatherings.threshold is not None and gatherings.threshold.min_people == 5
    text = " ".join(render_answer(answer).split())
    assert text.count("Sources disagree on when it ends: until further notice [2]") == 1
    assert "Sources disagree on the threshold: more than five people [2]" in text
    html = _briefing(detailed)
    assert html.count("Sources disagree on when it ends: until further notice") == 1
    assert "Sources disagree on the threshold: more than five people" in html


def test_a_correction_of_our_record_is_not_an_amendment(detailed: RuleSet) -> None:
    answer = ask(detailed, "PK-BA", on="2026-03-15")
    weapons = next(r for r in answer.restrictions if r.id == "detailed/weapons")
    assert [a.id for a in weapons.amendments] == ["detailed-extension"]
    (correction,) = weapons.corrections
    assert (correction.id, correction.recorded) == ("detailed-first-day", date(2026, 3, 5))
    assert [s.publisher for s in correction.sources] == ["Other newspaper"]
    text = " ".join(render_answer(answer).split())
    assert "Corrected (our record, 5 Mar 2026): the first day was recorded as 2 March" in text
    assert text.count("Corrected (our record") == 1
    html = _briefing(detailed)
    assert "<dt>Corrected</dt><dd>our record, 5 Mar 2026: the first day was recorded" in html


def test_another_account_of_an_amendment_is_shown_with_it(detailed: RuleSet) -> None:
    answer = ask(detailed, "PK-BA", on="2026-03-15")
    weapons = next(r for r in answer.restrictions if r.id == "detailed/weapons")
    (extension,) = weapons.amendments
    assert [(d.about, d.claim) for d in extension.disputes] == [("end", "until 21 March")]
    text = " ".join(render_answer(answer).split())
    assert "Sources disagree on when it ends: until 21 March [2]" in text
    html = _briefing(detailed)
    assert '<div class="disputed">Sources disagree on when it ends: until 21 March' in html
