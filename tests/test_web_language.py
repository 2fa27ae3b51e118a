"""The web pages in Urdu: `lang` picks the language of a page, of the briefing inside it and of
its PDF; every page offers the choice, and links keep it. (test_browser.py looks at an Urdu
page in a real browser; test_urdu.py holds the catalogue to the templates, these included.)"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from advisories.compile.ruleset import RuleSet
from advisories.web.app import create_app
from advisories.web.pdfs import PdfRenderer
from tests.conftest import ROOT

QUETTA = {"place": "Quetta", "on": "2026-02-10", "as_of": "2026-03-01"}
TRIP = [("place", "KHI"), ("from", "2026-02-08"), ("to", "2026-02-09"),
        ("place", "UET"), ("from", "2026-02-10"), ("to", "2026-02-12")]  # fmt: skip


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer()


@pytest.fixture(scope="module")
def client(bundled: RuleSet, renderer: PdfRenderer) -> Iterator[TestClient]:
    with TestClient(create_app(lambda: bundled, renderer=renderer)) as found:
        yield found


def _pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _language(pdf: PdfReader) -> str:
    root: Any = pdf.trailer["/Root"]  # pypdf types a dictionary's values loosely
    return str(root["/Lang"])


def _link(html: str, pattern: str) -> str:
    found = re.search(rf'href="({pattern}[^"]*)"', html)
    assert found is not None, pattern
    return found[1].replace("&amp;", "&")


def test_the_briefing_page_in_urdu_reads_right_to_left_in_urdu(client: TestClient) -> None:
    page = client.get("/briefing", params={**QUETTA, "lang": "ur"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ur" dir="rtl">' in html
    assert ">نافذ پابندیاں</h3>" in html  # the briefing inside, from the catalogue
    assert ">پابندیاں دکھائیں</button>" in html  # and the page around it
    assert '<link rel="stylesheet" href="/assets/briefing-rtl.css">' in html
    assert "Restrictions in force" not in html and "Show restrictions" not in html
    assert _link(html, "/briefing.pdf").endswith("&lang=ur")
    # the other pages in Urdu too, and this one in English a click away
    assert 'href="/trip?lang=ur"' in html and 'href="/orders?lang=ur"' in html
    english = '<a href="/briefing?place=Quetta&amp;on=2026-02-10&amp;as_of=2026-03-01" lang="en"'
    assert english in html


def test_the_urdu_pdf_is_in_urdu_and_kept_apart_from_the_english_one(
    client: TestClient, renderer: PdfRenderer
) -> None:
    urdu_link = _link(client.get("/briefing", params={**QUETTA, "lang": "ur"}).text,
                      "/briefing.pdf")  # fmt: skip
    urdu = client.get(urdu_link)
    assert urdu.status_code == 200
    pdf = _pdf(urdu.content)
    assert _language(pdf) == "ur"
    assert (
        pdf.metadata is not None and pdf.metadata.title == "سیکیورٹی بریفنگ: Quetta — 10 فروری 2026"
    )

    english = client.get("/briefing.pdf", params=QUETTA)
    assert _language(_pdf(english.content)) == "en"
    assert english.content != urdu.content
    assert english.headers["etag"] != urdu.headers["etag"]
    for answered in (english, urdu):  # each kept, under its own key
        assert renderer.cache.get(answered.headers["etag"]) == answered.content
    assert client.get(urdu_link).content == urdu.content


@pytest.mark.parametrize("path", ["/briefing", "/briefing.pdf", "/trip", "/orders", "/"])
def test_a_language_not_offered_is_a_clear_422(client: TestClient, path: str) -> None:
    page = client.get(path, params={**QUETTA, "lang": "fr"})
    assert page.status_code == 422
    assert "&#39;lang&#39;: no language &#39;fr&#39; here; use one of: en, ur" in page.text
    assert '<html lang="en">' in page.text  # the page itself in the default


def test_a_program_asking_in_a_language_not_offered_gets_json(client: TestClient) -> None:
    failed = client.get("/briefing.pdf", params={**QUETTA, "lang": "ur-PK"},
                        headers={"Accept": "application/json"})  # fmt: skip
    assert failed.status_code == 422
    assert failed.json() == {
        "error": "'lang': no language 'ur-PK' here; use one of: en, ur, en+ur",
        "parameter": "lang",
    }


def test_a_typed_trip_in_urdu(client: TestClient) -> None:
    page = client.get("/trip", params=[*TRIP, ("lang", "ur")])
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ur" dir="rtl">' in html
    assert "<h1>سفر کی بریفنگ</h1>" in html and "<h2>سفر کا خلاصہ</h2>" in html
    assert 'aria-label="مرحلہ 2: مقام"' in html  # the legs' fields named in Urdu
    assert '<option value="ur" lang="ur" selected>اردو</option>' in html  # the form keeps it
    assert _link(html, "/trip.pdf").endswith("&lang=ur")


def test_an_uploaded_trip_in_urdu_and_its_pdf(client: TestClient) -> None:
    data = (ROOT / "examples" / "trip-karachi-quetta-gwadar.yaml").read_bytes()
    page = client.post("/trip", params={"lang": "ur"},
                       files={"file": ("trip.yaml", data, "application/yaml")})  # fmt: skip
    assert page.status_code == 200
    assert "<h2>سفر کا خلاصہ</h2>" in page.text
    assert '<form class="downloads" action="/trip.pdf?lang=ur" method="post"' in page.text
    pdf = client.post("/trip.pdf", params={"lang": "ur"}, data={"trip": data.decode()})
    assert pdf.status_code == 200 and _language(_pdf(pdf.content)) == "ur"


@pytest.mark.parametrize("path", ["/", "/trip", "/orders", "/briefing?place=Quetta&on=2026-02-10"])
def test_every_page_offers_each_language_in_its_own_words(client: TestClient, path: str) -> None:
    html = client.get(path).text
    choice = re.search(r'<nav class="languages".*?</nav>', html, re.S)
    assert choice is not None
    assert re.findall(r'lang="(\w+)" hreflang="\w+"[^>]*>([^<]+)</a>', choice[0]) == [
        ("en", "English"),
        ("ur", "اردو"),
        ("en", "English + اردو"),
    ]


def test_the_forms_ask_for_the_language(client: TestClient) -> None:
    for path in ("/", "/trip"):
        assert '<select id="lang" name="lang">' in client.get(path).text


def test_the_orders_in_urdu_keep_the_rules_english_set_apart(client: TestClient) -> None:
    page = client.get("/orders", params={"status": "ended", "lang": "ur"})
    assert page.status_code == 200
    html = page.text
    assert '<span class="status status-ended">ختم</span>' in html
    assert '<bdi dir="ltr">Month-long Section 144 across Balochistan' in html
    assert '<input type="hidden" name="lang" value="ur">' in html  # filtering keeps Urdu


def test_a_place_not_found_is_said_in_urdu_with_links_in_urdu(client: TestClient) -> None:
    page = client.get("/briefing", params={"place": "Quetaa", "on": "2026-02-10", "lang": "ur"})
    assert page.status_code == 404
    html = page.text
    assert '<html lang="ur" dir="rtl">' in html and "<h1>مقام نہیں ملا</h1>" in html
    assert 'href="/briefing?place=PK-BA-QUETTA-QUETTA&amp;on=2026-02-10&amp;lang=ur"' in html
    assert 'href="/?lang=ur">دوبارہ پوچھیں</a>' in html


def test_the_home_page_in_urdu_words_its_examples_in_urdu(client: TestClient) -> None:
    html = client.get("/", params={"lang": "ur"}).text
    assert "<h1>جہاں آپ جا رہے ہیں وہاں کیا نافذ ہے؟</h1>" in html
    examples = re.findall(r'<li><a href="(/briefing\?[^"]+)">(.+?)</a>', html)
    assert examples
    for href, label in examples:  # the order's English title set apart, the day in Urdu
        assert href.endswith("&amp;lang=ur")
        assert label.startswith('<bdi dir="ltr">') and label.endswith(" سے)")
        assert '<bdi dir="ltr"><bdi' not in label  # isolated once


def test_english_with_urdu_shows_each_section_then_its_urdu_and_gives_a_bilingual_pdf(
    client: TestClient,
) -> None:
    page = client.get("/briefing", params={**QUETTA, "lang": "en+ur"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="en">' in html  # the page's own text is English
    assert '<link rel="stylesheet" href="/assets/briefing-rtl.css">' in html  # its Urdu half
    english = html.index(">Restrictions in force</h3>")
    assert html.index(">نافذ پابندیاں</h3>", english) > english
    assert '<div class="language" lang="ur" dir="rtl">' in html
    pdf = client.get(_link(html, "/briefing.pdf"))
    assert pdf.status_code == 200
    assert _language(_pdf(pdf.content)) == "en"
    urdu_only = client.get("/briefing.pdf", params={**QUETTA, "lang": "ur"})
    assert pdf.headers["ETag"] != urdu_only.headers["ETag"]
    assert len(_pdf(pdf.content).pages) > len(_pdf(urdu_only.content).pages)
