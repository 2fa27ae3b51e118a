"""The FastAPI application: the API's routes and how library errors read over HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from advisories.compile.ruleset import RuleSet
from advisories.errors import AmbiguousPlace, PlaceError, QueryError, UnknownPlace
from advisories.load.tree import default_rules_dir, load_rules
from advisories.web.api import api_router
from advisories.web.service import Service


def create_app(load: Callable[[], RuleSet]) -> FastAPI:
    """The service answering from the rules `load` returns (called once, at start)."""
    service = Service(load)
    app = FastAPI(
        title="advisories",
        description="Which restrictions are in force where and when, from sourced rules.",
        version="1",
    )
    app.include_router(api_router(service))

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

    return app


def _spell(parameter: str) -> str:
    """A question's parameter as this API writes it: the query parameter `from`."""
    return f"'{parameter}'"


RULES_ENVIRONMENT = "ADVISORIES_SERVE_RULES"  # the rule paths, for each worker process


def from_environment() -> FastAPI:
    """The app over the rules `advisory serve` named (uvicorn's factory, in every worker)."""
    named = [Path(p) for p in os.environ.get(RULES_ENVIRONMENT, "").split(os.pathsep) if p]
    return create_app(lambda: load_rules(*(named or [default_rules_dir()])))
