"""Text from the rules as XML 1.0 and iCalendar (RFC 5545) TEXT can hold it.

A YAML escape lets any character into analyst text: "\\x01" in a title is U+0001, which
XML 1.0 cannot hold (feed readers then refuse the whole document) and RFC 5545 forbids in
TEXT. Every XML and iCalendar writer passes text through `writable` before writing it.
"""

from __future__ import annotations

import re

# Control characters (C0 but the tab and the newline, DEL, C1), lone surrogates (which
# UTF-8 cannot encode) and the two non-characters XML excludes.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")


def writable(text: str) -> str:
    """`text` with its line breaks as newlines and without the characters above: the
    visible text is kept as it was."""
    return _UNWRITABLE.sub("", _LINE_BREAK.sub("\n", text))
