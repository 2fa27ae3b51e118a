"""A validated file and where each of its values was written, for messages that point there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisories.errors import Location
from advisories.model.rules import RuleFile

NodePath = tuple[str | int, ...]


@dataclass(frozen=True)
class ParsedFile:
    """One validated rule file and where each of its values was written."""

    path: str
    rules: RuleFile
    positions: Positions | None = None
    bundled_kinds: bool = False  # the bundled registry, whose kinds a tree may override

    def where(self, *at: str | int) -> Location:
        found = self.positions.nearest(at) if self.positions is not None else None
        return found or Location(self.path)


class Positions:
    """Where each value of one YAML file was written, by its path of keys and indexes.

    Kept as bare (line, column) pairs: a large tree has hundreds of thousands of nodes, and
    a Location object is only needed for the few that a message is about.
    """

    def __init__(
        self,
        path: str,
        marks: dict[NodePath, tuple[int, int]] | None = None,
        complete: Callable[[], Positions] | None = None,
    ) -> None:
        """`marks` known so far; `complete` finds every node's, asked on the first miss.

        A valid file needs only its entries' places; the rest are found again (by parsing
        the file once more) only when a message needs one.
        """
        self.path = path
        self._marks = {} if marks is None else marks
        self._complete = complete

    def record(self, at: NodePath, line: int, column: int, *, replace: bool = False) -> None:
        if replace or at not in self._marks:
            self._marks[at] = (line, column)

    def get(self, at: NodePath) -> Location | None:
        mark = self._marks.get(at)
        if mark is None and self._complete is not None:
            self._marks = self._complete()._marks
            self._complete = None
            mark = self._marks.get(at)
        return None if mark is None else Location(self.path, *mark)

    def nearest(self, at: NodePath) -> Location | None:
        """Where the value at `at` was written, or its nearest enclosing entry's place."""
        for length in range(len(at), -1, -1):
            found = self.get(at[:length])
            if found is not None:
                return found
        return None
