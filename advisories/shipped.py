"""Where the package and the repo's shipped folders (rules, templates) are, installed or not."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    """A top-level folder of the repo (rules, templates) as installed: inside the package in a
    wheel (advisories/bundled_<folder>, see pyproject.toml), beside it in a source checkout."""
    bundled = PACKAGE / f"bundled_{folder}"
    return bundled if bundled.is_dir() else PACKAGE.parent / folder
