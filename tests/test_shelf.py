"""The compiled cache shelves a RuleSet's bulk in groups opened on first use; it must answer
exactly as the RuleSet it was made from, and open only the groups a question needs."""

from __future__ import annotations

import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import to_json
from advisories.evaluation.evaluator import evaluate
from advisories.evaluation.query import days_query
from advisories.load.store import shelf
from advisories.load.store.shelf import Shelf, ShelvedMapping, ShelvedSequence, shelve
from advisories.load.tree import load_rules
from tests.conftest import bench_module, known


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    folder = tmp_path_factory.mktemp("world")
    bench_module("make_world").make_world(folder, 300, seed=8)
    return load_rules(folder)


@pytest.fixture
def shelved(world: RuleSet, monkeypatch: pytest.MonkeyPatch) -> RuleSet:
    monkeypatch.setattr(shelf, "GROUP_ORDERS", 5)  # many small groups
    # as read back from the cache: pickled, then unpickled
    read_back: RuleSet = pickle.loads(pickle.dumps(shelve(world), pickle.HIGHEST_PROTOCOL))
    return read_back


def _opened(rules: RuleSet) -> int:
    orders = rules.orders
    assert isinstance(orders, ShelvedMapping)
    return len(orders._shelf._open)


def test_everything_reads_back_in_the_same_order(world: RuleSet, shelved: RuleSet) -> None:
    assert isinstance(shelved.timelines, ShelvedSequence)
    assert len(shelved.orders._shelf) > 10  # type: ignore[attr-defined]
    assert list(shelved.orders) == list(world.orders)
    assert list(shelved.orders.values()) == list(world.orders.values())
    assert list(shelved.timelines) == list(world.timelines)
    assert list(shelved.amendments) == list(world.amendments)
    assert list(shelved.sources.items()) == list(world.sources.items())
    assert shelved.timelines[-3:] == list(world.timelines[-3:])
    # what a timeline refers to is the very object the mappings give
    for timeline in shelved.timelines:
        assert timeline.order is shelved.orders[timeline.order.id]


def test_answers_are_those_of_the_unshelved_rules(world: RuleSet, shelved: RuleSet) -> None:
    codes = sorted({c for order in world.orders.values() for c in order.regions})
    codes += sorted({world.gazetteer.lineage(c)[-1].code for c in codes})  # their countries
    for code in codes:
        for first in (date(2024, 6, 1), date(2025, 3, 10), date(2026, 11, 2)):
            query = days_query(first, date(first.year, first.month, first.day + 6), "UTC")
            region = world.gazetteer[code]
            as_of = known(world)
            mine = evaluate(shelved, region, query, as_of)
            assert to_json(mine) == to_json(evaluate(world, region, query, as_of)), code


def test_a_question_opens_only_the_groups_it_needs(shelved: RuleSet) -> None:
    assert _opened(shelved) == 0
    order = next(iter(shelved.orders.values()))
    region = shelved.gazetteer[order.regions[0]]
    query = days_query(date(2024, 1, 1), date(2027, 12, 31), "UTC")
    evaluate(shelved, region, query, shelved.last_known)
    assert 0 < _opened(shelved) < len(shelved.orders._shelf) / 2  # type: ignore[attr-defined]


def test_a_shelf_travels_without_its_opened_groups() -> None:
    groups = [{"a": 1}, {"b": 2}]
    one = Shelf(groups)
    assert one.group(1) == {"b": 2}
    copy = pickle.loads(pickle.dumps(one))
    assert copy._open == {} and copy.group(0) == {"a": 1} and len(copy) == 2


def test_the_cache_holds_a_shelved_rule_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ADVISORIES_CACHE", str(cache))
    first = load_rules()
    second = load_rules()
    assert isinstance(second.timelines, ShelvedSequence)
    assert not isinstance(first.timelines, ShelvedSequence)
    assert list(second.timelines) == list(first.timelines)


def test_threads_asking_at_once_open_a_group_once(
    shelved: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    loads = pickle.loads

    def slow_loads(data: bytes) -> object:  # widens the window two threads could race in
        opened.append(1)
        time.sleep(0.05)
        return loads(data)

    monkeypatch.setattr(pickle, "loads", slow_loads)
    timelines = shelved.timelines
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: timelines[0], range(16)))
    assert len(opened) == 1
    assert all(t is found[0] for t in found)
    assert found[0].order is shelved.orders[found[0].order.id]
