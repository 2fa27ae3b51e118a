"""Every export format, by name: what renders it and how it is served. The CLI's `advisory
export` and the web service's /api/v1/export both read this table, so a format added here
is offered by both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisories.errors import QueryError

if TYPE_CHECKING:
    from advisories.evaluation.selection import Selection


@dataclass(frozen=True)
class ExportOptions:
    excel: bool = False  # CSV: start with a byte-order mark, which Excel needs to read UTF-8
    self_url: str | None = None  # feeds: where the feed itself is served, when it is


@dataclass(frozen=True)
class Export:
    render: Callable[[Selection, ExportOptions], bytes]
    media_type: str
    suffix: str  # of a file name, with its dot
    summary: str  # for --help and the API's description


# Each format's modules are imported when it is asked for: `advisory check` loads this table
# with the CLI and should not pay for icalendar, XML writers and the rest.


def _json(selection: Selection, options: ExportOptions) -> bytes:
    from advisories.evaluation.intervals import intervals
    from advisories.render.table import intervals_json

    return intervals_json(selection, intervals(selection))


def _csv(selection: Selection, options: ExportOptions) -> bytes:
    from advisories.evaluation.intervals import intervals
    from advisories.render.table import intervals_csv

    return intervals_csv(selection, intervals(selection), excel=options.excel)


def _atom(selection: Selection, options: ExportOptions) -> bytes:
    from advisories.render.atom import changes_feed

    return changes_feed(selection, options.self_url)


def _cap(selection: Selection, options: ExportOptions) -> bytes:
    from advisories.render.cap import cap_feed

    return cap_feed(selection)


def _ics(selection: Selection, options: ExportOptions) -> bytes:
    from advisories.render.ics import selection_ics

    return selection_ics(selection)


EXPORTS: dict[str, Export] = {
    "atom": Export(_atom, "application/atom+xml", ".atom", "a feed of the orders' changes"),
    "cap": Export(
        _cap,
        "application/atom+xml",
        ".xml",
        "CAP 1.2 alerts, one per order message, in an Atom feed",
    ),
    "ics": Export(
        _ics,
        "text/calendar; charset=utf-8",
        ".ics",
        "calendar events, one per restriction period and window (iCalendar)",
    ),
    "json": Export(_json, "application/json", ".json", "the restriction intervals, flat"),
    "csv": Export(_csv, "text/csv; charset=utf-8", ".csv", "the restriction intervals, flat"),
}


def check_options(fmt: str, days_given: bool, tz: str | None, excel: bool) -> None:
    """Refuse options that cannot apply to an export, rather than ignore them."""
    if tz is not None and not days_given:
        raise QueryError("{tz} reads the days of {on} or {from} and {to}; give them too", "tz")
    if excel and fmt != "csv":
        raise QueryError("{excel} is for the csv format only", "excel")
