"""The changes of a Selection as an Atom feed (RFC 4287), for feed readers and alert hubs.

Everything in it comes from the rules: entry ids are UUIDs named by what the change is (the
same change keeps its id in every export), and `updated` is the day a change was recorded or
the instant it happened, never the clock, so the same rules give the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from importlib.metadata import version
from xml.etree import ElementTree as ET

from advisories.evaluation.changes import ChangesReport, RuleChange, changes_report
from advisories.evaluation.selection import Selection
from advisories.render.changes import change_line, coverage_said
from advisories.render.writable import writable

ATOM = "http://www.w3.org/2005/Atom"
# Names this tool's feed and entry ids (uuid5): fixed for good, or every reader sees new entries.
_NAMESPACE = uuid.UUID("5f0c6a52-8a57-4d5e-9a51-0d6c2f4d7a13")


def changes_feed(selection: Selection, self_url: str | None = None) -> bytes:
    """The feed of what happened to the selected orders over the selection's days (all of
    them when it has none) up to the day the rules are known on; newest first."""
    span = selection.span
    days = span.local_days() if span is not None else (None, None)
    return feed_of(changes_report(selection, *days), self_url)


def feed_of(report: ChangesReport, self_url: str | None = None) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    where = f"{report.region.name} ({report.region.code})" if report.region else "everywhere"
    _text(feed, "id", _urn(f"feed/{report.region.code if report.region else '*'}"))
    _text(feed, "title", f"Restriction changes: {where}")
    place = report.region.name if report.region else ""
    _text(
        feed, "subtitle", f"{coverage_said(report.coverage, place)} Rules {report.rules_version}."
    )
    latest = max((_updated(c) for c in report.changes), default=None)
    _text(feed, "updated", _stamp(latest or datetime.combine(report.as_of, time(), UTC)))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "advisories")
    generator = _text(feed, "generator", "advisories")
    generator.set("version", version("advisories"))
    if self_url is not None:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    for change in report.changes:
        _entry(feed, change)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _entry(feed: ET.Element, change: RuleChange) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", _urn(change.id))
    _text(entry, "title", f"{change.event.capitalize()}: {change.order_title}")
    _text(entry, "updated", _stamp(_updated(change)))
    ET.SubElement(entry, f"{{{ATOM}}}category", term=change.event)
    for source in change.sources:
        if source.url:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=writable(source.url),
                          title=writable(f"{source.publisher}: {source.title}"))  # fmt: skip
    cited = "; ".join(f"{s.publisher}, {s.title}" for s in change.sources)
    _text(entry, "summary", change_line(change))
    _text(entry, "content", f"{change_line(change)}\nRegions: {', '.join(change.regions)}."
                            f"\nSources: {cited}.")  # fmt: skip


def _updated(change: RuleChange) -> datetime:
    """News is updated the day it was recorded; what follows from dates, when it happens."""
    if change.event in ("starts", "ends"):
        return change.at
    return datetime.combine(change.recorded, time(), change.at.tzinfo)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = writable(text)
    return element


def _stamp(at: datetime) -> str:
    return at.replace(microsecond=0).isoformat()


def _urn(name: str) -> str:
    return uuid.uuid5(_NAMESPACE, name).urn
