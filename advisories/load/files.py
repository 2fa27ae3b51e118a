"""Files as the loader takes them: read whole within a size limit, and digested.

The digest of names and contents gives the rules version and the cache key.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from advisories.errors import Location, Problem


def read_capped(
    path: Path, limit: int, where: Location, hint: str | None = None, *, named: bool = True
) -> bytes | Problem:
    """The bytes of `path`, or the Problem at `where` that stops us: too large, not a regular
    file, or unreadable.

    The one way the loader reads a file, so every kind of input gains its guards. Only a
    regular file is read: a device never ends (/dev/zero) and a FIFO waits for a writer, so
    the file is opened without blocking and refused by what it is before a byte is read. The
    limit holds for the bytes read, not for what stat() says (a file may still be growing).
    `hint` says what to do about one over the limit. `named`: the message names the file
    (else `where` already does).
    """
    subject = str(path) if named else "file"
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | _O_CLOEXEC)
    except OSError as error:
        return Problem(where, f"{_cannot(path, named)}: {error.strerror}")
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):  # as reading one says
            return Problem(where, f"{_cannot(path, named)}: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(mode):
            return Problem(where, f"{_not_regular(path, named)} ({_kind(mode)}); give a file")
        size = os.fstat(descriptor).st_size
        if size > limit:
            message = f"{subject} is {size:,} bytes; the limit is {limit:,} bytes"
            return Problem(where, message, hint)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)
        if len(data) > limit:
            return Problem(where, f"{subject} is over {limit:,} bytes, the limit", hint)
        return data
    except OSError as error:
        return Problem(where, f"{_cannot(path, named)}: {error.strerror}")
    finally:
        os.close(descriptor)


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def _cannot(path: Path, named: bool) -> str:
    return f"cannot read {path}" if named else "cannot read"


def _not_regular(path: Path, named: bool) -> str:
    return f"{path}: not a regular file" if named else "not a regular file"


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
