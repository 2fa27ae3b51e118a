"""What several commands share, declared once: option groups, loading the rules, and the
briefing options gathered into one typed value."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from advisories.compile.ruleset import RuleSet
from advisories.errors import QueryError, literal
from advisories.evaluation.query import read_day, read_instant
from advisories.load.process import loading_once
from advisories.load.tree import default_rules_dir, load_rules

if TYPE_CHECKING:  # briefings only: `advisory check` starts without them
    from advisories.briefing import BriefingOptions, Format, Paper
    from advisories.render.language import Languages

_Command = TypeVar("_Command", bound=Callable[..., None])


def _options(*decorators: Callable[[_Command], _Command]) -> Callable[[_Command], _Command]:
    def apply(function: _Command) -> _Command:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


rules_option = _options(
    click.option(
        "--rules",
        "rules_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Rule file or directory (repeatable); default ./rules if present, else bundled.",
    )
)

days_options = _options(
    click.option("--on", "on", help="A local day: 2026-02-10."),
    click.option("--from", "first", help="First local day of a range (with --to)."),
    click.option("--to", "last", help="Last local day of a range, included (with --from)."),
)

when_options = _options(
    click.option(
        "--at", "at", help="An instant: 2026-02-10T20:00 (place's local time) or with offset."
    ),
    days_options,
)

timezone_option = click.option("--tz", help="Timezone for places that have no single one.")

as_of_option = click.option(
    "--as-of",
    "as_of",
    help="Answer as of this day: review dates judged then, later announcements left out; "
    "default today.",
)

_briefing_as_of_option = click.option(
    "--as-of",
    "as_of",
    help="Brief as of this day: review dates judged then, later announcements left out; "
    "default the --generated-at day, else today.",
)


@dataclass(frozen=True)
class BriefingFlags:
    """The options every briefing command takes, as typed (`briefing_flags` gathers them)."""

    fmt: Format
    paper: Paper
    lang: Languages
    org: Path | None
    lookahead: int
    generated_at: str | None
    as_of: str | None
    tz: str | None
    rules_dirs: tuple[Path, ...]

    def to_options(self, rules: RuleSet) -> BriefingOptions:
        """The library's BriefingOptions: the organisation file read, the dates read."""
        from advisories.briefing import briefing_options

        stamp = generated_at(self.generated_at)
        return briefing_options(
            rules.kinds,
            as_of=as_of_day(self.as_of, stamp),
            fmt=self.fmt,
            paper=self.paper,
            lang=self.lang,
            lookahead_days=self.lookahead,
            generated_at=stamp,
            timezone=self.tz,
            organisation_file=self.org,
            rules_dirs=self.rules_dirs or (default_rules_dir(),),
        )


def briefing_flags(function: Callable[..., None]) -> Callable[..., None]:
    """The briefing options, gathered into one `flags: BriefingFlags` argument."""

    @functools.wraps(function)
    def gathered(
        *args: object,
        fmt: Format,
        paper: Paper,
        lang: Languages,
        org: Path | None,
        lookahead: int,
        generated_at: str | None,
        as_of: str | None,
        tz: str | None,
        rules_dirs: tuple[Path, ...],
        **kwargs: object,
    ) -> None:
        flags = BriefingFlags(fmt, paper, lang, org, lookahead, generated_at, as_of, tz, rules_dirs)
        function(*args, flags=flags, **kwargs)

    return _options(
        click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf"),
        click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4"),
        click.option(
            "--lang",
            type=click.Choice(["en", "ur", "en+ur"]),  # render/language.py: BRIEFING_LANGUAGES
            default="en",
            show_default=True,
            help="Language of the briefing (ur: Urdu, right to left; en+ur: each section in "
            "English, then in Urdu); the rules' text where they carry a translation.",
        ),
        click.option("--org", type=click.Path(path_type=Path), help="Organisation file (YAML)."),
        click.option(
            "--lookahead",
            type=click.IntRange(0, 366),
            default=14,
            show_default=True,
            help="Days after the period in which coming changes are shown.",
        ),
        click.option(
            "--generated-at",
            "generated_at",
            help="Timestamp to print (ISO 8601); default SOURCE_DATE_EPOCH, else none.",
        ),
        _briefing_as_of_option,
        timezone_option,
        rules_option,
    )(gathered)


def load(rules_dirs: tuple[Path, ...]) -> RuleSet:
    """The rules of `--rules`, or of the default tree.

    A command loads once, so the cycle collector is paused while the rules load and then
    spared them for good (load/process.py).
    """
    with loading_once():
        return load_rules(*(rules_dirs or (default_rules_dir(),)))


def as_of_day(text: str | None, generated_at: datetime | None = None) -> date:
    """The day review dates are judged against: `--as-of`, else the stamp's day, else today."""
    if text is not None:
        return read_day(text, "as_of")
    return generated_at.date() if generated_at is not None else date.today()


def generated_at(text: str | None) -> datetime | None:
    """The timestamp a briefing prints: `--generated-at`, else SOURCE_DATE_EPOCH, else none."""
    if text is not None:
        stamp = read_instant(text, "generated_at")
        # Without an offset, UTC: the same command gives the same file on any machine.
        return stamp if stamp.utcoffset() is not None else stamp.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        seconds = int(epoch)
    except ValueError:
        raise QueryError(
            f"SOURCE_DATE_EPOCH={literal(repr(epoch))} is not a whole number of seconds"
        ) from None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise QueryError(
            f"SOURCE_DATE_EPOCH={literal(repr(epoch))} is out of range for a date"
        ) from None
