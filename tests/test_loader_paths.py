"""The loader's two paths agree: the quick one (values straight from parser events, entry
places only) and the careful one (node tree, every place, every message).

The quick path must never accept what the careful one refuses, must give the same values when
both accept, and must find the same places once asked for a deeper one. It comes in two
builds, each test runs on both: C over libyaml (_quickyaml.c) and Python (_EventBuilder, used
where the C one could not be compiled).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from advisories.load import quick
from advisories.load.quick import quick_document
from advisories.load.reader import _careful_document, careful_positions
from advisories.load.tree import rule_files
from advisories.model.parsed import NodePath, Positions
from advisories.model.rules import RuleFile
from tests.conftest import FIXTURES, ROOT, bench_module

_Model = TypeVar("_Model", bound=BaseModel)


def _quick_document(text: str, path: str, model: type[_Model]) -> tuple[_Model, Positions] | None:
    return quick_document(text, path, model, lambda: careful_positions(text, path))


@pytest.fixture(autouse=True, params=["compiled", "python"])
def quick_build(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test once with the C quick path, once with the Python one."""
    if request.param == "python":
        monkeypatch.setattr(quick, "compiled_document", None)
    return str(request.param)


def test_the_c_quick_path_is_built() -> None:
    assert importlib.util.find_spec("advisories.load._quickyaml") is not None, (
        "advisories.load._quickyaml was not compiled: `make` installs gcc and libyaml-dev, then "
        "`pip install -e .` builds it (its output says why it could not)"
    )


class Anything(BaseModel):
    """Takes any mapping, so that only YAML decides what is accepted."""

    model_config = ConfigDict(extra="allow")


def _valid_files(tmp_path: Path) -> list[Path]:
    bench_module("make_world").make_world(tmp_path, 300, seed=5)
    roots = [ROOT / "rules", FIXTURES / "valid", tmp_path]
    return [file for file, _ in rule_files(roots)]


def _every_path(positions: Positions) -> list[NodePath]:
    return list(positions._marks)


def test_valid_files_read_the_same_both_ways(tmp_path: Path) -> None:
    files = _valid_files(tmp_path)
    assert len(files) > 30
    for file in files:
        text = file.read_text(encoding="utf-8")
        quick = _quick_document(text, str(file), RuleFile)
        careful = _careful_document(text, str(file), RuleFile, "a rule file")
        assert quick is not None, f"{file}: the quick path gave up on a valid file"
        assert not isinstance(careful, list), careful
        assert quick[0] == careful[0]
        deep = _every_path(careful[1])
        entries = [at for at in deep if len(at) <= 2]
        assert entries and all(quick[1]._marks[at] == careful[1]._marks[at] for at in entries)
        # a deeper place is found by parsing again, the first time one is asked for
        assert [quick[1].get(at) for at in deep] == [careful[1].get(at) for at in deep]


def test_what_the_careful_path_refuses_the_quick_one_leaves_to_it() -> None:
    refused = 0
    for file in sorted((FIXTURES / "invalid").glob("*.yaml")):
        text = file.read_bytes().decode("utf-8", errors="replace")
        careful = _careful_document(text, file.name, RuleFile, "a rule file")
        if isinstance(careful, list):  # the others are refused across files, later
            refused += 1
            assert _quick_document(text, file.name, RuleFile) is None, file.name
    assert refused >= 20


# Scalars where YAML 1.1 and a reader's eye disagree, and some that are fine.
_SCALARS = [
    "yes", "No", "ON", "off", "y", "n", "True", "false", "~", "null", "Null", "",
    "20:00", "1:30:00", "010", "0x1F", "0b101", "1_000", "1e3", "1.5e3", ".5", ".inf", "-.NaN",
    "2026-02-10", "2026-02-30", "2026-2-1", "2026-02-10T10:00:00+05:00", "2026-02-10 10:00",
    "2024-02-29", "2026-02-29", "0000-01-01", "2026-13-01", "2026-00-10", "20260-1-01",
    "2026-02-1x", "2026_02_10", "! 2026-02-10", "'2026-02-10'",
    "<<", "=", "!!str 12", "!!int 12", "!!bool yes", "!!float x", "!custom x", "! 12",
    "!!binary aGk=",
    "'yes'", '"20:00"', "'2026-02-30'", "&a x", "*a", "[1, yes]", "{a: 1, a: 2}", "{<<: {a: 1}}",
    "{? [1, 2] : x}", "{1: x}", "{yes: x}", "{'quoted': x}", "|\n  text\n", ">\n  folded\n",
    "Quetta", "PK-BA", "12", "-3", "0.25", "abc: def", "a #b", "'it''s'", "[]", "{}",
]  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Small documents mixing those scalars as values, list items and nested mappings."""
    lines: list[str] = []
    for number in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(["a", "b", "a", "<<", "yes", "'k'", "c d", "&x k"]))
        key += str(number % 2)
        shape = draw(st.sampled_from(["value", "list", "nested"]))
        value = draw(st.sampled_from(_SCALARS))
        if shape == "value" and "\n" not in value:
            lines.append(f"{key}: {value}")
        elif shape == "list":
            items = draw(st.lists(st.sampled_from(_SCALARS), min_size=1, max_size=3))
            lines.append(f"{key}: [{', '.join(i for i in items if chr(10) not in i) or '1'}]")
        else:
            lines.append(f"{key}:\n  inner: {value}".rstrip())
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["---", "--- x", "...", "- item", "  bad: indent"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(documents())
def test_never_accepts_what_the_careful_path_refuses(text: str) -> None:
    quick = _quick_document(text, "f.yaml", Anything)
    careful = _careful_document(text, "f.yaml", Anything, "a mapping")
    if quick is None:
        return  # left to the careful path, which then says what it says
    assert not isinstance(careful, list), f"quick accepted what careful refuses: {careful}"
    assert _values(quick[0]) == _values(careful[0])


def _values(document: Anything) -> Any:
    """The values with their types, so that True and 1, or 1 and 1.0, do not pass as equal."""
    return _typed(document.model_extra)


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, repr(value)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffa: 1\nb:\n  - x\n",  # a byte-order mark, as some Windows editors write
        "é: 1\nnäme: Ürümqi\nb: [ü, 2026-02-10]\n",  # columns count characters
        "a: !!str 2026-02-10\nb: '2026-02-10'\nc: 2026-02-10\n",
    ],
)
def test_places_and_values_at_the_edges_of_text(text: str) -> None:
    quick = _quick_document(text, "f.yaml", Anything)
    careful = _careful_document(text, "f.yaml", Anything, "a mapping")
    assert quick is not None and not isinstance(careful, list)
    assert _values(quick[0]) == _values(careful[0])
    assert quick[1]._marks == {at: careful[1]._marks[at] for at in quick[1]._marks}


def test_a_tag_that_is_not_utf8_gets_a_message() -> None:
    for text in ("a: !<tag:yaml.org,2002:str%C0%80> x\n", "a: !<%C0%80> {b: 1}\n"):
        assert _quick_document(text, "f.yaml", Anything) is None
        careful = _careful_document(text, "f.yaml", Anything, "a mapping")
        assert isinstance(careful, list) and "not UTF-8" in careful[0].message


@pytest.mark.parametrize("depth", [30, 31, 32, 33, 34])
def test_nesting_is_refused_past_the_same_depth_on_both_paths(depth: int) -> None:
    for inner in ("x", "[x]", "{k: x}"):
        text = "a: " + "[" * depth + inner + "]" * depth + "\n"
        quick = _quick_document(text, "f.yaml", Anything)
        careful = _careful_document(text, "f.yaml", Anything, "a mapping")
        assert (quick is None) == isinstance(careful, list), (depth, inner)
        if quick is not None and not isinstance(careful, list):
            assert _values(quick[0]) == _values(careful[0])
