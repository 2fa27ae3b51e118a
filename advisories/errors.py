"""The one error tree of advisories.

    AdvisoryError                 anything a user can cause; the CLI exits with 1 (2 for QueryError)
    ├── ProblemsError             problems found in files, each with file:line:col, all at once
    │   ├── RuleError             ... in a rule tree
    │   └── DocumentError         ... in a trip or organisation file (or its logo)
    ├── PlaceError                a place name or code that does not resolve (and where it was
    │   │                         written, when it came from a file)
    │   ├── UnknownPlace          nothing matches; lists the closest names
    │   └── AmbiguousPlace        several places match; lists them
    ├── QueryError                a question asked wrongly (a bad date, a reversed range, no
    │   │                         timezone): usage; names the parameter at fault
    │   └── RulesNotFound         earlier rules asked for that cannot be read: a folder with no
    │                             rule files, a git revision that git cannot give
    └── OutputError               an output file that cannot be written (nothing is clobbered)

Library code raises these on bad input; the CLI also turns OSError into a message, so a
traceback is always our bug.
"""

from __future__ import annotations

from collections.abc import Callable
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
    unknown: str | None = None  # the name an "unknown ..." problem is about

    def __str__(self) -> str:
        text = self.message if self.where is None else f"{self.where}: {self.message}"
        return text if self.hint is None else f"{text} ({self.hint})"


class AdvisoryError(Exception):
    """Base of every error a user can cause."""

    def __reduce__(self) -> tuple[object, ...]:
        # By its fields, not its __init__ arguments (which differ between subclasses), so
        # that an error can travel between processes as it is.
        return (_restored, (type(self), self.args, self.__dict__))


def _restored(
    cls: type[AdvisoryError], args: tuple[object, ...], state: dict[str, object]
) -> AdvisoryError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ProblemsError(AdvisoryError):
    """Files have problems; all of them are reported at once."""

    what = "the files"

    def __init__(self, problems: list[Problem], what: str | None = None) -> None:
        self.problems = problems
        self.what = what or self.what  # "the rules", "the trip file", "the organisation file"
        super().__init__("\n".join(str(p) for p in problems))


class RuleError(ProblemsError):
    """A rule tree has problems."""

    what = "the rules"


class DocumentError(ProblemsError):
    """A trip file or an organisation file (or the logo it names) has problems."""


class PlaceError(AdvisoryError):
    """A place that does not resolve to exactly one region.

    `where` is set when the place was written in a file (a trip's leg); the message then
    starts with it. `located` gives the same error with a place added, of the same class.
    """

    def __init__(self, text: str, where: Location | None = None) -> None:
        self.text = text
        self.where = where
        super().__init__(text if where is None else f"{where}: {text}")

    def located(self, where: Location) -> PlaceError:
        located = type(self).__new__(type(self))  # the subclass's own fields, as they are
        located.__dict__.update(self.__dict__, where=where)
        located.args = (f"{where}: {self.text}",)
        return located


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
    """A question that cannot be answered as asked.

    The message names parameters as `{on}`, `{from}`, `{tz}`, ..., so that each interface
    shows its own spelling of them (`--on` for the CLI, `on` by default). When one
    parameter's value is at fault, `parameter` names it and the message reads
    "<parameter>: <reason>".
    """

    def __init__(self, reason: str, parameter: str | None = None) -> None:
        self.reason = reason
        self.parameter = parameter
        super().__init__(self.spelled(str))

    def spelled(self, spell: Callable[[str], str]) -> str:
        """The message with each parameter's name as `spell` writes it."""
        reason = self.spelled_reason(spell)
        return reason if self.parameter is None else f"{spell(self.parameter)}: {reason}"

    def spelled_reason(self, spell: Callable[[str], str]) -> str:
        """What is wrong, without the parameter at fault."""
        try:
            return self.reason.format_map(_Spelling(spell))
        except (ValueError, KeyError, IndexError, AttributeError):
            return self.reason  # braces that name no parameter: shown as written


def literal(text: object) -> str:
    """`text` as it reads in a QueryError's message: braces are not parameter names."""
    return str(text).replace("{", "{{").replace("}", "}}")


class _Spelling(dict[str, str]):
    def __init__(self, spell: Callable[[str], str]) -> None:
        super().__init__()
        self.spell = spell

    def __missing__(self, name: str) -> str:
        return self.spell(name)


class RulesNotFound(QueryError):
    """Earlier rules asked for (`advisory diff`, `--since-rules`) that cannot be read: a folder
    with no rule files, or a revision with no git, no repository, no such revision, or no
    rules in it. The reason is shown as written (braces and all)."""

    def __init__(self, reason: str, parameter: str | None = None) -> None:
        super().__init__(literal(reason), parameter)


class OutputError(AdvisoryError):
    """An output file that cannot be written."""
