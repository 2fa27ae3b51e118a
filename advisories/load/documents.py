"""Reading the files a briefing needs besides the rules: trips, organisations, logos, git.

Every problem is a DocumentError naming the file (and line) at fault.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from pathlib import Path

from advisories.errors import DocumentError, Location, Problem
from advisories.load.files import read_capped
from advisories.model.documents import MAX_LOGO_BYTES, Logo, Organisation, Trip

MAX_DOCUMENT_BYTES = 200_000
MAX_LOGO_PIXELS = 16_000_000  # 4000 by 4000: far more than print needs, far below a bomb
_ORGANISATION = "the organisation file"
_IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def load_trip(path: Path) -> tuple[Trip, dict[int, Location]]:
    """A trip file and where each leg's place is written (for messages about unknown places)."""
    from advisories.load.reader import parse_document

    data = _read(path, what="the trip file")
    parsed = parse_document(data, str(path), Trip, shape="a trip file is a mapping")
    if isinstance(parsed, list):
        raise DocumentError(parsed, "the trip file")
    trip, positions = parsed
    fallback = Location(str(path))
    return trip, {i: positions.get(("legs", i, "place")) or fallback for i in range(len(trip.legs))}


def load_organisation(path: Path, kinds: Iterable[str]) -> tuple[Organisation, Logo | None]:
    """An organisation file, checked against the known kinds, with the logo it names."""
    from advisories.load.reader import parse_document

    parsed = parse_document(_read(path, what=_ORGANISATION), str(path), Organisation)
    if isinstance(parsed, list):
        raise DocumentError(parsed, _ORGANISATION)
    organisation, positions = parsed
    known = set(kinds)
    unknown = [
        Problem(
            positions.get(("guidance", kind)) or Location(str(path)),
            f"guidance for unknown kind {kind!r}",
            "known kinds: " + ", ".join(sorted(known)),
        )
        for kind in organisation.guidance
        if kind not in known
    ]
    if unknown:
        raise DocumentError(unknown, _ORGANISATION)
    if organisation.logo is None:
        return organisation, None
    logo_path = path.parent / organisation.logo
    where = positions.get(("logo",)) or Location(str(path))
    if not logo_path.resolve().is_relative_to(path.parent.resolve()):
        message = f"the logo {organisation.logo!r} lies outside the organisation file's folder"
        raise DocumentError(
            [Problem(where, message, "put the logo beside the file")], _ORGANISATION
        )
    data = _read(logo_path, limit=MAX_LOGO_BYTES, where=where, what=_ORGANISATION)
    mime = next((m for magic, m in _IMAGE_TYPES.items() if data.startswith(magic)), None)
    if mime is None:
        problem = Problem(where, f"{logo_path} is not a PNG or JPEG image")
        raise DocumentError([problem], _ORGANISATION)
    unfit = _unfit_image(data, logo_path, where)
    if unfit is not None:
        raise DocumentError([unfit], _ORGANISATION)
    return organisation, Logo(f"data:{mime};base64,{base64.b64encode(data).decode()}", data)


def _unfit_image(data: bytes, path: Path, where: Location) -> Problem | None:
    """Why the renderer could not draw this logo, said now and naming its file: data that
    does not decode (else a warning quoting the whole data URL), or so many pixels that
    decoding it would take the memory of a decompression bomb (else Pillow's raw warning)."""
    import warnings
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError  # for briefings; installed with WeasyPrint

    try:
        with warnings.catch_warnings():
            # The size is judged below, against a logo's needs rather than Pillow's limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    return Problem(
                        where,
                        f"the logo {path} is {width}×{height} pixels; a logo may have at most "
                        f"{MAX_LOGO_PIXELS // 1_000_000} million",
                        "scale it down: 1000 pixels across print sharp at logo size",
                    )
                image.verify()
    except Exception as error:  # Pillow's decoders raise many kinds on damaged data
        # Not found to be any image: Pillow's words would only name its in-memory buffer.
        why = "" if isinstance(error, UnidentifiedImageError) else f" ({error})"
        return Problem(where, f"the logo {path} is not a readable PNG or JPEG image{why}")
    return None


def rules_commit(rules_dirs: list[Path]) -> str | None:
    """The git commit the rules are at when they live in git, else None.

    Only `rev-parse`, which reads refs: `git status` would run the clean filters and the
    fsmonitor that a rule tree's own .git/config names, i.e. code from the tree.
    """
    import subprocess  # only for briefings: `advisory check` starts without it

    folder = next((p if p.is_dir() else p.parent for p in rules_dirs), None)
    if folder is None:
        return None
    try:
        return subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(folder),
             "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip() or None  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None


def _read(
    path: Path, limit: int = MAX_DOCUMENT_BYTES, where: Location | None = None, what: str = ""
) -> bytes:
    read = read_capped(path, limit, where or Location(str(path)))
    if isinstance(read, Problem):
        raise DocumentError([read], what or path.name)
    return read
