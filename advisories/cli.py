"""The `advisory` command: argument parsing and printing only.

Exit codes: 0 answered, 1 bad data or unknown place (an AdvisoryError), 2 bad usage (click's
own, and a QueryError: a question that cannot be answered as asked).
"""

from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from advisories.answer import to_json
from advisories.errors import AdvisoryError, QueryError, RuleError
from advisories.evaluation import days_query, evaluate, instant_query
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
@_rules_option
def validate(paths: tuple[Path, ...], rules_dirs: tuple[Path, ...]) -> None:
    """Check rule files or directories and report every problem as file:line:col."""
    rules = _load(paths + rules_dirs)
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
    shown = 50
    found = gazetteer.search(query, limit=None) if query is not None else _gazetteer_places(rules)
    if query is not None and len(found) > shown:
        click.echo(f"{len(found)} regions match; the first {shown}, narrow the search:", err=True)
        found = found[:shown]
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
            f"{region.name} has no single timezone; give one with --tz, e.g. --tz Europe/Paris "
            "(an IANA name)"
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


def _timezone_option(given: str) -> str:
    try:
        zone(given)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--tz") from None
    return given


def _days(on: str | None, first: str | None, last: str | None) -> tuple[date, date]:
    """The local days of --on, or of --from and --to; a UsageError unless exactly one is given."""
    if (on is None) == (first is None) or (first is None) != (last is None):
        raise click.UsageError("give --on DATE, or --from DATE --to DATE")
    if on is not None:
        return _day(on, "--on"), _day(on, "--on")
    assert first is not None and last is not None
    return _day(first, "--from"), _day(last, "--to")


# The briefing commands (brief, trip, batch) live in their own module; importing it registers them.
from advisories import cli_briefing  # noqa: E402, F401
