"""A reference evaluator that looks at every timeline, for tests and benchmarks.

It answers exactly as `Evaluator` does without the index: tests check that the two agree,
and benchmarks measure what the index saves.
"""

from __future__ import annotations

from collections.abc import Iterable

from advisories.compile.timeline import RestrictionTimeline
from advisories.evaluation.answer import QuerySpan
from advisories.evaluation.evaluator import Evaluator
from advisories.model.regions import Region
from advisories.model.rules import ContextItem


class LinearEvaluator(Evaluator):
    """An Evaluator that considers every timeline and context item for every question."""

    def _timelines(
        self, region: Region, query: QuerySpan
    ) -> Iterable[tuple[int, RestrictionTimeline]]:
        return enumerate(self.rules.timelines)

    def _context_items(self, region: Region) -> Iterable[ContextItem]:
        return self.rules.context
