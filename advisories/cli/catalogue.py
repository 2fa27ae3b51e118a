"""`advisory validate` and `advisory regions`: what a rule tree holds, and where its places are."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import FileName, load, rules_option
from advisories.cli.terminal import say
from advisories.compile.ruleset import RuleSet
from advisories.model.regions import Region


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=FileName())
@rules_option
def validate(paths: tuple[Path, ...], rules_dirs: tuple[Path, ...]) -> None:
    """Check rule files or directories and report every problem as file:line:col."""
    rules = load(paths + rules_dirs)
    counts = [
        (len(rules.files), "file"),
        (len(rules.orders), "order"),
        (len(rules.timelines), "restriction"),
        (len(rules.amendments), "amendment"),
        (len(rules.context), "context item"),
        (len(rules.sources), "source"),
        (len(rules.places), "gazetteer place"),
        (len(rules.corrections), "correction"),
        (len(rules.coverage), "coverage entry"),
    ]
    listed = ", ".join(f"{n} {_plural(word, n)}" for n, word in counts)
    say(f"ok: {listed}; rules version {rules.version}")


@click.command(cls=Command)
@click.argument("query", required=False)
@rules_option
def regions(query: str | None, rules_dirs: tuple[Path, ...]) -> None:
    """Find region codes by name or code; without QUERY, list the gazetteer's own places."""
    rules = load(rules_dirs)
    gazetteer = rules.gazetteer
    shown = 50
    found = gazetteer.search(query) if query is not None else _gazetteer_places(rules)
    if query is not None and len(found) > shown:
        say(f"{len(found)} regions match; the first {shown}, narrow the search:", err=True)
        found = found[:shown]
    if not found:
        say(f"no region matches {query!r}", err=True)
        sys.exit(1)
    width = max(len(r.code) for r in found)
    for region in found:
        above = " > ".join(r.name for r in gazetteer.path(region.code)[:-1])
        aliases = f"  (also: {', '.join(region.aliases)})" if region.aliases else ""
        where = f"  in {above}" if above else ""
        say(f"{region.code.ljust(width)}  {region.name} [{region.type}]{where}{aliases}")


def _gazetteer_places(rules: RuleSet) -> list[Region]:
    """The places the rule tree's gazetteer adds or extends, each after its parent."""
    gazetteer = rules.gazetteer
    places = [gazetteer[place.code] for place in rules.places]
    return sorted(places, key=lambda r: [x.code for x in gazetteer.path(r.code)])


def _plural(word: str, count: int) -> str:
    if count == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"
