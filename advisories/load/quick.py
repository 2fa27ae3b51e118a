"""The quick reader: a document's values straight from parser events, with where each
top-level entry was written; anything that needs a message is left to the careful reader.

In C over libyaml (_quickyaml.c) where it was built, else `_EventBuilder` in Python, which
gives the same values and stays as the reference for the C one.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from advisories.load.scalars import (
    CLAIMED_FIRSTS,
    MAX_DEPTH,
    MERGE,
    STR,
    Loader,
    Refused,
    plain_tag,
    scalar_value,
)
from advisories.model.parsed import NodePath, Positions

compiled_document: Callable[..., tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]] | None
try:  # built by `pip install` where gcc and libyaml's headers are, as the Makefile sees to
    from advisories.load._quickyaml import document as compiled_document
except ImportError:  # elsewhere _EventBuilder gives the same, several times slower
    compiled_document = None
_Model = typing.TypeVar("_Model", bound=BaseModel)


def quick_document(
    text: str, path: str, model: type[_Model], complete: Callable[[], Positions]
) -> tuple[_Model, Positions] | None:
    """The document when nothing in it needs a message, else None.

    Builds values straight from parser events and notes only where top-level entries were
    written, much faster than composing a node tree and walking it; any doubt
    (syntax, a YAML 1.1 trap, a field pydantic refuses) returns None and the careful reader
    explains it. `complete` finds every value's place, should a message later need one.
    """
    try:
        value, marks = quick_values(text)
        document = model.model_validate(value)
    except (NeedsCare, yaml.YAMLError, ValidationError, UnicodeDecodeError):
        return None  # the last: a %-escaped tag that is not UTF-8
    return document, Positions(path, marks, complete=complete)


def quick_values(text: str) -> tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]:
    """The document's values and its entries' places; raises NeedsCare if it needs care."""
    if compiled_document is None:
        return _EventBuilder(text).document()
    return compiled_document(text, _event_scalar, NeedsCare, CLAIMED_FIRSTS, MAX_DEPTH)


class NeedsCare(Exception):
    """Something in the document that the careful path must explain."""


class _EventBuilder:
    """Plain values straight from parser events, with where each top-level entry was written.

    Refuses, by raising NeedsCare, everything the careful builder would refuse; marks are
    kept for paths of at most two parts (a section, and an entry of it).
    """

    def __init__(self, text: str) -> None:
        self._next_event = Loader(text).get_event
        self.marks: dict[NodePath, tuple[int, int]] = {}

    def document(self) -> tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]:
        self._next_event()  # stream start
        event = self._next_event()
        if isinstance(event, yaml.StreamEndEvent):
            return {}, self.marks
        value = self._value(self._next_event(), 0, ())  # after the document start
        self._next_event()  # document end
        if not isinstance(self._next_event(), yaml.StreamEndEvent) or not isinstance(value, dict):
            raise NeedsCare  # a second document, or not a mapping
        return value, self.marks

    def _value(self, event: Any, depth: int, at: NodePath | None) -> Any:
        if depth > MAX_DEPTH:
            raise NeedsCare
        if event.anchor is not None:
            raise NeedsCare  # harmless alone, but the careful path checks them
        if at is not None and at not in self.marks:
            self.marks[at] = (event.start_mark.line + 1, event.start_mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.MappingStartEvent:
            return self._mapping(depth, at)
        if kind is yaml.SequenceStartEvent:
            return self._sequence(depth, at)
        raise NeedsCare  # an alias

    # Below, a plain scalar that needs no mark is read in place, without _value: most values
    # are such scalars, and the call was an eighth of this builder's time.

    def _sequence(self, depth: int, at: NodePath | None) -> list[Any]:
        items: list[Any] = []
        next_event, scalar = self._next_event, self._scalar
        marked = at is not None and len(at) < 2
        while (kind := type(event := next_event())) is not yaml.SequenceEndEvent:
            if kind is yaml.ScalarEvent and not marked and depth < MAX_DEPTH:
                if event.anchor is not None:
                    raise NeedsCare
                items.append(scalar(event))
            else:
                inner = (*at, len(items)) if marked and at is not None else None
                items.append(self._value(event, depth + 1, inner))
        return items

    def _mapping(self, depth: int, at: NodePath | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        next_event, scalar = self._next_event, self._scalar
        marked = at is not None and len(at) < 2
        while (kind := type(event := next_event())) is not yaml.MappingEndEvent:
            if kind is not yaml.ScalarEvent or event.anchor is not None:
                raise NeedsCare
            key = scalar(event)
            if type(key) is not str or key in result:
                raise NeedsCare
            value = next_event()
            if marked and at is not None:
                inner = (*at, key)
                self.marks[inner] = (event.start_mark.line + 1, event.start_mark.column + 1)
                result[key] = self._value(value, depth + 1, inner)
            elif type(value) is yaml.ScalarEvent and depth < MAX_DEPTH:
                if value.anchor is not None:
                    raise NeedsCare
                result[key] = scalar(value)
            else:
                result[key] = self._value(value, depth + 1, None)
        return result

    @staticmethod
    def _scalar(event: Any) -> Any:
        return _event_scalar(event.tag, event.value, event.implicit[0], event.style in (None, ""))


def _event_scalar(tag: str | None, text: str, implicit: bool, plain: bool) -> Any:
    """A scalar event's value; raises NeedsCare for anything the careful path refuses.

    `implicit`: untagged and plain (so YAML 1.1 may read it as a number, date, ...); `plain`:
    written without quotes.
    """
    if tag is None or tag == "!":
        if not implicit:
            return text  # quoted: always text
        tag = plain_tag(text)
        if tag == STR:
            return text
        if tag == MERGE:
            raise NeedsCare
    value = scalar_value(tag, text, plain)
    if isinstance(value, Refused):
        raise NeedsCare
    return value
