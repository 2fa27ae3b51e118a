"""The compiled cache: a hit gives the same rules without parsing; any change is a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisories.errors import RuleError
from advisories.load import reader
from advisories.load.tree import load_rules
from tests.conftest import FIXTURES, ROOT, ask, ids


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADVISORIES_CACHE", str(folder))
    return folder


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "gazetteer.yaml").write_bytes((ROOT / "rules/PK/gazetteer.yaml").read_bytes())
    (folder / "orders.yaml").write_bytes((FIXTURES / "valid/amendments.yaml").read_bytes())
    return folder


def test_second_load_comes_from_the_cache(
    cache: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_rules(tree)
    assert len(list(cache.glob("*.pickle"))) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache holds these rules")

    monkeypatch.setattr(reader, "parse_tree", no_parsing)
    second = load_rules(tree)
    assert second.version == first.version
    assert ids(ask(second, "PK-BA", on="2026-03-15")) == ids(ask(first, "PK-BA", on="2026-03-15"))


def test_a_changed_file_is_a_miss(cache: Path, tree: Path) -> None:
    before = load_rules(tree)
    orders = tree / "orders.yaml"
    orders.write_text(orders.read_text().replace("last_day: 2026-03-20", "last_day: 2026-03-22"))
    after = load_rules(tree)
    assert after.version != before.version
    assert ids(ask(after, "PK-BA", on="2026-03-21"), "extended")
    assert not ids(ask(before, "PK-BA", on="2026-03-21"), "extended")


def test_a_corrupt_or_deleted_cache_is_rebuilt(cache: Path, tree: Path) -> None:
    load_rules(tree)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_rules(tree).orders
    for entry in cache.glob("*.pickle"):
        entry.unlink()
    cache.rmdir()
    assert load_rules(tree).orders


def test_invalid_rules_are_never_cached(cache: Path, tree: Path) -> None:
    (tree / "bad.yaml").write_text("orders: 3\n")
    with pytest.raises(RuleError, match=r"bad\.yaml"):
        load_rules(tree)
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_unwritable_cache_is_skipped(
    tmp_path: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("ADVISORIES_CACHE", str(blocker / "cache"))  # a file stands in the way
    assert load_rules(tree).orders


def test_an_entry_others_can_write_is_not_trusted(
    cache: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_rules(tree)
    (entry,) = cache.glob("*.pickle")
    entry.chmod(0o666)  # anyone could have planted it: unpickling it could run their code
    parsed: list[bool] = []
    real = reader.parse_tree

    def spy(*args: object, **kwargs: object) -> object:
        parsed.append(True)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "parse_tree", spy)
    assert load_rules(tree).orders
    assert parsed == [True]


def test_an_unreadable_entry_is_removed_and_rebuilt(cache: Path, tree: Path) -> None:
    load_rules(tree)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"\x80\xc8 not a pickle of ours")  # unknown protocol: a ValueError
    assert load_rules(tree).orders
    assert entry.read_bytes().startswith(b"\x80")  # rewritten by the rebuild
    assert len(entry.read_bytes()) > 100


def test_a_copy_of_the_bundled_tree_has_the_bundled_version(tmp_path: Path, cache: Path) -> None:
    """A deployed copy of the rules (its own kinds.yaml, the bundled one's twin) answers with
    the same version as the rules it was copied from, so replicas' ETags agree."""
    import shutil

    copy = tmp_path / "deployed"
    shutil.copytree(ROOT / "rules", copy)
    assert load_rules(copy).version == load_rules(ROOT / "rules").version
    (copy / "kinds.yaml").write_text((copy / "kinds.yaml").read_text() + "\n# ours\n")
    assert load_rules(copy).version != load_rules(ROOT / "rules").version
