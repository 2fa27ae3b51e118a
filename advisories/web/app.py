"""The FastAPI application: the API and the pages, our own assets, and how library errors
read over HTTP (JSON under /api/, a page elsewhere)."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError, AmbiguousPlace, PlaceError, QueryError, UnknownPlace
from advisories.load.tree import default_rules_dir, load_rules, rule_files
from advisories.render.environment import assets_dir
from advisories.render.pages import Page, error_page, link
from advisories.web.api import api_router
from advisories.web.pages import pages_router
from advisories.web.pdfs import PdfRenderer, RenderUnavailable
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

    def failure(request: Request, status: int, heading: str, message: str, **more: Any) -> Response:
        return _failure(request, status, heading, message, page=_page(service), **more)

    app.add_middleware(Guard, failure=failure)

    @app.exception_handler(PlaceError)
    async def unknown_place(request: Request, error: PlaceError) -> Response:
        candidates = (
            error.suggestions
            if isinstance(error, UnknownPlace)
            else error.candidates
            if isinstance(error, AmbiguousPlace)
            else []
        )
        # a page lists the places meant as links, so its message does not list them again
        said = (
            f"We know no place called {error.query!r}."
            + ("" if candidates else " Try another spelling, or a district, province or code.")
            if isinstance(error, UnknownPlace)
            else f"{error.query!r} may mean {len(error.candidates)} places; pick one."
            if isinstance(error, AmbiguousPlace)
            else str(error)
        )
        return failure(request, 404, "Place not found", str(error), candidates=candidates,
                       said=said)  # fmt: skip

    @app.exception_handler(QueryError)
    async def bad_question(request: Request, error: QueryError) -> Response:
        return failure(request, 422, "Cannot answer that question", error.spelled(_spell),
                       parameter=error.parameter)  # fmt: skip

    @app.exception_handler(AdvisoryError)
    async def bad_document(request: Request, error: AdvisoryError) -> Response:
        return failure(request, 422, "Cannot read that", str(error))

    @app.exception_handler(RenderUnavailable)
    async def render_unavailable(request: Request, error: RenderUnavailable) -> Response:
        retry = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
        return failure(request, 503, "Briefing not ready", str(error), headers=retry)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> Response:
        """FastAPI's own checks of the parameters (lengths, ranges, JSON) in the shape of ours."""
        first = error.errors()[0]
        source, *path = first["loc"]  # ('query', 'place'), ('body',) or ('body', 7) for JSON
        parameter = str(path[0]) if source != "body" and path else "body"
        reason = first["msg"]
        if first["type"] == "json_invalid":
            reason = f"not JSON: {first['ctx']['error']} (at character {path[0]})"
        message = f"{_spell(parameter)}: {reason}"
        return failure(request, 422, "Cannot answer that question", message, parameter=parameter)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> Response:
        """Starlette's and FastAPI's own refusals (no such route, a method it does not take, a
        body that is not UTF-8) in the shape of ours."""
        heading = "Not found" if error.status_code == 404 else "Cannot answer that"
        return failure(request, error.status_code, heading, str(error.detail),
                       headers=error.headers)  # fmt: skip

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
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            too_large = f"the request body is larger than {MAX_BODY // 1024} KiB"
            return self.failure(request, 413, "Too large", too_large)
        if declared is None and request.method in ("POST", "PUT", "PATCH"):
            # a body of unknown length could be any size: ask for one that says its size
            message = "send the request body with a Content-Length"
            return self.failure(request, 411, "Length required", message)
        return None


def _failure(
    request: Request,
    status: int,
    heading: str,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    page: Page | None = None,
    candidates: list[str] | None = None,
    parameter: str | None = None,
    said: str | None = None,
) -> Response:
    """An error as the asker reads it: JSON under /api/ and for a client that asks for JSON
    and not HTML (a booking tool fetching /briefing.pdf), else a page with the message and
    links to the places meant."""
    accept = request.headers.get("accept", "")
    wants_json = "application/json" in accept and "text/html" not in accept
    if request.url.path.startswith("/api/") or wants_json or page is None:
        body: dict[str, Any] = {"error": message}
        if candidates is not None:
            body["candidates"] = candidates
        if parameter is not None:
            body["parameter"] = parameter
        return JSONResponse(body, status_code=status, headers=headers)
    asked = [(k, v) for k, v in request.query_params.multi_items()]
    named = "region" if request.url.path == "/orders" else "place"  # what the route reads
    links = [
        (text.split(None, 1)[1], link(request.url.path, [(named, text.split()[0]),
                                                          *[p for p in asked if p[0] != named]]))
        for text in candidates or []
    ]  # fmt: skip
    back = "/trip" if request.url.path.startswith("/trip") else "/"
    html = error_page(page, heading, said or message, links, back)
    return HTMLResponse(html, status_code=status, headers=headers)


def _page(service: Service) -> Page:
    return Page("Cannot answer", "place", service.rules.version)


def _assets() -> dict[str, tuple[bytes, str, str]]:
    """The files under the template assets a page may ask for, read once: (body, type, tag)."""
    found = {}
    for path in sorted(assets_dir().iterdir()):
        if path.is_file() and path.suffix in (".css", ".js", ".svg"):
            body = path.read_bytes()
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            found[path.name] = (body, mime, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    return found


def _spell(parameter: str) -> str:
    """A question's parameter as this API writes it: the query parameter `from`."""
    return f"'{parameter}'"


RULES_ENVIRONMENT = "ADVISORIES_SERVE_RULES"  # the rule paths, for each worker process


def from_environment() -> FastAPI:
    """The app over the rules `advisory serve` named (uvicorn's factory, in every worker)."""
    named = [Path(p) for p in os.environ.get(RULES_ENVIRONMENT, "").split(os.pathsep) if p]
    roots = named or [default_rules_dir()]
    return create_app(lambda: load_rules(*roots), lambda: files_signature(roots))


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
