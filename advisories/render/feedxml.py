"""XML as the feeds write it: elements of text, whole documents, and the Atom (RFC 4287)
feed and entries that the feed of changes (atom.py) and the CAP feed (cap.py) share.

Elements are named without a namespace and the root of a vocabulary carries its `xmlns`
(Atom's feed, CAP's alert inside an entry), so no prefix is ever registered globally and a
document reads the same whoever wrote before it. Everything comes from the caller: no clock,
no package version, so the same rules give the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from advisories.render.writable import writable

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
GENERATOR = "advisories"


def atom_feed(
    identifier: str, title: str, subtitle: str, updated: datetime, self_url: str | None = None
) -> ET.Element:
    """A feed's head: id, title, subtitle, updated, this tool as author and generator, and
    where the feed is served (when it is). Entries follow with `atom_entry`."""
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    add_text(feed, "id", identifier)
    add_text(feed, "title", title)
    add_text(feed, "subtitle", subtitle)
    add_text(feed, "updated", atom_time(updated))
    add_text(ET.SubElement(feed, "author"), "name", GENERATOR)
    add_text(feed, "generator", GENERATOR)
    if self_url is not None:
        add_empty(feed, "link", rel="self", href=self_url)
    return feed


def atom_entry(feed: ET.Element, identifier: str, title: str, updated: datetime) -> ET.Element:
    """An entry of the feed with its id, title and updated; the caller adds the rest."""
    entry = ET.SubElement(feed, "entry")
    add_text(entry, "id", identifier)
    add_text(entry, "title", title)
    add_text(entry, "updated", atom_time(updated))
    return entry


def add_empty(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element `tag` with no content, its attributes in the order given."""
    return ET.SubElement(parent, tag, {k: writable(v) for k, v in attributes.items()})


def add_text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """A child element `tag` holding `text` (markup in it is escaped when written)."""
    element = ET.SubElement(parent, tag)
    element.text = writable(text)
    return element


def atom_time(at: datetime) -> str:
    """RFC 3339, to the second, with the instant's own offset."""
    return at.replace(microsecond=0).isoformat()


def xml_document(element: ET.Element) -> bytes:
    """`element`, indented, as a UTF-8 XML document with its declaration, ending with a
    newline."""
    ET.indent(element)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
