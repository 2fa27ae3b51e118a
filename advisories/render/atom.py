"""The changes of a Selection as an Atom feed (RFC 4287), for feed readers and alert hubs.

Everything in it comes from the rules: entry ids are UUIDs named by what the change is (the
same change keeps its id in every export), and `updated` is the day a change was recorded or
the instant it happened, or (no change) the last day the rules record anything on; never the
clock, so the same rules give the same bytes. render/feedxml.py writes the Atom itself.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time

from advisories.evaluation.changes import ChangesReport, RuleChange, changes_report
from advisories.evaluation.selection import Selection
from advisories.render.changes import change_line, coverage_said
from advisories.render.feedxml import add_empty, add_text, atom_entry, atom_feed, xml_document

# Names this tool's feed and entry ids (uuid5): fixed for good, or every reader sees new entries.
_NAMESPACE = uuid.UUID("5f0c6a52-8a57-4d5e-9a51-0d6c2f4d7a13")


def changes_feed(selection: Selection, self_url: str | None = None) -> bytes:
    """The feed of what happened to the selected orders over the selection's days (all of
    them when it has none) up to the day the rules are known on; newest first."""
    span = selection.span
    days = span.local_days() if span is not None else (None, None)
    report = changes_report(selection, *days)
    return _feed(report, selection.rules.last_known, self_url)


def _feed(report: ChangesReport, last_known: date, self_url: str | None) -> bytes:
    where = f"{report.region.name} ({report.region.code})" if report.region else "everywhere"
    place = report.region.name if report.region else ""
    latest = max((_updated(c) for c in report.changes), default=None)
    feed = atom_feed(
        _urn(f"feed/{report.region.code if report.region else '*'}"),
        f"Restriction changes: {where}",
        f"{coverage_said(report.coverage, place)} Rules {report.rules_version}.",
        latest or datetime.combine(last_known, time(), UTC),
        self_url,
    )
    for change in report.changes:
        _entry(feed, change)
    return xml_document(feed)


def _entry(feed: ET.Element, change: RuleChange) -> None:
    entry = atom_entry(
        feed,
        _urn(change.id),
        f"{change.event.capitalize()}: {change.order_title}",
        _updated(change),
    )
    add_empty(entry, "category", term=change.event)
    for source in change.sources:
        if source.url:
            title = f"{source.publisher}: {source.title}"
            add_empty(entry, "link", rel="related", href=source.url, title=title)
    cited = "; ".join(f"{s.publisher}, {s.title}" for s in change.sources)
    add_text(entry, "summary", change_line(change))
    add_text(entry, "content", f"{change_line(change)}\nRegions: {', '.join(change.regions)}."
                               f"\nSources: {cited}.")  # fmt: skip


def _updated(change: RuleChange) -> datetime:
    """News is updated the day it was recorded; what follows from dates, when it happens."""
    if change.event in ("starts", "ends"):
        return change.at
    return datetime.combine(change.recorded, time(), change.at.tzinfo)


def _urn(name: str) -> str:
    return uuid.uuid5(_NAMESPACE, name).urn
