"""A tree's files parsed and checked as one: imported only when the compiled cache misses.

One process does it all: with the loader's C quick path, a worker process would spend longer
pickling its validated files back than parsing them here takes (a large cold load was slower
with a worker than without), so files are no longer shared out between cores.
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
