"""How YAML 1.1 reads a scalar, and what we refuse of it: the rules both readers share.

YAML 1.1 quietly turns some text into something else: `20:00` into the number 1200, `NO` into
false, `2026-02-30` into an error deep inside the parser. `scalar_value` refuses each of those
with a message that says how to write it; the quick reader (quick.py) and the careful one
(reader.py) both ask it, so the rules live in one place.
"""

from __future__ import annotations

import re
import typing
from datetime import date, datetime
from typing import Any

import yaml

MAX_DEPTH = 32
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"
_BOOL_WORDS = {"true", "false"}

_DATE_SHAPE = re.compile(r"^\d{4}-\d\d?-\d\d?")


class Refused(typing.NamedTuple):
    message: str


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def scalar_value(tag: str, text: str, plain: bool) -> Any:
    """A scalar's value by its resolved tag, or Refused with what to write instead."""
    short = tag.removeprefix(TAG)
    if short == "str":
        return text
    if short == "null":
        return None
    if short == "bool":
        if plain and text.lower() not in _BOOL_WORDS:
            meaning = "true" if text.lower() in ("yes", "y", "on") else "false"
            return Refused(
                f"{text!r} is read by YAML as {meaning}; write true/false for a yes/no "
                f"field, or quote it ('{text}') if you mean the text"
            )
        return text.lower() == "true"
    if short not in ("int", "float", "timestamp"):
        return Refused(f"unsupported YAML type {tag!r}; write plain text")
    construct = _CONSTRUCTOR.yaml_constructors[tag]  # directly: construct_object keeps a memo
    try:
        value: float | date | datetime = construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (ValueError, AttributeError, TypeError) as error:  # the last two: another shape
        if short == "timestamp" and isinstance(error, ValueError) and _DATE_SHAPE.match(text):
            return Refused(f"{text} is not a date that exists ({error})")
        return Refused(f"{text!r} is not a valid {short}; drop the !!{short} tag or fix the value")
    if ":" in text and short != "timestamp":
        return Refused(
            f"{text} is read by YAML as the number {value} (base 60); quote times: '{text}'"
        )
    return value


# PyYAML's YAML 1.1 resolvers by a plain scalar's first character, each with the wildcard ones.
_WILDCARD = tuple(Loader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {
    first: (*found, *_WILDCARD)
    for first, found in Loader.yaml_implicit_resolvers.items()
    if first is not None
}
STR, MERGE = TAG + "str", TAG + "merge"
# For _quickyaml: a plain scalar starting with none of these is text (None: ask about every one).
CLAIMED_FIRSTS = None if _WILDCARD else "".join(first for first in _RESOLVERS if first)
assert CLAIMED_FIRSTS is None or CLAIMED_FIRSTS.isascii()


def plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar (as PyYAML's resolver does)."""
    for tag, pattern in _RESOLVERS.get(text[:1], _WILDCARD):
        if pattern.match(text):
            return typing.cast(str, tag)
    return STR
