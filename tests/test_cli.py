"""The `advisory` command through click's runner, and its start-up path in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from tests.conftest import FIXTURES, ROOT


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_check_quetta_in_february_lists_restrictions_and_sources() -> None:
    code, out, _ = run("check", "Quetta", "--on", "2026-02-10", "--as-of", "2026-02-15")
    assert code == 0
    for label in (
        "Display or use of weapons",
        "Pillion riding",
        "tinted or blackened",
        "Gatherings",
    ):
        assert label.lower() in out.lower()
    assert "5 or more people" in out
    assert "tribune.com.pk" in out
    assert "Exemption (proposed, NOT in force)" in out
    assert out.index("restrictions in force") < out.index("\nSources\n")  # verdict first


def test_check_in_march_lists_nothing_of_the_february_order() -> None:
    code, out, _ = run("check", "Quetta", "--on", "2026-03-05")
    assert code == 0
    assert "pk-ba-2026-02-s144" not in out
    # March has its own month of Section 144 (announced 2 March), and the coverage was checked
    # through that day.
    assert "Order pk-ba-2026-03-s144" in out
    assert "Monitored; checked from 1 Jan 2025 to 2 Mar 2026." in " ".join(out.split())


def test_check_json_shape() -> None:
    code, out, _ = run("check", "Quetta", "--on", "2026-02-10", "--format", "json")
    assert code == 0
    answer = json.loads(out)
    assert answer["region"]["code"] == "PK-BA-QUETTA-QUETTA"
    assert answer["region"]["path"] == [
        "Pakistan", "Balochistan", "Quetta Division", "Quetta District", "Quetta"
    ]  # fmt: skip
    assert answer["query"]["start"] == "2026-02-10T00:00:00+05:00"
    assert answer["query"]["end"] == "2026-02-11T00:00:00+05:00"
    item = next(r for r in answer["restrictions"] if r["kind"] == "gatherings")
    expected_keys = {
        "id", "order", "kind", "label", "status", "start", "end", "threshold", "exemptions",
        "sources", "verification", "stale", "amendments",
    }  # fmt: skip
    assert expected_keys <= set(item)
    assert item["status"] == "in_force"
    assert item["start"] == "2026-02-01T00:00:00+05:00"
    assert item["end"] == "2026-03-01T00:00:00+05:00"
    assert item["threshold"]["min_people"] == 5
    assert {"changes", "context"} <= set(answer)


def test_check_range_reports_changes() -> None:
    code, out, _ = run("check", "Quetta", "--from", "2026-02-20", "--to", "2026-03-05")
    assert code == 0
    assert "Changes in this period" in out and "ends at 1 Mar 2026 00:00" in out


def test_check_at_an_instant_with_offset() -> None:
    code, out, _ = run("check", "Quetta", "--at", "2026-01-31T19:00:00Z", "--format", "json")
    assert code == 0
    # 19:00Z is midnight in Quetta: the February order has begun and January's has ended; the
    # mobile internet cut of 31 January and the night-transport orders of 2025 hold too.
    assert {r["order"] for r in json.loads(out)["restrictions"]} == {
        "pk-ba-2026-02-s144",
        "pk-ba-2026-01-mobile-internet",
        "pk-ba-2025-08-night-transport",
        "pk-ba-quetta-2025-03-night-transport",
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["check", "Punjab", "--on", "2026-02-10"], 1, "matches 2 places"),
        (["check", "Atlantis", "--on", "2026-02-10"], 1, "unknown place 'Atlantis'"),
        (["check", "Quetta", "--on", "2026-02-30"], 2, "is not a date"),
        (["check", "Quetta", "--at", "tomorrow"], 2, "is not a date and time"),
        (["check", "Quetta", "--on", "2026-02-10", "--at", "2026-02-10T10:00"], 2, "only one of"),
        (["check", "Quetta", "--from", "2026-02-10"], 2, "--from and --to go together"),
        (["check", "Quetta", "--from", "2026-02-10", "--to", "2026-02-01"], 2, "swap --from"),
        (["check", "US", "--on", "2026-02-10"], 2, "--tz"),
        (["check", "Quetta", "--on", "2026-02-10", "--tz", "Mars/Olympus"], 2, "unknown timezone"),
        (["check", "Quetta", "--format", "xml"], 2, "'xml' is not one of"),
        (["check", "Quetta", "--rules", "no/such/dir"], 1, "no such file or directory"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_bad_input_gives_a_message_and_exit_code(args: list[str], code: int, message: str) -> None:
    exit_code, _, err = run(*args)
    assert exit_code == code
    assert message in err


def test_check_with_explicit_tz_for_multi_zone_country() -> None:
    code, out, _ = run("check", "US", "--on", "2026-02-10", "--tz", "America/New_York")
    assert code == 0 and "United States is not monitored by these rules" in " ".join(out.split())


def test_validate_bundled_rules(bundled: RuleSet) -> None:
    code, out, _ = run("validate")
    assert code == 0 and out.startswith("ok: ")
    assert f" {len(bundled.orders)} orders, " in out and f" {len(bundled.amendments)} amend" in out


def test_validate_reports_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "orders:\n  - id: x\n    validity: {first_day: 2026-02-01, last_dya: 2026-02-28}\n"
    )
    code, _, err = run("validate", str(bad))
    assert code == 1
    assert f"{bad}:3:" in err and "did you mean 'last_day'?" in err


def test_regions_search_and_listing() -> None:
    code, out, _ = run("regions", "turbat")
    assert code == 0 and "PK-BA-KECH-TURBAT" in out and "Kech District" in out
    code, out, _ = run("regions")
    assert code == 0 and "PK-BA-QUETTA " in out and "Baluchistan" in out
    code, _, err = run("regions", "zzzzqqq")
    assert code == 1 and "no region matches" in err


def test_rules_default_to_local_rules_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "one.yaml").write_text(
        (FIXTURES / "valid" / "amendments.yaml").read_text().replace("PK-BA-QUETTA", "PK-BA")
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "PK-BA", "--on", "2026-03-02", "--format", "json")
    assert code == 0
    assert "extended" in {r["order"] for r in json.loads(out)["restrictions"]}


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advisories", "check", "Quetta", "--on", "2026-02-10"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and "restrictions in force" in result.stdout


def test_check_path_imports_no_template_or_pdf_stack() -> None:
    probe = (
        "import sys\n"
        "from advisories.cli import main\n"
        "try:\n"
        "    main(['check', 'Quetta', '--on', '2026-02-10'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('jinja2', 'weasyprint', 'fastapi', 'pycountry', 'icalendar', 'uvicorn')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_core_modules_import_no_io_or_framework() -> None:
    probe = (
        "import sys\n"
        "import advisories.evaluation.evaluator, advisories.model.rules\n"
        "import advisories.compile.timeline\n"
        "banned = ('yaml', 'click', 'jinja2', 'weasyprint')\n"
        "print('LOADED', sorted(m for m in banned if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "Quetta", "--on", "9999-12-31"],
        ["check", "Quetta", "--at", "0001-01-01T00:00"],
        ["check", "PK-BA", "--from", "0001-01-01", "--to", "9999-12-31"],
        ["brief", "Quetta", "--on", "9999-12-31"],
    ],
)
def test_dates_far_outside_any_rules_are_refused_plainly(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "outside the years 1900-2200" in err


ESCAPE_LADEN_RULES = r"""
places:
  - code: PK-BA-EVIL
    name: "Evil\e]0;pwned\aTown\u202eesrever"
    type: district
    parent: PK-BA
    source: src
sources:
  - id: src
    title: Reported
    publisher: "Example \e[2J News"
    url: https://example.com/s144
orders:
  - id: ord
    title: Section 144
    authority: "Home \e[8mhidden\e[0m Department"
    announced: 2026-02-01
    timezone: Asia/Karachi
    regions: [PK-BA-EVIL]
    validity: {first_day: 2026-02-01, last_day: 2026-02-28}
    restrictions:
      - {id: weapons, kind: weapons, text: "No weapons \u202edaer"}
    sources: [src]
    verification: reported
"""
RAW_CONTROLS = ("\x1b", "\x07", "\u202e")


@pytest.fixture
def escape_laden_rules(tmp_path: Path) -> Path:
    """A rule tree whose place name and rule text carry terminal escapes and a bidi override."""
    tree = tmp_path / "rules"
    tree.mkdir()
    (tree / "gazetteer.yaml").write_bytes((ROOT / "rules/PK/gazetteer.yaml").read_bytes())
    (tree / "evil.yaml").write_text(ESCAPE_LADEN_RULES)
    return tree


@pytest.mark.parametrize(
    "args",
    [
        ["check", "PK-BA-EVIL", "--on", "2026-02-10", "--as-of", "2026-02-15"],
        ["regions", "Evil"],
        ["regions", "Evil\x1b]0;pwned\x07"],
        ["check", "Evil\x1b]0;pwned\x07", "--on", "2026-02-10"],
        ["check", "PK-BA-EVIL", "--format", "\x1b[2Jxml"],
        ["check", "PK-BA-EVIL", "--on", "2026-02-10", "--tz", "Mars/\u202eOlympus"],
        ["check", "PK-BA-EVIL", "--on", "2026-02-10\x1b[2J"],
        ["trip", "no-such-trip\x1b]0;pwned\x07.yaml"],
    ],
)
def test_control_and_bidi_characters_reach_the_terminal_escaped(
    escape_laden_rules: Path, args: list[str]
) -> None:
    _, out, err = run(*args, "--rules", str(escape_laden_rules))
    shown = out + err
    assert not [raw for raw in RAW_CONTROLS if raw in shown], shown
    assert "\\x1b" in shown or "\\u202e" in shown, shown


def test_an_escape_in_a_rule_file_name_is_shown_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "bad\x1b[2J.yaml"
    bad.write_text("orders:\n  - id: x\n    validity: {first_day: 2026-02-01, last_dya: 1}\n")
    code, _, err = run("validate", str(bad))
    assert code == 1 and "bad\\x1b[2J.yaml:3:" in err and "\x1b" not in err


LONG = "A" * 5000


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["check", "Quetta", "--on", "2026-02-10", "--tz", LONG], "--tz"),
        (["check", "Quetta", "--on", "2026-02-10", "--rules", LONG], "--rules"),
        (["export", "Quetta", "--format", "json", "--tz", LONG], "--tz"),
        (["brief", "Quetta", "--on", "2026-02-10", "--format", "html", "--tz", LONG], "--tz"),
        (["brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", LONG], "--output"),
        (["brief", "Quetta", "--on", "2026-02-10", "--format", "html", "--org", LONG], "--org"),
        (["trip", LONG, "--format", "html"], "TRIP_FILE"),
        (["batch", "Quetta", "--on", "2026-02-10", "--out-dir", LONG], "--out-dir"),
        (["validate", LONG], "PATHS"),
    ],
)
def test_an_overlong_value_is_a_usage_error_naming_its_option(args: list[str], option: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and option in err, err
    assert len(err) < 1000 and "…" in err


def test_error_messages_are_bounded_however_long_the_value_quoted() -> None:
    code, _, err = run("check", LONG, "--on", "2026-02-10")
    assert code == 1 and "unknown place" in err
    assert len(err) < 1000 and "…" in err


def _organisation_with_logo(folder: Path, logo: bytes) -> Path:
    (folder / "logo.png").write_bytes(logo)
    organisation = folder / "organisation.yaml"
    organisation.write_text("name: Example\nlogo: logo.png\n")
    return organisation


def test_an_unreadable_logo_is_named_by_its_file_not_its_data(tmp_path: Path) -> None:
    broken = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1500  # PNG's signature, then noise
    organisation = _organisation_with_logo(tmp_path, broken)
    code, _, err = run(
        "brief", "Quetta", "--on", "2026-02-10", "--format", "html",
        "--org", str(organisation), "-o", str(tmp_path / "b.html"),
    )  # fmt: skip
    assert code == 1 and "logo.png" in err and "not a readable PNG or JPEG" in err
    assert "data:" not in err and len(err) < 1000
    assert not (tmp_path / "b.html").exists()


def test_a_logo_of_too_many_pixels_is_refused_plainly(tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    png = BytesIO()
    Image.new("1", (10_000, 10_000)).save(png, "PNG")  # 100 megapixels in a few kB
    organisation = _organisation_with_logo(tmp_path, png.getvalue())
    code, _, err = run(
        "brief", "Quetta", "--on", "2026-02-10", "--format", "html",
        "--org", str(organisation), "-o", str(tmp_path / "b.html"),
    )  # fmt: skip
    assert code == 1 and "logo.png" in err and "10000×10000 pixels" in err, err
    assert "scale it down" in err and "Decompression" not in err


def test_a_render_warning_names_the_logo_by_its_file(tmp_path: Path) -> None:
    from datetime import date

    from advisories.briefing import BriefingOptions
    from advisories.cli.options import BriefingFlags
    from advisories.model.documents import Logo, Organisation

    url = "data:image/png;base64," + "iVBORw0KGgo" * 40_000
    options = BriefingOptions(
        as_of=date(2026, 2, 15),
        organisation=Organisation(name="Example", logo="logo.png"),
        logo=Logo(url, b""),
    )
    org = tmp_path / "organisation.yaml"
    flags = BriefingFlags("pdf", "a4", "en", org, 14, None, None, None, ())
    worded = flags.worded(f"Failed to load image at '{url}'", options)
    assert worded == f"Failed to load image at '{tmp_path / 'logo.png'}'"


def test_output_over_the_trip_file_it_reads_is_refused(tmp_path: Path) -> None:
    trip_file = tmp_path / "trip.yaml"
    trip_file.write_text("legs:\n  - {place: Quetta, from: 2026-02-10, to: 2026-02-11}\n")
    before = trip_file.read_bytes()
    code, _, err = run("trip", str(trip_file), "--format", "html", "-o", str(trip_file))
    assert code == 2 and "--output" in err and "the trip file" in err, err
    assert trip_file.read_bytes() == before


def test_output_over_the_organisation_file_or_its_logo_is_refused(tmp_path: Path) -> None:
    for name in ("organisation.yaml", "example-logo.png"):
        (tmp_path / name).write_bytes((ROOT / "examples" / name).read_bytes())
    for target, named in (
        ("organisation.yaml", "the organisation file"),
        ("x/../example-logo.png", "its logo"),
    ):
        (tmp_path / "x").mkdir(exist_ok=True)
        args = ["brief", "Quetta", "--on", "2026-02-10", "--format", "html"]
        code, _, err = run(
            *args, "--org", str(tmp_path / "organisation.yaml"), "-o", str(tmp_path / target)
        )
        assert code == 2 and named in err, err
    assert (tmp_path / "example-logo.png").read_bytes() == (
        ROOT / "examples/example-logo.png"
    ).read_bytes()


def test_output_over_a_rule_file_is_refused(tmp_path: Path) -> None:
    rule = tmp_path / "minimal.yaml"
    rule.write_bytes((FIXTURES / "valid/minimal.yaml").read_bytes())
    (tmp_path / "gazetteer.yaml").write_bytes((ROOT / "rules/PK/gazetteer.yaml").read_bytes())
    code, _, err = run(
        "brief", "PK-BA", "--on", "2026-02-10", "--format", "html", "--rules", str(tmp_path),
        "-o", str(rule),
    )  # fmt: skip
    assert code == 2 and "--output" in err and "a rule file" in err, err
    code, _, err = run("export", "--format", "json", "--rules", str(rule), "-o", str(rule))
    assert code == 2 and "a rule file" in err, err
    new_rule = tmp_path / "new.yaml"  # would be read as rules next time
    code, _, err = run("export", "--format", "json", "--rules", str(tmp_path), "-o", str(new_rule))
    assert code == 2 and "a rule file" in err and not new_rule.exists(), err
    assert rule.read_bytes() == (FIXTURES / "valid/minimal.yaml").read_bytes()


QUETTA = [sys.executable, "-m", "advisories", "check", "Quetta", "--on", "2026-02-10"]


def test_a_closed_stdout_is_an_error() -> None:
    for command in (QUETTA, [*QUETTA[:3], "export", "--format", "csv"]):
        result = subprocess.run(
            [*command], capture_output=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, cwd=ROOT, check=False, preexec_fn=lambda: os.close(1),
        )  # fmt: skip
        assert result.returncode != 0
        assert "Traceback" not in result.stderr and "standard output is closed" in result.stderr


def test_a_reader_gone_ends_the_command_quietly() -> None:
    with subprocess.Popen(
        QUETTA, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `| head -0` does, before the answer is written
        err = process.stderr.read()
    assert process.returncode == 141 and err == ""


def test_a_legs_note_is_shown_under_its_heading(tmp_path: Path) -> None:
    target = tmp_path / "trip.html"
    trip_file = ROOT / "examples" / "trip-karachi-quetta-gwadar.yaml"
    code, _, err = run("trip", str(trip_file), "--format", "html", "-o", str(target))
    assert code == 0, err
    html = target.read_text()
    gwadar = html[html.index('id="leg-3"') :]
    assert '<p class="leg-note">Port visit</p>' in gwadar[: gwadar.index('class="bluf')]
    assert html.count('class="leg-note"') == 1  # the other legs have none
