"""A compiled cache of loaded rule sets, keyed by the content of everything they were built from.

`advisory check` answers from a fresh process; parsing YAML, validating it and indexing the
5,000 ISO regions costs more than the question itself. The cache holds the finished RuleSet,
pickled, under a key that hashes the rule files' paths and bytes, the ISO data and our own
version: any change gives a new key, so a stale entry is never read. Entries are written
atomically and are safe to delete (`rm -r ~/.cache/advisories`); an entry that cannot be read
is removed and rebuilt. Set ADVISORIES_CACHE=off to bypass it.

Unpickling runs code, so an entry is read only from a folder and file that belong to the
current user and that no one else can write: anyone able to plant a file there could already
run code as that user.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from advisories.compile.ruleset import RuleSet
from advisories.load.files import named_digest
from advisories.load.store.shelf import shelve

FORMAT = b"advisories-ruleset-4"  # 2: shelved (shelf.py); 3: packages by stage; 4: last_known
KEEP = 16  # entries kept; older ones are removed when a new one is written


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is switched off."""
    setting = os.environ.get("ADVISORIES_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "advisories"


def cache_key(inputs: Sequence[tuple[str, bytes]], extra: Sequence[str]) -> str:
    """A digest of every input's name and bytes and of the code and data versions in `extra`."""
    return named_digest(inputs, salt=FORMAT, notes=extra)


def read(key: str) -> RuleSet | None:
    """The cached RuleSet for `key`, or None when absent or unreadable (then it is rebuilt)."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = folder / f"{key}.pickle"
    try:
        if not (_private(folder) and _private(entry)):
            return None
        with entry.open("rb") as file:
            found = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # any damage to an entry (truncated, other version): drop it, rebuild
        with contextlib.suppress(OSError):
            entry.unlink()
        return None
    return found if isinstance(found, RuleSet) else None


def _private(path: Path) -> bool:
    """Owned by us and writable by no one else (symlinks are not followed)."""
    info = path.lstat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def write(key: str, rules: RuleSet) -> None:
    """Store `rules` under `key` atomically; a cache that cannot be written is skipped silently."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as file:
            pickle.dump(shelve(rules), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, folder / f"{key}.pickle")
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError, NameError):
            os.unlink(file.name)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
