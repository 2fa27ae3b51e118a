"""The index only narrows candidates: indexed answers equal linear ones, edges included.

Property-based on a world from bench/make_world.py (~300 restrictions over every ISO 3166
subdivision, with amendments, windows and synthetic places): random regions (named by rules,
their ancestors and parts, synthetic places, places without rules) and random instants, days and
ranges, many of them exactly at, or a microsecond around, period starts and ends, amendments,
revocations and window openings. Then plain tests of TimelineIndex at its edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline
from advisories.evaluation.answer import QuerySpan, to_json
from advisories.evaluation.evaluator import evaluate
from advisories.evaluation.query import days_query, instant_query
from advisories.evaluation.reference import LinearEvaluator
from advisories.load.tree import load_rules
from advisories.model.time import zone
from advisories.model.windows import occurrences
from tests.conftest import bench_module, known

WORLD_RESTRICTIONS = 300
ZONES = ["UTC", "Asia/Karachi", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
NUDGES = [timedelta(0), timedelta(microseconds=-1), timedelta(microseconds=1), timedelta(hours=-1)]


@dataclass(frozen=True)
class Aim:
    """A timeline's edges in time, and the regions whose answers it can change."""

    regions: list[str]
    edges: list[datetime]


class World:
    """The generated rules, the regions to ask about, and the timelines to aim at.

    A plain class with a short repr, not a dataclass: given a dataclass argument holding the
    whole RuleSet, Hypothesis (6.170) reported a failing example as FlakyStrategyDefinition
    instead of showing it.
    """

    def __init__(self, rules: RuleSet, regions: list[str], aims: list[Aim]) -> None:
        self.rules = rules
        self.regions = regions  # named by rules, their ancestors and parts, some without rules
        self.aims = aims

    def __repr__(self) -> str:
        return f"World({len(self.rules.timelines)} timelines, {len(self.regions)} regions)"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("world")
    bench_module("make_world").make_world(folder, WORLD_RESTRICTIONS, seed=4)
    rules = load_rules(folder)
    gazetteer = rules.gazetteer
    parts: dict[str, list[str]] = {}
    for code in gazetteer.codes():
        parent = gazetteer[code].parent
        if parent is not None:
            parts.setdefault(parent, []).append(code)
    aims = [_aim(t, rules, parts) for t in rules.timelines if t.periods or t.revoked]
    anywhere = sorted(gazetteer.codes())[::97]  # most of these have no rules at all
    places = [p.code for p in rules.places]
    regions = sorted({c for aim in aims for c in aim.regions} | {*anywhere, *places})
    return World(rules, regions, aims)


def _aim(timeline: RestrictionTimeline, rules: RuleSet, parts: dict[str, list[str]]) -> Aim:
    scope = {c for p in timeline.periods for c in (*p.regions, *p.exclude_regions)}
    scope |= {*timeline.order.regions, *timeline.order.exclude_regions}
    related = {r.code for c in scope for r in rules.gazetteer.lineage(c)}
    related |= {part for c in scope for part in parts.get(c, [])[:3]}
    edges: set[datetime] = {h.effective for h in timeline.history}
    if timeline.revoked is not None:
        edges.add(timeline.revoked.effective)
    windows, tz = timeline.restriction.windows, timeline.order.tz
    for period in timeline.periods:
        edges.add(period.start)
        if period.end is not None:
            edges.add(period.end)
        if windows:
            later = period.start + timedelta(days=3)
            stop = later if period.end is None else min(period.end, later)
            for opens, closes in occurrences(windows, tz, period.start, stop, period.opened):
                edges |= {opens, closes}
    return Aim(sorted(related), sorted(e.astimezone(UTC) for e in edges))


@st.composite
def questions(draw: st.DrawFn, world: World, kind: str) -> tuple[str, QuerySpan]:
    """A region and a question about it: aimed at a timeline's edges, or anywhere, any time."""
    timezone = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        aim = draw(st.sampled_from(world.aims))
        region = draw(st.sampled_from(aim.regions))
        at = draw(st.sampled_from(aim.edges)) + draw(st.sampled_from(NUDGES))
    else:
        region = draw(st.sampled_from(world.regions))
        at = draw(st.datetimes(datetime(2023, 12, 1), datetime(2028, 6, 1), timezones=st.just(UTC)))
    if kind == "instant":
        return region, instant_query(at, timezone)
    first = at.astimezone(zone(timezone)).date()
    first -= timedelta(days=draw(st.integers(0, 2)))
    length = 0 if kind == "day" else draw(st.integers(1, 40))
    return region, days_query(first, first + timedelta(days=length), timezone)


def _differences(rules: RuleSet, code: str, query: QuerySpan) -> list[str]:
    """How the indexed answer differs from the linear one, briefly; empty when their JSON is equal.

    Brief, so that a failing example reads well (the answers' JSON runs to many lines).
    """
    region = rules.gazetteer[code]
    indexed = evaluate(rules, region, query, known(rules))
    linear = LinearEvaluator(rules).evaluate(region, query, known(rules))
    if to_json(indexed) == to_json(linear):
        return []
    found = []
    for name, mine, theirs in [
        ("restrictions", [r.id for r in indexed.restrictions], [r.id for r in linear.restrictions]),
        ("changes", [(c.at, c.restriction, c.event) for c in indexed.changes],
         [(c.at, c.restriction, c.event) for c in linear.changes]),
    ]:  # fmt: skip
        if mine != theirs:
            found.append(f"{name}: indexed {mine}, linear {theirs}")
    return found or ["same restrictions and changes, other fields differ"]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_instants_are_answered_as_by_a_linear_scan(world: World, data: st.DataObject) -> None:
    code, query = data.draw(questions(world, "instant"))
    assert _differences(world.rules, code, query) == []


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_days_are_answered_as_by_a_linear_scan(world: World, data: st.DataObject) -> None:
    code, query = data.draw(questions(world, "day"))
    assert _differences(world.rules, code, query) == []


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_ranges_are_answered_as_by_a_linear_scan(world: World, data: st.DataObject) -> None:
    code, query = data.draw(questions(world, "range"))
    assert _differences(world.rules, code, query) == []


def test_the_world_gives_the_properties_something_to_find(world: World) -> None:
    """Most timelines' own regions, asked at their first start, have that restriction in force."""
    found = 0
    timelines = [t for t in world.rules.timelines if t.periods][:100]
    for timeline in timelines:
        period = timeline.periods[0]
        region = world.rules.gazetteer[period.regions[0]]
        query = instant_query(period.start, timeline.order.timezone)
        answer = evaluate(world.rules, region, query, known(world.rules))
        found += any(r.id == timeline.key for r in answer.restrictions)
    assert found > len(timelines) * 0.7  # windows closed at the start account for the rest


# --- TimelineIndex at its edges --------------------------------------------------------------

TREE = """
sources:
  - {id: src, title: Notification, publisher: Test, url: "https://example.org/n"}
orders:
  - id: dated
    title: Dated
    authority: Test
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-10}
    sources: [src]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: open
    title: Open-ended
    authority: Test
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-SD]
    validity: {first_day: 2026-03-01, until_further_notice: true}
    sources: [src]
    verification: official
    restrictions: [{id: curfew, kind: curfew, windows: [{from: "20:00", to: "06:00"}]}]
  - id: withdrawn
    title: Withdrawn
    authority: Test
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-31}
    sources: [src]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
amendments:
  - {id: withdrawn-revoked, order: withdrawn, action: revoke, announced: 2026-03-03,
     sources: [src], verification: official}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    folder = tmp_path_factory.mktemp("small")
    (folder / "orders.yaml").write_text(TREE)
    return load_rules(folder)


def _position(rules: RuleSet, key: str) -> int:
    return next(i for i, t in enumerate(rules.timelines) if t.key == key)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("region", "at", "found"),
    [
        ("PK-BA", "2026-02-28T23:59:59.999999+05:00", False),
        ("PK-BA", "2026-03-01T00:00:00+05:00", True),  # the start is included
        ("PK-BA", "2026-03-10T23:59:59.999999+05:00", True),
        ("PK-BA", "2026-03-11T00:00:00+05:00", False),  # the end is not
        ("PK", "2026-03-01T00:00:00+05:00", True),  # asked about the country: part of it
        ("PK", "2026-03-11T00:00:00+05:00", False),
        ("PK-SD", "2026-03-05T00:00:00+05:00", False),  # another province
    ],
)
def test_an_instant_at_a_start_is_included_and_at_an_end_is_not(
    small: RuleSet, region: str, at: str, found: bool
) -> None:
    instant = _at(at)
    assert (
        _position(small, "dated/weapons") in small.index.candidates(region, instant, instant)
    ) is found
    assert _differences(small, region, instant_query(instant, "Asia/Karachi")) == []


def test_a_range_ending_at_a_start_or_starting_at_an_end_misses_the_timeline(
    small: RuleSet,
) -> None:
    position = _position(small, "dated/weapons")
    start, end = _at("2026-03-01T00:00:00+05:00"), _at("2026-03-11T00:00:00+05:00")
    assert position not in small.index.candidates("PK-BA", start - timedelta(days=1), start)
    assert position not in small.index.candidates("PK-BA", end, end + timedelta(days=1))
    assert position in small.index.candidates(
        "PK-BA", start - timedelta(days=1), start + timedelta(microseconds=1)
    )


@pytest.mark.parametrize("region", ["PK-SD", "PK"])
def test_until_further_notice_is_found_any_time_after_its_start(
    small: RuleSet, region: str
) -> None:
    position = _position(small, "open/curfew")
    far = _at("2099-06-01T21:00:00+05:00")
    assert position in small.index.candidates(region, far, far)
    assert position in small.index.candidates(region, far, far + timedelta(days=400))
    before = _at("2026-02-28T21:00:00+05:00")
    assert position not in small.index.candidates(region, before, before)
    answer = evaluate(
        small, small.gazetteer[region], instant_query(far, "Asia/Karachi"), known(small)
    )
    assert [r.id for r in answer.restrictions] == ["open/curfew"]


@pytest.mark.parametrize(
    ("first", "last", "found"),
    [
        ("2026-03-01", "2026-03-05", True),
        ("2026-03-03", "2026-03-03", True),  # the day of the revocation, from its midnight
        ("2026-03-01", "2026-03-02", False),  # ends at the revocation's instant: excluded
        ("2026-03-04", "2026-03-20", False),
    ],
)
def test_a_revoked_orders_revocation_is_found_for_a_range_holding_it(
    small: RuleSet, first: str, last: str, found: bool
) -> None:
    query = days_query(date.fromisoformat(first), date.fromisoformat(last), "Asia/Karachi")
    position = _position(small, "withdrawn/weapons")
    assert not small.timelines[position].periods
    assert (position in small.index.candidates("PK-BA", query.start, query.end)) is found
    answer = evaluate(small, small.gazetteer["PK-BA"], query, known(small))
    revocations = [c for c in answer.changes if c.restriction == "withdrawn/weapons"]
    assert bool(revocations) is found
    assert all(c.event == "amended" and "revoked" in c.summary for c in revocations)
    assert not any(r.order == "withdrawn" for r in answer.restrictions)
    assert _differences(small, "PK-BA", query) == []


def test_a_region_without_rules_has_no_candidates(small: RuleSet) -> None:
    start = _at("2026-01-01T00:00:00+00:00")
    assert small.index.candidates("FR-75C", start, start + timedelta(days=3650)) == []
