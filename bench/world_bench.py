"""Figures at world scale: load time, memory and question latency on generated rule trees.

For each size (BENCH_SIZES, default 1000,10000,50000 restrictions) a tree from
`bench/make_world.py` is written to a temporary directory, then measured in fresh processes:
cold load (ADVISORIES_CACHE=off: parse YAML, check, compile, index), warm load (from the
compiled cache), peak RSS of a process that loads and answers questions, and, in one process,
latency p50/p99 of instant, day, 7-day range and 5-leg trip questions answered with the index
and the same questions answered by the linear scan (`evaluation/reference.py`). Then `advisory
check` cold start (bench/check_latency.py) and the rendering figures (bench/render_bench.py),
and everything goes to BENCHMARKS.md. Targets are from issue 4. Prints figures; asserts
nothing; medians of one run.

The module imports only the standard library at the top: a child process times its own imports
of `advisories` as part of the load.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from importlib import import_module
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from advisories.compile.ruleset import RuleSet
    from advisories.evaluation.answer import Answer
    from advisories.evaluation.evaluator import Evaluator
    from advisories.model.documents import Trip

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
OUTPUT = ROOT / "BENCHMARKS.md"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,50000").split(",") if s]
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "2000"))  # per type, with the index
LINEAR_CAP = os.environ.get("BENCH_LINEAR_QUESTIONS")  # per type; default below, by size
LINEAR_SECONDS = float(os.environ.get("BENCH_LINEAR_SECONDS", "60"))  # per type, at most
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "7"))
SLOW_LOAD = 20.0  # seconds: a cold load slower than this is run once only
PROFILE = os.environ.get("BENCH_PROFILE", "") not in ("", "0")
SEED = 0
# After everything the generated world records (orders start by 2027-10-31 and their amendments
# run into 2028): an answer leaves out what was announced after its as-of day, and every
# question here is asked of the whole world.
AS_OF = date(2029, 1, 1)
Kind = Literal["instant", "day", "range", "trip"]
KINDS: tuple[Kind, ...] = ("instant", "day", "range", "trip")
TARGETS = {"cold": 3.0, "warm": 0.5, "peak": 500.0, "p99": 1.0, "ratio": 50.0}


def linear_cap(size: int) -> int:
    """Linear questions per type: all of them up to 10k restrictions, 200 above (it is slow)."""
    if LINEAR_CAP:
        return int(LINEAR_CAP)
    return QUESTIONS if size <= 10_000 else min(QUESTIONS, 200)


# --- questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question: an instant, a day, a 7-day range, or a trip of 5 legs in one country."""

    kind: Kind
    regions: tuple[str, ...]  # one, or five for a trip
    timezone: str
    at: datetime | None  # instants
    days: tuple[tuple[date, date], ...]  # (first, last) per region, for the others
    trip: Trip | None = None  # the trip, validated beforehand as a trip file would be


def make_questions(rules: RuleSet, count: int, seed: int = SEED) -> dict[Kind, list[Question]]:
    """`count` questions of each kind, mostly about regions that rules name, some about any."""
    from make_world import country_zones

    from advisories.model.time import zone

    rng = random.Random(seed)
    gazetteer = rules.gazetteer
    named = sorted({c for o in rules.orders.values() for c in (*o.regions, *o.exclude_regions)})
    ancestors = sorted({r.code for c in named for r in gazetteer.lineage(c)[1:]})
    anywhere = sorted(gazetteer.codes())
    by_country: dict[str, list[str]] = {}
    for code in named:
        by_country.setdefault(code[:2], []).append(code)
    zones = country_zones()

    def region() -> str:
        roll = rng.random()
        pool = named if roll < 0.65 else ancestors if roll < 0.75 else anywhere
        return rng.choice(pool)

    def timezone(code: str) -> str:
        found = gazetteer.timezone(code) or zones.get(code[:2], ["UTC"])[0]
        zone(found)
        return found

    def day() -> date:
        return date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 365))

    questions: dict[Kind, list[Question]] = {kind: [] for kind in KINDS}
    for _ in range(count):
        code = region()
        tz = timezone(code)
        first = day()
        minute = rng.randrange(24 * 60) if rng.random() < 0.8 else 0  # a fifth at midnight
        at = datetime.combine(first, datetime.min.time()) + timedelta(minutes=minute)
        questions["instant"].append(Question("instant", (code,), tz, at, ()))
        code = region()
        questions["day"].append(Question("day", (code,), timezone(code), None, ((first, first),)))
        code = region()
        week = ((first, first + timedelta(days=6)),)
        questions["range"].append(Question("range", (code,), timezone(code), None, week))
        questions["trip"].append(_trip(rng, region(), by_country, first, timezone))
    return questions


def _trip(
    rng: random.Random,
    start: str,
    by_country: dict[str, list[str]],
    first: date,
    timezone: Callable[[str], str],
) -> Question:
    """Five legs in the country of `start`, of 1 to 4 days each, one after the other."""
    nearby = by_country.get(start[:2], [start])
    stops = (start, *(rng.choice(nearby) for _ in range(4)))
    days = []
    for _ in stops:
        last = first + timedelta(days=rng.randrange(4))
        days.append((first, last))
        first = last + timedelta(days=1)
    question = Question("trip", stops, timezone(start), None, tuple(days))
    return replace(question, trip=_trip_model(question))


def answer(evaluator: Evaluator, question: Question) -> list[Answer]:
    """The question's answers: one, or two per trip leg (its days, and with the look-ahead)."""
    from advisories.evaluation.query import days_query, instant_query
    from advisories.evaluation.trips import evaluate_trip

    if question.trip is not None:
        legs = evaluate_trip(evaluator, question.trip, AS_OF, timezone=question.timezone).legs
        return [a for leg in legs for a in (leg.answer, leg.ahead)]
    region = evaluator.rules.gazetteer[question.regions[0]]
    if question.at is not None:
        query = instant_query(question.at, question.timezone)
    else:
        first, last = question.days[0]
        query = days_query(first, last, question.timezone)
    return [evaluator.evaluate(region, query, AS_OF)]


def _trip_model(question: Question) -> Trip:
    from advisories.model.documents import Leg, Trip

    legs = [
        Leg.model_validate({"place": code, "from": first, "to": last})
        for code, (first, last) in zip(question.regions, question.days, strict=True)
    ]
    return Trip(legs=legs)


# --- child processes ---------------------------------------------------------------------


def child_load(folder: str, questions: int) -> dict[str, Any]:
    """Load (its imports included), answer some questions, report seconds and peak RSS."""
    before = _cache_entries()
    started = time.perf_counter()
    from advisories.load.process import loading_once
    from advisories.load.tree import load_rules

    with loading_once():  # as the CLI loads (advisories/cli/options.py)
        rules = load_rules(folder)
    seconds = time.perf_counter() - started
    hit = before == _cache_entries()  # a miss writes a new entry
    from advisories.evaluation.evaluator import Evaluator  # not part of the load

    asked = make_questions(rules, questions, seed=SEED + 1)
    evaluator = Evaluator(rules)
    for kind in KINDS:
        for question in asked[kind]:
            answer(evaluator, question)
    return {"seconds": seconds, "peak_mb": _peak_mb(), "hit": hit}


def _cache_entries() -> set[tuple[str, int]]:
    """The compiled cache's entries (name, mtime), when ADVISORIES_CACHE names a folder."""
    setting = os.environ.get("ADVISORIES_CACHE", "off")
    folder = Path(setting)
    if setting == "off" or not folder.is_dir():
        return set()
    return {(p.name, p.stat().st_mtime_ns) for p in folder.glob("*.pickle")}


def child_latency(folder: str, count: int, cap: int) -> dict[str, Any]:
    """In one process: each kind's questions with the index, then (some of) them linearly."""
    from advisories.evaluation.answer import to_json
    from advisories.evaluation.evaluator import Evaluator
    from advisories.evaluation.reference import LinearEvaluator
    from advisories.load.process import loading_once
    from advisories.load.tree import load_rules

    with loading_once():  # as the CLI loads (advisories/cli/options.py)
        rules = load_rules(folder)
    asked = make_questions(rules, count)
    with_index, scanning = Evaluator(rules), LinearEvaluator(rules)
    # First pass, right after a warm load: shelf groups are opened (load/store/shelf.py) and
    # answers' standing parts built (evaluation/parts.py) by the questions that first need them;
    # kinds run in turn, so later kinds find some of that done.
    first = {kind: _timed(with_index, asked[kind], budget=None) for kind in KINDS}
    for kind in KINDS:  # a linear question opens every group; two, as a warm-up
        for question in asked[kind][:2]:  # (a linear trip takes seconds at 50k)
            answer(scanning, question)
    results: dict[str, Any] = {}
    for kind in KINDS:  # steady state: the same questions again
        sizes: list[int] = []
        indexed = _timed(with_index, asked[kind], budget=None, sizes=sizes)
        linear = _timed(scanning, asked[kind][:cap], budget=LINEAR_SECONDS)
        same = sum(
            [to_json(a) for a in answer(with_index, q)] == [to_json(a) for a in answer(scanning, q)]
            for q in asked[kind][: min(len(linear), 50)]
        )
        results[kind] = {
            "first": first[kind],
            "indexed": indexed,
            "linear": linear,
            "checked": min(len(linear), 50),
            "identical": same,
            "sizes": sizes,
        }
    return {"kinds": results, "peak_mb": _peak_mb(), "timelines": len(rules.timelines)}


def _timed(
    evaluator: Evaluator,
    questions: Sequence[Question],
    budget: float | None,
    sizes: list[int] | None = None,
) -> list[float]:
    """Seconds per question; stops early once `budget` seconds are spent (at least 20 asked).

    `sizes` receives the number of restrictions in each answer (a trip: its largest leg answer).
    """
    times: list[float] = []
    spent = 0.0
    for question in questions:
        started = time.perf_counter()
        answers = answer(evaluator, question)
        took = time.perf_counter() - started
        times.append(took)
        if sizes is not None:
            sizes.append(max(len(a.restrictions) for a in answers))
        spent += took
        if budget is not None and spent > budget and len(times) >= 20:
            break
    return times


def child_profile(folder: str, what: str, count: int) -> str:
    """cProfile's top entries of a load, or of answering questions with the index."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    if what == "load":
        from advisories.load.process import loading_once
        from advisories.load.tree import load_rules

        with loading_once():
            profile.runcall(load_rules, folder)
    else:
        from advisories.evaluation.evaluator import Evaluator
        from advisories.load.process import loading_once
        from advisories.load.tree import load_rules

        with loading_once():  # as the CLI loads
            rules = load_rules(folder)
        asked = make_questions(rules, count)
        kind = next(k for k in KINDS if k == what)
        evaluator = Evaluator(rules)
        for question in asked[kind]:
            profile.runcall(answer, evaluator, question)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def _peak_mb() -> float:
    """This process's peak RSS in MB, since it started.

    Linux's VmHWM, not getrusage's ru_maxrss: a child's ru_maxrss keeps the high-water mark of
    the process it was forked from across exec, so it would report the parent's size (400 MB
    for a child forked from a 400 MB parent that itself uses 11 MB).
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_child(args: list[str], cache: str) -> Any:
    """Run this script as a fresh process with `args`; its last output line is JSON."""
    env = {**os.environ, "ADVISORIES_CACHE": cache}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the parent: sizes, then check and rendering, then BENCHMARKS.md -----------------------


@dataclass
class SizeResult:
    size: int
    tree: str  # what the generator wrote
    generate_s: float
    cold: list[float]
    warm: list[float]
    warm_misses: int  # warm runs left out: the cache missed (the code changed meanwhile)
    cold_peak_mb: float
    first_s: float  # the first load with the cache on: cold, plus writing the cache
    first_peak_mb: float
    warm_peak_mb: float
    latency_peak_mb: float
    kinds: dict[str, Any]
    cap: int

    @property
    def peak_mb(self) -> float:
        return max(self.cold_peak_mb, self.first_peak_mb, self.warm_peak_mb, self.latency_peak_mb)


def measure_size(size: int) -> SizeResult:
    from make_world import make_world

    print(f"\n== {size:,} restrictions ==", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"world-{size}-") as folder:
        tree = Path(folder) / "rules"
        cache = str(Path(folder) / "cache")
        started = time.perf_counter()
        stats = make_world(tree, size, SEED)
        generate_s = time.perf_counter() - started
        described = (
            f"{stats.restrictions:,} restrictions in {stats.orders:,} orders, "
            f"{stats.amendments:,} amendments, {stats.places:,} synthetic places, "
            f"{stats.context:,} context items, {stats.sources:,} sources; {stats.files} files, "
            f"{stats.bytes / 1e6:.1f} MB of YAML"
        )
        print(f"generated in {generate_s:.1f} s: {described}", flush=True)
        cold: list[float] = []
        cold_peak = 0.0
        for _ in range(COLD_RUNS):
            found = run_child(["load", str(tree), "50"], "off")
            cold.append(found["seconds"])
            cold_peak = max(cold_peak, found["peak_mb"])
            print(f"  cold load {found['seconds']:.2f} s, peak {found['peak_mb']:.0f} MB")
            if found["seconds"] > SLOW_LOAD:
                break
        primed = run_child(["load", str(tree), "0"], cache)  # a first load fills the cache
        print(f"  first load, filling the cache: {primed['seconds']:.2f} s, peak "
              f"{primed['peak_mb']:.0f} MB")  # fmt: skip
        warm: list[float] = []
        warm_peak = 0.0
        misses = 0
        while len(warm) < WARM_RUNS and misses < WARM_RUNS:
            found = run_child(["load", str(tree), "50"], cache)
            if not found["hit"]:  # our code changed since the cache was filled: a cold load
                misses += 1
                continue
            warm.append(found["seconds"])
            warm_peak = max(warm_peak, found["peak_mb"])
        warm = warm or [float("nan")]  # every run missed: the code kept changing
        print(
            f"  warm load median {statistics.median(warm):.3f} s, peak {warm_peak:.0f} MB"
            + (f" ({misses} runs missed the cache and were left out)" if misses else "")
        )
        cap = linear_cap(size)
        latency = run_child(["latency", str(tree), str(QUESTIONS), str(cap)], cache)
        result = SizeResult(
            size, described, generate_s, cold, warm, misses, cold_peak, primed["seconds"],
            primed["peak_mb"], warm_peak, latency["peak_mb"], latency["kinds"], cap,
        )  # fmt: skip
        for row in latency_rows(result):
            print("  " + " | ".join(row))
        if PROFILE:
            profile_misses(result, str(tree), cache)
    return result


def profile_misses(result: SizeResult, tree: str, cache: str) -> None:
    """Print cProfile's top entries for each target this size misses."""
    runs: list[tuple[str, str]] = []
    if statistics.median(result.cold) > TARGETS["cold"]:
        runs.append(("load", "off"))
    if statistics.median(result.warm) > TARGETS["warm"]:
        runs.append(("load", cache))
    for kind in KINDS:
        if _p99_ms(result.kinds[kind]["indexed"]) > TARGETS["p99"]:
            runs.append((kind, cache))
    for what, where in runs:
        env = {**os.environ, "ADVISORIES_CACHE": where}
        args = [sys.executable, __file__, "--child", "profile", tree, what, "500"]
        done = subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        label = "cold" if where == "off" else "warm" if what == "load" else "questions"
        print(f"\n  profile: {what} ({label}), top entries by own time\n{done.stdout}")


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p99_ms(times: Sequence[float]) -> float:
    if len(times) < 2:
        return _ms(times[0]) if times else float("nan")
    return _ms(statistics.quantiles(times, n=100, method="inclusive")[98])


def latency_rows(result: SizeResult) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        found = result.kinds[kind]
        indexed, linear = found["indexed"], found["linear"]
        same_questions = indexed[: len(linear)]
        ratio = statistics.median(linear) / statistics.median(same_questions)
        p99 = _p99_ms(indexed)
        rows.append(
            [
                {"instant": "instant", "day": "day", "range": "7-day range", "trip": "5-leg trip"}[
                    kind
                ],
                f"{len(indexed):,}",
                f"{_ms(statistics.median(found['first'])):.3f} / {_p99_ms(found['first']):.3f}",
                f"{_ms(statistics.median(indexed)):.3f}",
                f"{p99:.3f}",
                _met(p99 < TARGETS["p99"]),
                f"{len(linear):,}",
                f"{_ms(statistics.median(linear)):.2f}",
                f"{_p99_ms(linear):.2f}",
                f"{ratio:.0f}x",
                f"{found['identical']}/{found['checked']}",
                f"{statistics.mean(found['sizes']):.1f} / {max(found['sizes'])}",
            ]
        )
    return rows


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def captured(module: str, fallback: list[str]) -> str:
    """Call bench/<module>.py's main() and keep what it prints; if that fails, run it."""
    out = io.StringIO()
    try:
        main = import_module(module).main
        with contextlib.redirect_stdout(out):
            main()
        return out.getvalue()
    except Exception as error:  # another helper's script: keep going and say what happened
        note = f"(calling {module}.main() failed: {error!r}; ran it as a process)\n"
        done = subprocess.run(
            [sys.executable, *fallback], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return note + out.getvalue() + done.stdout + done.stderr


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    memory = f"{int(total.group(1)) / 1024**2:.1f} GiB" if total else "unknown"
    import yaml

    from advisories.load import quick

    loader = "C loader (libyaml)" if getattr(yaml, "__with_libyaml__", False) else "pure Python"
    if quick.compiled_document is not None:
        loader += "; quick path: advisories/load/_quickyaml.c"
    else:
        loader += "; quick path in Python (advisories/load/_quickyaml.c not built)"
    return [
        f"- Machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {model}, "
        f"{memory} memory; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, pydantic {version('pydantic')}, "
        f"PyYAML {version('pyyaml')} ({loader}), WeasyPrint {version('weasyprint')}",
        f"- Run on {date.today().isoformat()} by `make bench` (bench/world_bench.py), "
        f"code at {_git_state()}",
    ]


def _git_state() -> str:
    """The commit measured, and whether the package had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "advisories"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "an unknown commit (no git)"
    return f"commit {commit or 'unknown'}" + (" with uncommitted changes" if changed else "")


def find(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def report(results: list[SizeResult], check: str, render: str) -> str:
    """BENCHMARKS.md: machine and versions, targets, then each size's tables, check, render."""
    lines = ["# Benchmarks", "", "Written by `make bench`; medians of one run. Targets from "
             "issue 4, on the 2-core reference machine.", "", *machine(), ""]  # fmt: skip
    largest = results[-1] if results else None
    check_warm = find(r"check, cache warm.*?median ([\d.]+) s", check)
    speed_up = find(r"speed-up ([\d.]+)x \(target >= 1\.6x\)", render)
    lines += ["## Targets", "", "| target | figure | |", "|---|---|---|"]
    if largest is not None:
        at = f"at {largest.size:,}"
        cold, warm = statistics.median(largest.cold), statistics.median(largest.warm)
        ratio = min(_ratio(largest, k) for k in KINDS)
        single = max(_p99_ms(largest.kinds[k]["indexed"]) for k in KINDS if k != "trip")
        first_pass = max(_p99_ms(largest.kinds[k]["first"]) for k in KINDS if k != "trip")
        trip = _p99_ms(largest.kinds["trip"]["indexed"])
        lines += [
            f"| cold load < 3 s | {cold:.2f} s {at} | {_met(cold < 3)} |",
            f"| warm load < 0.5 s | {warm:.3f} s {at} | {_met(warm < 0.5)} |",
            f"| peak memory < 500 MB | {largest.peak_mb:.0f} MB {at} | "
            f"{_met(largest.peak_mb < 500)} |",
            f"| question p99 < 1 ms: instant, day, 7-day range | worst {single:.3f} ms {at} "
            f"(first pass {first_pass:.3f} ms) | {_met(single < 1)} |",
            f"| question p99 < 1 ms: 5-leg trip (10 evaluations) | {trip:.3f} ms {at} | "
            f"{_met(trip < 1)} |",
            f"| index >= 50x linear at 50k | lowest kind {ratio:.0f}x {at} | "
            + (_met(ratio >= 50) if largest.size >= 50_000 else "(not run at 50k)")
            + " |",
        ]
    if check_warm is not None:
        lines.append(
            f"| `advisory check` < 0.35 s (fresh process, cache warm) | {check_warm:.3f} s | "
            f"{_met(check_warm < 0.35)} |"
        )
    if speed_up is not None:
        lines.append(
            f"| batch rendering >= 1.6x on 2 cores (`advisory batch`, --jobs 2 vs 1) | "
            f"{speed_up:.2f}x | {_met(speed_up >= 1.6)} |"
        )
    lines.append("")
    if largest is not None and largest.size < 50_000:
        lines += [f"The largest size run was {largest.size:,} (BENCH_SIZES); the targets are "
                  "stated at 50k.", ""]  # fmt: skip
    for result in results:
        lines += size_section(result)
    lines += ["## `advisory check` cold start (bench/check_latency.py)", "", "```", check.rstrip(),
              "```", "", "## Rendering (bench/render_bench.py)", "", "```", render.rstrip(),
              "```", ""]  # fmt: skip
    return "\n".join(lines)


def _ratio(result: SizeResult, kind: str) -> float:
    found = result.kinds[kind]
    linear = found["linear"]
    return float(statistics.median(linear) / statistics.median(found["indexed"][: len(linear)]))


def size_section(result: SizeResult) -> list[str]:
    cold, warm = result.cold, result.warm
    cap_note = (
        f"all {QUESTIONS:,}"
        if result.cap >= QUESTIONS
        else f"the first {result.cap} (the linear scan is slow at this size)"
    )
    lines = [
        f"## {result.size:,} restrictions",
        "",
        f"Tree: {result.tree}; generated in {result.generate_s:.1f} s (seed {SEED}, into a "
        "temporary directory).",
        "",
        "| load, fresh process (imports included) | median | runs | peak RSS |",
        "|---|---|---|---|",
        f"| cold (ADVISORIES_CACHE=off: YAML, checks, timelines, index) | "
        f"{statistics.median(cold):.2f} s {_met(statistics.median(cold) < TARGETS['cold'])} | "
        f"{len(cold)} | {result.cold_peak_mb:.0f} MB |",
        f"| first load with the cache on (cold, then writing the cache) | {result.first_s:.2f} s "
        f"| 1 | {result.first_peak_mb:.0f} MB |",
        f"| warm (compiled cache) | {statistics.median(warm):.3f} s "
        f"{_met(statistics.median(warm) < TARGETS['warm'])} | {len(warm)} | "
        f"{result.warm_peak_mb:.0f} MB |",
        "",
        *(
            [
                f"{result.warm_misses} warm run(s) missed the cache (the package's code changed "
                "during the run, which changes the key) and are left out.",
                "",
            ]
            if result.warm_misses
            else []
        ),
        "Peak RSS (VmHWM): the cold and warm load processes also answer 200 questions (50 of "
        "each kind); the latency process (warm load, every question below) peaked at "
        f"{result.latency_peak_mb:.0f} MB. Target < 500 MB: {_met(result.peak_mb < 500)}.",
        "",
        f"Latency in one process, ms. Indexed: {QUESTIONS:,} questions of each kind, asked "
        "twice: the first pass right after a warm load (shelf groups opened and answers' "
        "standing parts built by the first question that needs them; the kinds in turn, so "
        "the first kind meets most of that), then the steady state (p50, p99, the target and "
        "the ratio). Linear (`LinearEvaluator`): "
        f"{cap_note}, at most {LINEAR_SECONDS:.0f} s per kind; the ratio compares "
        "the medians over the same questions. A trip is `evaluate_trip` of 5 legs (10 "
        "evaluations: each leg's days, and with the 14-day look-ahead). 'Same' counts questions "
        "whose indexed and linear answers have identical JSON. Questions: 65% about regions that "
        "orders name, 10% about their ancestors (countries: every order inside them is partly "
        "in force there), 25% about any region, most without rules; days spread over 2024-2027.",
        "",
        "| question | indexed n | first pass p50 / p99 | p50 | p99 | p99 < 1 ms | linear n | "
        "p50 | p99 | ratio | same | restrictions per answer, mean / max |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in latency_rows(result)]
    lines.append("")
    return lines


def main() -> None:
    os.chdir(ROOT)
    sys.path.insert(0, str(BENCH))  # render_bench and check_latency; spawned workers inherit it
    print("rendering (bench/render_bench.py), first, while this process is small:", flush=True)
    render = captured("render_bench", [str(BENCH / "render_bench.py")])
    print(render, flush=True)
    print("advisory check cold start (bench/check_latency.py):", flush=True)
    check = captured("check_latency", [str(BENCH / "check_latency.py")])
    print(check, flush=True)
    results = [measure_size(size) for size in SIZES]
    from load_bench import section  # written by load_bench.py, which `make bench` runs next

    kept = section(OUTPUT)
    OUTPUT.write_text(report(results, check, render) + (f"\n{kept}" if kept else ""))
    print(f"\nwrote {OUTPUT.relative_to(ROOT)}")


def child_main(args: list[str]) -> None:
    mode, folder, *rest = args
    if mode == "load":
        print(json.dumps(child_load(folder, int(rest[0]))))
    elif mode == "latency":
        print(json.dumps(child_latency(folder, int(rest[0]), int(rest[1]))))
    elif mode == "profile":
        print(child_profile(folder, rest[0], int(rest[1])))
    else:
        raise SystemExit(f"unknown child mode {mode!r}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child_main(sys.argv[2:])
    else:
        main()
