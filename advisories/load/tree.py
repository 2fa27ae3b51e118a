"""A rule tree on disk -> RuleSet: finding the files, reading them safely, keying the cache.

Only a cache miss imports the YAML reader, so a warm `advisory check` never parses YAML.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, Problem, RuleError
from advisories.load.files import named_digest, read_capped
from advisories.load.store import cached_rules
from advisories.shipped import PACKAGE, shipped

MAX_FILE_BYTES = 1_000_000


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (in a wheel) or with the source tree."""
    return shipped("rules")


def default_rules_dir(cwd: Path | None = None) -> Path:
    """`./rules` when present, else the bundled rules."""
    local = (cwd or Path.cwd()) / "rules"
    return local if local.is_dir() else bundled_rules_dir()


def load_rules(*paths: Path | str, cached: bool = True) -> RuleSet:
    """Load rule files and directories into one checked RuleSet; raises RuleError with all problems.

    Without paths, the default tree. The bundled kinds registry is always loaded first, so a tree
    may use or override its kinds. Served from the compiled cache (`store`) when nothing it
    was built from has changed; `cached=False` neither reads nor writes the cache (a tree in
    a folder about to be removed, whose entry would never be read again).
    """
    roots = [Path(p) for p in paths] or [default_rules_dir()]
    files = rule_files(roots)
    kinds = bundled_rules_dir() / "kinds.yaml"
    if kinds.is_file() and not _given(kinds, files):
        files.insert(0, (kinds, kinds.name))
    inputs, problems = _read(files)
    if problems:
        raise RuleError(problems)
    version = _version([(name, data) for (_, name), (_, data) in zip(files, inputs, strict=True)])

    def parse() -> RuleSet:
        from advisories.load.reader import parse_tree  # imports yaml: only on a cache miss

        return parse_tree(inputs, version, kinds=_display(kinds))

    if not cached:
        return parse()
    return cached_rules(inputs, [version, *_code_and_data_stamps()], parse)


def _given(kinds: Path, files: list[tuple[Path, str]]) -> bool:
    """Whether the tree brings the bundled kinds registry itself: the same file, or a copy
    of it (a deployed tree beside an installed package), so that both give one version."""
    named = [f for f, _ in files if f.name == kinds.name]
    if any(f.resolve() == kinds.resolve() for f in named):
        return True
    bundled = kinds.read_bytes()
    return any(f.stat().st_size == len(bundled) and f.read_bytes() == bundled for f in named)


def rule_files(roots: Iterable[Path]) -> list[tuple[Path, str]]:
    """The YAML files under each root with their names relative to it, in a stable order."""
    found: list[tuple[Path, str]] = []
    missing: list[Problem] = []
    for root in roots:
        if root.is_dir():
            found += [
                (p, p.relative_to(root).as_posix())
                for p in sorted(root.rglob("*"))
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            ]
        elif root.is_file():
            found.append((root, root.name))
        elif root.exists():
            missing.append(Problem(Location(str(root)), "not a file or folder of rules"))
        else:
            missing.append(Problem(Location(str(root)), "no such file or directory"))
    if missing:
        raise RuleError(missing)
    return found


def _read(files: Sequence[tuple[Path, str]]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    inputs: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for file, _ in files:
        display = _display(file)
        hint = "split it into several files"
        read = read_capped(file, MAX_FILE_BYTES, Location(display), hint, named=False)
        if isinstance(read, Problem):
            problems.append(read)
        else:
            inputs.append((display, read))
    return inputs, problems


def _version(named: Sequence[tuple[str, bytes]]) -> str:
    """The rules version: a hash of the files' names within their tree and their bytes."""
    return named_digest(named)[:12]


def _code_and_data_stamps() -> list[str]:
    """What else a cached RuleSet depends on: our code and the ISO and timezone data files."""
    import sys

    from pydantic import VERSION

    from advisories.load.iso3166 import data_files

    stamps = [sys.version, VERSION]
    # Every stage's modules, and the C quick path (source and build), in one walk.
    code = sorted(
        p for p in PACKAGE.rglob("*") if p.suffix == ".py" or p.name.startswith("_quickyaml")
    )
    for path in [*code, *data_files()]:
        stat = path.stat()
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def _display(file: Path) -> str:
    """A path as users know it: relative to the working directory when inside it.

    By the absolute path's text, not the resolved one: resolving each of a large tree's
    files was a large share of a warm start, and a link is best shown where the user put it.
    """
    absolute, cwd = os.path.abspath(file), os.getcwd()
    inside = absolute.startswith(cwd.rstrip(os.sep) + os.sep)
    return absolute[len(cwd.rstrip(os.sep)) + 1 :] if inside else str(file)
