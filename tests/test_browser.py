"""The pages of `advisory serve` in a real browser: Debian's Chromium, driven by Playwright,
at a desktop's width and a phone's. A person types, picks, submits, downloads and uploads;
no page logs an error or breaks its Content-Security-Policy, and none scrolls sideways on
a phone. Every page is photographed into out/screenshots/ to be looked at."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright
from pypdf import PdfReader

from tests.conftest import ROOT, serving

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own connections (updates, sync, first-run pages) would be refused by the closed
# network the tests run in; its sandbox needs user namespaces a container may not give.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "out" / "screenshots"
# A PDF is rendered while the browser waits; on a busy machine a long trip takes a while.
PDF_TIMEOUT = 60_000
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
LEGS = [("KHI", "2026-02-08", "2026-02-09"), ("UET", "2026-02-10", "2026-02-12"),
        ("GWD", "2026-02-13", "2026-02-14")]  # fmt: skip
TRIP_FILE = ROOT / "examples" / "trip-karachi-quetta-gwadar.yaml"


@dataclass
class Tab:
    """A page in a fresh browser context, with what went wrong on it: console errors
    (Content-Security-Policy violations among them) and uncaught script errors."""

    page: Page
    device: str
    base: str
    problems: list[str] = field(default_factory=list)
    expected_404: set[str] = field(default_factory=set)  # pages visited to see their 404

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"

    def look(self, name: str) -> None:
        """Photograph the whole page; on a phone, it must not scroll sideways."""
        if self.device == "phone":
            wide, window = self.page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert wide <= window, f"{name}: {wide}px wide in a {window}px window"
        path = SCREENSHOTS / f"{name}-{self.device}.png"
        self.page.screenshot(path=path, full_page=True, scale="css")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`advisory serve` on a free loopback port, as a user starts it; its base URL."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving("--rules", str(ROOT / "rules"), log=log) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield found
        found.close()


@pytest.fixture(params=list(DEVICES))
def tab(request: pytest.FixtureRequest, browser: Browser, server: str) -> Iterator[Tab]:
    device: str = request.param
    context = browser.new_context(**DEVICES[device])
    context.set_default_timeout(10_000)
    page = context.new_page()
    found = Tab(page, device, server)

    def console(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        deliberate = where in found.expected_404
        if message.type == "error" and not (deliberate and "status of 404" in message.text):
            found.problems.append(f"{where}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: found.problems.append(f"{page.url}: {error}"))
    yield found
    context.close()


def test_a_place_picked_from_suggestions_shows_its_restrictions_and_their_pdf(tab: Tab) -> None:
    page = tab.page
    tab.open("/")
    tab.look("home")
    place = page.locator("#place")
    place.click()
    place.press_sequentially("Quet", delay=30)
    suggestions = page.locator("#place-suggestions")
    expect(suggestions).to_be_visible()
    city = suggestions.locator('li[role="option"][data-code="PK-BA-QUETTA-QUETTA"]')
    expect(city).to_contain_text(re.compile(r"^Quetta PK-BA-QUETTA-QUETTA"))
    expect(place).to_have_attribute("aria-expanded", "true")
    tab.look("home-suggestions")
    city.tap() if tab.device == "phone" else city.click()
    expect(place).to_have_value("PK-BA-QUETTA-QUETTA")
    expect(suggestions).to_be_hidden()
    page.locator("#from").fill("2026-02-10")
    page.get_by_role("button", name="Show restrictions").click()
    page.wait_for_url(
        re.compile(r"/briefing\?place=PK-BA-QUETTA-QUETTA&from=2026-02-10&to=&lang=en$")
    )

    briefing = page.locator("article.briefing")
    expect(briefing.locator("h1")).to_have_text("Security briefing: Quetta")
    for said in ("Bottom line", "Month-long Section 144 across Balochistan",
                 "Pillion riding on motorcycles"):  # fmt: skip
        expect(briefing).to_contain_text(said)
    expect(page.locator("#place")).to_have_value("PK-BA-QUETTA-QUETTA")  # the form keeps it
    expect(page.locator("#from")).to_have_value("2026-02-10")
    tab.look("briefing")

    with page.expect_download(timeout=PDF_TIMEOUT) as caught:
        page.get_by_role("link", name="Download PDF").click(timeout=PDF_TIMEOUT)
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Quetta" in text and "Pillion riding" in text and "Section 144" in text
    assert tab.problems == []


def test_a_trip_typed_with_airport_codes_is_summarised_leg_by_leg(tab: Tab) -> None:
    page = tab.page
    tab.open("/trip")
    tab.look("trip")
    for number, (code, first, last) in enumerate(LEGS, 1):
        place = page.get_by_label(f"Leg {number} place")
        place.click()
        with page.expect_response(re.compile(rf"/api/v1/regions\?q={code}$")) as answer:
            place.press_sequentially(code, delay=30)
        if answer.value.json()["regions"]:  # a glance at the suggestions, then on
            expect(page.locator(f"#leg-suggestions-{number}")).to_be_visible()
        place.press("Tab")
        page.get_by_label(f"Leg {number} from").fill(first)
        page.get_by_label(f"Leg {number} to").fill(last)
    page.get_by_role("button", name="Brief this trip").click()
    page.wait_for_url(re.compile(r"/trip\?title=&place=KHI&from=2026-02-08&"))

    expect(page.get_by_role("heading", name="Trip summary")).to_be_visible()
    legs = page.locator("article.briefing .place-line")
    expect(legs).to_have_text("Karachi (KHI) → Quetta (UET) → Gwadar (GWD)")
    columns = page.locator(".trip-summary table thead th")
    expect(columns).to_have_text([
        "Restriction", re.compile(r"^1\. Karachi \(KHI\), 8 Feb 2026"),
        re.compile(r"^2\. Quetta \(UET\), 10 Feb 2026"), re.compile(r"^3\. Gwadar \(GWD\), 13 Feb"),
    ])  # fmt: skip
    pillion = page.locator(".trip-summary tbody tr", has_text="Pillion riding on motorcycles")
    expect(pillion.locator("td")).to_have_text(["—", "in force", "in force"])
    expect(page.get_by_label("Leg 2 place")).to_have_value("UET")  # the legs stay to be changed
    expect(page.get_by_label("Leg 5 place")).to_have_value("")  # and two more are offered
    tab.look("trip-briefing")
    assert tab.problems == []


def test_an_uploaded_trip_file_is_briefed(tab: Tab) -> None:
    page = tab.page
    tab.open("/trip")
    page.locator("#trip-file").set_input_files(TRIP_FILE)
    page.get_by_role("button", name="Upload and brief").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Trip summary")).to_be_visible()
    briefing = page.locator("article.briefing")
    expect(briefing).to_contain_text("Field visit: Karachi, Quetta, Gwadar")
    expect(page.locator(".trip-summary table thead th")).to_have_count(4)  # a column per leg
    expect(page.get_by_label("Leg 3 place")).to_have_value("Gwadar")
    expect(page.get_by_label("Leg 3 from")).to_have_value("2026-02-25")
    tab.look("trip-upload")

    with page.expect_download(timeout=PDF_TIMEOUT) as caught:  # the text is sent to be rendered
        page.get_by_role("button", name="Download PDF").click(timeout=PDF_TIMEOUT)
    data = Path(caught.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Field visit: Karachi, Quetta, Gwadar" in text and "Field team A" in text
    assert tab.problems == []


def test_the_orders_filtered_to_ended_show_only_ended_orders(tab: Tab) -> None:
    page = tab.page
    tab.open("/orders")
    everything = page.locator("table.orders tbody tr").count()
    tab.look("orders")
    page.get_by_label("Status").select_option("ended")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/orders\?.*status=ended"))

    rows = page.locator("table.orders tbody tr")
    ended = rows.count()
    assert 0 < ended < everything
    expect(rows.locator(".status.status-ended")).to_have_count(ended)
    expect(rows.locator(".status:not(.status-ended)")).to_have_count(0)
    expect(page.locator("p.count")).to_have_text(f"{ended} orders.")
    expect(page.get_by_label("Status")).to_have_value("ended")
    tab.look("orders-ended")
    assert tab.problems == []


def test_a_misspelt_place_gets_a_page_offering_what_was_meant(tab: Tab) -> None:
    page = tab.page
    url = tab.base + "/briefing?place=Quetaa&on=2026-02-10"
    tab.expected_404.add(url)
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Place not found")).to_be_visible()
    meant = page.locator("ul.candidates a", has_text="Quetta")
    expect(meant.first).to_be_visible()
    tab.look("error")
    meant.first.click()
    page.wait_for_url(re.compile(r"/briefing\?place=PK-BA-QUETTA"))
    expect(page.locator("article.briefing")).to_contain_text("Bottom line")
    assert tab.problems == []


@pytest.mark.parametrize("tab", ["desktop"], indirect=True)
def test_suggestions_answered_after_the_place_is_left_stay_closed(tab: Tab) -> None:
    """On a slow network the suggestions come after the user has moved on: they must not
    open under a field no one is in (nothing would close them, over the rows below)."""
    page = tab.page
    tab.open("/trip")
    held: list[Route] = []  # the questions for suggestions, answered when the test says
    page.route(re.compile(r"/api/v1/regions\?q="), lambda route: held.append(route))
    place = page.get_by_label("Leg 1 place")
    with page.expect_request(re.compile(r"/api/v1/regions\?q=UET")):
        place.press_sequentially("UET", delay=30)
    place.press("Tab")
    expect(page.get_by_label("Leg 1 from")).to_be_focused()
    page.wait_for_timeout(300)  # the field is left: web.js closes its list 100 ms after
    assert held, "the question for suggestions was held"
    with page.expect_response(re.compile(r"/api/v1/regions\?q=UET")):
        for route in held:
            route.continue_()
    page.wait_for_timeout(500)  # the answer read, and shown if it is to be
    assert page.locator("#leg-suggestions-1").is_hidden()


URDU_PAGES = [
    ("home-ur", "/?lang=ur"),
    ("briefing-ur", "/briefing?place=Quetta&on=2026-02-10&as_of=2026-03-01&lang=ur"),
    ("trip-ur", "/trip?place=KHI&from=2026-02-08&to=2026-02-09&place=UET&from=2026-02-10"
     "&to=2026-02-12&place=GWD&from=2026-02-13&to=2026-02-14&lang=ur"),
    ("orders-ur", "/orders?region=PK-BA&lang=ur"),
]  # fmt: skip


def test_the_pages_in_urdu_read_right_to_left_in_nastaliq(tab: Tab) -> None:
    """Chosen from the English page, Urdu stays as the reader moves on; each page is mirrored
    (the site's name at the right), set in Nastaliq, and fits a phone."""
    page = tab.page
    tab.open("/")
    page.locator("nav.languages").get_by_role("link", name="اردو", exact=True).click()
    page.wait_for_url(re.compile(r"/\?lang=ur$"))
    page.get_by_role("link", name="سفر", exact=True).click()
    page.wait_for_url(re.compile(r"/trip\?lang=ur$"))
    for name, path in URDU_PAGES:
        tab.open(path)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        brand, nav = (
            page.locator(s).bounding_box() for s in (".brand", "header.site nav:not(.languages)")
        )
        assert brand and nav and brand["x"] > nav["x"], f"{name}: the header is not mirrored"
        face = page.locator("h1").first.evaluate("h => getComputedStyle(h).fontFamily")
        assert face.startswith('"Noto Nastaliq Urdu"'), face
        tab.look(name)
    assert tab.problems == []
