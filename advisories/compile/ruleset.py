"""RuleSet: everything a rule tree says, checked and compiled, as plain data ready to evaluate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from advisories.compile.index import RegionIndex, TimelineIndex
from advisories.compile.timeline import RestrictionTimeline
from advisories.model.regions import Gazetteer
from advisories.model.rules import (
    Amendment,
    ContextItem,
    Correction,
    Coverage,
    Kind,
    Order,
    Place,
    Source,
)


@dataclass(frozen=True)
class RuleSet:
    """Everything a rule tree says, checked and compiled, ready to be evaluated.

    Plain data: nothing in it changes once built. What makes questions fast beyond the index
    (answer parts worked out once) belongs to the `Evaluator` that asks them.
    """

    version: str
    sources: Mapping[str, Source]
    kinds: dict[str, Kind]
    gazetteer: Gazetteer
    orders: Mapping[str, Order]
    # These four: a tuple or dict, or (read from the compiled cache) the store's read-only
    # equivalents that open their items on first use; they iterate, index and look up alike.
    amendments: Sequence[Amendment]
    context: tuple[ContextItem, ...]
    timelines: Sequence[RestrictionTimeline]
    index: TimelineIndex
    context_index: RegionIndex
    places: tuple[Place, ...]  # the gazetteer entries the tree adds or extends
    coverage: tuple[Coverage, ...]  # what the tree monitors; elsewhere is "not monitored"
    corrections: tuple[Correction, ...]  # fixes of our record, also in their orders' timelines
    files: tuple[str, ...]
    # The latest day the tree records anything on (an order or amendment announced, a
    # correction recorded, a context item dated): an answer as of an earlier day leaves out
    # what came after it (compile/known.py).
    last_known: date
