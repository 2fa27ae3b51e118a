"""The pages of `advisory serve` and its briefing PDFs: what a person sees in a browser,
without a browser (test_browser.py drives a real one)."""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from advisories.briefing import BriefingOptions, RenderedBriefing, answer_trip
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.query import Days
from advisories.evaluation.trips import TripAnswer, place_trip
from advisories.web.app import create_app
from advisories.web.bytes_cache import BytesCache
from advisories.web.pdfs import PdfRenderer, RenderUnavailable
from tests.conftest import ROOT

Job = Callable[[], tuple[TripAnswer, BriefingOptions]]
Param = tuple[str, str | int | float | bool | None]
TRIP: list[Param] = [("place", "KHI"), ("from", "2026-02-08"), ("to", "2026-02-09"),
        ("place", "UET"), ("from", "2026-02-10"), ("to", "2026-02-12"),
        ("place", "GWD"), ("from", "2026-02-13"), ("to", "")]  # fmt: skip


@pytest.fixture(scope="module")
def client(bundled: RuleSet) -> Iterator[TestClient]:
    with TestClient(create_app(lambda: bundled)) as found:
        yield found


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_home_asks_for_a_place_and_days_and_links_real_orders(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<form class="ask" action="/briefing" method="get"' in html
    assert 'name="place"' in html and 'name="from" type="date"' in html
    examples = re.findall(r'href="(/briefing\?[^"]+)"', html)
    assert examples, "the latest orders are offered as examples"
    for href in examples:
        assert client.get(href.replace("&amp;", "&")).status_code == 200


def test_the_briefing_page_shows_what_the_html_briefing_shows(client: TestClient) -> None:
    page = client.get("/briefing", params={"place": "Quetta", "from": "2026-02-10", "to": ""})
    assert page.status_code == 200
    html = page.text
    assert "Security briefing: Quetta" in html and "Bottom line" in html
    assert "Month-long Section 144 across Balochistan" in html
    assert "Pillion riding on motorcycles" in html
    assert 'href="/briefing.pdf?place=Quetta&amp;from=2026-02-10"' in html
    assert 'value="Quetta"' in html and 'value="2026-02-10"' in html  # the form keeps them


def test_the_pdf_names_the_restrictions_and_comes_from_memory_again(client: TestClient) -> None:
    params = {"place": "Quetta", "on": "2026-02-10", "as_of": "2026-03-01"}
    first = client.get("/briefing.pdf", params=params)
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert 'filename="briefing-quetta-2026-02-10.pdf"' in first.headers["content-disposition"]
    text = pdf_text(first.content)
    assert "Security briefing: Quetta" in text and "Pillion riding" in text
    again = client.get("/briefing.pdf", params=params)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    unchanged = client.get("/briefing.pdf", params=params,
                           headers={"If-None-Match": first.headers["etag"]})  # fmt: skip
    assert unchanged.status_code == 304


def test_a_trip_typed_with_airport_codes(client: TestClient) -> None:
    page = client.get("/trip", params=TRIP)
    assert page.status_code == 200
    html = page.text
    assert "Karachi (KHI) → Quetta (UET) → Gwadar (GWD)" in html
    assert "Trip summary" in html
    assert html.count('name="place"') == 5  # three legs and two rows for more
    link = re.search(r'href="(/trip\.pdf\?[^"]+)"', html)
    assert link is not None
    pdf = client.get(link[1].replace("&amp;", "&"))
    assert pdf.status_code == 200 and "Quetta (UET)" in pdf_text(pdf.content)


def test_an_empty_trip_form_and_a_wrong_leg(client: TestClient) -> None:
    empty = client.get("/trip")
    assert empty.status_code == 200 and empty.text.count('name="place"') == 3
    backwards = client.get("/trip", params=[("place", "Quetta"), ("from", "2026-02-10"),
                                             ("to", "2026-02-01")])  # fmt: skip
    assert backwards.status_code == 422
    assert "legs.0: &#39;to&#39; 2026-02-01 is before &#39;from&#39; 2026-02-10" in backwards.text
    unknown = client.get("/trip", params=[("place", "Quetaa"), ("from", "2026-02-10")])
    assert unknown.status_code == 404 and "unknown place" in unknown.text
    assert 'value="Quetaa"' in unknown.text  # what was typed stays, to be mended


def test_a_trip_file_uploaded_and_downloaded(client: TestClient) -> None:
    data = (ROOT / "examples" / "trip-karachi-quetta-gwadar.yaml").read_bytes()
    page = client.post("/trip", files={"file": ("trip.yaml", data, "application/yaml")})
    assert page.status_code == 200
    assert "Trip summary" in page.text
    hidden = re.search(r'<input type="hidden" name="trip" value="([^"]*)"', page.text)
    assert hidden is not None
    pdf = client.post("/trip.pdf", data={"trip": data.decode()})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    broken = client.post("/trip", files={"file": ("trip.yaml", b"legs: [oops", "text/yaml")})
    assert broken.status_code == 422 and "the uploaded trip file" in broken.text


def test_the_orders_page_lists_status_and_filters(client: TestClient, bundled: RuleSet) -> None:
    every = client.get("/orders")
    assert every.status_code == 200
    assert f"{len(bundled.orders)} orders." in every.text
    ended = client.get("/orders", params={"region": "PK-BA", "status": "ended",
                                          "kind": "pillion-riding"})  # fmt: skip
    assert ended.status_code == 200
    assert "covering, inside or containing Balochistan" in ended.text
    assert "in force</span>" not in ended.text and "ended</span>" in ended.text
    assert "Month-long Section 144 across Balochistan" in ended.text
    assert "Islamabad" not in re.sub(r"<option.*?</option>", "", ended.text)


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/briefing?place=Quetaa&on=2026-02-10", 404, "Quetta District"),
        ("/briefing?place=Quetta&on=2026-13-01", 422, "is not a date"),
        ("/briefing?place=Quetta&from=2026-02-10&to=2026-01-01", 422, "before"),
        ("/briefing?place=Quetta&from=2025-01-01&to=2026-06-01", 422, "at most 366 days"),
        ("/orders?kind=nonsense", 422, "unknown kind"),
        ("/nowhere", 404, "Not Found"),
        ("/assets/../../pyproject.toml", 404, "Not Found"),
        ("/assets/briefing.html", 404, "there is no asset"),
    ],
)
def test_a_page_that_cannot_answer_says_why_as_a_page(
    client: TestClient, path: str, status: int, says: str
) -> None:
    page = client.get(path)
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert says in page.text


def test_an_unknown_place_offers_the_places_meant_as_links(client: TestClient) -> None:
    page = client.get("/briefing", params={"place": "Quetaa", "on": "2026-02-10"})
    assert 'href="/briefing?place=PK-BA-QUETTA-QUETTA&amp;on=2026-02-10"' in page.text


def test_pages_run_no_inline_script_and_load_only_our_assets(client: TestClient) -> None:
    for path in ("/", "/trip", "/orders", "/briefing?place=Quetta&on=2026-02-10"):
        page = client.get(path)
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/assets/web.js" defer>']
        assert "<style" not in page.text and " style=" not in page.text
        for asset in re.findall(r'(?:href|src)="(/assets/[^"]+)"', page.text):
            served = client.get(asset)
            assert served.status_code == 200 and served.headers["etag"]


def test_a_body_of_unknown_length_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"legs: []"

    response = client.post("/api/v1/trip", content=chunks())
    assert response.status_code == 411


def test_the_pdf_cache_keeps_within_its_bytes() -> None:
    cache = BytesCache(max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    assert cache.get("a") == b"12345"  # now the most recently used
    cache.put("c", b"123")
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    assert cache.size <= 10
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None and len(cache) == 2


def briefing_of(rules: RuleSet, place: str) -> Job:
    """What a route hands the renderer: the place's trip answered, and the options."""
    options = BriefingOptions(as_of=date(2026, 3, 1))
    trip = place_trip(place, Days(date(2026, 2, 10), date(2026, 2, 10)))
    return lambda: (answer_trip(rules, trip, options), options)


def test_a_render_over_its_time_is_stopped_and_the_next_one_works(bundled: RuleSet) -> None:
    async def run() -> None:
        slow = PdfRenderer(time_limit=0.001)
        with pytest.raises(RenderUnavailable, match="took longer than"):
            await slow.pdf("k", briefing_of(bundled, "Quetta"))
        slow.time_limit = 60
        data = await slow.pdf("k", briefing_of(bundled, "Gwadar"))
        assert data.startswith(b"%PDF-") and "Gwadar" in pdf_text(data)
        slow.close()

    asyncio.run(run())


def test_a_full_queue_asks_to_come_back(bundled: RuleSet) -> None:
    async def run() -> None:
        renderer = PdfRenderer(workers=1, max_waiting=0)
        first = asyncio.create_task(renderer.pdf("one", briefing_of(bundled, "Quetta")))
        await asyncio.sleep(0)  # the first runs up to its render: it has the only place
        with pytest.raises(RenderUnavailable) as refused:
            await renderer.pdf("two", briefing_of(bundled, "Gwadar"))
        assert refused.value.retry_after
        assert (await first).startswith(b"%PDF-")
        renderer.close()

    asyncio.run(run())


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/orders?status=ended",
        "/briefing?place=Quetta&on=2026-02-10",
        "/trip?place=UET&from=2026-02-10",
    ],
)
def test_pages_carry_an_etag_and_answer_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_pdf_asked_for_by_a_program_fails_as_json(client: TestClient) -> None:
    params = {"place": "Quetaa", "on": "2026-02-10"}
    failed = client.get("/briefing.pdf", params=params, headers={"Accept": "application/json"})
    assert failed.status_code == 404
    assert "PK-BA-QUETTA-QUETTA  Quetta (city)" in " ".join(failed.json()["candidates"])
    by_browser = client.get("/briefing.pdf", params=params, headers={"Accept": "text/html"})
    assert by_browser.status_code == 404 and "Did you mean" in by_browser.text
    too_long = client.get("/briefing.pdf", params={"place": "Quetta", "from": "2025-01-01",
                                                    "to": "2026-06-01"},
                          headers={"Accept": "application/json"})  # fmt: skip
    assert too_long.status_code == 422 and "366" in too_long.json()["error"]


def test_a_worker_killed_mid_render_fails_that_pdf_only(bundled: RuleSet) -> None:
    """A worker ended by the system (out of memory, a signal): the PDF under way is refused
    with 503's reason, and the next one renders in a new worker."""

    async def run() -> None:
        renderer = PdfRenderer()
        renderer.start()
        pool = renderer._ensure_pool()
        asked = asyncio.create_task(renderer.pdf("one", briefing_of(bundled, "PK-BA")))
        while not pool._processes:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # the render under way
        for process in list(pool._processes.values()):
            process.kill()
        with pytest.raises(RenderUnavailable, match="try again"):
            await asked
        data = await renderer.pdf("two", briefing_of(bundled, "Gwadar"))
        assert data.startswith(b"%PDF-")
        renderer.close()

    asyncio.run(run())


def slow_render(answered: TripAnswer, options: BriefingOptions) -> RenderedBriefing:
    """A render that takes a known time (run in the renderer's worker process)."""
    time.sleep(0.6)
    return RenderedBriefing(b"%PDF-slow " + answered.legs[0].name.encode(), [])


def test_a_render_waiting_for_the_worker_has_its_whole_time(bundled: RuleSet) -> None:
    """The time limit runs from when a worker takes the render, not from when it was asked:
    two renders each within the limit both succeed though together they exceed it."""

    async def run() -> None:
        renderer = PdfRenderer(workers=1, render=slow_render)
        await renderer.pdf("warm", briefing_of(bundled, "Quetta"))  # the worker started
        renderer.time_limit = 1.0  # room for one render, not for two in a row
        both = await asyncio.gather(renderer.pdf("a", briefing_of(bundled, "PK-BA")),
                                    renderer.pdf("b", briefing_of(bundled, "Gwadar")))  # fmt: skip
        assert list(both) == [b"%PDF-slow Balochistan", b"%PDF-slow Gwadar"]
        renderer.close()

    asyncio.run(run())


def test_a_pdf_is_keyed_by_the_question_as_read(client: TestClient) -> None:
    """Parameters the route does not read cannot ask for another render of the same PDF."""
    params = {"place": "Gwadar", "on": "2026-02-10", "as_of": "2026-03-01"}
    plain = client.get("/briefing.pdf", params=params)
    junk = client.get("/briefing.pdf", params={**params, "junk": "1"})
    assert plain.status_code == junk.status_code == 200
    assert plain.headers["etag"] == junk.headers["etag"] and plain.content == junk.content
    other_day = client.get("/briefing.pdf", params={**params, "on": "2026-02-11"})
    assert other_day.headers["etag"] != plain.headers["etag"]


def test_a_page_as_of_a_past_day_leaves_out_what_came_later(client: TestClient) -> None:
    """As of 20 Feb 2026 the March order was not yet announced: the page does not show it."""
    later = {"place": "Quetta", "on": "2026-03-05", "as_of": "2026-04-01"}
    assert "Section 144" in client.get("/briefing", params=later).text
    before = client.get("/briefing", params={**later, "as_of": "2026-02-20"})
    assert before.status_code == 200
    assert "pk-ba-2026-03-s144" not in before.text


def test_the_places_meant_on_the_orders_page_are_links_it_reads(client: TestClient) -> None:
    page = client.get("/orders", params={"region": "Quetaa"})
    assert page.status_code == 404
    assert 'href="/orders?region=PK-BA-QUETTA-QUETTA"' in page.text


def hungry_render(answered: TripAnswer, options: BriefingOptions) -> RenderedBriefing:
    """A render that takes memory without end, 64 MiB at a time (in the renderer's worker)."""
    held = [bytearray(64 * 1024 * 1024) for _ in range(1024)]
    return RenderedBriefing(bytes(len(held)), [])


def test_a_render_past_its_memory_limit_is_refused_and_the_next_one_works(
    bundled: RuleSet,
) -> None:
    async def run() -> None:
        renderer = PdfRenderer(memory_limit=200 * 1024 * 1024, render=hungry_render)
        with pytest.raises(
            RenderUnavailable, match=r"more memory than a render may take \(200 MiB\)"
        ):
            await renderer.pdf("k", briefing_of(bundled, "Quetta"))
        renderer.render = slow_render
        assert await renderer.pdf("k", briefing_of(bundled, "Gwadar")) == b"%PDF-slow Gwadar"
        renderer.close()

    asyncio.run(run())
