"""Many briefings at once, on every core: the rules are loaded once, then worker processes fork.

Forking (where the platform has it) shares the loaded rules with the workers instead of loading
them again in each; the parent has not rendered anything yet, so no renderer state is shared.
Each worker writes its files atomically and reports back; one failure does not stop the rest.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from advisories.briefing import BriefingOptions, render_briefing
from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError
from advisories.evaluation.evaluator import Evaluator
from advisories.model.documents import Trip
from advisories.output import write_atomically


@dataclass(frozen=True)
class BatchItem:
    """One briefing to write: a trip (usually one leg) and the file it goes to."""

    trip: Trip
    target: Path


@dataclass(frozen=True)
class BatchResult:
    item: BatchItem
    warnings: list[str]
    error: str | None  # the message of an AdvisoryError, when this briefing failed


Describe = Callable[[AdvisoryError], str]
# What every worker shares: the evaluator, the options and how to word an error.
_Shared = tuple[Evaluator, BriefingOptions, Describe]
_shared: _Shared | None = None  # set in the parent before forking


def render_batch(
    rules: RuleSet,
    items: Sequence[BatchItem],
    options: BriefingOptions,
    jobs: int | None = None,
    on_done: Callable[[BatchResult], None] = lambda result: None,
    describe: Describe = str,
) -> list[BatchResult]:
    """Write every item's briefing, `jobs` at a time (default: the usable cores).

    `on_done` is called as each one finishes. `describe` words a failed briefing's error (a
    module-level function: with spawn, it travels to the workers by name).
    """
    shared = (Evaluator(rules), options, describe)
    results = []
    for result in _run(shared, items, jobs or usable_cores()):
        on_done(result)
        results.append(result)
    return results


def _run(shared: _Shared, items: Sequence[BatchItem], jobs: int) -> Iterator[BatchResult]:
    global _shared
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _render_one(item, *shared)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _shared = shared
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_adopt, initargs=shared
        ) as pool:
            futures = [pool.submit(_render_in_worker, item) for item in items]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _shared = None


def _adopt(evaluator: Evaluator, options: BriefingOptions, describe: Describe) -> None:
    """Worker start: with fork the rules are already here; with spawn they arrive pickled."""
    global _shared
    if _shared is None:
        _shared = (evaluator, options, describe)


def _render_in_worker(item: BatchItem) -> BatchResult:
    assert _shared is not None, "the worker was not initialised"
    return _render_one(item, *_shared)


def _render_one(
    item: BatchItem, evaluator: Evaluator, options: BriefingOptions, describe: Describe
) -> BatchResult:
    try:
        rendered = render_briefing(evaluator, item.trip, options)
        write_atomically(item.target, rendered.data)
    except AdvisoryError as error:
        return BatchResult(item, [], describe(error))
    except Exception as error:  # one briefing's bug must not stop the others
        return BatchResult(item, [], f"unexpected {type(error).__name__}: {error}")
    return BatchResult(item, rendered.warnings, None)


def usable_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
