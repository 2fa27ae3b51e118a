"""YAML documents -> models, with the line and column of what a message is about.

A document is read twice at most: first quickly (quick.py), straight from parser events; if
anything in it needs a message, again here, carefully, composing the node tree and noting
where every value was written, then explaining each problem (the YAML 1.1 traps are
scalars.py's). Only safe loading; aliases are refused before any tree is built (they buy
nothing in rule files and make alias bombs possible). `parse_tree` checks a tree's files as
one. Finding files and their size limit are tree.py's; the cache is store/'s.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from advisories.compile.build import build_ruleset
from advisories.compile.ruleset import RuleSet
from advisories.errors import Location, Problem, RuleError
from advisories.load.iso3166 import iso_regions
from advisories.load.quick import quick_document
from advisories.load.scalars import MAX_DEPTH, TAG, Loader, Refused, scalar_value
from advisories.model.parsed import NodePath, ParsedFile, Positions
from advisories.model.rules import RuleFile
from advisories.model.translations import TRANSLATION_ERROR

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
    quick = quick_document(text, path, model, lambda: careful_positions(text, path))
    if quick is not None:
        return quick
    return _careful_document(text, path, model, shape)


def careful_positions(source: str | bytes, path: str) -> Positions:
    """Where every value of a file that parsed cleanly before was written."""
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    builder = _Builder(path)
    root = yaml.compose(text, Loader=Loader)
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
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"YAML syntax: {error.problem or error.context}"
        return [Problem(_location(path, mark), message, _SYNTAX_HINT)]
    except yaml.YAMLError as error:
        return [Problem(Location(path), f"YAML: {error}")]
    except UnicodeDecodeError:  # PyYAML decodes tags itself, and %-escapes can make any bytes
        return [Problem(Location(path), TAG_NOT_TEXT, "write tags as plain text, or drop them")]
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
TAG_NOT_TEXT = "a tag (!...) here is not UTF-8 text once its %-escapes are read"
_SYNTAX_HINT = "check this line's indentation and quoting against the lines above"


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first alias is, found from parser events before any tree is built."""
    if "*" not in text:
        return None
    for event in yaml.parse(text, Loader=Loader):
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
            if key_node.tag == TAG + "merge":
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
        value = scalar_value(node.tag, str(node.value), plain)
        return self._refuse(node, at, value.message) if isinstance(value, Refused) else value

    def _refuse(self, node: yaml.Node, at: NodePath, message: str) -> None:
        self.refused.append(at)
        self.problems.append(Problem(_location(self.path, node.start_mark), message))
        return None


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
    if kind == TRANSLATION_ERROR:
        pass  # written for the user already, and placed at the key it is about
    elif kind == "extra_forbidden":
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
    elif kind == "list_type" and isinstance(error["input"], str | int | float):
        message = f"{field}: expected a list, got {_kind_of(error['input'])}"
        hint = f"write it in brackets: [{error['input']}]"
    elif kind == "time_parsing" and str(error["input"]).startswith("24:"):
        message = f"{field}: {error['input']!r} is not a time of day"
        hint = "a window that runs to midnight ends at '00:00', on the next day"
    elif kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        message = f"{field}: {error['input']!r} is not allowed here; write one of {allowed}"
    elif loc and message:
        lowered = f"{message[0].lower()}{message[1:]}"
        entry_check = kind == "value_error" and not isinstance(loc[-1], str)  # an entry's own
        message = lowered if entry_check else f"{field}: {lowered}"
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


def parse_tree(inputs: Sequence[tuple[str, bytes]], version: str, kinds: str | None) -> RuleSet:
    """Parse every file of a tree (path as shown to users, bytes) and check them as one.

    Raises RuleError with every problem, sorted by file and place: a file's own and those
    across files in one pass. The file named `kinds` is the bundled kinds registry, whose
    kinds the tree may override.
    """
    problems: list[Problem] = []
    parsed: list[ParsedFile] = []
    unparsed: list[bytes] = []
    for display, data in inputs:
        file_or_problems = parse_rule_file(data, display)
        if isinstance(file_or_problems, ParsedFile):
            parsed.append(replace(file_or_problems, bundled_kinds=display == kinds))
        else:
            problems += file_or_problems
            unparsed.append(data)
    try:
        rules = build_ruleset(parsed, iso_regions(), version=version)
    except RuleError as error:
        problems += [p for p in error.problems if not _defined_in(p, unparsed)]
    if problems:
        order = {display: index for index, (display, _) in enumerate(inputs)}
        raise RuleError(sorted(problems, key=lambda p: _place_of(p, order)))
    return rules


def _defined_in(problem: Problem, unparsed: list[bytes]) -> bool:
    """Whether `problem` names something unknown that a file which did not parse may define.

    Such a name is reported again, or found, once that file parses; until then it would
    only repeat the file's own problem.
    """
    name = problem.unknown
    return name is not None and any(name.encode() in data for data in unparsed)


def _place_of(problem: Problem, order: dict[str, int]) -> tuple[int, int, int]:
    where = problem.where
    if where is None:
        return (len(order), 0, 0)
    return (order.get(where.path, len(order)), where.line or 0, where.column or 0)
