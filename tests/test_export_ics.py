"""`advisory export --format ics`: the calendar read back as calendar programs read it.

Expanded over a period (with recurring-ical-events), a place's calendar gives exactly the
stretches the evaluator gives for that period and place: its answer's periods, clipped to the
period, within the openings of their windows (model/windows.occurrences). The same rules give
the same bytes and the same UIDs; amendments raise SEQUENCE, and what a lift or a revocation
removed is cancelled, while an order that simply ran out is neither.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from click.testing import CliRunner

from advisories.cli import main
from advisories.compile.known import as_known_on
from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline, amendments_by_order
from advisories.evaluation.announcements import Announcement, announcements
from advisories.evaluation.answer import QuerySpan
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.event_history import EventHistory, event_histories
from advisories.evaluation.query import days_query
from advisories.evaluation.selection import select
from advisories.load.tree import load_rules
from advisories.model.time import zone
from advisories.model.windows import occurrences, opening
from advisories.render.exports import EXPORTS, ExportOptions
from tests.conftest import FIXTURES, ROOT

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
Stretches = dict[str, list[tuple[datetime, datetime]]]  # restriction id -> merged, in UTC
AS_OF = date(2026, 2, 10)  # the README's day
AS_LATE = date(2026, 3, 31)  # after every amendment of the fixtures

# Small orders the bundled rules and fixtures lack (invented, for the tests): weekly hours
# from an order that starts during them, whole weekend days, a lift that takes away a later
# change of scope, a night curfew across the spring change of the clocks, and a ban held
# until further notice from an afternoon.
WEEKLY_AND_CLOCKS = """
sources:
  - id: test-source
    title: Test notification
    publisher: Test publisher
    url: https://example.org/notification
orders:
  - id: fridays
    title: Friday hours and weekends
    authority: Test authority
    announced: 2026-03-05
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {start: 2026-03-06T13:00:00+05:00, last_day: 2026-03-31}
    sources: [test-source]
    verification: official
    restrictions:
      - id: prayers
        kind: gatherings
        windows: [{days: [fri], from: "12:00", to: "15:00"}, {days: [sat, sun]}]
  - id: narrowed-then-lifted
    title: Narrowed, then lifted before the narrowing
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-31}
    sources: [test-source]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: paris-nights
    title: Night curfew across the change of the clocks
    authority: Test authority
    announced: 2026-03-20
    timezone: Europe/Paris
    regions: [FR]
    validity: {first_day: 2026-03-27, last_day: 2026-03-31}
    sources: [test-source]
    verification: official
    restrictions: [{id: nights, kind: curfew, windows: [{from: "22:00", to: "06:00"}]}]
  - id: paris-open
    title: Until further notice from an afternoon
    authority: Test authority
    announced: 2026-03-25
    timezone: Europe/Paris
    regions: [FR]
    validity: {start: 2026-03-25T14:00:00+01:00, until_further_notice: true}
    sources: [test-source]
    verification: official
    restrictions: [{id: marches, kind: gatherings}]
amendments:
  - id: narrowed-to-quetta
    order: narrowed-then-lifted
    action: change_scope
    announced: 2026-03-02
    effective_day: 2026-03-10
    regions: [PK-BA-QUETTA]
    sources: [test-source]
    verification: official
  - id: lifted-before-narrowing
    order: narrowed-then-lifted
    action: lift
    announced: 2026-03-06
    effective: 2026-03-06T18:00:00+05:00
    sources: [test-source]
    verification: official
"""


# An order of its own file, in Quetta on the days asked, whose id sorts before every other.
UNRELATED_ORDER = """
sources:
  - id: unrelated-source
    title: An unrelated notification
    publisher: Test publisher
    url: https://example.org/unrelated
orders:
  - id: aaa-unrelated
    title: An order that sorts first
    authority: Test authority
    announced: 2026-01-20
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA]
    validity: {first_day: 2026-01-20, last_day: 2026-02-20}
    sources: [unrelated-source]
    verification: reported
    restrictions:
      - {id: weapons, kind: weapons}
      - {id: nights, kind: curfew, windows: [{from: "21:00", to: "05:00"}]}
"""


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    folder = tmp_path_factory.mktemp("invented")
    (folder / "orders.yaml").write_text(WEEKLY_AND_CLOCKS)
    return load_rules(GAZETTEER, folder / "orders.yaml")


@pytest.fixture(scope="module")
def fixture_trees() -> dict[str, RuleSet]:
    valid = FIXTURES / "valid"
    return {
        name: load_rules(GAZETTEER, valid / f"{name}.yaml")
        for name in ("amendments", "dated-windows", "modified", "contents-not-reported")
    }


def _rules(name: str, bundled: RuleSet, invented: RuleSet, trees: dict[str, RuleSet]) -> RuleSet:
    return {"bundled": bundled, "invented": invented}.get(name) or trees[name]


def _span(rules: RuleSet, place: str, first: str, last: str) -> QuerySpan:
    region = rules.gazetteer.resolve(place)
    timezone = rules.gazetteer.timezone(region.code) or "UTC"
    return days_query(date.fromisoformat(first), date.fromisoformat(last), timezone)


def export_ics(
    rules: RuleSet, place: str | None, first: str | None, last: str | None, as_of: date
) -> bytes:
    """The calendar the CLI writes for these arguments."""
    region = rules.gazetteer.resolve(place) if place is not None else None
    span = None
    if place is not None and first is not None and last is not None:
        span = _span(rules, place, first, last)
    return EXPORTS["ics"].render(select(rules, region, span, as_of), ExportOptions())


def _merged(stretches: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The same time as disjoint stretches in UTC, joined where they touch."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in stretches):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def calendar_stretches(data: bytes, span: QuerySpan, merge: bool = True) -> Stretches:
    """What a calendar program shows within the span, by restriction (order/restriction, the
    head of each UID): occurrences expanded, cancelled ones left out, all-day ones as the
    local days of the calendar's timezone."""
    calendar = _calendar(data)
    tz = zone(str(calendar.get("X-WR-TIMEZONE")))
    found: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for event in recurring_ical_events.of(calendar).between(span.start, span.end):
        if event.get("STATUS") == "CANCELLED":
            continue
        start, end = (_instant(event[name].dt, tz) for name in ("DTSTART", "DTEND"))
        start, end = max(start, span.start), min(end, span.end)
        if start < end:
            found["/".join(str(event.get("UID")).split("/")[:2])].append((start, end))
    if not merge:
        return {key: sorted(value) for key, value in found.items()}
    return {key: _merged(value) for key, value in found.items()}


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=tz)


def evaluator_stretches(rules: RuleSet, place: str, span: QuerySpan, as_of: date) -> Stretches:
    """What the evaluator says holds in the place within the span: each period of its
    answer, clipped to the span, within the openings of the windows that hold there."""
    known = as_known_on(rules, as_of)
    gazetteer = known.gazetteer
    region = gazetteer.resolve(place)
    answer = Evaluator(known).evaluate(region, span, as_of)
    timelines = {t.key: t for t in known.timelines}
    found: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for restriction in answer.restrictions:
        timeline = timelines[restriction.id]
        for out in restriction.periods:
            period = next(p for p in timeline.periods if (p.start, p.end) == (out.start, out.end))
            start = max(out.start, span.start)
            end = span.end if out.end is None else min(out.end, span.end)
            if start >= end:
                continue
            windows = timeline.version(period.version).windows
            if not windows:
                found[restriction.id].append((start, end))
                continue
            here = [
                w
                for w in windows
                if w.regions is None or any(gazetteer.relation(c, region.code) for c in w.regions)
            ]
            tz = timeline.order.tz
            found[restriction.id] += occurrences(here, tz, start, end, period.opened)
    for order in answer.unreported:
        start = max(order.start, span.start)
        end = span.end if order.end is None else min(order.end, span.end)
        found[f"{order.order}/contents-not-reported"].append((start, end))
    return {key: _merged(value) for key, value in found.items() if value}


KARACHI, PARIS = ZoneInfo("Asia/Karachi"), ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("day", "hours", "tz", "held"),
    [
        (date(2026, 3, 1), ("20:00", "06:00"), KARACHI,
         ("2026-03-01T20:00:00+05:00", "2026-03-02T06:00:00+05:00")),
        (date(2026, 3, 6), ("12:00", "15:00"), KARACHI,
         ("2026-03-06T12:00:00+05:00", "2026-03-06T15:00:00+05:00")),
        (date(2026, 3, 7), ("00:00", "00:00"), KARACHI,  # a whole day
         ("2026-03-07T00:00:00+05:00", "2026-03-08T00:00:00+05:00")),
        (date(2026, 3, 28), ("22:00", "06:00"), PARIS,  # the night the clocks go forward
         ("2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00")),
    ],
)  # fmt: skip
def test_hours_open_on_a_day_as_the_evaluator_and_the_calendar_both_read_them(
    day: date, hours: tuple[str, str], tz: ZoneInfo, held: tuple[str, str]
) -> None:
    """One function says when hours open on a day, for the evaluator's occurrences and the
    calendar's series alike: a night belongs to the day it starts."""
    opens, closes = (time.fromisoformat(h) for h in hours)
    assert tuple(i.isoformat() for i in opening(day, opens, closes, tz)) == held


@dataclass(frozen=True)
class Case:
    rules: str
    place: str
    first: str
    last: str
    as_of: date
    shows: str  # a restriction the case is about, which must be in the calendar


ROUND_TRIPS = {
    "night hours across midnight, until further notice": Case(
        "bundled", "Quetta", "2026-02-01", "2026-02-28", date(2026, 2, 10),
        "pk-ba-2025-08-night-transport/night-transport",
    ),
    "curfew to midnight, extension, lift, revocation, lapse, renewal, scope": Case(
        "amendments", "Quetta", "2026-02-25", "2026-04-05", date(2026, 3, 31), "curfew/night",
    ),
    "dated hours across midnight": Case(
        "dated-windows", "Balochistan", "2025-07-01", "2025-07-31", date(2025, 7, 31),
        "muharram/nights",
    ),
    "dated whole days, an order extended twice": Case(
        "bundled", "Balochistan", "2025-08-01", "2025-09-30", date(2025, 10, 1),
        "pk-ba-2025-08-s144/weapons",
    ),
    "dated hours, and whole dated days in one district of the place": Case(
        "bundled", "PK-KP-BAJAUR", "2025-08-01", "2025-08-31", date(2025, 9, 1),
        "pk-kp-bajaur-2025-08-11-curfew/village-curfew",
    ),
    "until further notice, before its lift": Case(
        "bundled", "Islamabad", "2025-10-01", "2025-10-31", date(2025, 10, 11),
        "pk-is-2025-10-mobile-internet/mobile-data",
    ),
    "lifted after it was made open-ended and narrowed": Case(
        "bundled", "Skardu", "2026-03-01", "2026-03-31", date(2026, 3, 31),
        "pk-gb-2026-03-curfew/curfew",
    ),
    "hours changed during a night": Case(
        "modified", "Balochistan", "2025-08-01", "2025-10-05", date(2025, 10, 1), "month/curfew",
    ),
    "an order whose contents were not reported": Case(
        "contents-not-reported", "PK-BA-KECH", "2026-04-25", "2026-05-20", date(2026, 5, 1),
        "unknown-contents/contents-not-reported",
    ),
    "weekly hours from an order starting during them, weekends, a lift before a narrowing": Case(
        "invented", "Balochistan", "2026-03-01", "2026-04-10", date(2026, 3, 31),
        "fridays/prayers",
    ),
    "open-ended from an afternoon, across the autumn change of the clocks": Case(
        "invented", "France", "2026-10-20", "2026-11-05", date(2026, 3, 31), "paris-open/marches",
    ),
    "nights across the change of the clocks, open-ended from an afternoon": Case(
        "invented", "France", "2026-03-20", "2026-04-15", date(2026, 3, 31), "paris-nights/nights",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_the_calendar_expands_to_what_the_evaluator_says(
    case: Case, bundled: RuleSet, invented: RuleSet, fixture_trees: dict[str, RuleSet]
) -> None:
    rules = _rules(case.rules, bundled, invented, fixture_trees)
    span = _span(rules, case.place, case.first, case.last)
    data = export_ics(rules, case.place, case.first, case.last, case.as_of)
    expected = evaluator_stretches(rules, case.place, span, case.as_of)
    assert case.shows in expected
    assert calendar_stretches(data, span) == expected
    # and no event twice: a restriction's occurrences never overlap one another (they may
    # touch, where a scope change splits a period the answer gives whole)
    for key, held in calendar_stretches(data, span, merge=False).items():
        assert all(a[1] <= b[0] for a, b in pairwise(held)), key


def _calendar(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def _events(data: bytes) -> dict[str, icalendar.Component]:
    """Each event of a calendar by UID: the series or stretch itself, not its instances."""
    calendar = _calendar(data)
    return {str(e.get("UID")): e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e}


def _of(events: dict[str, icalendar.Component], restriction: str) -> list[icalendar.Component]:
    return [e for uid, e in sorted(events.items()) if uid.startswith(restriction + "/")]


def test_the_same_rules_give_the_same_bytes_in_every_process(tmp_path: Path) -> None:
    """No clock, no locale, no order of a set: two processes hashing strings differently
    write the same file."""
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"everywhere-{seed}.ics"
        env = {**os.environ, "PYTHONHASHSEED": seed, "ADVISORIES_CACHE": "off"}
        advisory = Path(sys.executable).parent / "advisory"
        command = [str(advisory), "export", "--format", "ics", "--as-of", "2026-03-01"]
        subprocess.run([*command, "-o", str(out)], check=True, cwd=ROOT, env=env)
        written.append(out.read_bytes())
    assert written[0] == written[1]
    assert written[0].count(b"BEGIN:VEVENT") > 100


def test_an_unrelated_rule_file_leaves_an_orders_uids_alone(tmp_path: Path) -> None:
    """Another order in the same place and days, in a file of its own, moves every list
    position, but no UID or SEQUENCE of the orders already there."""
    tree = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", tree)
    before = _events(export_ics(load_rules(tree), "Quetta", "2026-02-01", "2026-02-28", AS_OF))
    (tree / "PK" / "BA" / "2026-extra.yaml").write_text(UNRELATED_ORDER)
    after = _events(export_ics(load_rules(tree), "Quetta", "2026-02-01", "2026-02-28", AS_OF))
    assert [uid for uid in after if uid.startswith("aaa-unrelated/")]
    kept = {uid: e.get("SEQUENCE") for uid, e in after.items() if not uid.startswith("aaa-")}
    assert kept == {uid: e.get("SEQUENCE") for uid, e in before.items()}
    assert len(kept) >= 5


def test_lifted_revoked_and_expired_read_as_three_different_things(
    fixture_trees: dict[str, RuleSet],
) -> None:
    """Before the lift and the revocation were announced, and after: the lifted order keeps
    its UID with the shortened end and a higher SEQUENCE; the revoked one is cancelled; the
    one that ran out is neither."""
    rules = fixture_trees["amendments"]

    def exported(as_of: date) -> dict[str, icalendar.Component]:
        return _events(export_ics(rules, "Quetta", "2026-03-01", "2026-03-31", as_of))

    before, after = exported(date(2026, 3, 2)), exported(date(2026, 3, 31))
    (lifted_before,) = _of(before, "lifted/weapons")
    (lifted,) = _of(after, "lifted/weapons")
    assert lifted.get("UID") == lifted_before.get("UID")
    # an all-day series without end: in force every day, until further notice
    assert "UNTIL" not in lifted_before.get("RRULE")
    assert lifted_before.get("DTEND").dt == date(2026, 3, 2)
    assert "RRULE" not in lifted
    assert lifted.get("DTEND").dt.isoformat() == "2026-03-05T12:00:00+05:00"
    assert lifted.get("SEQUENCE") > lifted_before.get("SEQUENCE") == 0
    assert lifted.get("STATUS") == "CONFIRMED" and "lifted early" in lifted.get("SUMMARY")
    assert "Lifted early from 5 Mar 2026 12:00" in lifted.get("DESCRIPTION")

    (revoked_before,) = _of(before, "revoked/weapons")
    (revoked,) = _of(after, "revoked/weapons")
    assert revoked_before.get("STATUS") == "CONFIRMED" and revoked_before.get("SEQUENCE") == 0
    assert revoked.get("UID") == revoked_before.get("UID") and revoked.get("STATUS") == "CANCELLED"
    assert revoked.get("SEQUENCE") == 1 and revoked.get("SUMMARY").startswith("Revoked: ")
    assert revoked.get("DTSTAMP").dt == datetime(2026, 3, 3, tzinfo=UTC)  # the day announced

    for events in (before, after):  # the curfew ran out on 3 March: nothing changed
        (expired,) = _of(events, "curfew/night")
        assert expired.get("STATUS") == "CONFIRMED" and expired.get("SEQUENCE") == 0
        assert "lifted" not in expired.get("SUMMARY")
        assert "Changes" not in expired.get("DESCRIPTION")
        assert expired.get("DTSTAMP").dt == datetime(2026, 3, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Stretch:
    """An event as plainly as an export could make one: a restriction's period, start to end."""

    uid: str
    timeline: RestrictionTimeline
    end: datetime | None

    def reads_as(self, other: Stretch) -> bool:
        return self.end == other.end


def _stretches(step: Announcement) -> list[Stretch]:
    return [Stretch(f"{t.key}/{p.start:%Y%m%dT%H%M}", t, p.end)
            for t in step.timelines for p in t.periods]  # fmt: skip


def test_how_amendments_changed_events_is_worked_out_without_a_calendar(
    fixture_trees: dict[str, RuleSet],
) -> None:
    """The replay that gives SEQUENCE and cancellation is the rules' (evaluation), not the
    calendar's: any export's events follow an order's amendments the same way."""
    rules = as_known_on(fixture_trees["amendments"], AS_LATE)
    by_order = amendments_by_order(rules.amendments)

    def histories(order_id: str) -> list[EventHistory[Stretch]]:
        order = rules.orders[order_id]
        said = announcements(order, by_order.get(order_id, []))
        return event_histories(order, said, _stretches)

    (lifted,) = histories("lifted")
    assert (lifted.sequence, lifted.cancelled, lifted.modified) == (1, False, date(2026, 3, 5))
    assert lifted.occasion.end == datetime(2026, 3, 5, 12, tzinfo=zone("Asia/Karachi"))
    (revoked,) = histories("revoked")
    assert revoked.cancelled and revoked.changes[-1].amendment.id == "revoked-order"
    (curfew,) = histories("curfew")  # ran out: nothing changed, nothing cancelled
    assert (curfew.sequence, curfew.cancelled, curfew.created) == (0, False, date(2026, 3, 1))


def test_a_night_curfew_is_a_series_whose_last_night_ends_at_midnight(
    fixture_trees: dict[str, RuleSet],
) -> None:
    """20:00-06:00 from 1 to 3 March: nightly until the 3rd (UNTIL in UTC), the night of
    the 3rd cut at the order's end as an instance of its own."""
    data = export_ics(fixture_trees["amendments"], "Quetta", "2026-03-01", "2026-03-31", AS_LATE)
    curfew = [e for e in _calendar(data).walk("VEVENT") if e.get("UID").startswith("curfew/")]
    series, last_night = curfew
    assert series.get("DTSTART").dt.isoformat() == "2026-03-01T20:00:00+05:00"
    assert series.get("DTEND").dt.isoformat() == "2026-03-02T06:00:00+05:00"
    assert series.get("RRULE").to_ical() == b"FREQ=DAILY;UNTIL=20260303T150000Z"
    assert last_night.get("UID") == series.get("UID")
    assert last_night.get("RECURRENCE-ID").dt.isoformat() == "2026-03-03T20:00:00+05:00"
    assert last_night.get("DTEND").dt.isoformat() == "2026-03-04T00:00:00+05:00"
    assert b"TZID=Asia/Karachi:20260301T200000" in data and b"BEGIN:VTIMEZONE" in data


def test_a_lift_cancels_what_it_removed_and_shortens_what_it_cut(invented: RuleSet) -> None:
    events = _events(export_ics(invented, "Balochistan", "2026-03-01", "2026-03-31", AS_LATE))
    first, narrowed = _of(events, "narrowed-then-lifted/weapons")
    assert first.get("STATUS") == "CONFIRMED"
    assert first.get("SEQUENCE") == 2  # narrowed, then lifted
    assert first.get("DTEND").dt.isoformat() == "2026-03-06T18:00:00+05:00"
    assert narrowed.get("STATUS") == "CANCELLED" and narrowed.get("SEQUENCE") == 1
    assert narrowed.get("SUMMARY") == "Cancelled: Display or use of weapons — part of Balochistan"
    assert narrowed.get("DTSTART").dt == date(2026, 3, 10)  # as it was before the lift


def test_a_lift_in_the_bundled_rules_shortens_the_open_ended_order(bundled: RuleSet) -> None:
    """Mobile data in Islamabad, suspended until further orders on 10 October 2025 and
    restored from 12 October: as of the 11th an endless daily series; as of the 12th the
    same UID, ending on the 12th, with a higher SEQUENCE."""

    def data(as_of: date) -> icalendar.Component:
        events = _events(export_ics(bundled, "Islamabad", "2025-10-01", "2025-10-31", as_of))
        (event,) = _of(events, "pk-is-2025-10-mobile-internet/mobile-data")
        return event

    before, after = data(date(2025, 10, 11)), data(date(2025, 10, 12))
    assert before.get("UID") == after.get("UID")
    assert before.get("RRULE")["FREQ"] == ["DAILY"] and "UNTIL" not in before.get("RRULE")
    assert "until further notice" in before.get("SUMMARY")
    assert (after.get("DTSTART").dt, after.get("DTEND").dt) == (
        date(2025, 10, 10),
        date(2025, 10, 12),
    )
    assert after.get("SEQUENCE") > before.get("SEQUENCE")


def test_an_order_whose_contents_were_not_reported_is_an_event_that_says_so(
    fixture_trees: dict[str, RuleSet],
) -> None:
    rules = fixture_trees["contents-not-reported"]
    events = _events(export_ics(rules, "PK-BA-KECH", "2026-05-01", "2026-05-31", date(2026, 5, 1)))
    (event,) = _of(events, "unknown-contents/contents-not-reported")
    assert event.get("SUMMARY") == "Order in force, contents not reported — Kech District"
    assert "contents were not reported" in event.get("DESCRIPTION")
    assert (event.get("DTSTART").dt, event.get("DTEND").dt) == (date(2026, 5, 1), date(2026, 5, 11))


def test_the_cli_writes_a_calendar_that_parses(tmp_path: Path) -> None:
    out = tmp_path / "out.ics"
    arguments = ["export", "--format", "ics", "Quetta", "--from", "2026-02-01", "--to",
                 "2026-02-28", "--as-of", "2026-02-10", "-o", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    calendar = _calendar(out.read_bytes())
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    for name, value in (("PRODID", "-//advisories//advisory export//EN"), ("METHOD", "PUBLISH"),
                        ("X-WR-CALNAME", "Restrictions: Quetta"),
                        ("X-WR-TIMEZONE", "Asia/Karachi")):  # fmt: skip
        assert calendar[name] == value
    assert "Monitored; checked from 1 Jan 2025 to 10 Feb 2026" in calendar.get("X-WR-CALDESC")
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Karachi"]
    events = calendar.walk("VEVENT")
    assert len(events) >= 8
    for event in events:
        assert event.get("DTSTAMP").dt <= datetime(2026, 2, 11, tzinfo=UTC)  # from the rules
        assert event.get("TRANSP") == "TRANSPARENT" and event.get("URL").startswith("https://")
    summaries = {str(e.get("SUMMARY")) for e in events}
    assert "Public transport suspended — Quetta (until further notice)" in summaries


@pytest.mark.parametrize(
    ("place", "says"),
    [
        ("Kabul", "No restriction recorded. Kābul is not monitored by these rules: absence of "
                  "rules means nothing here."),
        ("Multan", "Multan is not monitored by these rules: others may be in force."),
    ],
)  # fmt: skip
def test_a_place_nobody_monitors_gives_a_calendar_that_says_so(
    tmp_path: Path, place: str, says: str
) -> None:
    out = tmp_path / "out.ics"
    result = CliRunner().invoke(
        main, ["export", "--format", "ics", place, "--as-of", "2026-02-10", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    calendar = _calendar(out.read_bytes())
    for name in ("X-WR-CALDESC", "DESCRIPTION"):
        assert says in " ".join(str(calendar[name]).split())
    events = calendar.walk("VEVENT")
    assert bool(events) == (place == "Multan")  # province-wide orders reach Multan
    for event in events:
        assert "Multan is not monitored" in " ".join(str(event.get("DESCRIPTION")).split())


def test_everywhere_names_what_is_monitored_and_what_is_not(bundled: RuleSet) -> None:
    calendar = _calendar(export_ics(bundled, None, None, None, AS_LATE))
    about = " ".join(str(calendar.get("X-WR-CALDESC")).split())
    assert "Monitored: Balochistan (checked to 2 Mar 2026)" in about
    assert about.endswith(
        "Other places are not monitored: restrictions may be in force there without any event "
        "in this calendar."
    )
    assert calendar.get("X-WR-TIMEZONE") == "Asia/Karachi"  # the one zone all orders share


def _coverage_line(place: str | None, restriction: str, bundled: RuleSet) -> str:
    (event,) = _of(_events(export_ics(bundled, place, None, None, date(2026, 3, 1))), restriction)
    lines = str(event.get("DESCRIPTION")).splitlines()
    return next(line for line in lines if line.startswith("Coverage: "))


@pytest.mark.parametrize(
    ("place", "restriction", "said"),
    [
        # February 2026, in Balochistan, whose check began on 1 January 2025: monitored,
        # whether the calendar is of every place, of the province or of a town in it
        (None, "pk-ba-2026-02-s144/weapons",
         "Coverage: Balochistan: Monitored; checked from 1 Jan 2025 to 1 Mar 2026."),
        ("Balochistan", "pk-ba-2026-02-s144/weapons",
         "Coverage: Balochistan: Monitored; checked from 1 Jan 2025 to 1 Mar 2026."),
        ("Quetta", "pk-ba-2026-02-s144/weapons",
         "Coverage: Quetta: Monitored; checked from 1 Jan 2025 to 1 Mar 2026."),
        # a calendar of the country words the province the event holds in
        ("Pakistan", "pk-ba-2026-02-s144/weapons",
         "Coverage: Balochistan: Monitored; checked from 1 Jan 2025 to 1 Mar 2026."),
        # from 30 December 2024: its first two days came before the check began
        (None, "pk-ba-2024-12-s144/weapons",
         "Coverage: Balochistan is only partly monitored by these rules (monitored: PK-BA; days "
         "from 1 Jan 2025; checked from 1 Jan 2025 to 1 Mar 2026): others may be in force."),
    ],
)  # fmt: skip
def test_an_event_words_the_coverage_of_its_own_days_and_place(
    bundled: RuleSet, place: str | None, restriction: str, said: str
) -> None:
    """Not of every day the calendar covers (the rules reach back before the checks began),
    so that one event reads alike in the calendars of every place it holds in."""
    assert _coverage_line(place, restriction, bundled) == said
