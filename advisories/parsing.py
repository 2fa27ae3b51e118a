"""A tree's files parsed and checked as one: imported only when the compiled cache misses.

One process does it all. With the loader's C quick path, parsing and validating a tree of
50,000 restrictions (19 MB of YAML) takes about 1.6 s on one core, and a worker process would
spend longer than that pickling the validated files back (measured: a cold load took 4.5-5.1 s
with a worker, 3.6-4.4 s without), so the files are no longer shared out between cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from advisories.errors import Problem, RuleError
from advisories.iso3166 import iso_regions
from advisories.loader import parse_rule_file
from advisories.ruleset import ParsedFile, RuleSet, build_ruleset


def parse_tree(inputs: Sequence[tuple[str, bytes]], version: str, kinds: str | None) -> RuleSet:
    """Parse every file of a tree (path as shown to users, bytes) and check them as one.

    Raises RuleError with every problem. The file named `kinds` is the bundled kinds
    registry, whose kinds the tree may override.
    """
    problems: list[Problem] = []
    parsed: list[ParsedFile] = []
    for display, data in inputs:
        file_or_problems = parse_rule_file(data, display)
        if isinstance(file_or_problems, ParsedFile):
            parsed.append(replace(file_or_problems, bundled_kinds=display == kinds))
        else:
            problems += file_or_problems
    if problems:
        raise RuleError(problems)
    return build_ruleset(parsed, iso_regions(), version=version)
