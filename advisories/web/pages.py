"""The pages people use from a browser: a place, a trip, the orders; briefings as PDF.

Every route is a coroutine that does its work on the event loop (short, and bounded by the
limits on days and legs): a route run in a thread would contend with the loop for the
interpreter lock and make every other answer wait in turn. PDFs alone go to worker processes.

They answer from the same library calls as the CLI and the JSON API (`answer_trip`,
`briefing_context`, `render_html`, `order_summaries`), and work without JavaScript: every
question is a plain form, and a typed question is a link that can be shared or bookmarked.
A page answers 404 or 422 with the form and what to fix; the PDFs come from `PdfRenderer`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response
from fastapi.responses import HTMLResponse

from advisories.briefing import (
    BriefingOptions,
    answer_trip,
    briefing_context,
    briefing_name,
)
from advisories.compile.ruleset import RuleSet
from advisories.errors import AdvisoryError, DocumentError, PlaceError, QueryError
from advisories.evaluation.evaluator import Evaluator
from advisories.evaluation.orders import OrderStatus
from advisories.evaluation.query import Days, read_days
from advisories.evaluation.trips import TripAnswer, place_trip, read_trip
from advisories.model.documents import MAX_LEGS, Trip
from advisories.render.exports import EXPORTS
from advisories.render.language import Languages, languages_of
from advisories.render.pages import (
    Example,
    LegRow,
    OrderFilters,
    Page,
    PlaceForm,
    briefing_page,
    export_labels,
    home_page,
    link,
    orders_page,
    page_titles,
    trip_page,
)
from advisories.render.words import Words
from advisories.web.api import MAX_TEXT, bounded
from advisories.web.errors import spell
from advisories.web.language import Lang, page_in
from advisories.web.pdfs import PdfRenderer
from advisories.web.responses import NOT_MODIFIED, page_errors
from advisories.web.service import Service, as_of_day, not_modified, this_minute

if TYPE_CHECKING:
    from advisories.render.views import Briefing

Day = Annotated[str | None, Query(max_length=40)]
Texts = Annotated[list[str], Query(max_length=MAX_LEGS + 2)]  # the trip form's leg rows


class PlaceQuestion:
    """A briefing's question as the briefing page and its PDF take it: a place, and a day
    (`on`), a range (`from`, `to`; `from` alone is one day; nothing is today), an as-of day."""

    def __init__(
        self,
        place: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)],
        on: Day = None,
        from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        to: Day = None,
        as_of: Day = None,
    ) -> None:
        self.place, self.on, self.from_, self.to = place, on, from_, to
        self.days = _days(on, from_, to)
        self.as_of_day = as_of_day(as_of)


class TripQuestion:
    """A trip as the trip form sends it: a title, and rows of a place, a first and a last
    day (repeated parameters, in order; rows left empty are no legs), an as-of day."""

    def __init__(
        self,
        title: Annotated[str, Query(max_length=MAX_TEXT)] = "",
        place: Texts = [],  # noqa: B006 (FastAPI copies defaults)
        from_: Annotated[list[str], Query(alias="from", max_length=MAX_LEGS + 2)] = [],  # noqa: B006
        to: Texts = [],  # noqa: B006
        as_of: Day = None,
    ) -> None:
        self.title = title
        self.rows = _rows(place, from_, to)
        self.as_of_day = as_of_day(as_of)


def pages_router(service: Service, renderer: PdfRenderer) -> APIRouter:
    """The HTML pages and the briefing PDFs, answering from `service`."""
    router = APIRouter()

    def page(request: Request, lang: Languages, section: str, title: str | None = None) -> Page:
        """The page's frame in `lang` (titled as its section unless `title`), with links to
        the same page in each language."""
        version = service.current().rules.version
        titles = page_titles(languages_of(lang)[0])
        return page_in(request, lang, title or titles[section], section, version)

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, lang: Lang) -> Response:
        rules = service.current().rules
        now, today = this_minute(), date.today()
        etag = service.etag(request, today, now.isoformat())  # the latest orders, this minute
        if held := not_modified(request, etag):
            return held
        started = ((o, o.start) for o in service.orders(now, today) if o.start is not None)
        latest = list(islice(started, 5))  # the latest first: five, not every order
        frame = page(request, lang, "place")
        examples = [
            _example(o.title, _name(rules, o.regions[0]), start, lang=frame.text_lang,
                     href=frame.to("/briefing", [("place", o.regions[0]),
                                                 ("on", f"{start:%Y-%m-%d}")]))
            for o, start in latest
        ]  # fmt: skip
        html = home_page(frame, PlaceForm(), examples)
        return HTMLResponse(html, headers={"ETag": etag})

    @router.get(
        "/briefing",
        response_class=HTMLResponse,
        tags=["briefings"],
        responses={**NOT_MODIFIED, **page_errors(404, 422)},
    )
    async def briefing(
        request: Request, asked: Annotated[PlaceQuestion, Depends()], lang: Lang
    ) -> Response:
        """The briefing for `place` on a day (`on`) or over a range (`from`, `to`; `from`
        alone is one day, nothing is today), as a page with a link to its PDF."""
        day, days, evaluator = asked.as_of_day, asked.days, service.current()
        # the days as read: a page asked for no day is today's, and tomorrow another
        read = f"{days.first}/{days.last}"
        etag = service.etag(request, day, read, version=evaluator.rules.version)
        if held := not_modified(request, etag):
            return held
        form = PlaceForm(asked.place, asked.from_ or asked.on or f"{days.first}", asked.to or "")
        options = BriefingOptions(as_of=day, fmt="html", lang=lang)
        answered = await _answer(evaluator, place_trip(asked.place, days), options)
        views = _views(answered, options)
        pdf = link("/briefing.pdf", [*request.query_params.multi_items()])
        frame = page(request, lang, "place", views[0].title)
        html = briefing_page(frame, form, views, pdf,
                             _exports(asked.place, days, request, frame.text_lang))  # fmt: skip
        return HTMLResponse(html, headers={"ETag": etag})

    @router.get(
        "/briefing.pdf",
        tags=["briefings"],
        response_class=Response,
        responses={
            200: {"content": {"application/pdf": {}}, "description": "The briefing as a PDF"},
            **NOT_MODIFIED,
            **page_errors(404, 422, 503),
        },
    )
    async def briefing_pdf(
        request: Request, asked: Annotated[PlaceQuestion, Depends()], lang: Lang
    ) -> Response:
        """The same briefing as a PDF to download (in `lang`): rendered once, then served
        from memory."""
        day, days, evaluator = asked.as_of_day, asked.days, service.current()
        trip = place_trip(asked.place, days)
        # from the question as read, so that other parameters cannot ask for a render again
        etag = _trip_tag(service, trip, day, lang, evaluator)
        if held := not_modified(request, etag):
            return held
        await _prepared(evaluator, day)
        data = await renderer.pdf(etag, lambda: _answered(evaluator, trip, day, lang))
        return _pdf(data, etag, briefing_name(asked.place, days))

    @router.get("/trip", response_class=HTMLResponse, include_in_schema=False)
    async def trip(
        request: Request, asked: Annotated[TripQuestion, Depends()], lang: Lang
    ) -> Response:
        """The trip form; with legs filled in, the trip's briefing below it."""
        day, rows, title = asked.as_of_day, asked.rows, asked.title
        trip_form = page(request, lang, "trip")
        if not rows:
            return HTMLResponse(trip_page(trip_form, title, _blank(3)))
        evaluator = service.current()
        etag = service.etag(request, day, version=evaluator.rules.version)
        if held := not_modified(request, etag):
            return held
        shown = [*rows, *_blank(2)]
        try:
            views = await _trip_views(evaluator, _typed_trip(title, rows), day, lang)
        except (PlaceError, QueryError) as error:
            html = trip_page(trip_form, title, shown, error=_said(error))
            return HTMLResponse(html, status_code=_status(error))
        pdf = link("/trip.pdf", [*request.query_params.multi_items()])
        html = trip_page(page(request, lang, "trip", views[0].title), title, shown, views,
                         pdf_url=pdf)  # fmt: skip
        return HTMLResponse(html, headers={"ETag": etag})

    @router.post("/trip", response_class=HTMLResponse, include_in_schema=False)
    async def trip_upload(
        request: Request,
        file: Annotated[bytes, File()],
        lang: Lang,
        as_of: Day = None,
    ) -> HTMLResponse:
        """A trip file uploaded: its briefing, and its legs in the form to change them."""
        day = as_of_day(as_of)
        try:
            uploaded = _uploaded_trip(file)
            views = await _trip_views(service.current(), uploaded, day, lang)
        except (DocumentError, PlaceError, QueryError) as error:
            trip_form = page(request, lang, "trip")
            html = trip_page(trip_form, "", _blank(3), error=_said(error))
            return HTMLResponse(html, status_code=_status(error))
        rows = [LegRow(leg.place, f"{leg.from_}", f"{leg.to}") for leg in uploaded.legs]
        shown = [*rows, *_blank(2)]
        title = uploaded.title or ""
        text = file.decode("utf-8")  # it parsed, so it is UTF-8
        html = trip_page(page(request, lang, "trip", views[0].title), title, shown, views,
                         trip_text=text)  # fmt: skip
        return HTMLResponse(html)

    @router.get("/trip.pdf", include_in_schema=False)
    async def trip_pdf(
        request: Request, asked: Annotated[TripQuestion, Depends()], lang: Lang
    ) -> Response:
        """The briefing of the legs in the query, as a PDF."""
        day, evaluator = asked.as_of_day, service.current()
        trip = _typed_trip(asked.title, asked.rows)
        etag = _trip_tag(service, trip, day, lang, evaluator)
        if held := not_modified(request, etag):
            return held
        await _prepared(evaluator, day)
        data = await renderer.pdf(etag, lambda: _answered(evaluator, trip, day, lang))
        return _pdf(data, etag, "trip-briefing")

    @router.post("/trip.pdf", include_in_schema=False)
    async def trip_file_pdf(
        request: Request,
        trip: Annotated[str, Form(max_length=64 * 1024)],
        lang: Lang,
        as_of: Day = None,
    ) -> Response:
        """The briefing of a trip file's text (sent again by the trip page), as a PDF."""
        day = as_of_day(as_of)
        uploaded, evaluator = _uploaded_trip(trip.encode("utf-8")), service.current()
        etag = _trip_tag(service, uploaded, day, lang, evaluator)  # the same trip typed: the same
        await _prepared(evaluator, day)
        data = await renderer.pdf(etag, lambda: _answered(evaluator, uploaded, day, lang))
        return _pdf(data, etag, "trip-briefing")

    @router.get("/orders", response_class=HTMLResponse, include_in_schema=False)
    async def orders(
        request: Request,
        region: Annotated[str, Query(max_length=MAX_TEXT)] = "",
        kind: Annotated[str, Query(max_length=64)] = "",
        status: Annotated[OrderStatus | None, Query()] = None,
        *,
        lang: Lang,
    ) -> Response:
        """Every order with its status now, filtered by region, kind and status."""
        rules = service.current().rules
        now, today = this_minute(), date.today()
        etag = service.etag(request, today, now.isoformat())  # statuses change with time
        if held := not_modified(request, etag):
            return held
        found = service.orders(now, today, region, kind, status)
        code = rules.gazetteer.resolve(region).code if region else None
        names = {r: _name(rules, r) for o in found for r in o.regions}
        kinds = [(k.id, k.label) for k in sorted(rules.kinds.values(), key=lambda k: k.label)]
        filters = OrderFilters(region, _name(rules, code) if code else "", kind, status or "")
        html = orders_page(page(request, lang, "orders"), found, filters,
                           kinds, names)  # fmt: skip
        return HTMLResponse(html, headers={"ETag": etag})

    return router


def _exports(place: str, days: Days, request: Request, lang: str) -> list[tuple[str, str]]:
    """Links to the briefing's place and days as a calendar and a spreadsheet (the formats
    offered), and to the place's feed of changes, labelled in `lang`."""
    as_of = request.query_params.get("as_of", "")
    period = [("from", f"{days.first}"), ("to", f"{days.last}"), ("as_of", as_of)]
    found = [(label, link("/api/v1/export", [("format", fmt), ("place", place), *period]))
             for fmt, label in export_labels(lang).items() if fmt in EXPORTS]  # fmt: skip
    # TRANSLATORS: briefing page: a link to the feed of changes to the place's orders
    feed = Words(lang)._("Changes feed (Atom)")
    return [*found, (feed, link("/feeds/changes.atom", [("place", place)]))]


def _example(title: str, place: str, start: date, href: str, lang: str) -> Example:
    day = Words(lang).day(start)  # as the briefings write a day, in the page's language
    return Example(title, place, day, href)


def _rows(places: Sequence[str], firsts: Sequence[str], lasts: Sequence[str]) -> list[LegRow]:
    """The trip form's rows that have anything in them (a row left empty is no leg)."""
    count = max(len(places), len(firsts), len(lasts))
    if count > MAX_LEGS + 2:
        raise QueryError(f"a trip has at most {MAX_LEGS} legs", "place")

    def at(values: Sequence[str], i: int) -> str:
        return values[i].strip() if i < len(values) else ""

    rows = [LegRow(at(places, i), at(firsts, i), at(lasts, i)) for i in range(count)]
    return [row for row in rows if row.place or row.first or row.last]


def _blank(count: int) -> list[LegRow]:
    return [LegRow() for _ in range(count)]


def _typed_trip(title: str, rows: Sequence[LegRow]) -> Trip:
    """The legs typed in, checked as a trip file's are; a leg's last day may be left out
    (one day)."""
    if not rows:
        raise QueryError("give at least one leg: a place and its first day", "place")
    legs: list[dict[str, Any]] = [
        {"place": row.place, "from": row.first, "to": row.last or row.first} for row in rows
    ]
    return bounded(read_trip({"legs": legs, **({"title": title} if title else {})}))


def _uploaded_trip(data: bytes) -> Trip:
    from advisories.load.reader import parse_document

    parsed = parse_document(data, "the uploaded trip file", Trip, shape="a trip file is a mapping")
    if isinstance(parsed, list):
        raise DocumentError(parsed, "the uploaded trip file")
    return bounded(parsed[0])


async def _answer(evaluator: Evaluator, trip: Trip, options: BriefingOptions) -> TripAnswer:
    """The trip answered on the loop, the rules compiled as they stood on a past as-of day
    first in a thread when that is needed (long, and rare)."""
    await _prepared(evaluator, options.as_of)
    return answer_trip(evaluator, trip, options)


async def _prepared(evaluator: Evaluator, day: date) -> None:
    if not evaluator.ready_for(day):
        await asyncio.to_thread(evaluator.prepare_for, day)


async def _trip_views(
    evaluator: Evaluator, trip: Trip, day: date, lang: Languages
) -> list[Briefing]:
    options = BriefingOptions(as_of=day, fmt="html", lang=lang)
    return _views(await _answer(evaluator, trip, options), options)


def _views(answered: TripAnswer, options: BriefingOptions) -> list[Briefing]:
    """The briefing in each of its languages: one, or English and then Urdu (en+ur)."""
    return [briefing_context(answered, options, one) for one in languages_of(options.lang)]


def _answered(
    evaluator: Evaluator, trip: Trip, day: date, lang: Languages
) -> tuple[TripAnswer, BriefingOptions]:
    """A trip answered for its PDF, with the options the worker renders it with."""
    options = BriefingOptions(as_of=day, lang=lang)
    return answer_trip(evaluator, trip, options), options


def _trip_tag(service: Service, trip: Trip, day: date, lang: str, evaluator: Evaluator) -> str:
    """A PDF's tag and cache key: the trip as read (legs, title, travellers, notes), the
    day and the language, whatever the request spelled besides."""
    question = ["trip", trip.model_dump(mode="json", by_alias=True), day.isoformat(), lang]
    return service.tag(*question, version=evaluator.rules.version)


def _name(rules: RuleSet, code: str) -> str:
    region = rules.gazetteer.get(code)
    return region.name if region is not None else code


def _days(on: str | None, first: str | None, last: str | None) -> Days:
    """The days asked: `on`, or `from` to `to` (`from` alone: that day; none: today). A form
    sends empty fields, which count as not given."""
    on, first, last = on or None, first or None, last or None
    if on is None and first is None and last is None:
        on = date.today().isoformat()
    elif first is not None and last is None:
        on, first = first, None
    return read_days(on=on, first=first, last=last)


def _said(error: AdvisoryError) -> str:
    """An error as a page says it: a parameter in quotes, as the form names it."""
    return error.spelled(spell) if isinstance(error, QueryError) else str(error)


def _status(error: AdvisoryError) -> int:
    return 404 if isinstance(error, PlaceError) else 422


def _pdf(data: bytes, etag: str, name: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"ETag": etag, "Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )
