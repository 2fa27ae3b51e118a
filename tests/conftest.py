"""Shared fixtures: the bundled rules, the amendment fixture tree, and a way to ask questions."""

from __future__ import annotations

import importlib.util
import os
import sys
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from advisories.answer import Answer
from advisories.evaluation import days_query, evaluate, instant_query
from advisories.ruleset import RuleSet
from advisories.tree import load_rules

# Tests load YAML every time, and never touch the user's cache; test_cache.py turns it on.
os.environ["ADVISORIES_CACHE"] = "off"

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = date(2026, 2, 15)  # a fixed "today", so staleness does not depend on the clock


def bench_module(name: str) -> ModuleType:
    """A script from bench/, which is not a package (make_world.py writes generated trees)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundled() -> RuleSet:
    return load_rules(ROOT / "rules")


@pytest.fixture(scope="session")
def amended() -> RuleSet:
    return load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "amendments.yaml"
    )


def ask(
    rules: RuleSet,
    place: str,
    *,
    at: str | None = None,
    on: str | None = None,
    span: tuple[str, str] | None = None,
) -> Answer:
    """Ask as the CLI does: an instant (naive = place's local time), a day or a range of days."""
    region = rules.gazetteer.resolve(place)
    timezone = rules.gazetteer.timezone(region.code) or "UTC"
    if at is not None:
        query = instant_query(datetime.fromisoformat(at), timezone)
    elif on is not None:
        query = days_query(date.fromisoformat(on), date.fromisoformat(on), timezone)
    else:
        assert span is not None
        first, last = span
        query = days_query(date.fromisoformat(first), date.fromisoformat(last), timezone)
    return evaluate(rules, region, query, as_of=AS_OF)


def ids(answer: Answer, order: str | None = None) -> set[str]:
    """The restriction ids in an answer, optionally only those of one order."""
    return {r.id for r in answer.restrictions if order is None or r.order == order}
