"""What several commands share, declared once: option groups, loading the rules, and the
briefing options gathered into one typed value."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from advisories.cli.terminal import cut
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


class FileName(click.Path):
    """A file or folder name (as a Path) that a file system can hold: a longer one is a usage
    error naming its option, where the system would only say "File name too long"."""

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            encoded = os.fsencode(value)
            longest = max(len(part) for part in encoded.split(b"/"))
            if longest > _NAME_MAX or len(encoded) > _PATH_MAX:
                self.fail(
                    f"file name too long ({len(value)} characters): {cut(value)!r}; a file "
                    f"system takes {_NAME_MAX} bytes a name, {_PATH_MAX} a path",
                    param,
                    ctx,
                )
        return super().convert(value, param, ctx)


_NAME_MAX = 255  # bytes, on Linux, macOS and Windows file systems alike
_PATH_MAX = 4095


def timezone_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A `--tz` short enough to be a zone's name: a longer one is never looked up as a file."""
    if value is not None and len(value) > _LONGEST_ZONE_NAME:
        raise click.BadParameter(
            f"{cut(value)!r} ({len(value)} characters) is no timezone: IANA names are short, "
            "such as Asia/Karachi",
            ctx,
            param,
        )
    return value


_LONGEST_ZONE_NAME = 64  # the longest IANA name has 32 characters

rules_option = _options(
    click.option(
        "--rules",
        "rules_dirs",
        multiple=True,
        type=FileName(),
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

timezone_option = click.option(
    "--tz", callback=timezone_name, help="Timezone for places that have no single one."
)

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

    def worded(self, warning: str, options: BriefingOptions) -> str:
        """A render's warning with the logo's data URL (the whole image) as its file name."""
        logo, organisation = options.logo, options.organisation
        if logo is None or organisation is None or organisation.logo is None or self.org is None:
            return warning
        return warning.replace(logo.url, str(self.org.parent / organisation.logo))


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
        click.option("--org", type=FileName(), help="Organisation file (YAML)."),
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


def refuse_overwriting(
    target: Path, reads: list[tuple[str, Path | None]], rules_dirs: tuple[Path, ...]
) -> None:
    """A usage error when the output `target` is a file this command reads: `reads` (what it
    is, its path), or a rule file (any YAML file under the rule roots: one written there would
    be read as rules next time)."""
    for what, read in reads:
        if read is not None and _same_file(target, read):
            _refuse(target, f"{what} this command reads ({read})")
    for root in rules_dirs or (default_rules_dir(),):
        if _same_file(target, root) or (
            target.suffix in (".yaml", ".yml") and _inside(target, root)
        ):
            _refuse(target, f"a rule file under {root}, which would be read as rules")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, RuntimeError):  # a loop of links, an unreadable folder: not the same
        return False


def _inside(target: Path, root: Path) -> bool:
    try:
        return root.is_dir() and target.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _refuse(target: Path, what: str) -> None:
    raise click.BadParameter(
        f"{target} is {what}; write the output elsewhere", param_hint="'-o' / '--output'"
    )


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
