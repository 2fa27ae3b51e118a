"""The briefing commands of `advisory`: brief, trip and batch (argument parsing and printing).

Registered on the `main` group by importing this module (cli.py does). The template and PDF
stack is imported inside the commands, never on the `check` path.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from advisories.cli import _day, _days, _instant, _load, _rules_option, _timezone_option, main
from advisories.cores import usable_cores
from advisories.errors import OutputError
from advisories.ruleset import RuleSet
from advisories.tree import default_rules_dir

_rendering_options: list[Callable[[Any], Any]] = [
    click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf"),
    click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4"),
    click.option("--org", type=click.Path(path_type=Path), help="Organisation file (YAML)."),
    click.option("--lookahead", type=click.IntRange(0, 366), default=14, show_default=True,
                 help="Days after the period in which coming changes are shown."),
    click.option("--generated-at", "generated_at",
                 help="Timestamp to print (ISO 8601); default SOURCE_DATE_EPOCH, else none."),
    click.option("--as-of", "as_of", help="Judge review dates as of this day; default today."),
    click.option("--tz", help="Timezone for places that have no single one."),
    _rules_option,
]  # fmt: skip


def _briefing_options(function: Any) -> Any:
    options = [
        click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write."),
        *_rendering_options,
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _batch_options(function: Any) -> Any:
    for option in reversed(_rendering_options):
        function = option(function)
    return function


@main.command()
@click.argument("place")
@click.option("--on", "on", help="A local day: 2026-02-10.")
@click.option("--from", "first", help="First local day (with --to).")
@click.option("--to", "last", help="Last local day, included (with --from).")
@_briefing_options
def brief(place: str, on: str | None, first: str | None, last: str | None, **options: Any) -> None:
    """Write the HTML or PDF briefing for PLACE on a day or over a range."""
    start, end = _days(on, first, last)
    trip = _one_leg(place, start, end)
    _write_briefing(trip, None, f"briefing-{_slug(place)}-{_days_name(start, end)}", **options)


def _one_leg(place: str, start: date, end: date) -> Any:
    """A trip of one leg; a place or range the leg refuses is a usage error, not a traceback."""
    from pydantic import ValidationError

    from advisories.trips import Leg, Trip

    try:
        return Trip(legs=[Leg.model_validate({"place": place, "from": start, "to": end})])
    except ValidationError as error:
        first_error = error.errors()[0]
        reason = str(first_error["msg"]).removeprefix("Value error, ")
        loc = first_error["loc"]
        where = f"{loc[-1]}: " if loc and isinstance(loc[-1], str) else ""
        raise click.UsageError(f"{where}{reason} (check PLACE and the dates)") from None


def _days_name(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}--{end.isoformat()}"


@main.command()
@click.argument("trip_file", type=click.Path(path_type=Path))
@_briefing_options
def trip(trip_file: Path, **options: Any) -> None:
    """Write the briefing for a trip file: a summary across legs and a section per leg."""
    from advisories.documents import load_trip

    loaded, where = load_trip(trip_file)
    _write_briefing(loaded, where, trip_file.stem, **options)


def _write_briefing(
    trip: Any,
    where: dict[int, Any] | None,
    default_name: str,
    *,
    output: Path | None,
    rules_dirs: tuple[Path, ...],
    **settings: Any,
) -> None:
    from advisories.briefing import render_briefing
    from advisories.output import check_writable, write_atomically

    rules = _load(rules_dirs)
    options = _briefing_settings(rules, rules_dirs, **settings)
    target = output or Path(f"{default_name}.{options.fmt}")
    check_writable(target)  # before rendering: a wrong folder is reported at once
    rendered = render_briefing(rules, trip, options, where)
    for warning in rendered.warnings:
        click.echo(f"warning: {warning}", err=True)
    write_atomically(target, rendered.data)
    click.echo(f"wrote {target}")


def _briefing_settings(
    rules: RuleSet,
    rules_dirs: tuple[Path, ...],
    *,
    fmt: str,
    paper: str,
    org: Path | None,
    lookahead: int,
    generated_at: str | None,
    as_of: str | None,
    tz: str | None,
) -> Any:
    from advisories.briefing import BriefingOptions, Logo
    from advisories.documents import load_organisation, rules_commit

    stamp = _generated_at(generated_at)
    organisation, logo_url, logo = (
        load_organisation(org, set(rules.kinds)) if org else (None, None, None)
    )
    return BriefingOptions(
        fmt=fmt,
        paper=paper,
        lookahead_days=lookahead,
        as_of=_day(as_of, "--as-of") if as_of else None,
        generated_at=stamp,
        timezone=_timezone_option(tz) if tz else None,
        organisation=organisation,
        logo=Logo(logo_url, logo) if logo_url and logo else None,
        rules_commit=rules_commit(list(rules_dirs) or [default_rules_dir()]),
    )


def _generated_at(text: str | None) -> datetime | None:
    if text is not None:
        stamp = _instant(text, "--generated-at")
        # Without an offset, UTC: the same command gives the same file on any machine.
        return stamp if stamp.utcoffset() is not None else stamp.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            message = f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds"
            raise click.UsageError(message) from None
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            message = f"SOURCE_DATE_EPOCH={epoch!r} is out of range for a date"
            raise click.UsageError(message) from None
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "place"


@main.command()
@click.argument("places", nargs=-1)
@click.option("--within", help="Add every region directly inside this one (PK-BA: its districts).")
@click.option("--on", "on", help="A local day: 2026-02-10.")
@click.option("--from", "first", help="First local day (with --to).")
@click.option("--to", "last", help="Last local day, included (with --from).")
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write (made if new).",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), help="Processes to render with; default: cores."
)
@_batch_options
def batch(
    places: tuple[str, ...],
    within: str | None,
    on: str | None,
    first: str | None,
    last: str | None,
    out_dir: Path,
    jobs: int | None,
    rules_dirs: tuple[Path, ...],
    **settings: Any,
) -> None:
    """Write one briefing per place, on every core, with a progress bar."""
    from advisories.batch import BatchItem, render_batch
    from advisories.output import check_writable

    start, end = _days(on, first, last)
    rules = _load(rules_dirs)
    regions = [rules.gazetteer.resolve(place) for place in places]
    if within is not None:
        regions += rules.gazetteer.children(rules.gazetteer.resolve(within).code)
    if not regions:
        raise click.UsageError("name at least one PLACE, or --within REGION")
    options = _briefing_settings(rules, rules_dirs, **settings)
    try:  # the folder is named for this output: made if new, as `out/districts` in the README
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the folder ({error.strerror})") from None
    items = []
    for region in dict.fromkeys(regions):
        target = out_dir / f"briefing-{_slug(region.code)}-{_days_name(start, end)}.{options.fmt}"
        check_writable(target)
        items.append(BatchItem(_one_leg(region.code, start, end), target))
    failed = 0
    with click.progressbar(length=len(items), label="Rendering", file=sys.stderr) as bar:

        def done(result: Any) -> None:
            nonlocal failed
            bar.update(1)
            for warning in result.warnings:
                click.echo(f"\nwarning: {result.item.target.name}: {warning}", err=True)
            if result.error is not None:
                failed += 1
                click.echo(f"\nerror: {result.item.target.name}: {result.error}", err=True)

        render_batch(rules, items, options, jobs or usable_cores(), done)
    click.echo(f"wrote {len(items) - failed} of {len(items)} briefings to {out_dir}")
    if failed:
        sys.exit(1)
