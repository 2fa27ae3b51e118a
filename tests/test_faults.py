"""Faults of output: nothing lost from print, and a file never clobbered by a render that dies
or a disk that refuses it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisories.briefing import answer_trip, briefing_context, briefing_options
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from advisories.render.html import render_html
from advisories.render.pdf import render_pdf
from tests.conftest import AS_OF

# --- long unbroken words ---------------------------------------------------------------------

# 154 characters without a space, as a reference number was found to be: each field gets its
# own, so that a test failure says which field lost it.
REFERENCES = {
    field: f"{field.upper()}-"
    + "".join(f"{n:03d}/" for n in range(40))[: 149 - len(field)]
    + "-END"
    for field in ("text", "legal", "note")
}
RULES = """\
sources:
  - id: src
    title: Notification
    publisher: Example News
    url: https://example.org/notification
orders:
  - id: long-words
    title: An order whose references run on
    authority: Home Department
    legal_basis: "Notification {legal}"
    note: "Filed under {note}"
    announced: 2026-02-01
    timezone: Asia/Karachi
    regions: [PK-BA]
    validity: {{first_day: 2026-02-01, last_day: 2026-02-28}}
    restrictions:
      - id: gatherings
        kind: gatherings
        threshold: {{min_people: 5}}
        text: "Gatherings banned under {text}"
    sources: [src]
    verification: reported
"""
RIGHT_MARGIN_PT = 16 / 25.4 * 72  # templates/assets/briefing.css: @page margin, right


@pytest.fixture(scope="module")
def long_words_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    rules_file = tmp_path_factory.mktemp("rules") / "long.yaml"
    rules_file.write_text(RULES.format(**REFERENCES), encoding="utf-8")
    rules = load_rules(rules_file, cached=False)
    trip = Trip(
        legs=[Leg.model_validate({"place": "PK-BA", "from": "2026-02-10", "to": "2026-02-10"})]
    )
    options = briefing_options(rules.kinds, as_of=AS_OF)
    html = render_html(briefing_context(answer_trip(rules, trip, options), options))
    rendered = render_pdf(html)
    assert rendered.warnings == [] and rendered.refused == []
    return rendered.data


def test_a_long_unbroken_reference_is_printed_whole(long_words_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(long_words_pdf))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for field, reference in REFERENCES.items():
        assert len(reference) == 154
        assert reference in text, f"the {field} reference is not whole in the PDF"


def test_no_word_runs_past_the_right_margin(long_words_pdf: bytes, tmp_path: Path) -> None:
    """Every word's box, as poppler's pdftotext lays the pages out, ends inside the margin."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, which `make` installs) is not on PATH")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(long_words_pdf)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)"', boxes)
    assert pages
    limit = float(pages[0]) - RIGHT_MARGIN_PT + 1  # a point for rounding
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes)
    past = [(word, float(right)) for right, word in words if float(right) > limit]
    assert words and past == [], f"past the right margin at {limit:.0f}pt: {past[:3]}"
