"""Figures for `advisory serve` under load: many JSON answers at once, with PDFs rendering
beside them, and briefing PDFs served again from memory.

For each tree (LOAD_TREES, default `bundled,50000`: the bundled rules, and a tree of 50,000
restrictions written by bench/make_world.py with seed 0, as world_bench.py writes it) `advisory
serve` is started as a subprocess on a free loopback port, with its compiled cache in a
temporary folder, and measured once /api/v1/health answers. Then it is stopped.

1. GET /api/v1/check from 50 keep-alive connections, each asking again as soon as it is
   answered: requests per second, p50 and p99, after a warm-up on other questions. Every
   question is different (a place named by an order and a day near its dates, or any place
   and day; instants, days and 7-day ranges) and carries no If-None-Match, so answers are
   computed; the 304 path (the same questions with their ETags) is measured on its own.
   /api/v1/health, which does no work of ours, is measured the same way: the ceiling of
   server and client together.
2. The same load while a second client asks for briefing PDFs one after another, each for a
   day not asked before (so each one renders): p99 and its ratio to the idle p99.
3. One briefing PDF asked again on one connection, one request at a time, after its first
   render: served from the renderer's cache.

The load comes from wrk (Debian's package; `make bench` installs it), not from Python: client
and server share the machine's 2 cores, and a Python client would take a core of its own at
these rates. wrk's share is measured and printed next to the server's and the rest of the
machine's (CPU seconds from /proc over each run), so a figure can be read for what it is.
Prints figures and writes its section of BENCHMARKS.md (not with --quick: a smaller run that
only prints); asserts nothing; one run.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from loadgen import Connection, PdfAsker, Run, Server, load, serving

if TYPE_CHECKING:
    from advisories.compile.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "BENCHMARKS.md"
HEADING = "## The web service under load (bench/load_bench.py)"
QUICK = "--quick" in sys.argv[1:]
TREES = os.environ.get("LOAD_TREES", "bundled" if QUICK else "bundled,50000").split(",")
REQUESTS = int(os.environ.get("LOAD_REQUESTS", "1000" if QUICK else "5000"))  # per run, about
WARMUP_SECONDS = float(os.environ.get("LOAD_WARMUP_SECONDS", "2" if QUICK else "5"))
MAX_SECONDS = float(os.environ.get("LOAD_MAX_SECONDS", "60"))  # per run, at most
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "50"))
RENDERING_SECONDS = float(os.environ.get("LOAD_RENDERING_SECONDS", "3" if QUICK else "12"))
REPEATS = int(os.environ.get("LOAD_REPEATS", "50" if QUICK else "300"))  # the cached PDF
# `advisory serve --workers`: one per core, as docs/deploy.md and the Dockerfile run it
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PROFILE = os.environ.get("LOAD_PROFILE", "") not in ("", "0")  # py-spy, if on PATH
SEED = 0
AS_OF = date(2029, 1, 1)  # as world_bench.py: after everything the generated world records
TARGETS = {"p99": 50.0, "ratio": 2.0, "cached": 5.0}  # ms, x, ms: from the issue


# --- questions ---------------------------------------------------------------------------


def check_paths(rules: RuleSet, count: int, rng: random.Random) -> list[str]:
    """`count` different /api/v1/check questions: three in four about a region an order
    names, on a day near its announcement; the rest about any region on any day of the
    rules' years. Instants, days and 7-day ranges in turn."""
    from make_world import country_zones

    zones = country_zones()  # for a region of several zones the asker names one, as it must
    orders = sorted(rules.orders.values(), key=lambda o: o.id)
    anywhere = sorted(rules.gazetteer.codes())
    first = min(o.announced for o in orders)
    span = (max(o.announced for o in orders) - first).days + 90
    found: dict[str, None] = {}  # ordered, without repeats
    while len(found) < count:
        if rng.random() < 0.75:
            order = rng.choice(orders)
            place = rng.choice(order.regions)
            day = order.announced + timedelta(days=rng.randrange(-7, 90))
        else:
            place = rng.choice(anywhere)
            day = first + timedelta(days=rng.randrange(span))
        zone = [] if rules.gazetteer.timezone(place) else [("tz", zones.get(place[:2], ["UTC"])[0])]
        kind = len(found) % 3
        if kind == 0:
            when = [("at", f"{day}T{rng.randrange(24):02d}:{rng.randrange(60):02d}")]
        elif kind == 1:
            when = [("on", day.isoformat())]
        else:
            when = [("from", day.isoformat()), ("to", (day + timedelta(days=6)).isoformat())]
        found[_path("/api/v1/check", [("place", place), *when, *zone])] = None
    return list(found)


def pdf_paths(rules: RuleSet, count: int, rng: random.Random) -> list[str]:
    """`count` different briefing PDFs: a region an order names, on a day near its dates."""
    orders = sorted(rules.orders.values(), key=lambda o: o.id)
    found: dict[str, None] = {}
    while len(found) < count:
        order = rng.choice(orders)
        day, place = order.announced + timedelta(rng.randrange(90)), rng.choice(order.regions)
        found[_path("/briefing.pdf", [("place", place), ("on", day.isoformat())])] = None
    return list(found)


def _path(route: str, query: list[tuple[str, str]]) -> str:
    return f"{route}?{urlencode([*query, ('as_of', AS_OF.isoformat())])}"


def cached_pdf(server: Server, path: str, repeats: int) -> dict[str, Any]:
    """The first request of `path` (it renders), then `repeats` more on one connection."""
    connection = Connection(server.port)
    started = time.perf_counter()
    first = connection.get(path)[2]
    render = time.perf_counter() - started
    times, same = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        status, _, body = connection.get(path)
        times.append(time.perf_counter() - started)
        same += status == 200 and body == first
    return {"render_s": render, "times": times, "same": same, "kib": len(first) / 1024}


# --- one tree ---------------------------------------------------------------------------


@dataclass
class Tree:
    """Rules to serve, and the questions to ask of them."""

    name: str
    folder: Path
    described: str
    warm_up: list[str]  # check questions for the warm-up only
    asked: list[str]  # check questions measured, none of them in the warm-up
    pdfs: list[str]  # briefing PDFs, each different


def prepare(name: str, scratch: Path) -> Tree:
    """The bundled rules, or a generated tree of `name` restrictions written under `scratch`;
    loaded here once, which fills the compiled cache the server then starts from."""
    from advisories.load.process import loading_once
    from advisories.load.tree import load_rules

    if name == "bundled":
        folder, made = ROOT / "rules", "rules/"
    else:
        from make_world import make_world

        folder = scratch / "rules"
        stats = make_world(folder, int(name), SEED)
        name, made = f"{stats.restrictions:,} restrictions", f"bench/make_world.py, seed {SEED}"
    os.environ["ADVISORIES_CACHE"] = str(scratch / "cache")  # the server's too
    with loading_once():
        rules = load_rules(folder)
    restrictions = sum(len(o.restrictions) for o in rules.orders.values())
    described = f"{len(rules.orders):,} orders with {restrictions:,} restrictions ({made})"
    rng = random.Random(SEED)
    warm_up = check_paths(rules, 3 * REQUESTS, rng)
    seen = set(warm_up)
    asked = [p for p in check_paths(rules, 4 * REQUESTS, rng) if p not in seen]
    return Tree(name, folder, described, warm_up, asked, pdf_paths(rules, 1000, rng))


@dataclass
class TreeResult:
    name: str
    described: str
    started_s: float
    runs: dict[str, Run]
    pdfs: list[float]  # seconds of each PDF rendered during the loaded run
    pdf_busy: float  # share of the loaded run with a PDF being asked for
    cached: dict[str, Any]
    profile: str = ""


def measure_tree(name: str, scratch: Path) -> TreeResult:
    """Every run against one server over one tree, in the order the section lists them."""
    print(f"\n== {name} ==", flush=True)
    tree = prepare(name, scratch)
    runs: dict[str, Run] = {}
    with serving(tree.folder, scratch / "cache", scratch / "serve.log", WORKERS) as server:
        print(
            f"every worker of advisory serve answered after {server.started_s:.1f} s; "
            f"{tree.described}"
        )

        def run(key: str, name: str, paths: Sequence[str], seconds: float, **more: Any) -> Run:
            found = load(server, name, paths, seconds, CONNECTIONS, folder=scratch, **more)
            runs[key] = found
            print("  " + " | ".join(row(found)), flush=True)
            return found

        rate = load(server, "warm-up", tree.warm_up, WARMUP_SECONDS, CONNECTIONS).rate
        seconds = min(MAX_SECONDS, max(3.0, REQUESTS / rate))  # about REQUESTS requests
        short = max(3.0, seconds / 2)  # for the quick routes
        run("health", "/api/v1/health (no work of ours: the ceiling)", ["/api/v1/health"], short)
        idle = run("check", "/api/v1/check, different questions", tree.asked, seconds)
        again = tree.asked[: min(idle.requests, 1000)]  # asked: each has its ETag now
        connection = Connection(server.port)
        tags = [connection.get(p)[1] for p in again]
        run("not-modified", "/api/v1/check, If-None-Match (304)", again, short, tags=tags,
            status=304)  # fmt: skip
        cached = cached_pdf(server, tree.pdfs[0], REPEATS)
        run("cached-pdf", "/briefing.pdf, one PDF from the cache", tree.pdfs[:1], short)
        asker = PdfAsker(server.port, tree.pdfs[1:])
        asker.start()
        if not asker.first.wait(120):  # the PDF worker has rendered once: it is warm
            raise RuntimeError("no briefing PDF within 120 s")
        started = time.perf_counter()
        # questions the idle run did not ask, as far as they go, then the others again
        turn = idle.requests % len(tree.asked)
        after = tree.asked[turn:] + tree.asked[:turn]
        # long enough for several PDFs, or "while PDFs render" would be a second or two of it
        busy = run("rendering", "/api/v1/check while PDFs render", after,
                   max(seconds, RENDERING_SECONDS))  # fmt: skip
        rendered, share = asker.during(started, time.perf_counter())
        asker.stop.set()
        asker.join()
        print(f"  {len(rendered)} PDFs rendered meanwhile, median {_median_s(rendered)}; a PDF "
              f"was being asked for {share:.0%} of the time; p99 {busy.p99 / idle.p99:.2f}x "
              "idle", flush=True)  # fmt: skip
        times = cached["times"]
        print(f"  cached PDF ({cached['kib']:.0f} KiB, first render {cached['render_s']:.2f} s):"
              f" median {_ms(statistics.median(times)):.2f} ms, p99 {_ms(_p99(times)):.2f} ms,"
              f" {cached['same']}/{len(times)} identical", flush=True)  # fmt: skip
        profile = profiled(server, tree.asked, seconds) if PROFILE else ""
    return TreeResult(tree.name, tree.described, server.started_s, runs, rendered, share, cached,
                      profile)  # fmt: skip


# Where a sample of the server's time goes: the first of these found from the innermost frame
# outwards names it (a frame's text is "function (file:line)").
PROFILE_PARTS = [
    ("answer to JSON (to_json)", ("to_json", "iso_default")),
    ("evaluation (Evaluator.ask)", ("Evaluator.ask", "advisories/evaluation/")),
    ("ETag", ("Service.etag",)),
    ("other code of ours", ("advisories/",)),
    ("access log", ("logging/",)),
    ("@app.middleware (Starlette's BaseHTTPMiddleware)", ("middleware/base.py",)),
    ("HTTP/1.1 parsing and writing (h11)", ("h11/", "h11_impl")),
    (
        "FastAPI, Starlette, anyio (routing, validation, threads)",
        ("fastapi/", "starlette/", "anyio/", "threading.py"),
    ),
    ("asyncio event loop and sockets", ("asyncio/", "selectors.py")),
]


def profiled(server: Server, paths: Sequence[str], seconds: float) -> str:
    """py-spy's view of the server under the check load (samples holding the GIL only): the
    share of each part, and the functions most often on top."""
    spy = shutil.which("py-spy")
    if spy is None:
        return "(LOAD_PROFILE: py-spy is not on PATH)"
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "folded"
        spying = subprocess.Popen(
            [spy, "record", "--pid", str(server.process.pid), "--duration", str(round(seconds)),
             "--rate", "250", "--gil", "--format", "raw", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        load(server, "profiled", paths, seconds + 2, CONNECTIONS)
        spying.wait()
        stacks = [line.rsplit(" ", 1) for line in out.read_text().splitlines()]
    parts: dict[str, int] = {}
    top: dict[str, int] = {}
    for stack, count in stacks:
        frames = stack.split(";")
        part = next((name for frame in reversed(frames) for name, marks in PROFILE_PARTS
                     if any(mark in frame for mark in marks)), "other")  # fmt: skip
        parts[part] = parts.get(part, 0) + int(count)
        top[frames[-1]] = top.get(frames[-1], 0) + int(count)
    total = sum(parts.values())
    lines = [f"{total} samples holding the GIL, {total / seconds / 250:.0%} of the time; by part:"]
    lines += [f"  {n / total:6.1%}  {p}" for p, n in sorted(parts.items(), key=lambda i: -i[1])]
    lines.append("on top:")
    lines += [f"  {n / total:6.1%}  {f}" for f, n in sorted(top.items(), key=lambda i: -i[1])[:10]]
    print("\n".join(lines))
    return "\n".join(lines)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p99(times: Sequence[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[98]


def _median_s(times: Sequence[float]) -> str:
    return f"{statistics.median(times):.2f} s" if times else "-"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


COLUMNS = ["run", "requests", "time", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failed",
           "server cores", "client cores", "other cores"]  # fmt: skip


def row(run: Run) -> list[str]:
    c = run.cores
    return [run.name, f"{run.requests:,}", f"{run.seconds:.1f} s", f"{run.rate:,.0f}",
            f"{run.p50:.1f}", f"{run.p90:.1f}", f"{run.p99:.1f}", f"{run.max:.1f}",
            f"{run.unexpected + run.errors}", f"{c['server']:.2f}", f"{c['client']:.2f}",
            f"{c['rest']:.2f}"]  # fmt: skip


# --- BENCHMARKS.md --------------------------------------------------------------------------


def report(results: list[TreeResult]) -> str:
    """This bench's section of BENCHMARKS.md: targets, then each tree's runs."""
    lines = [
        HEADING,
        "",
        f"Run on {date.today().isoformat()} by `make bench` (or `python bench/load_bench.py`), "
        f"code at {_git_state()}; one run. uvicorn {version('uvicorn')} "
        f"({_http_stack()}), FastAPI {version('fastapi')}, `advisory serve --workers "
        f"{WORKERS}`, its access log on (to a file); load from "
        f"{_wrk_version()} on one thread, {CONNECTIONS} keep-alive connections, each asking "
        "again as soon as it is answered.",
        "",
        "| target (2-core machine) | tree | figure | |",
        "|---|---|---|---|",
    ]
    for result in results:
        idle, busy = result.runs["check"], result.runs["rendering"]
        times = result.cached["times"]
        ratio = busy.p99 / idle.p99
        lines += [
            f"| check p99 < 50 ms, {CONNECTIONS} clients | {result.name} | {idle.p99:.1f} ms "
            f"({idle.rate:,.0f}/s) | {_met(idle.p99 < TARGETS['p99'])} |",
            f"| check p99 while PDFs render <= 2x idle | {result.name} | {busy.p99:.1f} ms, "
            f"{ratio:.2f}x | {_met(ratio <= TARGETS['ratio'])} |",
            f"| repeated briefing PDF from the cache < 5 ms (p99) | {result.name} | median "
            f"{_ms(statistics.median(times)):.2f} ms, p99 {_ms(_p99(times)):.2f} ms | "
            f"{_met(_ms(_p99(times)) < TARGETS['cached'])} |",
        ]
    lines += [
        "",
        f"With {CONNECTIONS} connections each waiting for its answer before asking again, the "
        f"mean latency is {CONNECTIONS} / throughput (Little's law): a p99 under "
        f"{TARGETS['p99']:.0f} ms needs more than {CONNECTIONS / TARGETS['p99'] * 1000:,.0f} "
        "answers a second, whatever an answer costs; the /api/v1/health row is what the "
        "server and client reach when the route does no work of ours.",
        "",
        "Each run lasts long enough for about "
        f"{REQUESTS:,} requests at the rate of a {WARMUP_SECONDS:g}-s warm-up on other "
        "questions (at most "
        f"{MAX_SECONDS:g} s). Check questions: each different, no If-None-Match; three in four "
        "about a region an order names on a day near its announcement, the rest about any "
        "region of the gazetteer on any day of the rules' years; instants, days and 7-day "
        f"ranges in turn; as of {AS_OF}. The 304 run asks the first 1,000 of them again "
        "with their ETags. While PDFs render, a second client asks for briefing PDFs one "
        "after another, each a place and day not asked before (one PDF process per server worker), "
        f"for at least {RENDERING_SECONDS:g} s. "
        "The cached PDF: one briefing asked again "
        f"{REPEATS} times on one connection, one at a time (Python's http.client), after its "
        "first render; the wrk row asks for it from every connection at once. Cores: CPU "
        "seconds over the run's wall time, from /proc: the server's processes (its PDF worker "
        "included), the client (wrk and this script), and the rest of the machine (other "
        "processes: the figures are only as quiet as it was).",
        "",
    ]
    for result in results:
        lines += [
            f"### {result.name}",
            "",
            f"{result.described}; every worker of the server answered "
            f"{result.started_s:.1f} s after starting (its compiled cache filled beforehand).",
            "",
            "| " + " | ".join(COLUMNS) + " |",
            "|" + "---|" * len(COLUMNS),
        ]
        lines += ["| " + " | ".join(row(r)) + " |" for r in result.runs.values()]
        times = result.cached["times"]
        lines += [
            "",
            f"While PDFs rendered: {len(result.pdfs)} PDFs finished, median "
            f"{_median_s(result.pdfs)} each; a PDF was being asked for "
            f"{result.pdf_busy:.0%} of the run. Cached PDF ({result.cached['kib']:.0f} KiB, "
            f"first render {result.cached['render_s']:.2f} s), {len(times)} requests one at "
            f"a time: median {_ms(statistics.median(times)):.2f} ms, p99 "
            f"{_ms(_p99(times)):.2f} ms, max {_ms(max(times)):.2f} ms; "
            f"{result.cached['same']}/{len(times)} byte-identical to the first.",
            "",
        ]
        if result.profile:
            lines += ["py-spy (LOAD_PROFILE=1) during a check run:", "", "```",
                      result.profile, "```", ""]  # fmt: skip
    return "\n".join(lines)


def section(path: Path) -> str:
    """This bench's section of the file at `path` (empty if none): from its heading to the
    next heading of the same level."""
    if not path.exists():
        return ""
    lines = path.read_text().splitlines()
    if HEADING not in lines:
        return ""
    start = lines.index(HEADING)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))  # fmt: skip
    return "\n".join(lines[start:end]).rstrip() + "\n"


def write_section(path: Path, text: str) -> None:
    """Put `text` in place of this bench's section of `path`, or after everything else."""
    old = section(path)
    whole = path.read_text() if path.exists() else "# Benchmarks\n"
    if old:
        whole = whole.replace(old, text.rstrip() + "\n", 1)
    else:
        whole = whole.rstrip() + "\n\n" + text.rstrip() + "\n"
    path.write_text(whole)


def _git_state() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    changed = subprocess.run(["git", "status", "--porcelain", "advisories"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    return f"commit {commit or 'unknown'}" + (" with uncommitted changes" if changed else "")


def _http_stack() -> str:
    """The HTTP parser and event loop `advisory serve` runs uvicorn with."""
    from advisories.cli.serve import EVENT_LOOP, HTTP_PARSER

    return f"{HTTP_PARSER}, {EVENT_LOOP} loop"


def _wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    words = (done.stdout + done.stderr).split()
    return f"wrk {words[1]}" if len(words) > 1 else "wrk"


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    os.chdir(ROOT)
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes share the machine)")
    print(" | ".join(COLUMNS))
    results = []
    for tree in TREES:
        with tempfile.TemporaryDirectory(prefix=f"load-{tree}-") as scratch:
            results.append(measure_tree(tree, Path(scratch)))
    text = report(results)
    if QUICK:
        print("\n" + text + "\n(--quick: BENCHMARKS.md left as it was)")
        return
    write_section(OUTPUT, text)
    print(f"\nwrote its section of {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
