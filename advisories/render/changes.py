"""`advisory changes` as text and JSON: what happened to the orders of a place (or of
everywhere) over some days, newest first, with what the rules' coverage allows one to say."""

from __future__ import annotations

import json
import textwrap

from advisories.evaluation.answer import CoverageOut, json_default
from advisories.evaluation.changes import ChangesReport, RuleChange
from advisories.model.time import format_day


def coverage_said(coverage: CoverageOut | None, place: str) -> str:
    """What the coverage lets a list of changes claim: an empty list from a place nobody
    monitors says nothing happened only in the rules, not on the ground."""
    if coverage is None:
        return ("Every order in the rules. A place nobody monitors has none here, whatever "
                "happened there.")  # fmt: skip
    if coverage.status == "not_monitored":
        return (f"{place} is not monitored by these rules: what happened there is not "
                "recorded, so no change listed means nothing.")  # fmt: skip
    stale = " That check is past its review: check for news." if coverage.stale else ""
    last = format_day(coverage.checked_as_of) if coverage.checked_as_of else "-"
    if coverage.status == "partly_monitored":
        return (f"{place} is only partly monitored ({', '.join(coverage.regions)}; checked "
                f"{last}): changes to other orders may be missing.{stale}")  # fmt: skip
    return f"Monitored; orders looked for up to {last}.{stale}"


def changes_text(report: ChangesReport, width: int = 100) -> str:
    place = f"{report.region.name} ({report.region.code})" if report.region else "everywhere"
    since = f"from {format_day(report.first)} " if report.first else "up "
    lines = [
        f"Changes for {place}, {since}to {format_day(report.last)}",
        f"Rules {report.rules_version}, as known on {format_day(report.as_of)}.",
        coverage_said(report.coverage, report.region.name if report.region else ""),
        "",
    ]
    if not report.changes:
        lines.append("No change recorded in these days.")
    for change in report.changes:
        head = f"{format_day(change.at.date()):<12} {change.event:<10} {change.order_title}"
        lines += textwrap.wrap(head, width, subsequent_indent=" " * 24)
        what = change_line(change)
        lines += textwrap.wrap(what, width, initial_indent=" " * 24, subsequent_indent=" " * 24)
    return "\n".join(lines) + "\n"


def change_line(change: RuleChange) -> str:
    """The change in one line: the restrictions it concerns, then what happened."""
    return f"{', '.join(change.labels)}: {change.summary}" if change.labels else change.summary


def changes_json(report: ChangesReport) -> str:
    document = {
        "region": report.region.code if report.region else None,
        "from": report.first,
        "to": report.last,
        "as_of": report.as_of,
        "rules_version": report.rules_version,
        "coverage": report.coverage,
        "changes": report.changes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=json_default) + "\n"
