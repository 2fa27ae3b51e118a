"""Words of one direction among words of the other keep their order: each is an element in
its own direction (WeasyPrint follows `dir` on every line a text takes, while isolate
characters reach only its first line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from advisories.cli import main
from advisories.render.language import isolated, starts_left_to_right
from tests.conftest import ROOT

TRIP = ROOT / "examples" / "trip-karachi-quetta-gwadar.yaml"
ORG = ROOT / "examples" / "organisation.yaml"


@pytest.mark.parametrize(
    ("text", "ltr"),
    [
        ("Quetta", True),
        ("کوئٹہ", False),
        ("\u2068highways across the province\u2069 پر", False),  # an isolate is passed over
        ("\u2068کوئٹہ\u2069 in Balochistan", True),
        ("+00 555 0100", True),  # no letter with a direction: left to right, as FSI reads it
        ("17:00–05:00", True),
        ("", True),
    ],
)
def test_the_first_strong_letter_outside_isolates_gives_the_direction(text: str, ltr: bool) -> None:
    assert starts_left_to_right(text) is ltr


def test_the_isolates_of_a_sentence_built_in_python_become_elements() -> None:
    sentence = (
        "اختلاف ہے: \u2068on 15 August, <b>the court</b>\u2069 اور \u2068\u2068x\u2069 y\u2069"
    )
    assert isolated(sentence) == (
        '<bdi dir="rtl">اختلاف ہے: <bdi dir="ltr">on 15 August, &lt;b&gt;the court&lt;/b&gt;'
        '</bdi> اور <bdi dir="ltr"><bdi dir="ltr">x</bdi> y</bdi></bdi>'
    )
    assert isolated("left \u2068open") == '<bdi dir="ltr">left \u2068open</bdi>'
    once = isolated("Quetta")
    assert isolated(once) is once  # a template's isolate() put into a message: not again
    assert isolated(Markup("<a>x</a>")) == '<bdi dir="ltr"><a>x</a></bdi>'
    # markup goes by its words, not by its tags' names
    assert (
        isolated(Markup('<a href="#s">کوئٹہ</a>')) == '<bdi dir="rtl"><a href="#s">کوئٹہ</a></bdi>'
    )


def test_a_sentence_of_values_only_reads_as_its_surroundings() -> None:
    """'An order's English title: what was done to it, in Urdu', both values: among Urdu it
    reads right to left, the title first; a number alone still reads left to right."""
    change = "\u2068Mobile internet cut\u2069: \u2068دائرہ کار بدل دیا گیا\u2069"
    assert isolated(change, among_rtl=True) == (
        '<bdi dir="rtl"><bdi dir="ltr">Mobile internet cut</bdi>: '
        '<bdi dir="rtl">دائرہ کار بدل دیا گیا</bdi></bdi>'
    )
    assert isolated("+00 555 0100", among_rtl=True) == '<bdi dir="ltr">+00 555 0100</bdi>'


def _html(tmp_path: Path, *args: str) -> str:
    target = tmp_path / "out.html"
    result = CliRunner().invoke(main, [*args, "--format", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text("utf-8")


def test_an_urdu_trip_keeps_numbers_names_and_dates_in_their_order(tmp_path: Path) -> None:
    html = _html(tmp_path, "trip", str(TRIP), "--org", str(ORG), "--lang", "ur")
    assert '<td class="phone"><bdi dir="ltr">+00 555 0100</bdi></td>' in html
    # an area's English name among Urdu words: the Urdu word after it stays at its left
    assert '<bdi dir="rtl"><bdi dir="ltr">highways across the province</bdi> پر</bdi>' in html
    # a source's day, in Urdu, inside the English of its entry
    assert '”, <bdi dir="rtl">21 مارچ 2025</bdi>.' in html
    # an authority and its legal basis: one English phrase, in its own order
    assert '<dd><bdi dir="ltr">Home Department, Government of Balochistan, Section 144' in html


def test_an_english_briefing_sets_an_order_quoted_in_urdu_apart(tmp_path: Path) -> None:
    html = _html(tmp_path, "trip", str(TRIP), "--org", str(ORG))
    # its marks inside: they open at its right, where the Urdu starts
    assert '(as written: <bdi dir="rtl">“یکم مارچ 2026 سے ایک ماہ کے لیے”</bdi>)' in html


def test_a_quote_carries_its_marks_and_an_english_note_reads_as_english(tmp_path: Path) -> None:
    """The quotation marks of an order's own words come with them, so that among Urdu they
    open where the English starts; an organisation's English note is a block read left to
    right, its name first."""
    html = _html(tmp_path, "trip", str(TRIP), "--org", str(ORG), "--lang", "ur")
    assert '(اصل الفاظ: <bdi dir="ltr">“for two months, from 22 January to 22 March”</bdi>)' in html
    assert (
        '<div class="org-guidance" dir="ltr"><strong>Example Relief Network:</strong> '
        '<bdi dir="ltr">Postpone community meetings' in html
    )
