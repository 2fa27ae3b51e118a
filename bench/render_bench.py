"""Wall time of rendering briefings: one Quetta briefing, and a batch sequential vs parallel.

Also the Quetta briefing in each language (issue 14): the bilingual one (English, each
section followed by its Urdu) renders to PDF in at most twice the English one's time, the
runs of each language taking turns so that a noisy spell hits all alike.
`python bench/render_bench.py languages` runs only that part, and then the Urdu briefing with
its Urdu in Naskh against Nastaliq, to show what the face costs on this machine's HarfBuzz.

Targets (issues 3 and 4, on the 2-core reference machine): the Quetta briefing for 2026-02-10
renders to PDF in under 0.5 s (median, in one process, after a warm-up render); a batch of
briefings, one per district of Balochistan, renders at least 1.6x faster on two worker
processes than sequentially in one: measured in a warm process (spawned workers) and, for
the target, as `advisory batch --jobs 1` against `--jobs 2` from fresh processes. The rules
are the bundled ones, loaded once before any timing, with the compiled cache as the user has
it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import io
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing.synchronize import Barrier
from pathlib import Path

import weasyprint
import weasyprint.layout.inline as inline_layout
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import LineBox

from advisories.briefing import BriefingOptions, briefing_context
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.trips import evaluate_trip
from advisories.load.tree import load_rules
from advisories.model.documents import Leg, Trip
from advisories.render.html import render_html
from advisories.render.language import Languages, languages_of
from advisories.render.pdf import RenderedPdf, render_pdf

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
BATCH_RUNS = int(os.environ.get("BENCH_BATCH_RUNS", "1"))  # each batch takes tens of seconds
WORKERS = 2
ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 2, 10)
AS_OF = date(2026, 2, 15)  # fixed, so review dates (stale flags) do not depend on today
QUETTA = "Quetta"
PROVINCE = "PK-BA"

_worker_rules: RuleSet | None = None  # set once per worker process by _init_worker


def html_for(rules: RuleSet, place: str, lang: Languages = "en") -> str:
    """Evaluation, context and HTML: everything before WeasyPrint. No git lookup, no timestamp."""
    trip = Trip(legs=[Leg.model_validate({"place": place, "from": DAY, "to": DAY})])
    answered = evaluate_trip(rules, trip, AS_OF)
    options = BriefingOptions(as_of=AS_OF, fmt="html", lang=lang)  # as `advisory brief` has them
    return render_html(*(briefing_context(answered, options, one) for one in languages_of(lang)))


def pdf_for(rules: RuleSet, place: str, lang: Languages = "en") -> RenderedPdf:
    return render_pdf(html_for(rules, place, lang))


def languages(rules: RuleSet) -> None:
    """The Quetta briefing to PDF bytes in each language, the languages taking turns."""
    langs: tuple[Languages, ...] = ("en", "ur", "en+ur")
    for lang in langs:
        pdf_for(rules, QUETTA, lang)  # warm-up: each language's fonts and catalogue
    times: dict[str, list[float]] = {lang: [] for lang in langs}
    for _ in range(RUNS):
        for lang in langs:
            times[lang] += timed(functools.partial(pdf_for, rules, QUETTA, lang), 1)
    print(f"\nQuetta briefing, {DAY}, to PDF bytes in each language, {RUNS} runs each, in turns:")
    english = statistics.median(times["en"])
    for lang in langs:
        data = pdf_for(rules, QUETTA, lang).data
        ratio = statistics.median(times[lang]) / english
        print(f"{line(f'--lang {lang}, {pages(data)} pages', times[lang])}   {ratio:.2f}x English")
    print("  target: en+ur within 2x English")
    urdu_faces(rules)


def urdu_faces(rules: RuleSet) -> None:
    """What the Urdu costs is its face: the same Urdu briefing with its Urdu set in Naskh, a
    face of simple joins, against Nastaliq as printed. HarfBuzz shapes the text (through
    Pango), so its version is printed with the figures."""
    nastaliq = html_for(rules, QUETTA, "ur")
    # every rule that sets Nastaliq (the text, its isolated words, the running header and
    # footer) sets Naskh instead: for comparison only
    naskh = nastaliq.replace('"Noto Nastaliq Urdu"', '"Noto Naskh Arabic"')
    if naskh == nastaliq:
        raise SystemExit("render_bench: the Urdu briefing names no Nastaliq face to replace")
    faces = {"Noto Nastaliq Urdu (as printed)": nastaliq, "Noto Naskh Arabic": naskh}
    for html in faces.values():
        render_pdf(html)
    times: dict[str, list[float]] = {face: [] for face in faces}
    for _ in range(RUNS):
        for face, html in faces.items():
            times[face] += timed(functools.partial(render_pdf, html), 1)
    print(f"\nThe Urdu Quetta briefing, HTML to PDF, by the face of its Urdu ({shapers()}):")
    for face in faces:
        print(line(face, times[face]))
    ltr, rtl = (line_layouts(direction) for direction in ("ltr", "rtl"))
    print(
        f"  WeasyPrint's line layouts for one paragraph of {ltr} lines: "
        f"{ltr} left to right, {rtl} right to left"
    )


def line_layouts(direction: str) -> int:
    """How many times WeasyPrint lays out a line of a paragraph of one Latin text in
    `direction`: it lays out each line of a right-to-left paragraph twice (WeasyPrint 70:
    get_next_linebox's check that a line kept its place compares its right edge with one
    taken before the line had a width)."""
    counted = 0
    real = inline_layout.split_inline_box

    def counting(context: object, box: object, *args: object, **kwargs: object) -> object:
        nonlocal counted
        counted += isinstance(box, LineBox)
        return real(context, box, *args, **kwargs)

    inline_layout.split_inline_box = counting
    try:
        text = " ".join(["lorem ipsum dolor sit amet"] * 40)
        weasyprint.HTML(string=f'<p dir="{direction}" style="width: 80mm">{text}</p>').render()
    finally:
        inline_layout.split_inline_box = real
    return counted


def shapers() -> str:
    """The versions of the libraries that lay out and shape the text, as loaded here."""
    harfbuzz = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
    harfbuzz.hb_version_string.restype = ctypes.c_char_p
    pango = ctypes.CDLL(ctypes.util.find_library("pango-1.0") or "libpango-1.0.so.0")
    pango.pango_version_string.restype = ctypes.c_char_p
    return (
        f"HarfBuzz {harfbuzz.hb_version_string().decode()}, "
        f"Pango {pango.pango_version_string().decode()}, WeasyPrint {weasyprint.__version__}"
    )


def _init_worker(everyone_warm: Barrier) -> None:
    """Runs once in each worker: load the rules (cwd is inherited) and pay the imports.

    Then waits until every worker is warm, so that a task's completion marks the pool as ready
    (see `parallel`). The first worker ready idles until the other is: both do the same work
    at the same time, so the wait is short, and a user would wait for both anyway.
    """
    global _worker_rules
    _worker_rules = load_rules()
    pdf_for(_worker_rules, QUETTA)  # warm-up: WeasyPrint, Pango, fonts, templates
    everyone_warm.wait(timeout=600)  # a worker that fails breaks the pool instead of hanging it


def _ready() -> None:
    """A no-op task: its result arrives once every worker has passed its initializer."""


def _render_in_worker(place: str) -> tuple[bytes, int]:
    if _worker_rules is None:
        raise RuntimeError("the pool's initializer did not run")
    rendered = pdf_for(_worker_rules, place)
    return rendered.data, len(rendered.warnings) + len(rendered.refused)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def line(name: str, times: Sequence[float]) -> str:
    return (
        f"  {name:<40} median {statistics.median(times):.3f} s   "
        f"min {min(times):.3f}   max {max(times):.3f}"
    )


@dataclass
class Batch:
    pdfs: list[bytes]
    notices: int  # WeasyPrint warnings plus refused fetches, summed over the batch
    seconds: float


def sequential(rules: RuleSet, places: list[str]) -> Batch:
    started = time.perf_counter()
    rendered = [pdf_for(rules, place) for place in places]
    seconds = time.perf_counter() - started
    notices = sum(len(r.warnings) + len(r.refused) for r in rendered)
    return Batch([r.data for r in rendered], notices, seconds)


def parallel(places: list[str]) -> tuple[float, Batch]:
    """Seconds to start the pool and warm every worker, and the batch on the ready pool.

    Their sum is what a user waits for: the clock starts before the pool exists, so it covers
    starting two interpreters, their imports, loading the rules and each worker's warm-up
    render. The batch alone, on the warm pool, compares with the sequential figure, which is
    also measured in a warm process. The two parts are split by a barrier in the initializer,
    not by timing the batch twice, because on this machine two runs of the same batch differ
    by seconds.

    'spawn', not 'fork': by now this process has run WeasyPrint, so it holds Pango, fontconfig
    and HarfBuzz state and possibly GLib threads, which a forked child would inherit in an
    undefined state (and Python 3.12+ warns about forking a multi-threaded process). The price,
    re-importing in each worker, is in the start-up figure rather than hidden. `advisory
    batch` itself forks before rendering anything; `command_batch` times it as users run it.
    """
    context = multiprocessing.get_context("spawn")
    everyone_warm = context.Barrier(WORKERS)
    started = time.perf_counter()
    with ProcessPoolExecutor(
        WORKERS, mp_context=context, initializer=_init_worker, initargs=(everyone_warm,)
    ) as pool:
        # One task per worker: with 'spawn' the pool starts a worker per submission while none
        # is idle, so fewer tasks would leave a worker unstarted and the barrier waiting.
        for waiting in [pool.submit(_ready) for _ in range(WORKERS)]:
            waiting.result()
        ready = time.perf_counter()
        batch = _collect(pool.map(_render_in_worker, places), ready)
    return ready - started, batch


def command_batch(jobs: int, folder: Path) -> tuple[float, dict[str, bytes]]:
    """`advisory batch --within PK-BA` with `jobs` processes, from a fresh process: seconds and
    the files it wrote."""
    folder.mkdir()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "advisories", "batch", "--within", PROVINCE, "--on",
         DAY.isoformat(), "--out-dir", str(folder), "--jobs", str(jobs), "--as-of",
         AS_OF.isoformat(), "--generated-at", "2026-02-15T00:00:00Z"],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    return seconds, {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def _collect(results: Iterable[tuple[bytes, int]], started: float) -> Batch:
    done = list(results)  # waits for every briefing
    return Batch([d for d, _ in done], sum(n for _, n in done), time.perf_counter() - started)


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    os.chdir(ROOT)  # load_rules() reads ./rules, the bundled tree; the workers inherit the cwd
    started = time.perf_counter()
    rules = load_rules()
    load_seconds = time.perf_counter() - started
    if sys.argv[1:] == ["languages"]:
        languages(rules)
        return
    districts = [r for r in rules.gazetteer.units(PROVINCE) if r.type == "district"]
    places = [r.code for r in districts]

    print(
        f"machine: os.cpu_count() {os.cpu_count()}, usable {len(os.sched_getaffinity(0))}; "
        f"Python {platform.python_version()}; WeasyPrint {weasyprint.__version__}"
    )
    print(f"rules loaded once before timing: {load_seconds:.3f} s (compiled cache as found)")

    warm_up = pdf_for(rules, QUETTA)
    html = html_for(rules, QUETTA)
    print(
        f"\nQuetta briefing, {DAY}, in one process after a warm-up render, {RUNS} runs each: "
        f"{pages(warm_up.data)} pages, {len(warm_up.data) / 1024:.0f} KiB, "
        f"{len(warm_up.warnings)} WeasyPrint warnings, {len(warm_up.refused)} refused fetches"
    )
    stages: list[tuple[str, Callable[[], object]]] = [
        ("(a) evaluate + context + HTML", lambda: html_for(rules, QUETTA)),
        ("(b) HTML -> PDF (WeasyPrint)", lambda: render_pdf(html)),
        ("(c) whole, to PDF bytes (target < 0.5 s)", lambda: pdf_for(rules, QUETTA)),
    ]
    for name, action in stages:
        print(line(name, timed(action, RUNS)))
    languages(rules)

    # Sequential and parallel batches alternate, so a noisy spell hits both alike.
    seq: list[Batch] = []
    start_up: list[float] = []
    warm: list[Batch] = []
    for _ in range(BATCH_RUNS):
        seq.append(sequential(rules, places))  # this process is warm since the Quetta runs
        seconds, batch = parallel(places)
        start_up.append(seconds)
        warm.append(batch)
    reference = seq[0].pdfs
    page_counts = [pages(data) for data in reference]
    same = all(b.pdfs == reference for b in [*seq, *warm])
    seq_s = statistics.median(b.seconds for b in seq)
    cold_s = statistics.median(s + b.seconds for s, b in zip(start_up, warm, strict=True))
    warm_s = statistics.median(b.seconds for b in warm)

    low, high = min(page_counts), max(page_counts)
    each = f"{low}" if low == high else f"{low}-{high}"
    print(
        f"\nbatch: {len(places)} briefings (every district of {PROVINCE}), {sum(page_counts)} "
        f"pages ({each} each), to PDF bytes, median of {BATCH_RUNS} run(s):"
    )
    rows = [
        ("sequential, one warm process", seq_s, f"{seq_s / len(places):.3f} s per briefing"),
        (
            f"parallel, {WORKERS} spawned workers, incl. start-up",
            cold_s,
            f"speed-up {seq_s / cold_s:.2f}x",
        ),
        (
            f"parallel, {WORKERS} workers already started and warm",
            warm_s,
            f"speed-up {seq_s / warm_s:.2f}x",
        ),
    ]
    for name, seconds, note in rows:
        print(f"  {name:<52} {seconds:7.2f} s   {note}")
    start_s = statistics.median(start_up)
    print(f"  of which starting {WORKERS} workers and warming them: {start_s:.2f} s")
    notices = max(b.notices for b in [*seq, *warm])
    print(f"  WeasyPrint warnings + refused fetches, most in one batch: {notices}")
    print(f"  all batches' PDFs byte-identical to the first: {'yes' if same else 'NO'}")
    # As users run it: the command, --jobs 1 and --jobs 2 alternating, each a fresh process.
    alone: list[float] = []
    shared: list[float] = []
    written: list[dict[str, bytes]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(BATCH_RUNS):
            for jobs, times in ((1, alone), (WORKERS, shared)):
                seconds, files = command_batch(jobs, Path(scratch) / f"{run}-{jobs}")
                times.append(seconds)
                written.append(files)
    one, two = statistics.median(alone), statistics.median(shared)
    print(
        f"\n`advisory batch --within {PROVINCE} --on {DAY}` ({len(written[0])} PDFs written), "
        f"fresh processes, median of {BATCH_RUNS} run(s):"
    )
    print(f"  --jobs 1 {one:7.2f} s")
    print(f"  --jobs {WORKERS} {two:7.2f} s   speed-up {one / two:.2f}x (target >= 1.6x)")
    same_files = all(files == written[0] for files in written)
    print(f"  every run's files byte-identical: {'yes' if same_files else 'NO'}")
    # Workers' own peaks are not shown: a spawned child's ru_maxrss starts from its parent's.
    print(f"\npeak RSS: this process {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
