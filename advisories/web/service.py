"""The rules a running service answers from: loaded at start, reloaded when their files change.

A broken edit does not stop the service: it goes on answering from the last good rules and
says what is wrong at /api/v1/health until the files load again.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from starlette.requests import Request
from starlette.responses import Response

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.orders import OrderSummary, order_summaries


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
    _orders: tuple[object, list[OrderSummary]] | None = field(init=False, default=None)
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

    def orders(self, at: datetime, as_of: date) -> list[OrderSummary]:
        """Every order's summary at `at` (to the minute), kept until the minute, the day or
        the rules change: a list of orders is asked for far more often than that."""
        key = (self.rules.version, at, as_of)
        if self._orders is None or self._orders[0] != key:
            self._orders = (key, order_summaries(self.rules, at, as_of))
        return self._orders[1]

    def etag(self, request: Request, as_of: date, *more: str) -> str:
        """The same rules, question and as-of day (and `more` that decides the answer) give
        the same answer, so the same tag: on every replica, from any worker. (It may reload
        the rules: an async route calls it in a thread.)"""
        self.current()  # the files first: a reload changes the version in the tag
        asked = [(k, v) for k, v in request.query_params.multi_items() if k != "as_of"]
        question = sorted(asked, key=lambda pair: pair[0])  # stable: repeated keys keep order
        key = [self.rules.version, request.url.path, question, as_of.isoformat(), *more]
        return '"' + hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32] + '"'

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


def not_modified(request: Request, etag: str) -> Response | None:
    """304 when If-None-Match names `etag`: among several, or as `*`, and compared weakly as
    HTTP has it, so that a tag a proxy marked weak (W/) on compressing the answer still does."""
    asked = request.headers.get("if-none-match")
    if asked is None:
        return None
    named = {tag.strip().removeprefix("W/") for tag in asked.split(",")}
    if etag in named or "*" in named:
        return Response(status_code=304, headers={"ETag": etag})
    return None
