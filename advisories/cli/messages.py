"""How library errors read on the command line: options spelled as typed, usage errors as
click's own, and the one place errors become exit codes.

Exit codes: 0 answered, 1 bad data or unknown place (an AdvisoryError), 2 bad usage (click's
own, and a QueryError: a question that cannot be answered as asked).
"""

from __future__ import annotations

from typing import Any

import click

from advisories.errors import AdvisoryError, ProblemsError, QueryError


def spell(parameter: str) -> str:
    """A question's parameter as this command line writes it: `from` is `--from`."""
    return "--" + parameter.replace("_", "-")


def describe(error: AdvisoryError) -> str:
    """A library error's message in this command line's words (its options, not bare names)."""
    return error.spelled(spell) if isinstance(error, QueryError) else str(error)


class Command(click.Command):
    """A command whose wrongly asked questions read as click's usage errors, with the usage."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            if error.parameter is None:
                raise click.UsageError(error.spelled(spell), ctx) from None
            reason = error.spelled_reason(spell)
            raise click.BadParameter(reason, ctx, param_hint=spell(error.parameter)) from None


class Group(click.Group):
    """Turns every other library error into a message and exit code 1: no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProblemsError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            count = len(error.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} in {error.what}", err=True)
            ctx.exit(1)
        except AdvisoryError as error:
            click.echo(f"error: {describe(error)}", err=True)
            ctx.exit(2 if isinstance(error, QueryError) else 1)
        except OSError as error:  # e.g. stdout on a full disk
            click.echo(f"error: {error.strerror or error}", err=True)
            ctx.exit(1)
