"""A large tree is parsed on every core: the result and the messages are those of one process.

Forced here on small trees (PARALLEL_BYTES=0, two cores) so that a worker takes the later
files; its files come back without node places, which are found again for messages. Each test
also checks that a worker did parse: a pool that failed would fall back to one process and
give the same answers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from advisories import parsing
from advisories.errors import RuleError
from advisories.ruleset import RuleSet
from advisories.tree import load_rules
from tests.conftest import FIXTURES, bench_module
from tests.test_loader_errors import expected_lines, formatted

_PARSE_RUN = parsing._parse_run
_WORKED = "ADVISORIES_TEST_WORKER_MARK"


def _marked_run(run: Sequence[tuple[str, bytes]]) -> object:
    """A worker's run, leaving a file behind to show that it ran."""
    Path(os.environ[_WORKED]).touch()
    return _PARSE_RUN(run)


def _load(folder: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> RuleSet:
    mark = folder.parent / f"{folder.name}-worked"
    mark.unlink(missing_ok=True)
    with monkeypatch.context() as patch:
        patch.setattr(parsing, "PARALLEL_BYTES", 0 if parallel else 10**12)
        patch.setattr(parsing, "usable_cores", lambda: 2)
        if parsing._parse_run is _PARSE_RUN:
            patch.setattr(parsing, "_parse_run", _marked_run)
        patch.setenv(_WORKED, str(mark))
        try:
            return load_rules(folder)
        finally:
            assert mark.exists() == (parallel and parsing._parse_run is _marked_run)


def test_a_tree_reads_the_same_on_two_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench_module("make_world").make_world(tmp_path, 300, seed=6)
    alone = _load(tmp_path, False, monkeypatch)
    shared = _load(tmp_path, True, monkeypatch)
    assert shared.timelines == alone.timelines
    assert shared.sources == alone.sources and shared.context == alone.context
    assert shared.places == alone.places and shared.files == alone.files


@pytest.mark.parametrize(
    "fixture", ["unknown-region.yaml", "duplicate-order-id.yaml", "syntax-error.yaml"]
)
def test_problems_in_a_workers_files_say_where_they_are(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench_module("make_world").make_world(tmp_path, 100, seed=7)
    file = tmp_path / "zz" / fixture  # sorted last, so the worker's
    file.parent.mkdir()
    shutil.copy(FIXTURES / "invalid" / fixture, file)
    with pytest.raises(RuleError) as raised:
        _load(tmp_path, True, monkeypatch)
    found = [
        formatted(p).replace(str(file), f"tests/fixtures/invalid/{fixture}")
        for p in raised.value.problems
        if p.where and p.where.path.endswith(fixture)
    ]
    assert found == expected_lines(FIXTURES / "invalid" / fixture)


def _die(run: object) -> None:
    os._exit(3)  # as a worker killed by the system would


def test_a_worker_that_dies_leaves_this_process_to_parse_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench_module("make_world").make_world(tmp_path, 100, seed=9)
    alone = _load(tmp_path, False, monkeypatch)
    monkeypatch.setattr(parsing, "_parse_run", _die)
    assert _load(tmp_path, True, monkeypatch).timelines == alone.timelines
