"""Stage 3: HTML -> PDF with WeasyPrint, fetching nothing but the project's template assets.

Every URL the document asks for goes through `AssetsOnlyFetcher`: files under the template
assets directory are served, plus the organisation logo we registered ourselves; anything else
(http, https, other files, data: URLs, attachments) is refused and reported. WeasyPrint's own
warnings (a missing glyph, a refused fetch) are collected and returned, never swallowed.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from advisories.render.environment import assets_dir


@dataclass
class RenderedPdf:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class AssetsOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files under `assets` and the exact URLs registered in `extra`; refuses the rest."""

    def __init__(self, assets: Path, extra: dict[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(allow_redirects=False, fail_on_errors=False)
        self.assets = assets.resolve()
        self.extra = extra or {}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url in self.extra:
            body, mime = self.extra[url]
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.assets) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise PermissionError(f"refused: only the briefing's own assets are fetched, not {url}")


def render_pdf(html: str, *, extra: dict[str, tuple[bytes, str]] | None = None) -> RenderedPdf:
    """The PDF of `html`, with the warnings WeasyPrint raised while making it.

    The PDF's identifier derives from the HTML, so the same input gives the same bytes.
    """
    fetcher = AssetsOnlyFetcher(assets_dir(), extra)
    with _collect_warnings() as warnings:
        document = HTML(
            string=html, base_url=assets_dir().as_uri() + "/", url_fetcher=fetcher
        ).render()
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        data = document.write_pdf(pdf_identifier=identifier)
    return RenderedPdf(data, warnings, fetcher.refused)


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    collected: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                collected.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collector()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collected
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
