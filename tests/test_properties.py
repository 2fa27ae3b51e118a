"""Properties of the loader and the evaluator, over rule sets that hypothesis generates.

Orders are drawn around the days the clocks change (London, New York, and Karachi, whose
clocks went forward at midnight in 2002, 2008 and 2009), with windows whose hours fall in the
hour the clocks skip or repeat. What an order means is worked out here a second time, plainly
and in UTC (`Expected`), and the evaluator must agree with it for every way of writing an
instant. Runs are derandomized (the same examples every run, no example database), so CI sees
what a developer sees.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError, QueryError, RuleError
from advisories.evaluation.answer import Answer
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.query import days_query, read_when, span, timezone_of
from advisories.evaluation.trips import evaluate_trip
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from advisories.model.time import clocks_skip, local_instant
from advisories.model.values import WEEKDAYS

# Each property runs in a few seconds: a load costs tens of milliseconds (the gazetteer of
# every ISO 3166 region is built each time), so those that ask many questions of each load
# draw fewer rule sets.
PROPERTIES = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FEWER = settings(PROPERTIES, max_examples=50)

# The zones, the region asked in each, and days the clocks change there (forward, back).
ZONES: dict[str, tuple[str, tuple[date, ...]]] = {
    "Europe/London": ("GB", (date(2026, 3, 29), date(2026, 10, 25))),
    "America/New_York": ("US", (date(2026, 3, 8), date(2026, 11, 1))),
    "Asia/Karachi": ("PK", (date(2008, 6, 1), date(2008, 11, 1), date(2009, 4, 15))),
}
NOW = datetime(2026, 2, 15, tzinfo=UTC)
HALF_HOURS = [time(h, m) for h in range(24) for m in (0, 30)]


@dataclass(frozen=True)
class Hours:
    """A window as drawn: its weekdays (None: every day), and the clock faces it opens and
    closes at."""

    days: tuple[str, ...] | None
    opens: time
    closes: time


@dataclass(frozen=True)
class Expected:
    """What an order drawn here means, worked out in UTC without the evaluator's help."""

    restriction: str
    tz: str
    region: str
    start: datetime  # UTC
    end: datetime | None  # UTC, exclusive
    windows: tuple[Hours, ...]

    def holds_at(self, at: datetime) -> bool:
        if at < self.start or (self.end is not None and at >= self.end):
            return False
        if not self.windows:
            return True
        tz = ZoneInfo(self.tz)
        first = self.start.astimezone(tz).date()  # the night before the order is not its own
        day = max(first, at.astimezone(tz).date() - timedelta(days=1))
        while day <= at.astimezone(tz).date():
            for hours in self.windows:
                if hours.days is not None and WEEKDAYS[day.weekday()] not in hours.days:
                    continue
                closes_on = day + timedelta(days=1) if hours.closes <= hours.opens else day
                opens = _utc(day, hours.opens, tz)  # fold=0: a skipped time by the offset before
                if opens <= at < _utc(closes_on, hours.closes, tz):
                    return True
            day += timedelta(days=1)
        return False

    def boundaries(self) -> Iterator[datetime]:
        """The instants where the answer may change: where to look hardest."""
        yield self.start
        if self.end is not None:
            yield self.end
        tz = ZoneInfo(self.tz)
        day = self.start.astimezone(tz).date() - timedelta(days=1)
        for _ in range(5):
            for hours in self.windows:
                yield _utc(day, hours.opens, tz)
                yield _utc(day, hours.closes, tz)
            day += timedelta(days=1)


def _utc(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def night_faces(tz: ZoneInfo, days: tuple[date, ...]) -> list[time]:
    """The clock faces around the changes on `days`: those skipped or repeated (where fold=0
    and fold=1 disagree), and the half hours either side of them."""
    changing = {
        index
        for index, face in enumerate(HALF_HOURS)
        for day in days
        if datetime.combine(day, face, tzinfo=tz).utcoffset()
        != datetime.combine(day, face, tzinfo=tz).replace(fold=1).utcoffset()
    }
    near = {i + step for i in changing for step in (-1, 0, 1, 2)}
    return [HALF_HOURS[i % len(HALF_HOURS)] for i in sorted(near)]


@st.composite
def hours(draw: st.DrawFn, night: list[time]) -> Hours:
    """A window, opening or closing around the changes of the clocks as often as not."""
    faces = st.sampled_from(night) | st.sampled_from(HALF_HOURS)
    opens = draw(faces)
    closes = draw(faces.filter(lambda face: face != opens))
    days = draw(
        st.none() | st.none() | st.lists(st.sampled_from(WEEKDAYS), min_size=1, unique=True)
    )
    return Hours(None if days is None else tuple(days), opens, closes)


@st.composite
def orders(draw: st.DrawFn, number: int) -> tuple[dict[str, Any], Expected]:
    """An order as a rule file writes it, and what it means."""
    tz_name = draw(st.sampled_from(sorted(ZONES)))
    tz = ZoneInfo(tz_name)
    region, changes = ZONES[tz_name]
    first = draw(st.sampled_from(changes)) + timedelta(days=draw(st.integers(-2, 0)))
    shape = draw(st.sampled_from(["days", "duration", "instants", "further-notice"]))
    validity: dict[str, Any]
    end: datetime | None
    if shape == "instants":  # written with the offset the zone has then, as analysts do
        start = datetime.combine(first, time(0), tzinfo=UTC) + timedelta(
            minutes=30 * draw(st.integers(0, 96))
        )
        end = start + timedelta(minutes=30 * draw(st.integers(1, 144)))
        validity = {
            "start": start.astimezone(tz).isoformat(),
            "end": end.astimezone(tz).isoformat(),
        }
    else:
        start = _utc(first, time(0), tz)
        validity = {"first_day": first.isoformat()}
        length = draw(st.integers(1, 5))
        if shape == "days":
            validity["last_day"] = (first + timedelta(days=length - 1)).isoformat()
            end = _utc(first + timedelta(days=length), time(0), tz)
        elif shape == "duration":
            validity["duration"] = f"P{length}D"
            end = _utc(first + timedelta(days=length), time(0), tz)
        else:
            validity["until_further_notice"] = True
            end = None
    windows = tuple(draw(st.lists(hours(night_faces(tz, changes)), max_size=2)))
    restriction: dict[str, Any] = {"id": f"r{number}", "kind": "curfew"}
    if windows:
        restriction["windows"] = [_written(w) for w in windows]
    order = {
        "id": f"order-{number}",
        "title": f"Order {number}",
        "authority": "Home Department",
        "announced": start.astimezone(tz).date().isoformat(),
        "timezone": tz_name,
        "regions": [region],
        "validity": validity,
        "restrictions": [restriction],
        "sources": ["src"],
        "verification": "reported",
    }
    return order, Expected(f"order-{number}/r{number}", tz_name, region, start, end, windows)


def _written(window: Hours) -> dict[str, Any]:
    written: dict[str, Any] = {"from": f"{window.opens:%H:%M}", "to": f"{window.closes:%H:%M}"}
    if window.days is not None:
        written["days"] = list(window.days)
    return written


@st.composite
def rule_files(draw: st.DrawFn) -> tuple[dict[str, Any], list[Expected]]:
    drawn = [draw(orders(n)) for n in range(draw(st.integers(1, 3)))]
    document = {
        "sources": [
            {
                "id": "src",
                "title": "Notification",
                "publisher": "Example News",
                "url": "https://example.org/notification",
            }
        ],
        "orders": [order for order, _ in drawn],
    }
    return document, [expected for _, expected in drawn]


def load_document(document: object, text: str | None = None) -> RuleSet:
    """`document` written as a rule file and loaded as `advisory` loads one (no cache)."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "rules.yaml"
        file.write_text(text if text is not None else yaml.safe_dump(document), encoding="utf-8")
        return load_rules(file, cached=False)


def as_of(rules: RuleSet) -> date:
    return max(NOW.date(), rules.last_known)


def restriction_ids(answer: Answer) -> set[str]:
    return {r.id for r in answer.restrictions}


def spellings(at: datetime, tz: ZoneInfo) -> list[str]:
    """Every way a user can write the instant `at`: in UTC, with the zone's offset then, and
    as the place's clock shows it unless that clock face names an earlier instant (the
    second time round, when the clocks go back: a bare clock face means the first)."""
    local = at.astimezone(tz)
    written = [at.isoformat(), local.isoformat()]
    if local.fold == 0:
        written.append(local.replace(tzinfo=None).isoformat())
    return written


# -- the loader -------------------------------------------------------------------------------

WEIRD_VALUES = st.sampled_from(
    [
        None,
        "",
        0,
        -1,
        10**30,
        3.5,
        True,
        [],
        {},
        [None],
        {"a": 1},
        "24:00",
        "25:61",
        "00:00",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31",
        "P0D",
        "P99999999999999999999Y",
        "PT1000000000000S",
        "P1Y1M",
        "Asia/Karachy",
        "localtime",
        "../../etc/passwd",
        "x" * 500,
        "\u202e",
        "sun",
        "PK-ZZ",
        "GB",
        "2026-03-29T01:30:00",
        "2026-03-29T01:30:00+00:00",
        "until_further_notice",
    ]
)


def _paths(value: object, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: each key of a mapping and each item of a list."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _mutated(document: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """`document` with a few places replaced, dropped, or given an unknown neighbour."""
    document = yaml.safe_load(yaml.safe_dump(document))  # a deep copy of plain data
    for _ in range(draw(st.integers(1, 3))):
        places = list(_paths(document))
        path = draw(st.sampled_from(places))
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "drop", "neighbour"]))
        if action == "replace":
            parent[path[-1]] = draw(WEIRD_VALUES)
        elif action == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "from", "days", "end", "id"]))] = draw(
                WEIRD_VALUES
            )
        else:
            parent.append(draw(WEIRD_VALUES))
    return document


@st.composite
def damaged_files(draw: st.DrawFn) -> str:
    """A rule file with damaged values, or damaged text."""
    document, _ = draw(rule_files())
    text = yaml.safe_dump(_mutated(document, draw) if draw(st.booleans()) else document)
    if draw(st.booleans()):  # damage the text itself: a few characters put in or taken out
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, 3))
            text = (
                text[:at]
                + draw(st.sampled_from(["", ":", "- ", "\n", "'", "{", "\t", "&a"]))
                + text[at + cut :]
            )
    return text


@PROPERTIES
@given(damaged_files())
def test_any_rule_file_loads_or_fails_with_located_problems(text: str) -> None:
    try:
        load_document(None, text)
    except RuleError as error:
        for problem in error.problems:
            assert problem.where is not None, f"unlocated: {problem}"
            assert problem.where.path.endswith("rules.yaml"), f"not this file: {problem}"
            assert problem.where.line is not None, f"no line: {problem}"
    except AdvisoryError as error:
        pytest.fail(f"not a located rule error: {type(error).__name__}: {error}")


# -- the evaluator ----------------------------------------------------------------------------


@PROPERTIES
@given(rule_files(), st.data())
def test_an_instant_is_answered_as_the_order_means_however_it_is_written(
    drawn: tuple[dict[str, Any], list[Expected]], data: st.DataObject
) -> None:
    document, expected = drawn
    note(yaml.safe_dump(document))
    rules = load_document(document)
    evaluator = Evaluator(rules)
    for order in expected:
        tz = ZoneInfo(order.tz)
        region = rules.gazetteer.resolve(order.region)
        moved = timedelta(seconds=data.draw(st.sampled_from([-1800, -1, 1, 1799])))
        for near in order.boundaries():
            for at in (near, near + moved):
                holds = order.holds_at(at)
                for written in spellings(at, tz):
                    when = read_when(at=written, now=NOW)
                    answer = evaluator.evaluate(region, span(when, order.tz), as_of(rules))
                    reported = order.restriction in restriction_ids(answer)
                    assert reported == holds, f"{written} ({at:%Y-%m-%d %H:%M:%S}Z): {reported=}"


@FEWER
@given(rule_files(), st.data())
def test_evaluation_never_raises(
    drawn: tuple[dict[str, Any], list[Expected]], data: st.DataObject
) -> None:
    document, expected = drawn
    note(yaml.safe_dump(document))
    rules = load_document(document)
    evaluator = Evaluator(rules)
    for order in expected:
        first = order.start.date() + timedelta(days=data.draw(st.integers(-3, 3)))
        last = first + timedelta(days=data.draw(st.integers(0, 6)))
        tz = data.draw(st.sampled_from([order.tz, *sorted(ZONES), "UTC"]))
        for place in (order.region, data.draw(st.sampled_from(["PK-BA", "GB-LND", "US-NY"]))):
            region = rules.gazetteer.resolve(place)
            evaluator.evaluate(region, days_query(first, last, tz), as_of(rules))
            at = datetime.combine(first, data.draw(st.sampled_from(HALF_HOURS)))
            try:
                when = read_when(at=at.isoformat(), now=NOW)
                evaluator.evaluate(region, span(when, tz), as_of(rules))
            except QueryError as error:  # a clock face the clocks skip, and only that
                assert clocks_skip(at.replace(tzinfo=ZoneInfo(tz))) is not None, error


@FEWER
@given(rule_files(), st.data())
def test_a_trip_answers_what_its_legs_answer_alone_and_a_leg_its_days(
    drawn: tuple[dict[str, Any], list[Expected]], data: st.DataObject
) -> None:
    document, expected = drawn
    note(yaml.safe_dump(document))
    rules = load_document(document)
    evaluator = Evaluator(rules)
    legs = []
    for order in data.draw(st.lists(st.sampled_from(expected), min_size=1, max_size=3)):
        first = order.start.date() + timedelta(days=data.draw(st.integers(-2, 2)))
        last = first + timedelta(days=data.draw(st.integers(0, 4)))
        legs.append(Leg.model_validate({"place": order.region, "from": first, "to": last}))
    # one timezone for the places that have none of their own (the United States)
    given = "America/New_York" if any(leg.place == "US" for leg in legs) else None
    answered = evaluate_trip(evaluator, Trip(legs=legs), as_of(rules), timezone=given)
    for leg in answered.legs:
        tz = timezone_of(rules.gazetteer, leg.region, given)
        alone = evaluator.evaluate(
            leg.region, days_query(leg.leg.from_, leg.leg.to, tz), as_of(rules)
        )
        assert restriction_ids(leg.answer) == restriction_ids(alone)
        days = (
            leg.leg.from_ + timedelta(days=n) for n in range((leg.leg.to - leg.leg.from_).days + 1)
        )
        each_day = set().union(
            *(
                restriction_ids(evaluator.evaluate(leg.region, days_query(d, d, tz), as_of(rules)))
                for d in days
            )
        )
        assert restriction_ids(leg.answer) == each_day


# -- clocks that skip an hour -----------------------------------------------------------------


def test_a_clock_face_the_clocks_skip_is_refused_with_the_times_around_it() -> None:
    with pytest.raises(QueryError) as raised:
        span(read_when(at="2026-03-29T01:30", now=NOW), "Europe/London")
    assert raised.value.parameter == "at"
    assert str(raised.value.reason) == (
        "2026-03-29T01:30 never happens in Europe/London: on 29 Mar 2026 the clocks go forward "
        "from 01:00 to 02:00; ask about a time before 01:00 or from 02:00, or give the offset "
        "meant (2026-03-29T01:30+00:00 is 02:30 by the clocks)"
    )


def test_hours_in_the_skipped_hour_hold_at_one_instant_however_it_is_written() -> None:
    """A curfew from 02:30 on the night New York's clocks go from 02:00 to 03:00 starts at
    07:30 UTC (02:30 by the offset before, RFC 5545's reading): 03:15 by the clocks, 07:15
    UTC and 03:15-04:00 are all before it, and 03:45 after it, every way it is written."""
    document = {
        "sources": [{"id": "src", "title": "T", "publisher": "P", "url": "https://example.org/n"}],
        "orders": [
            {
                "id": "night",
                "title": "Night curfew",
                "authority": "Mayor",
                "announced": "2026-03-01",
                "timezone": "America/New_York",
                "regions": ["US"],
                "validity": {"first_day": "2026-03-01", "last_day": "2026-03-31"},
                "restrictions": [
                    {
                        "id": "curfew",
                        "kind": "curfew",
                        "windows": [{"from": "02:30", "to": "05:00"}],
                    }
                ],
                "sources": ["src"],
                "verification": "reported",
            }
        ],
    }
    rules = load_document(document)
    region = rules.gazetteer.resolve("US")

    def held(written: str) -> bool:
        when = read_when(at=written, now=NOW)
        return "night/curfew" in restriction_ids(
            Evaluator(rules).evaluate(region, span(when, "America/New_York"), as_of(rules))
        )

    assert not any(
        held(w) for w in ("2026-03-08T03:15", "2026-03-08T07:15Z", "2026-03-08T03:15-04:00")
    )
    assert all(held(w) for w in ("2026-03-08T03:45", "2026-03-08T07:45Z", "2026-03-08T03:45-04:00"))


def test_a_skipped_clock_face_is_read_as_the_offset_before_reads_it() -> None:
    london = ZoneInfo("Europe/London")
    assert local_instant(date(2026, 3, 29), time(1, 30), london) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert f"{local_instant(date(2026, 3, 29), time(1, 30), london):%H:%M}" == "02:30"
    # midnight skipped in Karachi on 1 June 2008: the day starts at 01:00 by the clocks
    karachi = ZoneInfo("Asia/Karachi")
    assert f"{local_instant(date(2008, 6, 1), time(0), karachi):%H:%M%z}" == "01:00+0600"


# -- a whole day ------------------------------------------------------------------------------


def test_a_whole_day_is_written_without_hours_and_holds_from_midnight_to_midnight() -> None:
    """docs/rules.md: 00:00-00:00 is refused (tests/fixtures/invalid/window-whole-day-as-hours
    .yaml); `{days: [fri]}` holds all of every Friday."""
    document = {
        "sources": [{"id": "src", "title": "T", "publisher": "P", "url": "https://example.org/n"}],
        "orders": [
            {
                "id": "fridays",
                "title": "Fridays",
                "authority": "Home Department",
                "announced": "2026-02-01",
                "timezone": "Asia/Karachi",
                "regions": ["PK-BA"],
                "validity": {"first_day": "2026-02-01", "last_day": "2026-02-28"},
                "restrictions": [
                    {
                        "id": "r",
                        "kind": "gatherings",
                        "threshold": {"min_people": 5},
                        "windows": [{"days": ["fri"]}],
                    }
                ],
                "sources": ["src"],
                "verification": "reported",
            }
        ],
    }
    rules = load_document(document)
    region = rules.gazetteer.resolve("PK-BA")

    def held(at: str) -> bool:
        when = read_when(at=at, now=NOW)
        answer = Evaluator(rules).evaluate(region, span(when, "Asia/Karachi"), as_of(rules))
        return "fridays/r" in restriction_ids(answer)

    assert [
        held(a)
        for a in (
            "2026-02-12T23:59:59",
            "2026-02-13T00:00",
            "2026-02-13T23:59:59",
            "2026-02-14T00:00",
        )
    ] == [False, True, True, False]
