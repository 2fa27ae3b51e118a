"""The restriction intervals as CSV (for spreadsheets) and as JSON (for programs).

Both carry the same fields, named as in `check --format json`. CSV opens in any spreadsheet
as UTF-8; Microsoft Excel reads a file as UTF-8 only when it starts with a byte-order mark,
which `excel=True` adds. A region nobody monitors, or one with nothing recorded, still gets
a row that says so, so that an empty export never reads as "nothing in force".
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from advisories.evaluation.answer import json_default
from advisories.evaluation.intervals import Interval, Intervals
from advisories.evaluation.selection import Selection

COLUMNS = tuple(f.name for f in fields(Interval))
NONE_RECORDED = "none_recorded"  # the status of a region's row when it has no interval
EVERYWHERE_SAID = ("every order the rules record; a place no order names, or nobody monitors, "
                   "has no row, which says nothing about what is in force there")  # fmt: skip

_COVERAGE_SAID = {
    "monitored": "no restriction recorded for the period; the region is monitored",
    "partly_monitored": "no restriction recorded for the period; the region is only partly "
    "monitored, so some orders may be missing",
    "not_monitored": "no restriction recorded: nobody monitors this region, so this says "
    "nothing about what is in force there",
}


def intervals_json(selection: Selection, found: Intervals) -> bytes:
    """The intervals as one JSON document: what was asked, each region's coverage, the rows."""
    span = found.span
    document = {
        "rules_version": selection.rules.version,
        "as_of": selection.as_of,
        "region": selection.region.code if selection.region else None,
        "from": span.start if span else None,
        "to": span.end if span else None,
        "coverage": found.coverage,
        # for everywhere: what no row means (a place, its coverage, says it in `coverage`)
        "note": None if selection.region else EVERYWHERE_SAID,
        "intervals": found.rows,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, default=json_default)
    return (text + "\n").encode()


def intervals_csv(selection: Selection, found: Intervals, excel: bool = False) -> bytes:
    """The intervals as CSV, a header row first; lists joined with " | "."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(COLUMNS)
    for row in found.rows:
        writer.writerow([_cell(getattr(row, name)) for name in COLUMNS])
    held = {row.region for row in found.rows}
    for code, status in sorted(found.coverage.items()):
        if code not in held:
            writer.writerow([_empty_cell(name, code, selection, status) for name in COLUMNS])
    if not found.rows and not found.coverage:  # everywhere, and nothing selected
        said = "no order recorded anywhere in these days; a place nobody monitors has none"
        writer.writerow([{"status": NONE_RECORDED, "text": said}.get(n, "") for n in COLUMNS])
    data = out.getvalue().encode()
    return b"\xef\xbb\xbf" + data if excel else data


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return _inert(" | ".join(str(v) for v in value))
    return _inert(str(value))


def _inert(text: str) -> str:
    """Text a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or
    carriage return before them) gets a leading apostrophe, as OWASP advises for CSV."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _empty_cell(name: str, code: str, selection: Selection, coverage: str) -> str:
    region = selection.rules.gazetteer[code]
    said = _COVERAGE_SAID.get(coverage, "no restriction recorded for the period")
    return {
        "region": code,
        "region_name": region.name,
        "status": NONE_RECORDED,
        "coverage": coverage,
        "text": said,
    }.get(name, "")
