"""`advisory diff` and `brief --since-rules`: what changed between two rule sets, and nothing else.

Real revisions of the bundled rules (commits of this repository, skipped where a shallow clone
lacks them), a git repository made here with one commit of a small tree and one that changes
four things among reorderings and reformatting, the same meaning written another way, what a
ban says and what the record says of its order, place filtering, the JSON shape, errors,
archives that could escape their folder, the compiled cache, and the briefing's "Changed since"
section, as known on its as-of day.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.diff import diff_rules
from advisories.evaluation.differences import (
    AmendmentAdded,
    AmendmentChanged,
    CorrectionAdded,
    RuleDifference,
    TextChanged,
    ThresholdChanged,
)
from advisories.load.revisions import extract_plainly
from advisories.load.tree import load_rules
from advisories.render.context import diff_section
from advisories.render.views import DiffSectionView
from tests.conftest import ROOT

RULES = ROOT / "rules"

# Commits of this repository that changed the bundled rules (`git log -- rules/`).
GILGIT_NARROWED = "4fca176"  # the Gilgit order of October 2025: its district, for 30 days
ISLAMABAD_ADDED = "cc54942"  # Islamabad's order of 18 November 2024 recorded
REWORDED = "41fcbc5"  # notes reworded, a dispute dropped, as_written shortened


def missing_history(*revisions: str, repository: Path = ROOT) -> str | None:
    """Why these revisions cannot be read in `repository`, or None when they can: a copy
    without .git, a shallow clone or one whose history was rewritten lacks them."""
    if shutil.which("git") is None:
        return "git is not installed"
    for revision in revisions:
        found = subprocess.run(
            ["git", "-C", str(repository), "cat-file", "-e", f"{revision}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        if found.returncode != 0:
            return f"commit {revision} is not in the git history at {repository}"
    return None


def in_history(*revisions: str) -> pytest.MarkDecorator:
    """Skip a test of these revisions of the bundled rules where this checkout lacks them."""
    reason = missing_history(*revisions)
    return pytest.mark.skipif(reason is not None, reason=reason or "")


def run(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def diff_json(*args: str) -> dict[str, Any]:
    code, out, err = run("diff", *args, "--format", "json")
    assert code == 0, err
    found: dict[str, Any] = json.loads(out)
    return found


def changes(document: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(order, change, restriction) for every change, in the order given."""
    return [
        (order["id"], change["change"], change["restriction"])
        for order in document["orders"]
        for change in order["changes"]
    ]


# --- real revisions of the bundled rules ----------------------------------------------------------


@in_history(GILGIT_NARROWED, f"{GILGIT_NARROWED}^")
def test_the_gilgit_revision_shows_what_its_author_changed_and_nothing_else() -> None:
    found = diff_json(f"{GILGIT_NARROWED}^", GILGIT_NARROWED, "--rules", str(RULES))
    assert [(o["id"], o["status"]) for o in found["orders"]] == [("pk-gb-2025-10-s144", "changed")]
    assert changes(found) == [
        ("pk-gb-2025-10-s144", "end", None),
        ("pk-gb-2025-10-s144", "regions", None),
        ("pk-gb-2025-10-s144", "exemptions", "weapons"),
        ("pk-gb-2025-10-s144", "exemptions", "pillion-riding"),
        ("pk-gb-2025-10-s144", "text", "gatherings"),
        ("pk-gb-2025-10-s144", "restriction_added", "road-blocking"),
    ]
    end, regions, weapons, pillion, gatherings, added = found["orders"][0]["changes"]
    assert (end["old"], end["new"]) == ("2025-11-05T00:00:00+05:00", "2025-11-04T00:00:00+05:00")
    assert (regions["old"], regions["new"]) == (
        ["PK-GB"],
        ["PK-GB-GILGIT-DISTRICT", "PK-GB-GILGIT"],
    )
    assert weapons["old"] == []
    assert weapons["new"] == [{"text": "Law enforcement agencies", "status": "confirmed"}]
    assert pillion["new"][-1] == {"text": "Law enforcement personnel", "status": "confirmed"}
    assert (gatherings["old"], gatherings["new"]) == (  # processions and demonstrations too
        "Public meetings and rallies",
        "Public gatherings, processions, rallies and demonstrations",
    )
    assert added["old"] is None and added["new"]["kind"] == "other"
    assert [s["id"] for s in found["sources_added"]] == [
        "gb-inp-2025-10-06",
        "gb-urdupoint-2025-10-05",
    ]
    assert found["sources_removed"] == []


@in_history(GILGIT_NARROWED, f"{GILGIT_NARROWED}^")
def test_the_gilgit_revision_in_words() -> None:
    code, out, _ = run("diff", f"{GILGIT_NARROWED}^", GILGIT_NARROWED, "--rules", str(RULES))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"From {GILGIT_NARROWED}^ (rules ")
    assert "Orders: 1 changed. Sources: 2 added." in lines
    assert (
        "Changed: Thirty-day Section 144 in Gilgit District from 5 October 2025 "
        "[pk-gb-2025-10-s144]" in out
    )
    for said in (
        "  - In force until end of 3 Nov 2025 (was: until end of 4 Nov 2025), Asia/Karachi time",
        "  - Where: Gilgit District, Gilgit (was: Gilgit-Baltistan)",
        "  - Pillion riding on motorcycles: exemption added: Law enforcement personnel (confirmed)",
    ):
        assert said in lines
    assert "Restriction added: Other restriction (Blocking roads" in out
    assert (
        "  - Gatherings: text “Public gatherings, processions, rallies and demonstrations” (was:"
        in out
    )
    assert out.index("Changed:") < out.index("\nSources added\n")


@in_history(ISLAMABAD_ADDED, f"{ISLAMABAD_ADDED}^")
def test_the_islamabad_revision_adds_one_order_and_its_sources() -> None:
    found = diff_json(f"{ISLAMABAD_ADDED}^", ISLAMABAD_ADDED, "--rules", str(RULES))
    (order,) = found["orders"]
    assert (order["id"], order["status"], order["changes"]) == ("pk-is-2024-11-s144", "added", [])
    assert (order["start"], order["end"]) == (
        "2024-11-18T00:00:00+05:00",
        "2025-01-18T00:00:00+05:00",
    )
    assert [r["id"] for r in order["restrictions"]] == [
        "gatherings",
        "loudspeakers",
        "hate-material",
        "weapons",
        "fireworks",
    ]
    assert len(found["sources_added"]) == 4  # the coverage's new note and citation are no change
    code, out, _ = run("diff", f"{ISLAMABAD_ADDED}^", ISLAMABAD_ADDED, "--rules", str(RULES))
    assert code == 0
    assert "In force from 18 Nov 2024 00:00 until end of 17 Jan 2025 (Asia/Karachi)" in out
    assert "    - Gatherings (Gatherings of five or more people," in out


@in_history(REWORDED, f"{REWORDED}^")
def test_a_revision_that_only_rewords_is_no_change() -> None:
    """Notes reworded, as_written shortened, a dispute dropped: the rules mean the same."""
    code, out, _ = run("diff", f"{REWORDED}^", REWORDED, "--rules", str(RULES))
    assert code == 0
    assert out.splitlines()[-1] == f"No changes to the rules between {REWORDED}^ and {REWORDED}."
    assert diff_json(f"{REWORDED}^", REWORDED, "--rules", str(RULES))["changed"] is False


@in_history("HEAD")
def test_a_tree_against_itself_is_no_change() -> None:
    """HEAD against the working tree's rules, and the folder against itself."""
    for old, new in (("HEAD", str(RULES)), (str(RULES), str(RULES))):
        found = diff_json(old, new, "--rules", str(RULES))
        assert (found["changed"], found["orders"], found["sources_added"]) == (False, [], [])


@in_history(GILGIT_NARROWED, f"{GILGIT_NARROWED}^")
@pytest.mark.parametrize(
    ("place", "shown"),
    [
        ("Gilgit", True),  # the order's city, named now
        ("Skardu", True),  # in Gilgit-Baltistan, which the order covered before
        ("Gilgit-Baltistan", True),  # contains the district it covers now
        ("Quetta", False),
    ],
)
def test_a_place_sees_the_change_when_the_order_bears_on_it_then_or_now(
    place: str, shown: bool
) -> None:
    found = diff_json(f"{GILGIT_NARROWED}^", GILGIT_NARROWED, place, "--rules", str(RULES))
    assert [o["id"] for o in found["orders"]] == (["pk-gb-2025-10-s144"] if shown else [])
    assert bool(found["sources_added"]) is shown  # the new sources are the order's


# --- a repository made here -----------------------------------------------------------------------

SOURCES = """\
# Where the orders come from.
sources:
  - id: src-a
    title: Section 144 in Balochistan
    publisher: Example News
    url: https://example.com/a
  - id: src-b
    title: Section 144 in Sindh
    publisher: Example News
    url: https://example.com/b
"""

ORDERS = """\
orders:
  - id: ba-s144
    title: Section 144 in Balochistan
    authority: Home Department
    announced: 2026-02-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity:
      first_day: 2026-02-01
      last_day: 2026-02-28
    restrictions:
      - id: gatherings
        kind: gatherings
        threshold: {min_people: 5}
      - id: weapons
        kind: weapons
        exemptions:
          - text: Law enforcement agencies
            status: confirmed
      - id: pillion
        kind: pillion-riding
        windows: [{days: [fri, sat], from: '20:00', to: '06:00'}]
    sources: [src-a]
    verification: reported
  - id: sd-s144
    title: Section 144 in Sindh
    authority: Home Department
    announced: 2026-02-05
    timezone: Asia/Karachi
    regions: [PK-SD]
    validity:
      first_day: 2026-02-05
      duration: P1M
    restrictions:
      - id: weapons
        kind: weapons
    sources: [src-b]
    verification: reported
"""

# The four changes (the Balochistan order ends later, its gatherings ban starts at four
# people, the weapons ban exempts guards too, pillion riding is no longer banned), among
# entries reordered, a file reformatted, a comment edited and Sindh's month written as a day.
SOURCES_EDITED = """\
sources:   # reordered, in flow style
  - {id: src-b, title: "Section 144 in Sindh", publisher: Example News, url: "https://example.com/b"}
  - {id: src-a, title: "Section 144 in Balochistan", publisher: Example News, url: "https://example.com/a"}
"""

ORDERS_EDITED = """\
orders:
    -   id: sd-s144
        title: Section 144 in Sindh
        authority: Home Department
        announced: 2026-02-05
        timezone: Asia/Karachi
        regions:
            - PK-SD
        validity:
            first_day: 2026-02-05
            last_day: 2026-03-04  # P1M from 5 February: the same end
        restrictions:
            -   {id: weapons, kind: weapons}
        sources: [src-b]
        verification: reported
    -   id: ba-s144
        title: Section 144 in Balochistan
        authority: Home Department
        announced: 2026-02-01
        timezone: Asia/Karachi
        regions: [PK-BA]
        validity: {first_day: 2026-02-01, last_day: 2026-03-15}
        restrictions:
            -   id: weapons
                kind: weapons
                exemptions:
                    -   text: Licensed private security guards
                        status: confirmed
                    -   text: Law enforcement agencies
                        status: confirmed
            -   id: gatherings
                kind: gatherings
                threshold:
                    min_people: 4
        sources: [src-a]
        verification: reported
"""

FOUR_CHANGES = [
    ("ba-s144", "end", None),
    ("ba-s144", "exemptions", "weapons"),
    ("ba-s144", "threshold", "gatherings"),
    ("ba-s144", "restriction_removed", "pillion"),
]


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repository), "-c", "user.name=Test", "-c", "user.email=t@example.com",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def write_tree(rules: Path, orders: str, sources: str) -> None:
    (rules / "PK").mkdir(parents=True, exist_ok=True)
    (rules / "PK" / "orders.yaml").write_text(orders, encoding="utf-8")
    (rules / "PK" / "sources.yaml").write_text(sources, encoding="utf-8")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose rules/ has two commits: the small tree, then the four changes."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repository = tmp_path / "repo"
    repository.mkdir()
    git(repository, "init", "--quiet")
    write_tree(repository / "rules", ORDERS, SOURCES)
    git(repository, "add", "rules")
    git(repository, "commit", "--quiet", "-m", "Two orders")
    write_tree(repository / "rules", ORDERS_EDITED, SOURCES_EDITED)
    git(repository, "commit", "--quiet", "-am", "Four changes, reordered and reformatted")
    return repository


def test_a_shallow_clone_skips_the_tests_of_the_commits_it_lacks(
    repository: Path, tmp_path: Path
) -> None:
    """A clone of depth 1 has a .git but not the parent of its one commit."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", repository.as_uri(), str(clone))
    assert (clone / ".git").exists()
    assert missing_history("HEAD", repository=clone) is None
    assert missing_history("HEAD", "HEAD^", repository=clone) == (
        f"commit HEAD^ is not in the git history at {clone}"
    )
    assert missing_history("HEAD", "HEAD^", repository=repository) is None


def test_a_commit_shows_its_four_changes_among_reorderings_and_reformatting(
    repository: Path,
) -> None:
    found = diff_json("HEAD~1", "HEAD", "--rules", str(repository / "rules"))
    assert changes(found) == FOUR_CHANGES
    assert (found["sources_added"], found["sources_removed"]) == ([], [])
    end, exemptions, threshold, removed = found["orders"][0]["changes"]
    assert (end["old"], end["new"]) == ("2026-03-01T00:00:00+05:00", "2026-03-16T00:00:00+05:00")
    assert exemptions["new"][0]["text"] == "Licensed private security guards"
    assert (threshold["old"], threshold["new"]) == ({"min_people": 5}, {"min_people": 4})
    assert removed["old"]["windows"] == [
        {"days": ["fri", "sat"], "dates": None, "from": "20:00", "to": "06:00", "regions": None}
    ]


def test_the_four_changes_in_words(repository: Path) -> None:
    code, out, _ = run("diff", "HEAD~1", "HEAD", "--rules", str(repository / "rules"))
    assert code == 0
    assert out.split("\n\n")[2:] == [
        "Changed: Section 144 in Balochistan [ba-s144]\n"
        "  - In force until end of 15 Mar 2026 (was: until end of 28 Feb 2026), Asia/Karachi time\n"
        "  - Display or use of weapons: exemption added: Licensed private security guards "
        "(confirmed)\n"
        "  - Gatherings: threshold 4 or more people (was: 5 or more people)\n"
        "  - Restriction removed: Pillion riding on motorcycles\n"
    ]
    assert "Orders: 1 changed." in out


def test_folders_and_revisions_give_the_same_diff(repository: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    write_tree(old, ORDERS, SOURCES)
    by_revision = diff_json("HEAD~1", "HEAD", "--rules", str(repository / "rules"))
    by_folder = diff_json(str(old), str(repository / "rules"))
    mixed = diff_json(str(old), "HEAD", "--rules", str(repository / "rules"))
    assert by_revision["orders"] == by_folder["orders"] == mixed["orders"]
    assert by_folder["old"] == {"rules": str(old), "version": by_revision["old"]["version"]}


def test_a_revision_reads_the_rules_of_the_repository_at_that_revision(repository: Path) -> None:
    """Uncommitted edits are the folder's, not HEAD's."""
    rules = repository / "rules"
    (rules / "PK" / "orders.yaml").write_text(ORDERS, encoding="utf-8")
    assert changes(diff_json("HEAD", str(rules), "--rules", str(rules))) == [
        ("ba-s144", "end", None),
        ("ba-s144", "threshold", "gatherings"),  # in the order the folder's file lists them
        ("ba-s144", "exemptions", "weapons"),
        ("ba-s144", "restriction_added", "pillion"),
    ]


@pytest.mark.parametrize(
    ("place", "orders"),
    [("Balochistan", ["ba-s144"]), ("Sindh", []), ("Pakistan", ["ba-s144"]), ("PK-PB", [])],
)
def test_place_keeps_what_bears_on_it(repository: Path, place: str, orders: list[str]) -> None:
    rules = str(repository / "rules")
    found = diff_json("HEAD~1", "HEAD", place, "--rules", rules)
    assert [o["id"] for o in found["orders"]] == orders
    if not orders:
        code, out, _ = run("diff", "HEAD~1", "HEAD", place, "--rules", rules)
        assert code == 0
        name = found["region_name"]
        assert (
            out.splitlines()[-1] == f"No changes to the rules for {name} between HEAD~1 and HEAD."
        )


def test_the_json_shape(repository: Path) -> None:
    found = diff_json("HEAD~1", "HEAD", "Balochistan", "--rules", str(repository / "rules"))
    assert list(found) == [
        "old", "new", "region", "region_name", "changed", "orders", "sources_added",
        "sources_removed",
    ]  # fmt: skip
    assert (found["region"], found["region_name"], found["changed"]) == (
        "PK-BA",
        "Balochistan",
        True,
    )
    assert found["old"]["rules"] == "HEAD~1" and len(found["old"]["version"]) == 12
    (order,) = found["orders"]
    assert list(order) == [
        "id", "status", "title", "authority", "announced", "timezone", "start", "end",
        "regions", "exclude_regions", "restrictions", "changes",
    ]  # fmt: skip
    assert (order["start"], order["end"]) == (
        "2026-02-01T00:00:00+05:00",
        "2026-03-16T00:00:00+05:00",
    )
    assert all(list(c) == ["change", "restriction", "old", "new"] for c in order["changes"])
    assert list(order["restrictions"][0]) == [
        "id", "kind", "text", "threshold", "windows", "within", "exemptions",
    ]  # fmt: skip


def test_a_broken_earlier_revision_is_reported_where_it_was_written(repository: Path) -> None:
    rules = repository / "rules"
    broken = ORDERS_EDITED.replace("last_day: 2026-03-15", "last_dya: 2026-03-15")
    (rules / "PK" / "orders.yaml").write_text(broken, encoding="utf-8")
    git(repository, "commit", "--quiet", "-am", "A typo")
    code, _, err = run("diff", "HEAD", "HEAD~1", "--rules", str(rules))
    assert code == 1
    assert "error: HEAD:rules/PK/orders.yaml:" in err
    assert "'last_dya' (did you mean 'last_day'?)" in err
    assert err.splitlines()[-1] == "1 problem in the rules at HEAD"


# --- the same meaning, written another way --------------------------------------------------------


def load_tree(folder: Path, orders: str, extra: str = "") -> RuleSet:
    write_tree(folder, orders + extra, SOURCES)
    return load_rules(folder)


@pytest.mark.parametrize(
    ("written", "before", "after"),
    [
        ("last_day: 2026-02-28", "last_day: 2026-02-28", "end: 2026-03-01T00:00:00+05:00"),
        ("duration: P1M", "duration: P1M", "last_day: 2026-03-04"),
        ("{min_people: 5}", "{min_people: 5}", "{more_than: 4}"),
        ("days: [fri, sat]", "days: [fri, sat]", "days: [sat, fri]"),
        ("regions: [PK-BA]", "regions: [PK-BA, PK-SD]", "regions: [PK-SD, PK-BA]"),
        ("    title: Section 144 in Sindh", "    title: Section 144 in Sindh",
         "    title: Ban on weapons in Sindh\n    note: Reworded"),
        ("text: Law enforcement agencies", "text: Law enforcement agencies",
         "text: >-\n              Law enforcement\n              agencies"),
        ("kind: weapons\n        exemptions", "kind: weapons\n        text: Display of arms\n"
         "        exemptions", "kind: weapons\n        text: >-\n          Display   of\n"
         "          arms\n        exemptions"),
    ],
)  # fmt: skip
def test_the_same_meaning_written_another_way_is_no_change(
    tmp_path: Path, written: str, before: str, after: str
) -> None:
    assert written in ORDERS
    old = load_tree(tmp_path / "old", ORDERS.replace(written, before))
    new = load_tree(tmp_path / "new", ORDERS.replace(written, after))
    found = diff_rules(old, new)
    assert found.empty, found.orders


EXTENDED = """\
amendments:
  - id: ba-extended
    order: ba-s144
    action: extend
    announced: 2026-02-27
    last_day: 2026-03-31
    sources: [src-a]
    verification: reported
"""

ADDS_A_BAN = """\
amendments:
  - id: ba-adds-curfew
    order: ba-s144
    action: add_restriction
    announced: 2026-02-10
    effective_day: 2026-02-11
    restrictions: [{id: curfew, kind: curfew}]
    sources: [src-a]
    verification: reported
"""

RAISES_THRESHOLD = """\
amendments:
  - id: ba-raised
    order: ba-s144
    action: modify_restriction
    announced: 2026-02-10
    restriction_ids: [gatherings]
    changes: {threshold: {min_people: 10}}
    sources: [src-a]
    verification: reported
"""

CORRECTED = """\
corrections:
  - id: ba-date-fixed
    order: ba-s144
    recorded: 2026-02-20
    summary: The first day was recorded as 2 February; the notification says 1 February.
    sources: [src-a]
"""


def test_an_added_extension_is_one_change_that_says_what_it_does(tmp_path: Path) -> None:
    found = diff_rules(
        load_tree(tmp_path / "a", ORDERS), load_tree(tmp_path / "b", ORDERS, EXTENDED)
    )
    (order,) = found.orders
    (change,) = order.changes
    assert isinstance(change, AmendmentAdded) and change.amendment.id == "ba-extended"
    assert [e.summary for e in change.effects] == [
        "extended until end of 31 Mar 2026 (announced 27 Feb 2026)"
    ]


def test_a_changed_extension_says_what_it_did_before(tmp_path: Path) -> None:
    later = EXTENDED.replace("2026-03-31", "2026-04-30")
    old, new = load_tree(tmp_path / "a", ORDERS, EXTENDED), load_tree(tmp_path / "b", ORDERS, later)
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, AmendmentChanged)
    assert [e.summary for e in change.old] == [
        "extended until end of 31 Mar 2026 (announced 27 Feb 2026)"
    ]
    assert [e.summary for e in change.new] == [
        "extended until end of 30 Apr 2026 (announced 27 Feb 2026)"
    ]
    rewritten = EXTENDED.replace("last_day: 2026-03-31", "duration: P1M")  # the same end
    assert diff_rules(old, load_tree(tmp_path / "c", ORDERS, rewritten)).empty


def test_a_ban_added_by_an_added_amendment_is_said_once(tmp_path: Path) -> None:
    old, new = load_tree(tmp_path / "a", ORDERS), load_tree(tmp_path / "b", ORDERS, ADDS_A_BAN)
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, AmendmentAdded)
    assert change.effects[0].restriction is not None
    assert change.effects[0].restriction.id == "curfew"
    # The same ban, now written in the order itself: the order gains it, the amendment goes.
    moved = ORDERS.replace(
        "      - id: pillion", "      - id: curfew\n        kind: curfew\n      - id: pillion"
    )
    found = diff_rules(new, load_tree(tmp_path / "c", moved))
    kinds = [type(c).__name__ for c in found.orders[0].changes]
    assert kinds == ["AmendmentRemoved"]  # the ban itself is there before and after


def test_a_later_modification_is_not_a_change_when_what_it_modifies_changed(
    tmp_path: Path,
) -> None:
    """The order's threshold moves from 5 to 4; the amendment raising it to 10 still does
    just that, though its summary now says 'was 4'."""
    old = load_tree(tmp_path / "a", ORDERS, RAISES_THRESHOLD)
    lower = ORDERS.replace("{min_people: 5}", "{min_people: 4}")
    new = load_tree(tmp_path / "b", lower, RAISES_THRESHOLD)
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, ThresholdChanged)
    assert change.restriction.id == "gatherings"


def test_a_correction_of_our_record_is_a_change(tmp_path: Path) -> None:
    old, new = load_tree(tmp_path / "a", ORDERS), load_tree(tmp_path / "b", ORDERS, CORRECTED)
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, CorrectionAdded) and change.correction.id == "ba-date-fixed"


def test_an_added_order_lists_its_amendments_and_a_removed_one_too(tmp_path: Path) -> None:
    sindh_only = "orders:\n" + ORDERS[ORDERS.index("  - id: sd-s144") :]
    old = load_tree(tmp_path / "a", sindh_only)
    new = load_tree(tmp_path / "b", ORDERS, EXTENDED)
    (added,) = diff_rules(old, new).orders
    assert (added.status, added.order.id) == ("added", "ba-s144")
    assert [type(c).__name__ for c in added.changes] == ["AmendmentAdded"]
    (removed,) = diff_rules(new, old).orders
    assert (removed.status, removed.order.id) == ("removed", "ba-s144")
    assert [type(c).__name__ for c in removed.changes] == ["AmendmentRemoved"]
    code, out, _ = run("diff", str(tmp_path / "b"), str(tmp_path / "a"))
    assert code == 0
    assert "Order removed: Section 144 in Balochistan [ba-s144]" in out
    assert "  Was in force from 1 Feb 2026 00:00 until end of 28 Feb 2026 (Asia/Karachi)" in out
    assert "  - Amendment removed: extended until end of 31 Mar 2026 (announced 27 Feb 2026)" in out


# --- what a ban says and what the record says of its order ---------------------------------------

ROAD_BLOCKING = ORDERS.replace(
    "      - id: pillion\n",
    "      - id: road-blocking\n        kind: other\n        text: Blocking roads\n"
    "      - id: pillion\n",
)


def test_a_changed_text_is_a_changed_ban(tmp_path: Path) -> None:
    """For kind `other` the text is all that says what is banned."""
    old = load_tree(tmp_path / "a", ROAD_BLOCKING)
    new = load_tree(tmp_path / "b", ROAD_BLOCKING.replace("Blocking roads", "Drone flights"))
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, TextChanged)
    assert (change.restriction.id, change.old, change.new) == (
        "road-blocking",
        "Blocking roads",
        "Drone flights",
    )
    (said,) = diff_json(str(tmp_path / "a"), str(tmp_path / "b"))["orders"][0]["changes"]
    assert said == {
        "change": "text",
        "restriction": "road-blocking",
        "old": "Blocking roads",
        "new": "Drone flights",
    }
    code, out, _ = run("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    assert "  - Other restriction: text “Drone flights” (was: “Blocking roads”)" in out.splitlines()


@pytest.mark.parametrize(
    ("before", "after", "change", "said"),
    [
        ("verification: reported", "verification: official", ("verification", "reported",
         "official"), "Verification: official (was: reported)"),
        ("", "penalty: Up to one month in prison", ("penalty", None,
         "Up to one month in prison"), "Penalty: Up to one month in prison (was: not recorded)"),
        ("legal_basis: Section 144 CrPC", "legal_basis: Section 16, Maintenance of Public Order",
         ("legal_basis", "Section 144 CrPC", "Section 16, Maintenance of Public Order"),
         "Legal basis: Section 16, Maintenance of Public Order (was: Section 144 CrPC)"),
    ],
)  # fmt: skip
def test_what_the_record_says_of_an_order_is_a_change(
    tmp_path: Path, before: str, after: str, change: tuple[str, str | None, str], said: str
) -> None:
    def written(line: str) -> str:
        """The Balochistan order with `line` for its verification, or with `line` added."""
        if line.startswith("verification"):
            ba_verification = "    sources: [src-a]\n    verification: reported\n"
            return ORDERS.replace(ba_verification, f"    sources: [src-a]\n    {line}\n")
        return ORDERS.replace("    regions: [PK-BA]\n", f"    regions: [PK-BA]\n    {line}\n")

    write_tree(tmp_path / "a", written(before), SOURCES)
    write_tree(tmp_path / "b", written(after), SOURCES)
    found = diff_json(str(tmp_path / "a"), str(tmp_path / "b"))
    (order,) = found["orders"]
    assert [(c["change"], c["restriction"], c["old"], c["new"]) for c in order["changes"]] == [
        (change[0], None, change[1], change[2])
    ]
    code, out, _ = run("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    assert f"  - {said}" in out.splitlines()


def test_contents_reported_at_last_is_a_change_with_the_bans_it_brings(tmp_path: Path) -> None:
    restrictions = ORDERS[
        ORDERS.index("    restrictions:\n") : ORDERS.index("    sources: [src-a]")
    ]
    unreported = ORDERS.replace(restrictions, "    contents: not_reported\n")
    write_tree(tmp_path / "a", unreported, SOURCES)
    write_tree(tmp_path / "b", ORDERS, SOURCES)
    found = diff_json(str(tmp_path / "a"), str(tmp_path / "b"))
    assert changes(found) == [
        ("ba-s144", "contents", None),
        ("ba-s144", "restriction_added", "gatherings"),
        ("ba-s144", "restriction_added", "weapons"),
        ("ba-s144", "restriction_added", "pillion"),
    ]
    contents = found["orders"][0]["changes"][0]
    assert (contents["old"], contents["new"]) == ("not_reported", "reported")
    code, out, _ = run("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    assert "  - What it bans: reported in full (was: not reported)" in out.splitlines()


def test_an_amendment_that_rewrites_what_a_ban_says_is_a_changed_amendment(
    tmp_path: Path,
) -> None:
    rewrites = RAISES_THRESHOLD.replace(
        "changes: {threshold: {min_people: 10}}", "changes: {text: Rallies}"
    )
    old = load_tree(tmp_path / "a", ORDERS, rewrites)
    new = load_tree(tmp_path / "b", ORDERS, rewrites.replace("Rallies", "Rallies and sit-ins"))
    (change,) = diff_rules(old, new).orders[0].changes
    assert isinstance(change, AmendmentChanged)
    assert "Rallies and sit-ins" in change.new[0].summary


# --- errors ---------------------------------------------------------------------------------------


def test_an_unknown_revision_is_a_usage_error(repository: Path) -> None:
    code, _, err = run("diff", "no-such-tag", "HEAD", "--rules", str(repository / "rules"))
    assert code == 2
    assert (
        f"'no-such-tag' is neither a folder nor a revision of the git repository at "
        f"{repository.resolve()}" in err
    )


def test_rules_outside_git_cannot_be_read_at_a_revision(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_tree(rules, ORDERS, SOURCES)
    code, _, err = run("diff", "HEAD~1", "HEAD", "--rules", str(rules))
    assert code == 2
    assert f"'HEAD~1' is not a folder, and the rules at {rules.resolve()} are not in a git" in err
    assert "Traceback" not in err


def test_a_folder_with_no_rules_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run("diff", str(tmp_path / "empty"), str(RULES))
    assert code == 2
    assert f"{tmp_path / 'empty'} is a folder with no rule files (*.yaml) in it" in err


def test_rules_not_in_the_revision(repository: Path) -> None:
    (repository / "later").mkdir()
    write_tree(repository / "later", ORDERS, SOURCES)
    code, _, err = run(
        "diff", "HEAD", str(repository / "later"), "--rules", str(repository / "later")
    )
    assert code == 2
    assert "later was not in the git repository" in err


def test_without_git_a_revision_cannot_be_read(repository: Path) -> None:
    code, _, err = run(
        "diff", "HEAD~1", "HEAD", "--rules", str(repository / "rules"), env={"PATH": ""}
    )
    assert code == 2
    assert "git is needed to read the rules at a revision, and it is not installed" in err


def test_an_option_is_not_taken_for_a_revision(repository: Path) -> None:
    code, _, err = run("diff", "--rules", str(repository / "rules"), "--", "--output=x", "HEAD")
    assert code == 2
    assert "'--output=x' is neither a folder nor a git revision" in err


def tar_of(*members: tuple[str, bytes | str | None]) -> bytes:
    """A tar archive of (name, content) members: bytes a file, a str a symbolic link to it,
    None a folder."""
    written = io.BytesIO()
    with tarfile.open(fileobj=written, mode="w") as tar:
        for name, content in members:
            member = tarfile.TarInfo(name)
            if content is None:
                member.type = tarfile.DIRTYPE
                tar.addfile(member)
            elif isinstance(content, str):
                member.type, member.linkname = tarfile.SYMTYPE, content
                tar.addfile(member)
            else:
                member.size = len(content)
                tar.addfile(member, io.BytesIO(content))
    return written.getvalue()


def test_an_archive_of_folders_and_files_is_written_out(tmp_path: Path) -> None:
    archive = tar_of(("rules", None), ("rules/PK/orders.yaml", b"orders: []\n"))
    assert extract_plainly(archive, tmp_path) is None
    assert (tmp_path / "rules" / "PK" / "orders.yaml").read_bytes() == b"orders: []\n"


@pytest.mark.parametrize(
    ("member", "refused"),
    [
        (("../escaped.yaml", b"x"), "'../escaped.yaml' would be written outside the folder"),
        (("rules/../../escaped.yaml", b"x"), "would be written outside the folder"),
        (("/tmp/escaped.yaml", b"x"), "'/tmp/escaped.yaml' would be written outside the folder"),
        (("rules/link", "/etc"), "'rules/link' is a link or a special file"),
        (("rules/inside", "orders.yaml"), "'rules/inside' is a link or a special file"),
    ],
)
def test_an_archive_member_that_could_escape_the_folder_is_refused(
    tmp_path: Path, member: tuple[str, bytes | str], refused: str
) -> None:
    """Refused on every Python 3.11, whether or not its tarfile has `filter="data"`; and
    nothing of the archive is written, not even the members before it."""
    into = tmp_path / "into"
    into.mkdir()
    archive = tar_of(("rules/PK/orders.yaml", b"orders: []\n"), member)
    said = extract_plainly(archive, into)
    assert said is not None and refused in said
    assert list(into.iterdir()) == []
    assert not (tmp_path / "escaped.yaml").exists()


# --- the cache and the scratch folders ------------------------------------------------------------


def test_revisions_leave_the_cache_and_the_temporary_folder_as_they_were(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, scratch = tmp_path / "cache", tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("ADVISORIES_CACHE", str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    rules = str(repository / "rules")
    assert run("check", "Balochistan", "--on", "2026-02-10", "--rules", rules)[0] == 0
    entries = sorted(cache.iterdir())
    assert len(entries) == 1
    stamps = [os.stat(e).st_mtime_ns for e in entries]
    assert run("diff", "HEAD~1", "HEAD", "--rules", rules)[0] == 0
    assert run("diff", "HEAD~1", rules, "--rules", rules)[0] == 0  # the folder: cached as ever
    assert sorted(cache.iterdir()) == entries
    assert [os.stat(e).st_mtime_ns for e in entries] == stamps
    assert list(scratch.iterdir()) == []


# --- brief --since-rules --------------------------------------------------------------------------


@in_history(GILGIT_NARROWED, f"{GILGIT_NARROWED}^")
def test_brief_since_rules_adds_the_changes_for_its_place_to_the_html(tmp_path: Path) -> None:
    target = tmp_path / "gilgit.html"
    code, _, err = run(
        "brief", "Gilgit", "--on", "2025-10-10", "--as-of", "2025-10-10", "--format", "html",
        "--since-rules", f"{GILGIT_NARROWED}^", "--rules", str(RULES), "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    html = target.read_text("utf-8")
    section = html[html.index('<section class="rule-changes"') : html.index('<section class="leg"')]
    assert f"<h2>Changed since {GILGIT_NARROWED}^</h2>" in section
    assert "Orders: 1 changed. Sources: 2 added." in section
    assert "Changed: Thirty-day Section 144 in Gilgit District from 5 October 2025" in section
    assert "<li>Where: Gilgit District, Gilgit (was: Gilgit-Baltistan)</li>" in section
    assert "Restriction added: Other restriction (Blocking roads" in section


@in_history(GILGIT_NARROWED, f"{GILGIT_NARROWED}^")
def test_brief_since_rules_in_the_pdf_says_when_nothing_changed(tmp_path: Path) -> None:
    target = tmp_path / "quetta.pdf"
    code, _, err = run(
        "brief", "Quetta", "--on", "2026-02-10", "--since-rules", f"{GILGIT_NARROWED}^",
        "--rules", str(RULES), "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    first = " ".join(PdfReader(target).pages[0].extract_text().split())
    assert f"Changed since {GILGIT_NARROWED}^" in first
    assert f"No changes to the rules for this place since {GILGIT_NARROWED}^." in first
    assert first.index("Changed since") < first.index("Bottom line")


def without_amendments(tmp_path: Path) -> Path:
    """A copy of the bundled rules without the three notifications that amended Balochistan's
    Section 144 of August 2025: extended to 31 August (announced 16 August), then to
    14 September with a ban added and one reworded (announced 29 August)."""
    copy = tmp_path / "rules-without-amendments"
    shutil.copytree(RULES, copy)
    orders = copy / "PK" / "BA" / "2025.yaml"
    text = orders.read_text("utf-8")
    first = text.index("  - id: pk-ba-2025-08-s144-extended-aug-31\n")
    after = text.index("  # August mobile data")
    assert (
        text[first:after].count("    order: ")
        == text[first:after].count("order: pk-ba-2025-08-s144\n")
        == 4
    )
    orders.write_text(text[:first] + text[after:], "utf-8")
    return copy


def diff_section_html(*args: str) -> str:
    code, _, err = run("brief", *args, "--format", "html")
    assert code == 0, err
    target = Path(args[args.index("-o") + 1])
    html = target.read_text("utf-8")
    return html[html.index('<section class="rule-changes"') : html.index('<section class="leg"')]


def test_brief_since_rules_compares_the_rules_as_known_on_its_as_of_day(tmp_path: Path) -> None:
    """As of 20 August 2025 the first extension was known and the second was not: a briefing
    as of that day lists the first alone, whichever side holds the later one."""
    earlier = without_amendments(tmp_path)
    target = str(tmp_path / "quetta.html")
    briefing = ("Quetta", "--on", "2025-08-20", "--as-of", "2025-08-20", "-o", target)
    first = "extended until end of 31 Aug 2025 (announced 16 Aug 2025)"
    section = diff_section_html(*briefing, "--since-rules", str(earlier), "--rules", str(RULES))
    assert f"<li>Amendment added: {first}</li>" in section
    for later in ("14 Sep 2025", "Unregistered motorcycles", "five or more"):
        assert later not in section
    assert "both as known on 20 Aug 2025" in section
    # The rules --since-rules names are those known on that day too: the later amendments they
    # hold are not taken for amendments removed from the rules in use.
    section = diff_section_html(*briefing, "--since-rules", str(RULES), "--rules", str(earlier))
    assert f"<li>Amendment removed: {first}</li>" in section
    for later in ("14 Sep 2025", "Unregistered motorcycles", "five or more"):
        assert later not in section
    # As of a day after both, all three notifications are changes.
    after = ("Quetta", "--on", "2025-08-20", "--as-of", "2025-09-01", "-o", target)
    section = diff_section_html(*after, "--since-rules", str(earlier), "--rules", str(RULES))
    assert "extended until end of 14 Sep 2025" in section and "Unregistered motorcycles" in section


def test_the_diff_section_of_a_briefing_is_built_without_rendering(tmp_path: Path) -> None:
    """render/context.diff_section: the diff's words, the versions and the day compared."""
    old = load_tree(tmp_path / "a", ORDERS)
    new = load_tree(tmp_path / "b", ORDERS, EXTENDED)
    differences: tuple[RuleDifference, ...] = diff_rules(old, new, "PK-BA").orders[0].changes
    assert [type(d) for d in differences] == [AmendmentAdded]
    section = diff_section("HEAD~1", diff_rules(old, new, "PK-BA", date(2026, 2, 27)))
    assert isinstance(section, DiffSectionView)
    assert section.compared == (
        f"Rules version {old.version} at HEAD~1; {new.version} in this briefing; both as known "
        "on 27 Feb 2026. Changes of titles, notes or citations are not listed."
    )
    assert [(o.order, o.changes) for o in section.orders] == [
        ("ba-s144", ["Amendment added: extended until end of 31 Mar 2026 (announced 27 Feb 2026)"])
    ]
    day_before = diff_section("HEAD~1", diff_rules(old, new, "PK-BA", date(2026, 2, 26)))
    assert (day_before.summary, day_before.orders) == ("", [])


def test_brief_since_an_unknown_revision_names_the_option(repository: Path, tmp_path: Path) -> None:
    code, _, err = run(
        "brief", "Balochistan", "--on", "2026-02-10", "--format", "html", "--since-rules", "nope",
        "--rules", str(repository / "rules"), "-o", str(tmp_path / "q.html"),
    )  # fmt: skip
    assert code == 2
    assert "--since-rules" in err and "'nope' is neither a folder nor a revision" in err
    assert not (tmp_path / "q.html").exists()


def test_brief_since_rules_escapes_what_the_rules_say(repository: Path, tmp_path: Path) -> None:
    """Analyst text in the section (a title, an exemption) is escaped like the rest."""
    rules = repository / "rules"
    marked = ORDERS_EDITED.replace(
        "title: Section 144 in Balochistan", "title: Section 144 <b>in</b> Balochistan"
    ).replace("Licensed private security guards", "<script>alert(1)</script>")
    (rules / "PK" / "orders.yaml").write_text(marked, encoding="utf-8")
    target = tmp_path / "ba.html"
    code, _, err = run(
        "brief", "Balochistan", "--on", "2026-02-10", "--format", "html", "--since-rules", "HEAD~1",
        "--rules", str(rules), "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    html = target.read_text("utf-8")
    section = html[html.index('<section class="rule-changes"') : html.index('<section class="leg"')]
    assert "Changed: Section 144 &lt;b&gt;in&lt;/b&gt; Balochistan" in section
    assert "exemption added: &lt;script&gt;alert(1)&lt;/script&gt; (confirmed)" in section
    assert "<script>" not in html and "<b>in</b>" not in html
