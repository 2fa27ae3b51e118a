"""Every source an answer rests on is listed and cited where it is used, in text and briefing."""

from __future__ import annotations

from datetime import date

from advisories.evaluation.query import Days
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.load.tree import load_rules
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT, ask, known


def test_an_amendments_sources_are_cited_in_text_and_briefing() -> None:
    """The extension comes from another report than the order: both are listed and cited."""
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "amendment-source.yaml"
    )
    answer = ask(rules, "PK-BA", on="2026-03-15")
    text = render_answer(answer)
    assert "Amended: extended until end of 20 Mar 2026 (announced 9 Mar 2026) [2]" in text
    assert "[2] Other newspaper, “Section 144 extended to 20 March”" in text
    trip = place_trip("PK-BA", Days(date(2026, 3, 15), date(2026, 3, 15)))
    html = render_html(build_briefing(evaluate_trip(rules, trip, known(rules))))
    assert '(announced 9 Mar 2026) <a class="cite" href="#source-2">[2]</a>' in html
    assert 'id="source-2"' in html and "Section 144 extended to 20 March" in html
