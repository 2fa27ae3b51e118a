"""The one Jinja environment: autoescaped, strict about undefined names, templates from disk."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from advisories.render.language import isolate_among_left_to_right, reads_in
from advisories.shipped import shipped


def templates_dir() -> Path:
    """The templates shipped with the package (in a wheel) or with the source tree."""
    return shipped("templates")


def assets_dir() -> Path:
    """The only directory the PDF renderer may read from."""
    return templates_dir() / "assets"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Analyst text reaches templates only as data: always escaped, never compiled.

    The i18n extension marks the templates' fixed text for translation; each render passes
    the catalogue of its language (render/language.py).
    """
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # English unless a render passes its language's callables (newstyle: values are escaped);
    # `isolate` marks English among right-to-left text; in English, only text that reads
    # right to left.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["isolate"] = isolate_among_left_to_right
    # the direction a text reads in, by its first strong letter, for a block of it (`dir`)
    env.filters["direction"] = lambda text: reads_in(str(text))
    return env
