"""How errors read over HTTP: JSON under /api/ (and for a client that asks for JSON and not
HTML), a page elsewhere, in one shape whoever raised them: our library, FastAPI's checks of
the parameters, Starlette's refusals, the PDF renderer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from advisories.errors import AdvisoryError, AmbiguousPlace, PlaceError, QueryError, UnknownPlace
from advisories.render.pages import Page, error_page, link
from advisories.render.words import Words
from advisories.web.language import asked_language, page_in
from advisories.web.pdfs import RenderUnavailable
from advisories.web.service import Service


def add_error_handlers(app: FastAPI, service: Service) -> Callable[..., Response]:
    """Register the handlers of every error on `app`; the function they answer with (for
    the middleware that refuses requests before any route)."""

    def failure(request: Request, status: int, heading: str, message: str, **more: Any) -> Response:
        return _failure(request, status, heading, message, page=_page(service, request), **more)

    @app.exception_handler(PlaceError)
    async def unknown_place(request: Request, error: PlaceError) -> Response:
        candidates = (
            error.suggestions
            if isinstance(error, UnknownPlace)
            else error.candidates
            if isinstance(error, AmbiguousPlace)
            else []
        )
        lang = asked_language(request)
        said = _place_said(error, lang, bool(candidates))
        # TRANSLATORS: heading of the error page of a place that could not be found
        heading = Words(lang)._("Place not found")
        return failure(request, 404, heading, str(error), candidates=candidates,
                       said=said)  # fmt: skip

    @app.exception_handler(QueryError)
    async def bad_question(request: Request, error: QueryError) -> Response:
        return failure(request, 422, _cannot_answer(request), error.spelled(spell),
                       parameter=error.parameter)  # fmt: skip

    @app.exception_handler(AdvisoryError)
    async def bad_document(request: Request, error: AdvisoryError) -> Response:
        # TRANSLATORS: heading of the error page of a file or text that could not be read
        heading = Words(asked_language(request))._("Cannot read that")
        return failure(request, 422, heading, str(error))

    @app.exception_handler(RenderUnavailable)
    async def render_unavailable(request: Request, error: RenderUnavailable) -> Response:
        retry = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
        # TRANSLATORS: heading of the error page of a PDF not made now (too busy; try again)
        heading = Words(asked_language(request))._("Briefing not ready")
        return failure(request, 503, heading, str(error), headers=retry)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> Response:
        """FastAPI's own checks of the parameters (lengths, ranges, JSON) in the shape of ours."""
        first = error.errors()[0]
        # ('query', 'place'), ('body',) or ('body', 7) for JSON, ('body', 'file') for a form
        source, *path = first["loc"]
        named = source != "body" or (path and isinstance(path[0], str))
        parameter = str(path[0]) if named and path else "body"
        reason = first["msg"]
        if first["type"] == "json_invalid":
            reason = f"not JSON: {first['ctx']['error']} (at character {path[0]})"
        message = f"{spell(parameter)}: {reason}"
        return failure(request, 422, _cannot_answer(request), message, parameter=parameter)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> Response:
        """Starlette's and FastAPI's own refusals (no such route, a method it does not take, a
        body that is not UTF-8) in the shape of ours."""
        lang = asked_language(request)
        heading = (
            # TRANSLATORS: heading of the error page of an address that is no page of ours
            Words(lang)._("Not found")
            if error.status_code == 404
            # TRANSLATORS: heading of the error page of a request refused (a method, a body)
            else Words(lang)._("Cannot answer that")
        )
        return failure(request, error.status_code, heading, str(error.detail),
                       headers=error.headers)  # fmt: skip

    return failure


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
    back = page.to("/trip" if request.url.path.startswith("/trip") else "/")
    html = error_page(page, heading, said or message, links, back)
    return HTMLResponse(html, status_code=status, headers=headers)


def _page(service: Service, request: Request) -> Page:
    """An error page's frame, in the language asked for (English when that was the error)."""
    lang = asked_language(request)
    # TRANSLATORS: the title (browser tab) of every error page
    title = Words(lang)._("Cannot answer")
    return page_in(request, lang, title, "place", service.rules.version)


def _place_said(error: PlaceError, lang: str, linked: bool) -> str:
    """What a page says of a place it cannot find; when the places meant are `linked` below
    it, its message does not list them again."""
    if isinstance(error, UnknownPlace):
        typed = repr(error.query)
        # TRANSLATORS: error page: the place typed (in quotes) is in no gazetteer
        said = Words(lang)._("We know no place called %(place)s.", place=typed)
        if linked:
            return said
        # TRANSLATORS: error page, after 'We know no place called ...' when no near name
        # was found
        return said + Words(lang)._(" Try another spelling, or a district, province or code.")
    if isinstance(error, AmbiguousPlace):
        count = len(error.candidates)
        # TRANSLATORS: error page: the place typed (in quotes) names several places; links to
        # them follow
        return Words(lang)._(
            "%(place)s may mean %(count)s places; pick one.", place=repr(error.query), count=count
        )
    return str(error)


def _cannot_answer(request: Request) -> str:
    # TRANSLATORS: heading of the error page of a question that cannot be answered as asked
    # (a bad date, a bad value)
    return Words(asked_language(request))._("Cannot answer that question")


def spell(parameter: str) -> str:
    """A question's parameter as this API writes it: the query parameter `from`."""
    return f"'{parameter}'"
