"""The `advisory` command group: every command, registered on it."""

from __future__ import annotations

import click

from advisories.cli.batch import batch
from advisories.cli.briefings import brief, trip
from advisories.cli.catalogue import regions, validate
from advisories.cli.changes import changes
from advisories.cli.check import check
from advisories.cli.diff import diff
from advisories.cli.export import export
from advisories.cli.messages import Group
from advisories.cli.serve import serve


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="advisories")
def main() -> None:
    """Which restrictions are in force where your people are going."""


for command in (check, changes, validate, regions, brief, trip, batch, export, diff, serve):
    main.add_command(command)
