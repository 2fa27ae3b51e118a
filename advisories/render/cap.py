"""CAP 1.2 (OASIS Common Alerting Protocol): one alert message for each announcement of an
order, each replacing the one before, and an Atom feed (RFC 4287) that carries them whole.

The order's issue is an Alert; each later amendment (and each correction of our record) is
an Update whose `references` names every earlier message of the order (CAP's
sender,identifier,sent); a revocation ends the chain with a Cancel. An order lifted early
ends with an Update whose responseType is AllClear and whose `expires` is the lift; one that
simply ran out says nothing more (its last message's `expires` has passed). Identifiers come
from the order's and the amendment's ids alone, so an order keeps them whatever else the
rules hold; times are the rules' own (capinfo.py says how the rest maps to CAP).

One CAP document holds one alert, so the export is an Atom feed whose entries each carry one
alert inline, newest first, as alert hubs read CAP feeds; `cap_alerts` gives each alert as a
document of its own, for serving one alert per address. Pure: a Selection in, bytes out,
elements and attributes always in one order.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, time

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import amendments_by_order
from advisories.evaluation.announcements import Announcement, announcements
from advisories.evaluation.coverage import coverage_of
from advisories.evaluation.selection import Selection, local_days
from advisories.model.time import format_day
from advisories.render.capinfo import cap_info, cap_time, label, sentence
from advisories.render.feedxml import add_empty, add_text, atom_entry, atom_feed, xml_document
from advisories.render.wording import coverage_words

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MEDIA_TYPE = "application/cap+xml"
# Who sends every message: this tool, the same on every machine (the authority that issued
# the order is the info's senderName). CAP wants a globally unique id without spaces or commas.
SENDER = "urn:advisories:sender"
_IDENTIFIERS = "urn:advisories:alert"


@dataclass(frozen=True)
class Message:
    """One CAP alert message of an order's chain."""

    identifier: str
    order: str
    index: int  # its place in the order's chain: 0 for the Alert
    sent: datetime
    title: str  # for a feed entry: the order's title and what the message changed
    alert: ET.Element


def cap_feed(selection: Selection) -> bytes:
    """An Atom feed of every message of the selected orders, newest first, each entry
    carrying its alert; the subtitle says whether anybody monitors the place."""
    found = messages(selection)
    newest = sorted(found, key=lambda m: (m.sent, m.order, m.index), reverse=True)
    last = selection.rules.last_known
    feed = atom_feed(
        _feed_id(selection),
        _feed_title(selection),
        _subtitle(selection, found),
        newest[0].sent if newest else datetime.combine(last, time(0), tzinfo=UTC),
    )
    for message in newest:
        entry = atom_entry(feed, message.identifier, message.title, message.sent)
        web = message.alert.findtext("info/web")
        if web is not None:
            add_empty(entry, "link", rel="related", href=web)
        add_text(entry, "summary", message.alert.findtext("info/description") or "")
        add_empty(entry, "content", type=CAP_MEDIA_TYPE).append(message.alert)
    return xml_document(feed)


def cap_alerts(selection: Selection) -> dict[str, bytes]:
    """Each message of the selected orders as a CAP document of its own, by identifier:
    one order's chain after another, by order id."""
    return {message.identifier: xml_document(message.alert) for message in messages(selection)}


def messages(selection: Selection) -> list[Message]:
    """The messages of every selected order, by order id, then as sent: the whole chain of
    each, so that no update is left without what it updates."""
    rules = selection.rules
    by_order = amendments_by_order(rules.amendments)
    found: list[Message] = []
    for order in selection.orders:
        fixes = [c for c in rules.corrections if c.order == order.id]
        earlier: list[str] = []
        for index, announced in enumerate(announcements(order, by_order.get(order.id, []), fixes)):
            message = _message(announced, index, earlier, rules)
            earlier.append(f"{SENDER},{message.identifier},{cap_time(message.sent)}")
            found.append(message)
    return found


def identifier(announced: Announcement) -> str:
    """'urn:advisories:alert:ORDER' for the issue, '...:ORDER:AMENDMENT' for an amendment,
    '...:ORDER:correction:CORRECTION' for a correction (ids are slugs, which hold no colon,
    so no two of these can be the same)."""
    base = f"{_IDENTIFIERS}:{announced.order.id}"
    if announced.amendment is not None:
        return f"{base}:{announced.amendment.id}"
    if announced.correction is not None:
        return f"{base}:correction:{announced.correction.id}"
    return base


def _message(announced: Announcement, index: int, earlier: list[str], rules: RuleSet) -> Message:
    a = announced
    msg_type = "Alert" if index == 0 else "Cancel" if a.action == "revoke" else "Update"
    key = identifier(a)
    change = _change(a, rules)
    alert = ET.Element("alert", {"xmlns": CAP_NAMESPACE})
    add_text(alert, "identifier", key)
    add_text(alert, "sender", SENDER)
    add_text(alert, "sent", cap_time(a.sent))
    add_text(alert, "status", "Actual")
    add_text(alert, "msgType", msg_type)
    add_text(alert, "scope", "Public")
    note = _note(a, change)
    if note is not None:
        add_text(alert, "note", note)
    if earlier:
        add_text(alert, "references", " ".join(earlier))
    add_text(alert, "incidents", a.order.id)  # collates the messages of one order
    alert.append(cap_info(a, change, rules))
    return Message(key, a.order.id, index, a.sent, _title(a, change, rules), alert)


def _change(a: Announcement, rules: RuleSet) -> str | None:
    """What the announcement changed, from the order's history; None for the issue."""
    said = [
        summary
        if restriction is None
        else f"{restriction.text or label(restriction, rules)}: {summary}"
        for restriction, summary in a.changes()
    ]
    return "; ".join(said) or None


def _title(a: Announcement, change: str | None, rules: RuleSet) -> str:
    """The order's title and, short, what the message changed."""
    if change is None:
        return a.order.title
    if a.correction is not None:
        return f"{a.order.title} — our record corrected"
    verb = _CHANGED.get(a.action)
    if verb is None:  # the order's history says it in a few words
        return f"{a.order.title} — {change}"
    labels = ", ".join(dict.fromkeys(label(r, rules) for r, _ in a.changes() if r is not None))
    return f"{a.order.title} — {verb}: {labels}"


_CHANGED = {"add_restriction": "added", "remove_restriction": "removed",
            "modify_restriction": "changed"}  # fmt: skip


def _note(a: Announcement, change: str | None) -> str | None:
    if change is None:
        return None
    if a.correction is not None:
        return f"Correction of our record of the order, not a change by its authority: {change}"
    if a.action == "revoke":
        return (
            f"Cancelled: the order was {change}, withdrawn as if it had never been issued; "
            "none of its restrictions apply."
        )
    return f"Update: {sentence(change)}"


def _feed_id(selection: Selection) -> str:
    """The same for the same place and days, whatever the rules say or the day asked."""
    where = selection.region.code if selection.region else "everywhere"
    span = selection.span
    if span is None:
        return f"urn:advisories:feed:cap:{where}"
    first, last = span.local_days()
    return f"urn:advisories:feed:cap:{where}:{first}:{last}"


def _feed_title(selection: Selection) -> str:
    where = selection.region.name if selection.region else "every place the rules record"
    span = selection.span
    if span is None:
        return f"Restriction alerts (CAP 1.2): {where}"
    first, last = span.local_days()
    return f"Restriction alerts (CAP 1.2): {where}, {format_day(first)} to {format_day(last)}"


def _subtitle(selection: Selection, found: list[Message]) -> str:
    """What the feed holds and how far the rules monitor its place, said first, so that an
    empty feed never reads as "nothing in force"."""
    orders = len({m.order for m in found})
    held = (
        f"{orders} order{'' if orders == 1 else 's'}, {len(found)} "
        f"message{'' if len(found) == 1 else 's'}, as known on {format_day(selection.as_of)} "
        f"(rules {selection.rules.version})."
    )
    region = selection.region
    if region is None:
        return f"{held} {_monitored(selection.rules)}"
    first, last = local_days(selection, selection.rules.gazetteer.timezone(region.code))
    coverage = coverage_of(selection.rules, region, first, last, selection.as_of)
    return f"{held} {coverage_words(coverage, region.name, bool(found))}"


def _monitored(rules: RuleSet) -> str:
    """Which places the rules monitor, for a feed of every place."""
    codes = dict.fromkeys(code for entry in rules.coverage for code in entry.regions)
    if not codes:
        return "These rules monitor no place: the absence of an alert means nothing anywhere."
    names = ", ".join(rules.gazetteer[code].name for code in codes)
    return (
        f"These rules monitor only {names} (see each place's coverage); elsewhere the absence "
        "of an alert means nothing."
    )
