"""`advisory diff`: what differs between two rule sets, each a folder or a git revision.

What only this command needs (git, archives, the comparison) is imported inside it, so that
`advisory check` starts without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from advisories.cli.messages import Command
from advisories.cli.options import rules_option
from advisories.cli.terminal import say, write_out
from advisories.errors import PlaceError
from advisories.load.process import loading_once
from advisories.load.tree import default_rules_dir

if TYPE_CHECKING:
    from advisories.compile.ruleset import RuleSet
    from advisories.model.regions import Region


@click.command(cls=Command)
@click.argument("old")
@click.argument("new")
@click.argument("place", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rules_option
def diff(old: str, new: str, place: str | None, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """What differs between the rules at OLD and at NEW, each a folder or a git revision
    (HEAD~3, a tag, a commit) of the repository holding the rules (--rules); with PLACE, only
    what bears on it. Wording, notes, the order of entries and the rules version are no
    change."""
    from advisories.evaluation.diff import diff_rules
    from advisories.load.revisions import load_earlier

    roots = rules_dirs or (default_rules_dir(),)
    with loading_once():
        before = load_earlier(old, roots)
        after = load_earlier(new, roots)
    region = _place(place, after, before) if place is not None else None
    found = diff_rules(before, after, region.code if region else None)
    if fmt == "json":
        from advisories.render.diff_json import diff_json

        write_out(diff_json(found, old, new))
    else:
        from advisories.render.diff import diff_text

        width = min(shutil.get_terminal_size((100, 24)).columns, 100)
        say(diff_text(found, old, new, width=width), nl=False)


def _place(place: str, after: RuleSet, before: RuleSet) -> Region:
    """PLACE in the newer rules' gazetteer, else (a place they no longer name) the older's."""
    try:
        return after.gazetteer.resolve(place)
    except PlaceError:
        try:
            return before.gazetteer.resolve(place)
        except PlaceError:
            pass
        raise
