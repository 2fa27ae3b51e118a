"""The `advisory` command: argument parsing and printing only.

Exit codes: 0 answered, 1 bad data or unknown place (an AdvisoryError), 2 bad usage (click's
own, and a QueryError: a question that cannot be answered as asked).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from advisories.answer import to_json
from advisories.errors import AdvisoryError, QueryError, RuleError
from advisories.evaluate import days_query, evaluate, instant_query
from advisories.models import plausible_day, zone
from advisories.regions import Region
from advisories.ruleset import RuleSet
from advisories.tree import default_rules_dir, load_rules


class _Group(click.Group):
    """Turns every library error into a message and exit code 1: users never see a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RuleError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            count = len(error.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} in {error.what}", err=True)
            ctx.exit(1)
        except QueryError as error:  # a question asked wrongly is bad usage
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)
        except AdvisoryError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)
        except OSError as error:  # e.g. stdout on a full disk
            click.echo(f"error: {error.strerror or error}", err=True)
            ctx.exit(1)


def _rules_option(function: Any) -> Any:
    return click.option(
        "--rules",
        "rules_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Rule file or directory (repeatable); default ./rules if present, else bundled.",
    )(function)


def _load(rules_dirs: tuple[Path, ...]) -> RuleSet:
    return load_rules(*(rules_dirs or (default_rules_dir(),)))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="advisories")
def main() -> None:
    """Which restrictions are in force where your people are going."""


@main.command()
@click.argument("place")
@click.option(
    "--at", "at", help="An instant: 2026-02-10T20:00 (place's local time) or with offset."
)
@click.option("--on", "on", help="A local day: 2026-02-10.")
@click.option("--from", "first", help="First local day of a range (with --to).")
@click.option("--to", "last", help="Last local day of a range, included (with --from).")
@click.option("--tz", help="Timezone for the question when the place has no single one.")
@click.option(
    "--as-of", "as_of", help="Judge review dates (staleness) as of this day; default today."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_rules_option
def check(
    place: str,
    at: str | None,
    on: str | None,
    first: str | None,
    last: str | None,
    tz: str | None,
    as_of: str | None,
    fmt: str,
    rules_dirs: tuple[Path, ...],
) -> None:
    """What is in force in PLACE at an instant, on a day, or over a range (default: now)."""
    chosen = [name for name, value in (("--at", at), ("--on", on), ("--from", first)) if value]
    if len(chosen) > 1:
        raise click.UsageError(
            f"give only one of --at, --on or --from/--to (got {', '.join(chosen)})"
        )
    if (first is None) != (last is None):
        raise click.UsageError("--from and --to go together")
    rules = _load(rules_dirs)
    region = rules.gazetteer.resolve(place)
    timezone = _timezone(rules, region, tz)
    if on is not None:
        query = days_query(_day(on, "--on"), _day(on, "--on"), timezone)
    elif first is not None and last is not None:
        query = days_query(_day(first, "--from"), _day(last, "--to"), timezone)
    else:
        instant = _instant(at, "--at") if at is not None else datetime.now().astimezone()
        query = instant_query(instant, timezone)
    today = _day(as_of, "--as-of") if as_of else date.today()
    answer = evaluate(rules, region, query, as_of=today)
    if fmt == "json":
        click.echo(to_json(answer))
    else:
        from advisories.text import render_answer

        width = min(shutil.get_terminal_size((100, 24)).columns, 100)
        click.echo(render_answer(answer, width=width), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check rule files or directories and report every problem as file:line:col."""
    rules = _load(paths)
    counts = [
        (len(rules.files), "file"),
        (len(rules.orders), "order"),
        (len(rules.timelines), "restriction"),
        (len(rules.amendments), "amendment"),
        (len(rules.context), "context item"),
        (len(rules.sources), "source"),
        (len(rules.places), "gazetteer place"),
    ]
    listed = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
    click.echo(f"ok: {listed}; rules version {rules.version}")


@main.command()
@click.argument("query", required=False)
@_rules_option
def regions(query: str | None, rules_dirs: tuple[Path, ...]) -> None:
    """Find region codes by name or code; without QUERY, list the gazetteer's own places."""
    rules = _load(rules_dirs)
    gazetteer = rules.gazetteer
    found = gazetteer.search(query) if query is not None else _gazetteer_places(rules)
    if not found:
        click.echo(f"no region matches {query!r}", err=True)
        sys.exit(1)
    width = max(len(r.code) for r in found)
    for region in found:
        above = " > ".join(r.name for r in gazetteer.path(region.code)[:-1])
        aliases = f"  (also: {', '.join(region.aliases)})" if region.aliases else ""
        where = f"  in {above}" if above else ""
        click.echo(f"{region.code.ljust(width)}  {region.name} [{region.type}]{where}{aliases}")


def _gazetteer_places(rules: RuleSet) -> list[Region]:
    """The places the rule tree's gazetteer adds or extends, each after its parent."""
    gazetteer = rules.gazetteer
    places = [gazetteer[place.code] for place in rules.places]
    return sorted(places, key=lambda r: [x.code for x in gazetteer.path(r.code)])


def _timezone(rules: RuleSet, region: Region, given: str | None) -> str:
    if given is not None:
        return _timezone_option(given)
    found = rules.gazetteer.timezone(region.code)
    if found is None:
        raise click.UsageError(
            f"{region.name} has no single timezone; give one with --tz (e.g. --tz Asia/Karachi)"
        )
    return found


def _day(text: str, option: str) -> date:
    try:
        return plausible_day(date.fromisoformat(text))
    except ValueError as error:
        reason = str(error) if "outside" in str(error) else f"{text!r} is not a date: YYYY-MM-DD"
        raise click.BadParameter(reason, param_hint=option) from None


def _instant(text: str, option: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date and time; write e.g. 2026-02-10T20:00 (local) "
            "or 2026-02-10T20:00+05:00",
            param_hint=option,
        ) from None
    try:
        plausible_day(instant.date())
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None
    return instant


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
    if (on is None) == (first is None) or (first is None) != (last is None):
        raise click.UsageError("give --on DATE, or --from DATE --to DATE")
    start = _day(on or first or "", "--on" if on else "--from")
    end = _day(on or last or "", "--on" if on else "--to")
    from pydantic import ValidationError

    from advisories.trips import Leg, Trip

    try:
        trip = Trip(legs=[Leg.model_validate({"place": place, "from": start, "to": end})])
    except ValidationError as error:
        first_error = error.errors()[0]
        reason = str(first_error["msg"]).removeprefix("Value error, ")
        loc = first_error["loc"]
        where = f"{loc[-1]}: " if loc and isinstance(loc[-1], str) else ""
        raise click.UsageError(f"{where}{reason} (check PLACE and the dates)") from None
    days = start.isoformat() if start == end else f"{start.isoformat()}--{end.isoformat()}"
    _write_briefing(trip, None, f"briefing-{_slug(place)}-{days}", **options)


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
    import os
    from datetime import UTC

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


def _timezone_option(given: str) -> str:
    try:
        zone(given)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--tz") from None
    return given


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "place"


@main.command()
@click.argument("places", nargs=-1)
@click.option("--within", help="Add every region directly inside this one (PK-BA: its districts).")
@click.option("--on", "on", help="A local day: 2026-02-10.")
@click.option("--from", "first", help="First local day (with --to).")
@click.option("--to", "last", help="Last local day, included (with --from).")
@click.option("--out-dir", type=click.Path(path_type=Path), required=True, help="Folder to write.")
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
    import os

    from advisories.batch import BatchItem, render_batch
    from advisories.output import check_writable
    from advisories.trips import Leg, Trip

    if (on is None) == (first is None) or (first is None) != (last is None):
        raise click.UsageError("give --on DATE, or --from DATE --to DATE")
    start = _day(on or first or "", "--on" if on else "--from")
    end = _day(on or last or "", "--on" if on else "--to")
    rules = _load(rules_dirs)
    regions = [rules.gazetteer.resolve(place) for place in places]
    if within is not None:
        regions += rules.gazetteer.children(rules.gazetteer.resolve(within).code)
    if not regions:
        raise click.UsageError("name at least one PLACE, or --within REGION")
    options = _briefing_settings(rules, rules_dirs, **settings)
    days = start.isoformat() if start == end else f"{start.isoformat()}--{end.isoformat()}"
    items = []
    for region in dict.fromkeys(regions):
        target = out_dir / f"briefing-{_slug(region.code)}-{days}.{options.fmt}"
        check_writable(target)
        leg = Leg.model_validate({"place": region.code, "from": start, "to": end})
        items.append(BatchItem(Trip(legs=[leg]), target))
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

        render_batch(rules, items, options, jobs or os.cpu_count() or 1, done)
    click.echo(f"wrote {len(items) - failed} of {len(items)} briefings to {out_dir}")
    if failed:
        sys.exit(1)
