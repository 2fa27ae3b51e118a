"""A server under test and the clients that load it: `advisory serve` started and stopped, wrk
driving it, one-at-a-time connections, and the CPU each party used meanwhile (for
bench/load_bench.py)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    started_s: float  # from the command until every worker has answered /api/v1/health


@contextlib.contextmanager
def serving(rules: Path, cache: Path, log: Path, workers: int = 1) -> Iterator[Server]:
    """`advisory serve --workers N` over `rules` on a free loopback port, with its compiled
    cache in `cache` and its output in `log`, until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "advisories", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--rules", str(rules)]  # fmt: skip
    started = time.perf_counter()
    with log.open("wb") as out:  # its access log too: a pipe nobody reads would block it
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "ADVISORIES_CACHE": str(cache)},
        )  # fmt: skip
    answered: set[int] = set()  # the workers that answered (their process ids)
    try:
        # Every worker, not the first: a worker still loading a large tree would leave the
        # first one all the connections of a run.
        while len(answered) < workers:
            if process.poll() is not None:
                raise RuntimeError(f"advisory serve exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                status, _, body = Connection(port).get("/api/v1/health")
                if status == 200:
                    answered.add(json.loads(body)["worker"])
            if time.perf_counter() - started > 300:
                raise RuntimeError("advisory serve's workers did not all answer within 300 s")
            time.sleep(0.05)
        yield Server(port, process, log, time.perf_counter() - started)
    finally:
        # `advisory serve` stopped by SIGTERM leaves its PDF worker and multiprocessing's
        # resource tracker running, so those found under it now are ended after it, by id.
        left = _tree(process.pid) - {process.pid}
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@dataclass(frozen=True)
class Clocks:
    """CPU seconds so far: the server's processes, our children (wrk), this process, all."""

    wall: float
    server: float
    client: float
    bench: float
    machine: float

    @staticmethod
    def read(server: int) -> Clocks:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = resource.getrusage(resource.RUSAGE_SELF)
        line = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(t) for t in line[:8]]
        busy = sum(ticks) - ticks[3] - ticks[4]  # less idle and iowait
        return Clocks(
            time.perf_counter(), _tree_ticks(server) / CLOCK, children.ru_utime +
            children.ru_stime, own.ru_utime + own.ru_stime, busy / CLOCK,
        )  # fmt: skip

    def since(self, before: Clocks) -> dict[str, float]:
        """Cores used on average since `before`: the server, wrk, the rest of the machine."""
        wall = self.wall - before.wall
        server = (self.server - before.server) / wall
        client = (self.client - before.client) / wall
        bench = (self.bench - before.bench) / wall
        machine = (self.machine - before.machine) / wall
        return {"server": server, "client": client + bench,
                "rest": max(0.0, machine - server - client - bench)}  # fmt: skip


def _tree_ticks(root: int) -> int:
    """utime + stime of `root` and every process below it (the PDF workers, uvicorn's)."""
    processes = _processes()
    return sum(processes[pid][1] for pid in _tree(root, processes))


def _tree(root: int, processes: dict[int, tuple[int, int]] | None = None) -> set[int]:
    """`root` and every process below it."""
    processes = processes if processes is not None else _processes()
    found = set()
    for pid in processes:
        up = pid
        while up > 1 and up != root:
            up = processes.get(up, (0, 0))[0]
        if up == root:
            found.add(pid)
    return found


def _processes() -> dict[int, tuple[int, int]]:
    """Every process's parent and CPU ticks used (utime + stime), from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            found[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


# --- clients ---------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, one request at a time."""

    def __init__(self, port: int) -> None:
        self._http = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """Status, ETag and body."""
        self._http.request("GET", path, headers=headers or {})
        response = self._http.getresponse()
        return response.status, response.getheader("ETag") or "", response.read()


# wrk's script: requests go through the paths in LOAD_PATHS (one a line), with the ETags in
# LOAD_TAGS as If-None-Match when that is set; answers other than LOAD_STATUS are counted.
WRK_SCRIPT = """
local paths, tags = {}, {}
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end
if os.getenv("LOAD_TAGS") then
  for line in io.lines(os.getenv("LOAD_TAGS")) do tags[#tags + 1] = line end
end
local expected = tonumber(os.getenv("LOAD_STATUS"))
local i = 0
unexpected = 0
threads = {}

function setup(thread) threads[#threads + 1] = thread end

function request()
  i = i % #paths + 1
  if #tags > 0 then return wrk.format("GET", paths[i], {["If-None-Match"] = tags[i]}) end
  return wrk.format("GET", paths[i])
end

function response(status)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local other = 0
  for _, thread in ipairs(threads) do other = other + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "us": %d, "bytes": %d, "errors": %d, "unexpected": %d, ' ..
    '"p50": %d, "p90": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, other,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


@dataclass
class Run:
    """One run of wrk: counts, latency in ms, and the cores each party used meanwhile."""

    name: str
    requests: int
    seconds: float
    errors: int  # connections that failed or timed out
    unexpected: int  # answers with another status than expected
    p50: float
    p90: float
    p99: float
    max: float
    bytes: int
    cores: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def load(
    server: Server,
    name: str,
    paths: Sequence[str],
    seconds: float,
    connections: int,
    tags: Sequence[str] | None = None,
    status: int = 200,
    folder: Path | None = None,
) -> Run:
    """wrk on one thread, `connections` keep-alive connections, for `seconds`: `paths` in
    turn, with `tags` as If-None-Match if given; answers other than `status` are counted."""
    if not paths:  # wrk would ask for "/" instead, and measure the home page
        raise ValueError(f"{name}: no paths to ask for")
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        where = Path(scratch)
        (where / "paths").write_text("".join(f"{p}\n" for p in paths))
        (where / "load.lua").write_text(WRK_SCRIPT)
        env = {**os.environ, "LOAD_PATHS": str(where / "paths"), "LOAD_STATUS": str(status)}
        if tags is not None:
            (where / "tags").write_text("".join(f"{t}\n" for t in tags))
            env["LOAD_TAGS"] = str(where / "tags")
        before = Clocks.read(server.process.pid)
        done = subprocess.run(
            ["wrk", "--threads", "1", "--connections", str(connections), "--duration",
             f"{max(1, round(seconds))}s", "--timeout", "30s", "--script", str(where / "load.lua"),
             f"http://127.0.0.1:{server.port}"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        cores = Clocks.read(server.process.pid).since(before)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    ms = {k: found[k] / 1000 for k in ("p50", "p90", "p99", "max")}
    return Run(name, found["requests"], found["us"] / 1e6, found["errors"], found["unexpected"],
               ms["p50"], ms["p90"], ms["p99"], ms["max"], found["bytes"], cores)  # fmt: skip


class PdfAsker(threading.Thread):
    """Asks for `paths` one after another, each a PDF not asked for before, until stopped."""

    def __init__(self, port: int, paths: Sequence[str]) -> None:
        super().__init__(daemon=True)
        self.port, self.paths = port, list(paths)
        self.stop = threading.Event()
        self.first = threading.Event()
        self.asked: list[tuple[float, float, int]] = []  # start, end, status

    def run(self) -> None:
        connection = Connection(self.port)
        for path in self.paths:
            if self.stop.is_set():
                break
            started = time.perf_counter()
            status = connection.get(path)[0]
            self.asked.append((started, time.perf_counter(), status))
            self.first.set()

    def during(self, start: float, end: float) -> tuple[list[float], float]:
        """Seconds of each PDF finished within [start, end], and the share of that time a
        PDF was being asked for."""
        finished = [e - s for s, e, status in self.asked if start <= e <= end and status == 200]
        covered = sum(max(0.0, min(e, end) - max(s, start)) for s, e, _ in self.asked)
        return finished, covered / (end - start)
