"""Writing output files atomically: a temp file beside the target, then a rename.

A render that fails never reaches the target, so an existing file survives it whole.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path

from advisories.errors import OutputError


def check_writable(target: Path, example: str = "briefing.pdf") -> None:
    """Raise OutputError now if `target` cannot be written, before any work is done for it
    (`example`: a file name to suggest when `target` is a folder).

    Only a regular file is replaced: a rename would turn a symlink into a file and could
    replace a device, so those are refused.
    """
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name such as {target / example}")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OutputError(f"{target} is not a regular file; write to a plain file name")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{target}: the folder {folder} is not writable")


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step; raises OutputError with the reason."""
    check_writable(target)
    folder = target.parent
    temp: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=_temp_prefix(target), suffix=_TEMP_SUFFIX, delete=False
        ) as file:
            temp = file.name
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        # Keep the mode of the file replaced (a 0600 briefing stays private); else as a new file.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(temp, mode)
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise OutputError(f"{target}: cannot write ({error.strerror})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


_TEMP_SUFFIX = ".tmp"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_leftovers(target: Path) -> None:
    """Remove the temp files a writer of `target` killed outright (a signal, the OOM killer)
    left beside it; only for a target no live process is writing."""
    pattern = glob.escape(_temp_prefix(target)) + "*" + _TEMP_SUFFIX
    for leftover in target.parent.glob(pattern):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
