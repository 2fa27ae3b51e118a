"""The JSON bodies of the API as models, so that /openapi.json describes every answer and error.

Answers to /check are the library's `Answer`, as `advisory check --format json` writes them;
these models describe the bodies the web layer puts together around it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from advisories.evaluation.answer import Answer
from advisories.evaluation.orders import OrderSummary


class ErrorOut(BaseModel):
    """An error: what is wrong, with the parameter at fault or the places a name may mean."""

    error: str
    parameter: str | None = None  # 'place', 'as_of', 'body' for the request body
    candidates: list[str] | None = None  # for a place not found: the names it may mean


class HealthOut(BaseModel):
    status: Literal["ok"]
    rules_version: str
    loaded_at: str = Field(description="ISO 8601 with its offset")
    last_reload_error: str | None
    orders: int
    worker: int  # the process that answered: which of several workers, behind a proxy


class RegionOut(BaseModel):
    code: str
    name: str
    type: str
    path: list[str]  # names from the country down to the region
    aliases: list[str]


class AirportOut(BaseModel):
    code: str  # IATA: a trip's leg may name it
    name: str  # 'Quetta (UET)', as answers show it
    serves: str  # the code of the region it serves


class RegionsOut(BaseModel):
    query: str
    count: int
    airport: AirportOut | None  # the query read as an airport's IATA code, when it is one
    regions: list[RegionOut]
    cut: bool  # more were found than are listed


class OrdersOut(BaseModel):
    as_of: date
    count: int
    orders: list[OrderSummary]


class LegOut(BaseModel):
    leg: int  # 1-based
    place: str  # as asked
    name: str  # the region it resolved to: 'Quetta', or 'Quetta (UET)' for an airport
    from_: date = Field(alias="from")
    to: date
    answer: Answer
    with_lookahead: Answer


class TripOut(BaseModel):
    as_of: date
    legs: list[LegOut]


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the answer the If-None-Match tag names still holds"}
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route that may answer with these error statuses."""
    return {status: {"model": ErrorOut, "description": _MEANINGS[status]} for status in statuses}


def page_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The same for a page or a download: a page for a browser, JSON for a client that asks
    for JSON and not HTML."""
    html = {"text/html": {"schema": {"type": "string"}}}
    return {status: {**found, "content": html} for status, found in errors(*statuses).items()}


_MEANINGS = {
    400: "The request body cannot be read (it is not UTF-8)",
    404: "A place not found, with the names it may mean",
    413: "The request body is too large",
    422: "A question that cannot be answered as asked",
    503: "The PDF cannot be made now (too many waiting, or over its time): see Retry-After",
}
