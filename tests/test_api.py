"""The library API the CLI calls (and the web app will): one way to read a question, ask it,
answer a trip, and every error as the interface needs it."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import advisories
from advisories import (
    AmbiguousPlace,
    Days,
    DocumentError,
    Evaluator,
    Instant,
    Location,
    QueryError,
    RuleSet,
    UnknownPlace,
    ask,
    days_query,
    evaluate,
    evaluate_trip,
    load_trip,
    place_trip,
    read_days,
    read_when,
    to_json,
)
from advisories.cli import main
from advisories.evaluation.query import read_timezone
from tests.conftest import AS_OF, ROOT

NOW = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)


def test_every_public_name_resolves() -> None:
    for name in advisories.__all__:
        assert getattr(advisories, name) is not None, name


def test_public_functions_stay_functions_once_their_packages_are_imported() -> None:
    """A subpackage named like a public function would replace it as an attribute."""
    code = (
        "import advisories.evaluation.evaluator, advisories.load.tree, advisories.briefing\n"
        "import advisories, inspect\n"
        "names = ['evaluate', 'ask', 'load_rules', 'render_briefing', 'evaluate_trip']\n"
        "print(all(inspect.isfunction(getattr(advisories, n)) for n in names))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "True", done.stderr


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ({"on": "2026-02-10"}, Days(date(2026, 2, 10), date(2026, 2, 10))),
        ({"first": "2026-02-10", "last": "2026-02-12"}, Days(date(2026, 2, 10), date(2026, 2, 12))),
        ({"at": "2026-02-10T20:00"}, Instant(datetime(2026, 2, 10, 20, 0))),
        ({}, Instant(NOW)),
    ],
)
def test_read_when(texts: dict[str, str], expected: object) -> None:
    assert read_when(now=NOW, **texts) == expected


@pytest.mark.parametrize(
    ("texts", "parameter", "bare", "spelled"),
    [
        ({"on": "2026-02-30"}, "on", "on: '2026-02-30' is not a date", "--on: '2026-02-30'"),
        ({"at": "soon"}, "at", "at: 'soon' is not a date and time", "--at: 'soon'"),
        ({"first": "2026-02-10"}, None, "from and to go together", "--from and --to go"),
        ({"on": "2026-02-10", "at": "2026-02-10T10:00"}, None, "only one of at, on", "--at, --on"),
        ({"first": "2026-03-01", "last": "2026-02-01"}, None, "swap from and to", "swap --from"),
        ({"on": "{0}"}, "on", "'{0}' is not a date", "--on: '{0}'"),
    ],
)
def test_a_bad_question_names_its_parameter_as_each_interface_spells_it(
    texts: dict[str, str], parameter: str | None, bare: str, spelled: str
) -> None:
    with pytest.raises(QueryError) as caught:
        read_when(now=NOW, **texts)
    assert caught.value.parameter == parameter
    assert bare in str(caught.value)
    assert spelled in caught.value.spelled(lambda name: f"--{name}")


def test_read_days_wants_a_day_or_a_range() -> None:
    with pytest.raises(QueryError, match="give on DATE, or from DATE to DATE"):
        read_days()
    with pytest.raises(QueryError, match="tz: unknown timezone 'Asia/Karachy'"):
        read_timezone("Asia/Karachy")


def test_ask_is_evaluate_with_the_place_and_its_timezone_resolved(bundled: RuleSet) -> None:
    day = Days(date(2026, 2, 10), date(2026, 2, 10))
    asked = ask(bundled, "Quetta", day, AS_OF)
    region = bundled.gazetteer.resolve("Quetta")
    evaluated = evaluate(bundled, region, days_query(day.first, day.last, "Asia/Karachi"), AS_OF)
    assert to_json(asked) == to_json(evaluated)
    # the February order's six, and the two night-transport orders of 2025 (until further notice)
    assert len(asked.restrictions) == 8


def test_ask_wants_a_timezone_where_a_place_has_several(bundled: RuleSet) -> None:
    with pytest.raises(QueryError) as caught:
        ask(bundled, "US", Days(date(2026, 2, 10), date(2026, 2, 10)), AS_OF)
    assert "give one with --tz" in caught.value.spelled(lambda name: f"--{name}")
    answer = ask(bundled, "US", Instant(NOW), AS_OF, timezone="America/New_York")
    assert answer.query.timezone == "America/New_York" and not answer.restrictions


def test_one_evaluator_answers_as_fresh_ones_do(bundled: RuleSet) -> None:
    evaluator = Evaluator(bundled)
    for place in ("Quetta", "PK", "Gwadar", "Quetta"):
        week = Days(date(2026, 2, 25), date(2026, 3, 3))
        assert to_json(evaluator.ask(place, week, AS_OF)) == to_json(
            ask(bundled, place, week, AS_OF)
        )


@pytest.mark.parametrize(
    ("place", "error", "listed"),
    [("Quettta", UnknownPlace, "suggestions"), ("Punjab", AmbiguousPlace, "candidates")],
)
def test_a_trip_leg_that_does_not_resolve_keeps_its_error_and_says_where(
    bundled: RuleSet, place: str, error: type[Exception], listed: str
) -> None:
    trip = place_trip(place, Days(date(2026, 2, 10), date(2026, 2, 11)))
    where = Location("trip.yaml", 4, 12)
    with pytest.raises(error) as caught:
        evaluate_trip(bundled, trip, AS_OF, where={0: where})
    assert str(caught.value).startswith("trip.yaml:4:12: ")
    assert getattr(caught.value, "where", None) == where
    assert getattr(caught.value, listed)


def test_a_bad_trip_file_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "trip.yaml"
    path.write_text("legs:\n  - place: Quetta\n    from: 2026-02-10\n    to: 2026-02-01\n")
    with pytest.raises(DocumentError) as caught:
        load_trip(path)
    assert caught.value.what == "the trip file"
    assert "'to' 2026-02-01 is before 'from' 2026-02-10" in str(caught.value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "Quetta", "--on", "2026-02-30"], "Invalid value for --on: '2026-02-30' is"),
        (
            ["brief", "Quetta", "--on", "2026-02-10", "--as-of", "x"],
            "for --as-of: 'x' is not a date",
        ),
        (["check", "Quetta", "--from", "2026-02-10"], "Error: --from and --to go together"),
        (["check", "US", "--on", "2026-02-10"], "give one with --tz, e.g. --tz Europe/Paris"),
        (
            ["check", "Quetta", "--on", "2026-02-10", "--tz", "Mars/Base"],
            "for --tz: unknown timezone",
        ),
    ],
)
def test_the_cli_words_a_bad_question_as_click_does_with_its_own_options(
    args: list[str], expected: str
) -> None:
    result = CliRunner().invoke(main, args, prog_name="advisory")
    assert result.exit_code == 2, result.output
    assert f"Usage: advisory {args[0]} [OPTIONS]" in result.output
    assert expected in result.output


def test_errors_travel_between_processes_as_they_are() -> None:
    located = UnknownPlace("Quettta", ["Quetta"]).located(Location("trip.yaml", 4, 12))
    for error in (located, QueryError("{on}: {x", "on"), DocumentError([], "the trip file")):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and vars(copy) == vars(error)
        assert str(copy) == str(error)
