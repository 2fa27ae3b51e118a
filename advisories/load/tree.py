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
    named = [f for f, _ in files if f.name == kinds.name and f.is_file()]
    if any(f.resolve() == kinds.resolve() for f in named):
        return True
    bundled = kinds.read_bytes()
    return any(f.stat().st_size == len(bundled) and f.read_bytes() == bundled for f in named)


def rule_files(roots: Iterable[Path]) -> list[tuple[Path, str]]:
    """The YAML files under each root with their names relative to it, in a stable order.

    Raises RuleError naming whatever under a root cannot be read or lies outside it: a tree
    that silently lost a folder would answer "nothing in force" for the orders in it.
    """
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for root in roots:
        if root.is_dir():
            files, refused = _tree_files(root)
            found += [(p, p.relative_to(root).as_posix()) for p in sorted(files)]
            problems += refused
        elif root.is_file():
            found.append((root, root.name))
        elif root.exists():
            problems.append(Problem(Location(str(root)), "not a file or folder of rules"))
        else:
            problems.append(Problem(Location(str(root)), "no such file or directory"))
    if problems:
        raise RuleError(problems)
    return found


def _tree_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """The rule files under `root` (not within hidden folders), and what stops reading them.

    A YAML name that is no regular file (a FIFO, a device, a broken link) is listed all the
    same, so that `read_capped` refuses it by name. Links are followed while they stay inside
    the tree (a tree may point at a release kept within it); one that leads out is refused
    without being read, so that nothing of its target reaches a message. Each folder is
    walked once, however many links lead to it.
    """
    inside = os.path.realpath(root)
    walked = {inside}
    files: list[Path] = []
    problems: list[Problem] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = [(e.name, e.is_symlink(), _is_folder(e)) for e in listing]
        except OSError as error:
            problems.append(
                Problem(
                    Location(_display(folder)),
                    f"cannot read this folder: {error.strerror}",
                    "make it readable, or move it out of the rule tree",
                )
            )
            continue
        for name, linked, is_dir in entries:
            path = folder / name
            if name.startswith("."):
                continue
            is_rules = path.suffix in (".yaml", ".yml")
            real = os.path.realpath(path) if linked else None
            if real is not None and not _within(real, inside):
                if is_rules or is_dir:
                    problems.append(Problem(Location(_display(path)), _LINK_OUT, _LINK_HINT))
                continue
            if is_dir:
                resolved = real or os.path.realpath(path)
                if resolved not in walked:
                    walked.add(resolved)
                    pending.append(path)
            elif is_rules:
                files.append(path)
    return files, problems


_LINK_OUT = "a link to outside the rule tree; rules are read only from inside it"
_LINK_HINT = "copy the file in, or load the other folder as a tree of its own"


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder (through a link); one that cannot tell (a link to
    itself) is not, and is refused by name if it has a rule file's."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


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
