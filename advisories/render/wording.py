"""What the terminal text and the HTML briefing say alike.

Sources are numbered in one order, and two restrictions of one kind in one order are told
apart the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from advisories.evaluation.answer import Answer, RestrictionOut, SourceRef


def numbered_sources(answers: Iterable[Answer]) -> dict[SourceRef, int]:
    """Every source the answers cite, numbered 1, 2, ... in order of first citation."""
    numbers: dict[SourceRef, int] = {}
    for answer in answers:
        cited = [s for r in answer.restrictions for s in r.sources]
        cited += [s for item in answer.context for s in item.sources]
        for source in cited:
            numbers.setdefault(source, len(numbers) + 1)
    return numbers


def told_apart(restrictions: Sequence[RestrictionOut]) -> set[str]:
    """The ids of restrictions whose order holds another of their kind.

    Those go by their own words, not the kind's label (two gatherings bans: processions, and
    sit-ins).
    """
    per_order = Counter((r.order, r.label) for r in restrictions)
    return {r.id for r in restrictions if per_order[r.order, r.label] > 1}
