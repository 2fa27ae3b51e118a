"""Writing output files atomically: a temp file beside the target, then a rename.

A render that fails never reaches the target, so an existing file survives it whole. A writer
killed outright (a signal, the out-of-memory killer) while its temp file is open leaves that
file behind; the next write to the same target removes it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
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
    remove_abandoned(target)
    folder = target.parent
    temp: str | None = None
    try:
        with tempfile.NamedTemporaryFile(  # named by its writer, so that others can tell it
            dir=folder,
            prefix=f"{_temp_prefix(target)}{os.getpid()}.",
            suffix=_TEMP_SUFFIX,
            delete=False,
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


# A temp file untouched this long was abandoned, whoever wrote it: writing bytes already
# rendered takes far less, and a writer on another machine sharing the folder has no process
# here to look for.
ABANDONED_AFTER_SECONDS = 3600


def remove_abandoned(target: Path) -> None:
    """Remove the temp files that writers of `target` killed outright left beside it: those
    whose process is gone from this machine, and any untouched for an hour."""
    prefix = _temp_prefix(target)
    pattern = glob.escape(prefix) + "*" + _TEMP_SUFFIX
    for leftover in target.parent.glob(pattern):
        writer = leftover.name[len(prefix) :].partition(".")[0]
        with contextlib.suppress(OSError):
            stale = time.time() - leftover.lstat().st_mtime > ABANDONED_AFTER_SECONDS
            if stale or (writer.isdigit() and not _alive(int(writer))):
                leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
