"""A rule tree on disk -> RuleSet: finding the files, reading them safely, and the cache.

Only a cache miss imports the YAML loader, so a warm `advisory check` never parses YAML.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from advisories import cache
from advisories.errors import Location, Problem, RuleError
from advisories.ruleset import RuleSet

MAX_FILE_BYTES = 1_000_000
PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    """A top-level folder of the repo (rules, templates) as installed: inside the package in a
    wheel (advisories/bundled_<folder>, see pyproject.toml), beside it in a source checkout."""
    bundled = PACKAGE / f"bundled_{folder}"
    return bundled if bundled.is_dir() else PACKAGE.parent / folder


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (in a wheel) or with the source tree."""
    return shipped("rules")


def default_rules_dir(cwd: Path | None = None) -> Path:
    """`./rules` when present, else the bundled rules."""
    local = (cwd or Path.cwd()) / "rules"
    return local if local.is_dir() else bundled_rules_dir()


def load_rules(*paths: Path | str) -> RuleSet:
    """Load rule files and directories into one checked RuleSet; raises RuleError with all problems.

    Without paths, the default tree. The bundled kinds registry is always loaded first, so a tree
    may use or override its kinds. Freezes Python's cycle collector's view of the process
    (`gc.freeze`, see `_collector_paused_then_frozen`): every object alive then, the RuleSet's
    included, is never walked or collected as a cycle again.
    """
    roots = [Path(p) for p in paths] or [default_rules_dir()]
    files = rule_files(roots)
    kinds = bundled_rules_dir() / "kinds.yaml"
    given = {f.resolve() for f, _ in files if f.name == kinds.name}
    if kinds.is_file() and kinds.resolve() not in given:
        files.insert(0, (kinds, kinds.name))
    inputs, problems = _read(files)
    if problems:
        raise RuleError(problems)
    version = _version([(name, data) for (_, name), (_, data) in zip(files, inputs, strict=True)])
    key = cache.cache_key(inputs, [version, *_code_and_data_stamps()])
    with _collector_paused_then_frozen():
        cached = cache.read(key)
        if cached is not None:
            return cached
        from advisories.parsing import parse_tree  # imports yaml: only on a cache miss

        rules = parse_tree(inputs, version, kinds=_display(kinds))
        cache.write(key, rules)
    return rules


@contextlib.contextmanager
def _collector_paused_then_frozen() -> Iterator[None]:
    """Pause Python's cycle collector while a RuleSet is built or unpickled, then freeze it.

    That makes about twenty objects per restriction, all long-lived and none in garbage
    cycles; the collector would walk them all at every full collection, during the load and
    after it (the first one after a large cold load took longer than a question). Freezing
    takes every object alive out of its sight for good; the price is that cyclic garbage
    left at that moment (a few hundred objects per load) is never collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                message = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
                problems.append(Problem(Location(display), message, "split it into several files"))
                continue
            inputs.append((display, file.read_bytes()))
        except OSError as error:
            problems.append(Problem(Location(display), f"cannot read: {error.strerror}"))
    return inputs, problems


def _version(named: Sequence[tuple[str, bytes]]) -> str:
    """The rules version: a hash of the files' names within their tree and their bytes."""
    digest = hashlib.sha256()
    for name, data in named:
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:12]


def _code_and_data_stamps() -> list[str]:
    """What else a cached RuleSet depends on: our code and the ISO and timezone data files."""
    import sys

    from pydantic import VERSION

    from advisories.iso3166 import data_files

    stamps = [sys.version, VERSION]
    compiled = sorted(PACKAGE.glob("_quickyaml*"))  # the C quick path, source and build
    for path in [*sorted(PACKAGE.glob("*.py")), *compiled, *data_files()]:
        stat = path.stat()
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def _display(file: Path) -> str:
    """A path as users know it: relative to the working directory when inside it.

    By the absolute path's text, not the resolved one: resolving each of a large tree's
    files cost a fifth of a warm start, and a link is best shown where the user put it.
    """
    absolute, cwd = os.path.abspath(file), os.getcwd()
    inside = absolute.startswith(cwd.rstrip(os.sep) + os.sep)
    return absolute[len(cwd.rstrip(os.sep)) + 1 :] if inside else str(file)
