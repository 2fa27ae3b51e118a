"""How a program that loads its rules once may spare Python's cycle collector the work.

A load makes many long-lived objects per restriction, none of them garbage. With the
collector running, every collection during the load walks them again, and the first one
after it walks them all (they are all young). `loading_once` pauses the collector while the
rules load and then freezes what is alive, so it is never walked again; the price is the
little cyclic garbage alive at that moment, never freed. That is process-wide policy: the
CLI chooses it; a library caller or a long-running service decides for itself.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def loading_once() -> Iterator[None]:
    """Pause the cycle collector for the block, then freeze every object alive and resume."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
