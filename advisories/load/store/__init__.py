"""The compiled cache of RuleSets behind one call, `cached_rules`.

What makes a warm start fast lives here and nowhere else: a RuleSet is pickled whole under a
key of everything it was built from (cache.py), with its bulk in groups that are unpickled
on first use (shelf.py). Callers get a RuleSet and never see either.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence

from advisories.compile.ruleset import RuleSet
from advisories.load.store import cache


def cached_rules(
    inputs: Sequence[tuple[str, bytes]], stamps: Sequence[str], build: Callable[[], RuleSet]
) -> RuleSet:
    """The RuleSet cached for `inputs` (name, bytes) and `stamps`, else `build()`'s, then cached.

    `stamps` name everything else the RuleSet depends on: the code and data versions.
    """
    key = cache.cache_key(inputs, stamps)
    with _collector_paused():
        found = cache.read(key)
        if found is not None:
            return found
        rules = build()
        cache.write(key, rules)
    return rules


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a RuleSet is built or unpickled.

    A load makes many long-lived objects per restriction, none in garbage cycles; the
    collector would walk them all again at every full collection during the load. Whether to
    `gc.freeze()` them afterwards, for the rest of the process, is the program's decision.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
