"""The compiled cache of RuleSets behind one call, `cached_rules`.

What makes a warm start fast lives here and nowhere else: a RuleSet is pickled whole under a
key of everything it was built from (cache.py), with its bulk in groups that are unpickled
on first use (shelf.py). Callers get a RuleSet and never see either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from advisories.compile.ruleset import RuleSet
from advisories.load.store import cache


def cached_rules(
    inputs: Sequence[tuple[str, bytes]], stamps: Sequence[str], build: Callable[[], RuleSet]
) -> RuleSet:
    """The RuleSet cached for `inputs` (name, bytes) and `stamps`, else `build()`'s, then cached.

    `stamps` name everything else the RuleSet depends on: the code and data versions.
    """
    key = cache.cache_key(inputs, stamps)
    found = cache.read(key)
    if found is not None:
        return found
    rules = build()
    cache.write(key, rules)
    return rules
