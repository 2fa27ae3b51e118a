"""Many briefings at once, on every core: the rules are loaded once, then worker processes fork.

Forking (where the platform has it) shares the loaded rules with the workers instead of loading
them again in each; the parent has not rendered anything yet, so no renderer state is shared.
Each worker writes its files atomically and reports back; one failure does not stop the rest,
not even a worker killed outright (a signal, the kernel's out-of-memory killer): what it was
rendering is retried once in a fresh worker, and named if it fails again.

Each briefing is bounded (`RenderLimits`): a render that overruns its time is stopped and
reported as such, and a worker's memory may grow by at most so much, so that one briefing
cannot take the machine's memory from the others (nor from everything else running).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable, Iterator, MutableSequence, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, SpawnContext
from pathlib import Path
from types import FrameType

from advisories.briefing import BriefingOptions, render_briefing
from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError
from advisories.evaluation.evaluator import Evaluator
from advisories.model.documents import Trip
from advisories.output import remove_leftovers, write_atomically


@dataclass(frozen=True)
class BatchItem:
    """One briefing to write: a trip (usually one leg) and the file it goes to."""

    trip: Trip
    target: Path

    @property
    def place(self) -> str:
        """The place a briefing is for, as its first leg names it (a code, in `advisory batch`)."""
        return self.trip.legs[0].place


@dataclass(frozen=True)
class BatchResult:
    item: BatchItem
    warnings: list[str]
    error: str | None  # the message of an AdvisoryError, when this briefing failed


@dataclass(frozen=True)
class RenderLimits:
    """How long one briefing may take to render, and how much memory its worker may add."""

    seconds: float = 120.0
    memory_bytes: int = 1024 * 1024 * 1024

    @property
    def memory_mib(self) -> int:
        return self.memory_bytes // (1024 * 1024)


_Context = ForkContext | SpawnContext
Describe = Callable[[AdvisoryError], str]
# What every worker shares: the evaluator, the options, how to word an error, the limits.
_Shared = tuple[Evaluator, BriefingOptions, Describe, RenderLimits]
_shared: _Shared | None = None  # set in the parent before forking
Started = MutableSequence[int]  # per item of a pool, 1 once a worker has started it
_started: Started | None = None  # in a worker


def render_batch(
    rules: RuleSet,
    items: Sequence[BatchItem],
    options: BriefingOptions,
    jobs: int | None = None,
    on_done: Callable[[BatchResult], None] = lambda result: None,
    describe: Describe = str,
    limits: RenderLimits = RenderLimits(),
) -> list[BatchResult]:
    """Write every item's briefing, `jobs` at a time (default: the usable cores), each in a
    worker process within `limits`.

    `on_done` is called as each one finishes. `describe` words a failed briefing's error (a
    module-level function: with spawn, it travels to the workers by name).
    """
    shared = (Evaluator(rules), options, describe, limits)
    results = []
    for result in _run(shared, items, jobs or usable_cores()):
        on_done(result)
        results.append(result)
    return results


def _run(shared: _Shared, items: Sequence[BatchItem], jobs: int) -> Iterator[BatchResult]:
    # Always in workers, even one: a briefing that runs out of memory kills its worker,
    # not the batch and its summary.
    jobs = max(1, min(jobs, len(items)))
    context: _Context
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    waiting = list(items)
    while waiting:
        pool_round = _PoolRound(context, shared, waiting, jobs)
        yield from pool_round.results()
        # A dead worker breaks the whole pool: the briefings being rendered then are rerun
        # one by one in fresh workers (the one that killed it is among them), and those not
        # yet started go to a fresh pool.
        yield from _retry_alone(context, shared, pool_round.cut_short, jobs)
        waiting = pool_round.not_started


class _PoolRound:
    """The items rendered in one pool, up to the death of a worker if one dies."""

    def __init__(
        self, context: _Context, shared: _Shared, items: list[BatchItem], jobs: int
    ) -> None:
        self.context, self.shared, self.items, self.jobs = context, shared, items, jobs
        self.cut_short: list[BatchItem] = []  # started, never finished: retried alone
        self.not_started: list[BatchItem] = []

    def results(self) -> Iterator[BatchResult]:
        global _shared
        # Each worker marks the item it starts, so a broken pool tells which were running.
        started = self.context.Array("b", len(self.items), lock=False)
        _shared = self.shared
        try:
            with ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=self.context,
                initializer=_adopt,
                initargs=(*self.shared, started),
            ) as pool:
                futures = {
                    pool.submit(_render_in_worker, index, item): index
                    for index, item in enumerate(self.items)
                }
                unfinished = []
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        unfinished.append(futures[future])
        finally:
            _shared = None
        for index in sorted(unfinished):
            item = self.items[index]
            (self.cut_short if started[index] else self.not_started).append(item)
        if unfinished and not self.cut_short:  # died before starting any: do not loop
            self.cut_short, self.not_started = self.not_started, []


def _retry_alone(
    context: _Context, shared: _Shared, items: list[BatchItem], jobs: int
) -> Iterator[BatchResult]:
    """Render each item in a process of its own, `jobs` at a time, once."""
    for first in range(0, len(items), jobs):
        running = []
        for item in items[first : first + jobs]:
            remove_leftovers(item.target)  # of the worker killed while writing it
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_render_to_pipe, args=(item, shared, writer))
            process.start()
            writer.close()  # so that the reader sees the end when the process dies
            running.append((item, process, reader))
        for item, process, reader in running:
            result: BatchResult | None
            try:
                result = reader.recv()
            except EOFError:  # it died before sending anything
                result = None
            finally:
                reader.close()
                process.join()
            if result is None:
                death = death_of(process.exitcode, shared[3])
                said = f"its worker died; it was retried in a fresh worker, which died too: {death}"
                yield BatchResult(item, [], said)
            else:
                retried = "its worker died with the pool; it was retried in a fresh worker"
                yield BatchResult(item, [retried, *result.warnings], result.error)


def _render_to_pipe(item: BatchItem, shared: _Shared, writer: Connection) -> None:
    bound_memory(shared[3].memory_bytes)
    writer.send(_render_one(item, *shared))
    writer.close()


# How the C libraries of the PDF stack end when an allocation fails under a memory limit.
_OUT_OF_MEMORY = {"SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS", "SIGTRAP"}


def death_of(exitcode: int | None, limits: RenderLimits | None = None) -> str:
    """How a worker process ended, in words: a signal by name, and the memory limit when the
    signal is how running out of memory ends a process (the kernel's SIGKILL, or a library's
    crash on a failed allocation)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name not in _OUT_OF_MEMORY:
            return f"killed by {name}"
        if limits is None:
            return f"killed by {name} (out of memory?)"
        return f"killed by {name} (out of memory? a render may take {limits.memory_mib} MiB)"
    return f"exited with status {exitcode}"


def bound_memory(allowance: int) -> None:
    """Let this process's address space grow by at most `allowance` bytes from now on (a
    forked worker starts with its parent's rules already in it: those are not the render's).

    One malloc arena first: glibc reserves 64 MiB of address space for each thread that
    allocates (the PDF stack's font threads do), and the limit would then count what is
    reserved, not what is used, and fail or pass a render by the luck of its threads."""
    _one_arena()
    limit = _address_space() + allowance
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _one_arena() -> None:
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):  # not glibc: its allocator has no such arenas
        pass


_M_ARENA_MAX = -8  # glibc's malloc.h


def _address_space() -> int:
    """The bytes of this process's address space now (0 where /proc does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class _Overran(BaseException):
    """A render past its time limit: not an Exception, so no library code catches it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop what runs inside after `seconds` (in a worker's main thread, where signals go)."""

    def overrun(signum: int, frame: FrameType | None) -> None:
        raise _Overran

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _adopt(
    evaluator: Evaluator,
    options: BriefingOptions,
    describe: Describe,
    limits: RenderLimits,
    started: Started,
) -> None:
    """Worker start: with fork the rules are already here; with spawn they arrive pickled."""
    global _shared, _started
    if _shared is None:
        _shared = (evaluator, options, describe, limits)
    _started = started
    bound_memory(limits.memory_bytes)


def _render_in_worker(index: int, item: BatchItem) -> BatchResult:
    assert _shared is not None and _started is not None, "the worker was not initialised"
    _started[index] = 1
    return _render_one(item, *_shared)


def _render_one(
    item: BatchItem,
    evaluator: Evaluator,
    options: BriefingOptions,
    describe: Describe,
    limits: RenderLimits,
) -> BatchResult:
    try:
        with _time_limit(limits.seconds):
            rendered = render_briefing(evaluator, item.trip, options)
        write_atomically(item.target, rendered.data)
    except AdvisoryError as error:
        return BatchResult(item, [], describe(error))
    except _Overran:
        took = f"took longer than {limits.seconds:g} s to render"
        return BatchResult(item, [], f"{took}; ask for fewer days, or raise --time-limit")
    except MemoryError:  # this briefing's render, not the batch: the others may fit
        ran_out = f"ran out of memory while rendering ({limits.memory_mib} MiB)"
        return BatchResult(item, [], f"{ran_out}; ask for fewer days, or raise --memory-limit")
    except Exception as error:  # one briefing's bug must not stop the others
        return BatchResult(item, [], f"unexpected {type(error).__name__}: {error}")
    return BatchResult(item, rendered.warnings, None)


def usable_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
