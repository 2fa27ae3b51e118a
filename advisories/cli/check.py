"""`advisory check`: what is in force in a place at an instant, on a day, or over a range."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import (
    as_of_day,
    as_of_option,
    load,
    rules_option,
    timezone_option,
    when_options,
)
from advisories.cli.terminal import say, write_out
from advisories.evaluation.answer import to_json
from advisories.evaluation.evaluator import ask
from advisories.evaluation.query import read_when


@click.command(cls=Command)
@click.argument("place")
@when_options
@timezone_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rules_option
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
    when = read_when(at=at, on=on, first=first, last=last, now=datetime.now().astimezone())
    answer = ask(load(rules_dirs), place, when, as_of_day(as_of), timezone=tz)
    if fmt == "json":
        write_out(to_json(answer), nl=True)
    else:
        from advisories.render.text import render_answer

        width = min(shutil.get_terminal_size((100, 24)).columns, 100)
        say(render_answer(answer, width=width), nl=False)
