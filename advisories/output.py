"""Writing output files atomically: a temp file beside the target, then a rename.

A render that fails never reaches the target, so an existing file survives it whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from advisories.errors import OutputError


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step; raises OutputError with the reason."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name such as {target}/briefing.pdf")
    temp: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as file:
            temp = file.name
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise OutputError(f"{target}: cannot write ({error.strerror})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
