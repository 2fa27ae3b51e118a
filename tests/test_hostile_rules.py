"""The hostile corpus for rules, files and the cache: each input gets a located error or is
inert, never a traceback, a hang, a leak of a file outside the tree, or a lost file.

tests/hostile/rules/*.yaml         rule files: `# expect: LINE:COL: MESSAGE` lines (each must be
                                   reported) or `# expect: loads`
tests/hostile/rules/options/*.txt  a command line: `# expect CODE: MESSAGE`, then the arguments
tests/hostile/rules/trees/*.txt    a rule tree made hostile: `# expect: MESSAGE` (or loads),
                                   then one step a line (link, fifo, move, mkdir, unreadable)
tests/hostile/cache/*.txt          a cache entry damaged: `# expect: warned` (one warning naming
                                   the entry) or `quiet`, then one step; either way the answer
                                   is the one fresh rules give
"""

from __future__ import annotations

import os
import re
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from advisories.cli import main
from tests.conftest import FIXTURES, ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"
RULE_FILES = sorted((HOSTILE / "rules").glob("*.yaml"))
OPTIONS = sorted((HOSTILE / "rules" / "options").glob("*.txt"))
TREES = sorted((HOSTILE / "rules" / "trees").glob("*.txt"))
CACHE_CASES = sorted((HOSTILE / "cache").glob("*.txt"))
SECRET = "SECRET-TARGET-TEXT"
QUESTION = ["check", "PK-BA", "--on", "2026-03-15"]


def _expect_lines(file: Path) -> list[str]:
    text = file.read_text(encoding="utf-8-sig")
    return [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("# expect")]


def _steps(file: Path) -> list[str]:
    return [line for line in file.read_text("utf-8").splitlines() if not line.startswith("#")]


def _invoke(args: list[str]) -> Result:
    started = time.perf_counter()
    result = CliRunner().invoke(main, args)
    assert time.perf_counter() - started < 10, "too slow: a hang or an unbounded read?"
    output = result.output + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    return result


def test_the_corpus_holds_what_it_should() -> None:
    assert len(RULE_FILES) + len(OPTIONS) + len(TREES) + len(CACHE_CASES) >= 60
    for file in [*RULE_FILES, *OPTIONS, *TREES, *CACHE_CASES]:
        assert _expect_lines(file), f"{file.name} says nothing of what it expects"


@pytest.mark.parametrize("file", RULE_FILES, ids=[f.stem for f in RULE_FILES])
def test_a_hostile_rule_file_is_refused_where_it_goes_wrong(
    file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = _invoke(["validate", str(file.relative_to(ROOT))])
    expected = _expect_lines(file)
    if expected == ["loads"]:
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("ok: ")
        return
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    prefix = f"error: {file.relative_to(ROOT)}:"
    assert errors and all(re.match(rf"{re.escape(prefix)}\d+:\d+: \S", e) for e in errors)
    reported = [e.removeprefix(prefix) for e in errors]
    for line in expected:
        assert line in reported, f"not reported: {line}\n" + "\n".join(reported)
    assert max(len(e) for e in errors) < 400, "a message quotes too much of the file"


@pytest.mark.parametrize("file", OPTIONS, ids=[f.stem for f in OPTIONS])
def test_a_hostile_option_is_refused_by_name(file: Path, tmp_path: Path) -> None:
    (line,) = _steps(file)
    (expected,) = _expect_lines(file)
    code = int(re.search(r"# expect (\d+):", file.read_text("utf-8")).group(1))  # type: ignore[union-attr]
    if "fifo.yaml" in line:
        os.mkfifo(tmp_path / "fifo.yaml")
    result = _invoke(shlex.split(line.replace("{tmp}", str(tmp_path))))
    assert result.exit_code == code
    assert expected in result.stderr
    assert len(result.stderr) < 1000
    assert not (tmp_path / "out.pdf").exists()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages name paths relative to the working directory
    rules = tmp_path / "rules"
    (rules / "PK").mkdir(parents=True)
    (rules / "PK" / "orders.yaml").write_bytes((FIXTURES / "valid" / "minimal.yaml").read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text(f"{SECRET}: [unclosed\n", encoding="utf-8")
    return rules


def _make(rules: Path, step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    action, *args = step.split()
    path = rules / args[0]
    if action == "link":
        path.symlink_to(args[1])
    elif action == "fifo":
        os.mkfifo(path)
    elif action == "mkdir":
        path.mkdir()
    elif action == "move":
        (rules / args[1]).parent.mkdir(parents=True, exist_ok=True)
        path.rename(rules / args[1])
    elif action == "unreadable":  # as a folder without read permission reads to non-root
        real = os.scandir

        def scandir(folder: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
            if Path(folder).absolute() == path.absolute():
                raise PermissionError(13, "Permission denied")
            return real(folder)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        raise AssertionError(f"unknown step {step!r}")


@pytest.mark.parametrize("file", TREES, ids=[f.stem for f in TREES])
def test_a_hostile_tree_is_refused_by_the_name_at_fault(
    file: Path, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for step in _steps(file):
        _make(tree, step, monkeypatch)
    (expected,) = _expect_lines(file)
    result = _invoke(["validate", "rules"])
    assert SECRET not in result.output + result.stderr
    for target in ("elsewhere", "/etc/passwd", "/dev/zero"):  # a link's target is never named
        assert target not in result.stderr
    if expected == "loads":
        assert result.exit_code == 0, result.stderr
        assert "1 order" in result.stdout
        return
    assert result.exit_code == 1
    assert f"error: {expected}" in result.stderr


def _unversioned(answer: str) -> str:
    return re.sub(r"rules [0-9a-f]{12}", "rules (version)", answer)


# The cache: the damage each case does to the one entry a first run wrote.


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADVISORIES_CACHE", str(folder))
    from advisories.load.store import cache

    monkeypatch.setattr(cache, "_warned", set())
    return folder


def _damage(entry: Path, step: str, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Does `step` to `entry`; returns files that are not the cache's, which must survive."""
    import hashlib

    from advisories.load.store import cache

    action, *args = step.split()
    data = entry.read_bytes()
    header, digest, body = data.split(b"\n", 2)
    if action == "flip":
        at = int(args[0]) % len(data)
        entry.write_bytes(data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1 :])
    elif action == "zones":
        _, rest = body.split(b"\n", 1)
        entry.write_bytes(b"\n".join([header, digest, args[0].encode() + b"\n" + rest]))
    elif action == "zonedigest":  # as if built with other zone files: sound, but stale
        zones, _, pickled = body.split(b"\n", 2)
        body = b"\n".join([zones, b"0" * 64, pickled])
        digest = hashlib.sha256(body).hexdigest().encode()
        entry.write_bytes(b"\n".join([header, digest, body]))
    elif action == "truncate":
        keep = len(header) + 1 if args[0] == "header" else int(len(data) * float(args[0]))
        entry.write_bytes(data[:keep])
    elif action == "zeros":
        entry.write_bytes(bytes(len(data)))
    elif action == "replace":
        import pickle

        entry.write_bytes(pickle.dumps({"not": "rules"}))
    elif action == "chmod":
        entry.chmod(int(args[0], 8))
    elif action == "symlink":
        copy = entry.parent.parent / "copy.pickle"
        copy.write_bytes(data)
        entry.unlink()
        entry.symlink_to(copy)
    elif action == "fifo":
        entry.unlink()
        os.mkfifo(entry, 0o600)
    elif action == "folder":
        entry.unlink()
        entry.mkdir(0o700)
    elif action == "cachefile":
        blocker = entry.parent.parent / "a-file"
        blocker.write_text("")
        monkeypatch.setenv("ADVISORIES_CACHE", str(blocker))
        return [blocker]
    elif action == "foreign":
        monkeypatch.setattr(cache, "KEEP", 1)
        theirs = [entry.parent / "model.pickle", entry.parent / ("c" * 64 + ".pickle")]
        for path in theirs:
            path.write_bytes(b"\x80\x05 another program's data")
            os.utime(path, (0, 0))  # the oldest in the folder
        return theirs
    else:
        raise AssertionError(f"unknown step {step!r}")
    return []


@pytest.mark.parametrize("file", CACHE_CASES, ids=[f.stem for f in CACHE_CASES])
def test_a_damaged_cache_never_changes_an_answer(
    file: Path, tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "gazetteer.yaml").write_bytes((ROOT / "rules/PK/gazetteer.yaml").read_bytes())
    (rules / "orders.yaml").write_bytes((FIXTURES / "valid/amendments.yaml").read_bytes())
    question = [*QUESTION, "--rules", str(rules)]
    fresh = _invoke(question)
    assert fresh.exit_code == 0
    (entry,) = cached.glob("*.pickle")
    (step,) = _steps(file)
    theirs = _damage(entry, step, monkeypatch)
    (expected,) = _expect_lines(file)
    for run in range(2):
        if step.startswith("foreign"):  # another tree, so that a second entry is written
            (rules / "orders.yaml").write_bytes(
                (FIXTURES / "valid/amendments.yaml").read_bytes() + f"# {run}\n".encode()
            )
        answered = _invoke(question)
        assert answered.exit_code == 0
        assert _unversioned(answered.stdout) == _unversioned(fresh.stdout)
        warned = answered.stderr.count("warning:")
        if expected == "warned" and run == 0:
            assert warned == 1
            assert f"cache entry {entry} is damaged" in answered.stderr
        else:
            assert warned == 0, answered.stderr
    assert all(path.exists() for path in theirs)
