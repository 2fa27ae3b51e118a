"""Exports, changes and feeds over HTTP: the formats of `advisory export` at
/api/v1/export, `advisory changes` at /api/v1/changes, and feeds to subscribe to at /feeds/.

Each answer is a function of the rules, the question and the as-of day, so each carries an
ETag like every other answer. Exports are made in a thread: one of everywhere over all time
costs far more than a check, and the loop keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.exceptions import HTTPException

from advisories.errors import QueryError
from advisories.evaluation.changes import changes_report
from advisories.evaluation.query import Days, read_day, read_days
from advisories.evaluation.selection import Selection, selection_of
from advisories.render.changes import changes_json
from advisories.render.exports import EXPORTS, ExportOptions, check_options
from advisories.web.api import MAX_RANGE_DAYS, MAX_TEXT
from advisories.web.bytes_cache import BytesCache
from advisories.web.responses import NOT_MODIFIED, errors, page_errors
from advisories.web.service import Service, as_of_day, not_modified

FORMATS = "^(" + "|".join(sorted(EXPORTS)) + ")$"  # as a pattern, which OpenAPI shows
MAX_ORDERS = 2000  # per export, changes list or feed: a bundled tree's all, a world's slice
MADE_BYTES = 32 * 1024 * 1024  # exports kept, by their ETag, per worker
RENDERING_AT_ONCE = 2  # exports and lists of changes made at once, per worker
# What a feed reader or calendar subscribes to, by file name: each an export of all time.
FEEDS = {"changes.atom": "atom", "calendar.ics": "ics", "alerts.atom": "cap"}
EXPORTED: dict[int | str, dict[str, Any]] = {
    200: {"content": {e.media_type: {} for e in EXPORTS.values()}}
}


@dataclass
class _Making:
    """What the exports of one app share: slots to render in, and what was made already (by
    ETag, for clients that poll without If-None-Match)."""

    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(RENDERING_AT_ONCE))
    made: BytesCache = field(default_factory=lambda: BytesCache(MADE_BYTES))


def feeds_router(service: Service) -> APIRouter:
    router = APIRouter()
    making = _Making()  # one per app: a semaphore belongs to one event loop

    @router.get("/api/v1/export", responses={**EXPORTED, **NOT_MODIFIED, **errors(404, 422)})
    async def export(
        request: Request,
        format: Annotated[str, Query(pattern=FORMATS)],
        place: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT)] = None,
        on: Annotated[str | None, Query(max_length=40)] = None,
        from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        to: Annotated[str | None, Query(max_length=40)] = None,
        tz: Annotated[str | None, Query(max_length=64)] = None,
        as_of: Annotated[str | None, Query(max_length=40)] = None,
        excel: bool = False,
    ) -> Response:
        """The restrictions of `place` (default: everywhere) over `on` or `from`-`to` (default:
        all time), as `advisory export` writes them: ics (iCalendar), cap (CAP 1.2 alerts in an
        Atom feed), atom (a feed of changes), json or csv (`excel`: with a byte-order mark)."""
        given = on is not None or from_ is not None or to is not None
        check_options(format, given, tz, excel)
        days = _bounded(read_days(on=on, first=from_, last=to)) if given else None
        return await _answer(service, making, request, format, place, days, tz, as_of, excel)

    @router.get("/api/v1/changes", responses={**NOT_MODIFIED, **errors(404, 422)})
    async def changes(
        request: Request,
        place: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT)] = None,
        since: Annotated[str | None, Query(max_length=40)] = None,
        from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        to: Annotated[str | None, Query(max_length=40)] = None,
        as_of: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        """What was issued, amended, corrected, started, ended or became stale for the orders
        of `place` (default: everywhere) `since` a day, or `from`-`to`; newest first, with the
        place's coverage (an empty list from a place nobody monitors means nothing)."""
        day = as_of_day(as_of)
        evaluator = service.current()
        etag = service.etag(request, day, version=evaluator.rules.version)
        if held := not_modified(request, etag):
            return held
        if since is not None and from_ is None and to is None:
            first, last = read_day(since, "since"), None
        elif since is None and from_ is not None and to is not None:
            days = read_days(first=from_, last=to)
            first, last = days.first, days.last
        else:
            raise QueryError("give {since} DATE, or {from} DATE {to} DATE")

        def answer() -> str:
            selection = _within_bounds(selection_of(evaluator, place, None, None, day))
            return changes_json(changes_report(selection, first, last))

        async with making.slots:
            body = await asyncio.to_thread(answer)
        return Response(body, media_type="application/json", headers={"ETag": etag})

    @router.get("/feeds/{name}", responses={**EXPORTED, **NOT_MODIFIED, **page_errors(404, 422)})
    async def feed(
        request: Request,
        name: str,
        place: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT)] = None,
    ) -> Response:
        """A feed to subscribe to, for `place` or everywhere, as of today: changes.atom (what
        happened), calendar.ics (every restriction), alerts.atom (CAP 1.2 alerts)."""
        fmt = FEEDS.get(name)
        if fmt is None or fmt not in EXPORTS:
            offered = ", ".join(f"/feeds/{n}" for n, f in FEEDS.items() if f in EXPORTS)
            raise HTTPException(404, f"There is no feed {name!r} here; the feeds: {offered}.")
        return await _answer(service, making, request, fmt, place, None, None, None, False)

    return router


async def _answer(
    service: Service,
    making: _Making,
    request: Request,
    fmt: str,
    place: str | None,
    days: Days | None,
    tz: str | None,
    as_of: str | None,
    excel: bool,
) -> Response:
    day = as_of_day(as_of)
    evaluator = service.current()
    # a feed links itself, so the address it was asked at is part of its answer
    etag = service.etag(request, day, str(request.base_url), version=evaluator.rules.version)
    if held := not_modified(request, etag):
        return held
    export = EXPORTS[fmt]
    options = ExportOptions(excel=excel, self_url=str(request.url))

    def render() -> bytes:
        return export.render(_within_bounds(selection_of(evaluator, place, days, tz, day)), options)

    body = making.made.get(etag)
    if body is None:
        async with making.slots:  # a few at a time: each may take a core for a while
            body = await asyncio.to_thread(render)
        making.made.put(etag, body)
    name = f"advisories-{place or 'everywhere'}{export.suffix}"
    disposition = "inline" if request.url.path.startswith("/feeds/") else "attachment"
    disposition += f'; filename="{_safe(name)}"'
    headers = {"ETag": etag, "Content-Disposition": disposition}
    return Response(body, media_type=export.media_type, headers=headers)


def _within_bounds(selection: Selection) -> Selection:
    """`selection`, when it holds at most MAX_ORDERS orders: one request may not ask for the
    whole of a large rule tree (the CLI may)."""
    count = len(selection.orders)
    if count > MAX_ORDERS:
        raise QueryError(
            f"this selects {count:,} orders; at most {MAX_ORDERS:,} at a time over the web: "
            "narrow it with {place} or {from} and {to} (advisory export has no limit)"
        )
    return selection


def _bounded(days: Days) -> Days:
    if (days.last - days.first).days >= MAX_RANGE_DAYS:
        count = (days.last - days.first).days + 1
        raise QueryError(
            f"{{from}} to {{to}} spans {count} days; ask at most {MAX_RANGE_DAYS} at a time", "to"
        )
    return days


def _safe(name: str) -> str:
    """A file name for Content-Disposition: letters, digits, dots and dashes only."""
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in name)
