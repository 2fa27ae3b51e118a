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
    assert entry.read_bytes().startswith(b"advisories-cache ")  # rewritten by the rebuild
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


# The cache keeps to its own files: it prunes only entries it wrote and can recognise.


def test_pickles_the_cache_did_not_write_are_never_removed(
    cache: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADVISORIES_CACHE may point at a folder that holds other programs' pickles."""
    import os

    from advisories.load.store import cache as store

    cache.mkdir(mode=0o700)
    theirs = [cache / "model.pickle", cache / ("a" * 64 + ".pickle"), cache / "notes.txt"]
    for number, path in enumerate(theirs):
        path.write_bytes(b"\x80\x05 someone else's data")
        os.utime(path, (number, number))  # older than any entry, first in line to be pruned
    monkeypatch.setattr(store, "KEEP", 1)
    orders = tree / "orders.yaml"
    for number in range(3):  # three trees, three entries: two of them pruned
        orders.write_text(orders.read_text() + f"# edit {number}\n")
        load_rules(tree)
    assert all(path.exists() for path in theirs)
    ours = [p for p in cache.glob("*.pickle") if p not in theirs]
    assert len(ours) == 1


# Every entry is checked against the digest it was written with before it is unpickled.


def _load_with_warnings(tree: Path, capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    rules = load_rules(tree)
    return rules, capsys.readouterr().err


def _damaged(entry: Path, how: str) -> None:
    data = bytearray(entry.read_bytes())
    if how == "truncated":
        entry.write_bytes(bytes(data[: len(data) // 2]))
    else:
        at = {"payload": len(data) - 200, "header": 3}[how]
        data[at] ^= 0x01  # one flipped bit
        entry.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["payload", "header", "truncated"])
def test_a_damaged_entry_is_dropped_with_one_warning_and_rebuilt(
    cache: Path, tree: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = load_rules(tree)
    expected = ids(ask(first, "PK-BA", on="2026-03-15"))
    (entry,) = cache.glob("*.pickle")
    _damaged(entry, how)
    capsys.readouterr()
    rebuilt, warned = _load_with_warnings(tree, capsys)
    assert ids(ask(rebuilt, "PK-BA", on="2026-03-15")) == expected  # type: ignore[arg-type]
    assert warned.count("warning:") == 1
    assert f"cache entry {entry} is damaged" in warned
    again, warned = _load_with_warnings(tree, capsys)
    assert warned == ""  # the rebuilt entry is sound
    assert ids(ask(again, "PK-BA", on="2026-03-15")) == expected  # type: ignore[arg-type]


def test_a_flipped_bit_never_changes_an_answer_silently(
    cache: Path, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bit flipped anywhere in an entry (sampled through it) is found and warned about."""
    from advisories.load.store import cache as store

    first = load_rules(tree)
    expected = ids(ask(first, "PK-BA", on="2026-03-15"))
    (entry,) = cache.glob("*.pickle")
    original = entry.read_bytes()
    for at in range(0, len(original), max(1, len(original) // 40)):
        damaged = bytearray(original)
        damaged[at] ^= 0x10
        entry.write_bytes(bytes(damaged))
        store._warned.clear()  # each load as a fresh run, which warns anew
        capsys.readouterr()
        rules = load_rules(tree)
        assert "is damaged" in capsys.readouterr().err, f"byte {at} flipped unnoticed"
        assert ids(ask(rules, "PK-BA", on="2026-03-15")) == expected


# The key covers the zone files the rules' orders are read in, as zoneinfo finds them.


def test_a_changed_zone_file_is_a_miss(
    cache: Path, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zoneinfo

    from advisories.model import time as model_time

    zones = tmp_path / "zones"
    (zones / "Asia").mkdir(parents=True)
    karachi = zones / "Asia" / "Karachi"
    system = Path(zoneinfo.TZPATH[0])
    karachi.write_bytes((system / "Asia" / "Karachi").read_bytes())

    def use_zones() -> None:
        zoneinfo.reset_tzpath([str(zones)])
        zoneinfo.ZoneInfo.clear_cache()
        model_time.zone.cache_clear()

    use_zones()
    try:
        load_rules(tree)
        karachi.write_bytes((system / "Asia" / "Tokyo").read_bytes())
        use_zones()  # as a fresh process would find the zone files
        parsed: list[bool] = []
        real = reader.parse_tree

        def spy(*args: object, **kwargs: object) -> object:
            parsed.append(True)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(reader, "parse_tree", spy)
        load_rules(tree)
        assert parsed == [True], "answered from an entry built with other zone data"
        load_rules(tree)
        assert parsed == [True], "the rebuilt entry is used again"
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()
        model_time.zone.cache_clear()
