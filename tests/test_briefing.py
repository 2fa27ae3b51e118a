"""Briefings: HTML golden snapshots, PDFs read back with pypdf, and the `brief`/`trip` commands.

Each PDF is rendered once per module (a render takes about a second). Snapshots live in
tests/snapshots/; after a reviewed change to the templates, rules or context, rewrite them with
`UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_briefing.py` and review the diff.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import html as htmllib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from pypdf.generic import Destination

from advisories.briefing import Paper, answer_trip, briefing_context, briefing_options, logo_assets
from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, OutputError
from advisories.evaluation.trips import TripAnswer, evaluate_trip
from advisories.load.documents import load_trip
from advisories.model.documents import Leg, Trip
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.pdf import RenderedPdf, render_pdf
from advisories.render.views import Briefing
from tests.conftest import AS_OF, ROOT

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
EXAMPLES = ROOT / "examples"
TRIP_FILE = EXAMPLES / "trip-karachi-quetta-gwadar.yaml"
ORG_FILE = EXAMPLES / "organisation.yaml"
TRIBUNE = "https://tribune.com.pk/story/2590246/balochistan-imposes-month-long-section-144"
MARKING = "For internal use"


# --- building briefings through the library, with fixed inputs ---------------------------------


@dataclass(frozen=True)
class Rendered:
    """One briefing at every stage: the answers, the context, the HTML and the PDF read back."""

    answer: TripAnswer
    briefing: Briefing
    html: str
    pdf: RenderedPdf
    reader: PdfReader
    pages: list[str]  # each page's extracted text


def place_trip(place: str, day: date) -> Trip:
    return Trip(legs=[Leg.model_validate({"place": place, "from": day, "to": day})])


def build(
    rules: RuleSet,
    trip: Trip,
    *,
    where: dict[int, Location] | None = None,
    org: Path | None = None,
    paper: Paper = "a4",
    generated_at: datetime | None = None,
) -> tuple[TripAnswer, Briefing, str, dict[str, tuple[bytes, str]] | None]:
    """Through the stages `advisory brief`/`trip` use, minus the clock and the git commit."""
    options = briefing_options(
        rules.kinds, as_of=AS_OF, paper=paper, generated_at=generated_at, organisation_file=org
    )
    answer = answer_trip(rules, trip, options, where)
    briefing = briefing_context(answer, options)
    return answer, briefing, render_html(briefing), logo_assets(options)


def render(
    rules: RuleSet,
    trip: Trip,
    *,
    where: dict[int, Location] | None = None,
    org: Path | None = None,
    paper: Paper = "a4",
    generated_at: datetime | None = None,
) -> Rendered:
    answer, briefing, html, extra = build(
        rules, trip, where=where, org=org, paper=paper, generated_at=generated_at
    )
    pdf = render_pdf(html, extra=extra)
    reader = PdfReader(io.BytesIO(pdf.data))
    return Rendered(answer, briefing, html, pdf, reader, [p.extract_text() for p in reader.pages])


def quetta_trip() -> Trip:
    return place_trip("Quetta", date(2026, 2, 10))


@pytest.fixture(scope="module")
def quetta(bundled: RuleSet) -> Rendered:
    return render(bundled, quetta_trip())


@pytest.fixture(scope="module")
def field_trip(bundled: RuleSet) -> Rendered:
    trip, where = load_trip(TRIP_FILE)
    return render(bundled, trip, where=where, org=ORG_FILE)


@pytest.fixture(params=["quetta", "field_trip"])
def any_briefing(request: pytest.FixtureRequest) -> Rendered:
    rendered: Rendered = request.getfixturevalue(request.param)
    return rendered


def squash(text: str) -> str:
    """Text without whitespace: PDF text extraction breaks lines wherever the layout did."""
    return "".join(text.split())


def html_title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert found is not None, "the HTML has no <title>"
    return htmllib.unescape(found.group(1))


def outline_titles(outline: Any) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item)
        elif isinstance(item, Destination):
            yield str(item.title)


# --- HTML golden snapshots ----------------------------------------------------------------------


def check_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME, or rewrite it when UPDATE_SNAPSHOTS=1."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    hint = f"review the change, then rewrite with UPDATE_SNAPSHOTS=1 (tests/snapshots/{name})"
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: {hint}", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "snapshot", "rendered", lineterm=""
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(f"{path.name} differs from the rendered HTML; {hint}\n{shown}", pytrace=False)


def test_quetta_html_matches_snapshot(bundled: RuleSet) -> None:
    _, _, html, _ = build(bundled, quetta_trip())
    check_snapshot("quetta-2026-02-10.html", html)


def test_trip_html_matches_snapshot(bundled: RuleSet) -> None:
    trip, where = load_trip(TRIP_FILE)
    _, _, html, _ = build(bundled, trip, where=where, org=ORG_FILE)
    check_snapshot("trip-karachi-quetta-gwadar.html", html)


def test_html_stands_alone_without_scripts(any_briefing: Rendered) -> None:
    html = any_briefing.html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<script" not in html.lower()
    assert '<link rel="stylesheet"' not in html  # the stylesheet is inlined
    assert not re.search(r"""(src|href)=["']?(https?:|file:|//)""", html)


# --- PDFs read back -----------------------------------------------------------------------------


def test_pdf_title_is_the_html_title(any_briefing: Rendered) -> None:
    metadata = any_briefing.reader.metadata
    assert metadata is not None
    assert metadata.title == html_title(any_briefing.html)
    assert metadata.title is not None and metadata.title.startswith(any_briefing.briefing.title)


def test_pdf_language_is_english(any_briefing: Rendered) -> None:
    assert any_briefing.reader.root_object.get("/Lang") == "en"


def test_pdf_page_count_is_reasonable(any_briefing: Rendered) -> None:
    assert 1 < len(any_briefing.pages) < 20


def test_every_page_has_running_header_and_footer(any_briefing: Rendered) -> None:
    total = len(any_briefing.pages)
    place = squash(any_briefing.briefing.place_line)
    period = squash(any_briefing.briefing.period)
    for number, text in enumerate(any_briefing.pages, start=1):
        assert place in squash(text), f"page {number} lacks the place line"
        assert period in squash(text), f"page {number} lacks the period"
        assert f"Page {number} of {total}" in text, f"page {number} lacks its page number"


def test_trip_with_organisation_is_marked_on_every_page(field_trip: Rendered) -> None:
    for number, text in enumerate(field_trip.pages, start=1):
        assert MARKING in text, f"page {number} lacks the handling marking"


def test_place_briefing_without_organisation_has_no_marking(quetta: Rendered) -> None:
    assert all(MARKING.lower() not in text.lower() for text in quetta.pages)


def test_every_restriction_is_named_with_its_text(any_briefing: Rendered) -> None:
    text = squash("".join(any_briefing.pages))
    restrictions = [r for leg in any_briefing.answer.legs for r in leg.answer.restrictions]
    assert restrictions, "the example should have restrictions in force"
    for r in restrictions:
        assert squash(r.label) in text, f"{r.id}: label {r.label!r} not in the PDF"
        assert squash(r.text) in text, f"{r.id}: text {r.text!r} not in the PDF"


def test_sources_list_the_tribune_url(any_briefing: Rendered) -> None:
    text = "".join(any_briefing.pages)
    sources = text[text.rindex("Sources\n") :]  # the section, after the last restriction
    assert squash(TRIBUNE) in squash(sources)


def test_outline_has_the_leg_headings(any_briefing: Rendered) -> None:
    titles = list(outline_titles(any_briefing.reader.outline))
    assert titles, "the PDF has no bookmarks"
    assert any_briefing.briefing.title in titles
    several = len(any_briefing.briefing.legs) > 1
    for leg in any_briefing.briefing.legs:
        heading = f"{leg.place}, {leg.period}"
        assert (f"Leg {leg.number}: {heading}" if several else heading) in titles
    assert "Sources" in titles


def test_bookmarks_carry_no_badge_text(field_trip: Rendered) -> None:
    titles = list(outline_titles(field_trip.reader.outline))
    assert any("Section 144 across Balochistan until 31 January 2026" in t for t in titles)
    assert not [t for t in titles if "past review date" in t or "in part of the area" in t]


def test_pdf_renders_without_warnings_or_refused_fetches(any_briefing: Rendered) -> None:
    assert any_briefing.pdf.warnings == []
    assert any_briefing.pdf.refused == []


def test_organisation_logo_is_embedded_as_an_image(field_trip: Rendered) -> None:
    resources = field_trip.reader.pages[0].get("/Resources")
    assert resources is not None
    xobjects = resources.get_object().get("/XObject")
    assert xobjects is not None
    kinds = [xobjects[name].get_object().get("/Subtype") for name in xobjects]
    assert "/Image" in kinds


# --- reproducibility ------------------------------------------------------------------------------


def test_same_inputs_give_identical_html(bundled: RuleSet, quetta: Rendered) -> None:
    _, _, html, _ = build(bundled, quetta_trip())
    assert html == quetta.html  # the PDF's second render is in another process, below


def test_same_trip_gives_identical_html(bundled: RuleSet, field_trip: Rendered) -> None:
    trip, where = load_trip(TRIP_FILE)
    assert build(bundled, trip, where=where, org=ORG_FILE)[2] == field_trip.html


STAMP = datetime(2026, 2, 9, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def stamped(bundled: RuleSet) -> Rendered:
    """A short briefing (Karachi: nothing in force) with a timestamp."""
    return render(bundled, place_trip("Karachi", date(2026, 2, 10)), generated_at=STAMP)


def test_generated_at_appears_in_the_html(stamped: Rendered) -> None:
    assert "2026-02-09 08:30 UTC" in stamped.html
    assert "not time-stamped" not in stamped.html


def test_time_stamped_pdf_renders_without_warnings(stamped: Rendered) -> None:
    assert stamped.pdf.warnings == []


def test_time_stamped_pdf_has_its_creation_date(stamped: Rendered) -> None:
    metadata = stamped.reader.metadata
    assert metadata is not None
    assert str(metadata.get("/CreationDate", "")).startswith("D:20260209083000")


def test_timestamp_changes_only_what_it_should(bundled: RuleSet, stamped: Rendered) -> None:
    _, _, plain, _ = build(bundled, place_trip("Karachi", date(2026, 2, 10)))
    ours = [line for line in stamped.html.splitlines() if line not in plain.splitlines()]
    assert ours and all(
        "2026-02-09 08:30 UTC" in line or "2026-02-09T08:30:00+00:00" in line for line in ours
    )
    metadata = stamped.reader.metadata
    assert metadata is not None and metadata.title == html_title(plain)


# --- paper sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size(bundled: RuleSet, paper: Paper, size: tuple[int, int]) -> None:
    rendered = render(bundled, place_trip("Karachi", date(2026, 2, 10)), paper=paper)
    for page in rendered.reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


REPRODUCE = """
import hashlib, sys
from datetime import date
from advisories.load.tree import load_rules
from advisories.evaluation.trips import evaluate_trip
from advisories.model.documents import Leg, Trip
from advisories.render.context import build_briefing
from advisories.render.html import render_html
from advisories.render.pdf import render_pdf
leg = Leg.model_validate({"place": "Quetta", "from": date(2026, 2, 10), "to": date(2026, 2, 10)})
answer = evaluate_trip(load_rules(sys.argv[1]), Trip(legs=[leg]), date(2026, 2, 15))
html = render_html(build_briefing(answer))
print(hashlib.sha256(html.encode()).hexdigest(), hashlib.sha256(render_pdf(html).data).hexdigest())
"""


def test_another_process_renders_identical_html_and_pdf(quetta: Rendered) -> None:
    """A second render, in a fresh process with another hash seed (as `make demo` twice)."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "ADVISORIES_CACHE": "off"}
    result = subprocess.run(
        [sys.executable, "-c", REPRODUCE, str(ROOT / "rules")],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = [
        hashlib.sha256(quetta.html.encode()).hexdigest(),
        hashlib.sha256(quetta.pdf.data).hexdigest(),
    ]
    assert result.stdout.split() == expected


# --- the commands ---------------------------------------------------------------------------------


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """Invoke `advisory` without a SOURCE_DATE_EPOCH from outside unless `env` gives one."""
    result = CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": None, **(env or {})})
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_brief_writes_a_pdf(tmp_path: Path) -> None:
    """With --org, so the logo the CLI registers reaches the PDF without a refused fetch."""
    target = tmp_path / "quetta.pdf"
    result = run(
        "brief", "Quetta", "--on", "2026-02-10", "--org", str(ORG_FILE), "-o", str(target)
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    assert result.stdout.strip() == f"wrote {target}"
    assert result.stderr == ""
    assert [p.name for p in tmp_path.iterdir()] == ["quetta.pdf"]
    text = PdfReader(target).pages[0].extract_text()
    assert (
        MARKING in text
        and "Pakistan › Balochistan › Quetta Division › Quetta District › Quetta" in text
    )


def test_brief_writes_html(tmp_path: Path) -> None:
    target = tmp_path / "quetta.html"
    args = ["brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", str(target)]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    html = target.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html_title(html) == "Security briefing: Quetta — 10 Feb 2026"


def test_brief_default_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(
        "brief", "Quetta", "--from", "2026-02-10", "--to", "2026-02-12", "--format", "html"
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "briefing-quetta-2026-02-10--2026-02-12.html").is_file()


def test_trip_with_organisation_writes_html(tmp_path: Path) -> None:
    target = tmp_path / "trip.html"
    args = ["trip", str(TRIP_FILE), "--org", str(ORG_FILE), "--format", "html", "-o", str(target)]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    html = target.read_text("utf-8")
    assert html_title(html) == "Field visit: Karachi, Quetta, Gwadar — 28 Jan 2026 – 3 Mar 2026"
    assert html.count('<section class="leg"') == 3
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert "Example Relief Network: contacts" in html


BAD_TRIPS = {
    "unknown-place.yaml": (
        "title: Unknown place\nlegs:\n"
        "  - place: Karachi\n    from: 2026-02-01\n    to: 2026-02-02\n"
        "  - place: Atlantis\n    from: 2026-02-03\n    to: 2026-02-04\n"
    ),
    "backwards.yaml": "legs:\n  - place: Quetta\n    from: 2026-02-05\n    to: 2026-02-02\n",
}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown-place.yaml", r"unknown-place\.yaml:6:\d+: unknown place 'Atlantis'"),
        ("backwards.yaml", r"backwards\.yaml:2:\d+: 'to' 2026-02-02 is before 'from' 2026-02-05"),
    ],
)
def test_bad_trip_file_names_where(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(BAD_TRIPS[name])
    target = tmp_path / "out.html"
    result = run("trip", str(path), "--format", "html", "-o", str(target))
    assert result.exit_code == 1
    assert re.search(message, result.stderr), result.stderr
    assert result.stderr.startswith(f"error: {path}:")
    assert not target.exists()


def write_org(folder: Path, text: str, logo: bytes | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    if logo is not None:
        (folder / "logo.png").write_bytes(logo)
    path = folder / "org.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("org_text", "logo", "message"),
    [
        (
            "name: X\nguidance:\n  gatherings: Ask first.\n  teleportation: Don't.\n",
            None,
            r"org\.yaml:4:3: guidance for unknown kind 'teleportation' \(known kinds: .*gatherings",
        ),
        (
            "name: X\nlogo: logo.png\n",
            b"GIF89a not a png",
            r"org\.yaml:2:\d+: .*logo\.png is not a PNG or JPEG image",
        ),
        (None, None, r"org\.yaml: cannot read .*org\.yaml: No such file or directory"),
    ],
    ids=["unknown-kind", "logo-not-an-image", "missing-file"],
)
def test_bad_organisation_file(
    tmp_path: Path, org_text: str | None, logo: bytes | None, message: str
) -> None:
    org = tmp_path / "org" / "org.yaml"
    if org_text is not None:
        org = write_org(tmp_path / "org", org_text, logo)
    target = tmp_path / "out.pdf"
    result = run("brief", "Quetta", "--on", "2026-02-10", "--org", str(org), "-o", str(target))
    assert result.exit_code == 1
    assert re.search(message, result.stderr), result.stderr
    assert not target.exists()


def test_trip_file_problem_is_not_blamed_on_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "backwards.yaml"
    path.write_text(BAD_TRIPS["backwards.yaml"])
    result = run("trip", str(path), "--format", "html", "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 1
    assert "in the rules" not in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (["brief", "Quetta"], {}, 2, "give --on DATE, or --from DATE --to DATE"),
        (["brief", "Quetta", "--from", "2026-02-10"], {}, 2, "give --on DATE, or --from DATE"),
        (
            ["brief", "Quetta", "--on", "2026-02-10", "--from", "2026-02-10", "--to", "2026-02-11"],
            {},
            2,
            "give --on DATE, or --from DATE",
        ),
        (["brief", "Quetta", "--on", "2026-02-30"], {}, 2, "is not a date"),
        (["brief", "Quetta", "--on", "2026-02-10", "--paper", "a3"], {}, 2, "'a3' is not one of"),
        (["brief", "Atlantis", "--on", "2026-02-10"], {}, 1, "unknown place 'Atlantis'"),
        (
            ["brief", "Quetta", "--on", "2026-02-10", "--generated-at", "noon"],
            {},
            2,
            "is not a date and time",
        ),
        (
            ["brief", "Quetta", "--on", "2026-02-10"],
            {"SOURCE_DATE_EPOCH": "bad"},
            2,
            "SOURCE_DATE_EPOCH='bad' is not a whole number of seconds",
        ),
        (["trip", "no/such/trip.yaml"], {}, 1, "cannot read no/such/trip.yaml"),
    ],
)
def test_bad_usage_gives_a_message_and_exit_code(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str | None],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args, "--format", "html", env=env)
    assert result.exit_code == code
    assert message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Quetta", "--from", "2026-02-10", "--to", "2026-02-01"], "before"),
        (["Quetta", "--from", "2026-01-01", "--to", "2027-02-01"], "366 days"),
        (["", "--on", "2026-02-10"], "place"),
        (["x" * 300, "--on", "2026-02-10"], "200 characters"),
    ],
    ids=["reversed-range", "range-too-long", "empty-place", "place-too-long"],
)
def test_brief_bad_range_or_place_gives_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("brief", *args, "--format", "html")
    assert result.exit_code in (1, 2)
    assert message in result.stderr


def test_source_date_epoch_out_of_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env: dict[str, str | None] = {"SOURCE_DATE_EPOCH": "99999999999999999999"}
    result = run("brief", "Quetta", "--on", "2026-02-10", "--format", "html", env=env)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr


def test_output_folder_must_exist(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "quetta.html"
    result = run("brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", str(target))
    assert result.exit_code == 1
    assert f"the folder {target.parent} does not exist" in result.stderr
    assert not target.parent.exists()


def test_output_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    result = run("brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "is a folder; give a file name" in result.stderr


def test_source_date_epoch_stamps_the_html(tmp_path: Path) -> None:
    target = tmp_path / "quetta.html"
    result = run(
        "brief", "Quetta", "--on", "2026-02-10", "--format", "html", "-o", str(target),
        env={"SOURCE_DATE_EPOCH": "1770625800"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "2026-02-09 08:30 UTC" in target.read_text("utf-8")


# --- an existing output file survives a failing render -------------------------------------------

OLD = b"the briefing from last week\n"


def fail(*args: object, **kwargs: object) -> None:
    raise OutputError("the renderer broke")


def fail_replace(source: object, target: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize(
    ("fmt", "patch", "org", "message"),
    [
        ("pdf", ("advisories.render.pdf.render_pdf", fail), None, "the renderer broke"),
        ("html", ("advisories.render.html.render_html", fail), None, "the renderer broke"),
        ("pdf", None, "name: X\nlogo: logo.png\n", "is not a PNG or JPEG image"),
        ("html", ("advisories.output.os.replace", fail_replace), None, "cannot write"),
    ],
    ids=["pdf-render-fails", "html-render-fails", "bad-logo", "rename-fails"],
)
def test_existing_output_survives_a_failing_render(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    patch: tuple[str, Any] | None,
    org: str | None,
    message: str,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"quetta.{fmt}"
    target.write_bytes(OLD)
    options = ["--format", fmt, "-o", str(target)]
    if org is not None:
        options += ["--org", str(write_org(tmp_path / "org", org, b"not an image"))]
    if patch is not None:
        monkeypatch.setattr(*patch)
    result = run("brief", "Quetta", "--on", "2026-02-10", *options)
    assert result.exit_code == 1
    assert message in result.stderr
    assert target.read_bytes() == OLD
    assert [p.name for p in folder.iterdir()] == [target.name], "a temp file was left behind"


def test_an_end_at_the_close_of_the_stay_is_listed_once(bundled: RuleSet) -> None:
    from advisories.model.documents import Leg, Trip

    trip = Trip(
        legs=[Leg.model_validate({"place": "Quetta", "from": "2026-02-28", "to": "2026-02-28"})]
    )
    leg = build_briefing(evaluate_trip(bundled, trip, date(2026, 2, 15))).legs[0]
    ends = [c for c in [*leg.changes, *leg.coming] if c.what.startswith("Ends:")]
    assert [c.when for c in ends] == ["1 Mar 2026 00:00"]
    assert ends[0] in leg.changes
