"""The hostile corpus of the command line (tests/hostile/cli/): trip and organisation files,
option values, output paths, escape-laden rule texts and place names, batch faults.

Each case asserts a clear error (its exit code, a message naming the option or file) or
inert output; and, for every case, no traceback, no raw control or bidi character on the
terminal, a bounded message, and no input file changed.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisories.cli import main
from tests.conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "hostile" / "cli"
LONG = "A" * 5000
OBEYED = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2028")
ON = ("--on", "2026-02-10")
HTML = ("--format", "html")


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]  # {corpus}, {tmp} and {rules} are filled in
    code: int
    says: tuple[str, ...]  # each is in stdout + stderr

    def __str__(self) -> str:
        return self.name


def trip(name: str, code: int, *says: str) -> Case:
    return Case(
        f"trip/{name}",
        ("trip", f"{{corpus}}/trips/{name}.yaml", *HTML, "-o", "{tmp}/t.html"),
        code,
        says,
    )


def organisation(name: str, code: int, *says: str) -> Case:
    args = ("brief", "Quetta", *ON, *HTML, "--org", f"{{corpus}}/organisations/{name}.yaml")
    return Case(f"organisation/{name}", (*args, "-o", "{tmp}/b.html"), code, says)


def brief(name: str, options: tuple[str, ...], code: int, *says: str) -> Case:
    return Case(f"option/{name}", ("brief", "Quetta", *ON, *HTML, *options), code, says)


CASES = [
    # Trip files
    trip("empty", 1, "empty.yaml", "missing field 'legs'"),
    trip("not-a-mapping", 1, "not-a-mapping.yaml:1:1", "a trip file is a mapping"),
    trip("no-legs", 1, "no-legs.yaml:1:1", "missing field 'legs'"),
    trip("unknown-place", 1, "unknown-place.yaml:2:5", "unknown place 'Atlantis'"),
    trip("escape-in-place", 1, "escape-in-place.yaml:3:5", "Quetta\\x1b]0;pwned\\x07\\u202e"),
    trip("escape-in-note", 0, "wrote"),
    trip("reversed-dates", 1, "reversed-dates.yaml:2:5", "is before 'from'"),
    trip("impossible-date", 1, "impossible-date.yaml:3:11", "not a date that exists"),
    trip("unknown-field", 1, "unknown-field.yaml:5:5", "did you mean 'note'?"),
    trip("nul-bytes", 1, "nul-bytes.yaml", "control characters are not allowed"),
    trip("yaml-bomb", 1, "yaml-bomb.yaml:2:8", "aliases (*name) are not allowed"),
    trip("python-tag", 1, "python-tag.yaml:1:40", "expected a mapping of fields"),
    trip("leg-too-long", 1, "leg-too-long.yaml:2:5", "at most 366 days; split it"),
    trip("duplicate-keys", 1, "duplicate-keys.yaml:3:5", "duplicate key 'place'"),
    trip("place-too-long", 1, "place-too-long.yaml:2:5", "at most 200 characters"),
    trip("far-future", 1, "far-future.yaml:3:5", "outside the years 1900-2200"),
    trip("utf16", 1, "utf16.yaml", "not UTF-8 text"),
    trip("many-legs", 1, "many-legs.yaml:1:1", "at most 50 items"),
    # Organisation files and their logos
    organisation("logo-outside", 1, "logo-outside.yaml:2:1", "lies outside"),
    organisation("logo-missing", 1, "logo-missing.yaml:2:1", "missing.png"),
    organisation("logo-not-an-image", 1, "text.png is not a PNG or JPEG"),
    organisation("logo-damaged", 1, "damaged.png is not a readable PNG or JPEG image"),
    organisation("logo-bomb", 1, "bomb.png is 10000×10000 pixels", "scale it down"),
    organisation("logo-absolute", 1, "logo-absolute.yaml:2:1", "is not allowed here"),
    organisation("unknown-kind", 1, "unknown-kind.yaml:3:3", "unknown kind 'teleportation'"),
    organisation("escape-in-name", 0, "wrote"),
    organisation("not-a-mapping", 1, "not-a-mapping.yaml:1:1", "expected a mapping"),
    # Option values
    brief("tz-long", ("--tz", LONG), 2, "'--tz'", "…", "is no timezone"),
    brief(
        "tz-escape",
        ("--tz", "Asia/\x1b]0;pwned\x07Karachi"),
        2,
        "--tz",
        "Asia/\\x1b]0;pwned\\x07Karachi",
    ),
    brief("rules-long", ("--rules", LONG), 2, "'--rules'", "file name too long"),
    brief("org-long", ("--org", LONG), 2, "'--org'", "file name too long"),
    brief(
        "generated-at-escape",
        ("--generated-at", "\u202e2026"),
        2,
        "--generated-at",
        "'\\u202e2026'",
    ),
    brief("lookahead-negative", ("--lookahead", "-1"), 2, "'--lookahead'"),
    brief("lang-unknown", ("--lang", "xx\x1b[2J"), 2, "'--lang'", "xx\\x1b[2J"),
    Case(
        "option/on-escape",
        ("check", "Quetta", "--on", "2026-02-10\x1b[2J"),
        2,
        ("--on", "2026-02-10\\x1b[2J"),
    ),
    Case(
        "option/place-bidi", ("check", "\u202eatteuQ", *ON), 1, ("unknown place '\\u202eatteuQ'",)
    ),
    Case("option/place-long", ("check", LONG, *ON), 1, ("unknown place 'AAAA", "…")),
    Case("option/trip-file-long", ("trip", LONG), 2, ("'TRIP_FILE'", "file name too long")),
    Case(
        "option/trip-file-escape",
        ("trip", "{tmp}/no-such\x1b[2J.yaml"),
        1,
        ("no-such\\x1b[2J.yaml", "No such file"),
    ),
    Case("option/trip-file-folder", ("trip", "{corpus}/trips"), 1, ("trips", "Is a directory")),
    Case(
        "option/export-tz-long",
        ("export", "--format", "json", "--tz", LONG),
        2,
        ("'--tz'", "is no timezone"),
    ),
    # Output paths
    brief("output-long", ("-o", LONG), 2, "'--output'", "file name too long"),
    brief("output-folder", ("-o", "{tmp}"), 1, "is a folder; give a file name"),
    brief("output-missing-folder", ("-o", "{tmp}/no/such/b.html"), 1, "/no/such does not exist"),
    brief(
        "output-escape-folder",
        ("-o", "{tmp}/no\x1b]0;x\x07/b.html"),
        1,
        "no\\x1b]0;x\\x07 does not exist",
    ),
    brief(
        "output-over-rule-file",
        ("--rules", "{rules}", "-o", "{rules}/escapes.yaml"),
        2,
        "'--output'",
        "is a rule file",
    ),
    Case(
        "output/over-the-trip-file",
        (
            "trip",
            "{corpus}/trips/escape-in-note.yaml",
            *HTML,
            "-o",
            "{corpus}/trips/escape-in-note.yaml",
        ),
        2,
        ("'--output'", "is the trip file"),
    ),
    Case(
        "output/over-the-logo",
        (
            "brief",
            "Quetta",
            *ON,
            *HTML,
            "--org",
            "{corpus}/organisations/good.yaml",
            "-o",
            "{corpus}/organisations/good.png",
        ),
        2,
        ("'--output'", "is its logo"),
    ),
    Case(
        "output/export-over-rule-file",
        ("export", "--format", "csv", "--rules", "{rules}", "-o", "{rules}/escapes.yaml"),
        2,
        ("'--output'", "is a rule file"),
    ),
    # Escape-laden rule texts and place names
    Case(
        "rules/check",
        ("check", "PK-BA-EVIL", *ON, "--as-of", "2026-02-15", "--rules", "{rules}"),
        0,
        ("Evil\\x1b]0;pwned\\x07Town\\u202eesrever", "\\x1b[8mconcealed", "\\x9b31m", "\\u2028"),
    ),
    Case(
        "rules/regions",
        ("regions", "Evil", "--rules", "{rules}"),
        0,
        ("PK-BA-EVIL  Evil\\x1b]0;pwned",),
    ),
    Case("rules/regions-listing", ("regions", "--rules", "{rules}"), 0, ("PK-BA-EVIL",)),
    Case(
        "rules/changes",
        (
            "changes",
            "PK-BA-EVIL",
            "--since",
            "2026-01-01",
            "--as-of",
            "2026-02-15",
            "--rules",
            "{rules}",
        ),
        0,
        ("\\x1b[8mconcealed",),
    ),
    Case("rules/validate", ("validate", "{rules}"), 0, ("ok: ", "1 order")),
    Case(
        "rules/brief",
        ("brief", "PK-BA-EVIL", *ON, *HTML, "--rules", "{rules}", "-o", "{tmp}/b.html"),
        0,
        ("wrote",),
    ),
    # Batch faults
    Case(
        "batch/out-dir-a-file",
        ("batch", "Quetta", *ON, "--out-dir", "{corpus}/trips/empty.yaml"),
        1,
        ("empty.yaml: cannot create the folder",),
    ),
    Case(
        "batch/out-dir-long",
        ("batch", "Quetta", *ON, "--out-dir", LONG),
        2,
        ("'--out-dir'", "file name too long"),
    ),
    Case(
        "batch/unknown-place",
        ("batch", "Quetta", "Atlantis", *ON, "--out-dir", "{tmp}/out"),
        1,
        ("unknown place 'Atlantis'",),
    ),
    Case(
        "batch/a-place-fails",
        ("batch", "Quetta", "US", *ON, *HTML, "--out-dir", "{tmp}/out", "--jobs", "2"),
        1,
        ("wrote 1 of 2 briefings", "failed: US", "--tz"),
    ),
    Case(
        "batch/escape-place",
        (
            "batch",
            "PK-BA-EVIL",
            "Quetta",
            *ON,
            *HTML,
            "--rules",
            "{rules}",
            "--out-dir",
            "{tmp}/out",
        ),
        0,
        ("wrote 2 of 2 briefings",),
    ),
]


@pytest.fixture
def escape_rules(tmp_path: Path) -> Path:
    tree = tmp_path / "rules"
    tree.mkdir()
    shutil.copy(ROOT / "rules/PK/gazetteer.yaml", tree)
    shutil.copy(CORPUS / "rules/escapes.yaml", tree)
    return tree


def _digests() -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_command_line(
    case: Case, tmp_path: Path, escape_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # default output names land here
    before = _digests()
    fill = {"corpus": str(CORPUS), "tmp": str(tmp_path), "rules": str(escape_rules)}
    args = [arg.format_map(fill) if "{" in arg else arg for arg in case.args]
    result = CliRunner().invoke(main, args)
    shown = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in shown
    assert result.exit_code == case.code, shown
    for words in case.says:
        assert words in shown, shown
    assert not [c for c in OBEYED if c in shown], shown
    assert len(result.stderr) < 2500
    assert _digests() == before
