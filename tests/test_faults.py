"""Faults of output: nothing lost from print, and a file never clobbered by a render that dies
or a disk that refuses it."""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from advisories.briefing import answer_trip, briefing_context, briefing_options
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from advisories.output import write_atomically
from advisories.render.html import render_html
from advisories.render.pdf import render_pdf
from tests.conftest import AS_OF, ROOT

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


# --- a render killed, a disk that refuses ----------------------------------------------------

OLD = b"%PDF-1.7 the briefing of yesterday\n"
BRIEF = ["brief", "Quetta", "--on", "2026-02-10"]


def advisory(*args: str, **popen: Any) -> subprocess.Popen[bytes]:
    """`advisory ARGS` as a user starts it, from the repo's root (the bundled rules)."""
    command = [str(Path(sys.executable).parent / "advisory"), *args]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def rendering(pid: int) -> bool:
    """Whether the process has loaded Pango, which it does only to lay out the PDF."""
    try:
        return "libpango" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see a render")
def test_a_render_killed_midway_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "quetta.pdf"
    target.write_bytes(OLD)
    process = advisory(*BRIEF, "-o", str(target))
    deadline = time.monotonic() + 60
    while not rendering(process.pid):
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the render never started"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_temp_file_left_by_a_writer_killed_while_writing_goes_next_time(
    tmp_path: Path,
) -> None:
    """A writer held in fsync (as on a slow disk) is killed with its temp file open: the old
    file stays whole, and the next write to the same file removes the leftover."""
    target = tmp_path / "quetta.pdf"
    target.write_bytes(OLD)
    held = (
        "import os, sys, time; from pathlib import Path\n"
        "os.fsync = lambda fd: time.sleep(600)\n"
        "from advisories.output import write_atomically\n"
        "write_atomically(Path(sys.argv[1]), b'%PDF-1.7 half' * 100000)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", held, str(target)], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not leftovers(tmp_path):
        assert writer.poll() is None and time.monotonic() < deadline, "nothing was written"
        time.sleep(0.01)
    writer.kill()
    writer.wait()
    assert target.read_bytes() == OLD
    assert len(leftovers(tmp_path)) == 1
    write_atomically(target, b"%PDF-1.7 today")
    assert target.read_bytes() == b"%PDF-1.7 today"
    assert leftovers(tmp_path) == []


def test_a_temp_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "quetta.pdf"
    live = tmp_path / f".quetta.pdf.{os.getpid()}.abc123.tmp"  # this very process's
    live.write_bytes(b"being written")
    write_atomically(target, b"%PDF-1.7 today")
    assert live.exists()
    os.utime(live, (time.time() - 7200, time.time() - 7200))  # untouched for two hours
    write_atomically(target, b"%PDF-1.7 today")
    assert not live.exists()


def test_a_read_only_folder_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    target = folder / "quetta.pdf"
    target.write_bytes(OLD)
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a folder's mode does not stop its writes")
        process = advisory(*BRIEF, "-o", str(target))
        _, stderr = process.communicate(timeout=120)
    finally:
        folder.chmod(0o755)
    assert process.returncode == 1
    assert stderr.decode().strip() == f"error: {target}: the folder {folder} is not writable"
    assert target.read_bytes() == OLD
    assert leftovers(folder) == []


def _limit_file_size() -> None:
    """For the child: no file over 16 kB (a full disk as a writer meets it), and the error
    rather than the SIGXFSZ that would kill it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


def test_a_disk_that_refuses_the_write_is_an_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "quetta.pdf"
    target.write_bytes(OLD)
    process = advisory(*BRIEF, "-o", str(target), preexec_fn=_limit_file_size)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert stderr.decode().strip() == f"error: {target}: cannot write (File too large)"
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []
