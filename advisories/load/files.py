"""Reading a file whole, within a size limit, with the problem that stopped it as data."""

from __future__ import annotations

from pathlib import Path

from advisories.errors import Location, Problem


def read_capped(
    path: Path, limit: int, where: Location, hint: str | None = None
) -> bytes | Problem:
    """The bytes of `path`, or the Problem at `where` that stops us: too large, or unreadable.

    The size is checked before reading, so a huge file costs nothing; `hint` says what to do
    about a file over the limit.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            return Problem(where, f"{path} is {size:,} bytes; the limit is {limit:,} bytes", hint)
        return path.read_bytes()
    except OSError as error:
        return Problem(where, f"cannot read {path}: {error.strerror}")
