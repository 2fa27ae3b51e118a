"""The `advisory` command group, and the one place library errors become messages and exit codes.

Exit codes: 0 answered, 1 bad data or unknown place (an AdvisoryError), 2 bad usage (click's
own, and a QueryError: a question that cannot be answered as asked).
"""

from __future__ import annotations

from typing import Any

import click

from advisories.cli.batch import batch
from advisories.cli.briefings import brief, trip
from advisories.cli.catalogue import regions, validate
from advisories.cli.check import check
from advisories.cli.options import describe
from advisories.errors import AdvisoryError, ProblemsError, QueryError


class _Group(click.Group):
    """Turns every library error into a message and an exit code: users never see a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProblemsError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            count = len(error.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} in {error.what}", err=True)
            ctx.exit(1)
        except AdvisoryError as error:  # a question asked wrongly (QueryError) is bad usage
            click.echo(f"error: {describe(error)}", err=True)
            ctx.exit(2 if isinstance(error, QueryError) else 1)
        except OSError as error:  # e.g. stdout on a full disk
            click.echo(f"error: {error.strerror or error}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="advisories")
def main() -> None:
    """Which restrictions are in force where your people are going."""


for command in (check, validate, regions, brief, trip, batch):
    main.add_command(command)
