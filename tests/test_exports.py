"""`advisory export` as JSON, CSV and Atom, and `advisory changes`: what a spreadsheet, a
program or a feed reader gets, checked against what `check` answers."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import feedparser
from click.testing import CliRunner

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.changes import rule_changes
from advisories.evaluation.intervals import intervals
from advisories.evaluation.query import days_query
from advisories.evaluation.selection import select
from advisories.load.tree import load_rules
from advisories.render.exports import EXPORTS, ExportOptions
from tests.conftest import FIXTURES, ROOT, ask

FEBRUARY = ("--from", "2026-02-01", "--to", "2026-02-28", "--as-of", "2026-02-10")
INTERNET = "pk-ba-2026-01-mobile-internet"
SECTION_144 = "pk-ba-2026-02-s144"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout_bytes, result.stderr


def test_json_export_gives_the_intervals_check_gives(bundled: RuleSet) -> None:
    code, out, _ = run("export", "--format", "json", "Quetta", *FEBRUARY)
    assert code == 0
    document = json.loads(out)
    answer = ask(bundled, "Quetta", span=("2026-02-01", "2026-02-28"), as_of=date(2026, 2, 10))
    expected = {(r.id, p.start.isoformat(), p.end and p.end.isoformat())
                for r in answer.restrictions for p in r.periods}  # fmt: skip
    got = {(i["id"], i["start"], i["end"]) for i in document["intervals"]}
    assert got == expected
    assert document["coverage"] == {"PK-BA-QUETTA-QUETTA": "monitored"}
    weapons = next(i for i in document["intervals"] if i["id"] == f"{SECTION_144}/weapons")
    assert weapons["start"] == "2026-02-01T00:00:00+05:00"
    assert weapons["end"] == "2026-03-01T00:00:00+05:00"
    assert weapons["relation"] == "contains" and weapons["matched_region"] == "PK-BA"


def test_csv_opens_as_a_table_with_one_row_per_interval() -> None:
    code, out, _ = run("export", "--format", "csv", "Quetta", *FEBRUARY)
    assert code == 0 and not out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id[f"{SECTION_144}/pillion-riding"]["label"] == "Pillion riding on motorcycles"
    assert by_id[f"{SECTION_144}/pillion-riding"]["end"] == "2026-03-01T00:00:00+05:00"
    assert by_id[f"{INTERNET}/mobile-internet"]["end"] == "2026-02-06T00:00:00+05:00"
    assert all(r["coverage"] == "monitored" for r in rows)
    code, excel, _ = run("export", "--format", "csv", "--excel", "Quetta", *FEBRUARY)
    assert excel == b"\xef\xbb\xbf" + out


def test_a_place_nobody_monitors_gets_a_row_that_says_so() -> None:
    code, out, _ = run("export", "--format", "csv", "Paris", "--on", "2026-02-10")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out.decode()))
    assert row["status"] == "none_recorded" and row["coverage"] == "not_monitored"
    assert "nobody monitors this region" in row["text"]
    code, out, _ = run("export", "--format", "json", "Paris", "--on", "2026-02-10")
    assert json.loads(out)["coverage"] == {"FR-75C": "not_monitored"}


def test_everywhere_lists_each_interval_once_per_region_an_order_names() -> None:
    code, out, _ = run("export", "--format", "json", *FEBRUARY)
    assert code == 0
    intervals = json.loads(out)["intervals"]
    keys = [(i["id"], i["region"], i["start"]) for i in intervals]
    assert len(keys) == len(set(keys))
    assert all(i["relation"] == "same" and i["region"] == i["matched_region"] for i in intervals)
    regions = {i["region"] for i in intervals if i["order"] == SECTION_144}
    assert regions == {"PK-BA"}


def test_exports_are_byte_identical_and_written_atomically(tmp_path: Path) -> None:
    for fmt in ("json", "csv", "atom"):
        target = tmp_path / f"out.{fmt}"
        assert run("export", "--format", fmt, "Quetta", *FEBRUARY, "-o", str(target))[0] == 0
        again = run("export", "--format", fmt, "Quetta", *FEBRUARY)[1]
        assert target.read_bytes() == again
    code, _, err = run("export", "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert code != 0 and "does not exist" in err


def test_changes_in_quetta_count_the_internet_restored_there() -> None:
    code, out, _ = run("changes", "Quetta", "--from", "2026-01-30", "--to", "2026-02-15",
                       "--as-of", "2026-03-10", "--format", "json")  # fmt: skip
    assert code == 0
    changes = json.loads(out)["changes"]
    events = {(c["order"], c["event"], c["at"][:10]) for c in changes}
    assert (INTERNET, "issued", "2026-01-31") in events
    assert (INTERNET, "starts", "2026-01-31") in events
    assert (INTERNET, "amended", "2026-02-05") in events  # the scope change, as announced
    assert (INTERNET, "ends", "2026-02-06") in events  # for Quetta: it left the scope
    assert (INTERNET, "stale", "2026-02-14") in events  # the day after its review
    assert (SECTION_144, "issued", "2026-02-01") in events
    assert [c["at"] for c in changes] == sorted((c["at"] for c in changes), reverse=True)


def test_changes_everywhere_do_not_count_a_scope_change_as_an_end(bundled: RuleSet) -> None:
    selection = select(bundled, None, None, date(2026, 3, 10))
    found = {(c.order, c.event, c.at.date().isoformat())
             for c in rule_changes(selection, date(2026, 1, 30), date(2026, 2, 15))}  # fmt: skip
    assert (INTERNET, "amended", "2026-02-05") in found
    assert (INTERNET, "ends", "2026-02-06") not in found


def test_changes_stop_at_the_day_the_rules_are_known_on(bundled: RuleSet) -> None:
    selection = select(bundled, bundled.gazetteer.resolve("Quetta"), None, date(2026, 2, 3))
    found = rule_changes(selection, date(2026, 1, 1), None)
    assert found and all(c.at.date() <= date(2026, 2, 3) for c in found)
    assert not any(c.event == "stale" and c.order == INTERNET for c in found)


def test_changes_where_nobody_monitors_say_so() -> None:
    code, out, _ = run("changes", "Paris", "--since", "2026-01-01", "--as-of", "2026-03-01")
    assert code == 0
    text = out.decode()
    assert "not monitored" in text and "No change recorded" in text


def test_changes_need_days() -> None:
    code, _, err = run("changes", "Quetta")
    assert code == 2 and "--since" in err
    code, _, err = run("changes", "Quetta", "--from", "2026-02-10", "--to", "2026-02-01")
    assert code == 2 and "before it starts" in err
    code, _, err = run("changes", "Quetta", "--since", "2026-12-01", "--as-of", "2026-11-01")
    assert code == 2 and "after the rules are known" in err and "--as-of" in err


def test_atom_feed_parses_and_keeps_its_ids_when_another_file_changes(tmp_path: Path) -> None:
    code, first, _ = run("export", "--format", "atom", "Quetta", *FEBRUARY)
    feed = feedparser.parse(first)
    assert code == 0 and not feed.bozo
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Issued: Month-long Section 144") for t in titles)
    assert feed.feed.updated == max(e.updated for e in feed.entries)
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    sindh = rules / "PK" / "SD" / "2025.yaml"
    text = sindh.read_text()
    sindh.write_text(text.replace("Daytime ban on heavy vehicles", "Day-time ban on heavy lorries"))
    code, second, _ = run("export", "--format", "atom", "Quetta", *FEBRUARY, "--rules", str(rules))
    again = feedparser.parse(second)
    assert code == 0 and not again.bozo
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]
    assert [e.updated for e in again.entries] == [e.updated for e in feed.entries]


def test_atom_feed_of_one_day_span_reads_its_days(bundled: RuleSet) -> None:
    region = bundled.gazetteer.resolve("Quetta")
    span = days_query(date(2026, 2, 6), date(2026, 2, 6), "Asia/Karachi")
    found = rule_changes(select(bundled, region, span, date(2026, 3, 1)), *span.local_days())
    assert {(c.order, c.event) for c in found} == {(INTERNET, "ends")}


def test_an_order_that_excludes_a_place_is_not_that_places_news(bundled: RuleSet) -> None:
    outside = "pk-ba-2025-11-mobile-internet"  # Balochistan except Quetta
    days = ("--from", "2025-11-10", "--to", "2025-11-20", "--as-of", "2026-03-10")
    code, quetta, _ = run("changes", "Quetta", *days, "--format", "json")
    assert code == 0 and outside not in {c["order"] for c in json.loads(quetta)["changes"]}
    code, turbat, _ = run("changes", "PK-BA", *days, "--format", "json")
    assert outside in {c["order"] for c in json.loads(turbat)["changes"]}
    code, alerts, _ = run("export", "--format", "cap", "Quetta", *days)
    assert code == 0 and outside.encode() not in alerts


def test_a_ranged_export_still_cancels_what_was_revoked_before_it(amended: RuleSet) -> None:
    region = amended.gazetteer.resolve("Quetta")
    span = days_query(date(2026, 3, 10), date(2026, 3, 20), "Asia/Karachi")
    selection = select(amended, region, span, date(2026, 4, 30))
    assert "revoked" in {o.id for o in selection.orders}  # revoked on 3 March, for March
    calendar = EXPORTS["ics"].render(selection, ExportOptions()).decode()
    event = next(e for e in calendar.split("BEGIN:VEVENT")[1:] if "UID:revoked/" in e)
    assert "STATUS:CANCELLED" in event
    alerts = EXPORTS["cap"].render(selection, ExportOptions()).decode()
    assert "<msgType>Cancel</msgType>" in alerts and "alert:revoked" in alerts


def test_the_feed_of_some_days_has_their_news_of_later_orders(bundled: RuleSet) -> None:
    days = ("--from", "2026-05-20", "--to", "2026-05-21", "--as-of", "2026-06-30")
    code, listed, _ = run("changes", "Lahore", *days, "--format", "json")
    news = [c for c in json.loads(listed)["changes"] if c["event"] == "issued"]
    assert code == 0 and news  # announced in these days, in force from a later one
    code, feed, _ = run("export", "--format", "atom", "Lahore", *days)
    titles = [e.title for e in feedparser.parse(feed).entries]
    assert [f"Issued: {c['order_title']}" for c in news] == [
        t for t in titles if t.startswith("Issued: ")
    ]


WRITTEN_IN_UTC = """\
sources:
  - {id: notice, title: Test notification, publisher: Test authority, url: https://example.org/n}
orders:
  - id: evening
    title: Evening order
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {start: "START", last_day: 2026-03-10}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
"""


def test_a_start_is_dated_in_the_orders_time_however_written(tmp_path: Path) -> None:
    found = []
    for start in ("2026-03-01T20:00:00+00:00", "2026-03-02T01:00:00+05:00"):
        orders = tmp_path / f"{start[11:13]}.yaml"
        orders.write_text(WRITTEN_IN_UTC.replace("START", start))
        rules = load_rules(ROOT / "rules" / "PK" / "gazetteer.yaml", orders)
        (starts,) = [c for c in rule_changes(select(rules, None, None, date(2026, 3, 31)))
                     if c.event == "starts"]  # fmt: skip
        assert starts.at.date() == date(2026, 3, 2)  # 01:00 in Quetta
        found.append(starts.id)
    assert found[0] == found[1]  # the same instant, the same id


MOVED = """
amendments:
  - id: moved-to-gwadar
    order: unknown-contents
    action: change_scope
    announced: 2026-05-04
    effective_day: 2026-05-05
    regions: [PK-BA-GWADAR]
    sources: [brief-report]
    verification: reported
"""


def test_an_unreported_order_moved_by_an_amendment_is_a_row_where_it_moved(
    tmp_path: Path,
) -> None:
    orders = tmp_path / "orders.yaml"
    orders.write_text((FIXTURES / "valid" / "contents-not-reported.yaml").read_text() + MOVED)
    gazetteer = str(ROOT / "rules" / "PK" / "gazetteer.yaml")
    rules = ("--rules", gazetteer, "--rules", str(orders))
    code, out, err = run("export", "--format", "json", "Gwadar", "--on", "2026-05-06",
                         "--as-of", "2026-05-30", *rules)  # fmt: skip
    assert code == 0, err
    rows = {i["id"]: i for i in json.loads(out)["intervals"]}
    moved = rows["unknown-contents/contents-not-reported"]
    assert moved["matched_region"] == "PK-BA-GWADAR"  # the district, which holds the town
    assert moved["relation"] == "contains"


def test_rows_say_why_an_interval_ends_and_what_was_revoked(amended: RuleSet) -> None:
    region = amended.gazetteer.resolve("PK-BA")
    span = days_query(date(2026, 3, 1), date(2026, 3, 31), "Asia/Karachi")
    found = intervals(select(amended, region, span, date(2026, 4, 30)))
    by_order = {(r.order, r.ended_by) for r in found.rows}
    assert ("lifted", "lifted") in by_order
    assert ("revoked", "revoked") in by_order
    revoked = next(r for r in found.rows if r.order == "revoked")
    assert revoked.status == "revoked" and revoked.amendments
    assert any(ended == "expired" for _, ended in by_order)


def test_export_options_that_cannot_apply_are_refused(tmp_path: Path) -> None:
    code, _, err = run("export", "--format", "json", "Quetta", "--tz", "Asia/Karachi")
    assert code == 2 and "--tz" in err and "--on" in err
    code, _, err = run("export", "--format", "ics", "--excel", "Quetta")
    assert code == 2 and "--excel is for the csv format only" in err
    code, _, err = run("export", "--format", "csv", "Quetta", "-o", str(tmp_path))
    assert code == 1 and f"{tmp_path / 'Quetta.csv'}" in err


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    orders = tmp_path / "orders.yaml"
    hostile = WRITTEN_IN_UTC.replace('"START"', "2026-03-02T01:00:00+05:00").replace(
        "restrictions: [{id: weapons, kind: weapons}]",
        "restrictions: [{id: weapons, kind: weapons, text: '=HYPERLINK(\"http://x\")'}]",
    )
    orders.write_text(hostile)
    rules = ("--rules", str(ROOT / "rules" / "PK" / "gazetteer.yaml"), "--rules", str(orders))
    code, out, err = run("export", "--format", "csv", "Quetta", *rules, "--as-of", "2026-03-31")
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(out.decode()))
    assert row["text"] == '\'=HYPERLINK("http://x")'


def test_an_all_time_export_still_lists_a_place_s_revoked_order(tmp_path: Path) -> None:
    orders = tmp_path / "orders.yaml"
    orders.write_text(
        WRITTEN_IN_UTC.replace('"START"', "2026-03-02T01:00:00+05:00")
        + """\
amendments:
  - id: withdrawn
    order: evening
    action: revoke
    announced: 2026-03-05
    sources: [notice]
    verification: official
"""
    )
    rules = load_rules(ROOT / "rules" / "PK" / "gazetteer.yaml", orders)
    region = rules.gazetteer.resolve("Quetta")
    found = intervals(select(rules, region, None, date(2026, 4, 30)))
    (row,) = found.rows  # the only order there: never in force, and said so
    assert (row.order, row.status, row.ended_by) == ("evening", "revoked", "revoked")
