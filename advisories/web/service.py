"""The rules a running service answers from: loaded at start, reloaded when their files change.

A broken edit does not stop the service: it goes on answering from the last good rules and
says what is wrong at /api/v1/health until the files load again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError
from advisories.evaluation.evaluator import Evaluator


@dataclass
class Service:
    """The loaded rules and the Evaluator that answers from them (it keeps what no question
    changes, so one serves every request).

    `signature` says what the rules were read from (file names, sizes, times); when it
    changes, at most once every `check_every` seconds, the rules are loaded again.
    """

    load: Callable[[], RuleSet]
    signature: Callable[[], object] | None = None
    check_every: float = 2.0
    rules: RuleSet = field(init=False)
    evaluator: Evaluator = field(init=False)
    loaded_at: datetime = field(init=False)
    last_reload_error: str | None = field(init=False, default=None)
    _seen: object = field(init=False, default=None)
    _checked: float = field(init=False, default=0.0)
    _reloading: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._seen = self.signature() if self.signature is not None else None
        self._use(self.load())
        self._checked = time.monotonic()

    def current(self) -> Evaluator:
        """The Evaluator of the newest rules that load; their files are looked at first."""
        if self.signature is not None and time.monotonic() - self._checked >= self.check_every:
            with self._reloading:  # one request reloads; the others answer from what is loaded
                self._reload_if_changed(self.signature)
        return self.evaluator

    def _reload_if_changed(self, signature: Callable[[], object]) -> None:
        self._checked = time.monotonic()
        seen = signature()
        if seen == self._seen:
            return
        self._seen = seen
        try:
            rules = self.load()
        except AdvisoryError as error:
            self.last_reload_error = str(error)
        else:
            self._use(rules)

    def _use(self, rules: RuleSet) -> None:
        self.rules = rules
        self.evaluator = Evaluator(rules)
        self.loaded_at = datetime.now(UTC)
        self.last_reload_error = None
