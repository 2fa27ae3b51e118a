"""Answers at the edges: first and last seconds, days vs instants, amendments, windows, scope."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import to_json
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.query import read_when
from advisories.load.tree import load_rules
from advisories.render.text import render_answer
from tests.conftest import FIXTURES, ROOT, ask, ids

FEB = "pk-ba-2026-02-s144"
JAN = "pk-ba-2026-01-s144"


@pytest.mark.parametrize(
    ("at", "in_force"),
    [
        ("2026-01-31T23:59:59+05:00", False),  # last second before, local time
        ("2026-02-01T00:00:00+05:00", True),  # first second, local time
        ("2026-01-31T18:59:59+00:00", False),  # the same two instants in UTC
        ("2026-01-31T19:00:00+00:00", True),
        ("2026-02-28T23:59:59+05:00", True),  # last second of the last day
        ("2026-03-01T00:00:00+05:00", False),  # first second after
        ("2026-02-28T18:59:59+00:00", True),
        ("2026-02-28T19:00:00+00:00", False),
        ("2026-02-28T23:59:59", True),  # naive: read in the place's time (Asia/Karachi)
        ("2026-03-01T00:00:00", False),
    ],
)
def test_first_and_last_second_of_the_february_order(
    bundled: RuleSet, at: str, in_force: bool
) -> None:
    assert bool(ids(ask(bundled, "Quetta", at=at), FEB)) is in_force


def test_january_order_hands_over_to_february_at_midnight(bundled: RuleSet) -> None:
    before = ask(bundled, "Quetta", at="2026-01-31T23:59:59+05:00")
    after = ask(bundled, "Quetta", at="2026-02-01T00:00:00+05:00")
    assert ids(before, JAN) and not ids(before, FEB)
    assert ids(after, FEB) and not ids(after, JAN)


def test_date_question_covers_the_whole_local_day(bundled: RuleSet) -> None:
    assert ids(ask(bundled, "Quetta", on="2026-02-28"), FEB)
    assert not ids(ask(bundled, "Quetta", on="2026-03-01"), FEB)
    # 1 Feb as a day overlaps the February order only; 31 Jan only the January one.
    assert not ids(ask(bundled, "Quetta", on="2026-01-31"), FEB)
    assert not ids(ask(bundled, "Quetta", on="2026-02-01"), JAN)


def test_quetta_in_february_lists_the_four_seed_restrictions_with_sources(
    bundled: RuleSet,
) -> None:
    answer = ask(bundled, "Quetta", on="2026-02-10")
    kinds = {r.kind for r in answer.restrictions}
    assert {"weapons", "pillion-riding", "window-tint", "gatherings"} <= kinds
    gatherings = next(r for r in answer.restrictions if r.kind == "gatherings")
    assert gatherings.threshold is not None and gatherings.threshold.min_people == 5
    assert all(r.sources for r in answer.restrictions)
    assert all(r.status == "in_force" for r in answer.restrictions)


def test_restriction_only_one_source_reports_cites_only_that_source(bundled: RuleSet) -> None:
    answer = ask(bundled, "Quetta", on="2026-02-10")
    face = next(r for r in answer.restrictions if r.kind == "face-covering")
    assert [s.publisher for s in face.sources] == ["The Express Tribune"]
    (dispute,) = face.disputes  # the other account, kept as data with its own source
    assert dispute.about == "restrictions" and not dispute.order_wide
    assert [s.publisher for s in dispute.sources] == ["China Daily Brief"]


def test_proposed_exemption_is_reported_but_never_applied(bundled: RuleSet) -> None:
    answer = ask(bundled, "Quetta", on="2026-02-10")
    pillion = next(r for r in answer.restrictions if r.kind == "pillion-riding")
    assert [(e.status, e.applies) for e in pillion.exemptions] == [("proposed", False)]
    assert pillion.status == "in_force"


@pytest.mark.parametrize(
    ("place", "status"),
    [
        ("PK-BA-QUETTA", "in_force"),  # a district inside the order's province
        ("Balochistan", "in_force"),  # the province itself
        ("Pakistan", "partial"),  # the country contains the province
        ("Punjab, PK", None),  # another province
        ("Karachi", None),  # a city of another province
    ],
)
def test_region_hierarchy(bundled: RuleSet, place: str, status: str | None) -> None:
    answer = ask(bundled, place, on="2026-02-10")
    statuses = {r.status for r in answer.restrictions if r.order == FEB}
    assert statuses == ({status} if status else set())


def test_partial_answer_names_the_region_that_matched(bundled: RuleSet) -> None:
    answer = ask(bundled, "PK", on="2026-02-10")
    weapons = next(r for r in answer.restrictions if r.id == f"{FEB}/weapons")
    assert (weapons.matched_region.code, weapons.matched_region.relation) == ("PK-BA", "inside")


def test_answer_explains_order_region_and_interval(bundled: RuleSet) -> None:
    weapons = next(
        r for r in ask(bundled, "Quetta", on="2026-02-10").restrictions if r.kind == "weapons"
    )
    assert weapons.matched_region.relation == "contains"
    assert (
        FEB in weapons.explanation and "Balochistan, which contains Quetta" in weapons.explanation
    )
    assert weapons.start.isoformat() == "2026-02-01T00:00:00+05:00"
    assert weapons.end is not None and weapons.end.isoformat() == "2026-03-01T00:00:00+05:00"


@pytest.mark.parametrize(
    ("at", "present"),
    [
        ("2026-03-20T23:59:59", True),  # extended from 10 to 20 March
        ("2026-03-21T00:00:00", False),
        ("2026-03-10T23:59:59", True),
    ],
)
def test_extension(amended: RuleSet, at: str, present: bool) -> None:
    assert bool(ids(ask(amended, "PK-BA", at=at), "extended")) is present


def test_extension_is_in_history(amended: RuleSet) -> None:
    answer = ask(amended, "PK-BA", on="2026-03-15")
    extended = next(r for r in answer.restrictions if r.order == "extended")
    assert [a.id for a in extended.amendments] == ["extended-to-20"]
    assert "extended until end of 20 Mar 2026" in extended.amendments[0].summary


@pytest.mark.parametrize(
    ("at", "present"),
    [("2026-03-05T11:59:59", True), ("2026-03-05T12:00:00", False), ("2026-04-01", False)],
)
def test_early_lift(amended: RuleSet, at: str, present: bool) -> None:
    assert bool(ids(ask(amended, "PK-BA", at=at), "lifted")) is present


def test_revoked_order_is_never_in_force(amended: RuleSet) -> None:
    assert not ids(ask(amended, "PK-BA", span=("2026-03-01", "2026-03-31")), "revoked")


@pytest.mark.parametrize(
    ("on", "present"),
    [("2026-03-10", True), ("2026-03-11", False), ("2026-03-14", False), ("2026-03-15", True),
     ("2026-03-25", True), ("2026-03-26", False)],
)  # fmt: skip
def test_extension_after_a_lapse_leaves_a_gap(amended: RuleSet, on: str, present: bool) -> None:
    assert bool(ids(ask(amended, "PK-BA", on=on), "lapsed")) is present


def test_range_over_a_gap_shows_both_periods_and_the_changes(amended: RuleSet) -> None:
    answer = ask(amended, "PK-BA", span=("2026-03-01", "2026-03-31"))
    lapsed = next(r for r in answer.restrictions if r.order == "lapsed")
    assert len(lapsed.periods) == 2
    events = [
        (c.event, c.at.date().isoformat()) for c in answer.changes if c.restriction == lapsed.id
    ]
    assert ("ends", "2026-03-11") in events and ("starts", "2026-03-15") in events
    assert ("ends", "2026-03-26") in events


@pytest.mark.parametrize(
    ("at", "present"),
    [
        ("2026-03-01T05:59", False),  # the night before the first day is not covered
        ("2026-03-01T19:59", False),
        ("2026-03-01T20:00", True),
        ("2026-03-02T05:59", True),  # the window that opened the day before, across midnight
        ("2026-03-02T06:00", False),
        ("2026-03-03T23:59:59", True),  # last evening of the order
        ("2026-03-04T00:00", False),  # clipped at the order's end, not at 06:00
        ("2026-03-04T05:59", False),
    ],
)
def test_curfew_window_crossing_midnight(amended: RuleSet, at: str, present: bool) -> None:
    assert bool(ids(ask(amended, "PK-BA", at=at), "curfew")) is present


def test_curfew_day_question_lists_the_hours(amended: RuleSet) -> None:
    curfew = next(
        r for r in ask(amended, "PK-BA", on="2026-03-02").restrictions if r.order == "curfew"
    )
    assert curfew.windows == ["daily 20:00–06:00"]


def test_duration_counts_calendar_months(amended: RuleSet) -> None:
    # 31 Jan + P1M is 28 Feb (month ends clamp), so the last day in force is 27 Feb.
    assert ids(ask(amended, "PK-BA", on="2026-02-27"), "month")
    assert not ids(ask(amended, "PK-BA", on="2026-02-28"), "month")


def test_added_and_removed_restrictions(amended: RuleSet) -> None:
    before = ids(ask(amended, "PK-BA", on="2026-03-10"), "changing")
    after = ids(ask(amended, "PK-BA", on="2026-03-11"), "changing")
    assert before == {"changing/weapons", "changing/tint"}
    assert after == {"changing/weapons", "changing/gatherings"}


def test_scope_change_turns_province_answer_partial(amended: RuleSet) -> None:
    def status(place: str, on: str) -> str | None:
        found = [
            r.status for r in ask(amended, place, on=on).restrictions if r.id == "changing/weapons"
        ]
        return found[0] if found else None

    assert status("PK-BA", "2026-03-20") == "in_force"
    assert status("PK-BA", "2026-03-21") == "partial"
    assert status("Quetta", "2026-03-21") == "in_force"
    assert status("Gwadar", "2026-03-21") is None


def test_stale_flag_follows_the_as_of_day(bundled: RuleSet) -> None:
    from datetime import date

    from advisories.evaluation.evaluator import evaluate
    from advisories.evaluation.query import days_query

    # Punjab's order of October 2025, reviewed by 23 November 2025, asked about 20 October.
    query = days_query(date(2025, 10, 20), date(2025, 10, 20), "Asia/Karachi")

    def stale(place: str, as_of: date) -> tuple[set[bool], bool]:
        answer = evaluate(bundled, bundled.gazetteer.resolve(place), query, as_of)
        flags = {r.stale for r in answer.restrictions if r.order == "pk-pb-2025-10-s144"}
        return flags, answer.coverage.stale

    assert stale("Multan", date(2025, 10, 21)) == ({False}, False)  # before its review day
    # past it, in a place nobody monitors: stale
    assert stale("Multan", date(2026, 11, 26)) == ({True}, False)
    # in Lahore, whose orders were looked for through 2 June 2026, the order was reviewed then;
    # it is the check of Lahore that is past its own review now
    assert stale("Lahore", date(2026, 11, 26)) == ({False}, True)
    # as of 1 December 2025 the check had reached that day, after the order's review
    assert stale("Lahore", date(2025, 12, 1)) == ({False}, False)


def test_instant_question_has_no_changes_and_range_lists_starts_and_ends(bundled: RuleSet) -> None:
    assert ask(bundled, "Quetta", at="2026-02-10T12:00").changes == []
    answer = ask(bundled, "Quetta", span=("2026-02-25", "2026-03-05"))
    ends = {c.restriction for c in answer.changes if c.event == "ends"}
    assert f"{FEB}/weapons" in ends


@pytest.mark.parametrize(
    ("on", "present"),
    [("2026-03-05", True), ("2026-03-06", False), ("2026-03-09", False), ("2026-03-10", True),
     ("2026-03-20", True), ("2026-03-21", False)],
)  # fmt: skip
def test_extension_announced_after_a_lapse_renews_from_its_announcement(
    amended: RuleSet, on: str, present: bool
) -> None:
    assert bool(ids(ask(amended, "PK-BA", on=on), "lapsed-implicit")) is present


def test_amendment_carries_its_own_sources_and_review_date(amended: RuleSet) -> None:
    renewed = next(
        r
        for r in ask(amended, "PK-BA", on="2026-03-12").restrictions
        if r.order == "lapsed-implicit"
    )
    (amendment,) = renewed.amendments
    assert [s.id for s in amendment.sources] == ["second-source"]
    assert amendment.verification == "reported"
    assert renewed.review_by is not None and renewed.review_by.isoformat() == "2026-03-21"


def test_revocation_is_listed_as_a_change_of_the_range(amended: RuleSet) -> None:
    answer = ask(amended, "PK-BA", span=("2026-03-01", "2026-03-31"))
    revoked = [c for c in answer.changes if c.restriction == "revoked/weapons"]
    assert [(c.event, c.summary) for c in revoked] == [
        ("amended", "revoked on 3 Mar 2026 (announced 3 Mar 2026)")
    ]
    assert not ask(amended, "PK-SD", span=("2026-03-01", "2026-03-31")).changes


def test_change_labels_fall_back_to_the_kind_label(amended: RuleSet) -> None:
    answer = ask(amended, "PK-BA", span=("2026-03-01", "2026-03-31"))
    labels = {c.label for c in answer.changes if c.restriction.startswith("extended/")}
    assert labels == {"Display or use of weapons"}


def test_asking_again_answers_alike_and_no_answer_changes_another(amended: RuleSet) -> None:
    """One Evaluator's answers share their question-independent parts (evaluation/parts.py)
    but not their lists; the RuleSet is left as it was."""
    before = pickle.dumps(amended)
    evaluator = Evaluator(amended)
    first = ask(evaluator, "PK-BA", span=("2026-02-01", "2026-03-31"))
    again = to_json(ask(evaluator, "PK-BA", span=("2026-02-01", "2026-03-31")))
    assert to_json(first) == again
    amendments = [a for r in first.restrictions for a in r.amendments]
    assert amendments and any(a.sources for a in amendments)
    for restriction in first.restrictions:  # a careless caller edits its answer
        restriction.sources.clear()
        restriction.windows.clear()
        restriction.exemptions.clear()
        for amendment in restriction.amendments:
            amendment.sources.clear()
        restriction.amendments.clear()
    assert to_json(ask(evaluator, "PK-BA", span=("2026-02-01", "2026-03-31"))) == again
    assert pickle.dumps(amended) == before


def test_restrictions_added_at_one_instant_keep_the_offset_each_was_written_with() -> None:
    """timeline.py shares periods between restrictions added alike: not across offsets."""
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml",
        FIXTURES / "valid" / "same-instant-two-offsets.yaml",
    )
    answer = ask(rules, "PK-BA", span=("2026-03-01", "2026-03-31"))
    starts = {r.id: r.start.isoformat() for r in answer.restrictions}
    assert starts["changing/tint"] == "2026-03-10T00:00:00+05:00"
    assert starts["changing/gathering"] == "2026-03-09T19:00:00+00:00"
    periods = {r.id: [p.start.isoformat() for p in r.periods] for r in answer.restrictions}
    assert periods["changing/gathering"] == ["2026-03-09T19:00:00+00:00"]


def test_a_restriction_added_later_has_no_history_from_before_it_existed() -> None:
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "added-after-extension.yaml"
    )
    answer = ask(rules, "PK-BA", span=("2026-08-10", "2026-09-10"))
    history = {r.id: [a.id for a in r.amendments] for r in answer.restrictions}
    assert history == {
        "summer/weapons": ["summer-extended"],
        "summer/gatherings": ["gatherings-added"],
    }
    changed = {(c.restriction, c.event) for c in answer.changes if c.event == "amended"}
    assert ("summer/gatherings", "amended") in changed  # its own addition
    summaries = [c.summary for c in answer.changes if c.restriction == "summer/gatherings"]
    assert not any("extended" in s for s in summaries)


def test_start_and_end_describe_one_run_across_a_change_of_scope(amended: RuleSet) -> None:
    """Narrowed to Quetta on 21 Mar: asked about Quetta after that, the weapons ban has held
    there since 1 Mar, through the change of scope, until the order ends."""
    answer = ask(amended, "Quetta", span=("2026-03-25", "2026-03-26"))
    weapons = next(r for r in answer.restrictions if r.id == "changing/weapons")
    assert weapons.start.isoformat() == "2026-03-01T00:00:00+05:00"
    assert weapons.end is not None and weapons.end.isoformat() == "2026-04-01T00:00:00+05:00"
    assert [p.matched_region for p in weapons.periods] == ["PK-BA", "PK-BA-QUETTA"]


@pytest.mark.parametrize(
    ("at", "in_force"),
    [
        ("2025-07-06T12:59", set()),
        ("2025-07-06T13:00", {"muharram/pillion"}),
        ("2025-07-06T21:59", {"muharram/pillion"}),
        ("2025-07-06T22:00", set()),
        ("2025-07-13T14:00", set()),  # the same weekday a week later: dates, not weekdays
        ("2025-07-05T20:00", {"muharram/nights"}),
        ("2025-07-06T01:59", {"muharram/nights"}),  # the night of the 5th, past midnight
        ("2025-07-06T20:30", {"muharram/pillion"}),  # the nights ban skips the 6th
        ("2025-07-08T01:00", {"muharram/nights"}),
    ],
)
def test_windows_on_given_dates(at: str, in_force: set[str]) -> None:
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "dated-windows.yaml"
    )
    assert ids(ask(rules, "PK-BA", at=at)) == in_force


def test_dated_windows_read_as_dates() -> None:
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "dated-windows.yaml"
    )
    windows = {
        r.id: r.windows for r in ask(rules, "PK-BA", span=("2025-07-01", "2025-07-31")).restrictions
    }
    assert windows["muharram/pillion"] == ["13:00–22:00 on 6 Jul 2025"]
    assert windows["muharram/nights"] == ["20:00–02:00 on 5 Jul 2025, 7 Jul 2025"]


def test_an_end_tied_to_an_event_is_shown_as_assumed() -> None:
    rules = load_rules(
        ROOT / "rules" / "PK" / "gazetteer.yaml", FIXTURES / "valid" / "event-end.yaml"
    )
    (pillion,) = ask(rules, "PK-BA", on="2025-07-06").restrictions
    assert pillion.end is not None and pillion.end.isoformat() == "2025-07-07T00:00:00+05:00"
    assert pillion.end_event == "until the processions end"
    assert pillion.end_assumption is not None and "10th of Muharram" in pillion.end_assumption
    assert pillion.as_written == "from Muharram 9 until the processions of Muharram 10 end"
    assert "(assumed; the order says “until the processions end”)" in pillion.explanation
    assert ask(rules, "PK-BA", at="2025-07-07T00:00").restrictions == []
    text = " ".join(render_answer(ask(rules, "PK-BA", on="2025-07-06")).split())
    assert "until end of 6 Jul 2025 (assumed; the order says “until the processions end”)" in text


def test_working_out_every_restriction_first_changes_no_answer(bundled: RuleSet) -> None:
    """A service works out every restriction's parts before it answers; the answers are the
    ones worked out on demand, and no question then needs a part worked out."""
    ready = Evaluator(bundled)
    ready.work_out_all()
    worked = (len(ready._parts), len(ready._modified_parts))
    versions = sum(len(t.versions) for t in bundled.timelines)
    assert worked == (len(bundled.timelines), versions)
    for place, day in [
        ("Quetta", "2026-02-10"),
        ("PK-BA", "2025-08-20"),
        ("Karachi", "2025-06-01"),
    ]:
        when = read_when(on=day, now=datetime.now(UTC))
        as_of = date(2026, 11, 1)
        assert to_json(ready.ask(place, when, as_of)) == to_json(
            Evaluator(bundled).ask(place, when, as_of)
        )
    assert (len(ready._parts), len(ready._modified_parts)) == worked
