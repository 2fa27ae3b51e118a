"""Hostile analyst text renders as inert text: nothing is fetched, evaluated or embedded.

The rule tree is tests/fixtures/hostile/hostile.yaml beside a copy of the Pakistan gazetteer; its
free-text fields hold script tags, Jinja syntax, CSS url() and @import, <img> and
<link rel=attachment> pointing at a loopback HTTP listener and at local files. The listener
records every connection; no test may make it receive one. Nothing here leaves the loopback.
"""

from __future__ import annotations

import html as htmllib
import io
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import ProxyHandler, build_opener

import pytest
from markupsafe import escape
from pypdf import PdfReader

from advisories.evaluation.trips import evaluate_trip
from advisories.load.documents import load_organisation
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from advisories.render.context import build_briefing
from advisories.render.environment import assets_dir
from advisories.render.html import render_html
from advisories.render.pdf import AssetsOnlyFetcher, RenderedPdf, render_pdf
from tests.conftest import AS_OF, FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile"
PLACE = "PK-BA-QUETTA-HOSTILE"  # a town the hostile file adds, with a hostile name
PAYLOAD = """<script>alert(1)</script>
{{ 7*7 }} {% raw %}{{ 7*7 }}{% endraw %} {# hidden #} ${7*7}
<div style="background: url(http://127.0.0.1:@PORT@/css)">url(http://127.0.0.1:@PORT@/css)</div>
<img src="http://127.0.0.1:@PORT@/img">
<img src="file:///etc/passwd">
<link rel="attachment" href="http://127.0.0.1:@PORT@/attach">
<link rel=attachment href="file:///etc/hostname">
<style>@import url(http://127.0.0.1:@PORT@/import)</style>"""
# Every free-text field of hostile.yaml and organisation.yaml that a briefing shows; each holds
# "[marker]" and then PAYLOAD.
MARKERS = [
    "source-title",
    "source-publisher",
    "kind-advice",
    "kind-guidance",
    "order-title",
    "order-authority",
    "order-legal-basis",
    "order-as-written",
    "restriction-text",
    "restriction-text-2",
    "restriction-guidance",
    "restriction-note",
    "exemption-text",
    "context-title",
    "context-summary",
    "org-guidance",
]


# --- the loopback listener --------------------------------------------------------------------


@dataclass
class Listener:
    """An HTTP server on 127.0.0.1 that records every connection and request it gets."""

    server: ThreadingHTTPServer
    thread: threading.Thread
    seen: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def start_listener() -> Listener:
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def setup(self) -> None:
            seen.append(f"connection from {self.client_address}")
            super().setup()

        def answer(self) -> None:
            seen.append(f"{self.command} {self.path}")
            body = b"fetched"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = do_PUT = answer

        def log_message(self, format: str, *args: object) -> None:
            pass  # recorded in `seen`; nothing on stderr

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="loopback-listener", daemon=True
    )
    thread.start()
    return Listener(server, thread, seen)


@pytest.fixture(scope="module")
def listener(request: pytest.FixtureRequest) -> Listener:
    started = start_listener()

    def stop() -> None:
        started.server.shutdown()
        started.server.server_close()
        started.thread.join(timeout=5)

    request.addfinalizer(stop)
    return started


@pytest.fixture(autouse=True)
def _no_fetch_leaks(listener: Listener) -> Iterator[None]:
    """After every test in this module, the listener has still heard nothing."""
    yield
    assert listener.seen == [], listener.seen


def test_a_listener_records_what_reaches_it() -> None:
    """The checks below are worth something only if a listener notices a fetch."""
    probe = start_listener()
    try:
        direct = build_opener(ProxyHandler({}))  # never via a proxy from the environment
        with direct.open(probe.url("/probe"), timeout=5) as response:
            assert response.read() == b"fetched"
        assert "GET /probe" in probe.seen
    finally:
        probe.server.shutdown()
        probe.server.server_close()
        probe.thread.join(timeout=5)


# --- the hostile briefing, rendered once --------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    port: int
    html: str
    pdf: RenderedPdf
    reader: PdfReader
    text: str  # all pages' extracted text


def with_port(text: str, port: int) -> str:
    return text.replace("@PORT@", str(port))


@pytest.fixture(scope="module")
def hostile(listener: Listener, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    tree = folder / "rules"
    tree.mkdir()
    shutil.copy(ROOT / "rules" / "PK" / "gazetteer.yaml", tree / "gazetteer.yaml")
    for name, target in (("hostile.yaml", tree), ("organisation.yaml", folder)):
        text = with_port((HOSTILE / name).read_text("utf-8"), listener.port)
        (target / name).write_text(text, "utf-8")
    rules = load_rules(tree)
    organisation, logo = load_organisation(folder / "organisation.yaml", rules.kinds)
    logo_url = logo.url if logo else None
    # Over the order's first day, so its title shows among the changes too.
    leg = Leg.model_validate({"place": PLACE, "from": date(2026, 1, 30), "to": date(2026, 2, 2)})
    answer = evaluate_trip(rules, Trip(legs=[leg]), AS_OF)
    html = render_html(build_briefing(answer, organisation=organisation, logo_url=logo_url))
    pdf = render_pdf(html)
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return Hostile(listener.port, html, pdf, reader, text)


def test_fixture_fields_hold_the_payload() -> None:
    """Keeps PAYLOAD and MARKERS here in step with the fixture files."""
    text = (HOSTILE / "hostile.yaml").read_text() + (HOSTILE / "organisation.yaml").read_text()
    for marker in MARKERS:
        assert f"[{marker}]" in text
    assert text.count(PAYLOAD.splitlines()[3]) >= len(MARKERS)


def test_every_hostile_field_reaches_the_html_as_escaped_text(hostile: Hostile) -> None:
    for marker in MARKERS:
        written = with_port(f"[{marker}]\n{PAYLOAD}", hostile.port)
        assert str(escape(written)) in hostile.html, f"{marker}: not shown verbatim and escaped"


class Elements(HTMLParser):
    """Every start tag of a document with its attributes, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def test_html_has_no_live_markup_from_the_rules(hostile: Hostile) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.html
    elements = Elements(hostile.html).found
    tags = [tag for tag, _ in elements]
    for banned in ("script", "img", "link", "iframe", "object", "embed", "base", "image"):
        assert banned not in tags, f"a live <{banned}> element"  # no logo in the hostile org
    assert tags.count("style") == 1  # ours, in the head
    for tag, attrs in elements:
        for name, value in attrs:
            assert not name.startswith("on"), f"<{tag} {name}>"
            for bad in ("127.0.0.1", "file:", "url(", "javascript:"):
                assert bad not in (value or "").lower(), f"<{tag} {name}={value!r}>"
    lowered = hostile.html.lower()
    stylesheet = lowered[lowered.index("<style") : lowered.index("</style>")]
    assert "127.0.0.1" not in stylesheet and "@import" not in stylesheet


def test_hostile_organisation_name_stays_inside_the_logo_alt(
    listener: Listener, tmp_path: Path
) -> None:
    """The one place an organisation's text reaches an attribute: the logo's alt, quoted."""
    shutil.copy(ROOT / "examples" / "example-logo.png", tmp_path / "logo.png")
    text = with_port((HOSTILE / "organisation.yaml").read_text("utf-8"), listener.port)
    (tmp_path / "org.yaml").write_text(text + "logo: logo.png\n", "utf-8")
    rules = load_rules(ROOT / "rules")
    organisation, logo = load_organisation(tmp_path / "org.yaml", rules.kinds)
    logo_url = logo.url if logo else None
    day = date(2026, 2, 10)
    leg = Leg.model_validate({"place": "Quetta", "from": day, "to": day})
    answer = evaluate_trip(rules, Trip(legs=[leg]), AS_OF)
    html = render_html(build_briefing(answer, organisation=organisation, logo_url=logo_url))
    images = [dict(attrs) for tag, attrs in Elements(html).found if tag == "img"]
    assert len(images) == 1
    assert set(images[0]) == {"class", "src", "alt"}
    assert (images[0]["src"] or "").startswith("data:image/png;base64,")
    assert images[0]["alt"] == "<script>alert(1)</script> {{ 7*7 }}"
    assert [tag for tag, _ in Elements(html).found].count("script") == 0


def test_jinja_syntax_in_rules_is_shown_not_evaluated(hostile: Hostile) -> None:
    # Each field's "{{ 7*7 }}", "{% raw %}" and "{# hidden #}" survive as written (checked whole
    # above); here: nothing anywhere was evaluated to 49, and the literal text reaches the PDF.
    jinja = PAYLOAD.splitlines()[1]
    for marker in MARKERS:
        shown = hostile.html[hostile.html.index(f"[{marker}]") :].splitlines()[2]
        assert shown == jinja and "49" not in shown, f"{marker}: {shown!r}"
    assert "{{ 7*7 }}" in hostile.text
    assert "<script>alert(1)</script>" in hostile.text  # printed as text, for people to see


def test_hostile_place_name_is_escaped_in_title_and_header(hostile: Hostile) -> None:
    image = f'<img src="http://127.0.0.1:{hostile.port}/place">'
    name = f"<script>alert(1)</script> {{{{ 7*7 }}}} {image}"
    found = re.search(r"<title>(.*?)</title>", hostile.html, re.DOTALL)
    assert found is not None and f"<title>Security briefing: {escape(name)}" in hostile.html
    metadata = hostile.reader.metadata
    assert metadata is not None and metadata.title == htmllib.unescape(found.group(1))
    last_page = hostile.reader.pages[-1].extract_text()
    assert "".join(name.split()) in "".join(last_page.split())  # the running header


def test_nothing_was_fetched(hostile: Hostile, listener: Listener) -> None:
    assert hostile.pdf.refused == []  # nothing was even asked for
    assert hostile.pdf.warnings == []
    assert listener.seen == []


def test_pdf_embeds_no_files_and_no_images(hostile: Hostile) -> None:
    reader = hostile.reader
    assert dict(reader.attachments) == {}
    names = reader.root_object.get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            subtype = annotation.get_object().get("/Subtype")
            assert subtype != "/FileAttachment", f"page {number} has a file attachment"
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for xobject in (xobjects or {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image", f"page {number} has an image"


def test_pdf_contains_no_local_file(hostile: Hostile) -> None:
    assert "root:x:0:0" not in hostile.text
    hostname_file = Path("/etc/hostname")
    if hostname_file.is_file():
        lines = hostname_file.read_text(errors="replace").splitlines()
        hostname = lines[0].strip() if lines else ""
        if hostname and hostname not in hostile.html:  # else the check proves nothing
            assert hostname not in hostile.text


# --- the fetcher on its own ---------------------------------------------------------------------


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    """An assets folder with a stylesheet, a nested icon, and a symlink that points outside."""
    folder = tmp_path / "assets"
    (folder / "icons").mkdir(parents=True)
    (folder / "briefing.css").write_text("body { color: black }")
    (folder / "icons" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "secret.txt").write_text("not for the PDF")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    return folder


def test_fetcher_serves_files_under_assets(assets: Path) -> None:
    fetcher = AssetsOnlyFetcher(assets)
    response = fetcher.fetch((assets / "briefing.css").as_uri())
    assert response.read() == b"body { color: black }"
    assert response.content_type == "text/css"
    nested = fetcher.fetch((assets / "icons" / "dot.svg").as_uri())
    assert nested.read().startswith(b"<svg")
    assert fetcher.refused == []


def test_fetcher_serves_the_project_stylesheet() -> None:
    fetcher = AssetsOnlyFetcher(assets_dir())
    body = fetcher.fetch((assets_dir() / "briefing.css").as_uri()).read()
    assert body == (assets_dir() / "briefing.css").read_bytes()


def test_fetcher_serves_only_the_registered_data_url(assets: Path) -> None:
    logo = "data:image/png;base64,iVBORw0KGgo="
    fetcher = AssetsOnlyFetcher(assets, {logo: (b"\x89PNG\r\n\x1a\n", "image/png")})
    assert fetcher.fetch(logo).read() == b"\x89PNG\r\n\x1a\n"
    other = "data:image/png;base64,AAAA"
    with pytest.raises(PermissionError):
        fetcher.fetch(other)
    assert fetcher.refused == [other]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:@PORT@/x",
        "https://127.0.0.1:@PORT@/x",
        "https://example.org/x",
        "ftp://127.0.0.1:@PORT@/x",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "@ASSETS@/../secret.txt",
        "@ASSETS@/%2e%2e/secret.txt",
        "@ASSETS@/icons/../../secret.txt",
        "@ASSETS@/link.txt",
        "@ASSETS@/missing.css",
        "@ASSETS@",
        "data:text/plain;base64,aGVsbG8=",
        "data:text/html,<img src=http://127.0.0.1:@PORT@/data>",
        "//127.0.0.1:@PORT@/x",
        "briefing.css",
    ],
)
def test_fetcher_refuses_everything_else(assets: Path, listener: Listener, url: str) -> None:
    url = with_port(url, listener.port).replace("@ASSETS@", assets.as_uri())
    fetcher = AssetsOnlyFetcher(assets)
    with pytest.raises(PermissionError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert listener.seen == []


def test_render_pdf_refuses_and_reports_fetches_markup_asks_for(listener: Listener) -> None:
    """Were markup ever to slip through, WeasyPrint still fetches nothing and says so."""
    url = listener.url
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>t</title>"
        f"<link rel='stylesheet' href='{url('/sheet.css')}'>"
        f"<style>@import url({url('/import')}); body {{ background: url({url('/bg')}) }}</style>"
        f"</head><body><p>x</p><img src='{url('/img')}'><img src='file:///etc/passwd'>"
        f"<link rel='attachment' href='{url('/attach')}'>"
        "<link rel='attachment' href='file:///etc/hostname'>"
        "<a rel='attachment' href='file:///etc/passwd'>a</a>"
        f"<svg><image href='{url('/svg')}' width='5' height='5'/></svg></body></html>"
    )
    rendered = render_pdf(html)
    expected = {
        url(path) for path in ("/sheet.css", "/import", "/bg", "/img", "/attach", "/svg")
    } | {"file:///etc/passwd", "file:///etc/hostname"}
    assert set(rendered.refused) == expected
    assert len(rendered.warnings) >= len(expected)
    assert all("refused" in warning for warning in rendered.warnings)
    reader = PdfReader(io.BytesIO(rendered.data))
    assert dict(reader.attachments) == {}
    assert listener.seen == []


def test_listener_heard_nothing_at_the_end(listener: Listener) -> None:
    assert listener.seen == []


def test_a_character_no_font_can_draw_is_a_warning() -> None:
    from advisories.render.pdf import render_pdf

    # WeasyPrint reports a .notdef glyph through its logger; render_pdf must pass it on.
    rendered = render_pdf("<html lang='en'><title>t</title><p>Quetta کوئٹہ 漢</p></html>")
    assert len(rendered.warnings) == 1
    assert ".notdef glyph" in rendered.warnings[0] and "U+6F22" in rendered.warnings[0]
