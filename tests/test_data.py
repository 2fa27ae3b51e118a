"""The bundled rules are sourced facts: every citation resolves, every seed file exists."""

from __future__ import annotations

from advisories.compile.ruleset import RuleSet
from tests.conftest import ROOT


def test_every_cited_seed_file_exists(bundled: RuleSet) -> None:
    files = [s.file for s in bundled.sources.values() if s.file is not None]
    assert files, "the seed article is cited"
    for file in files:
        assert (ROOT / file).is_file(), file


def test_every_order_and_context_item_cites_a_source(bundled: RuleSet) -> None:
    for order in bundled.orders.values():
        assert order.sources and all(s in bundled.sources for s in order.sources)
    for item in bundled.context:
        assert item.sources and all(s in bundled.sources for s in item.sources)


def test_every_gazetteer_place_has_a_source(bundled: RuleSet) -> None:
    assert bundled.places
    for place in bundled.places:
        assert place.source in bundled.sources, place.code


def test_sources_disagreeing_are_both_recorded(bundled: RuleSet) -> None:
    february = bundled.orders["pk-ba-2026-02-s144"]
    only_tribune = [r for r in february.restrictions if r.sources == ["tribune-2590246"]]
    assert {r.kind for r in only_tribune} == {"face-covering", "unregistered-vehicles"}
    attacked = [c for c in bundled.context if c.date.isoformat() == "2026-01-31"]
    assert {s for c in attacked for s in c.sources} >= {
        "china-daily-brief-2026-02",
        "tribune-2590246",
    }


def test_every_rules_directory_ships_in_the_wheel() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    for directory in (ROOT / "rules").iterdir():
        if directory.is_dir():
            assert f'"advisories.bundled_rules.{directory.name}"' in pyproject, directory.name
