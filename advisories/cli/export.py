"""`advisory export`: the rules of a place (or of everywhere) in the formats other tools read."""

from __future__ import annotations

from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import (
    FileName,
    as_of_day,
    as_of_option,
    days_options,
    load,
    refuse_overwriting,
    rules_option,
    timezone_name,
)
from advisories.cli.terminal import write_out
from advisories.evaluation.query import read_days
from advisories.evaluation.selection import selection_of
from advisories.output import check_writable, write_atomically
from advisories.render.exports import EXPORTS, ExportOptions, check_options


@click.command(cls=Command)
@click.argument("place", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORTS)),
    required=True,
    help="; ".join(f"{name}: {e.summary}" for name, e in sorted(EXPORTS.items())) + ".",
)
@days_options
@click.option(
    "--tz",
    callback=timezone_name,
    help="Timezone the days are read in: default PLACE's own (UTC without PLACE).",
)
@as_of_option
@click.option("-o", "--output", type=FileName(), help="File to write; default stdout.")
@click.option("--excel", is_flag=True, help="CSV: start with a byte-order mark, for Excel.")
@rules_option
def export(
    place: str | None,
    fmt: str,
    on: str | None,
    first: str | None,
    last: str | None,
    tz: str | None,
    as_of: str | None,
    output: Path | None,
    excel: bool,
    rules_dirs: tuple[Path, ...],
) -> None:
    """The restrictions of PLACE (default: everywhere) over --from/--to (default: all time),
    as iCalendar, CAP 1.2, Atom, JSON or CSV."""
    given = on is not None or first is not None or last is not None
    check_options(fmt, given, tz, excel)
    if output is not None:
        refuse_overwriting(output, [], rules_dirs)
        check_writable(output, f"{place or 'everywhere'}{EXPORTS[fmt].suffix}")
    rules = load(rules_dirs)
    days = read_days(on=on, first=first, last=last) if given else None
    selection = selection_of(rules, place, days, tz, as_of_day(as_of))
    data = EXPORTS[fmt].render(selection, ExportOptions(excel=excel))
    if output is None:
        write_out(data)
    else:
        write_atomically(output, data)
