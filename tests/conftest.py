"""Shared fixtures: the bundled rules, the amendment fixture tree, and a way to ask questions."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import Answer
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.evaluator import ask as library_ask
from advisories.evaluation.query import read_when
from advisories.load.tree import load_rules

# Tests load YAML every time, and never touch the user's cache; test_cache.py turns it on.
os.environ["ADVISORIES_CACHE"] = "off"

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = date(2026, 2, 15)  # a fixed "today", so staleness does not depend on the clock


def known(rules: RuleSet | Evaluator) -> date:
    """AS_OF, or the last day the rules record anything on when that is later: an answer as
    of a day leaves out what came after it, and most fixtures are set after AS_OF."""
    ruleset = rules.rules if isinstance(rules, Evaluator) else rules
    return max(AS_OF, ruleset.last_known)


def bench_module(name: str) -> ModuleType:
    """A script from bench/, which is not a package (make_world.py writes generated trees)."""
    return script_module("bench", name)


def script_module(folder: str, name: str) -> ModuleType:
    """A script from a folder of the repo that is not a package (bench/, docs/)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
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
    rules: RuleSet | Evaluator,
    place: str,
    *,
    at: str | None = None,
    on: str | None = None,
    span: tuple[str, str] | None = None,
    as_of: date | None = None,
) -> Answer:
    """Ask through the library as the CLI does, as of `as_of`, else as everything the rules
    record is known (`known`); places with no timezone in UTC."""
    first, last = span or (None, None)
    when = read_when(at=at, on=on, first=first, last=last, now=datetime.now(UTC))
    gazetteer = (rules.rules if isinstance(rules, Evaluator) else rules).gazetteer
    region = gazetteer.resolve(place)
    timezone = gazetteer.timezone(region.code) or "UTC"
    return library_ask(rules, region, when, as_of or known(rules), timezone)


def ids(answer: Answer, order: str | None = None) -> set[str]:
    """The restriction ids in an answer, optionally only those of one order."""
    return {r.id for r in answer.restrictions if order is None or r.order == order}


@contextlib.contextmanager
def serving(
    *args: str, log: Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> Iterator[int]:
    """`advisory serve ARGS` as a user starts it, on a free loopback port: the port, once
    /api/v1/health answers (the test fails with the server's output if it never does);
    stopped when the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    advisory = Path(sys.executable).parent / "advisory"
    command = [str(advisory), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"advisory serve did not answer:\n{log.read_text()}")
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def pdf_titles(outline: Sequence[object]) -> list[str]:
    """A PDF's bookmarks (its headings), at every depth, as pypdf reads its outline."""
    from pypdf.generic import Destination

    found: list[str] = []
    for item in outline:
        if isinstance(item, list):
            found += pdf_titles(item)
        elif isinstance(item, Destination):
            found.append(str(item.title))
    return found
