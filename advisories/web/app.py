"""The FastAPI application: the API and the pages wired to one Service and PDF renderer, our
own assets, and the guard every request passes (security headers, the body cap). How errors
read is errors.py's."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError
from advisories.load.tree import default_rules_dir, load_rules, rule_files
from advisories.render.environment import assets_dir
from advisories.web.api import api_router
from advisories.web.errors import add_error_handlers
from advisories.web.feeds import feeds_router
from advisories.web.pages import pages_router
from advisories.web.pdfs import PdfRenderer, renderer_from_environment
from advisories.web.service import Service, not_modified

# Our own assets only, no inline script, never framed, nothing sniffed, no referrer sent on.
# /docs (FastAPI's Swagger page) loads its script from a CDN and starts it inline, so it alone
# gets a policy that allows both.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
MAX_BODY = 64 * 1024  # many times a trip of the most legs a trip may have
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)


def create_app(
    load: Callable[[], RuleSet],
    signature: Callable[[], object] | None = None,
    renderer: PdfRenderer | None = None,
) -> FastAPI:
    """The service answering from the rules `load` returns: at start, and again whenever
    `signature` (what they were read from) changes. PDFs are made by `renderer`."""
    service = Service(load, signature)
    pdfs = renderer or PdfRenderer()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.watch()
        pdfs.start()
        yield
        pdfs.close()
        service.stop()

    app = FastAPI(
        title="advisories",
        description="Which restrictions are in force where and when, from sourced rules.",
        version="1",
        lifespan=lifespan,
    )
    app.include_router(api_router(service))
    app.include_router(feeds_router(service))
    app.include_router(pages_router(service, pdfs))
    assets = _assets()

    @app.get("/assets/{name}", include_in_schema=False)
    async def asset(name: str, request: Request) -> Response:
        """Our stylesheets and script, by name from a fixed list: no path reaches the disk."""
        if name not in assets:
            raise HTTPException(404, f"there is no asset {name!r}")
        body, mime, etag = assets[name]
        headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=mime, headers=headers)

    app.add_middleware(Guard, failure=add_error_handlers(app, service))

    return app


class Guard:
    """Every response gets the security headers; a body larger than we take, or of no stated
    size, is refused before any route reads it. Plain ASGI: Starlette's decorator middleware
    costs more per request than the answer itself."""

    def __init__(self, app: ASGIApp, failure: Callable[..., Response]) -> None:
        self.app, self.failure = app, failure
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        docs = {**SECURITY_HEADERS, "Content-Security-Policy": DOCS_POLICY}
        self.docs_headers = [(k.lower().encode(), v.encode()) for k, v in docs.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ours = self.docs_headers if scope["path"] == "/docs" else self.headers
        names = {name for name, _ in ours}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + ours
            await send(message)

        refused = self._refused(Request(scope))
        if refused is not None:
            await refused(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refused(self, request: Request) -> Response | None:
        declared = request.headers.get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            message = f"the Content-Length {declared[:20]!r} is not a number of bytes"
            return self.failure(request, 400, "Bad request", message)
        if declared is not None and int(declared) > MAX_BODY:
            too_large = f"the request body is larger than {MAX_BODY // 1024} KiB"
            return self.failure(request, 413, "Too large", too_large)
        if declared is None and request.method in ("POST", "PUT", "PATCH"):
            # a body of unknown length could be any size: ask for one that says its size
            message = "send the request body with a Content-Length"
            return self.failure(request, 411, "Length required", message)
        return None


def _assets() -> dict[str, tuple[bytes, str, str]]:
    """The files under the template assets a page may ask for, read once: (body, type, tag)."""
    found = {}
    for path in sorted(assets_dir().iterdir()):
        if path.is_file() and path.suffix in (".css", ".js", ".svg"):
            body = path.read_bytes()
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            found[path.name] = (body, mime, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    return found


RULES_ENVIRONMENT = "ADVISORIES_SERVE_RULES"  # the rule paths, for each worker process


def from_environment() -> FastAPI:
    """The app over the rules `advisory serve` named (uvicorn's factory, in every worker),
    its PDFs rendered within the limits the environment sets (pdfs.py)."""
    named = [Path(p) for p in os.environ.get(RULES_ENVIRONMENT, "").split(os.pathsep) if p]
    roots = named or [default_rules_dir()]
    renderer = renderer_from_environment(os.environ)
    return create_app(lambda: load_rules(*roots), lambda: files_signature(roots), renderer)


def files_signature(roots: list[Path]) -> object:
    """The rule files under `roots` with their sizes and change times: a new one, a removed
    one or an edit changes it."""
    try:
        return tuple(
            (str(path), seen.st_mtime_ns, seen.st_size)
            for path, _ in rule_files(roots)
            for seen in (path.stat(),)
        )
    except (AdvisoryError, OSError) as error:  # then loading says what is wrong
        return str(error)
