"""`advisory brief` and `advisory trip`: one briefing, for a place or a trip file, to a file.

What only briefings need is imported inside the commands, so that `advisory check` starts
without it; the template and PDF stack is imported later still, by the render stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advisories.cli.messages import Command
from advisories.cli.options import (
    BriefingFlags,
    FileName,
    briefing_flags,
    days_options,
    load,
    refuse_overwriting,
)
from advisories.cli.terminal import say
from advisories.evaluation.query import read_days

if TYPE_CHECKING:
    from advisories.compile.ruleset import RuleSet
    from advisories.errors import Location
    from advisories.model.documents import Trip

output_option = click.option("-o", "--output", type=FileName(), help="File to write.")


@click.command(cls=Command)
@click.argument("place")
@days_options
@output_option
@click.option(
    "--since-rules",
    "since_rules",
    metavar="REV",
    help="Add what changed for PLACE since these rules: a git revision of the rules' "
    "repository (HEAD~3, a tag) or a folder.",
)
@briefing_flags
def brief(
    place: str,
    on: str | None,
    first: str | None,
    last: str | None,
    output: Path | None,
    since_rules: str | None,
    flags: BriefingFlags,
) -> None:
    """Write the HTML or PDF briefing for PLACE on a day or over a range."""
    from advisories.briefing import briefing_name
    from advisories.evaluation.trips import place_trip

    days = read_days(on=on, first=first, last=last)
    target = output or Path(f"{briefing_name(place, days)}.{flags.fmt}")
    _write(place_trip(place, days), None, target, flags, since_rules=since_rules)


@click.command(cls=Command)
@click.argument("trip_file", type=FileName())
@output_option
@briefing_flags
def trip(trip_file: Path, output: Path | None, flags: BriefingFlags) -> None:
    """Write the briefing for a trip file: a summary across legs and a section per leg."""
    from advisories.load.documents import load_trip

    loaded, where = load_trip(trip_file)
    target = output or Path(f"{trip_file.stem}.{flags.fmt}")
    _write(loaded, where, target, flags, trip_file=trip_file)


def _write(
    trip: Trip,
    where: Mapping[int, Location] | None,
    target: Path,
    flags: BriefingFlags,
    trip_file: Path | None = None,
    since_rules: str | None = None,
) -> None:
    from advisories.briefing import answer_trip, diff_since, render_answered
    from advisories.output import check_writable, write_atomically

    rules = load(flags.rules_dirs)
    options = flags.to_options(rules)
    logo = options.organisation.logo if options.organisation else None
    reads = [("the trip file", trip_file), ("the organisation file", flags.org)]
    if flags.org is not None and logo is not None:
        reads.append(("its logo", flags.org.parent / logo))
    refuse_overwriting(target, reads, flags.rules_dirs)
    check_writable(target)  # before rendering: a wrong folder is reported at once
    since = None if since_rules is None else (since_rules, _earlier_rules(since_rules, flags))
    answered = answer_trip(rules, trip, options, where)
    if since is not None:
        options = replace(options, diff_since=diff_since(*since, rules, answered))
    rendered = render_answered(answered, options)
    for warning in rendered.warnings:
        say(f"warning: {flags.worded(warning, options)}", err=True)
    write_atomically(target, rendered.data)
    say(f"wrote {target}")


def _earlier_rules(since_rules: str, flags: BriefingFlags) -> RuleSet:
    """The rules `--since-rules` names: a folder, or the rules in use at a git revision."""
    from advisories.load.revisions import load_earlier
    from advisories.load.tree import default_rules_dir

    roots = flags.rules_dirs or (default_rules_dir(),)
    return load_earlier(since_rules, roots, "since_rules")
