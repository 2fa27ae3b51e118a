"""Writing output files atomically: a temp file beside the target, then a rename.

A render that fails never reaches the target, so an existing file survives it whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from advisories.errors import OutputError


def check_writable(target: Path) -> None:
    """Raise OutputError now if `target` cannot be written, before any work is done for it."""
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name such as {target}/briefing.pdf")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{target}: the folder {folder} is not writable")


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step; raises OutputError with the reason."""
    check_writable(target)
    folder = target.parent
    temp: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as file:
            temp = file.name
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file, not the temp file's 0600
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise OutputError(f"{target}: cannot write ({error.strerror})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
