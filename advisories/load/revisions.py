"""Earlier rules, by folder or by git revision: what `advisory diff` and `advisory brief
--since-rules` compare the rules with.

A revision (`HEAD~3`, a tag, a commit) is read from the git repository that holds the rules
being used: `git archive` writes each of their files and folders as they were then into a
temporary folder, which is loaded as a tree is (the bundled kinds registry first, names within
the tree as given) and removed. A revision is loaded past the compiled cache: its files are
gone once loaded, so an entry for them would never be read again, and could push the current
tree's entry out.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, Problem, RuleError, RulesNotFound
from advisories.load.tree import load_rules, rule_files

GIT_SECONDS = 60  # for each git command: an archive of a rules folder takes far less


def load_earlier(text: str, roots: Sequence[Path], parameter: str | None = None) -> RuleSet:
    """The rules `text` names: a folder when one exists, else `roots` (the files and folders
    of the rules in use) as they were at revision `text` of the git repository holding them.

    Raises RulesNotFound (naming `parameter`, when given) when neither can be read.
    """
    folder = Path(text)
    if text and folder.is_dir():
        if not rule_files([folder]):
            raise RulesNotFound(f"{text} is a folder with no rule files (*.yaml) in it", parameter)
        return load_rules(folder)
    return load_revision(text, roots, parameter)


def load_revision(revision: str, roots: Sequence[Path], parameter: str | None = None) -> RuleSet:
    """`roots` as they were at git revision `revision`, loaded; problems in those files are
    reported at `revision:path/in/the/repository`."""
    if not revision or revision.startswith("-"):
        raise RulesNotFound(f"{revision!r} is neither a folder nor a git revision", parameter)
    with tempfile.TemporaryDirectory(prefix="advisories-revision-") as scratch:
        archived = [
            _archive(revision, root, Path(scratch) / str(n), parameter)
            for n, root in enumerate(roots)
        ]
        if not rule_files(tree for tree, _ in archived):
            where = ", ".join(inside for _, inside in archived)
            raise RulesNotFound(f"{where} at {revision} holds no rule files (*.yaml)", parameter)
        try:
            return load_rules(*(tree for tree, _ in archived), cached=False)
        except RuleError as error:
            problems = [_at_revision(p, Path(scratch), revision) for p in error.problems]
            raise RuleError(problems, f"the rules at {revision}") from None


def _archive(revision: str, root: Path, into: Path, parameter: str | None) -> tuple[Path, str]:
    """`root` as it was at `revision`, written under `into`; with its path in the repository."""
    root = root.resolve()
    if not root.exists():
        raise RulesNotFound(f"{revision!r} is not a folder, and {root} does not exist", parameter)
    found = _git(root if root.is_dir() else root.parent, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise RulesNotFound(
            f"{revision!r} is not a folder, and the rules at {root} are not in a git repository "
            f"to read it as a revision from ({_said(found)})",
            parameter,
        )
    repository = Path(found.stdout.decode().strip())
    commit = _git(repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit.returncode != 0:
        raise RulesNotFound(
            f"{revision!r} is neither a folder nor a revision of the git repository at "
            f"{repository}",
            parameter,
        )
    inside = root.relative_to(repository.resolve()).as_posix()
    archive = _git(
        repository, "archive", "--format=tar", commit.stdout.decode().strip(), "--", inside
    )
    if archive.returncode != 0:
        raise RulesNotFound(
            f"{inside} was not in the git repository at {repository} at {revision} "
            f"({_said(archive)})",
            parameter,
        )
    into.mkdir()
    refused = extract_plainly(archive.stdout, into)
    if refused is not None:
        raise RulesNotFound(
            f"the archive of {inside} at {revision} was not written out: {refused}", parameter
        )
    return into / inside, inside


def extract_plainly(archive: bytes, into: Path) -> str | None:
    """The folders and files of a tar `archive`, written under `into`; or, when a member is
    anything else (a link, a device) or would land outside `into` (an absolute name, a `..`),
    why, with nothing written.

    Our own checks rather than tarfile's `filter="data"`, which Python 3.11.0 to 3.11.3 lack;
    rules need no links, so none is followed, even one that stays inside.
    """
    root = into.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = tar.getmembers()
        for member in members:
            refused = _refusal(member, root)
            if refused is not None:
                return refused
        for member in members:
            target = root.joinpath(member.name)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            content = tar.extractfile(member)
            assert content is not None  # a regular file, as _refusal made sure
            with content, open(target, "wb") as written:
                shutil.copyfileobj(content, written)
    return None


def _refusal(member: tarfile.TarInfo, root: Path) -> str | None:
    name = PurePosixPath(member.name)
    if not (member.isfile() or member.isdir()):
        return f"{member.name!r} is a link or a special file"
    if (
        name.is_absolute()
        or ".." in name.parts
        or not root.joinpath(name).resolve().is_relative_to(root)
    ):
        return f"{member.name!r} would be written outside the folder"
    return None


def _git(where: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "-C", str(where), *arguments]
    try:
        return subprocess.run(command, capture_output=True, check=False, timeout=GIT_SECONDS)
    except FileNotFoundError:
        raise RulesNotFound(
            "git is needed to read the rules at a revision, and it is not installed (or not on "
            "PATH); give the earlier rules as a folder instead"
        ) from None
    except subprocess.TimeoutExpired:
        raise RulesNotFound(
            f"git took over {GIT_SECONDS} s to answer: {' '.join(command)}"
        ) from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's first line of complaint, for a message."""
    lines = result.stderr.decode(errors="replace").strip().splitlines()
    return f"git: {lines[0]}" if lines else f"git exited with {result.returncode}"


def _at_revision(problem: Problem, scratch: Path, revision: str) -> Problem:
    """A problem located in the temporary folder, located instead at `revision:path`."""
    where = problem.where
    if where is None:
        return problem
    try:
        inside = Path(os.path.abspath(where.path)).relative_to(scratch)
    except ValueError:  # the bundled kinds registry, or a file of a folder given as it is
        return problem
    in_repository = Path(*inside.parts[1:]).as_posix()  # past the folder of each root
    return replace(problem, where=Location(f"{revision}:{in_repository}", where.line, where.column))
