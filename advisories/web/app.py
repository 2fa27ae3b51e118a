"""The FastAPI application: the API's routes and how library errors read over HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError, AmbiguousPlace, PlaceError, QueryError, UnknownPlace
from advisories.load.tree import default_rules_dir, load_rules, rule_files
from advisories.web.api import api_router
from advisories.web.service import Service

# Our own assets only, no inline script, never framed, nothing sniffed, no referrer sent on.
# /docs (FastAPI's Swagger page) loads its script from a CDN and starts it inline, so it alone
# gets a policy that allows both.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
MAX_BODY = 64 * 1024  # a trip of 50 legs is a few KiB
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)


def create_app(
    load: Callable[[], RuleSet], signature: Callable[[], object] | None = None
) -> FastAPI:
    """The service answering from the rules `load` returns: at start, and again whenever
    `signature` (what they were read from) changes."""
    service = Service(load, signature)
    app = FastAPI(
        title="advisories",
        description="Which restrictions are in force where and when, from sourced rules.",
        version="1",
    )
    app.include_router(api_router(service))

    @app.middleware("http")
    async def body_size(request: Request, call_next: Callable[..., Any]) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            return JSONResponse(
                {"error": f"the request body is larger than {MAX_BODY // 1024} KiB"},
                status_code=413,
                headers=SECURITY_HEADERS,
            )
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Any:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.url.path == "/docs":
            response.headers["Content-Security-Policy"] = DOCS_POLICY
        return response

    @app.exception_handler(PlaceError)
    async def unknown_place(request: Request, error: PlaceError) -> JSONResponse:
        candidates = (
            error.suggestions
            if isinstance(error, UnknownPlace)
            else error.candidates
            if isinstance(error, AmbiguousPlace)
            else []
        )
        return JSONResponse({"error": str(error), "candidates": candidates}, status_code=404)

    @app.exception_handler(QueryError)
    async def bad_question(request: Request, error: QueryError) -> JSONResponse:
        return JSONResponse(
            {"error": error.spelled(_spell), "parameter": error.parameter}, status_code=422
        )

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> JSONResponse:
        """FastAPI's own checks of the parameters (lengths, ranges, JSON) in the shape of ours."""
        first = error.errors()[0]
        source, *path = first["loc"]  # ('query', 'place'), ('body',) or ('body', 7) for JSON
        parameter = str(path[0]) if source != "body" and path else "body"
        reason = first["msg"]
        if first["type"] == "json_invalid":
            reason = f"not JSON: {first['ctx']['error']} (at character {path[0]})"
        message = f"{_spell(parameter)}: {reason}"
        return JSONResponse({"error": message, "parameter": parameter}, status_code=422)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> JSONResponse:
        """Starlette's and FastAPI's own refusals (no such route, a method it does not take, a
        body that is not UTF-8) in the shape of ours."""
        return JSONResponse(
            {"error": error.detail}, status_code=error.status_code, headers=error.headers
        )

    return app


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
            (str(path), path.stat().st_mtime_ns, path.stat().st_size)
            for path, _ in rule_files(roots)
        )
    except (AdvisoryError, OSError) as error:  # then loading says what is wrong
        return str(error)
