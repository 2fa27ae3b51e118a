"""Every loader error, one tiny file each: where it is reported and how the message reads.

Each file in tests/fixtures/invalid/ starts with `# expect: LINE:COL: MESSAGE (HINT)` lines, the
problems `load_rules` must report for it, in order, and nothing else.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisories.cli import main
from advisories.errors import Problem, RuleError
from advisories.load.tree import MAX_FILE_BYTES, load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+:\d+: .+)$")

# Messages that are wrong today; the expect lines say what they should be (see each reason).


def expected_lines(file: Path) -> list[str]:
    """The `# expect:` lines at the top of a fixture, without the prefix."""
    found: list[str] = []
    for line in file.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match is None:
            break
        found.append(match.group(1))
    return found


def formatted(problem: Problem) -> str:
    assert problem.where is not None
    text = f"{problem.where.line}:{problem.where.column}: {problem.message}"
    return text + (f" ({problem.hint})" if problem.hint else "")


def load_problems(file: Path) -> list[Problem]:
    with pytest.raises(RuleError) as raised:
        load_rules(file)
    return raised.value.problems


def cases() -> list[object]:
    return [pytest.param(file, id=file.name) for file in INVALID]


def test_every_fixture_states_what_it_expects() -> None:
    assert len(INVALID) >= 26
    for file in INVALID:
        assert expected_lines(file), f"{file.name} has no '# expect: LINE:COL: ...' first line"


@pytest.mark.parametrize("file", cases())
def test_invalid_file_reports_its_problem(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in messages are shown relative to the working directory
    started = time.perf_counter()
    problems = load_problems(file)
    assert time.perf_counter() - started < 5, "refused too slowly (did an alias bomb expand?)"
    assert [formatted(p) for p in problems] == expected_lines(file)
    for problem in problems:
        assert problem.where is not None
        assert problem.where.path.endswith(file.name)


@pytest.mark.parametrize("file", INVALID, ids=[f.name for f in INVALID])
def test_validate_command_prints_problems_without_traceback(
    file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    first = result.stderr.splitlines()[0]
    assert re.match(rf"^error: \S*{re.escape(file.name)}:\d+:\d+: \S", first), first
    assert result.stdout == ""


def test_minimal_valid_file_loads() -> None:
    rules = load_rules(FIXTURES / "valid" / "minimal.yaml")
    assert list(rules.orders) == ["ord"]
    assert list(rules.sources) == ["src"]
    assert [t.key for t in rules.timelines] == ["ord/weapons"]


def test_empty_file_loads(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    rules = load_rules(empty)
    assert rules.orders == {}
    assert rules.timelines == ()


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    problems = load_problems(big)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.where is not None
    assert problem.where.path.endswith("big.yaml")
    assert f"{MAX_FILE_BYTES:,} bytes" in problem.message


def test_shape_and_reference_problems_come_in_one_pass_sorted_by_file(tmp_path: Path) -> None:
    """A file that does not parse does not hide the others' problems; names it may define are
    not reported as unknown until it parses."""
    (tmp_path / "a.yaml").write_text(
        "sources:\n"
        "  - id: src-a\n"
        "    title: A report\n"
        "    publisher: Example News\n"
        "    url: https://example.com/a\n"
        "    pubished: 2026-02-01\n",
        encoding="utf-8",
    )
    order = (FIXTURES / "invalid" / "unknown-kind.yaml").read_text(encoding="utf-8")
    order = order.split("orders:", 1)[1].replace("sources: [src]", "sources: [src-a, src-b]")
    (tmp_path / "b.yaml").write_text("orders:" + order, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 3, result.output
    assert "a.yaml:6:5: unknown field 'pubished'" in lines[0]
    assert "b.yaml:13:9: unknown kind 'weapon'" in lines[1]
    assert "b.yaml:14:22: unknown source 'src-b'" in lines[2]
    assert "3 problems in the rules" in result.output


# Things that are not regular files, named where a file is read: each is refused at once,
# by name, without reading (a device never ends, a FIFO with no writer never starts).
SPECIAL_FILES = [
    pytest.param("/dev/zero", "a character device", id="dev-zero"),
    pytest.param("/dev/urandom", "a character device", id="dev-urandom"),
    pytest.param("/dev/null", "a character device", id="dev-null"),
]


@pytest.mark.parametrize(("path", "kind"), SPECIAL_FILES)
def test_a_device_named_as_a_trip_is_refused_without_reading(path: str, kind: str) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["trip", path, "-o", "unused.pdf"])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert f"{path}: not a regular file ({kind}); give a file" in result.stderr


@pytest.mark.parametrize(("path", "kind"), SPECIAL_FILES)
def test_a_device_named_as_the_organisation_file_is_refused(
    path: str, kind: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        ["brief", "PK-BA", "--on", "2026-02-10", "--org", path, "-o", str(tmp_path / "out.pdf")],
    )
    assert result.exit_code == 1
    assert f"{path}: not a regular file ({kind}); give a file" in result.stderr


def test_a_fifo_named_as_the_logo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "logo.png")
    (tmp_path / "org.yaml").write_text("name: Example Aid\nlogo: logo.png\n", encoding="utf-8")
    started = time.perf_counter()
    result = CliRunner().invoke(
        main,
        [
            "brief",
            "PK-BA",
            "--on",
            "2026-02-10",
            "--org",
            str(tmp_path / "org.yaml"),
            "-o",
            str(tmp_path / "out.pdf"),
        ],
    )
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1, result.output
    assert "org.yaml:2:1: " in result.stderr
    assert "logo.png: not a regular file (a FIFO); give a file" in result.stderr


def test_a_file_that_grows_past_the_limit_after_stat_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit holds for what is read, not for what stat() said (a file still growing)."""
    from advisories.errors import Location
    from advisories.load import files

    grown = tmp_path / "grown.yaml"
    grown.write_bytes(b"#" * 5000)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> object:
        info = real_fstat(fd)
        return os_stat_result_with_size(info, 10)

    monkeypatch.setattr(os, "fstat", stale_fstat)
    read = files.read_capped(grown, 1000, Location(str(grown)))
    assert isinstance(read, Problem)
    assert "over 1,000 bytes" in read.message


def os_stat_result_with_size(info: object, size: int) -> object:
    import os

    fields = list(info)  # type: ignore[call-overload]
    fields[6] = size  # st_size
    return os.stat_result(fields)


# A rule tree hides nothing: whatever under it cannot be read is an error naming it, never
# skipped (a vanished order answers "nothing in force"), and a link out of it is refused.


@pytest.fixture
def rule_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages name paths relative to the working directory
    tree = tmp_path / "rules"
    (tree / "PK").mkdir(parents=True)
    (tree / "PK" / "orders.yaml").write_bytes((FIXTURES / "valid" / "minimal.yaml").read_bytes())
    return tree


def test_an_unreadable_folder_in_the_tree_is_an_error(
    rule_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the tests may run as root, whom no permission stops."""
    import os

    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "PK":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [str(p) for p in load_problems(rule_tree)] == [
        "rules/PK: cannot read this folder: Permission denied "
        "(make it readable, or move it out of the rule tree)"
    ]


def test_a_fifo_in_the_tree_is_an_error_not_a_wait(rule_tree: Path) -> None:
    import os

    os.mkfifo(rule_tree / "PK" / "more.yaml")
    started = time.perf_counter()
    problems = load_problems(rule_tree)
    assert time.perf_counter() - started < 5
    assert [str(p) for p in problems] == [
        "rules/PK/more.yaml: not a regular file (a FIFO); give a file"
    ]


def test_a_broken_link_in_the_tree_is_an_error(rule_tree: Path) -> None:
    (rule_tree / "PK" / "gone.yaml").symlink_to("no-such-file.yaml")
    assert [str(p) for p in load_problems(rule_tree)] == [
        "rules/PK/gone.yaml: cannot read: No such file or directory"
    ]


def test_validate_fails_on_an_unreadable_part_of_the_tree(rule_tree: Path) -> None:
    import os

    os.mkfifo(rule_tree / "PK" / "more.yaml")
    result = CliRunner().invoke(main, ["validate", str(rule_tree)])
    assert result.exit_code == 1
    assert "rules/PK/more.yaml: not a regular file (a FIFO)" in result.stderr
    assert "Traceback" not in result.output + result.stderr


OUTSIDE = "secret: the-target-text\n"


@pytest.mark.parametrize("kind", ["file", "folder", "device"])
def test_a_link_out_of_the_tree_is_refused_by_its_name(
    rule_tree: Path, tmp_path: Path, kind: str
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.yaml").write_text(OUTSIDE, encoding="utf-8")
    link = rule_tree / "PK" / ("linked.yaml" if kind != "folder" else "linked")
    targets: dict[str, Path] = {
        "file": outside / "leak.yaml",
        "folder": outside,
        "device": Path("/dev/zero"),
    }
    link.symlink_to(targets[kind])
    problems = load_problems(rule_tree)
    assert [str(p) for p in problems] == [
        f"{link.relative_to(tmp_path)}: a link to outside the rule tree; rules are read only "
        "from inside it (copy the file in, or load the other folder as a tree of its own)"
    ]
    assert "the-target-text" not in str(problems) and "elsewhere" not in str(problems)


def test_a_link_inside_the_tree_is_followed(rule_tree: Path) -> None:
    """A tree may point at a release kept inside it (`current -> .releases/42`): links that
    stay inside the tree are read like the files they name."""
    hidden = rule_tree / ".releases" / "42"
    hidden.mkdir(parents=True)
    (rule_tree / "PK" / "orders.yaml").rename(hidden / "orders.yaml")
    (rule_tree / "current").symlink_to(Path(".releases") / "42")
    (rule_tree / "loop").symlink_to(".")  # a cycle is walked once
    assert list(load_rules(rule_tree).orders) == ["ord"]


@pytest.mark.parametrize(
    "name", ["localtime", "posixrules", "right/UTC", "/etc/localtime", "../zoneinfo/UTC", "Asia"]
)
def test_tz_takes_only_names_of_the_zone_database(name: str) -> None:
    result = CliRunner().invoke(main, ["check", "PK-BA", "--on", "2026-02-10", "--tz", name])
    assert result.exit_code == 2
    assert f"--tz: unknown timezone {name!r}" in result.stderr
    assert "Traceback" not in result.output + result.stderr
