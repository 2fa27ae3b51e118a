"""Files as the loader takes them: read whole within a size limit, and digested.

The digest of names and contents gives the rules version and the cache key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from advisories.errors import Location, Problem


def read_capped(
    path: Path, limit: int, where: Location, hint: str | None = None, *, named: bool = True
) -> bytes | Problem:
    """The bytes of `path`, or the Problem at `where` that stops us: too large, or unreadable.

    The size is checked before reading, so a huge file costs nothing; `hint` says what to do
    about one over the limit. `named`: the message names the file (else `where` already does).
    """
    try:
        size = path.stat().st_size
        if size > limit:
            subject = str(path) if named else "file"
            message = f"{subject} is {size:,} bytes; the limit is {limit:,} bytes"
            return Problem(where, message, hint)
        return path.read_bytes()
    except OSError as error:
        subject = f"cannot read {path}" if named else "cannot read"
        return Problem(where, f"{subject}: {error.strerror}")


def named_digest(
    named: Iterable[tuple[str, bytes]], *, salt: bytes = b"", notes: Iterable[str] = ()
) -> str:
    """SHA-256 (hex) of `salt`, each of `notes`, then each (name, bytes) pair.

    Every part is delimited, so that no two different inputs run together alike.
    """
    digest = hashlib.sha256(salt)
    for note in notes:
        digest.update(note.encode() + b"\0")
    for name, data in named:
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
