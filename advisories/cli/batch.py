"""`advisory batch`: one briefing per place, on every core, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advisories.cli.messages import Command, describe
from advisories.cli.options import (
    BriefingFlags,
    FileName,
    briefing_flags,
    days_options,
    load,
)
from advisories.cli.terminal import say
from advisories.errors import OutputError
from advisories.evaluation.query import Days, read_days

if TYPE_CHECKING:
    from advisories.batch import BatchItem, BatchResult
    from advisories.compile.ruleset import RuleSet
    from advisories.model.regions import Region


@click.command(cls=Command)
@click.argument("places", nargs=-1)
@click.option(
    "--within",
    help="Add every region directly inside this one, a division counting as the regions inside "
    "it (PK-BA: its districts).",
)
@days_options
@click.option(
    "--out-dir",
    type=FileName(),
    required=True,
    help="Folder to write (made if new).",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), help="Processes to render with; default: cores."
)
@click.option(
    "--time-limit",
    type=click.FloatRange(1, 3600),
    default=120,
    show_default=True,
    help="Seconds one briefing may take to render; past them it is stopped and reported.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(100, 1024 * 1024),
    default=1024,
    show_default=True,
    help="MiB of memory a worker may take to render a briefing.",
)
@briefing_flags
def batch(
    places: tuple[str, ...],
    within: str | None,
    on: str | None,
    first: str | None,
    last: str | None,
    out_dir: Path,
    jobs: int | None,
    time_limit: float,
    memory_limit: int,
    flags: BriefingFlags,
) -> None:
    """Write one briefing per place, on every core, with a progress bar."""
    from advisories.batch import RenderLimits, render_batch  # multiprocessing: only here

    days = read_days(on=on, first=first, last=last)
    rules = load(flags.rules_dirs)
    regions = _regions(rules, places, within)
    options = flags.to_options(rules)
    _make_folder(out_dir)
    items = _items(regions, days, out_dir, options.fmt)
    failed: list[str] = []
    with click.progressbar(length=len(items), label="Rendering", file=sys.stderr) as bar:

        def done(result: BatchResult) -> None:
            bar.update(1)
            named = f"{result.item.place} ({result.item.target.name})"
            for warning in result.warnings:
                say(f"\nwarning: {named}: {flags.worded(warning, options)}", err=True)
            if result.error is not None:
                failed.append(result.item.place)
                say(f"\nerror: {named}: {result.error}", err=True)

        limits = RenderLimits(time_limit, memory_limit * 1024 * 1024)
        render_batch(rules, items, options, jobs, done, describe, limits)
    summary = f"wrote {len(items) - len(failed)} of {len(items)} briefings to {out_dir}"
    if failed:
        say(f"{summary}; failed: {', '.join(failed)}")
        sys.exit(1)
    say(summary)


def _regions(rules: RuleSet, places: tuple[str, ...], within: str | None) -> list[Region]:
    """The places named, then the regions directly inside `within`, each once."""
    gazetteer = rules.gazetteer
    regions = [gazetteer.resolve(place) for place in places]
    if within is not None:
        regions += gazetteer.units(gazetteer.resolve(within).code)
    if not regions:
        raise click.UsageError("name at least one PLACE, or --within REGION")
    return list(dict.fromkeys(regions))


def _make_folder(out_dir: Path) -> None:
    """The folder is named for this output: made if new, as `out/districts` in the README."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the folder ({error.strerror})") from None


def _items(regions: list[Region], days: Days, out_dir: Path, fmt: str) -> list[BatchItem]:
    """A briefing per region, each to a file checked writable before any is rendered."""
    from advisories.batch import BatchItem
    from advisories.briefing import briefing_name
    from advisories.evaluation.trips import place_trip
    from advisories.output import check_writable

    items = []
    for region in regions:
        target = out_dir / f"{briefing_name(region.code, days)}.{fmt}"
        check_writable(target)
        items.append(BatchItem(place_trip(region.code, days), target))
    return items
