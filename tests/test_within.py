"""Where inside its regions an order holds (public places, a zone, a named road), and places
below town level (a sector of Islamabad) as an order's scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.errors import RuleError
from advisories.evaluation.answer import to_json
from advisories.evaluation.query import Days
from advisories.evaluation.trips import evaluate_trip, place_trip
from advisories.load.tree import load_rules
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.text import render_answer
from tests.conftest import AS_OF, FIXTURES, ROOT, ask

PK = ROOT / "rules" / "PK"
FIXTURE = FIXTURES / "valid" / "within.yaml"


@pytest.fixture(scope="module")
def within() -> RuleSet:
    return load_rules(PK / "gazetteer.yaml", PK / "IS" / "places.yaml", FIXTURE)


def test_sites_of_the_order_and_of_a_restriction(within: RuleSet) -> None:
    found = {r.id: r for r in ask(within, "Islamabad", on="2025-12-01").restrictions}
    public = "in public places (within the revenue limits of the district)"
    gatherings = found["capital/gatherings"]
    assert [(w.type, w.description, w.order_wide) for w in gatherings.within] == [
        ("public_places", public, True)
    ]
    motorcycles = found["capital/motorcycles"]
    assert [(w.description, w.order_wide) for w in motorcycles.within] == [
        (public, True),
        ("in the Red Zone", False),
    ]
    assert '"type": "zone"' in to_json(ask(within, "Islamabad", on="2025-12-01"))


def test_text_and_briefing_say_where_inside(within: RuleSet) -> None:
    text = " ".join(render_answer(ask(within, "Islamabad", on="2025-12-01")).split())
    assert "Only in public places (within the revenue limits of the district)" in text
    assert "Only in the Red Zone" in text
    trip = place_trip("Islamabad", Days(date(2025, 12, 1), date(2025, 12, 1)))
    html = render_html(build_briefing(evaluate_trip(within, trip, AS_OF)))
    assert "only in public places (within the revenue limits of the district)" in html
    assert '<span class="field">Only:</span> in the Red Zone' in html


def test_a_night_ban_on_a_named_highway(within: RuleSet) -> None:
    at_night = ask(within, "Zhob", at="2025-04-02T23:00:00+05:00").restrictions
    assert [(r.id, [w.description for w in r.within]) for r in at_night] == [
        ("highways/night-travel", ["on the Zhob–Dera Ismail Khan highway"])
    ]
    assert ask(within, "Zhob", at="2025-04-02T12:00:00+05:00").restrictions == []
    text = " ".join(render_answer(ask(within, "Zhob", on="2025-04-02")).split())
    assert "only on the Zhob–Dera Ismail Khan highway · hours: daily 18:00–06:00" in text


def test_a_sector_is_a_place_of_its_own(within: RuleSet) -> None:
    def mobile(place: str) -> list[tuple[str, str]]:
        found = ask(within, place, at="2025-07-05T15:00:00+05:00").restrictions
        return [(r.id, r.status) for r in found]

    assert mobile("G-6") == [("sector/mobile", "in_force")]
    assert mobile("Sector G-6") == [("sector/mobile", "in_force")]  # by its alias
    assert mobile("Islamabad") == [("sector/mobile", "partial")]  # only one sector of it
    assert mobile("G-7") == []  # the next sector: not covered
    region = within.gazetteer.resolve("Bari Imam")
    assert (region.name, region.type, region.parent) == ("Noorpur Shahan", "village", "PK-IS")


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("{type: zone}", "a site of type 'zone' needs a 'name' (which zone?)"),
        ("{type: airport}", "type: 'airport' is not allowed here; write one of 'roads'"),
    ],
)
def test_a_site_without_what_it_needs_is_refused(tmp_path: Path, site: str, expected: str) -> None:
    broken = tmp_path / "broken.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    broken.write_text(text.replace("{type: zone, name: the Red Zone}", site), encoding="utf-8")
    with pytest.raises(RuleError) as raised:
        load_rules(PK / "gazetteer.yaml", PK / "IS" / "places.yaml", broken)
    assert expected in str(raised.value)
    assert "broken.yaml:27" in str(raised.value)
