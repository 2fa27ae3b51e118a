"""A tree's files parsed, on every core when the tree is large, and checked as one.

Workers fork (where the platform has it), each parses a run of files and sends back the
validated files with only their entries' places; the rest are found again here, by parsing
that file once more, if a message needs one. This process parses the first run itself.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from advisories.cores import usable_cores
from advisories.errors import Problem, RuleError
from advisories.iso3166 import iso_regions
from advisories.loader import careful_positions, parse_rule_file
from advisories.ruleset import ParsedFile, RuleSet, build_ruleset

PARALLEL_BYTES = 2_000_000  # below this, starting a worker costs more than it saves

# A worker also pickles what it parsed and this process unpickles it (at 50,000 restrictions:
# ~0.9 s and ~0.6 s per 10 MB of YAML), so the first run, this process's own, is the larger.
_OWN_SHARE = 1.25

_Inputs = Sequence[tuple[str, bytes]]  # (path as shown to users, bytes)


def parse_tree(inputs: _Inputs, version: str, kinds: str | None) -> RuleSet:
    """Parse every file of a tree and check them as one; raises RuleError with all problems.

    The file named `kinds` is the bundled kinds registry, whose kinds the tree may override.
    """
    problems: list[Problem] = []
    parsed: list[ParsedFile] = []
    for (display, _), file_or_problems in zip(inputs, parse_files(inputs), strict=True):
        if isinstance(file_or_problems, ParsedFile):
            parsed.append(replace(file_or_problems, bundled_kinds=display == kinds))
        else:
            problems += file_or_problems
    if problems:
        raise RuleError(problems)
    return build_ruleset(parsed, iso_regions(), version=version)


def parse_files(inputs: _Inputs) -> list[ParsedFile | list[Problem]]:
    """Every file parsed, in order: each file, or its problems."""
    cores = usable_cores()
    forks = "fork" in multiprocessing.get_all_start_methods()
    if cores < 2 or not forks or sum(len(data) for _, data in inputs) < PARALLEL_BYTES:
        return _parse_alone(inputs)
    try:
        return _parse_on_cores(inputs, cores)
    except (OSError, BrokenProcessPool):  # no process to be had, or a worker killed: alone
        return _parse_alone(inputs)


def _parse_alone(inputs: _Inputs) -> list[ParsedFile | list[Problem]]:
    return [parse_rule_file(data, path) for path, data in inputs]


def _parse_on_cores(inputs: _Inputs, cores: int) -> list[ParsedFile | list[Problem]]:
    mine, *theirs = _runs(inputs, cores)
    theirs = [run for run in theirs if run]  # few files: fewer workers
    if not theirs:
        return _parse_alone(mine)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(theirs), mp_context=context) as pool:
        futures = [pool.submit(_parse_run, run) for run in theirs]
        results = _parse_alone(mine)
        for run, future in zip(theirs, futures, strict=True):
            for (path, data), result in zip(run, future.result(), strict=True):
                if isinstance(result, ParsedFile) and result.positions is not None:
                    later = functools.partial(careful_positions, data, path)
                    result = replace(result, positions=result.positions.completed_by(later))
                results.append(result)
    return results


def _runs(inputs: _Inputs, count: int) -> list[list[tuple[str, bytes]]]:
    """`inputs` cut into `count` consecutive runs by bytes, the first _OWN_SHARE times larger."""
    total = sum(len(data) for _, data in inputs) or 1
    bounds = [(_OWN_SHARE + i) / (_OWN_SHARE + count - 1) * total for i in range(count)]
    runs: list[list[tuple[str, bytes]]] = [[] for _ in range(count)]
    done = 0
    for item in inputs:
        run = next(i for i, bound in enumerate(bounds) if done < bound or i == count - 1)
        runs[run].append(item)
        done += len(item[1])
    return runs


def _parse_run(run: _Inputs) -> list[ParsedFile | list[Problem]]:
    """In a worker: parse a run of files, keeping the places known so far (entries')."""
    return [
        replace(r, positions=r.positions.portable())
        if isinstance(r, ParsedFile) and r.positions is not None
        else r
        for r in _parse_alone(run)
    ]
