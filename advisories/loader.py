"""YAML rule files -> models, with the line and column of what a message is about; the only
yaml import.

YAML 1.1 quietly turns some text into something else: `20:00` into the number 1200, `NO` into
false, `2026-02-30` into an error deep inside the parser. We refuse each of those with a message
that says how to write it. A document is read twice at most: first quickly, straight from
parser events; if anything in it needs a message, again carefully, composing the node tree and
noting where every value was written. Only safe loading; aliases are refused before any tree is
built (they buy nothing in rule files and make alias bombs possible). Finding files, their size
limit and the cache are `tree.py`'s; checking a tree's files as one is `parsing.py`'s.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from advisories.errors import Location, Problem
from advisories.models import RuleFile
from advisories.ruleset import NodePath, ParsedFile, Positions

MAX_DEPTH = 32

_compiled_document: Callable[..., tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]] | None
try:  # built by `pip install` where gcc and libyaml's headers are, as the Makefile sees to
    from advisories._quickyaml import document as _compiled_document
except ImportError:  # elsewhere _EventBuilder gives the same, several times slower
    _compiled_document = None

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_BOOL_WORDS = {"true", "false"}
_Model = typing.TypeVar("_Model", bound=BaseModel)


def parse_rule_file(data: bytes, path: str) -> ParsedFile | list[Problem]:
    """Parse and validate one rule file's bytes: the file, or every problem found in it."""
    parsed = parse_document(data, path, RuleFile, shape="a rule file is a mapping of sections")
    if isinstance(parsed, list):
        return parsed
    rules, positions = parsed
    return ParsedFile(path, rules, positions)


def parse_document(
    data: bytes, path: str, model: type[_Model], shape: str = "expected a mapping of fields"
) -> tuple[_Model, Positions] | list[Problem]:
    """Parse one YAML document into `model`, with where each value was written, or the problems.

    Used for rule files, trip files and organisation files alike, so all get the same checks.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Problem(Location(path), f"not UTF-8 text (byte {error.start})")]
    quick = _quick_document(text, path, model)
    if quick is not None:
        return quick
    return _careful_document(text, path, model, shape)


def _quick_document(text: str, path: str, model: type[_Model]) -> tuple[_Model, Positions] | None:
    """The document when nothing in it needs a message, else None.

    Builds values straight from parser events and notes only where top-level entries were
    written, in about half the time of composing a node tree and walking it; any doubt
    (syntax, a YAML 1.1 trap, a field pydantic refuses) returns None and the careful path
    explains it.
    """
    try:
        value, marks = _quick_values(text)
        document = model.model_validate(value)
    except (_NeedsCare, yaml.YAMLError, ValidationError, UnicodeDecodeError):
        return None  # the last: a %-escaped tag that is not UTF-8
    return document, Positions(path, marks, complete=lambda: careful_positions(text, path))


def _quick_values(text: str) -> tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]:
    """The document's values and its entries' places; raises _NeedsCare if it needs care."""
    if _compiled_document is None:
        return _EventBuilder(text).document()
    return _compiled_document(text, _event_scalar, _NeedsCare, _CLAIMED_FIRSTS, MAX_DEPTH)


def careful_positions(source: str | bytes, path: str) -> Positions:
    """Where every value of a file that parsed cleanly before was written."""
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    builder = _Builder(path)
    root = yaml.compose(text, Loader=_Loader)
    if root is not None:
        builder.build(root, ())
    return builder.positions


def _careful_document(
    text: str, path: str, model: type[_Model], shape: str
) -> tuple[_Model, Positions] | list[Problem]:
    """Compose the node tree, note where every value was written, and explain each problem."""
    try:
        alias = _first_alias(text)
        if alias is not None:
            return [Problem(_location(path, alias), _NO_ALIASES)]
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"YAML syntax: {error.problem or error.context}"
        return [Problem(_location(path, mark), message, _SYNTAX_HINT)]
    except yaml.YAMLError as error:
        return [Problem(Location(path), f"YAML: {error}")]
    except UnicodeDecodeError:  # PyYAML decodes tags itself, and %-escapes can make any bytes
        return [Problem(Location(path), _TAG_NOT_TEXT, "write tags as plain text, or drop them")]
    builder = _Builder(path)
    value = {} if root is None else builder.build(root, ())
    if not isinstance(value, dict):
        where = _location(path, root.start_mark if root is not None else None)
        return [*builder.problems, Problem(where, shape)]
    try:
        document = model.model_validate(value)
    except ValidationError as error:
        # Values refused while building are None now: errors about them, or about the entry
        # that holds them ("give exactly one of ..."), would only repeat the first problem.
        found = [
            _explain(e, builder, path, model)
            for e in error.errors()
            if not any(_nested(tuple(e["loc"]), r) for r in builder.refused)
        ]
        return sorted([*builder.problems, *found], key=_line_order)
    if builder.problems:
        return builder.problems
    return document, builder.positions


_NO_ALIASES = "aliases (*name) are not allowed in rule files; write the value out"
_TAG_NOT_TEXT = "a tag (!...) here is not UTF-8 text once its %-escapes are read"
_SYNTAX_HINT = "check this line's indentation and quoting against the lines above"


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first alias is, found from parser events before any tree is built."""
    if "*" not in text:
        return None
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return typing.cast(yaml.Mark, event.start_mark)
    return None


def _nested(loc: NodePath, refused: NodePath) -> bool:
    """Whether one path lies inside (or is) the other, within the same list entry."""
    shorter = min(len(loc), len(refused))
    return loc[:shorter] == refused[:shorter] and shorter > 2


def _line_order(problem: Problem) -> tuple[int, int]:
    where = problem.where
    return (where.line or 0, where.column or 0) if where else (0, 0)


class _Builder:
    """Turns a composed node tree into plain Python values, noting where each value came from."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.positions = Positions(path)
        self.refused: list[NodePath] = []

    def build(self, node: yaml.Node, at: NodePath, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return self._refuse(node, at, f"nested deeper than {MAX_DEPTH} levels")
        self.positions.record(at, node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, at)

    def _mapping(self, node: yaml.MappingNode, at: NodePath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._refuse(key_node, at, "merge keys ('<<') are not allowed in rule files")
                continue
            key = self._scalar(key_node, at) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._refuse(key_node, at, "keys must be plain names; quote this key")
                continue
            line = key_node.start_mark.line + 1
            if key in first_seen:
                first = first_seen[key]
                self._refuse(key_node, at, f"duplicate key {key!r} (first given on line {first})")
                continue
            first_seen[key] = line
            mark = key_node.start_mark
            self.positions.record((*at, key), mark.line + 1, mark.column + 1, replace=True)
            result[key] = self.build(value_node, (*at, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node, at: NodePath) -> Any:
        plain = getattr(node, "style", None) in (None, "")  # the C parser says
        value = _scalar_value(node.tag, str(node.value), plain)
        return self._refuse(node, at, value.message) if isinstance(value, _Refused) else value

    def _refuse(self, node: yaml.Node, at: NodePath, message: str) -> None:
        self.refused.append(at)
        self.problems.append(Problem(_location(self.path, node.start_mark), message))
        return None


_DATE_SHAPE = re.compile(r"^\d{4}-\d\d?-\d\d?")


class _Refused(typing.NamedTuple):
    message: str


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar_value(tag: str, text: str, plain: bool) -> Any:
    """A scalar's value by its resolved tag, or _Refused with what to write instead."""
    short = tag.removeprefix(_TAG)
    if short == "str":
        return text
    if short == "null":
        return None
    if short == "bool":
        if plain and text.lower() not in _BOOL_WORDS:
            meaning = "true" if text.lower() in ("yes", "y", "on") else "false"
            return _Refused(
                f"{text!r} is read by YAML as {meaning}; write true/false for a yes/no "
                f"field, or quote it ('{text}') if you mean the text"
            )
        return text.lower() == "true"
    if short not in ("int", "float", "timestamp"):
        return _Refused(f"unsupported YAML type {tag!r}; write plain text")
    construct = _CONSTRUCTOR.yaml_constructors[tag]  # directly: construct_object keeps a memo
    try:
        value: float | date | datetime = construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (ValueError, AttributeError, TypeError) as error:  # the last two: another shape
        if short == "timestamp" and isinstance(error, ValueError) and _DATE_SHAPE.match(text):
            return _Refused(f"{text} is not a date that exists ({error})")
        return _Refused(f"{text!r} is not a valid {short}; drop the !!{short} tag or fix the value")
    if ":" in text and short != "timestamp":
        return _Refused(
            f"{text} is read by YAML as the number {value} (base 60); quote times: '{text}'"
        )
    return value


class _NeedsCare(Exception):
    """Something in the document that the careful path must explain."""


# PyYAML's YAML 1.1 resolvers by a plain scalar's first character, each with the wildcard ones.
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {
    first: (*found, *_WILDCARD)
    for first, found in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}
_STR, _MERGE = _TAG + "str", _TAG + "merge"
# For _quickyaml: a plain scalar starting with none of these is text (None: ask about every one).
_CLAIMED_FIRSTS = None if _WILDCARD else "".join(first for first in _RESOLVERS if first)
assert _CLAIMED_FIRSTS is None or _CLAIMED_FIRSTS.isascii()


def _plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar (as PyYAML's resolver does)."""
    for tag, pattern in _RESOLVERS.get(text[:1], _WILDCARD):
        if pattern.match(text):
            return typing.cast(str, tag)
    return _STR


class _EventBuilder:
    """Plain values straight from parser events, with where each top-level entry was written.

    Refuses, by raising _NeedsCare, everything the careful builder would refuse; marks are
    kept for paths of at most two parts (a section, and an entry of it).
    """

    def __init__(self, text: str) -> None:
        self._next_event = _Loader(text).get_event
        self.marks: dict[NodePath, tuple[int, int]] = {}

    def document(self) -> tuple[dict[str, Any], dict[NodePath, tuple[int, int]]]:
        self._next_event()  # stream start
        event = self._next_event()
        if isinstance(event, yaml.StreamEndEvent):
            return {}, self.marks
        value = self._value(self._next_event(), 0, ())  # after the document start
        self._next_event()  # document end
        if not isinstance(self._next_event(), yaml.StreamEndEvent) or not isinstance(value, dict):
            raise _NeedsCare  # a second document, or not a mapping
        return value, self.marks

    def _value(self, event: Any, depth: int, at: NodePath | None) -> Any:
        if depth > MAX_DEPTH:
            raise _NeedsCare
        if event.anchor is not None:
            raise _NeedsCare  # harmless alone, but the careful path checks them
        if at is not None and at not in self.marks:
            self.marks[at] = (event.start_mark.line + 1, event.start_mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.MappingStartEvent:
            return self._mapping(depth, at)
        if kind is yaml.SequenceStartEvent:
            return self._sequence(depth, at)
        raise _NeedsCare  # an alias

    # Below, a plain scalar that needs no mark is read in place, without _value: most values
    # are such scalars, and the call was an eighth of this builder's time.

    def _sequence(self, depth: int, at: NodePath | None) -> list[Any]:
        items: list[Any] = []
        next_event, scalar = self._next_event, self._scalar
        marked = at is not None and len(at) < 2
        while (kind := type(event := next_event())) is not yaml.SequenceEndEvent:
            if kind is yaml.ScalarEvent and not marked and depth < MAX_DEPTH:
                if event.anchor is not None:
                    raise _NeedsCare
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
                raise _NeedsCare
            key = scalar(event)
            if type(key) is not str or key in result:
                raise _NeedsCare
            value = next_event()
            if marked and at is not None:
                inner = (*at, key)
                self.marks[inner] = (event.start_mark.line + 1, event.start_mark.column + 1)
                result[key] = self._value(value, depth + 1, inner)
            elif type(value) is yaml.ScalarEvent and depth < MAX_DEPTH:
                if value.anchor is not None:
                    raise _NeedsCare
                result[key] = scalar(value)
            else:
                result[key] = self._value(value, depth + 1, None)
        return result

    @staticmethod
    def _scalar(event: Any) -> Any:
        return _event_scalar(event.tag, event.value, event.implicit[0], event.style in (None, ""))


def _event_scalar(tag: str | None, text: str, implicit: bool, plain: bool) -> Any:
    """A scalar event's value; raises _NeedsCare for anything the careful path refuses.

    `implicit`: untagged and plain (so YAML 1.1 may read it as a number, date, ...); `plain`:
    written without quotes.
    """
    if tag is None or tag == "!":
        if not implicit:
            return text  # quoted: always text
        tag = _plain_tag(text)
        if tag == _STR:
            return text
        if tag == _MERGE:
            raise _NeedsCare
    value = _scalar_value(tag, text, plain)
    if isinstance(value, _Refused):
        raise _NeedsCare
    return value


def _location(path: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def _explain(error: Any, builder: _Builder, path: str, root: type[BaseModel]) -> Problem:
    """A pydantic error as a Problem at the YAML node it is about."""
    loc: NodePath = tuple(error["loc"])
    where = builder.positions.nearest(loc) or Location(path)
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "file")
    kind = error["type"]
    message = str(error["msg"]).removeprefix("Value error, ")
    hint = None
    if kind == "extra_forbidden":
        allowed = _fields_at(root, loc[:-1])
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        message = f"unknown field {field!r}"
        if close:
            hint = f"did you mean {close[0]!r}?"
        elif allowed:
            hint = "allowed here: " + ", ".join(sorted(allowed))
    elif kind == "missing":
        message = f"missing field {field!r}"
        where = builder.positions.nearest(loc[:-1]) or where
    elif kind == "string_pattern_mismatch":
        message = f"{field}: {error['input']!r} is not allowed here"
        hint = _PATTERN_HINTS.get(str(error.get("ctx", {}).get("pattern", "")))
    elif kind in ("model_type", "dict_type") and loc:
        message = f"{field}: expected a mapping of fields, got {_kind_of(error['input'])}"
    elif loc and isinstance(loc[-1], str) and message:
        message = f"{field}: {message[0].lower()}{message[1:]}"
    return Problem(where, message, hint)


_PATTERN_HINTS = {
    r"^[a-z0-9][a-z0-9-]*$": "use lowercase letters, digits and hyphens, e.g. 'pk-ba-2026-02'",
    r"^[A-Z]{2}(-[A-Z0-9]+)*$": "use a region code such as 'PK-BA' (see 'advisory regions NAME')",
    r"^https?://\S+$": "give a full http(s) URL",
    r"^seeds/[^/\\]+$": "give a file directly under seeds/, e.g. 'seeds/article.txt'",
}


def _kind_of(value: object) -> str:
    return "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"


def _fields_at(root: type[BaseModel], loc: NodePath) -> list[str]:
    """The field names (as written in YAML) of the model found at `loc` below `root`."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = _field_by_name(model, part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _field_by_name(model: type[BaseModel], name: str) -> Any:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
