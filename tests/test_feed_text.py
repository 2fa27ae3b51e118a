"""What the feeds and the calendar share: text they can hold, and one way to write Atom.

A YAML escape ("\\x01") puts into a title a character that XML 1.0 cannot hold and that
RFC 5545 forbids in TEXT: the Atom feed of changes, the CAP feed and the calendar each read
back by the tool their users use, with the visible text kept and only those characters gone.
Both Atom feeds are written alike, and from the rules alone: no clock, no package version.
"""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import feedparser
import icalendar
import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.selection import select
from advisories.load.tree import load_rules
from advisories.render.atom import changes_feed
from advisories.render.cap import cap_feed
from advisories.render.ics import selection_ics
from advisories.render.writable import writable
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"

AS_OF = date(2026, 3, 31)
# Every character XML 1.0 cannot hold or RFC 5545 TEXT forbids (but the tab and the newline).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# In YAML's double quotes, "\x01" is the character U+0001: the loader lets it through.
HOSTILE = r"""
sources:
  - id: notice
    title: "Notice\x07 of the\x1b authority"
    publisher: "Test\x02 publisher"
    url: https://example.org/notice
orders:
  - id: hostile-text
    title: "Lift\x01ed\x0b"
    authority: "Deputy\x0c Commissioner"
    announced: 2026-03-01
    timezone: Asia/Karachi
    regions: [PK-BA-QUETTA-QUETTA]
    validity: {first_day: 2026-03-01, last_day: 2026-03-10}
    note: "Seen\x7f at the\r checkpoint\x85"
    sources: [notice]
    verification: official
    restrictions: [{id: weapons, kind: weapons, text: "No\x1f weapons\x00 shown"}]
amendments:
  - id: extended
    order: hostile-text
    action: extend
    announced: 2026-03-05
    last_day: 2026-03-20
    note: "Renewed\x08 for ten days"
    sources: [notice]
    verification: official
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    folder = tmp_path_factory.mktemp("hostile-text")
    (folder / "orders.yaml").write_text(HOSTILE, "utf-8")
    return load_rules(ROOT / "rules" / "PK" / "gazetteer.yaml", folder / "orders.yaml")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Lift\x01ed\x0b", "Lifted"),
        ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
        ("Windows\r\nline, old Mac\rline", "Windows\nline, old Mac\nline"),
        ("delete\x7f, next line\x85, escape\x1b, null\x00", "delete, next line, escape, null"),
        ("Kābul, کوئٹہ, 🚧", "Kābul, کوئٹہ, 🚧"),
        ("lone surrogate \ud800, not a character \ufffe", "lone surrogate , not a character "),
    ],
)
def test_writable_keeps_the_visible_text_only(text: str, written: str) -> None:
    assert writable(text) == written


def test_the_atom_feed_of_changes_reads_without_bozo(hostile: RuleSet) -> None:
    data = changes_feed(select(hostile, None, None, AS_OF))
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert not CONTROL.search(data.decode())
    titles = {entry.title for entry in parsed.entries}
    assert {"Issued: Lifted", "Extended: Lifted"} <= titles
    issued = next(e for e in parsed.entries if e.title == "Issued: Lifted")
    assert "issued by Deputy Commissioner" in issued.summary
    assert "Test publisher, Notice of the authority" in issued.content[0].value


def test_the_cap_feed_reads_without_bozo(hostile: RuleSet) -> None:
    data = cap_feed(select(hostile, None, None, AS_OF))
    assert not feedparser.parse(data).bozo
    text = data.decode()
    assert not CONTROL.search(text)
    for said in ("<headline>Lifted</headline>", "Note: Seen at the checkpoint.",
                 "Note: Renewed for ten days.", "No weapons shown."):  # fmt: skip
        assert said in text, said


def test_the_calendar_holds_no_control_character(hostile: RuleSet) -> None:
    data = selection_ics(select(hostile, None, None, AS_OF))
    # RFC 5545: lines end CRLF, and no other control character but the tab is written
    assert not CONTROL.search(data.decode().replace("\r\n", ""))
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert event.get("SUMMARY") == "Display or use of weapons — Quetta"
    description = str(event.get("DESCRIPTION"))
    for said in (
        "No weapons shown.",
        "Order hostile-text: Lifted.",
        "Issued by Deputy Commissioner",
        "Note: Seen at the\n checkpoint",
        "Notice of the authority (Test publisher",
    ):
        assert said in description, said


def _head(data: bytes) -> list[str]:
    """The tags of a feed's own elements, before its first entry."""
    root = ElementTree.fromstring(data)
    tags = [child.tag.removeprefix(ATOM) for child in root]
    return tags[: tags.index("entry")] if "entry" in tags else tags


def test_both_atom_feeds_are_written_alike(bundled: RuleSet) -> None:
    selection = select(bundled, bundled.gazetteer.resolve("Quetta"), None, AS_OF)
    changes, alerts = changes_feed(selection), cap_feed(selection)
    for data in (changes, alerts):
        assert data.startswith(
            b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        )
        assert _head(data) == ["id", "title", "subtitle", "updated", "author", "generator"]
        # no version: the bytes never depend on the package installed, nor need it installed
        assert b"<generator>advisories</generator>" in data
        assert not feedparser.parse(data).bozo
    linked = changes_feed(selection, "https://example.org/feeds/changes.atom")
    assert _head(linked)[-1] == "link"


@pytest.mark.parametrize("as_of", [date(2026, 12, 31), date(2027, 6, 30)])
def test_an_empty_feed_is_updated_when_the_rules_last_changed(
    bundled: RuleSet, as_of: date
) -> None:
    """Nothing recorded for the place: `updated` is the last day the rules record anything
    on, whatever the day asked, in both feeds."""
    for render in (changes_feed, cap_feed):
        data = render(select(bundled, bundled.gazetteer.resolve("France"), None, as_of))
        parsed = feedparser.parse(data)
        assert not parsed.entries
        assert parsed.feed.updated == f"{bundled.last_known}T00:00:00+00:00"
