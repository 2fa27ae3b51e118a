"""Briefings in Urdu: the catalogue covers the templates, and `--lang ur` gives a right-to-left
document in Urdu, as HTML and as PDF, while English briefings stay as they were."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from pypdf import PdfReader

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.render.language import LOCALE_DIR
from advisories.render.words import Words
from tests.conftest import pdf_titles

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = LOCALE_DIR / "ur" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")

# Messages kept in English on purpose (an empty msgstr falls back to English); none so far.
DELIBERATELY_ENGLISH: frozenset[str] = frozenset()

QUETTA = ("brief", "Quetta", "--on", "2026-02-10", "--as-of", "2026-02-15")
HEADINGS = ["خلاصہ", "نافذ پابندیاں", "ٹائم لائن", "آنے والی تبدیلیاں", "صورتِ حال", "ذرائع"]


def _marked() -> dict[str, list[str]]:
    """Every message babel.cfg marks (as `make messages` extracts them), with its notes."""
    with (REPO / "advisories" / "locale" / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found: dict[str, list[str]] = {}
    for _file, _line, message, comments, _context in extract_from_dir(
        str(REPO),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        comment_tags=("TRANSLATORS:",),
    ):
        key = message[0] if isinstance(message, tuple) else message
        found.setdefault(key, []).extend(comments)
    return found


def _messages(catalog: Catalog) -> dict[str, str | tuple[str, ...]]:
    """Message -> its translation (a tuple of forms for a plural)."""
    return {
        m.id if isinstance(m.id, str) else m.id[0]: m.string
        if isinstance(m.string, str)
        else tuple(m.string or ())
        for m in catalog
        if m.id
    }


def _catalogue() -> dict[str, str | tuple[str, ...]]:
    with CATALOGUE.open("rb") as po:
        return _messages(read_po(po))


def test_every_marked_message_is_translated_and_has_a_note() -> None:
    marked = _marked()
    assert len(marked) > 70  # the briefing templates' text, not a stray few
    catalogue = _catalogue()
    assert not set(marked) - set(catalogue), "run `make messages`"
    for message in marked:
        strings = catalogue[message]
        empty = not all(strings) if isinstance(strings, tuple) else not strings
        assert empty == (message in DELIBERATELY_ENGLISH), message
        assert marked[message], f"no translator note for {message!r}"


def test_compiled_catalogue_matches_its_source() -> None:
    with COMPILED.open("rb") as mo:
        compiled = _messages(read_mo(mo))
    assert compiled == _catalogue(), "run `make compile-messages`"


def test_dates_are_written_as_urdu_writes_them() -> None:
    assert Words("ur").day(date(2026, 2, 10)) == "10 فروری 2026"
    assert Words("en").day(date(2026, 9, 3)) == "3 Sep 2026"


def _run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": None})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def urdu_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    target = tmp_path_factory.mktemp("urdu") / "quetta.pdf"
    _run(*QUETTA, "--lang", "ur", "-o", str(target))
    return PdfReader(io.BytesIO(target.read_bytes()))


def test_urdu_html_is_right_to_left_and_in_urdu(tmp_path: Path) -> None:
    target = tmp_path / "quetta.html"
    _run(*QUETTA, "--lang", "ur", "--format", "html", "-o", str(target))
    html = target.read_text("utf-8")
    assert '<html lang="ur" dir="rtl">' in html
    assert '<h1><bdi dir="rtl">سیکیورٹی بریفنگ: Quetta</bdi></h1>' in html
    for heading in HEADINGS:
        assert f">{heading}</h" in html
    # a count takes the sentence's direction as it is
    assert "<strong>8 پابندیاں نافذ ہیں</strong>" in html and "Restrictions in force" not in html
    # the coverage sentence, which says first whether an answer can be relied on
    # (its days isolated as values, as every value put into a sentence built in Python is)
    assert (
        'زیرِ نگرانی؛ <bdi dir="rtl">1 جنوری 2025</bdi> سے <bdi dir="rtl">15 فروری 2026</bdi> تک'
        " جانچ کی گئی۔" in html
    )
    # English names inside Urdu sentences are isolated, so that they keep their own order, as
    # elements in their own direction (which holds on every line they take)
    assert '<h2><bdi dir="ltr">Quetta</bdi>، <bdi dir="rtl">10 فروری 2026</bdi></h2>' in html
    assert '<bdi dir="ltr">Commissioner, Quetta Division</bdi>' in html


def test_urdu_pdf_holds_the_urdu_text(urdu_pdf: PdfReader) -> None:
    root: Any = urdu_pdf.trailer["/Root"]  # pypdf types a dictionary's values loosely
    assert root["/Lang"] == "ur"
    assert urdu_pdf.metadata is not None
    assert urdu_pdf.metadata.title == "سیکیورٹی بریفنگ: Quetta — 10 فروری 2026"
    titles = pdf_titles(urdu_pdf.outline)
    assert set(HEADINGS) <= set(titles)
    # The page text: Nastaliq draws several letters with one shared shape, which a PDF's
    # glyph-to-text map cannot tell apart, so only words free of such shapes are compared
    # (which words those are shifts with the order the text is drawn in).
    text = "".join(page.extract_text() for page in urdu_pdf.pages)
    for word in ("مدت", "ممنوع", "معطل", "شدہ", "Quetta"):
        assert word in text
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in urdu_pdf.pages
        for font in cast(Any, page["/Resources"])["/Font"].values()
    }
    assert "Noto-Nastaliq-Urdu" in fonts


def test_english_is_the_default(tmp_path: Path) -> None:
    default, english = tmp_path / "default.html", tmp_path / "en.html"
    _run(*QUETTA, "--format", "html", "-o", str(default))
    _run(*QUETTA, "--lang", "en", "--format", "html", "-o", str(english))
    assert english.read_bytes() == default.read_bytes()
    assert '<html lang="en">' in default.read_text("utf-8")


def test_urdu_trip_words_its_dates_in_urdu_and_keeps_the_english_title(tmp_path: Path) -> None:
    target = tmp_path / "trip.html"
    trip = REPO / "examples" / "trip-karachi-quetta-gwadar.yaml"
    _run("trip", str(trip), "--lang", "ur", "--format", "html", "-o", str(target))
    html = target.read_text("utf-8")
    assert '<h1><bdi dir="ltr">Field visit: Karachi, Quetta, Gwadar</bdi></h1>' in html
    assert "<h2>سفر کا خلاصہ</h2>" in html
    assert "28 جنوری 2026 – 3 مارچ 2026" in html  # the trip's period
    assert 'نظرِ ثانی <bdi dir="rtl">23 فروری 2026</bdi> تک ہونی تھی' in html


def test_the_sentences_built_in_python_are_urdu_too(tmp_path: Path) -> None:
    """Periods, where an order holds, disputes, verification and the chart are worded in
    Urdu, not only the templates' headings."""
    target = tmp_path / "quetta.html"
    _run(*QUETTA, "--lang", "ur", "--format", "html", "-o", str(target))
    html = target.read_text("utf-8")
    # the Balochistan order: 1 Feb 2026 00:00 until the end of 28 Feb 2026
    assert (
        '<bdi dir="rtl">1 فروری 2026 00:00</bdi> سے <bdi dir="rtl">28 فروری 2026</bdi> کے اختتام تک'
        in html
    )
    assert "</bdi> سے تاحکمِ ثانی" in html  # the transport orders, until further notice
    assert (
        'پورا <bdi dir="ltr">Balochistan</bdi>، جس میں <bdi dir="ltr">Quetta</bdi> شامل ہے' in html
    )
    # English that runs over several lines: an element, whose direction holds on each of them
    assert 'اختتام کے وقت پر ذرائع میں اختلاف ہے: <bdi dir="ltr">on 15 August' in html
    assert '</a> · <bdi dir="rtl">رپورٹ شدہ</bdi></dd>' in html  # the verification
    assert 'aria-label="پابندیوں کی ٹائم لائن"' in html
    # the chart's words are text of the page, in their own direction (render/chart.py)
    assert '<th colspan="2" scope="col" dir="rtl">10 فروری</th>' in html
    assert '<th scope="row" dir="rtl">عوامی مقامات پر چہرہ ڈھانپنا</th>' in html
    for english in ("until further notice", "Sources disagree", "all of Balochistan"):
        assert english not in html


def test_urdu_trip_summary_cells_are_urdu_and_keep_their_styles(tmp_path: Path) -> None:
    target = tmp_path / "trip.html"
    trip = REPO / "examples" / "trip-karachi-quetta-gwadar.yaml"
    _run("trip", str(trip), "--lang", "ur", "--format", "html", "-o", str(target))
    summary = target.read_text("utf-8").split('class="trip-summary"')[1].split("</table>")[0]
    assert '<td class="cell-in-force"><bdi dir="rtl">نافذ</bdi></td>' in summary
    assert '<td class="cell-none"><bdi dir="ltr">—</bdi></td>' in summary
    assert "in force" not in summary and "cell-نافذ" not in summary


@pytest.mark.parametrize(
    ("kind", "name", "urdu"),
    [
        ("roads", "N-25", "\u2068N-25\u2069 پر"),
        ("roads", None, "سڑکوں اور شاہراہوں پر"),
        ("public_places", None, "عوامی مقامات پر"),
        ("urban_areas", None, "صرف شہری علاقوں میں"),
        ("route", "the procession route", "\u2068the procession route\u2069 کے ساتھ ساتھ"),
        ("premises", "the stadium", "\u2068the stadium\u2069 کے مقام پر"),
        ("zone", "the Red Zone", "\u2068the Red Zone\u2069 میں"),
    ],
)
def test_where_inside_a_place_is_worded_in_urdu(kind: str, name: str | None, urdu: str) -> None:
    from advisories.evaluation.answer import SiteOut
    from advisories.model.restrictions import Site
    from advisories.render.context import _site

    english = Site.model_validate({"type": kind, "name": name}).describe()
    site = SiteOut(kind, name, english, order_wide=False)
    assert _site(site, Words("ur")) == urdu
    assert _site(site, Words("en")) == english


def test_the_rules_own_urdu_is_shown_and_the_rest_is_said_to_be_english(tmp_path: Path) -> None:
    """The February 2026 order and the kinds carry Urdu (rules/): the Urdu briefing shows it;
    orders without a translation are shown in English, and the briefing says so in Urdu."""
    target = tmp_path / "quetta.html"
    _run(*QUETTA, "--lang", "ur", "--format", "html", "-o", str(target))
    html = target.read_text("utf-8")
    title = "31 جنوری 2026 کے حملوں کے بعد پورے بلوچستان میں ایک ماہ کے لیے دفعہ 144"
    assert f'<h4><bdi dir="rtl">{title}</bdi></h4>' in html
    assert "Month-long Section 144" not in html
    assert "اسلحے کی سرِعام نمائش اور استعمال" in html  # a restriction's own text
    assert "موٹر سائیکل پر ڈبل سواری" in html  # a kind's label, from rules/kinds.yaml
    assert "5 یا زیادہ افراد" in html  # the gatherings threshold
    # an order with no translation: its English, and the note in Urdu that says why
    assert '<h4><bdi dir="ltr">Public transport leaving Quetta kept off the roads at night' in html
    note = "قواعد کے کچھ متن کا ابھی ترجمہ نہیں ہوا، اس لیے وہ انگریزی میں دکھائے گئے ہیں۔"
    assert f'<p class="note in-english">{note}</p>' in html
    english = tmp_path / "en.html"
    _run(*QUETTA, "--format", "html", "-o", str(english))
    assert 'class="note in-english"' not in english.read_text("utf-8")


@pytest.mark.parametrize(
    ("days", "dates", "places", "urdu"),
    [
        (None, None, None, "روزانہ \u206820:00–06:00\u2069"),
        (("fri", "sat"), None, None, "\u2068جمعہ، ہفتہ\u2069، \u206820:00–06:00\u2069"),
        (None, (date(2025, 7, 5),), None, "\u20685 جولائی 2025\u2069 کو \u206820:00–06:00\u2069"),
        (
            None,
            None,
            ("Lahore",),
            "\u2068Lahore\u2069 میں \u2068روزانہ \u206820:00–06:00\u2069\u2069",
        ),
    ],
)
def test_the_hours_of_a_restriction_are_worded_in_urdu(
    days: tuple[str, ...] | None,
    dates: tuple[date, ...] | None,
    places: tuple[str, ...] | None,
    urdu: str,
) -> None:
    from datetime import time

    from advisories.evaluation.answer import HoursOut
    from advisories.render.context import _hours

    hours = HoursOut(days, dates, time(20), time(6), places)
    assert _hours(hours, Words("ur")) == urdu


def test_the_hours_in_a_briefing_are_urdu(tmp_path: Path) -> None:
    target = tmp_path / "quetta.html"
    _run(*QUETTA, "--lang", "ur", "--format", "html", "-o", str(target))
    html = target.read_text("utf-8")
    assert 'روزانہ <bdi dir="ltr">17:00–05:00</bdi>' in html and "daily 17:00" not in html


def test_an_amendment_worded_from_its_parts_reads_as_its_summary(
    bundled: RuleSet, amended: RuleSet
) -> None:
    """In English, what an amendment did, said from its parts, is its summary word for word:
    the parts hold all it says, so the Urdu made from them leaves nothing out."""
    from advisories.render.context import _done

    applied = [
        h
        for rules in (bundled, amended)
        for timeline in rules.timelines
        for h in [*timeline.history, *([timeline.revoked] if timeline.revoked else [])]
    ]
    kinds = {h.done.what for h in applied}
    assert {"extended", "lifted", "revoked"} <= kinds
    for h in applied:
        assert _done(h.summary, h.done, Words("en")) == h.summary
        urdu = _done(h.summary, h.done, Words("ur"))
        assert "announced" not in urdu and " until " not in urdu, urdu


def test_the_languages_rendered_are_those_the_rules_may_translate_into() -> None:
    """render/language.py's Literal (for the type checker) and the rule format's list (for the
    loader) name the same languages besides English."""
    from advisories.model.translations import TRANSLATED_LANGUAGES
    from advisories.render.language import BRIEFING_LANGUAGES, LANGUAGES

    assert set(LANGUAGES) == {"en", *TRANSLATED_LANGUAGES}
    assert {part for choice in BRIEFING_LANGUAGES for part in choice.split("+")} == set(LANGUAGES)
