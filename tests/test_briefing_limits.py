"""What one briefing may hold: travellers, contacts, a trip's days, the restrictions and
changes it shows. Each limit refused with a message naming the file or the question and
saying what to do, as the CLI and the web service say it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient

import advisories.briefing as briefing_module
from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.model.documents import MAX_CONTACTS, MAX_TRAVELLERS, MAX_TRIP_DAYS
from advisories.web.app import create_app

QUETTA = {"place": "Quetta", "from": "2026-02-01", "to": "2026-02-03"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout + result.stderr


def write(path: Path, document: object) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_a_trip_of_too_many_travellers_is_refused_at_its_line(tmp_path: Path) -> None:
    names = [f"Traveller {i}" for i in range(MAX_TRAVELLERS + 1)]
    trip = write(tmp_path / "trip.yaml", {"legs": [QUETTA], "travellers": names})
    code, said = run("trip", str(trip), "--format", "html", "-o", str(tmp_path / "t.html"))
    assert code == 1 and not (tmp_path / "t.html").exists()
    assert f"trip.yaml:5:1: travellers: {MAX_TRAVELLERS + 1} travellers" in said
    assert f"at most {MAX_TRAVELLERS}" in said and "split the trip" in said


def test_a_leg_of_too_many_travellers_is_refused(tmp_path: Path) -> None:
    leg = {**QUETTA, "travellers": [f"T{i}" for i in range(MAX_TRAVELLERS + 1)]}
    trip = write(tmp_path / "trip.yaml", {"legs": [leg]})
    code, said = run("trip", str(trip), "--format", "html", "-o", str(tmp_path / "t.html"))
    assert code == 1 and "trip.yaml:5:3: travellers:" in said and "split the trip" in said


def test_a_trip_longer_than_the_limit_in_all_is_refused(tmp_path: Path) -> None:
    legs = [{"place": "Quetta", "from": f"{2026 + i}-01-01", "to": f"{2026 + i}-12-31"}
            for i in range(4)]  # fmt: skip
    trip = write(tmp_path / "trip.yaml", {"legs": legs})
    code, said = run("trip", str(trip), "--format", "html", "-o", str(tmp_path / "t.html"))
    assert code == 1
    assert f"the legs span 1461 days in all; a trip lasts at most {MAX_TRIP_DAYS}" in said
    assert "split it into several trips" in said


def test_an_organisation_of_too_many_contacts_is_refused(tmp_path: Path) -> None:
    contacts = [{"name": f"Contact {i}", "phone": "+00 555 0100"} for i in range(MAX_CONTACTS + 1)]
    organisation = write(tmp_path / "org.yaml", {"name": "Org", "contacts": contacts})
    code, said = run("brief", "Quetta", "--on", "2026-02-10", "--format", "html",
                     "--org", str(organisation), "-o", str(tmp_path / "b.html"))  # fmt: skip
    assert code == 1 and not (tmp_path / "b.html").exists()
    assert f"org.yaml:2:1: contacts: {MAX_CONTACTS + 1} contacts" in said
    assert f"at most {MAX_CONTACTS}" in said


def test_a_long_note_is_refused(tmp_path: Path) -> None:
    trip = write(tmp_path / "trip.yaml", {"legs": [{**QUETTA, "note": "word " * 1000}]})
    code, said = run("trip", str(trip), "--format", "html", "-o", str(tmp_path / "t.html"))
    assert code == 1 and "note" in said and "at most 2000 characters" in said


@pytest.fixture
def few_restrictions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A briefing may show 5 restrictions: Balochistan's February shows more (a rule tree of
    hundreds of restrictions is what the limit is for, and costs seconds to load)."""
    monkeypatch.setattr(briefing_module, "MAX_BRIEFING_RESTRICTIONS", 5)
    yield


@pytest.mark.usefixtures("few_restrictions")
def test_a_briefing_showing_too_many_restrictions_asks_for_fewer_days() -> None:
    code, said = run("brief", "PK-BA", "--from", "2026-02-01", "--to", "2026-02-28",
                     "--format", "html", "-o", "-")  # fmt: skip
    assert code == 2
    assert (
        "this briefing would show" in said and "restrictions; one briefing shows at most 5" in said
    )
    assert "ask for fewer days or a smaller place" in said


@pytest.mark.usefixtures("few_restrictions")
def test_the_web_pages_refuse_a_briefing_too_large_with_422(bundled: RuleSet) -> None:
    asked = {"place": "PK-BA", "from": "2026-02-01", "to": "2026-02-28"}
    with TestClient(create_app(lambda: bundled)) as client:
        page = client.get("/briefing", params=asked)
        pdf = client.get("/briefing.pdf", params=asked, headers={"Accept": "application/json"})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "one briefing shows at most 5" in page.text and "Traceback" not in page.text
    assert pdf.status_code == 422 and "at most 5" in pdf.json()["error"]
