"""`advisory changes`: what started, ended, was amended, corrected or became stale."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import as_of_day, as_of_option, load, rules_option
from advisories.cli.terminal import say, write_out
from advisories.errors import QueryError
from advisories.evaluation.query import read_day


@click.command(cls=Command)
@click.argument("place", required=False)
@click.option("--since", help="First day: what happened from this day to --as-of.")
@click.option("--from", "first", help="First day of a range (with --to).")
@click.option("--to", "last", help="Last day of a range, included (with --from).")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rules_option
def changes(
    place: str | None,
    since: str | None,
    first: str | None,
    last: str | None,
    as_of: str | None,
    fmt: str,
    rules_dirs: tuple[Path, ...],
) -> None:
    """What started, ended, was issued, amended, corrected or became stale for the orders of
    PLACE (default: everywhere), newest first."""
    from advisories.evaluation.changes import changes_report  # not on `advisory check`'s path
    from advisories.evaluation.selection import select
    from advisories.render.changes import changes_json, changes_text

    start, end = _days(since, first, last)
    rules = load(rules_dirs)
    region = rules.gazetteer.resolve(place) if place is not None else None
    report = changes_report(select(rules, region, None, as_of_day(as_of)), start, end)
    if fmt == "json":
        write_out(changes_json(report))
    else:
        width = min(shutil.get_terminal_size((100, 24)).columns, 100)
        say(changes_text(report, width), nl=False)


def _days(since: str | None, first: str | None, last: str | None) -> tuple[date, date | None]:
    if since is not None and first is None and last is None:
        return read_day(since, "since"), None
    if since is None and first is not None and last is not None:
        start, end = read_day(first, "from"), read_day(last, "to")
        if end < start:
            raise QueryError(f"the range ends ({end}) before it starts ({start}); swap them")
        return start, end
    raise QueryError("give {since} DATE, or {from} DATE {to} DATE")
