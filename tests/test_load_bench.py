"""bench/load_bench.py's own logic, without a server: the questions it asks are ones the API
answers, and it rewrites only its own section of BENCHMARKS.md."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from advisories.compile.ruleset import RuleSet
from advisories.web.app import create_app
from tests.conftest import bench_module


@pytest.fixture(scope="module")
def load_bench() -> ModuleType:
    for name in ("loadgen", "make_world"):  # imported by name: bench/ is on the path when it runs
        bench_module(name)
    return bench_module("load_bench")


def test_questions_differ_and_are_answered(load_bench: ModuleType, bundled: RuleSet) -> None:
    asked = load_bench.check_paths(bundled, 90, random.Random(0))
    pdfs = load_bench.pdf_paths(bundled, 5, random.Random(0))
    assert len(set(asked)) == 90 and len(set(pdfs)) == 5
    assert {p.split("?")[1].split("&")[1].split("=")[0] for p in asked} == {"at", "on", "from"}
    client = TestClient(create_app(lambda: bundled))  # no lifespan: no PDF worker started
    statuses = {path: client.get(path).status_code for path in asked}
    assert {p: s for p, s in statuses.items() if s != 200} == {}


SECTION = "## The web service under load (bench/load_bench.py)"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("# Benchmarks\n\n## Rendering\n\ntext\n", "# Benchmarks\n\n## Rendering\n\ntext\n\nNEW\n"),
        (
            f"# Benchmarks\n\n{SECTION}\n\nold\n\n### bundled\n\nold\n\n## Later\n\nkept\n",
            "# Benchmarks\n\nNEW\n\n## Later\n\nkept\n",
        ),
        (
            f"# Benchmarks\n\n## Rendering\n\n{SECTION}\n\nold\n",
            "# Benchmarks\n\n## Rendering\n\nNEW\n",
        ),
    ],
)
def test_only_its_own_section_is_written(
    load_bench: ModuleType, tmp_path: Path, before: str, after: str
) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(before)
    new = f"{SECTION}\n\nfigures\n"
    load_bench.write_section(path, new)
    assert path.read_text() == after.replace("NEW", new.rstrip())
    assert load_bench.section(path) == new
    load_bench.write_section(path, new)  # again: the same file
    assert path.read_text() == after.replace("NEW", new.rstrip())
