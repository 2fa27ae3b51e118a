"""Many briefings at once, on every core: the rules are loaded once, then worker processes fork.

Forking (where the platform has it) shares the loaded rules with the workers instead of loading
them again in each; the parent has not rendered anything yet, so no renderer state is shared.
Each worker writes its files atomically and reports back; one failure does not stop the rest.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from advisories.briefing import BriefingOptions, render_briefing
from advisories.errors import AdvisoryError
from advisories.output import write_atomically
from advisories.ruleset import RuleSet
from advisories.trips import Trip


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


_shared: tuple[RuleSet, BriefingOptions] | None = None  # set in the parent before forking


def render_batch(
    rules: RuleSet,
    items: Sequence[BatchItem],
    options: BriefingOptions,
    jobs: int,
    on_done: Callable[[BatchResult], None] = lambda result: None,
) -> list[BatchResult]:
    """Write every item's briefing, `jobs` at a time, calling `on_done` as each one finishes."""
    results = []
    for result in _run(rules, items, options, jobs):
        on_done(result)
        results.append(result)
    return results


def _run(
    rules: RuleSet, items: Sequence[BatchItem], options: BriefingOptions, jobs: int
) -> Iterator[BatchResult]:
    global _shared
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            yield _render_one(item, rules, options)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _shared = (rules, options)
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_adopt, initargs=(rules, options)
        ) as pool:
            futures = [pool.submit(_render_in_worker, item) for item in items]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _shared = None


def _adopt(rules: RuleSet, options: BriefingOptions) -> None:
    """Worker start: with fork the rules are already here; with spawn they arrive pickled."""
    global _shared
    if _shared is None:
        _shared = (rules, options)


def _render_in_worker(item: BatchItem) -> BatchResult:
    assert _shared is not None, "the worker was not initialised"
    rules, options = _shared
    return _render_one(item, rules, options)


def _render_one(item: BatchItem, rules: RuleSet, options: BriefingOptions) -> BatchResult:
    try:
        rendered = render_briefing(rules, item.trip, options)
        write_atomically(item.target, rendered.data)
    except AdvisoryError as error:
        return BatchResult(item, [], str(error))
    except Exception as error:  # one briefing's bug must not stop the others
        return BatchResult(item, [], f"unexpected {type(error).__name__}: {error}")
    return BatchResult(item, rendered.warnings, None)
