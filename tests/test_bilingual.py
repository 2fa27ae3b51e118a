"""Briefings in English and Urdu (`--lang en+ur`): each section in English, then in Urdu, so
that one printed page serves both readers; the document is English with its Urdu marked."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from advisories.cli import main
from tests.conftest import pdf_titles

QUETTA = ("brief", "Quetta", "--on", "2026-02-10", "--as-of", "2026-02-15")
REPO = Path(__file__).resolve().parent.parent


def _render(tmp_path: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


@pytest.fixture(scope="module")
def bilingual_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = _render(tmp_path_factory.mktemp("bi"), *QUETTA, "--lang", "en+ur", "--format", "html")
    return path.read_text("utf-8")


def _sections(html: str) -> list[tuple[str, str]]:
    """The (language, first heading or id) of each language copy, in document order."""
    copies = re.findall(r'<div class="language" lang="(\w+)" dir="(\w+)">\s*(.{0,200})', html)
    return [(lang, start) for lang, _dir, start in copies]


def test_the_document_is_english_with_its_urdu_marked(bilingual_html: str) -> None:
    assert '<html lang="en">' in bilingual_html
    assert bilingual_html.count('<div class="language" lang="ur" dir="rtl">') == (
        bilingual_html.count('<div class="language" lang="en" dir="ltr">')
    )
    assert "<h1>Security briefing: Quetta</h1>" in bilingual_html
    assert '<h1><bdi dir="rtl">سیکیورٹی بریفنگ: Quetta</bdi></h1>' in bilingual_html


def test_each_section_is_followed_by_its_urdu(bilingual_html: str) -> None:
    langs = [lang for lang, _start in _sections(bilingual_html)]
    assert len(langs) >= 10
    assert langs == ["en", "ur"] * (len(langs) // 2)
    # each order in English, then the same order in Urdu, before the next order
    articles = re.findall(r'<article class="order[^"]*" id="([^"]+)"', bilingual_html)
    assert articles[:2] == [
        "leg-1-pk-ba-quetta-2025-03-night-transport",
        "ur-leg-1-pk-ba-quetta-2025-03-night-transport",
    ]
    assert articles == [i for english in articles[::2] for i in (english, f"ur-{english}")]
    assert "leg-1-pk-ba-2026-02-s144" in articles
    headings = re.findall(r"<h3>(.*?)</h3>", bilingual_html)
    bottom_line = headings.index("Bottom line")
    assert headings[bottom_line + 1] == "خلاصہ"


def test_each_copy_links_within_itself_and_sources_are_listed_once(bilingual_html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', bilingual_html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for target in re.findall(r'href="#([^"]+)"', bilingual_html):
        assert target in ids, target
    assert "ur-leg-1-pk-ba-2026-02-s144" in ids
    # the sources, in the rules' words, once; the Urdu copy points to them
    assert bilingual_html.count('<li id="source-1">') == 1
    assert "ذرائع کی فہرست اوپر دی گئی ہے، جیسے وہ شائع ہوئے۔" in bilingual_html


def test_the_bilingual_pdf_has_both_languages(tmp_path: Path) -> None:
    pdf = PdfReader(io.BytesIO(_render(tmp_path, *QUETTA, "--lang", "en+ur").read_bytes()))
    root: Any = pdf.trailer["/Root"]
    assert root["/Lang"] == "en"
    titles = pdf_titles(pdf.outline)
    for english, urdu in [
        ("Bottom line", "خلاصہ"),
        ("Sources", "ذرائع"),
        ("Timeline", "ٹائم لائن"),
    ]:
        assert english in titles and urdu in titles
        assert titles.index(english) < titles.index(urdu)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Bottom line" in text and "Page 1 of" in text
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert "Noto-Nastaliq-Urdu" in fonts and "DejaVu-Sans" in fonts


def test_a_bilingual_trip(tmp_path: Path) -> None:
    trip = REPO / "examples" / "trip-karachi-quetta-gwadar.yaml"
    html = _render(tmp_path, "trip", str(trip), "--lang", "en+ur", "--format", "html")
    text = html.read_text("utf-8")
    assert "<h2>Trip summary</h2>" in text and "<h2>سفر کا خلاصہ</h2>" in text
    assert text.index("<h2>Trip summary</h2>") < text.index("<h2>سفر کا خلاصہ</h2>")


def test_each_copy_shows_the_rules_in_its_own_language(bilingual_html: str) -> None:
    english = "Month-long Section 144 across Balochistan after the attacks of 31 January 2026"
    urdu = "31 جنوری 2026 کے حملوں کے بعد پورے بلوچستان میں ایک ماہ کے لیے دفعہ 144"
    assert bilingual_html.index(f"<h4>{english}</h4>") < bilingual_html.index(urdu)
    assert bilingual_html.count(f"<h4>{english}</h4>") == 1


def test_untranslated_text_is_not_printed_twice(bilingual_html: str) -> None:
    """A passage the rules give only in English stands in the English half; the Urdu half
    points to it, and its title block says so."""
    note = "Decided at a meeting the commissioner chaired on 21 March 2025"
    assert bilingual_html.count(note) == 1
    assert "(انگریزی متن اوپر دیکھیں)" in bilingual_html
    assert (
        "قواعد کے کچھ متن کا ابھی ترجمہ نہیں ہوا: ان کے لیے اوپر انگریزی متن دیکھیں۔"
        in bilingual_html
    )
    # names stay, so that a reader can tell which order is which
    assert bilingual_html.count("Public transport leaving Quetta kept off the roads at night") == 2


def test_the_charts_name_each_row_even_after_english(tmp_path: Path) -> None:
    """A chart row is named by its words, never by the pointer that stands for untranslated
    text after English (a trip whose orders hold two bans of one kind, told apart by text)."""
    trip = REPO / "examples" / "trip-karachi-quetta-gwadar.yaml"
    html = _render(tmp_path, "trip", str(trip), "--lang", "en+ur", "--format", "html")
    charts = re.findall(r'<table class="timeline".*?</table>', html.read_text("utf-8"), re.S)
    assert len(charts) >= 6  # each leg's chart, in English and in Urdu
    assert not any("انگریزی متن اوپر" in chart for chart in charts)


def test_the_bilingual_trip_prints_within_its_pages(tmp_path: Path) -> None:
    """No line of any page is printed over the running header: a list of facts split over a
    page break once put a value there (WeasyPrint), so such lists now move to a page whole."""
    trip = REPO / "examples" / "trip-karachi-quetta-gwadar.yaml"
    org = REPO / "examples" / "organisation.yaml"
    pdf = _render(tmp_path, "trip", str(trip), "--org", str(org), "--lang", "en+ur")
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = boxes.split("<page ")[1:]
    assert len(pages) > 20
    for number, page in enumerate(pages, 1):
        tops = [float(y) for y in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"', page)]
        # the page's top margin is 22 mm (62 pt); the running header sits at its foot
        assert min(tops) > 40, f"page {number}: a line above the running header"
