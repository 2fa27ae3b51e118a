"""The rules a running service answers from: loaded at start, reloaded when their files change.

The files are looked at by a thread of their own, so no request waits for the files to be
read and compiled: requests go on answering from the rules loaded until the new ones are
ready (the collector's pass over the old rules, once they are dropped, still takes the
interpreter for a moment). A broken edit does not
stop the service: it goes on answering from the last good rules, says what is wrong at
/api/v1/health until the files load again, and logs it (once per edit) for whoever runs it.

A service keeps its rules for hours, so it takes the collector policy `loading_once` gives
the CLI: once the rules are loaded and every part of them opened, what is alive is frozen and
never walked again by the cycle collector (whose full passes over a large tree's objects
otherwise stall answers); the last rules are unfrozen when new ones come.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from starlette.requests import Request
from starlette.responses import Response

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError, QueryError
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.orders import (
    OrderFacts,
    OrderStatus,
    OrderSummary,
    order_facts,
    summaries_at,
)
from advisories.evaluation.query import read_day

log = logging.getLogger(__name__)


@dataclass
class Service:
    """The loaded rules and the Evaluator that answers from them (it keeps what no question
    changes, so one serves every request).

    `signature` says what the rules were read from (file names, sizes, times); `watch` looks
    at it every `check_every` seconds and loads the rules again when it changes.
    """

    load: Callable[[], RuleSet]
    signature: Callable[[], object] | None = None
    check_every: float = 2.0
    rules: RuleSet = field(init=False)
    evaluator: Evaluator = field(init=False)
    loaded_at: datetime = field(init=False)
    last_reload_error: str | None = field(init=False, default=None)
    _seen: object = field(init=False, default=None)
    _facts: tuple[str, list[OrderFacts]] = field(init=False, default=("", []))
    _orders: tuple[tuple[str, datetime, date], list[OrderSummary]] | None = field(
        init=False, default=None
    )
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _watcher: threading.Thread | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._seen = self.signature() if self.signature is not None else None
        self._use(self.load())

    def current(self) -> Evaluator:
        """The Evaluator of the newest rules that loaded."""
        return self.evaluator

    def watch(self) -> None:
        """Look at the rule files every `check_every` seconds, in a thread, until `stop`."""
        if self.signature is None or self._watcher is not None:
            return
        self._stop.clear()
        self._watcher = threading.Thread(target=self._watch, name="rules-watcher", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None

    def _watch(self) -> None:
        assert self.signature is not None
        while not self._stop.wait(self.check_every):
            try:
                self._reload_if_changed(self.signature)
            except Exception as error:  # the watcher must outlive a file gone mid-pull
                self._failed(f"the rule files could not be read: {error}")

    def orders(
        self,
        at: datetime,
        as_of: date,
        region: str | None = None,
        kind: str | None = None,
        status: OrderStatus | None = None,
    ) -> Sequence[OrderSummary]:
        """The orders' summaries at `at` (to the minute), of those covering `region`, inside
        it or containing it, of `kind` and with `status` when given. The summaries are kept
        until the minute, the day or the rules change: they are asked for far more often."""
        rules = self.rules
        code = rules.gazetteer.resolve(region).code if region else None
        if kind and kind not in rules.kinds:
            raise QueryError(f"unknown kind {kind!r}; the kinds are: {', '.join(rules.kinds)}",
                             "kind")  # fmt: skip
        key = (rules.version, at, as_of)
        if self._orders is None or self._orders[0] != key:
            if self._facts[0] != rules.version:  # the rules were not loaded through _use
                self._facts = (rules.version, order_facts(rules))
            held = self._orders
            before = held[1] if held is not None and held[0][0] == rules.version else None
            self._orders = (key, summaries_at(self._facts[1], at, as_of, before))
        if code is None and not kind and status is None:
            return self._orders[1]  # every order: the list kept, not a copy of it
        relation = rules.gazetteer.relation
        return [
            summary
            for summary in self._orders[1]
            if (code is None or any(relation(r, code) for r in summary.regions))
            and (not kind or kind in summary.kinds)
            and (status is None or summary.status == status)
        ]

    def etag(self, request: Request, as_of: date, *more: str, version: str | None = None) -> str:
        """The same rules, question and as-of day (and `more` that decides the answer) give
        the same answer, so the same tag: on every replica, from any worker. `version` is
        that of the rules the answer came from (they may have been reloaded since)."""
        asked = [(k, v) for k, v in request.query_params.multi_items() if k != "as_of"]
        question = sorted(asked, key=lambda pair: pair[0])  # stable: repeated keys keep order
        return self.tag(request.url.path, question, as_of.isoformat(), *more, version=version)

    def tag(self, *question: object, version: str | None = None) -> str:
        """A tag for a question already read (its parts as JSON values) and the rules."""
        key = json.dumps([version or self.rules.version, *question])
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def _reload_if_changed(self, signature: Callable[[], object]) -> None:
        seen = signature()
        if seen == self._seen:
            return
        self._seen = seen
        try:
            rules = self.load()
        except AdvisoryError as error:
            self._failed(str(error))
        else:
            self._use(rules)
            log.info("rules reloaded: version %s, %d orders", rules.version, len(rules.orders))

    def _failed(self, error: str) -> None:
        """A reload that failed: said at /api/v1/health and in the log; the last good rules
        go on answering."""
        self.last_reload_error = error
        kept = self.rules.version
        log.error("the rules could not be reloaded; still answering from version %s:\n%s",
                  kept, error)  # fmt: skip

    def _use(self, rules: RuleSet) -> None:
        gc.unfreeze()  # the last rules, when they go, may be collected
        evaluator = Evaluator(rules)
        now = this_minute()
        facts = order_facts(rules)  # opens every order's group
        summaries = summaries_at(facts, now, date.today())
        for _ in rules.sources.values():  # and every group of sources: all before the freeze
            pass
        # Every restriction's parts too: answers made after the freeze would otherwise fill
        # the collector's oldest generation, and its full collections pause a worker.
        evaluator.work_out_all()
        self.rules, self.evaluator = rules, evaluator
        self._facts = (rules.version, facts)
        self._orders = ((rules.version, now, date.today()), summaries)
        self.loaded_at = datetime.now(UTC)
        self.last_reload_error = None
        gc.collect()
        gc.freeze()


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


def this_minute() -> datetime:
    """Now, to the minute (in UTC): what statuses and timeless questions are answered for."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def as_of_day(text: str | None) -> date:
    """The `as_of` parameter as read (an empty form field is not given): today by default."""
    return date.today() if not text else read_day(text, "as_of")
