"""The JSON API under /api/v1/: the same answers as `advisory check --format json`.

The routes are coroutines that answer on the event loop (an answer costs less than a hop to
a thread): run in threads, they would take the interpreter lock from the loop in turns and
each answer would wait many times over. Only an answer as of a past day that needs the
rules compiled as they stood goes to a thread.

Every answer carries an ETag made from the rules version and the question, so that a client
asking again gets 304 Not Modified until the rules change. Errors are JSON with a message and
the status that says what went wrong: 404 for a place we do not know (with candidates), 422
for a question that cannot be answered as asked.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse

from advisories.errors import PlaceError, QueryError
from advisories.evaluation.answer import Answer, json_default, to_json
from advisories.evaluation.orders import OrderStatus
from advisories.evaluation.query import Days, read_when
from advisories.evaluation.trips import evaluate_trip, read_trip
from advisories.load.airports import airport_place
from advisories.model.documents import Trip
from advisories.model.regions import Gazetteer
from advisories.web.responses import (
    NOT_MODIFIED,
    HealthOut,
    OrdersOut,
    RegionsOut,
    TripOut,
    errors,
)
from advisories.web.service import Service, as_of_day, not_modified, this_minute

MAX_TEXT = 200  # characters of a place name or a search
MAX_RANGE_DAYS = 366  # a year of days per question: a service answers many, none for ever


def api_router(service: Service) -> APIRouter:
    """The routes of /api/v1/, answering from `service`."""
    router = APIRouter(prefix="/api/v1")

    @router.get("/health", response_model=HealthOut)
    async def health() -> dict[str, Any]:
        """The rules version served, when it was loaded, and the last reload error; `worker`
        is the id of the process that answered, which tells a host's workers apart (each
        loads and reloads the rules on its own) when asked through a proxy."""
        rules = service.current().rules
        return {
            "status": "ok",
            "rules_version": rules.version,
            "loaded_at": service.loaded_at.isoformat(),
            "last_reload_error": service.last_reload_error,
            "orders": len(rules.orders),
            "worker": os.getpid(),
        }

    @router.get("/check", response_model=Answer, responses={**NOT_MODIFIED, **errors(404, 422)})
    async def check(
        request: Request,
        place: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)],
        at: Annotated[str | None, Query(max_length=40)] = None,
        on: Annotated[str | None, Query(max_length=40)] = None,
        from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        to: Annotated[str | None, Query(max_length=40)] = None,
        tz: Annotated[str | None, Query(max_length=64)] = None,
        as_of: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        """What is in force in `place` at an instant (`at`), on a day (`on`) or over a range
        (`from`, `to`); `as_of` (default today) is the day the answer is given as of."""
        day = as_of_day(as_of)
        evaluator = service.current()
        now = datetime.now().astimezone()
        # asked for no time, the question is "now": the tag holds for the minute only
        minute = now.astimezone(UTC).replace(second=0, microsecond=0)  # the same on every replica
        moment = minute.isoformat() if not (at or on or from_) else ""
        etag = service.etag(request, day, moment, version=evaluator.rules.version)
        if held := not_modified(request, etag):
            return held
        when = read_when(at=at, on=on, first=from_, last=to, now=now)
        if isinstance(when, Days) and (when.last - when.first).days >= MAX_RANGE_DAYS:
            days = (when.last - when.first).days + 1
            raise QueryError(
                f"{{from}} to {{to}} spans {days} days; ask at most {MAX_RANGE_DAYS} at a time",
                "to",
            )
        if not evaluator.ready_for(day):  # the rules compiled as they stood then: in a thread
            await asyncio.to_thread(evaluator.prepare_for, day)
        answer = evaluator.ask(place, when, day, tz)
        body = to_json(answer, indent=None)
        return Response(body, media_type="application/json", headers={"ETag": etag})

    @router.post(
        "/trip", response_model=TripOut, responses={**NOT_MODIFIED, **errors(400, 404, 413, 422)}
    )
    async def trip(
        request: Request,
        body: Annotated[dict[str, Any], Body()],
        as_of: Annotated[str | None, Query(max_length=40)] = None,
        lookahead: Annotated[int, Query(ge=0, le=366)] = 14,
    ) -> Response:
        """Each leg of a trip (`legs`: `place`, `from`, `to`; at most 50 legs of at most 366
        days) answered over its days, with what changes in the `lookahead` days after it."""
        day = as_of_day(as_of)
        evaluator = service.current()
        asked = json.dumps(body, sort_keys=True)
        etag = service.etag(request, day, asked, version=evaluator.rules.version)
        if held := not_modified(request, etag):
            return held
        trip = bounded(read_trip(body))
        if not evaluator.ready_for(day):  # the rules compiled as they stood then: in a thread
            await asyncio.to_thread(evaluator.prepare_for, day)
        answered = evaluate_trip(evaluator, trip, day, lookahead, airports=airport_place)
        legs = [
            {
                "leg": leg.number,
                "place": leg.leg.place,
                "name": leg.name,
                "from": leg.leg.from_,
                "to": leg.leg.to,
                "answer": leg.answer,
                "with_lookahead": leg.ahead,
            }
            for leg in answered.legs
        ]
        answer = {"as_of": day, "legs": legs}
        return Response(
            json.dumps(answer, ensure_ascii=False, default=json_default),
            media_type="application/json",
            headers={"ETag": etag},
        )

    @router.get("/regions", response_model=RegionsOut, responses={**NOT_MODIFIED, **errors(422)})
    async def regions(
        request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)]
    ) -> Response:
        """Regions a name or code may mean, the most likely first (at most 50)."""
        gazetteer = service.current().rules.gazetteer
        etag = service.etag(request, date.min)  # names do not change with the day
        if held := not_modified(request, etag):
            return held
        found = gazetteer.search(q)
        body = {
            "query": q,
            "count": len(found),
            "airport": _airport(gazetteer, q),
            "regions": [
                {
                    "code": region.code,
                    "name": region.name,
                    "type": region.type,
                    "path": [r.name for r in gazetteer.path(region.code)],
                    "aliases": list(region.aliases),
                }
                for region in found[:50]
            ],
            "cut": len(found) > 50,
        }
        return JSONResponse(body, headers={"ETag": etag})

    @router.get("/orders", response_model=OrdersOut, responses={**NOT_MODIFIED, **errors(404, 422)})
    async def orders(
        request: Request,
        region: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
        kind: Annotated[str | None, Query(max_length=64)] = None,
        status: Annotated[OrderStatus | None, Query()] = None,
        as_of: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        """Every order, the latest first, with its status now (in force, upcoming, ended,
        revoked) and whether it is past its review; filtered by a region (orders covering it,
        inside it or containing it), a kind, a status."""
        day = as_of_day(as_of)
        now = this_minute()  # statuses change with time
        etag = service.etag(request, day, now.isoformat())
        if held := not_modified(request, etag):
            return held
        found = service.orders(now, day, region, kind, status)
        body = {"as_of": day, "count": len(found), "orders": found}
        return Response(
            json.dumps(body, ensure_ascii=False, default=json_default),
            media_type="application/json",
            headers={"ETag": etag},
        )

    return router


def _airport(gazetteer: Gazetteer, query: str) -> dict[str, str] | None:
    """The region an airport's IATA code (any case) stands for in a trip, when it is one
    and no region has that code."""
    code = query.strip().upper()
    served = airport_place(code)
    if served is None or gazetteer.get(code) is not None:
        return None
    try:
        region = gazetteer.resolve(served)
    except PlaceError:  # a city we do not know: the trip would say so too
        return None
    return {"code": code, "name": f"{region.name} ({code})", "serves": region.code}


def bounded(trip: Trip) -> Trip:
    """`trip`, when its legs ask for at most MAX_RANGE_DAYS days in all (each leg is capped
    already; fifty long legs would be one question costing as much as thousands)."""
    days = sum((leg.to - leg.from_).days + 1 for leg in trip.legs)
    if days > MAX_RANGE_DAYS:
        raise QueryError(
            f"the trip's legs span {days} days in all; ask at most {MAX_RANGE_DAYS} at a time",
            "legs",
        )
    return trip
