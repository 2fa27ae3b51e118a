"""Look-up of places by code, name and alias; ambiguity and unknown names list candidates."""

from __future__ import annotations

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.errors import AmbiguousPlace, UnknownPlace
from advisories.model.regions import Relation, normalise


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("PK-BA", "PK-BA"),
        ("pk-ba", "PK-BA"),  # codes are case-insensitive
        ("Balochistan", "PK-BA"),
        ("baluchistan", "PK-BA"),  # an alias from the shipped gazetteer
        ("بلوچستان", "PK-BA"),  # the Urdu name
        ("Quetta", "PK-BA-QUETTA-QUETTA"),  # city and district share the name: the city is meant
        ("Quetta District", "PK-BA-QUETTA"),
        ("Quetta Division", "PK-BA-QUETTA-DIV"),
        ("Nasirabad Division", "PK-BA-NASEERABAD-DIV"),  # an alias: the spellings differ
        ("ژوب ڈویژن", "PK-BA-ZHOB-DIV"),
        ("Kalat", "PK-BA-KALAT"),  # division and district share the name: the district is meant
        ("District Central, Karachi", "PK-SD-KARACHI-CENTRAL"),
        ("Kech", "PK-BA-KECH"),
        ("Turbat", "PK-BA-KECH-TURBAT"),
        ("Dalbandin", "PK-BA-CHAGAI-DALBANDIN"),
        ("Pasni", "PK-BA-GWADAR-PASNI"),
        ("caqueta", "CO-CAQ"),  # accents folded: Caquetá
        ("Dera-Bugti", "PK-BA-DERA-BUGTI"),  # punctuation folded
        ("Punjab, PK", "PK-PB"),  # a qualifier narrows an ambiguous name
        ("Punjab, India", "IN-PB"),
        ("Pakistan", "PK"),
        ("PAK", "PK"),  # ISO alpha-3 as an alias
    ],
)
def test_resolve(bundled: RuleSet, query: str, code: str) -> None:
    assert bundled.gazetteer.resolve(query).code == code


def test_ambiguous_name_lists_candidates(bundled: RuleSet) -> None:
    with pytest.raises(AmbiguousPlace) as caught:
        bundled.gazetteer.resolve("Punjab")
    assert [c.split()[0] for c in caught.value.candidates] == ["IN-PB", "PK-PB"]
    assert "Punjab, PK" in str(caught.value)


def test_unknown_name_suggests_close_ones(bundled: RuleSet) -> None:
    with pytest.raises(UnknownPlace) as caught:
        bundled.gazetteer.resolve("Quetaa")
    assert any("PK-BA-QUETTA-QUETTA" in s for s in caught.value.suggestions)


def test_unknown_name_without_close_match_points_to_search(bundled: RuleSet) -> None:
    with pytest.raises(UnknownPlace, match="advisory regions"):
        bundled.gazetteer.resolve("Xqzvw")


def test_every_balochistan_district_is_in_the_gazetteer(bundled: RuleSet) -> None:
    g = bundled.gazetteer
    districts = [g[c] for c in g.codes() if g[c].type == "district" and "PK-BA" in g.ancestry(c)]
    assert len(districts) == 38  # 36 before the 2026 restructuring, and Barshor, Upper Dera Bugti
    assert all(r.source for r in districts)


def test_balochistan_districts_sit_in_eight_divisions(bundled: RuleSet) -> None:
    g = bundled.gazetteer
    divisions = [r for r in g.children("PK-BA") if r.type == "division"]
    assert len(divisions) == 8
    inside = [r for d in divisions for r in g.children(d.code)]
    assert len(inside) == 36 and all(r.type == "district" for r in inside)
    assert [r.code for r in g.children("PK-BA") if r.type == "district"] == [
        "PK-BA-BARSHORE",
        "PK-BA-UPPER-DERA-BUGTI",
    ]  # the 2026 districts: the divisions reported for them are not verified


def test_relations(bundled: RuleSet) -> None:
    g = bundled.gazetteer
    assert g.relation("PK-BA", "PK-BA") is Relation.SAME
    assert g.relation("PK-BA", "PK-BA-QUETTA-QUETTA") is Relation.CONTAINS
    assert g.relation("PK-BA-QUETTA", "PK") is Relation.INSIDE
    assert g.relation("PK-BA", "PK-SD") is None
    assert g.relation("PK-BA-MAKRAN-DIV", "PK-BA-KECH-TURBAT") is Relation.CONTAINS
    assert g.relation("PK-BA-QUETTA-DIV", "PK-BA-KECH") is None
    # Karachi's districts lie inside the city, and the city inside Karachi Division
    assert g.relation("PK-SD-KARACHI-EAST", "PK-SD-KARACHI") is Relation.INSIDE
    assert g.relation("PK-SD-KARACHI", "PK-SD-KARACHI-KEAMARI") is Relation.CONTAINS
    assert g.relation("PK-SD-KARACHI-DIV", "PK-SD-KARACHI") is Relation.CONTAINS


def test_timezone_comes_from_the_country(bundled: RuleSet) -> None:
    assert bundled.gazetteer.timezone("PK-BA-KECH-TURBAT") == "Asia/Karachi"
    assert bundled.gazetteer.timezone("US") is None  # several zones: the user must say


@pytest.mark.parametrize(
    ("a", "b"), [("Caquetá", "caqueta"), ("Dera-Bugti", "dera  bugti"), ("QUETTA", "quetta")]
)
def test_normalise(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_extending_an_iso_region_can_give_it_a_timezone() -> None:
    from advisories.load.iso3166 import iso_regions
    from advisories.model.regions import Gazetteer, Region

    texas = Region("US-TX", "", "", None, ("Lone Star State",), "test", "America/Chicago")
    gazetteer = Gazetteer([*iso_regions(), texas])
    assert gazetteer.timezone("US-TX") == "America/Chicago"
    assert gazetteer.resolve("lone star state").code == "US-TX"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Karachi city", "PK-SD-KARACHI"),  # a name may end with its kind of place
        ("Quetta city", "PK-BA-QUETTA-QUETTA"),
        ("Kech district", "PK-BA-KECH"),
    ],
)
def test_a_name_with_its_kind_of_place(bundled: RuleSet, query: str, code: str) -> None:
    assert bundled.gazetteer.resolve(query).code == code


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Queta", {"PK-BA-QUETTA", "PK-BA-QUETTA-QUETTA"}),  # a typo: not Caquetá first
        ("Gawadar", {"PK-BA-GWADAR", "PK-BA-GWADAR-GWADAR"}),
        ("Karachi city", {"PK-SD-KARACHI"}),
        ("PK-BA", {"PK-BA"}),
        ("turbat", {"PK-BA-KECH-TURBAT"}),
    ],
)
def test_search_and_check_find_the_same_places_first(
    bundled: RuleSet, query: str, first: set[str]
) -> None:
    """`advisory regions` and an unknown place's suggestions come from one matcher."""
    found = bundled.gazetteer.search(query)
    assert found[0].code in first
    assert {r.code for r in found[: len(first)]} == first
    try:
        bundled.gazetteer.resolve(query)
    except UnknownPlace as error:
        assert error.suggestions[0].startswith(found[0].code + "  ")


def test_a_search_lists_the_parts_of_a_region_by_code(bundled: RuleSet) -> None:
    districts = [r for r in bundled.gazetteer.search("PK-BA") if r.type == "district"]
    assert len(districts) >= 30
