"""A compiled cache of loaded rule sets, keyed by the content of everything they were built from.

`advisory check` answers from a fresh process; parsing YAML, validating it and indexing the
5,000 ISO regions costs more than the question itself. The cache holds the finished RuleSet,
pickled, under a key that hashes the rule files' paths and bytes, the ISO data and our own
version: any change gives a new key, so a stale entry is never read. An entry also records
the zones its orders were compiled in and a digest of their files (zones.py), and holds only
while those files are unchanged. Entries are written atomically and are safe to delete
(`rm -r ~/.cache/advisories`). Set ADVISORIES_CACHE=off to bypass it.

Unpickling runs code, so an entry is read only from a folder and file that belong to the
current user and that no one else can write: anyone able to plant a file there could already
run code as that user. Each entry starts with a header the cache wrote, `MAGIC` and a
SHA-256 of the rest, checked before a byte is unpickled: damage (a flipped bit, a cut-off
write) is found, warned about once, and the entry rebuilt; it never turns into other
answers. The folder may hold other files (ADVISORIES_CACHE can point anywhere): only files
named like an entry that start with that header are ever removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from advisories.compile.ruleset import RuleSet
from advisories.load.files import named_digest
from advisories.load.store.shelf import shelve
from advisories.load.store.zones import zone_files_digest, zones_used

FORMAT = b"advisories-ruleset-5"  # 3: packages by stage; 4: last_known; 5: header and zones
KEEP = 16  # entries kept; older ones are removed when a new one is written

# Every entry starts with this line, then the SHA-256 (hex) of everything after its line.
_OURS = b"advisories-cache "
MAGIC = _OURS + FORMAT + b"\n"
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.pickle")
_warned: set[Path] = set()


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
    """The cached RuleSet for `key`, or None when absent, damaged (then dropped, with a
    warning) or built with other zone files (then rebuilt over)."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = folder / f"{key}.pickle"
    try:
        if not (_private(folder) and _private(entry)):
            return None
        data = entry.read_bytes()
    except OSError:  # absent, or gone since
        return None
    opened = _opened(data)
    if isinstance(opened, str):
        _drop(entry, opened)
        return None
    zones, zone_digest, pickled = opened
    if zone_files_digest(zones) != zone_digest:
        return None  # the zone data changed since: rebuilt, and written over this entry
    try:
        found = pickle.loads(pickled)
    except Exception:  # sound bytes that no longer unpickle (our code changed under them)
        _drop(entry, "it does not unpickle")
        return None
    return found if isinstance(found, RuleSet) else None


def _opened(data: bytes) -> tuple[list[str], str, bytes] | str:
    """An entry's zones, zone digest and pickle, or why it is damaged."""
    if not data.startswith(MAGIC):
        return "no header of this cache"
    stated, _, body = data[len(MAGIC) :].partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != stated:
        return "its digest does not match its bytes"
    zones, _, rest = body.partition(b"\n")
    zone_digest, _, pickled = rest.partition(b"\n")
    return zones.decode("ascii", "replace").split(), zone_digest.decode("ascii", "replace"), pickled


def _drop(entry: Path, why: str) -> None:
    if entry not in _warned:
        _warned.add(entry)
        sys.stderr.write(f"warning: the rules cache entry {entry} is damaged ({why}); rebuilt\n")
    with contextlib.suppress(OSError):
        entry.unlink()


def _private(path: Path) -> bool:
    """A regular file or folder owned by us and writable by no one else (links not followed)."""
    info = path.lstat()
    kind_ok = stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & 0o022


def write(key: str, rules: RuleSet) -> None:
    """Store `rules` under `key` atomically; a cache that cannot be written is skipped silently."""
    folder = cache_dir()
    if folder is None:
        return
    zones = zones_used(rules)
    body = b"\n".join(
        [
            " ".join(zones).encode(),
            zone_files_digest(zones).encode(),
            pickle.dumps(shelve(rules), protocol=pickle.HIGHEST_PROTOCOL),
        ]
    )
    digest = hashlib.sha256(body).hexdigest().encode()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=".advisories-", suffix=".tmp", delete=False
        ) as file:
            file.write(MAGIC + digest + b"\n" + body)
        os.replace(file.name, folder / f"{key}.pickle")
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError, NameError):
            os.unlink(file.name)


def _prune(folder: Path) -> None:
    """Remove all but the KEEP newest entries: files named like one that start as ours."""
    entries = [p for p in folder.iterdir() if _ENTRY_NAME.fullmatch(p.name) and _is_ours(p)]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _is_ours(path: Path) -> bool:
    """Whether the cache wrote `path`: private, and starting with its header (any version)."""
    try:
        if not _private(path):
            return False
        with path.open("rb") as file:
            return file.read(len(_OURS)) == _OURS
    except OSError:
        return False
