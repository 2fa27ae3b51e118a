"""Legs from bookings: an IATA airport code is the city it serves, in trip files and the API
alike, and is shown as 'Quetta (UET)'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from advisories.briefing import answer_trip, briefing_options
from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.load.airports import airport_place
from advisories.model.documents import Trip
from advisories.web.app import create_app
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("code", "place"),
    [
        ("UET", "Quetta, PK"),
        ("KHI", "Karachi, PK"),
        ("GWD", "Gwadar, PK"),
        ("uet", None),
        ("ZZQ", None),
        ("Quetta", None),
    ],
)
def test_codes_name_the_city_they_serve(code: str, place: str | None) -> None:
    assert airport_place(code) == place


def test_a_trip_booked_by_airports_is_answered_by_city(bundled: RuleSet) -> None:
    trip = Trip.model_validate(
        {
            "legs": [
                {"place": "KHI", "from": "2026-02-08", "to": "2026-02-09"},
                {"place": "UET", "from": "2026-02-10", "to": "2026-02-12"},
            ]
        }
    )
    options = briefing_options(bundled.kinds, as_of=date(2026, 2, 15))
    answered = answer_trip(bundled, trip, options)
    assert [(leg.region.code, leg.name) for leg in answered.legs] == [
        ("PK-SD-KARACHI", "Karachi (KHI)"),
        ("PK-BA-QUETTA-QUETTA", "Quetta (UET)"),
    ]


def test_the_trip_command_and_the_api_take_airport_codes(tmp_path: Path, bundled: RuleSet) -> None:
    trip = tmp_path / "trip.yaml"
    trip.write_text("legs:\n  - {place: UET, from: 2026-02-10, to: 2026-02-12}\n", "utf-8")
    out = tmp_path / "trip.html"
    args = ["trip", str(trip), "--format", "html", "-o", str(out), "--as-of", "2026-02-15"]
    result = CliRunner().invoke(main, [*args, f"--rules={ROOT / 'rules'}"])
    assert result.exit_code == 0, result.output
    assert "Quetta (UET)" in out.read_text("utf-8")
    with TestClient(create_app(lambda: bundled)) as client:
        legs = [{"place": "GWD", "from": "2026-02-13", "to": "2026-02-15"}]
        body = client.post("/api/v1/trip", json={"legs": legs}).json()
    assert body["legs"][0]["name"] == "Gwadar (GWD)"
