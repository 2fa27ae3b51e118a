"""Text for a terminal, made inert: what the rules, file names and options hold is shown, never
obeyed; and messages bounded in length.

A rule's text, a place's name, a file name or an option's value can hold an escape sequence
(set the window title, clear the screen, hide what follows) or a bidi override that reorders
the rest of the line. Every text the CLI prints passes through `inert` at the boundary
(`say`, and the messages of click's own errors in cli/messages.py), which writes such a
character as an escape a reader sees: `\\x1b`, `\\u202e`. JSON output is escaped by json
itself, and the export formats are data for other tools, written byte for byte.

render/writable.py drops the characters XML cannot hold; this keeps them visible, and adds
the bidi controls, which XML holds but a terminal obeys.
"""

from __future__ import annotations

import errno
import re
import sys

import click

# C0 controls but the newline and the tab, DEL, C1 (0x9b alone starts a sequence on some
# terminals), the bidi embeddings, overrides and isolates, the Unicode line and paragraph
# separators, and lone surrogates (which no terminal encoding can write).
_OBEYED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def inert(text: str) -> str:
    """`text` with each character above written as a visible escape, the rest as it was."""
    return _OBEYED.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# A message quotes what it was given (a place, a path, a data URL), which can be any length:
# an unbroken run longer than _LONGEST_RUN is cut in its middle, then a line still longer
# than _LONGEST_LINE (many words) keeps its start and its end, where the hint is.
_LONGEST_RUN = 120
_LONGEST_LINE = 1000
_RUN = re.compile(rf"\S{{{_LONGEST_RUN + 1},}}")


def cut(value: str, limit: int = 60) -> str:
    """`value` as a message quotes it: whole up to `limit` characters, else its start and its
    end around an ellipsis."""
    if len(value) <= limit:
        return value
    end = limit // 4
    return f"{value[: limit - end - 1]}…{value[-end:]}"


def bounded(message: str) -> str:
    """`message` with long values cut (see above), each line of it bounded in length."""
    lines = []
    for line in message.split("\n"):
        line = _RUN.sub(lambda run: cut(run.group(), _LONGEST_RUN), line)
        if len(line) > _LONGEST_LINE:
            line = f"{line[:700]} … {line[-200:]}"
        lines.append(line)
    return "\n".join(lines)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Print `text` made inert: to stdout, or to stderr with `err`, where every text is a
    message, bounded in length."""
    if not err:
        _check_stdout()
    click.echo(inert(bounded(text) if err else text), err=err, nl=nl)


def write_out(data: str | bytes, nl: bool = False) -> None:
    """Write `data` to stdout as it is: JSON (which escapes what a terminal would obey) and the
    export formats, data for other tools."""
    _check_stdout()
    click.echo(data, nl=nl)


def _check_stdout() -> None:
    """Python sets sys.stdout to None when the command starts with it closed; output written
    there would be dropped without a word, and the command would succeed."""
    if sys.stdout is None:
        raise OSError(errno.EBADF, "standard output is closed")
