"""Briefing PDFs for the web service: rendered off the event loop, bounded, and kept.

A briefing's context, HTML and PDF are made in worker processes, from the trip answered on
the loop (quickly): JSON answers go on while PDFs are made. Not in a thread: a
thread doing Python work and the loop take the interpreter lock in turns, and every answer
waits for the thread's turn many times over. The pool is small and its queue bounded (a request
beyond it is told to come back, 503 with Retry-After); a render that overruns its time limit
is stopped by ending its worker, and one that needs more memory than its worker may take ends
in it (a MemoryError, or the PDF stack's crash on a failed allocation): either way the asker
gets a 503 that says so and the pool starts afresh. Finished PDFs are kept in memory
up to a number of bytes, the least recently asked for dropped first, under a key made from
the rules version and the question: the same question asks again for the same bytes.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from advisories.batch import bound_memory, death_of
from advisories.briefing import BriefingOptions, RenderedBriefing, render_answered
from advisories.errors import QueryError, literal
from advisories.evaluation.trips import TripAnswer
from advisories.web.bytes_cache import BytesCache

log = logging.getLogger(__name__)


class RenderUnavailable(Exception):
    """A PDF that cannot be made now: the queue is full, or the render overran its time."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _warm() -> None:
    """Import the PDF stack in a new worker, so that the first real render does not pay it."""
    import advisories.render.context
    import advisories.render.pdf  # noqa: F401


def _render_within_memory(
    render: Callable[[TripAnswer, BriefingOptions], RenderedBriefing],
    answered: TripAnswer,
    options: BriefingOptions,
) -> RenderedBriefing | None:
    """`render` in a worker; None when it ran out of memory. Not the MemoryError itself: the
    pool would format its traceback to send it, and fail for want of memory again."""
    try:
        return render(answered, options)
    except MemoryError:
        return None


TIME_LIMIT = 60.0  # seconds a render may take once a worker has it
MEMORY_LIMIT_MIB = 1024  # what a worker's memory may grow by from its start
TIME_ENVIRONMENT = "ADVISORIES_PDF_SECONDS"
MEMORY_ENVIRONMENT = "ADVISORIES_PDF_MEMORY_MIB"


def _start_worker(memory_limit: int | None) -> None:
    """A worker's start: it runs at a lower priority than the server, so that on a busy
    machine the cores go to answering questions first and a PDF takes longer instead; and
    its memory may grow by `memory_limit` bytes at most."""
    os.nice(10)
    if memory_limit is not None:
        bound_memory(memory_limit)


@dataclass
class PdfRenderer:
    """Renders briefings to PDF in `workers` processes, at most `max_waiting` questions
    beyond them, each render within `time_limit` seconds of reaching a worker, keeping
    results in `cache`."""

    workers: int = 1
    time_limit: float = TIME_LIMIT
    memory_limit: int | None = MEMORY_LIMIT_MIB * 1024 * 1024  # bytes; None: no limit
    max_waiting: int = 4
    cache: BytesCache = field(default_factory=lambda: BytesCache(64 * 1024 * 1024))
    # what a worker runs: a function of the module's top level, as the pool pickles it by name
    render: Callable[[TripAnswer, BriefingOptions], RenderedBriefing] = render_answered
    _pool: ProcessPoolExecutor | None = field(default=None, init=False)
    _slots: asyncio.Semaphore | None = field(default=None, init=False)
    _running: dict[str, asyncio.Future[bytes]] = field(default_factory=dict, init=False)

    def start(self) -> None:
        """Start the workers now (the first PDF is then as quick as the others)."""
        self._ensure_pool().submit(_warm)

    def close(self) -> None:
        """End the workers, a render under way included, and wait until they have gone (a
        pool left to itself outlives the server)."""
        if self._pool is not None:
            _end(self._pool, wait=True)
            self._pool = None

    async def pdf(self, key: str, job: Callable[[], tuple[TripAnswer, BriefingOptions]]) -> bytes:
        """The PDF for `key`: from the cache, from a render of the same key under way, or
        rendered from what `job()` answers (called only then).

        The render belongs to the renderer, not to the asker: one who goes away does not
        cancel it for the others asking the same, and its PDF is kept all the same."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        running = self._running.get(key)
        if running is None:
            if len(self._running) >= self.workers + self.max_waiting:
                raise RenderUnavailable("too many briefings are being rendered; try again", 5)
            running = asyncio.ensure_future(self._render_and_keep(key, *job()))
            self._running[key] = running
            running.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(running)

    def _finished(self, key: str, done: asyncio.Future[bytes]) -> None:
        self._running.pop(key, None)
        if not done.cancelled():
            done.exception()  # seen here, whether or not anyone still waits for it

    async def _render_and_keep(
        self, key: str, answered: TripAnswer, options: BriefingOptions
    ) -> bytes:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:  # the time limit runs from when a worker is free
            data = await self._render(answered, options)
        self.cache.put(key, data)
        return data

    async def _render(self, answered: TripAnswer, options: BriefingOptions) -> bytes:
        pool = self._ensure_pool()
        future: Future[RenderedBriefing | None] | None = None
        try:
            future = pool.submit(_render_within_memory, self.render, answered, options)
            rendered = await asyncio.wait_for(asyncio.wrap_future(future), self.time_limit)
            if rendered is None:
                raise MemoryError
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            death = await self._death(pool)
            self._drop(pool)
            message = f"the renderer stopped ({death}) and was restarted"
            if "out of memory" in death:
                raise RenderUnavailable(
                    f"{message}; ask for fewer days or places, or try again"
                ) from None
            raise RenderUnavailable(f"{message}; try again", 1) from None
        except MemoryError:  # the worker ran out, and said so
            self._drop(pool)
            raise RenderUnavailable(
                f"the briefing needs more memory than a render may take ({self._mib} MiB); "
                "ask for fewer days or places"
            ) from None
        except TimeoutError:
            self._drop(pool)
            raise RenderUnavailable(
                f"the briefing took longer than {self.time_limit:g} s to render; "
                "ask for fewer days or places"
            ) from None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if future is not None and future.cancelled() and task and not task.cancelling():
                # dropped with its pool when another render overran, not cancelled by us
                raise RenderUnavailable("the renderer was restarted; try again", 1) from None
            raise
        for warning in rendered.warnings:
            log.warning("PDF render: %s", warning)
        return rendered.data

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the server has threads, and a forked copy of a held lock hangs
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.memory_limit,),
            )
        return self._pool

    @property
    def _mib(self) -> int:
        return (self.memory_limit or 0) // (1024 * 1024)

    async def _death(self, pool: ProcessPoolExecutor) -> str:
        """How the worker that broke `pool` ended (the pool ends the others with SIGTERM)."""
        processes = list((pool._processes or {}).values())
        for _ in range(100):  # the pool's own thread may be reaping them: a second at most
            if all(p.exitcode is not None for p in processes):
                break
            await asyncio.sleep(0.01)
        codes = [p.exitcode for p in processes]
        died = [code for code in codes if code is not None and code != -signal.SIGTERM]
        if not died:
            return "a worker ended"
        words = death_of(died[0])
        if self.memory_limit is not None:
            # Held to a memory limit, a worker that dies unasked has most often hit it, however
            # it ends: a signal, or a status when the allocation failed where nothing caught it.
            if "out of memory?" not in words:
                words += " (out of memory?)"
            limit = f"out of memory? a render may take {self._mib} MiB"
            words = words.replace("out of memory?", limit)
        return words

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        """End a pool whose render overran or whose worker died; the next render starts a
        new one. Twice for the same pool does nothing more."""
        if self._pool is pool:
            self._pool = None
        _end(pool, wait=False)


def renderer_from_environment(environment: Mapping[str, str]) -> PdfRenderer:
    """The renderer with the limits `environment` sets (ADVISORIES_PDF_SECONDS,
    ADVISORIES_PDF_MEMORY_MIB, the latter 0 for none), or the defaults."""
    seconds = _number(environment, TIME_ENVIRONMENT, TIME_LIMIT, 1)
    mib = int(_number(environment, MEMORY_ENVIRONMENT, MEMORY_LIMIT_MIB, 100, whole=True))
    return PdfRenderer(time_limit=seconds, memory_limit=mib * 1024 * 1024 if mib else None)


def _number(
    environment: Mapping[str, str], name: str, default: float, least: float, whole: bool = False
) -> float:
    text = environment.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = -1
    if not (value >= least or (whole and value == 0)) or value > 1e6:
        kind = (
            "a whole number of MiB, at least 100 (0: no limit)" if whole else "seconds, at least 1"
        )
        raise QueryError(
            f"the environment variable {name} is {literal(repr(text[:40]))}; give {kind}"
        )
    return value


def _end(pool: ProcessPoolExecutor, wait: bool) -> None:
    """Kill the pool's workers and shut it down (an overrunning render cannot be cancelled
    otherwise: the executor has no public way to end a worker before Python 3.14)."""
    for process in list((pool._processes or {}).values()):
        process.kill()
    pool.shutdown(wait=wait, cancel_futures=True)
