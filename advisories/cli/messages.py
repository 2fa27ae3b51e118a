"""How library errors read on the command line: options spelled as typed, usage errors as
click's own, and the one place errors become exit codes.

Exit codes: 0 answered, 1 bad data or unknown place (an AdvisoryError), 2 bad usage (click's
own, and a QueryError: a question that cannot be answered as asked), 141 the reader of the
output went away (`| head`), quietly, as for a command killed by SIGPIPE.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from advisories.cli.terminal import bounded, cut, inert, say
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


EXIT_BROKEN_PIPE = 128 + 13  # as a command killed by SIGPIPE, which Python ignores


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit finds no broken pipe."""
    with contextlib.suppress(OSError, ValueError):  # not a real file (click's test runner)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())


@contextmanager
def _inert_usage_errors() -> Iterator[None]:
    """Click's own errors (which click prints) quote what was typed: made inert here."""
    try:
        yield
    except click.ClickException as error:
        error.__dict__["message"] = inert(bounded(error.message))  # Final in click's types only
        raise


class Group(click.Group):
    """Turns every other library error into a message and exit code 1: no traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _inert_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _inert_usage_errors():
                return super().invoke(ctx)
        except ProblemsError as error:
            for problem in error.problems:
                say(f"error: {problem}", err=True)
            count = len(error.problems)
            say(f"{count} problem{'s' if count != 1 else ''} in {error.what}", err=True)
            ctx.exit(1)
        except AdvisoryError as error:
            say(f"error: {describe(error)}", err=True)
            ctx.exit(2 if isinstance(error, QueryError) else 1)
        except BrokenPipeError:  # the reader went away (`| head`): end quietly, as cat does
            _silence_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except OSError as error:  # e.g. stdout on a full disk, or closed
            if error.errno == errno.ENAMETOOLONG:  # a name the options did not check
                name = "" if error.filename is None else f": {cut(str(error.filename))}"
                say(f"error: file name too long{name}", err=True)
                ctx.exit(2)
            name = "" if error.filename is None else f"{cut(str(error.filename))}: "
            say(f"error: {name}{error.strerror or error}", err=True)
            ctx.exit(1)
