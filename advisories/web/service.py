"""The rules a running service answers from: loaded once at start, with when and from what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.evaluator import Evaluator


@dataclass
class Service:
    """The loaded rules and the Evaluator that answers from them (it keeps what no question
    changes, so one serves every request)."""

    load: Callable[[], RuleSet]
    rules: RuleSet = field(init=False)
    evaluator: Evaluator = field(init=False)
    loaded_at: datetime = field(init=False)
    last_reload_error: str | None = None

    def __post_init__(self) -> None:
        self.rules = self.load()
        self.evaluator = Evaluator(self.rules)
        self.loaded_at = datetime.now(UTC)
