"""The one error tree of advisories.

    AdvisoryError                 anything a user can cause; the CLI exits with 1 (2 for QueryError)
    ├── RuleError                 one or more problems in a rule tree, each with file:line:col
    ├── PlaceError                a place name or code that does not resolve
    │   ├── UnknownPlace          nothing matches; lists the closest names
    │   └── AmbiguousPlace        several places match; lists them
    ├── QueryError                a question asked wrongly (reversed range, no timezone): usage
    └── OutputError               an output file that cannot be written (nothing is clobbered)

Library code raises these on bad input; the CLI also turns OSError into a message, so a
traceback is always our bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, when known, a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule tree, with a hint on how to fix it when we have one."""

    where: Location | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = self.message if self.where is None else f"{self.where}: {self.message}"
        return text if self.hint is None else f"{text} ({self.hint})"


class AdvisoryError(Exception):
    """Base of every error a user can cause."""


class RuleError(AdvisoryError):
    """A rule tree has problems; all of them are reported at once."""

    def __init__(self, problems: list[Problem], what: str = "the rules") -> None:
        self.problems = problems
        self.what = what  # "the rules", "the trip file", "the organisation file"
        super().__init__("\n".join(str(p) for p in problems))


class PlaceError(AdvisoryError):
    """A place that does not resolve to exactly one region."""


class UnknownPlace(PlaceError):
    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        text = f"unknown place {query!r}"
        if suggestions:
            text += "; did you mean:\n" + "\n".join(f"  {s}" for s in suggestions)
        else:
            text += "; try 'advisory regions NAME' to search"
        super().__init__(text)


class AmbiguousPlace(PlaceError):
    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = candidates
        listing = "\n".join(f"  {c}" for c in candidates)
        super().__init__(
            f"{query!r} matches {len(candidates)} places; give a code or add the country "
            f"(e.g. '{query}, PK'):\n{listing}"
        )


class QueryError(AdvisoryError):
    """A question that cannot be answered as asked."""


class OutputError(AdvisoryError):
    """An output file that cannot be written."""
