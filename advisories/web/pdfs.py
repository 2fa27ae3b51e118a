"""Briefing PDFs for the web service: rendered off the event loop, bounded, and kept.

A briefing's context, HTML and PDF are made in worker processes, from the trip answered on
the loop (a few milliseconds): JSON answers go on while PDFs are made. Not in a thread: a
thread doing Python work and the loop take the interpreter lock in turns, and every answer
waits for the thread's turn many times over. The pool is small and its queue bounded (a request
beyond it is told to come back, 503 with Retry-After); a render that overruns its time limit
is stopped by ending its worker, and the pool starts afresh. Finished PDFs are kept in memory
up to a number of bytes, the least recently asked for dropped first, under a key made from
the rules version and the question: the same question asks again for the same bytes.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from advisories.briefing import BriefingOptions, RenderedBriefing, render_answered
from advisories.evaluation.trips import TripAnswer

log = logging.getLogger(__name__)


class RenderUnavailable(Exception):
    """A PDF that cannot be made now: the queue is full, or the render overran its time."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class PdfCache:
    """PDF bytes by key, at most `max_bytes` in all; the least recently used go first."""

    max_bytes: int
    _items: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return  # kept, it would push out everything else
        with self._lock:
            if key in self._items:
                self._size -= len(self._items.pop(key))
            self._items[key] = data
            self._size += len(data)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)


def _warm() -> None:
    """Import the PDF stack in a new worker, so that the first real render does not pay it."""
    import advisories.render.context
    import advisories.render.pdf  # noqa: F401


def _yield_to_answers() -> None:
    """A worker's start: it runs at a lower priority than the server, so that on a busy
    machine the cores go to answering questions first and a PDF takes longer instead."""
    os.nice(10)


@dataclass
class PdfRenderer:
    """Renders HTML to PDF in `workers` processes, at most `max_waiting` at a time beyond
    them, each within `time_limit` seconds, keeping results in `cache`."""

    workers: int = 1
    time_limit: float = 60.0
    max_waiting: int = 4
    cache: PdfCache = field(default_factory=lambda: PdfCache(64 * 1024 * 1024))
    _pool: ProcessPoolExecutor | None = field(default=None, init=False)
    _busy: int = field(default=0, init=False)
    _running: dict[str, asyncio.Future[bytes]] = field(default_factory=dict, init=False)

    def start(self) -> None:
        """Start the workers now (the first PDF is then as quick as the others)."""
        self._ensure_pool().submit(_warm)

    def close(self) -> None:
        """End the workers, a render under way included, and wait until they have gone (a
        pool left to itself outlives the server)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            for process in list(pool._processes.values()):
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)

    async def pdf(self, key: str, job: Callable[[], tuple[TripAnswer, BriefingOptions]]) -> bytes:
        """The PDF for `key`: from the cache, from a render of the same key under way, or
        rendered from what `job()` answers (called only then)."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if key in self._running:  # the same question asked twice at once renders once
            return await asyncio.shield(self._running[key])
        if self._busy >= self.workers + self.max_waiting:
            raise RenderUnavailable("too many briefings are being rendered; try again", 5)
        self._busy += 1
        done: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._running[key] = done
        try:
            data = await self._render(*job())
            self.cache.put(key, data)
            done.set_result(data)
            return data
        except Exception as error:
            done.set_exception(error)
            done.exception()  # retrieved here: a lone asker must not leave it unobserved
            raise
        except BaseException:  # cancelled: those waiting on the same key are too
            done.cancel()
            raise
        finally:
            self._busy -= 1
            del self._running[key]

    async def _render(self, answered: TripAnswer, options: BriefingOptions) -> bytes:
        pool = self._ensure_pool()
        future: Future[RenderedBriefing] = pool.submit(render_answered, answered, options)
        try:
            rendered = await asyncio.wait_for(asyncio.wrap_future(future), self.time_limit)
        except BrokenProcessPool:  # another render overran and its pool was ended
            raise RenderUnavailable("the renderer was restarted; try again", 1) from None
        except TimeoutError:
            self._stop(pool)
            raise RenderUnavailable(
                f"the briefing took longer than {self.time_limit:g} s to render; "
                "ask for fewer days or places"
            ) from None
        for warning in rendered.warnings:
            log.warning("PDF render: %s", warning)
        return rendered.data

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server has threads, and a forked copy of a held lock hangs
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_yield_to_answers
            )
        return self._pool

    def _stop(self, pool: ProcessPoolExecutor) -> None:
        """End the pool's workers (an overrunning render cannot be cancelled otherwise: the
        executor has no public way to kill a worker before Python 3.14)."""
        for process in list(pool._processes.values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        if self._pool is pool:
            self._pool = None
