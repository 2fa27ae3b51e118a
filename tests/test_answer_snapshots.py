"""Golden JSON answers: `advisory check --format json` and trips, on the bundled rules and a
generated world of 10,000 restrictions. A change to any answer shows up as a diff of
tests/snapshots/answers/; after a deliberate change, rewrite them with
`UPDATE_SNAPSHOTS=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from advisories.cli import main
from advisories.evaluation.answer import to_json
from advisories.evaluation.trips import evaluate_trip
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from tests.conftest import AS_OF, ROOT, bench_module, known

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "answers"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
WORLD_SIZE, WORLD_SEED = 10_000, 0
# The registry's kinds when the snapshots were first taken: new kinds do not change the world.
WORLD_KINDS = [
    "weapons", "pillion-riding", "window-tint", "gatherings", "curfew", "movement",
    "mobile-network", "face-covering", "unregistered-vehicles", "other",
]  # fmt: skip

BUNDLED_CHECKS = [
    ["Quetta", "--on", "2026-02-10"],
    ["Quetta", "--at", "2026-01-31T23:59:59"],
    ["Quetta", "--at", "2026-02-01T00:00"],
    ["Quetta", "--at", "2026-02-28T23:59:59"],
    ["Quetta", "--at", "2026-03-01T00:00"],
    ["Balochistan", "--from", "2026-01-25", "--to", "2026-03-10"],
    ["PK", "--on", "2026-02-10"],
    ["Gwadar", "--from", "2026-02-20", "--to", "2026-03-05"],
    ["Turbat", "--on", "2026-02-01"],
    ["Karachi", "--on", "2026-02-10"],
    ["FR", "--on", "2026-02-10"],
]
BUNDLED_TRIPS = {
    "example-trip": [
        ("Karachi", "2026-02-08", "2026-02-09"),
        ("Quetta", "2026-02-10", "2026-02-12"),
        ("Gwadar", "2026-02-13", "2026-02-15"),
    ],
}

# Chosen from the generated world with bench/world_bench.py's make_questions (seed 11): the
# first that are answered with something, of every kind.
WORLD_CHECKS = [
    ["FI-09-G1", "--at", "2024-02-03T14:02", "--tz", "Europe/Helsinki"],
    ["LB-JL-G1", "--at", "2027-12-06T01:08", "--tz", "Asia/Beirut"],
    ["IS-4", "--at", "2027-11-22T15:02", "--tz", "Atlantic/Reykjavik"],
    ["AZ-TAR-G1", "--at", "2025-07-23T00:00", "--tz", "Asia/Baku"],
    ["NG-KN", "--at", "2026-10-06T14:48", "--tz", "Africa/Lagos"],
    ["TR-67", "--at", "2026-12-29T18:04", "--tz", "Europe/Istanbul"],
    ["PH-EAS", "--at", "2027-07-23T17:09", "--tz", "Asia/Manila"],
    ["SE-W", "--at", "2026-08-11T20:02", "--tz", "Europe/Stockholm"],
    ["FR-20R-G1-T1", "--on", "2027-08-07", "--tz", "Europe/Paris"],
    ["AZ-SAK-G1", "--on", "2024-06-08", "--tz", "Asia/Baku"],
    ["RU-KIR", "--on", "2027-11-22", "--tz", "Europe/Kaliningrad"],
    ["BD-41", "--on", "2025-03-05", "--tz", "Asia/Dhaka"],
    ["CO-GUA", "--on", "2024-04-06", "--tz", "America/Bogota"],
    ["EE-486", "--on", "2025-12-09", "--tz", "Europe/Tallinn"],
    ["RU-BEL", "--on", "2024-08-22", "--tz", "Europe/Kaliningrad"],
    ["PH-ZAS", "--on", "2026-08-11", "--tz", "Asia/Manila"],
    ["AL-04", "--from", "2027-08-07", "--to", "2027-08-13", "--tz", "Europe/Tirane"],
    ["LY-WA", "--from", "2024-09-17", "--to", "2024-09-23", "--tz", "Africa/Tripoli"],
    ["PL-12", "--from", "2027-11-22", "--to", "2027-11-28", "--tz", "Europe/Warsaw"],
    ["FR-NAQ", "--from", "2025-03-05", "--to", "2025-03-11", "--tz", "Europe/Paris"],
    ["BB-05", "--from", "2025-07-17", "--to", "2025-07-23", "--tz", "America/Barbados"],
    ["SI-173", "--from", "2025-10-21", "--to", "2025-10-27", "--tz", "Europe/Ljubljana"],
    ["MM-05", "--from", "2027-07-23", "--to", "2027-07-29", "--tz", "Asia/Yangon"],
    ["TH-80", "--from", "2026-08-11", "--to", "2026-08-17", "--tz", "Asia/Bangkok"],
    ["FR", "--on", "2025-03-05", "--tz", "Europe/Paris"],
]
WORLD_TRIPS = {
    "india": [
        ("IN-MP", "2027-12-20", "2027-12-20"),
        ("IN-KL-G1", "2027-12-21", "2027-12-22"),
        ("IN-BR", "2027-12-23", "2027-12-24"),
        ("IN-AS", "2027-12-25", "2027-12-25"),
        ("IN-TN", "2027-12-26", "2027-12-29"),
    ],
    "morocco": [
        ("MA-MID", "2025-01-20", "2025-01-22"),
        ("MA-IFR", "2025-01-23", "2025-01-23"),
        ("MA-BOD-G1", "2025-01-24", "2025-01-25"),
        ("MA", "2025-01-26", "2025-01-27"),
        ("MA-ERR", "2025-01-28", "2025-01-31"),
    ],
    "iran": [
        ("IR-20", "2027-08-07", "2027-08-07"),
        ("IR-20", "2027-08-08", "2027-08-09"),
        ("IR-24", "2027-08-10", "2027-08-11"),
        ("IR-01", "2027-08-12", "2027-08-12"),
        ("IR-01", "2027-08-13", "2027-08-15"),
    ],
}
WORLD_TRIP_ZONES = {"india": "Asia/Kolkata", "morocco": "Africa/Casablanca", "iran": "Asia/Tehran"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world10k")
    bench_module("make_world").make_world(folder, WORLD_SIZE, seed=WORLD_SEED, kinds=WORLD_KINDS)
    return folder


def _checks(
    rules: list[str], questions: list[list[str]], as_of: date | None = None
) -> dict[str, Any]:
    as_of = as_of or known(load_rules(*rules))
    answers: dict[str, Any] = {}
    for args in questions:
        command = ["check", *args, "--as-of", as_of.isoformat(), "--format", "json"]
        result = CliRunner().invoke(main, [*command, *(f"--rules={r}" for r in rules)])
        assert result.exit_code == 0, result.output
        answers[" ".join(args)] = json.loads(result.output)
    return answers


def _trips(
    rules: list[str],
    trips: dict[str, list[tuple[str, str, str]]],
    zones: dict[str, str],
    as_of: date | None = None,
) -> dict[str, Any]:
    loaded = load_rules(*rules)
    answers: dict[str, Any] = {}
    for name, legs in trips.items():
        trip = Trip(legs=[Leg.model_validate({"place": p, "from": f, "to": t}) for p, f, t in legs])
        answered = evaluate_trip(loaded, trip, as_of or known(loaded), timezone=zones.get(name))
        answers[name] = [
            {"leg": leg.number, "days": json.loads(to_json(leg.answer)),
             "with_lookahead": json.loads(to_json(leg.ahead))}
            for leg in answered.legs
        ]  # fmt: skip
    return answers


def _compare(name: str, answers: dict[str, Any]) -> None:
    """Compare with the snapshot, or rewrite it. The rules version is left out: it is a digest
    of the rule files (the kinds registry included), so any edit of the data changes it."""
    answers = {question: _without_version(answer) for question, answer in answers.items()}
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    expected = json.loads(path.read_text("utf-8"))
    for question, answer in answers.items():
        assert answer == expected.get(question), f"{name}: the answer to {question!r} changed"
    assert sorted(answers) == sorted(expected)


def _without_version(answer: Any) -> Any:
    if isinstance(answer, dict):
        return {k: _without_version(v) for k, v in answer.items() if k != "rules_version"}
    if isinstance(answer, list):
        return [_without_version(item) for item in answer]
    return answer


# The bundled questions are about February 2026: asked as of AS_OF, as on a day of that
# month, whatever the rules record later.
def test_bundled_checks() -> None:
    _compare("bundled-checks", _checks([str(ROOT / "rules")], BUNDLED_CHECKS, AS_OF))


def test_bundled_trips() -> None:
    _compare("bundled-trips", _trips([str(ROOT / "rules")], BUNDLED_TRIPS, {}, AS_OF))


def test_world_checks(world: Path) -> None:
    _compare("world-checks", _checks([str(world)], WORLD_CHECKS))


def test_world_trips(world: Path) -> None:
    _compare("world-trips", _trips([str(world)], WORLD_TRIPS, WORLD_TRIP_ZONES))
